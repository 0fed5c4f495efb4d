"""Typed errors: the expected failures, part of every mutation's result union.

``from_domain`` is the one place where a domain exception becomes a GraphQL
error type. Anything unexpected stays a top-level GraphQL error and is masked
(``should_mask``), so no traceback, SQL or internal detail reaches a client.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.exceptions import StrawberryInputCoercionError

from domain import errors as domain


@strawberry.interface(description="An expected failure, with a human message.")
class Error:
    message: str


@strawberry.type(description="The input is malformed; `field` is the path of the bad input "
                 "field, e.g. `lines.0.debit`.")
class ValidationError(Error):
    field: str


@strawberry.type(description="A referenced thing does not exist.")
class NotFound(Error):
    kind: str
    key: str


@strawberry.type(description="Lost a race for the same records, or an idempotency key was "
                 "reused with a different request.")
class Conflict(Error):
    pass


@strawberry.type(description="A well-formed request the business rules refuse; `code` is "
                 "stable, e.g. ENTRY_UNBALANCED, PERIOD_CLOSED, ACCOUNT_NOT_LEAF.")
class BusinessRuleViolation(Error):
    code: str


@strawberry.type(description="The caller may not run this command.")
class PermissionDenied(Error):
    pass


ERROR_TYPES = (ValidationError, NotFound, Conflict, BusinessRuleViolation, PermissionDenied)

AnyError = ValidationError | NotFound | Conflict | BusinessRuleViolation | PermissionDenied


def from_domain(exc: domain.DomainError) -> AnyError:
    """The GraphQL error type for a domain exception."""
    if isinstance(exc, domain.ValidationError):
        return ValidationError(message=exc.message, field=exc.field)
    if isinstance(exc, domain.NotFound):
        return NotFound(message=exc.message, kind=exc.kind, key=exc.key)
    if isinstance(exc, domain.Conflict):
        return Conflict(message=exc.message)
    if isinstance(exc, domain.BusinessRuleViolation):
        return BusinessRuleViolation(message=exc.message, code=exc.code)
    if isinstance(exc, domain.PermissionDenied):
        return PermissionDenied(message=exc.message)
    raise TypeError(f"no GraphQL error type for {type(exc).__name__}")


class QueryError(GraphQLError):
    """A top-level error whose message is safe to show (not masked)."""

    def __init__(self, message: str, type_: str, **extensions: str) -> None:
        super().__init__(message, extensions={"type": type_, **extensions})


def query_error(exc: domain.DomainError) -> QueryError:
    """A domain exception raised while answering a query, as a top-level error."""
    typed = from_domain(exc)
    extra = {k: v for k, v in vars(typed).items() if k != "message" and isinstance(v, str)}
    return QueryError(exc.message, type(typed).__name__, **extra)


SAFE = (GraphQLError, StrawberryInputCoercionError, domain.DomainError)


def should_mask(error: GraphQLError) -> bool:
    """Mask errors caused by unexpected exceptions; keep GraphQL's own
    (syntax, validation, input coercion) and the ones raised on purpose."""
    original = error.original_error
    return original is not None and not isinstance(original, SAFE)
