"""Split a monthly plan into daily work orders (月度计划拆解为每日工单).

Load the item's routing in force on the first day of the month, pick the
bottleneck (the routing's work center with the most run hours per unit per
parallel unit, unless one is named), split the quantity by its capacity per
day (domain/planning/monthly.py) and create one work order per day, all in
one save.

In the application layer (``domain/workflows``), not in planning: it reads
the catalog's routing and work centers and creates production's work orders.
``split_monthly_plan`` is the command handler, ``monthly_plan`` the reader
that only shows the split; ``plan_month`` is the one entry point GraphQL
uses for both (a dry run answers with an ``Outcome`` like any command).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.access import check_allowed
from domain.catalog import lookups
from domain.catalog.engineering import Operation, WorkCenterSpec
from domain.catalog.lookups import work_center
from domain.commands import CommandContext, Outcome, recorded_as
from domain.errors import ValidationError
from domain.planning import monthly
from domain.production.lookups import new_work_order, routing
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0")


@dataclass(frozen=True)
class MonthlyPlanResult:
    item: str
    month: str
    work_center: str  # the bottleneck the split was made by
    days: tuple  # (day ISO, qty, bottleneck hours, work order number or "") per day
    shortfall: str  # what the month cannot fit

    def daily(self) -> list[tuple[date, Decimal, Decimal, str]]:
        return [(date.fromisoformat(d), Decimal(q), Decimal(h), wo) for d, q, h, wo in self.days]


def plan_month(app, item: str, qty: Any, month: str, work_center: str | None = None,
               create: bool = True, ctx: CommandContext = CommandContext()) -> Outcome:
    """splitMonthlyPlan: the daily work orders for ``qty`` of ``item`` in
    ``month`` (``create=False``: only the split, nothing recorded)."""
    if create:
        return app.split_monthly_plan(item, qty, month, work_center, ctx=ctx)
    check_allowed("split_monthly_plan", ctx.roles)
    return Outcome(app.monthly_plan(item, qty, month, work_center), app.log_position())


@recorded_as(payload=lambda item, qty, month, work_center: (item, qty, month, work_center or ""))
def split_monthly_plan(uow: UnitOfWork, item: str, qty: Any, month: str,
                       work_center: str | None = None) -> MonthlyPlanResult:
    """Daily work orders for ``qty`` of ``item`` in ``month``, in one save."""
    return _split(uow, item, qty, month, work_center, create=True)


def monthly_plan(uow: UnitOfWork, item: str, qty: Any, month: str,
                 work_center: str | None = None) -> MonthlyPlanResult:
    """The split ``split_monthly_plan`` would make, without its work orders."""
    return _split(uow, item, qty, month, work_center, create=False)


def _split(uow: UnitOfWork, item: str, qty: Any, month: str, work_center_code: str | None,
           create: bool) -> MonthlyPlanResult:
    product = lookups.item(uow, item)
    first = monthly.month_days(month)[0]
    ops = routing(uow, product.code).in_force(first).operations
    centers = {o.work_center: work_center(uow, o.work_center).spec for o in ops}
    code = _bottleneck(product.code, ops, centers, work_center_code)
    at = [o for o in ops if o.work_center == code]
    split = monthly.split_monthly_plan(
        product.code, qty, month, centers[code],
        sum((o.run_hours_per_unit for o in at), ZERO),
        sum((o.setup_hours for o in at), ZERO))
    days = []
    for daily in split.days:
        number = ""
        if create:
            number = new_work_order(uow, product.code, daily.qty, daily.day, daily.day).number
        days.append((daily.day.isoformat(), str(daily.qty), str(daily.hours), number))
    return MonthlyPlanResult(product.code, month, code, tuple(days), str(split.shortfall))


def _bottleneck(item: str, ops: Sequence[Operation], centers: dict[str, WorkCenterSpec],
                named: str | None) -> str:
    """The named work center (on the routing), else the one with the most run
    hours per unit per parallel unit."""
    if named:
        code = named.strip().upper()
        if code not in centers:
            raise ValidationError(f"routing of {item} has no operation at {code}", "workCenter")
        return code
    return max(centers, key=lambda c: (
        sum((o.run_hours_per_unit for o in ops if o.work_center == c), ZERO)
        / max(centers[c].capacity, 1), c))


HANDLERS = (split_monthly_plan,)
READERS = (monthly_plan,)
