"""countStock: 盘点, counted against book; gains and losses post to 1901 待处理财产损溢."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import document_of
from domain.inventory.handlers import CountLineInput as DomainLine


@strawberry.input
class CountLineInput:
    item: str
    counted_qty: Decimal
    location: str | None = None
    lot: str | None = None
    unit_cost: Decimal | None = strawberry.field(
        default=None, description="For a gain where nothing is on hand; default the item's "
        "standard cost.")

    def to_domain(self) -> DomainLine:
        return DomainLine(self.item, self.counted_qty, self.location or "", self.lot or "",
                          self.unit_cost)


@strawberry.input
class CountStockInput:
    posting_date: date
    warehouse: str
    lines: list[CountLineInput]
    note: str = ""
    idempotency_key: str | None = None


@strawberry.type
class CountStockSuccess:
    document: StockDocument
    log_position: int
    replayed: bool


CountStockResult = result_union("CountStockResult", CountStockSuccess)


async def count_stock(info: Info, input: CountStockInput) -> CountStockResult:  # noqa: A002
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.count_stock(input.posting_date, input.warehouse, lines,
                                         input.note, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CountStockSuccess(
            document=document_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
