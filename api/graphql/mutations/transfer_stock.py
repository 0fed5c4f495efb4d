"""transferStock: 调拨 between warehouses or locations; value moves at average cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import document_of
from domain.inventory.handlers import TransferLineInput as DomainLine


@strawberry.input(description="Locations default to the warehouse's first one.")
class TransferLineInput:
    item: str
    qty: Decimal
    from_warehouse: str
    to_warehouse: str
    from_location: str | None = None
    to_location: str | None = None
    lot: str | None = None

    def to_domain(self) -> DomainLine:
        return DomainLine(self.item, self.qty, self.from_warehouse, self.to_warehouse,
                          self.from_location or "", self.to_location or "", self.lot or "")


@strawberry.input
class TransferStockInput:
    posting_date: date
    lines: list[TransferLineInput]
    note: str = ""
    idempotency_key: str | None = None


@strawberry.type
class TransferStockSuccess:
    document: StockDocument
    log_position: int
    replayed: bool


TransferStockResult = result_union("TransferStockResult", TransferStockSuccess)


async def transfer_stock(
    info: Info, input: TransferStockInput  # noqa: A002
) -> TransferStockResult:
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.transfer_stock(input.posting_date, lines, input.note, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: TransferStockSuccess(
            document=document_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
