"""The snapshot planning reads and what it produces (plain frozen values).

Built from the read models by ``projections/planning_snapshot.py``; the
algorithms in this package never touch a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from domain.errors import BusinessRuleViolation
from domain.transcodings import transcoded

ZERO = Decimal("0")
DEFAULT_EXPEDITE_HORIZON_DAYS = 14
MAX_DAYS_OFF = 366  # a calendar with a longer run of days off is not looked through


@dataclass(frozen=True)
class Component:
    item: str
    qty_per: Decimal
    scrap_allowance: Decimal = ZERO  # extra consumed per parent, e.g. 0.02


@dataclass(frozen=True)
class PlanItem:
    code: str
    make: bool  # has a BOM in force (make) or is bought
    lead_time_days: int = 0  # working days
    lot_size_rule: str = "lot_for_lot"  # lot_for_lot | fixed | min_multiple
    lot_size: Decimal = ZERO  # the fixed lot, or the minimum
    lot_multiple: Decimal = ZERO
    safety_stock: Decimal = ZERO
    yield_factor: Decimal = Decimal("1")  # good out / started; 1 - scrap factor
    components: tuple[Component, ...] = ()


@dataclass(frozen=True)
class Demand:
    """A requirement: a sales order line, a forecast, a component of an open
    work order (dependent demand of a parent planned order is made by MRP)."""

    id: str  # e.g. "SO-000001/1", "FC:FG-KIT:2026-12", "WO-000003/2"
    item: str
    qty: Decimal
    due: date
    kind: str  # sales | forecast | work_order | planned
    top: str = ""  # the top-level order this demand serves (defaults to id)


@dataclass(frozen=True)
class Supply:
    """A scheduled receipt: an open PO line, an open work order, a firmed plan."""

    id: str  # e.g. "PO-000001/1", "WO-000002"
    item: str
    qty: Decimal
    due: date
    kind: str  # purchase | work_order


@dataclass(frozen=True)
class Calendar:
    """Company working days: Monday-Friday less holidays (and plus extra days)."""

    holidays: frozenset[date] = frozenset()
    working_weekends: frozenset[date] = frozenset()

    def is_working(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def need_day(self, day: date, today: date) -> date:
        """When something needed on ``day`` must be there: the last working day
        on or before it, but not before ``today``; when no day from today to
        ``day`` works (or ``day`` is past), the first working day from today."""
        d = day
        for _ in range(MAX_DAYS_OFF):
            if d < today:
                break
            if self.is_working(d):
                return d
            if d == today:
                break
            d -= timedelta(days=1)
        d = today
        for _ in range(MAX_DAYS_OFF):
            if self.is_working(d) or d == date.max:
                return d
            d += timedelta(days=1)
        return today

    def back(self, day: date, working_days: int) -> date:
        """``working_days`` working days before ``day`` (lead-time offsetting).

        Offsetting past 0001-01-01 (a planning day or due date at the start of
        the calendar) is a refused plan, not an arithmetic overflow."""
        start, lead = day, working_days
        try:
            while not self.is_working(day):
                day -= timedelta(days=1)
            while working_days > 0:
                day -= timedelta(days=1)
                if self.is_working(day):
                    working_days -= 1
        except OverflowError:
            raise BusinessRuleViolation(
                "PLANNING_DATE_OUT_OF_RANGE",
                f"cannot plan a release {lead} working day(s) before {start}: "
                f"the calendar starts at {date.min}; plan from a later day") from None
        return day


@dataclass(frozen=True)
class Snapshot:
    today: date
    items: dict[str, PlanItem]
    on_hand: dict[str, Decimal]  # available: not quarantined, not reserved elsewhere
    demands: tuple[Demand, ...]
    supplies: tuple[Supply, ...]
    forecasts: tuple[Demand, ...] = ()  # consumed by sales orders in the same month
    calendar: Calendar = Calendar()
    # A scheduled receipt is pulled in (expedite) only when it is due at most this many
    # days after the need; later ones are left and a new order is planned instead.
    expedite_horizon_days: int = DEFAULT_EXPEDITE_HORIZON_DAYS
    # Quality's approved suppliers per item, the preferred first, and the suppliers
    # flagged for incoming quality: a planned purchase proposes the first not flagged.
    suppliers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    flagged_suppliers: frozenset[str] = frozenset()


@transcoded("Peg")
@dataclass(frozen=True)
class Peg:
    demand: str  # the requirement served
    top: str  # its top-level order
    qty: Decimal


@transcoded("PlannedOrder")
@dataclass(frozen=True)
class PlannedOrder:
    id: str  # "PL-<run>-0001" style, stable within a run
    item: str
    kind: str  # make (planned work order) | buy (planned purchase)
    qty: Decimal
    need_date: date
    release_date: date
    pegs: tuple[Peg, ...] = ()
    level: int = 0  # low-level code of the item
    supplier: str = ""  # a planned purchase: the approved supplier proposed ("" = none)


@transcoded("PeggedReceipt")
@dataclass(frozen=True)
class PeggedReceipt:
    """A scheduled receipt (an open purchase order line or work order) and the
    requirements it serves, with their top-level orders."""

    ref: str  # "PO-000001/1", "WO-000002"
    item: str
    kind: str  # purchase | work_order
    qty: Decimal
    due: date  # when it is due
    available: date  # when MRP counts on it: the due date, or the day it is pulled in to
    pegs: tuple[Peg, ...] = ()


@transcoded("Exception_")
@dataclass(frozen=True)
class Exception_:
    """An MRP exception message (expedite, defer, cancel, past_due_release,
    beyond_horizon, suppliers_flagged)."""

    kind: str
    item: str
    ref: str  # the supply or planned order concerned
    message: str
    date: date | None = None


@dataclass(frozen=True)
class MrpResult:
    planned: tuple[PlannedOrder, ...]
    exceptions: tuple[Exception_, ...]
    low_level_codes: dict[str, int] = field(default_factory=dict)
    receipts: tuple[PeggedReceipt, ...] = ()  # the scheduled receipts, pegged
