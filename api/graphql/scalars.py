"""Scalars and the text rule at the GraphQL boundary.

Text: every ``String``/``ID`` input (arguments and input-object fields, from
variables or literals) passes ``domain.text`` (NUL, control characters other
than tab/LF/CR, lone surrogates, over-long). A mutation with bad text answers
its union's ``ValidationError`` naming the path (``input.summary``) without
running (``TextArguments``); any other bad text fails the operation before any
resolver runs, with top-level errors typed ``ValidationError`` with the same
``field`` (``TextInputCheck``). Either way nothing is written or queried.

The ``Decimal`` scalar: money travels as text, never as a binary float.

Serialized as a plain string (``"100000.00"``). Parsed from a string or an
integer; a float variable goes through ``repr`` and a float literal through its
source text, so ``100.10`` stays ``100.10``. Anything that is not a number is a
GraphQL error. Range and precision (two places, the upper bound, the sign) are
the domain's to judge (``domain.money.parse_amount``), so they come back as a
``ValidationError`` with the field path.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    FloatValueNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    get_operation_ast,
    type_from_ast,
    visit,
)
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.types import Info
from strawberry.types.field import StrawberryField
from strawberry.types.scalar import ScalarDefinition

from api.graphql.errors import ValidationError, query_error
from domain import errors as domain
from domain import text

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


# -- text: every GraphQL ``String``/``ID`` input --------------------------------
# graphql-core 3.3 reserves the name ``String`` (a schema cannot bring its own
# ``String`` scalar), so the one text rule runs as an extension over every
# String/ID position of the operation, arguments and input-object fields alike,
# from variables and from literals, before any resolver runs. A field that
# needs more than ``MAX_TEXT`` says so with ``metadata={"max_length": n}``.

MAX_TEXT_ERRORS = 10  # a request full of bad text gets this many errors back
_TEXT_SCALARS = ("String", "ID")


def _max_length(definition: GraphQLArgument | GraphQLInputField) -> int:
    field = (definition.extensions or {}).get("strawberry-definition")
    metadata = getattr(field, "metadata", None) or {}
    return int(metadata.get("max_length", text.MAX_TEXT))


class _TextWalk:
    """Collect a ``ValidationError`` for each bad text value, with its path."""

    def __init__(self) -> None:
        self.errors: list[GraphQLError] = []
        # where each variable is first used: its errors name that argument path
        # (``input.summary``, whatever the variable is called) and its maximum
        self.usages: dict[str, tuple[list[str | int], int]] = {}
        self.skipped: set[str] = set()  # variables of a mutation's own arguments

    def skip_variables(self, node: ValueNode) -> None:
        if isinstance(node, VariableNode):
            self.skipped.add(node.name.value)
        elif isinstance(node, ListValueNode):
            for item in node.values:
                self.skip_variables(item)
        elif isinstance(node, ObjectValueNode):
            for field_node in node.fields:
                self.skip_variables(field_node.value)

    def check(self, value: str, path: list[str | int], max_length: int) -> None:
        field = ".".join(str(p) for p in path)
        problem = text.text_problem(value, max_length)
        if problem and len(self.errors) < MAX_TEXT_ERRORS:
            self.errors.append(query_error(domain.ValidationError(f"{field} {problem}", field)))

    def value(self, value: Any, type_: GraphQLInputType, path: list[str | int],
              max_length: int) -> None:
        """A variable's JSON value; its shape errors are graphql-core's to report."""
        type_ = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(type_, GraphQLList):
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                self.value(item, type_.of_type, [*path, index] if items is value else path,
                           max_length)
        elif isinstance(type_, GraphQLInputObjectType):
            if isinstance(value, dict):
                for name, field in type_.fields.items():
                    if name in value:
                        self.value(value[name], field.type, [*path, name], _max_length(field))
        elif getattr(type_, "name", None) in _TEXT_SCALARS and isinstance(value, str):
            self.check(value, path, max_length)

    def literal(self, node: ValueNode, type_: GraphQLInputType, path: list[str | int],
                max_length: int) -> None:
        """A literal in the document; variables inside it are checked as variables."""
        if isinstance(node, VariableNode):
            self.usages.setdefault(node.name.value, (path, max_length))
            return
        type_ = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(type_, GraphQLList):
            if isinstance(node, ListValueNode):
                for index, item in enumerate(node.values):
                    self.literal(item, type_.of_type, [*path, index], max_length)
            else:
                self.literal(node, type_.of_type, path, max_length)
        elif isinstance(type_, GraphQLInputObjectType):
            if isinstance(node, ObjectValueNode):
                for field_node in node.fields:
                    field = type_.fields.get(field_node.name.value)
                    if field is not None:
                        self.literal(field_node.value, field.type,
                                     [*path, field_node.name.value], _max_length(field))
        elif getattr(type_, "name", None) in _TEXT_SCALARS and isinstance(node, StringValueNode):
            self.check(node.value, path, max_length)


class _ArgumentLiterals(Visitor):
    def __init__(self, walk: _TextWalk, type_info: TypeInfo,
                 mutation_type: GraphQLObjectType | None) -> None:
        super().__init__()
        self.walk = walk
        self.type_info = type_info
        self.mutation_type = mutation_type

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        argument = self.type_info.get_argument()
        if argument is None or self.type_info.get_directive() is not None:
            return
        if self.type_info.get_parent_type() is self.mutation_type:
            # a mutation's own arguments: its TextArguments answers in its union
            self.walk.skip_variables(node.value)
            return
        self.walk.literal(node.value, argument.type, [node.name.value], _max_length(argument))


def bad_text(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
             variables: dict[str, Any] | None) -> list[GraphQLError]:
    """A ``ValidationError`` per bad text input of the operation (none: all good)."""
    walk = _TextWalk()
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return []
    type_info = TypeInfo(schema)
    visit(document, TypeInfoVisitor(type_info, _ArgumentLiterals(walk, type_info,
                                                                  schema.mutation_type)))
    variables = variables or {}
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        if type_ is None:
            continue
        path, max_length = walk.usages.get(name, ([name], text.MAX_TEXT))
        if name in walk.skipped and name not in walk.usages:
            continue
        if name in variables:
            walk.value(variables[name], type_, path, max_length)
        elif definition.default_value is not None:
            walk.literal(definition.default_value, type_, path, max_length)
    return walk.errors


class TextInputCheck(SchemaExtension):
    """Refuse the whole operation, before any resolver runs, when a text input
    outside a mutation's own arguments is bad: no query reaches the database
    with it (a NUL was a masked DataError on PostgreSQL)."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.result is None:
            errors = bad_text(ctx.schema._schema, ctx.graphql_document, ctx.operation_name,
                              ctx.variables)
            if errors:
                ctx.result = ExecutionResult(data=None, errors=errors)
        yield


