"""What the mutation modules share: the result union and the read-back."""

from __future__ import annotations

from typing import Annotated, TypeVar, Union

import strawberry
from sqlalchemy import Connection

from api.graphql.errors import ERROR_TYPES
from projections import ledger_queries as q

T = TypeVar("T")


def result_union(name: str, success: type) -> object:
    """``success | ValidationError | NotFound | Conflict | ...`` named ``name``."""
    return Annotated[Union[(success, *ERROR_TYPES)], strawberry.union(name)]  # noqa: UP007


class ReadModelMissing(RuntimeError):
    """The read models lack a row the command's settled position promises."""


def found(value: T | None, what: str) -> T:
    if value is None:
        raise ReadModelMissing(f"{what} is missing from the read models")
    return value


def account_view(conn: Connection, code: str) -> q.AccountView:
    return found(q.account(conn, code), f"account {code}")


def period_view(conn: Connection, period: str) -> q.PeriodView:
    return found(next((p for p in q.periods(conn) if p.period == period), None),
                 f"period {period}")


def entry_view(conn: Connection, entry_id: str) -> q.EntryView:
    return found(q.journal_entry(conn, entry_id), f"journal entry {entry_id}")
