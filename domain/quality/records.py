"""What quality remembers to react on: each supplier's incoming lots (the
supplier quality alert and flag) and each item's lots and losses (low-yield
alerts, the recommended scrap factor for planning)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.transcodings import transcoded

ZERO_QTY = Decimal("0.000000")
KEEP = 100  # lots remembered per key (enough for any window a policy may ask)
RATIO = Decimal("0.0001")


def ratio(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole to 4 places, half up (1 when there is no whole)."""
    if whole <= 0:
        return Decimal("1.0000")
    return (part / whole).quantize(RATIO, rounding=ROUND_HALF_UP)


# -- suppliers ---------------------------------------------------------------------------------
def supplier_quality_id(supplier: str) -> uuid.UUID:
    return derived_id("supplier-quality", supplier)


class SupplierQuality(Aggregate):
    """The verdicts of a supplier's incoming lots, and whether it is flagged."""

    @event("Started")
    def __init__(self, supplier: str):
        self.supplier = supplier
        self.verdicts: list[bool] = []  # computed verdicts, oldest first: True = accepted
        self.flagged = False

    @classmethod
    def create_id(cls, supplier: str) -> uuid.UUID:
        return supplier_quality_id(supplier)

    def rate(self, window: int) -> Decimal:
        """Lots accepted of the last ``window`` lots inspected."""
        last = self.verdicts[-window:]
        return ratio(Decimal(sum(last)), Decimal(len(last)))

    def judge(self, lot: str, item: str, qty: Decimal, rejected: Decimal, accepted: bool,
              day: date, threshold: Decimal, window: int, min_lots: int) -> None:
        """Count a lot's computed verdict; flag the supplier when its rate falls
        below the threshold (from ``min_lots`` lots on), clear it when it recovers."""
        self._judged(self.supplier, lot, item, qty, rejected, accepted, day)
        if len(self.verdicts) < min_lots:
            return
        rate = self.rate(window)
        lots = min(window, len(self.verdicts))
        if rate < threshold and not self.flagged:
            self._flagged(self.supplier, rate, threshold, lots, day)
        elif rate >= threshold and self.flagged:
            self._cleared(self.supplier, rate, threshold, lots, day)

    @event("LotJudged")
    def _judged(self, supplier: str, lot: str, item: str, qty: Decimal, rejected: Decimal,
                accepted: bool, day: date) -> None:
        self.verdicts = [*self.verdicts[-(KEEP - 1):], accepted]

    @event("Flagged")
    def _flagged(self, supplier: str, rate: Decimal, threshold: Decimal, lots: int,
                 day: date) -> None:
        self.flagged = True

    @event("Cleared")
    def _cleared(self, supplier: str, rate: Decimal, threshold: Decimal, lots: int,
                 day: date) -> None:
        self.flagged = False


# -- yields ------------------------------------------------------------------------------------
@transcoded("LotYield")
@dataclass(frozen=True)
class LotYield:
    """An inspected lot (first inspection only) and the units it finally lost
    (scrapped or returned)."""

    lot: str
    qty: Decimal
    lost: Decimal = ZERO_QTY


def yield_record_id(item: str) -> uuid.UUID:
    return derived_id("yield-record", item)


class YieldRecord(Aggregate):
    """An item's inspected lots by stage and operation ("final", "incoming",
    "in_process:OP10"), for its observed yield."""

    @event("Started")
    def __init__(self, item: str):
        self.item = item
        self.lots: dict[str, list[LotYield]] = {}

    @classmethod
    def create_id(cls, item: str) -> uuid.UUID:
        return yield_record_id(item)

    def inspected(self, key: str, lot: str, qty: Decimal, accepted: Decimal,
                  threshold: Decimal, day: date) -> None:
        """A lot's first decision; a first-pass yield below ``threshold`` is an alert."""
        self._inspected(self.item, key, lot, qty, accepted, day)
        first_pass = ratio(accepted, qty)
        if first_pass < threshold:
            self._low_yield(self.item, key, lot, first_pass, threshold, day)

    @event("LotInspected")
    def _inspected(self, item: str, key: str, lot: str, qty: Decimal, accepted: Decimal,
                   day: date) -> None:
        self.lots[key] = [*self.lots.get(key, [])[-(KEEP - 1):], LotYield(lot, qty)]

    @event("LowYieldFound")
    def _low_yield(self, item: str, key: str, lot: str, first_pass: Decimal,
                   threshold: Decimal, day: date) -> None:
        pass

    def lose(self, key: str, lot: str, qty: Decimal, ncr: str, day: date) -> None:
        """Units of a lot scrapped or returned (by its nonconformance)."""
        if any(y.lot == lot for y in self.lots.get(key, ())):
            self._lost(self.item, key, lot, qty, ncr, day)

    @event("UnitsLost")
    def _lost(self, item: str, key: str, lot: str, qty: Decimal, ncr: str, day: date) -> None:
        self.lots[key] = [LotYield(y.lot, y.qty, y.lost + qty) if y.lot == lot else y
                          for y in self.lots[key]]

    def observed_yield(self, lots: int) -> tuple[Decimal, int]:
        """(yield, lots counted): the product over stages and operations of
        1 - lost / inspected over each one's last ``lots`` lots."""
        result, counted = Decimal(1), 0
        for key in sorted(self.lots):
            last = self.lots[key][-lots:]
            qty = sum((y.qty for y in last), ZERO_QTY)
            lost = sum((y.lost for y in last), ZERO_QTY)
            result *= 1 - ratio(lost, qty)
            counted += len(last)
        return result.quantize(RATIO, rounding=ROUND_HALF_UP), counted

    def apply(self, scrap_factor: Decimal, previous: Decimal, observed: Decimal, lots: int,
              day: date) -> None:
        self._applied(self.item, scrap_factor, previous, observed, lots, day)

    @event("RecommendationApplied")
    def _applied(self, item: str, scrap_factor: Decimal, previous: Decimal,
                 observed: Decimal, lots: int, day: date) -> None:
        pass


def recommended_scrap_factor(observed_yield: Decimal) -> Decimal:
    """MRP grosses a planned order up by 1 / (1 - scrap factor): the factor
    that plans exactly the observed yield is 1 - yield (kept below 1)."""
    return min(Decimal(1) - observed_yield, Decimal("0.9999")).quantize(RATIO)