# -- mutations answer bad text with their own union's ValidationError ------------------
# A mutation's arguments are left to ``TextArguments`` (every mutation has it,
# api/graphql/mutations/__init__.py): the resolver is not called, and the
# answer is the ``ValidationError`` member of the mutation's result union, like
# any other malformed input of a command. The rule and the messages are the same.


def _python_text_problem(value: Any, path: list[str | int], max_length: int,
                         names: Any) -> tuple[str, str] | None:
    """(field, message) of the first bad text in coerced arguments, or None."""
    if isinstance(value, str):
        problem = text.text_problem(value, max_length)
        field = ".".join(str(p) for p in path)
        return (field, f"{field} {problem}") if problem else None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _python_text_problem(item, [*path, index], max_length, names)
            if found:
                return found
        return None
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is not None and getattr(definition, "is_input", False):
        for field in definition.fields:
            found = _python_text_problem(
                getattr(value, field.python_name, None), [*path, names.get_graphql_name(field)],
                int((field.metadata or {}).get("max_length", text.MAX_TEXT)), names)
            if found:
                return found
    return None


class TextArguments(FieldExtension):
    """Bad text in a mutation's arguments: the union's ``ValidationError``."""

    def apply(self, field: StrawberryField) -> None:
        self.arguments = {a.python_name: a for a in field.arguments}

    def _problem(self, info: Info, kwargs: dict[str, Any]) -> tuple[str, str] | None:
        names = info.schema.config.name_converter
        for name, value in kwargs.items():
            argument = self.arguments.get(name)
            label = names.from_argument(argument) if argument is not None else name
            found = _python_text_problem(value, [label], text.MAX_TEXT, names)
            if found:
                return found
        return None

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        found = self._problem(info, kwargs)
        if found:
            return ValidationError(message=found[1], field=found[0])
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        found = self._problem(info, kwargs)
        if found:
            return ValidationError(message=found[1], field=found[0])
        return await next_(source, info, **kwargs)
