"""What the supply-chain mutation modules share: the line inputs of orders and
stock documents, and the read-back of what a command changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from sqlalchemy import Connection
from strawberry.types import Info

from api.graphql.context import after_command
from api.graphql.inventory_types import Item, Order, Party, StockDocument, Warehouse
from api.graphql.mutations._common import found
from domain import orders
from projections import inventory_queries as iq


@strawberry.input(description="An order line; quantities up to 6 places, prices ex VAT.")
class OrderLineInput:
    item: str
    qty: Decimal
    unit_price: Decimal = strawberry.field(description="Ex VAT, up to 6 places.")
    due_date: date
    vat_rate: Decimal | None = strawberry.field(default=None,
                                                description="Default: the item's.")
    warehouse: str | None = strawberry.field(
        default=None, description="Default: the item's default warehouse.")

    def to_domain(self) -> orders.OrderLineInput:
        return orders.OrderLineInput(self.item, self.qty, self.unit_price, self.due_date,
                                 self.vat_rate, self.warehouse or "")


@strawberry.input(description="A line of a receipt, return or shipment against order line "
                  "`lineNo`; warehouse and location default to the order line's.")
class MoveLineInput:
    line_no: int
    qty: Decimal
    warehouse: str | None = None
    location: str | None = None
    lot: str | None = strawberry.field(default=None,
                                       description="Required for lot-tracked items.")

    def to_domain(self) -> orders.MoveLineInput:
        return orders.MoveLineInput(self.line_no, self.qty, self.warehouse or "",
                                self.location or "", self.lot or "")


def move_lines(lines: list[MoveLineInput]) -> list[orders.MoveLineInput]:
    return [ln.to_domain() for ln in lines]


def item_of(conn: Connection, code: str) -> Item:
    return Item.from_view(found(iq.item(conn, code), f"item {code}"))


def warehouse_of(conn: Connection, code: str) -> Warehouse:
    views = iq.warehouse_views(conn, code=code)
    return Warehouse.from_view(found(views[0] if views else None, f"warehouse {code}"))


def party_of(conn: Connection, code: str) -> Party:
    views = iq.party_views(conn, code=code)
    return Party.from_view(found(views[0] if views else None, f"party {code}"))


def order_of(conn: Connection, number: str) -> Order:
    return Order.from_view(found(iq.order(conn, number), f"order {number}"))


def document_of(conn: Connection, number: str) -> StockDocument:
    return StockDocument.from_view(found(iq.document(conn, number), f"stock document {number}"))


@strawberry.type
class OrderMovePayload:
    """A stock document a command posted against an order (receipt, shipment)."""

    number: str = strawberry.field(description="The stock document's number (from the command).")
    voucher_no: str = strawberry.field(description="Its voucher (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The document, from the read models (waits for logPosition).")
    async def document(self, info: Info) -> StockDocument:
        return await after_command(info, self.log_position,
                                   lambda conn: document_of(conn, self.number))

    @strawberry.field(description="The order, from the read models (waits for logPosition).")
    async def order(self, info: Info) -> Order:
        return await after_command(
            info, self.log_position,
            lambda conn: order_of(conn, document_of(conn, self.number).order))


def order_move_fields(out) -> dict:
    """The OrderMovePayload fields of a receipt's or shipment's outcome."""
    return {"number": out.value.number, "voucher_no": out.value.voucher_no,
            "log_position": out.position, "replayed": out.replayed}
