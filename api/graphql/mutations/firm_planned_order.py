"""firmPlannedOrder: turn a planned order into a real work order or purchase order.

A planned work order becomes a work order with the BOM and routing in force;
a planned purchase a purchase order from ``supplier`` (default the approved
supplier the run proposed; required when it proposed none) at ``unitPrice``
(default the standard cost). The run records what it became; a
planned order is firmed once (ALREADY_FIRMED)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._planning import planned_order_of
from api.graphql.planning_types import PlannedOrder


@strawberry.input
class FirmPlannedOrderInput:
    run: str = strawberry.field(description="The MRP run, e.g. MRP-000001.")
    planned_id: str = strawberry.field(description="e.g. MRP-000001/00002.")
    supplier: str | None = strawberry.field(
        default=None, description="A planned purchase: default the supplier the run "
        "proposed (the item's preferred approved supplier not flagged for quality); "
        "required when it proposed none.")
    unit_price: Decimal | None = strawberry.field(
        default=None, description="Purchase price; default the item's standard cost.")
    qty: Decimal | None = strawberry.field(default=None, description="Default the planned qty.")
    need_date: date | None = strawberry.field(
        default=None, description="Due date; default the planned need date.")
    idempotency_key: str | None = None


@strawberry.type
class FirmPlannedOrderSuccess:
    planned_order: PlannedOrder
    order: str = strawberry.field(description="The work order or purchase order number.")
    kind: str = strawberry.field(description="work_order or purchase_order.")
    log_position: int
    replayed: bool


FirmPlannedOrderResult = result_union("FirmPlannedOrderResult", FirmPlannedOrderSuccess)


async def firm_planned_order(
    info: Info, input: FirmPlannedOrderInput  # noqa: A002
) -> FirmPlannedOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.firm_planned_order(
            input.run, input.planned_id, supplier=(input.supplier or "").strip().upper(),
            unit_price=input.unit_price, qty=input.qty, need_date=input.need_date, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: FirmPlannedOrderSuccess(
            planned_order=planned_order_of(conn, out.value.planned_id), order=out.value.order,
            kind=out.value.kind, log_position=out.position, replayed=out.replayed),
    )
