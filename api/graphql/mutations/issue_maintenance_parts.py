"""issueMaintenanceParts: 维修领料, spare parts out of stock to a started maintenance order.

At moving average, Dr 4101 制造费用 (or the company's expense account) / Cr
each part's stock account (1403 for raw materials), in the same save as the
stock document and the balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenanceOrder
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import maintenance_order_of
from domain.equipment.maintenance_handlers import PartLineInput


@strawberry.input
class MaintenancePartInput:
    item: str
    qty: Decimal
    warehouse: str | None = strawberry.field(default=None,
                                             description="Default: the item's warehouse.")
    location: str | None = None
    lot: str | None = None


@strawberry.input
class IssueMaintenancePartsInput:
    number: str
    posting_date: date
    lines: list[MaintenancePartInput]
    idempotency_key: str | None = None


@strawberry.type
class IssueMaintenancePartsSuccess:
    maintenance_order: MaintenanceOrder
    document: str
    entry_id: str
    voucher_no: str
    value: Decimal
    log_position: int
    replayed: bool


IssueMaintenancePartsResult = result_union("IssueMaintenancePartsResult",
                                           IssueMaintenancePartsSuccess)


async def issue_maintenance_parts(info: Info, input: IssueMaintenancePartsInput  # noqa: A002
                                  ) -> IssueMaintenancePartsResult:
    lines = [PartLineInput(ln.item, ln.qty, ln.warehouse or "", ln.location or "", ln.lot or "")
             for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.issue_maintenance_parts(input.number, input.posting_date, lines,
                                                     ctx=ctx),
        input.idempotency_key,
        lambda conn, out: IssueMaintenancePartsSuccess(
            maintenance_order=maintenance_order_of(conn, out.value.number),
            document=out.value.document, entry_id=out.value.entry_id,
            voucher_no=out.value.voucher_no, value=Decimal(out.value.value),
            log_position=out.position, replayed=out.replayed),
    )
