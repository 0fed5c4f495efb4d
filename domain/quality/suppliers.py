"""The approved supplier list (合格供方名录): per item, the suppliers quality
has approved to deliver it, in order of preference.

Quality owns it: approving a supplier for an item is a quality decision
(first-article inspection, a process audit, the supplier's incoming record)
that ISO 9001 8.4 and IATF 16949 give the quality function, and the same
context's supplier record flags the suppliers whose incoming lots fall below
the company's threshold. Planning reads both from the read models: a planned
purchase proposes the first approved supplier that is not flagged
(``domain/planning/mrp.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import ValidationError

MAX_SUPPLIERS = 20


def approved_suppliers_id(item: str) -> uuid.UUID:
    return derived_id("approved-suppliers", item)


def check_supplier_codes(codes: Sequence[str]) -> tuple[str, ...]:
    """Upper-case codes, in order, each once, at most ``MAX_SUPPLIERS`` (pure)."""
    if isinstance(codes, str):
        raise ValidationError("suppliers: a list of supplier codes", "suppliers")
    out = tuple((c or "").strip().upper() for c in codes)
    if len(out) > MAX_SUPPLIERS:
        raise ValidationError(f"suppliers: at most {MAX_SUPPLIERS}", "suppliers")
    for i, c in enumerate(out):
        if not c:
            raise ValidationError(f"suppliers.{i}: a supplier code is required", f"suppliers.{i}")
        if c in out[:i]:
            raise ValidationError(f"suppliers.{i}: {c} is listed twice", f"suppliers.{i}")
    return out


class ApprovedSuppliers(Aggregate):
    """One item's approved suppliers, the preferred first."""

    @event("Started")
    def __init__(self, item: str):
        self.item = item
        self.suppliers: tuple[str, ...] = ()

    @classmethod
    def create_id(cls, item: str) -> uuid.UUID:
        return approved_suppliers_id(item)

    def approve(self, suppliers: tuple[str, ...], day: date) -> None:
        """List ``suppliers`` (checked) as the item's approved ones, in this
        order; none when the list is the one already approved."""
        if tuple(suppliers) != self.suppliers:
            self._listed(self.item, tuple(suppliers), day)

    @event("Listed")
    def _listed(self, item: str, suppliers: tuple[str, ...], day: date) -> None:
        self.suppliers = tuple(suppliers)
