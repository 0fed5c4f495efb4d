"""The ``Decimal`` scalar: money travels as text, never as a binary float.

Serialized as a plain string (``"100000.00"``). Parsed from a string or an
integer; a float variable goes through ``repr`` and a float literal through its
source text, so ``100.10`` stays ``100.10``. Anything that is not a number is a
GraphQL error. Range and precision (two places, the upper bound, the sign) are
the domain's to judge (``domain.money.parse_amount``), so they come back as a
``ValidationError`` with the field path.
"""

from __future__ import annotations

import decimal
from typing import Any

import strawberry
from graphql import FloatValueNode, IntValueNode, StringValueNode, ValueNode
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition

# Longer text than any sane amount is refused before Decimal parses it.
MAX_TEXT = 64


def serialize_decimal(value: Any) -> str:
    if not isinstance(value, decimal.Decimal):
        value = decimal.Decimal(value)
    return format(value, "f")


def parse_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, bool):
        raise StrawberryInputCoercionError(f"Decimal cannot represent a boolean: {value}")
    if isinstance(value, float):
        value = repr(value)
    elif isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise StrawberryInputCoercionError(
            f"Decimal cannot represent {type(value).__name__} value; send a string like "
            '"100.00"'
        )
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise StrawberryInputCoercionError("Decimal value is too long")
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise StrawberryInputCoercionError(
            f"Decimal cannot represent {text[:MAX_TEXT]!r}; send a string like \"100.00\""
        ) from None


def parse_decimal_literal(node: ValueNode, _variables: Any = None) -> decimal.Decimal:
    if isinstance(node, (StringValueNode, IntValueNode, FloatValueNode)):
        return parse_decimal(node.value)  # the source text, never a float
    raise StrawberryInputCoercionError(
        'Decimal literal must be a string or a number, like "100.00" or 100.00'
    )


DecimalScalar: ScalarDefinition = strawberry.scalar(
    name="Decimal",
    description='Exact decimal number as text, e.g. "100000.00" (amounts in CNY to the cent).',
    serialize=serialize_decimal,
    parse_value=parse_decimal,
    parse_literal=parse_decimal_literal,
)

SCALAR_MAP = {decimal.Decimal: DecimalScalar}
