"""Planning's command handlers: forecasts and recording MRP runs (firming a
planned order crosses into production and purchasing: ``domain/workflows/
mrp.py``).

MRP itself is a pure function (domain/planning/mrp.py) over a snapshot the
caller builds from the read models (projections/planning_snapshot.py); the
run is recorded as one event with the snapshot's fingerprint and the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.catalog import lookups
from domain.catalog.engineering import work_center_id
from domain.catalog.items import check_item_code
from domain.commands import recorded_as
from domain.errors import NotFound, ValidationError
from domain.money import parse_quantity
from domain.planning.model import Snapshot
from domain.planning.mrp import plan
from domain.planning.runs import Forecast, MrpRun, forecast_id, mrp_run_id, snapshot_fingerprint
from domain.planning.settings import PLANNING_SETTINGS_ID, PlanningPolicy, PlanningSettings
from domain.planning.working_days import COMPANY, WorkingCalendar, calendar_id, check_year
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class CodeResult:
    code: str


@dataclass(frozen=True)
class MrpRunResult:
    number: str
    planned: int
    exceptions: int


def set_forecast(uow: UnitOfWork, item: str, day: date, qty: Any) -> CodeResult:
    """Set a forecast / master-schedule line (0 removes it from planning)."""
    product = lookups.item(uow, item)
    quantity = parse_quantity(qty, "qty", allow_zero=True)
    if not isinstance(day, date):
        raise ValidationError("date is required", "date")
    line = uow.get(forecast_id(product.code, day),
                   factory=lambda: Forecast(product.code, day, quantity))
    if not line.pending_events:  # it existed: change it
        line.change(quantity)
    return CodeResult(product.code)


@recorded_as(payload=lambda snapshot: snapshot_fingerprint(snapshot))
def run_mrp(uow: UnitOfWork, snapshot: Snapshot) -> MrpRunResult:
    """Plan over the snapshot and record the run (fingerprint and outputs)."""
    number = uow.number("MRP")
    result = plan(snapshot, number)
    uow.add(MrpRun(
        number=number,
        today=snapshot.today,
        fingerprint=snapshot_fingerprint(snapshot),
        planned=result.planned,
        exceptions=result.exceptions,
        receipts=result.receipts,
    ))
    return MrpRunResult(number, len(result.planned), len(result.exceptions))


def set_planning_settings(uow: UnitOfWork, expedite_horizon_days: int) -> PlanningPolicy:
    """The company's planning settings (the expedite horizon, in days)."""
    policy = PlanningPolicy(expedite_horizon_days).checked()
    settings = uow.get(PLANNING_SETTINGS_ID, factory=lambda: PlanningSettings(policy))
    if not settings.pending_events:  # it existed: change it
        settings.change(policy)
    return policy


def planning_settings(uow: UnitOfWork) -> PlanningPolicy:
    """The company's planning settings (the defaults until it saves some)."""
    if not uow.exists(PLANNING_SETTINGS_ID):
        return PlanningPolicy()
    return uow.peek(PLANNING_SETTINGS_ID).policy


@dataclass(frozen=True)
class CalendarResult:
    scope: str  # "" for the company, else the work center
    year: int


def set_working_calendar(uow: UnitOfWork, year: int, holidays: Sequence[date],
                         working_days: Sequence[date],
                         work_center: str | None = None) -> CalendarResult:
    """The holidays and (make-up) working days of ``year`` for the company, or
    for ``work_center``; they replace what that year had."""
    scope = COMPANY
    if work_center:
        scope = check_item_code(work_center, "workCenter")
        uow.peek(work_center_id(scope), NotFound(f"work center {scope} does not exist",
                                                 "WorkCenter", scope))
    off, on = check_year(year, holidays, working_days)
    calendar = uow.get(calendar_id(scope), factory=lambda: WorkingCalendar(scope))
    calendar.set_year(scope, year, off, on)
    return CalendarResult(scope, year)


def mrp_run(uow: UnitOfWork, number: str) -> MrpRun:
    """A recorded run, to read."""
    return uow.peek(mrp_run_id(number),
                    NotFound(f"MRP run {number} does not exist", "MrpRun", number))


HANDLERS = (set_forecast, run_mrp, set_planning_settings, set_working_calendar)
READERS = (mrp_run, planning_settings)
