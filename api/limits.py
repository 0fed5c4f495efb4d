"""Abuse limits: what one request may ask of the server.

- ``HostAllowList``: pure ASGI middleware; a request (HTTP or WebSocket) whose
  ``Host`` is not allowed is refused with 400 before anything runs, so a DNS
  rebinding page (evil.example resolving to 127.0.0.1) cannot drive a server
  on the user's machine. Default: loopback names only, any port.
- ``BodySizeLimit``: pure ASGI middleware; a body over the cap is refused with
  413 from its Content-Length, or, when chunked, as soon as the bytes read pass
  the cap (never more than the cap plus one chunk is held).
- ``GraphQLLimits``: a Strawberry schema extension; per operation it sets the
  parser's token limit (what ``MaxTokensLimiter`` does: a 1.9 MB alias query
  stops after ``max_tokens`` tokens, in milliseconds) and adds Strawberry's
  alias and depth validators and the cost limit (``cost_errors``: fields,
  times ``first`` of the page they are in, heavy reads weighted), with the
  limits of the app serving the request. A document found valid is not
  validated again (the cost is: it depends on the variables).

Every limit has a default, an environment variable and a ``Limits`` field
(``create_app(limits=...)``).
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.schema.schema import validate_document

MIB = 1024 * 1024
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")

# Reads that compute over the whole ledger, stock or plan (statements, MRP,
# scheduling, reconciliations): each costs this many object fields, so that
# one request holds at most max_cost / HEAVY_WEIGHT (20) of them.
HEAVY_WEIGHT = 500
HEAVY_FIELDS = frozenset({
    "trialBalance", "accountLedger", "balanceSheet", "incomeStatement",
    "inventoryValuation", "inventoryReconciliation", "stockCard", "onTimeDelivery",
    "inventoryTurnover", "wipReconciliation", "shopKpis", "subledgerReconciliation",
    "aging", "partyStatement", "openItems", "costRollup", "workOrderBudget",
    "schedule", "scheduleByWorkCenter", "reschedule", "lateOrders", "recordSchedule",
    "runMrp", "closePeriod", "settleOverhead", "uninvoicedReceipts", "uninvoicedShipments",
})


@dataclass(frozen=True)
class Limits:
    """Per-request limits (see docs/security.md, "Abuse limits")."""

    max_body_bytes: int = MIB
    max_tokens: int = 5000
    max_aliases: int = 50
    max_depth: int = 10
    max_cost: int = 10_000
    # Host header names (any port); "*" allows any, "*.example.com" a subdomain.
    allowed_hosts: tuple[str, ...] = field(default=LOOPBACK_HOSTS)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Limits:
        """The defaults, overridden by FACTORYLEDGER_* variables, then by ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = (env.get(ENV[f.name]) or "").strip()
            if not raw:
                continue
            if f.name == "allowed_hosts":
                values[f.name] = parse_hosts(raw)
            else:
                values[f.name] = _positive_int(ENV[f.name], raw)
        limits = replace(cls(), **values)
        if "allowed_hosts" in overrides:
            overrides["allowed_hosts"] = tuple(overrides["allowed_hosts"])
        return replace(limits, **overrides)

    @property
    def loopback_only(self) -> bool:
        return all(normal_host(h) in LOOPBACK_HOSTS for h in self.allowed_hosts)


ENV = {
    "max_body_bytes": "FACTORYLEDGER_MAX_BODY_BYTES",
    "max_tokens": "FACTORYLEDGER_GRAPHQL_MAX_TOKENS",
    "max_aliases": "FACTORYLEDGER_GRAPHQL_MAX_ALIASES",
    "max_depth": "FACTORYLEDGER_GRAPHQL_MAX_DEPTH",
    "max_cost": "FACTORYLEDGER_GRAPHQL_MAX_COST",
    "allowed_hosts": "FACTORYLEDGER_ALLOWED_HOSTS",
}


def _positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name}={raw!r}: expected a positive whole number")
    return value


def parse_hosts(raw: str) -> tuple[str, ...]:
    """``"localhost, erp.example.com"`` -> ``("localhost", "erp.example.com")``."""
    hosts = tuple(normal_host(h) for h in raw.split(",") if h.strip())
    if not hosts:
        raise ValueError(f"{ENV['allowed_hosts']}={raw!r}: name at least one host")
    return hosts


