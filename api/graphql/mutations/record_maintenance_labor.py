"""recordMaintenanceLabor: labour hours on a started maintenance order at the maintenance rate.

Dr 4101 制造费用 / Cr 2211 应付职工薪酬 (or the company's accounts) in the
same save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenanceOrder
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import maintenance_order_of


@strawberry.input
class RecordMaintenanceLaborInput:
    number: str
    posting_date: date
    hours: Decimal
    idempotency_key: str | None = None


@strawberry.type
class RecordMaintenanceLaborSuccess:
    maintenance_order: MaintenanceOrder
    amount: Decimal
    entry_id: str
    voucher_no: str
    log_position: int
    replayed: bool


RecordMaintenanceLaborResult = result_union("RecordMaintenanceLaborResult",
                                            RecordMaintenanceLaborSuccess)


async def record_maintenance_labor(info: Info, input: RecordMaintenanceLaborInput  # noqa: A002
                                   ) -> RecordMaintenanceLaborResult:
    return await run_command(
        info,
        lambda app, ctx: app.record_maintenance_labor(input.number, input.posting_date,
                                                      input.hours, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RecordMaintenanceLaborSuccess(
            maintenance_order=maintenance_order_of(conn, out.value.number),
            amount=Decimal(out.value.amount), entry_id=out.value.entry_id,
            voucher_no=out.value.voucher_no, log_position=out.position,
            replayed=out.replayed),
    )
