"""Document numbers (PO-000001, GR-000001 …): gap-free per document kind.

Like voucher numbers, a number is taken in the same atomic save as the
document, so a failed save leaves no gap and two writers never share one.
"""

from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id


def sequence_id(prefix: str) -> uuid.UUID:
    return derived_id("sequence", prefix)


class DocumentSequence(Aggregate):
    @event("Started")
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.last = 0

    @classmethod
    def create_id(cls, prefix: str) -> uuid.UUID:
        return sequence_id(prefix)

    def take(self) -> str:
        self._taken(self.last + 1)
        return self.format(self.last)

    def format(self, n: int) -> str:
        return f"{self.prefix}-{n:06d}"

    @event("Taken")
    def _taken(self, number: int) -> None:
        self.last = number
