"""adjustStock: stock in (+) or out (-) against an offset account (opening stock, write-offs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import document_of
from domain.inventory.handlers import AdjustmentLineInput as DomainLine


@strawberry.input
class AdjustmentLineInput:
    item: str
    warehouse: str
    qty: Decimal = strawberry.field(description="+ stock in, - stock out; never zero.")
    unit_cost: Decimal | None = strawberry.field(
        default=None, description="Stock in: default the item's standard cost.")
    location: str | None = None
    lot: str | None = None

    def to_domain(self) -> DomainLine:
        return DomainLine(self.item, self.warehouse, self.qty, self.unit_cost,
                          self.location or "", self.lot or "")


@strawberry.input
class AdjustStockInput:
    posting_date: date
    lines: list[AdjustmentLineInput]
    reason: str
    offset_account: str = strawberry.field(default="1901",
                                           description="Default 1901 待处理财产损溢.")
    idempotency_key: str | None = None


@strawberry.type
class AdjustStockSuccess:
    document: StockDocument
    log_position: int
    replayed: bool


AdjustStockResult = result_union("AdjustStockResult", AdjustStockSuccess)


async def adjust_stock(info: Info, input: AdjustStockInput) -> AdjustStockResult:  # noqa: A002
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.adjust_stock(input.posting_date, lines, input.offset_account,
                                          input.reason, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: AdjustStockSuccess(
            document=document_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
