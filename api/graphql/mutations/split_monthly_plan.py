"""splitMonthlyPlan: split a month's plan into daily work orders by the bottleneck.

The bottleneck is the routing's work center whose calendar holds the fewest
units of the item over the month's days from today on (or ``workCenter``);
each of its parallel units gets, each working day, a daily order of what its
free hours fit after one setup and after the work orders already due that
day, in date order; what the month cannot fit is the shortfall. ``create:
false`` only shows the split."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import context_of, run_command
from api.graphql.inventory_types import qty
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.production_types import WorkOrder, hours
from domain.workflows.monthly_plan import plan_month


@strawberry.input
class SplitMonthlyPlanInput:
    item: str
    qty: Decimal
    month: str = strawberry.field(description="Like 2026-12.")
    work_center: str | None = strawberry.field(
        default=None, description="Split by this work center; default the bottleneck.")
    create: bool = strawberry.field(
        default=True, description="Create the daily work orders (false: only the split).")
    idempotency_key: str | None = None


@strawberry.type(description="One daily order of the split (a day has one per parallel unit "
                 "of the bottleneck with room) and the work order created for it.")
class DailyWorkOrder:
    date: date
    qty: Decimal
    hours: Decimal = strawberry.field(description="Bottleneck hours: setup + qty x run, at "
                                      "most one unit's hours that day.")
    number: str | None
    work_order: WorkOrder | None


@strawberry.type
class SplitMonthlyPlanSuccess:
    item: str
    month: str
    work_center: str = strawberry.field(description="The work center the split was made by.")
    days: list[DailyWorkOrder]
    shortfall: Decimal = strawberry.field(description="What the month cannot fit.")
    plan: str | None = strawberry.field(description="The recorded plan (MP-000001; its daily "
                                        "orders are not scheduled before their day); null "
                                        "when only shown.")
    log_position: int
    replayed: bool


SplitMonthlyPlanResult = result_union("SplitMonthlyPlanResult", SplitMonthlyPlanSuccess)


async def split_monthly_plan(
    info: Info, input: SplitMonthlyPlanInput  # noqa: A002
) -> SplitMonthlyPlanResult:
    def build(conn, out):
        r = out.value
        days = [DailyWorkOrder(date=day, qty=qty(q), hours=hours(h), number=wo or None,
                               work_order=work_order_of(conn, wo) if wo else None)
                for day, q, h, wo in r.daily()]
        return SplitMonthlyPlanSuccess(item=r.item, month=r.month, work_center=r.work_center,
                                       days=days, shortfall=qty(Decimal(r.shortfall)),
                                       plan=r.plan or None,
                                       log_position=out.position, replayed=out.replayed)

    inputs = context_of(info).runtime.inputs
    return await run_command(
        info,
        lambda app, ctx: plan_month(app, inputs, input.item, input.qty, input.month,
                                    input.work_center, input.create, ctx=ctx),
        input.idempotency_key,
        build,
    )
