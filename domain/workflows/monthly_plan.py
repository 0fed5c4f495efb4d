"""Split a monthly plan into daily work orders (月度计划拆解为每日工单).

Load the item's routing in force on the first day of the month, pick the
bottleneck (the routing's work center with the most run hours per unit per
parallel unit, unless one is named), split the quantity by its capacity per
day (domain/planning/monthly.py) and create one work order per day, all in
one save.

In the application layer (``domain/workflows``), not in planning: it reads
the catalog's routing and work centers and creates production's work orders,
and it answers a dry run with an ``Outcome`` like any command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.access import check_allowed
from domain.catalog.engineering import routing_id
from domain.commands import CommandContext, Outcome
from domain.errors import BusinessRuleViolation, ValidationError
from domain.inventory.usecases import _Work
from domain.planning.monthly import month_days, split_monthly_plan

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


class PlanningMonthlyUseCases:
    """Mixed into the company Application."""

    def split_monthly_plan(
        self,
        item: str,
        qty: Any,
        month: str,
        work_center: str | None = None,
        create: bool = True,
        ctx: CommandContext = CommandContext(),
    ):
        """Daily work orders for ``qty`` of ``item`` in ``month`` (``create=False``:
        only the split, nothing recorded)."""

        def decide():
            work = _Work(self)
            product = self._item(work, item)
            first = month_days(month)[0]
            try:
                routing = self.repository.get(routing_id(product.code), deepcopy_from_cache=False)
            except AggregateNotFoundError:
                raise BusinessRuleViolation(
                    "NO_ROUTING_IN_FORCE", f"item {product.code} has no routing") from None
            ops = routing.in_force(first).operations
            centers = {o.work_center: self._work_center(o.work_center).spec for o in ops}
            if work_center:
                code = work_center.strip().upper()
                if code not in centers:
                    raise ValidationError(
                        f"routing of {product.code} has no operation at {code}", "workCenter")
            else:
                code = max(centers, key=lambda c: (
                    sum((o.run_hours_per_unit for o in ops if o.work_center == c), ZERO)
                    / max(centers[c].capacity, 1), c))
            at = [o for o in ops if o.work_center == code]
            split = split_monthly_plan(
                product.code, qty, month, centers[code],
                sum((o.run_hours_per_unit for o in at), ZERO),
                sum((o.setup_hours for o in at), ZERO))
            days, orders = [], []
            for daily in split.days:
                number = ""
                if create:
                    wo = self._new_work_order(work, product.code, daily.qty, daily.day, daily.day)
                    orders.append(wo)
                    number = wo.number
                days.append((daily.day.isoformat(), str(daily.qty), str(daily.hours), number))
            result = MonthlyPlanResult(product.code, month, code, tuple(days),
                                       str(split.shortfall))
            return result, [*work.changed(), *orders]

        if not create:
            check_allowed("split_monthly_plan", ctx.roles)
            return Outcome(decide()[0], self.log_position())
        payload = (item, qty, month, work_center or "")
        return self._execute("split_monthly_plan", payload, ctx, decide, MonthlyPlanResult)
