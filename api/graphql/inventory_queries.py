"""Supply-chain queries: master data, orders, stock, documents, reports and KPIs.

Like the ledger queries, each reads the read models, optionally after waiting
until they have reached a log position (``waitFor``). Merged into the root
``Query`` type by the schema.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.inventory_types import (
    DocumentKindEnum,
    InventoryReconciliation,
    InventoryTurnover,
    InventoryValuation,
    Item,
    ItemTypeEnum,
    OnHand,
    OnTimeDelivery,
    OpenOrderLine,
    Order,
    OrderConnection,
    OrderKind,
    OrderStatusEnum,
    Party,
    PartyRoleEnum,
    StockCardConnection,
    StockDocument,
    StockDocumentConnection,
    Warehouse,
)
from api.graphql.queries import MAX_PAGE, WaitFor
from domain.ledger.periods import check_period
from projections import inventory_queries as iq


def _code(value: str | None) -> str | None:
    """Codes are upper case; a blank filter is no filter."""
    return (value or "").strip().upper() or None


def _check_first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                         field="first")
    return first


def _on_hand(conn, item: str | None, warehouse: str | None, include_zero: bool
             ) -> list[OnHand]:
    balances = iq.on_hand(conn, item=item, warehouse=warehouse, include_zero=include_zero)
    bins: dict[tuple[str, str], list[iq.BinRow]] = {}
    for b in iq.bins(conn, item=item, warehouse=warehouse):
        bins.setdefault((b.item, b.warehouse), []).append(b)
    return [OnHand.from_view(v, bins.get((v.item, v.warehouse), [])) for v in balances]


async def _orders(info: Info, kind: str, status: OrderStatusEnum | None, party: str | None,
                  first: int, after: str | None, wait_for: int | None) -> OrderConnection:
    _check_first(first)
    page = await read(info, lambda c: iq.orders_page(
        c, kind=kind, status=status.value if status else None, party=_code(party),
        first=first, after=after), wait_for)
    return OrderConnection.from_page(page)


@strawberry.type
class InventoryQuery:
    # -- master data ---------------------------------------------------------------------
    @strawberry.field(description="Items in code order; filter by type, active, code prefix.")
    async def items(
        self,
        info: Info,
        item_type: ItemTypeEnum | None = None,
        active_only: bool = False,
        prefix: str | None = None,
        wait_for: WaitFor = None,
    ) -> list[Item]:
        views = await read(info, lambda c: iq.item_views(
            c, item_type=item_type.value if item_type else None, active_only=active_only,
            prefix=_code(prefix)), wait_for)
        return [Item.from_view(v) for v in views]

    @strawberry.field(description="One item; null if there is no such item.")
    async def item(self, info: Info, code: str, wait_for: WaitFor = None) -> Item | None:
        view = await read(info, lambda c: iq.item(c, _code(code) or ""), wait_for)
        return Item.from_view(view) if view else None

    @strawberry.field(description="Warehouses with their locations, in code order.")
    async def warehouses(self, info: Info, wait_for: WaitFor = None) -> list[Warehouse]:
        return [Warehouse.from_view(v) for v in await read(info, iq.warehouse_views, wait_for)]

    @strawberry.field(description="Customers and suppliers in code order; filter by role.")
    async def parties(
        self, info: Info, role: PartyRoleEnum | None = None, wait_for: WaitFor = None
    ) -> list[Party]:
        views = await read(info, lambda c: iq.party_views(c, role=role.value if role else None),
                           wait_for)
        return [Party.from_view(v) for v in views]

    # -- orders ----------------------------------------------------------------------------
    @strawberry.field(description="Purchase orders (采购订单) with their lines, oldest first.")
    async def purchase_orders(
        self,
        info: Info,
        status: OrderStatusEnum | None = None,
        supplier: str | None = None,
        first: int = 50,
        after: str | None = None,
        wait_for: WaitFor = None,
    ) -> OrderConnection:
        return await _orders(info, "purchase", status, supplier, first, after, wait_for)

    @strawberry.field(description="Sales orders (销售订单) with their lines, oldest first.")
    async def sales_orders(
        self,
        info: Info,
        status: OrderStatusEnum | None = None,
        customer: str | None = None,
        first: int = 50,
        after: str | None = None,
        wait_for: WaitFor = None,
    ) -> OrderConnection:
        return await _orders(info, "sales", status, customer, first, after, wait_for)

    @strawberry.field(description="One purchase or sales order by number (PO-000001, "
                      "SO-000001); null if there is none.")
    async def order(self, info: Info, number: str, wait_for: WaitFor = None) -> Order | None:
        view = await read(info, lambda c: iq.order(c, _code(number) or ""), wait_for)
        return Order.from_view(view) if view else None

    @strawberry.field(description="Confirmed order lines not yet delivered in full, by due "
                      "date.")
    async def open_order_lines(
        self,
        info: Info,
        kind: OrderKind,
        party: str | None = None,
        item: str | None = None,
        due_before: date | None = None,
        wait_for: WaitFor = None,
    ) -> list[OpenOrderLine]:
        views = await read(info, lambda c: iq.open_order_lines(
            c, kind.value, party=_code(party), item=_code(item), due_before=due_before),
            wait_for)
        return [OpenOrderLine.from_view(v) for v in views]

    # -- stock -----------------------------------------------------------------------------
    @strawberry.field(description="On hand per item and warehouse, with bins by location and "
                      "lot; zero balances only with includeZero.")
    async def on_hand(
        self,
        info: Info,
        item: str | None = None,
        warehouse: str | None = None,
        include_zero: bool = False,
        wait_for: WaitFor = None,
    ) -> list[OnHand]:
        return await read(info, lambda c: _on_hand(c, _code(item), _code(warehouse),
                                                   include_zero), wait_for)

    @strawberry.field(description="每笔出入库明细 of an item (optionally in one warehouse), each "
                      "row linked to its document and voucher.")
    async def stock_card(
        self,
        info: Info,
        item: str,
        warehouse: str | None = None,
        first: int = 100,
        after: str | None = None,
        wait_for: WaitFor = None,
    ) -> StockCardConnection:
        _check_first(first)
        page = await read(info, lambda c: iq.stock_card(
            c, _code(item) or "", warehouse=_code(warehouse), first=first, after=after),
            wait_for)
        return StockCardConnection.from_page(page)

    @strawberry.field(description="Receipts, returns, shipments, transfers, counts and "
                      "adjustments in log order; filter by kind, party, order and dates.")
    async def stock_documents(
        self,
        info: Info,
        kind: DocumentKindEnum | None = None,
        party: str | None = None,
        order: str | None = None,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
        first: int = 50,
        after: str | None = None,
        wait_for: WaitFor = None,
    ) -> StockDocumentConnection:
        _check_first(first)
        page = await read(info, lambda c: iq.documents(
            c, kind=kind.value if kind else None, party=_code(party), order=_code(order),
            date_from=from_, date_to=to, first=first, after=after), wait_for)
        return StockDocumentConnection.from_page(page)

    @strawberry.field(description="One stock document by number (GR-000001…); null if none.")
    async def stock_document(
        self, info: Info, number: str, wait_for: WaitFor = None
    ) -> StockDocument | None:
        view = await read(info, lambda c: iq.document(c, _code(number) or ""), wait_for)
        return StockDocument.from_view(view) if view else None

    # -- reports and KPIs ---------------------------------------------------------------------
    @strawberry.field(description="存货估值表 as of the last day of a period (e.g. 2026-11).")
    async def inventory_valuation(
        self, info: Info, period: str, item: str | None = None, wait_for: WaitFor = None
    ) -> InventoryValuation:
        def answer(conn):
            checked = check_period(period)
            as_of = iq.period_bounds(checked)[1]
            return InventoryValuation.from_rows(
                checked, as_of, iq.valuation(conn, as_of, item=_code(item)))

        return await read(info, answer, wait_for)

    @strawberry.field(description="Stock value per inventory account against its GL balance.")
    async def inventory_reconciliation(
        self, info: Info, wait_for: WaitFor = None
    ) -> list[InventoryReconciliation]:
        views = await read(info, iq.reconciliation, wait_for)
        return [InventoryReconciliation.from_view(v) for v in views]

    @strawberry.field(description="订单交付及时率 for a period, overall or per customer.")
    async def on_time_delivery(
        self, info: Info, period: str, by_customer: bool = False, wait_for: WaitFor = None
    ) -> list[OnTimeDelivery]:
        views = await read(info, lambda c: iq.on_time_delivery(
            c, check_period(period), by_customer=by_customer), wait_for)
        return [OnTimeDelivery.from_view(v) for v in views]

    @strawberry.field(description="库存周转率 for a period, overall or per item.")
    async def inventory_turnover(
        self, info: Info, period: str, by_item: bool = False, wait_for: WaitFor = None
    ) -> list[InventoryTurnover]:
        views = await read(info, lambda c: iq.inventory_turnover(
            c, check_period(period), by_item=by_item), wait_for)
        return [InventoryTurnover.from_view(v) for v in views]
