"""Money and quantity rules (DESIGN.md section 4).

Amounts are CNY to 0.01, rounded half-up (四舍五入). Floats never enter: every
value is parsed from text or an integer into ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
# Largest amount a single line may carry: a sane bound far above any SME voucher,
# well inside the 64-bit cent columns of the read models.
MAX_AMOUNT = Decimal("999999999999.99")
CURRENCY = "CNY"
# Numbers of 10**18 or more are refused on parsing, before any quantize.
MAX_MAGNITUDE = 18


def to_decimal(value: object, field: str) -> Decimal:
    """Parse text, int or Decimal into a finite Decimal (floats go through repr)."""
    from domain.errors import ValidationError

    if isinstance(value, bool):
        raise ValidationError(f"{field}: expected a number, got a boolean", field)
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(f"{field}: {value!r} is not a number", field) from None
    if not number.is_finite():
        raise ValidationError(f"{field}: {value!r} is not a finite number", field)
    if number.adjusted() >= MAX_MAGNITUDE:
        # Quantizing such a number to cents overflows the decimal context.
        raise ValidationError(f"{field}: {value!r} is far too large", field)
    return number


def parse_amount(value: object, field: str, *, allow_negative: bool = False) -> Decimal:
    """An amount with at most two decimal places within the sane bound."""
    from domain.errors import ValidationError

    amount = to_decimal(value, field)
    if amount != amount.quantize(CENT):
        raise ValidationError(f"{field}: {amount} has more than 2 decimal places", field)
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(f"{field}: {amount} exceeds the limit of {MAX_AMOUNT}", field)
    if amount < 0 and not allow_negative:
        raise ValidationError(f"{field}: {amount} must not be negative", field)
    return amount.quantize(CENT)


def round_amount(value: Decimal) -> Decimal:
    """Round to the cent, half-up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_by_qty(amount: Decimal, parts: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` over quantities ``parts`` pro rata, rounded half-up, the last
    taking the rounding (the shares add up to ``amount``)."""
    total = sum(parts, Decimal("0.000000"))
    shares, left = [], amount
    for i, qty in enumerate(parts):
        share = left if i == len(parts) - 1 else round_amount(amount * qty / total)
        shares.append(share)
        left -= share
    return shares


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_exact())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_amount(amount: Decimal) -> str:
    """1234567.5 -> '1,234,567.50' (how a voucher prints it)."""
    return f"{amount.quantize(CENT):,}"


# -- quantities -----------------------------------------------------------------
QTY_STEP = Decimal("0.000001")
MAX_QUANTITY = Decimal("999999999.999999")


def parse_quantity(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """A positive quantity with at most 6 decimal places."""
    from domain.errors import ValidationError

    qty = to_decimal(value, field)
    if qty != qty.quantize(QTY_STEP):
        raise ValidationError(f"{field}: {qty} has more than 6 decimal places", field)
    if qty < 0 or (qty == 0 and not allow_zero):
        raise ValidationError(f"{field}: quantity must be greater than zero, got {qty}", field)
    if qty > MAX_QUANTITY:
        raise ValidationError(f"{field}: {qty} exceeds the limit of {MAX_QUANTITY}", field)
    return qty.quantize(QTY_STEP)


def parse_price(value: object, field: str) -> Decimal:
    """A unit price (ex VAT): non-negative, at most 6 decimal places."""
    from domain.errors import ValidationError

    price = to_decimal(value, field)
    if price != price.quantize(QTY_STEP):
        raise ValidationError(f"{field}: {price} has more than 6 decimal places", field)
    if price < 0:
        raise ValidationError(f"{field}: price must not be negative", field)
    if price > MAX_AMOUNT:
        raise ValidationError(f"{field}: {price} exceeds the limit of {MAX_AMOUNT}", field)
    return price.quantize(QTY_STEP)


def to_micros(qty: Decimal) -> int:
    """Quantities in read models are integer millionths (exact on every database)."""
    return int((qty * 1_000_000).to_integral_exact())


def from_micros(micros: int) -> Decimal:
    return (Decimal(micros) / 1_000_000).quantize(QTY_STEP)
