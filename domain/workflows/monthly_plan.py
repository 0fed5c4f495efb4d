"""Split a monthly plan into daily work orders (月度计划拆解为每日工单).

Load the item's routing in force on the first day the split may use (the
company's today, or the first of a later month), pick the bottleneck (the
routing's work center whose calendar holds the fewest units of the item over
those days, unless one is named), split the quantity by its units' free hours
per day around the work already loaded on it (domain/planning/monthly.py),
on its calendar (shifts and machines, the company's and its own holidays and
working days: domain/planning/working_days.py), and create one work order
per daily order, all in one save with the plan's record (``MonthlyPlan``:
each daily order's day and work order, so the scheduler does not start a
daily order before its day).

What is already loaded comes from the read models through the read port
(``PlanningInputs.work_center_load``: open work orders' remaining hours at
each work center, by due date), read at the log position the command read.

In the application layer (``domain/workflows``), not in planning: it reads
the catalog's routing and work centers and creates production's work orders.
``split_monthly_plan`` is the command handler, ``monthly_plan`` the reader
that only shows the split; ``plan_month`` is the one entry point GraphQL
uses for both (a dry run answers with an ``Outcome`` like any command).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from domain.access import check_allowed
from domain.catalog import lookups
from domain.catalog.engineering import Operation
from domain.catalog.lookups import work_center
from domain.commands import CommandContext, Outcome, recorded_as
from domain.errors import BusinessRuleViolation, ValidationError
from domain.planning import monthly
from domain.planning.lookups import center_calendar
from domain.planning.runs import MonthlyPlan
from domain.planning.working_days import CenterCalendar
from domain.production.lookups import new_work_order, routing
from domain.unit_of_work import UnitOfWork
from domain.workflows.ports import PlanningInputs

ZERO = Decimal("0")
# work center -> day -> hours of each open work order due that day, in number order
Loads = Mapping[str, Mapping[date, Sequence[Decimal]]]


@dataclass(frozen=True)
class MonthlyPlanResult:
    item: str
    month: str
    work_center: str  # the bottleneck the split was made by
    days: tuple  # (day ISO, qty, bottleneck hours, work order number or "") per daily order
    shortfall: str  # what the month cannot fit
    plan: str = ""  # the recorded plan (MP-000001); "" when only shown

    def daily(self) -> list[tuple[date, Decimal, Decimal, str]]:
        return [(date.fromisoformat(d), Decimal(q), Decimal(h), wo) for d, q, h, wo in self.days]


def plan_month(app, inputs: PlanningInputs, item: str, qty: Any, month: str,
               work_center: str | None = None, create: bool = True,
               ctx: CommandContext = CommandContext()) -> Outcome:
    """splitMonthlyPlan: the daily work orders for ``qty`` of ``item`` in
    ``month`` (``create=False``: only the split, nothing recorded), around
    the load the read models show at the log position read here."""
    check_allowed("split_monthly_plan", ctx.roles)  # before reading anything
    first = monthly.month_days(month)
    position = app.log_position()
    loads = inputs.work_center_load(first[0], first[-1], position)
    if create:
        return app.split_monthly_plan(item, qty, month, work_center, loads, ctx=ctx)
    return Outcome(app.monthly_plan(item, qty, month, work_center, loads), position)


# The loads say where to look, not what to do: a retry that finds its own work
# orders in the read models is still the same request.
@recorded_as(payload=lambda item, qty, month, work_center, loads: (
    item, qty, month, work_center or ""))
def split_monthly_plan(uow: UnitOfWork, item: str, qty: Any, month: str,
                       work_center: str | None = None,
                       loads: Loads | None = None) -> MonthlyPlanResult:
    """Daily work orders for ``qty`` of ``item`` in ``month``, in one save."""
    return _split(uow, item, qty, month, work_center, loads or {}, create=True)


def monthly_plan(uow: UnitOfWork, item: str, qty: Any, month: str,
                 work_center: str | None = None,
                 loads: Loads | None = None) -> MonthlyPlanResult:
    """The split ``split_monthly_plan`` would make, without its work orders."""
    return _split(uow, item, qty, month, work_center, loads or {}, create=False)


def _split(uow: UnitOfWork, item: str, qty: Any, month: str, work_center_code: str | None,
           loads: Loads, create: bool) -> MonthlyPlanResult:
    product = lookups.item(uow, item)
    days = _days_left(uow, month)
    ops = routing(uow, product.code).in_force(days[0]).operations
    centers = {o.work_center: center_calendar(uow, work_center(uow, o.work_center).spec)
               for o in ops}
    code = _bottleneck(product.code, ops, centers, work_center_code, days)
    at = [o for o in ops if o.work_center == code]
    split = monthly.split_monthly_plan(
        product.code, qty, month, centers[code],
        sum((o.run_hours_per_unit for o in at), ZERO),
        sum((o.setup_hours for o in at), ZERO),
        already_loaded=loads.get(code, {}), start=days[0])
    orders, plan = split.days, ""
    if create:
        orders = [replace(d, work_order=new_work_order(uow, product.code, d.qty, d.day,
                                                       d.day).number) for d in orders]
        plan = uow.number("MP")
        uow.add(MonthlyPlan(plan, product.code, month, split.planned + split.shortfall, code,
                            tuple(orders), split.shortfall))
    out = tuple((d.day.isoformat(), str(d.qty), str(d.hours), d.work_order) for d in orders)
    return MonthlyPlanResult(product.code, month, code, out, str(split.shortfall), plan)


def _days_left(uow: UnitOfWork, month: str) -> list[date]:
    """The month's days from the company's today on (none in the past)."""
    today = uow.today()
    days = [d for d in monthly.month_days(month) if d >= today]
    if not days:
        raise BusinessRuleViolation(
            "MONTH_OVER", f"month {month} is over (the company's today is {today}): a split "
            "plans from today on")
    return days


def _bottleneck(item: str, ops: Sequence[Operation], centers: dict[str, CenterCalendar],
                named: str | None, days: Sequence[date]) -> str:
    """The named work center (on the routing), else the one whose calendar
    holds the fewest units over ``days`` (``monthly.bottleneck``)."""
    if named:
        code = named.strip().upper()
        if code not in centers:
            raise ValidationError(f"routing of {item} has no operation at {code}", "workCenter")
        return code
    run = {c: sum((o.run_hours_per_unit for o in ops if o.work_center == c), ZERO)
           for c in centers}
    return monthly.bottleneck(run, centers, days)


HANDLERS = (split_monthly_plan,)
READERS = (monthly_plan,)
