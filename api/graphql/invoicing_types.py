"""Read-side GraphQL types of sales invoicing (数电票), built from the views of
``projections.invoicing_queries``. Amounts to the cent; a red invoice's
amounts are negative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.inventory_types import price, qty
from api.graphql.types import JournalEntry, PageInfo
from domain.invoicing.sales_invoices import InvoiceType, RedReason
from projections import invoicing_queries as invq
from projections import ledger_queries as lq

InvoiceTypeEnum = strawberry.enum(
    InvoiceType, name="InvoiceType",
    description="SPECIAL 电子发票(增值税专用发票) or ORDINARY 电子发票(普通发票).")
RedReasonEnum = strawberry.enum(
    RedReason, name="RedReason",
    description="红冲原因: 1 SALES_RETURN 销货退回, 2 INVOICING_ERROR 开票有误, "
    "3 SERVICE_STOPPED 服务中止, 4 SALES_ALLOWANCE 销售折让.")


@strawberry.enum(name="InvoiceColor", description="BLUE 蓝字 (an invoice) or RED 红字 "
                 "(a correction of a blue one).")
class InvoiceColor(Enum):
    BLUE = "blue"
    RED = "red"


@strawberry.enum(name="SalesInvoiceStatus")
class SalesInvoiceStatus(Enum):
    ISSUED = "issued"
    CONFIRMED = "confirmed"  # the buyer confirmed it (用途确认)
    PARTLY_CREDITED = "partly_credited"
    CREDITED = "credited"  # red invoices took it to zero


@strawberry.type(description="The seller's particulars printed on every invoice.")
class CompanyProfile:
    name: str
    uscc: str = strawberry.field(description="统一社会信用代码.")
    address: str
    phone: str
    bank: str
    bank_account: str

    @classmethod
    def from_view(cls, v: invq.ProfileView) -> CompanyProfile:
        return cls(name=v.name, uscc=v.uscc, address=v.address, phone=v.phone, bank=v.bank,
                   bank_account=v.bank_account)


@strawberry.type(description="A line as printed; credited* say what red invoices took off "
                 "a blue line.")
class SalesInvoiceLine:
    line_no: int
    item: str
    item_name: str = strawberry.field(description="项目名称, written *简称*名称.")
    tax_code: str = strawberry.field(description="商品和服务税收分类编码 (19 digits).")
    spec: str = strawberry.field(description="规格型号.")
    unit: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal
    tax: Decimal
    shipment: str
    shipment_line: int
    order: str
    order_line: int
    blue_line: int = strawberry.field(description="Red lines: the blue line credited; else 0.")
    credited_qty: Decimal
    credited_amount: Decimal
    credited_tax: Decimal

    @classmethod
    def from_view(cls, v: invq.InvoiceLineView) -> SalesInvoiceLine:
        return cls(line_no=v.line_no, item=v.item, item_name=v.item_name, tax_code=v.tax_code,
                   spec=v.spec, unit=v.unit, qty=qty(v.qty), unit_price=price(v.unit_price),
                   amount=v.amount, vat_rate=v.vat_rate, tax=v.tax, shipment=v.shipment,
                   shipment_line=v.shipment_line, order=v.order, order_line=v.order_line,
                   blue_line=v.blue_line, credited_qty=qty(v.credited_qty),
                   credited_amount=v.credited_amount, credited_tax=v.credited_tax)


@strawberry.type(description="A sales invoice (数电票), blue or red, as issued.")
class SalesInvoice:
    number: str = strawberry.field(description="发票号码 (20 digits).")
    invoice_type: InvoiceTypeEnum
    color: InvoiceColor
    blue_number: str = strawberry.field(description="Red invoices: the blue invoice corrected.")
    confirmation_no: str = strawberry.field(description="Red: 红字发票信息确认单 number.")
    red_reason: RedReasonEnum | None
    customer: str
    buyer_name: str
    buyer_uscc: str
    seller_name: str
    seller_uscc: str
    invoice_date: date
    due_date: date
    amount: Decimal = strawberry.field(description="合计金额 ex VAT.")
    tax: Decimal = strawberry.field(description="合计税额.")
    total: Decimal = strawberry.field(description="价税合计 (小写).")
    amount_in_words: str = strawberry.field(description="价税合计 (大写).")
    remark: str
    drawer: str = strawberry.field(description="开票人.")
    confirmed: bool
    status: SalesInvoiceStatus
    credited_amount: Decimal
    credited_tax: Decimal
    credited_total: Decimal
    open_total: Decimal = strawberry.field(
        description="Blue: 价税合计 not yet credited by red invoices.")
    entry_id: strawberry.ID
    voucher_no: str
    log_position: int
    lines: list[SalesInvoiceLine]
    xml_url: str
    html_url: str

    @strawberry.field(description="The journal entry (记账凭证) the invoice posted.")
    async def entry(self, info: Info) -> JournalEntry | None:
        entry_id = str(self.entry_id)
        view = await read(info, lambda c: lq.journal_entry(c, entry_id))
        return JournalEntry.from_view(view) if view else None

    @strawberry.field(description="Blue: the red invoices that corrected it, oldest first.")
    async def red_invoices(self, info: Info) -> list[str]:
        number = self.number
        return await read(info, lambda c: invq.red_invoices_of(c, number))

    @classmethod
    def from_view(cls, v: invq.InvoiceView) -> SalesInvoice:
        return cls(
            number=v.number, invoice_type=InvoiceType(v.invoice_type),
            color=InvoiceColor(v.color), blue_number=v.blue_number,
            confirmation_no=v.confirmation_no,
            red_reason=RedReason(v.red_reason) if v.red_reason else None, customer=v.customer,
            buyer_name=v.buyer_name, buyer_uscc=v.buyer_uscc, seller_name=v.seller_name,
            seller_uscc=v.seller_uscc, invoice_date=v.invoice_date, due_date=v.due_date,
            amount=v.amount, tax=v.tax, total=v.total, amount_in_words=v.amount_in_words,
            remark=v.remark, drawer=v.drawer, confirmed=v.confirmed,
            status=SalesInvoiceStatus(v.status), credited_amount=v.credited_amount,
            credited_tax=v.credited_tax, credited_total=v.credited_total,
            open_total=v.total - v.credited_total if v.color == "blue" else Decimal("0.00"),
            entry_id=strawberry.ID(v.entry_id), voucher_no=v.voucher_no,
            log_position=v.position, lines=[SalesInvoiceLine.from_view(ln) for ln in v.lines],
            xml_url=f"/invoices/{v.number}.xml", html_url=f"/invoices/{v.number}.html")


@strawberry.type
class SalesInvoiceEdge:
    cursor: str
    node: SalesInvoice


@strawberry.type(description="Sales invoices in the order they were issued, a page at a time.")
class SalesInvoiceConnection:
    edges: list[SalesInvoiceEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: tuple[list[invq.InvoiceView], bool, str | None]
                  ) -> SalesInvoiceConnection:
        views, has_next, end = page
        return cls(edges=[SalesInvoiceEdge(cursor=lq.encode_cursor(v.position),
                                           node=SalesInvoice.from_view(v)) for v in views],
                   page_info=PageInfo(has_next_page=has_next, end_cursor=end))


@strawberry.type(description="A shipment line not yet invoiced in full (已发货未开票).")
class UninvoicedShipmentLine:
    shipment: str
    line_no: int
    shipped_on: date
    customer: str
    customer_name: str
    order: str
    order_line: int
    item: str
    item_name: str
    unit: str
    shipped: Decimal
    invoiced: Decimal
    uninvoiced: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    uninvoiced_amount: Decimal = strawberry.field(
        description="What invoicing the rest would bill ex VAT (qty x order price, to 0.01).")

    @classmethod
    def from_view(cls, v: invq.UninvoicedLineView) -> UninvoicedShipmentLine:
        from domain.money import round_amount

        return cls(shipment=v.shipment, line_no=v.line_no, shipped_on=v.shipped_on,
                   customer=v.customer, customer_name=v.customer_name, order=v.order,
                   order_line=v.order_line, item=v.item, item_name=v.item_name, unit=v.unit,
                   shipped=qty(v.shipped), invoiced=qty(v.invoiced),
                   uninvoiced=qty(v.uninvoiced), unit_price=price(v.unit_price),
                   vat_rate=v.vat_rate, uninvoiced_amount=round_amount(v.uninvoiced *
                                                                       v.unit_price))
