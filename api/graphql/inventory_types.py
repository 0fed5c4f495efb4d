"""Read-side GraphQL types of the supply chain, each built from a read-model view
(``projections.inventory_queries``) by a ``from_view`` function.

Quantities travel as Decimal text with up to 6 places and no trailing zeros
(``"100"``, ``"0.5"``); amounts to the cent (``"560.00"``); unit prices and
costs with at least 2 places (``"5.00"``, ``"0.123456"``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.types import JournalEntry, PageInfo
from domain.catalog.items import ItemType, LotSizeRule
from domain.inventory.documents import DocumentKind
from domain.orders import OrderStatus
from domain.parties import PartyRole
from projections import inventory_queries as iq
from projections import ledger_queries as lq
from projections import quality_queries as qq

ItemTypeEnum = strawberry.enum(ItemType, name="ItemType")
LotSizeRuleEnum = strawberry.enum(LotSizeRule, name="LotSizeRule")
PartyRoleEnum = strawberry.enum(PartyRole, name="PartyRole")
OrderStatusEnum = strawberry.enum(OrderStatus, name="OrderStatus")
DocumentKindEnum = strawberry.enum(DocumentKind, name="StockDocumentKind")


@strawberry.enum(name="OrderKind", description="Purchase (采购订单) or sales (销售订单).")
class OrderKind(Enum):
    PURCHASE = "purchase"
    SALES = "sales"


QTY_PLACES = Decimal("0.000001")
CENT = Decimal("0.01")


def qty(value: Decimal) -> Decimal:
    """A quantity without trailing zeros: 100.000000 -> 100, 0.500000 -> 0.5."""
    value = value.quantize(QTY_PLACES)
    return value.to_integral() if value == value.to_integral() else value.normalize()


def price(value: Decimal) -> Decimal:
    """A unit price or cost: at least 2 places, at most 6 (5.000000 -> 5.00)."""
    value = value.quantize(QTY_PLACES)
    return value.quantize(CENT) if value == value.quantize(CENT) else value.normalize()


# -- master data ------------------------------------------------------------------------
@strawberry.type(description="计划参数: what MRP reads.")
class Planning:
    lead_time_days: int
    lot_size_rule: LotSizeRuleEnum
    lot_size: Decimal
    lot_multiple: Decimal
    safety_stock: Decimal
    scrap_factor: Decimal

    @classmethod
    def from_view(cls, v: iq.PlanningView) -> Planning:
        return cls(lead_time_days=v.lead_time_days, lot_size_rule=LotSizeRule(v.lot_size_rule),
                   lot_size=qty(v.lot_size), lot_multiple=qty(v.lot_multiple),
                   safety_stock=qty(v.safety_stock), scrap_factor=v.scrap_factor.normalize())


@strawberry.type(description="An item (物料) the factory buys, makes, stocks or sells.")
class Item:
    code: str
    name: str
    uom: str
    item_type: ItemTypeEnum
    lot_tracked: bool
    standard_cost: Decimal
    default_warehouse: str
    tax_code: str = strawberry.field(description="商品和服务税收分类编码 (19 digits) or empty.")
    vat_rate: Decimal
    inventory_account: str = strawberry.field(
        description="The GL account its stock posts to (by type unless overridden).")
    spec: str = strawberry.field(description="规格型号.")
    planning: Planning
    active: bool
    tax_short_name: str = strawberry.field(
        default="", description="税收分类简称, printed *简称*名称 on invoices (e.g. 金属制品).")

    @classmethod
    def from_view(cls, v: iq.ItemView) -> Item:
        return cls(code=v.code, name=v.name, uom=v.uom, item_type=ItemType(v.item_type),
                   lot_tracked=v.lot_tracked, standard_cost=price(v.standard_cost),
                   default_warehouse=v.default_warehouse, tax_code=v.tax_code,
                   vat_rate=v.vat_rate, inventory_account=v.inventory_account, spec=v.spec,
                   planning=Planning.from_view(v.planning), active=v.active,
                   tax_short_name=v.tax_short_name)


@strawberry.type(description="A location (库位); stock in the quarantine location (待检区) is "
                 "on hand but not available.")
class Location:
    code: str
    quarantine: bool


@strawberry.type(description="A warehouse (仓库) with its locations.")
class Warehouse:
    code: str
    name: str
    active: bool
    locations: list[Location]

    @classmethod
    def from_view(cls, v: iq.WarehouseView) -> Warehouse:
        return cls(code=v.code, name=v.name, active=v.active,
                   locations=[Location(code=loc.code, quarantine=loc.quarantine)
                              for loc in v.locations])


@strawberry.type(description="A customer and/or supplier (往来单位).")
class Party:
    code: str
    name: str
    roles: list[PartyRoleEnum]
    uscc: str = strawberry.field(description="统一社会信用代码.")
    address: str
    phone: str
    bank: str
    bank_account: str
    payment_terms_days: int
    active: bool

    @classmethod
    def from_view(cls, v: iq.PartyView) -> Party:
        return cls(code=v.code, name=v.name, roles=[PartyRole(r) for r in v.roles],
                   uscc=v.uscc, address=v.address, phone=v.phone, bank=v.bank,
                   bank_account=v.bank_account, payment_terms_days=v.payment_terms_days,
                   active=v.active)


# -- orders ---------------------------------------------------------------------------------
@strawberry.type(description="An order line; `delivered` is received (purchase) or shipped "
                 "(sales); `deliveredValue` is at PO price or at cost of sales.")
class OrderLine:
    line_no: int
    item: str
    qty: Decimal
    unit_price: Decimal = strawberry.field(description="Ex VAT.")
    vat_rate: Decimal
    amount: Decimal = strawberry.field(description="qty x unitPrice, ex VAT, to the cent.")
    due_date: date
    warehouse: str
    delivered: Decimal
    returned: Decimal
    open_qty: Decimal
    delivered_value: Decimal
    returned_value: Decimal
    reserved: Decimal
    last_delivery: date | None
    completed_on: date | None = strawberry.field(
        description="The first day the line was delivered in full.")
    short_closed: Decimal = strawberry.field(
        description="Given up by a short-close (短交关闭): qty came down by it.")

    @classmethod
    def from_view(cls, v: iq.OrderLineView) -> OrderLine:
        return cls(line_no=v.line_no, item=v.item, qty=qty(v.qty), unit_price=price(v.unit_price),
                   vat_rate=v.vat_rate, amount=v.amount, due_date=v.due_date,
                   warehouse=v.warehouse, delivered=qty(v.delivered), returned=qty(v.returned),
                   open_qty=qty(v.open_qty), delivered_value=v.delivered_value,
                   returned_value=v.returned_value, reserved=qty(v.reserved),
                   last_delivery=v.last_delivery, completed_on=v.completed_on,
                   short_closed=qty(v.short_closed))


@strawberry.type(description="Why a purchase order is flagged: it was placed while its "
                 "supplier was flagged for incoming quality (quality's supplier record).")
class PurchaseOrderQualityFlag:
    supplier: str
    reason: str = strawberry.field(description="The supplier's flag: its incoming lots accepted "
                                   "against the company's threshold.")
    message: str
    flagged_at: datetime = strawberry.field(description="When the order was placed.")

    @classmethod
    def from_view(cls, v: qq.OrderFlagView) -> PurchaseOrderQualityFlag:
        return cls(supplier=v.supplier, reason=v.reason, message=v.message,
                   flagged_at=datetime.fromisoformat(v.flagged_at))


@strawberry.type(description="A purchase order (采购订单) or sales order (销售订单).")
class Order:
    number: str
    kind: OrderKind
    party: str
    party_name: str
    order_date: date
    status: OrderStatusEnum
    log_position: int = strawberry.field(description="Where the order was created.")
    lines: list[OrderLine]
    close_reason: str = strawberry.field(description="Why it was short-closed (短交关闭).")

    @strawberry.field(description="A purchase order placed while its supplier was flagged "
                      "for incoming quality: why and when (quality area); null otherwise, "
                      "and for a sales order.")
    async def quality_flag(self, info: Info) -> PurchaseOrderQualityFlag | None:
        if self.kind is not OrderKind.PURCHASE:
            return None
        view = await read(info, lambda c: qq.order_flag(c, self.number))
        return PurchaseOrderQualityFlag.from_view(view) if view else None

    @strawberry.field(description="Whether a purchase order's supplier is flagged for "
                      "incoming quality now (quality area); null for a sales order.")
    async def supplier_flagged(self, info: Info) -> bool | None:
        if self.kind is not OrderKind.PURCHASE:
            return None
        return await read(info, lambda c: qq.supplier_flagged(c, self.party))

    @classmethod
    def from_view(cls, v: iq.OrderView) -> Order:
        return cls(number=v.number, kind=OrderKind(v.kind), party=v.party,
                   party_name=v.party_name, order_date=v.order_date,
                   status=OrderStatus(v.status), log_position=v.position,
                   lines=[OrderLine.from_view(ln) for ln in v.lines],
                   close_reason=v.close_reason)


@strawberry.type
class OrderEdge:
    cursor: str
    node: Order


@strawberry.type(description="Orders in the order they were created, a page at a time.")
class OrderConnection:
    edges: list[OrderEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: tuple[list[iq.OrderView], bool, str | None]) -> OrderConnection:
        views, has_next, end = page
        return cls(edges=[OrderEdge(cursor=lq.encode_cursor(v.position), node=Order.from_view(v))
                          for v in views],
                   page_info=PageInfo(has_next_page=has_next, end_cursor=end))


@strawberry.type(description="A confirmed order line not yet delivered in full.")
class OpenOrderLine:
    kind: OrderKind
    number: str
    line_no: int
    party: str
    party_name: str
    order_date: date
    item: str
    qty: Decimal
    delivered: Decimal
    returned: Decimal
    reserved: Decimal
    open_qty: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    due_date: date
    warehouse: str

    @classmethod
    def from_view(cls, v: iq.OpenOrderLine) -> OpenOrderLine:
        return cls(kind=OrderKind(v.kind), number=v.number, line_no=v.line_no, party=v.party,
                   party_name=v.party_name, order_date=v.order_date, item=v.item,
                   qty=qty(v.qty), delivered=qty(v.delivered), returned=qty(v.returned),
                   reserved=qty(v.reserved), open_qty=qty(v.open_qty),
                   unit_price=price(v.unit_price), vat_rate=v.vat_rate, due_date=v.due_date,
                   warehouse=v.warehouse)


# -- stock ----------------------------------------------------------------------------------
async def _entry(info: Info, entry_id: str) -> JournalEntry | None:
    if not entry_id:
        return None
    view = await read(info, lambda c: lq.journal_entry(c, entry_id))
    return JournalEntry.from_view(view) if view else None


@strawberry.type
class StockDocumentLine:
    line_no: int
    item: str
    warehouse: str
    location: str
    lot: str
    qty: Decimal = strawberry.field(description="Signed for counts and adjustments; negative "
                                    "for what leaves stock (returns to supplier, shipments).")
    value: Decimal
    order_line: int
    to_warehouse: str
    to_location: str

    @classmethod
    def from_view(cls, v: iq.DocumentLineView) -> StockDocumentLine:
        return cls(line_no=v.line_no, item=v.item, warehouse=v.warehouse, location=v.location,
                   lot=v.lot, qty=qty(v.qty), value=v.value, order_line=v.order_line,
                   to_warehouse=v.to_warehouse, to_location=v.to_location)


@strawberry.type(description="A stock document (出入库单): receipt, return, shipment, transfer, "
                 "count or adjustment, with the voucher it posted.")
class StockDocument:
    number: str
    kind: DocumentKindEnum
    posting_date: date
    party: str
    order: str
    entry_id: strawberry.ID | None
    voucher_no: str
    total_value: Decimal
    note: str
    actor: str
    log_position: int
    lines: list[StockDocumentLine]

    @strawberry.field(description="The journal entry (记账凭证) it posted; null if it moved "
                      "no value.")
    async def entry(self, info: Info) -> JournalEntry | None:
        return await _entry(info, str(self.entry_id or ""))

    @classmethod
    def from_view(cls, v: iq.DocumentView) -> StockDocument:
        return cls(number=v.number, kind=DocumentKind(v.kind), posting_date=v.posting_date,
                   party=v.party, order=v.order,
                   entry_id=strawberry.ID(v.entry_id) if v.entry_id else None,
                   voucher_no=v.voucher_no, total_value=v.total_value, note=v.note,
                   actor=v.actor, log_position=v.position,
                   lines=[StockDocumentLine.from_view(ln) for ln in v.lines])


@strawberry.type
class StockDocumentEdge:
    cursor: str
    node: StockDocument


@strawberry.type(description="Stock documents in log order, a page at a time.")
class StockDocumentConnection:
    edges: list[StockDocumentEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: tuple[list[iq.DocumentView], bool, str | None]
                  ) -> StockDocumentConnection:
        views, has_next, end = page
        return cls(edges=[StockDocumentEdge(cursor=lq.encode_cursor(v.position),
                                            node=StockDocument.from_view(v)) for v in views],
                   page_info=PageInfo(has_next_page=has_next, end_cursor=end))


@strawberry.type(description="Quantity in one location, per lot (empty lot if not lot-tracked).")
class StockBin:
    location: str
    lot: str
    qty: Decimal


@strawberry.type(description="On hand of an item in a warehouse at moving average cost; "
                 "available = qty - quarantined - reserved.")
class OnHand:
    item: str
    item_name: str
    uom: str
    warehouse: str
    qty: Decimal
    value: Decimal
    average_cost: Decimal
    reserved: Decimal
    quarantined: Decimal
    available: Decimal
    bins: list[StockBin]

    @classmethod
    def from_view(cls, v: iq.OnHand, bins: list[iq.BinRow]) -> OnHand:
        return cls(item=v.item, item_name=v.item_name, uom=v.uom, warehouse=v.warehouse,
                   qty=qty(v.qty), value=v.value, average_cost=price(v.average_cost),
                   reserved=qty(v.reserved), quarantined=qty(v.quarantined),
                   available=qty(v.available),
                   bins=[StockBin(location=b.location, lot=b.lot, qty=qty(b.qty))
                         for b in bins if b.qty != 0])


@strawberry.type(description="A line of the stock card (每笔出入库明细) with the running "
                 "balance of the item in its warehouse.")
class StockCardRow:
    log_position: int
    posting_date: date
    item: str
    warehouse: str
    kind: str
    document_number: str
    doc_line: int
    location: str
    to_location: str
    lot: str
    qty: Decimal
    value: Decimal
    balance_qty: Decimal
    balance_value: Decimal
    entry_id: strawberry.ID | None
    voucher_no: str

    @classmethod
    def from_view(cls, v: iq.StockCardRow) -> StockCardRow:
        return cls(log_position=v.position, posting_date=v.posting_date, item=v.item,
                   warehouse=v.warehouse, kind=v.kind, document_number=v.document,
                   doc_line=v.doc_line, location=v.location, to_location=v.to_location,
                   lot=v.lot, qty=qty(v.qty), value=v.value, balance_qty=qty(v.balance_qty),
                   balance_value=v.balance_value,
                   entry_id=strawberry.ID(v.entry_id) if v.entry_id else None,
                   voucher_no=v.voucher_no)


@strawberry.type
class StockCardEdge:
    cursor: str
    node: StockCardRow


@strawberry.type(description="The stock card of an item, in log order, a page at a time.")
class StockCardConnection:
    edges: list[StockCardEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: iq.StockCardPage) -> StockCardConnection:
        return cls(edges=[StockCardEdge(cursor=lq.encode_cursor(r.position),
                                        node=StockCardRow.from_view(r)) for r in page.rows],
                   page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor))


# -- reports --------------------------------------------------------------------------------
@strawberry.type
class ValuationRow:
    item: str
    item_name: str
    warehouse: str
    inventory_account: str
    qty: Decimal
    value: Decimal
    average_cost: Decimal


@strawberry.type
class AccountValue:
    account: str
    value: Decimal


@strawberry.type(description="存货估值表 as of the end of a period: movements posted on or "
                 "before that day, with totals per inventory account.")
class InventoryValuation:
    period: str
    as_of: date
    rows: list[ValuationRow]
    accounts: list[AccountValue]
    total: Decimal

    @classmethod
    def from_rows(cls, period: str, as_of: date, rows: list[iq.ValuationRow]
                  ) -> InventoryValuation:
        per_account: dict[str, Decimal] = {}
        for r in rows:
            per_account[r.inventory_account] = (
                per_account.get(r.inventory_account, Decimal("0.00")) + r.value)
        return cls(
            period=period, as_of=as_of,
            rows=[ValuationRow(item=r.item, item_name=r.item_name, warehouse=r.warehouse,
                               inventory_account=r.inventory_account, qty=qty(r.qty),
                               value=r.value, average_cost=price(r.average_cost))
                  for r in rows],
            accounts=[AccountValue(account=a, value=v) for a, v in sorted(per_account.items())],
            total=sum((r.value for r in rows), Decimal("0.00")),
        )


@strawberry.type(description="Stock value of an inventory account against its GL balance; "
                 "the difference is always 0.00 unless someone posted to it by hand.")
class InventoryReconciliation:
    account: str
    stock_value: Decimal
    gl_balance: Decimal
    difference: Decimal

    @classmethod
    def from_view(cls, v: iq.Reconciliation) -> InventoryReconciliation:
        return cls(account=v.account, stock_value=v.stock_value, gl_balance=v.gl_balance,
                   difference=v.difference)


@strawberry.type(description="订单交付及时率: sales order lines due in the period shipped in "
                 "full by their due date / lines due; rate null when nothing was due.")
class OnTimeDelivery:
    period: str
    customer: str | None
    lines_due: int
    lines_on_time: int
    rate: Decimal | None

    @classmethod
    def from_view(cls, v: iq.OnTimeDelivery) -> OnTimeDelivery:
        return cls(period=v.period, customer=v.customer, lines_due=v.lines_due,
                   lines_on_time=v.lines_on_time, rate=v.rate)


@strawberry.type(description="库存周转率: cost of sales / average inventory ((opening + "
                 "closing) / 2); turnover null when the average is zero.")
class InventoryTurnover:
    period: str
    item: str | None
    cost_of_sales: Decimal
    opening_value: Decimal
    closing_value: Decimal
    average_inventory: Decimal
    turnover: Decimal | None

    @classmethod
    def from_view(cls, v: iq.Turnover) -> InventoryTurnover:
        return cls(period=v.period, item=v.item, cost_of_sales=v.cost_of_sales,
                   opening_value=v.opening_value, closing_value=v.closing_value,
                   average_inventory=v.average_inventory, turnover=v.turnover)
