"""Legacy; deleted when production/planning/invoicing are converted.

The supply chain's commands are plain handlers now (``domain/catalog``,
``domain/parties``, ``domain/purchasing``, ``domain/sales`` and
``domain/inventory/handlers.py``). What is left here serves only the mixins
not yet converted (production, planning, invoicing, finance, the workflows):
their per-command ``_Work``, ``numbered_first``, and the names they import
from this module, re-exported from where they live now. The helpers they
call on ``self`` (``_item``, ``_stock``, ``_record_document``…) are the
legacy section of ``domain/application.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.commands import CodeResult
from domain.inventory.documents import PREFIX, DocumentKind
from domain.inventory.recording import DocumentResult
from domain.inventory.stock import Movement
from domain.orders import MoveLineInput, OrderLineInput


@dataclass
class _Work:
    """Aggregates one command touches, each loaded once.

    A command whose stock movements are decided line by line (a shipment, a
    count, an issue…) numbers its document and chooses its journal entry's id
    at the first movement (``movement``), so every event is made complete and
    none is changed afterwards. ``posts`` says whether the document will post
    a voucher (see ``numbered_first``)."""

    app: Any
    loaded: dict[Any, Any] = field(default_factory=dict)
    posts: bool = True
    number: str = ""
    entry_id: str = ""

    def movement(self, kind: DocumentKind, line: int) -> Movement:
        if not self.number:
            self.number = self.app._number(self, PREFIX[kind])
            self.entry_id = str(uuid.uuid4()) if self.posts else ""
        return Movement(kind.value, self.number, line, self.entry_id)

    def check_posted(self, entry_id: str) -> None:
        """The movements named the entry the voucher made (or none when none)."""
        if self.number and entry_id != self.entry_id:
            raise _PostingGuessedWrong(bool(entry_id))

    def get(self, agg_id: Any, missing: Exception | None = None, factory=None):
        if agg_id not in self.loaded:
            try:
                self.loaded[agg_id] = self.app.repository.get(agg_id)
            except AggregateNotFoundError:
                if factory is None:
                    raise missing from None
                self.loaded[agg_id] = factory()
        return self.loaded[agg_id]

    def changed(self) -> list[Any]:
        return [a for a in self.loaded.values() if a.pending_events]


class _PostingGuessedWrong(Exception):
    """Movements were made naming an entry, and the voucher came out empty (or
    the other way round): decide again with the right guess."""

    def __init__(self, posts: bool) -> None:
        super().__init__(posts)
        self.posts = posts


def numbered_first(decide: Callable[[bool], Any]) -> Callable[[], Any]:
    """Run ``decide(posts)`` guessing the document posts a voucher; when the
    voucher comes out empty (a count without value, a transfer inside one
    warehouse) decide again on fresh copies, the movements naming no entry."""

    def run() -> Any:
        posts = True
        for _ in range(3):
            try:
                return decide(posts)
            except _PostingGuessedWrong as wrong:
                posts = wrong.posts
        return decide(posts)

    return run


__all__ = [
    "CodeResult",
    "DocumentResult",
    "MoveLineInput",
    "OrderLineInput",
    "numbered_first",
]