def normal_host(name: str) -> str:
    """Lower case, IPv6 in brackets: ``::1`` and ``[::1]`` are the same host."""
    name = name.strip().lower().rstrip(".")
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return name


def host_of(header: str) -> str:
    """The host name of a Host header value, without the port."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[: end + 1] if end > 0 else ""
    return header.rsplit(":", 1)[0].rstrip(".") if header else ""


def host_allowed(header: str, allowed: tuple[str, ...]) -> bool:
    host = host_of(header)
    if not host:
        return False
    for pattern in allowed:
        if pattern == "*" or pattern == host:
            return True
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
    return False


# -- ASGI middleware -----------------------------------------------------------

Scope = dict[str, Any]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _refuse(scope: Scope, send: Any, status: int, message: str) -> None:
    """An HTTP error response, or (WebSocket, before accept) a close: 1008, policy."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": message[:120]})
        return
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class HostAllowList:
    def __init__(self, app: Any, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = tuple(normal_host(h) for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            host = _header(scope, b"host") or ""
            if not host_allowed(host, self.allowed):
                await _refuse(scope, send, 400,
                              f"Host {host_of(host) or '(none)'!r} is not allowed; the server "
                              f"answers to {', '.join(self.allowed)} (FACTORYLEDGER_ALLOWED_HOSTS)")
                return
        await self.app(scope, receive, send)


class BodySizeLimit:
    def __init__(self, app: Any, max_body_bytes: int) -> None:
        self.app = app
        self.max = max_body_bytes

    def _too_large(self) -> str:
        return f"request body too large: the limit is {self.max} bytes"

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await _refuse(scope, send, 400, f"bad Content-Length {declared[:40]!r}")
                return
            if length > self.max:
                await _refuse(scope, send, 413, self._too_large())
                return
        # Read the body here, stopping as soon as it passes the cap (chunked
        # bodies declare no length), then hand it to the app in one message.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max:
                await _refuse(scope, send, 413, self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), send)


def _replay(messages: list[dict[str, Any]], receive: Any) -> Any:
    pending = list(messages)

    async def replayed() -> dict[str, Any]:
        return pending.pop(0) if pending else await receive()

    return replayed


# -- GraphQL --------------------------------------------------------------------

def limits_of(context: Any) -> Limits:
    """The limits of the app serving this operation (the environment's otherwise)."""
    request = getattr(context, "request", None)
    app = getattr(request, "app", None) if request is not None else None
    limits = getattr(getattr(app, "state", None), "limits", None)
    return limits if isinstance(limits, Limits) else default_limits()


@lru_cache(maxsize=1)
def default_limits() -> Limits:
    return Limits.from_env()


@lru_cache(maxsize=16)
def _rules(max_aliases: int, max_depth: int) -> tuple[type[ValidationRule], ...]:
    return alias_validator(max_aliases), depth_validator(max_depth, None)


# Documents that passed validation, by query text and the limits they were
# checked against (LRU, bounded: unique query texts cannot grow it). The same
# few operations arrive over and over (a terminal's scan, the flow's
# mutations) and graphql-core's ~30 rules cost about a third of a small
# mutation's server time; the cost limit depends on the variables (``first``)
# and is checked on every request.
VALIDATED_MAX = 512
_validated: OrderedDict[tuple[Any, ...], bool] = OrderedDict()
_validated_lock = threading.Lock()


class GraphQLLimits(SchemaExtension):
    """Token, alias, depth and cost limits, from ``limits_of(context)``; a
    document already found valid is not validated again (``_validated``)."""

    def on_operation(self) -> Iterator[None]:
        ec = self.execution_context
        limits = limits_of(ec.context)
        # Stop the parser after max_tokens tokens: the alias flood never becomes an AST.
        ec.parse_options["max_tokens"] = limits.max_tokens
        ec.validation_rules = (*ec.validation_rules, *_rules(limits.max_aliases, limits.max_depth))
        yield

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        limits = limits_of(ec.context)
        key = (ec.query, id(ec.schema), ec.validation_rules)
        with _validated_lock:
            known = key in _validated and ec.query is not None
            if known:
                _validated.move_to_end(key)
        errors: list[GraphQLError] = []
        if not known:
            errors = validate_document(ec.schema._schema, ec.graphql_document,
                                       ec.validation_rules)
            if not errors and ec.query is not None:
                with _validated_lock:
                    _validated[key] = True
                    while len(_validated) > VALIDATED_MAX:
                        _validated.popitem(last=False)
        if not errors:
            errors = cost_errors(ec.schema._schema, ec.graphql_document, ec.variables or {},
                                 limits.max_cost)
        ec.pre_execution_errors = errors
        yield


def cost_errors(schema: GraphQLSchema, document: Any, variables: Mapping[str, Any],
                max_cost: int) -> list[GraphQLError]:
    """An error for each operation estimated above ``max_cost``."""
    try:
        costs = operation_costs(schema, document, variables)
    except RecursionError:  # the depth and fragment-cycle rules name the fault
        return []
    return [GraphQLError(
        f"'{name}' is too costly: estimated cost {cost}, the limit is "
        f"{max_cost} (each object or list field 1, each report such as "
        f"trialBalance or schedule {HEAVY_WEIGHT}, times the page size "
        "`first` it is listed in); ask for less, or in several requests")
        for name, cost in costs.items() if cost > max_cost]


def operation_costs(schema: GraphQLSchema, document: Any,
                    variables: Mapping[str, Any]) -> dict[str, int]:
    """Estimated cost of each operation in the document (see ``selection_cost``)."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    roots = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
             OperationType.SUBSCRIPTION: schema.subscription_type}
    costs: dict[str, int] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = roots.get(definition.operation)
        if root is None:
            continue
        name = definition.name.value if definition.name else "anonymous"
        defaults = {v.variable.name.value: getattr(v.default_value, "value", None)
                    for v in definition.variable_definitions or ()}
        values = {**defaults, **variables}
        costs[name] = selection_cost(schema, root, definition.selection_set, fragments, values,
                                     frozenset())
    return costs


def selection_cost(schema: GraphQLSchema, parent: Any, selection_set: SelectionSetNode | None,
                   fragments: Mapping[str, FragmentDefinitionNode],
                   variables: Mapping[str, Any], seen: frozenset[str]) -> int:
    """Rows asked for, roughly: each object or list field costs 1 (a heavy
    read ``HEAVY_WEIGHT``) plus its selections' cost times its ``first`` when
    it is a page (a scalar costs nothing: it comes with its row).
    Introspection (``__…``) and unknown fields cost nothing here: the token
    and alias limits bound the first, the schema's own rules refuse the other."""
    if selection_set is None:
        return 0
    total = 0
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            name = node.name.value
            if name.startswith("__"):
                continue
            definition = _field(parent, name)
            if definition is None:
                continue
            inner = selection_cost(schema, get_named_type(definition.type), node.selection_set,
                                   fragments, variables, seen)
            if name in HEAVY_FIELDS:
                weight = HEAVY_WEIGHT
            else:
                weight = 1 if node.selection_set is not None else 0
            total += weight + _page_size(node, definition, variables) * inner
        elif isinstance(node, InlineFragmentNode):
            typed = schema.get_type(node.type_condition.name.value) if node.type_condition else None
            total += selection_cost(schema, typed or parent, node.selection_set, fragments,
                                    variables, seen)
        elif isinstance(node, FragmentSpreadNode):
            name = node.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                continue
            typed = schema.get_type(fragment.type_condition.name.value)
            total += selection_cost(schema, typed or parent, fragment.selection_set, fragments,
                                    variables, seen | {name})
    return total


def _field(parent: Any, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None  # a union: only its members' fields (inline fragments) cost


def _page_size(node: FieldNode, definition: GraphQLField, variables: Mapping[str, Any]) -> int:
    """The ``first`` a page field is asked for (literal, variable or default); 1 otherwise."""
    arg = definition.args.get("first")
    if arg is None:
        return 1
    value: Any = arg.default_value
    for given in node.arguments or ():
        if given.name.value != "first":
            continue
        if isinstance(given.value, IntValueNode):
            value = given.value.value
        elif isinstance(given.value, VariableNode):
            value = variables.get(given.value.name.value, value)
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1
