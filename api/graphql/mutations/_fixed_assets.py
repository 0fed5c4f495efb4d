"""What the fixed-asset mutation modules share: the read-back of an asset and
of the voucher a command posted, and the payload around them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection

from api.graphql.fixed_asset_types import FixedAsset
from api.graphql.mutations._common import entry_view, found
from api.graphql.types import JournalEntry
from projections import fixed_asset_queries as fq

S = TypeVar("S")


def asset_of(conn: Connection, code: str) -> FixedAsset:
    views = fq.register(conn, None, True, code)
    return FixedAsset.from_view(found(views[0] if views else None, f"fixed asset {code}"))


def entry_of(conn: Connection, entry_id: str) -> JournalEntry | None:
    return JournalEntry.from_view(entry_view(conn, entry_id)) if entry_id else None


def posted(success: type[S], conn: Connection, out: Any, *figures: str, **fields: Any) -> S:
    """A fixed-asset command's payload: the named ``figures`` of its result
    (strings) as Decimals, ``fields`` as given, the voucher it posted and where
    it stands in the log."""
    v = out.value
    return success(**{f: Decimal(getattr(v, f)) for f in figures}, **fields,
                   entry=entry_of(conn, v.entry_id), log_position=out.position,
                   replayed=out.replayed)
