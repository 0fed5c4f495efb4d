"""Nonconformance reports (不合格品评审单, NCR) and their dispositions.

A rejected quantity opens an NCR naming its origin (supplier receipt,
operation, final), its defects and where the units wait. Dispositions may
split the quantity; each is recorded with what it posted:

- return to supplier (退货): incoming units only, out of stock at their
  receipt value (reducing 220202, or a debit note against 220201 when the
  receipt was already invoiced);
- scrap (报废): purchased material through 1901 to 5711 or 4101 (company
  setting); work in process and finished goods by production's
  abnormal-scrap rule (5711, or the cost stays with the good units);
- rework (返工): hours costed like an operation's, the units inspected again
  (a new inspection lot);
- use as is (让步接收): an approver and a reason; the units are released.

The disposed quantity never exceeds the rejected quantity still open.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.quality.findings import DefectCount
from domain.quality.inspections import LotSource
from domain.quality.plans import Stage
from domain.transcodings import transcoded

ZERO_QTY = Decimal("0.000000")
ZERO = Decimal("0.00")
PREFIX = "NCR"


@transcoded("DispositionKind")
class DispositionKind(Enum):
    RETURN_TO_SUPPLIER = "return_to_supplier"
    SCRAP = "scrap"
    REWORK = "rework"
    USE_AS_IS = "use_as_is"


@transcoded("Disposition")
@dataclass(frozen=True)
class Disposition:
    seq: int
    kind: DispositionKind
    qty: Decimal
    day: date
    cost: Decimal = ZERO  # what it cost: scrap value written off, rework hours
    document: str = ""  # the stock document (RS, AJ, TR) or debit note it made
    entry_id: str = ""  # its voucher ("" when it posts none)
    approver: str = ""
    reason: str = ""
    reinspection: str = ""  # rework: the inspection lot of the reworked units


def ncr_id(number: str) -> uuid.UUID:
    return derived_id("nonconformance", number)


class Nonconformance(Aggregate):
    @event("Opened")
    def __init__(self, number: str, origin: Stage, inspection_lot: str, item: str,
                 qty: Decimal, warehouse: str, location: str, lot: str, source: LotSource,
                 defects: tuple[DefectCount, ...], description: str, opened_on: date):
        self.number = number
        self.origin = origin
        self.inspection_lot = inspection_lot
        self.item = item
        self.qty = qty
        self.warehouse = warehouse
        self.location = location  # where the units go when released (they wait in QC)
        self.lot = lot
        self.source = source
        self.defects = tuple(defects)
        self.description = description
        self.opened_on = opened_on
        self.dispositions: list[Disposition] = []

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return ncr_id(number)

    @property
    def disposed(self) -> Decimal:
        return sum((d.qty for d in self.dispositions), ZERO_QTY)

    @property
    def open_qty(self) -> Decimal:
        return self.qty - self.disposed

    @property
    def returned(self) -> Decimal:
        return sum((d.qty for d in self.dispositions
                    if d.kind is DispositionKind.RETURN_TO_SUPPLIER), ZERO_QTY)

    def check_disposition(self, kind: DispositionKind, qty: Decimal, approver: str,
                          reason: str) -> None:
        """Refuse what this report cannot take: more than is open, a return of
        units no supplier sent, a concession without approver and reason."""
        if self.open_qty <= 0:
            raise BusinessRuleViolation(
                "NCR_CLOSED", f"{self.number} has nothing left to dispose of")
        if qty > self.open_qty:
            raise BusinessRuleViolation(
                "DISPOSITION_EXCEEDS_REJECTED",
                f"{self.number}: {qty.normalize():f} exceeds the "
                f"{self.open_qty.normalize():f} rejected and not yet disposed of")
        if kind is DispositionKind.RETURN_TO_SUPPLIER and self.origin is not Stage.INCOMING:
            raise BusinessRuleViolation(
                "NOT_FROM_A_SUPPLIER",
                f"{self.number} is from {self.origin.value} inspection; only received "
                "goods go back to a supplier")
        if kind is DispositionKind.REWORK and self.origin is Stage.INCOMING:
            raise BusinessRuleViolation(
                "REWORK_NEEDS_PRODUCTION",
                f"{self.number}: purchased goods are returned, scrapped or used as is")
        if kind is DispositionKind.USE_AS_IS:
            if not approver.strip():
                raise ValidationError("a concession (use as is) needs an approver",
                                      "approver")
            if not reason.strip():
                raise ValidationError("a concession (use as is) needs a reason", "reason")

    def dispose(self, disposition: Disposition) -> None:
        self.check_disposition(disposition.kind, disposition.qty, disposition.approver,
                               disposition.reason)
        self._disposed(self.number, self.item, disposition)

    @event("Disposed")
    def _disposed(self, number: str, item: str, disposition: Disposition) -> None:
        self.dispositions.append(disposition)
