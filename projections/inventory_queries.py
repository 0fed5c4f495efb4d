"""Reads of the supply-chain read models: on hand, stock card, valuation,
open order lines, documents, reconciliation with the GL, and KPIs."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, case, func, or_, select

from domain.inventory.valuation import average_cost
from domain.money import from_cents, from_micros
from projections.ledger_queries import decode_cursor, encode_cursor
from projections.tables import (
    items,
    ledger_entries,
    ledger_turnover,
    order_lines,
    orders,
    parties,
    stock_balances,
    stock_bins,
    stock_document_lines,
    stock_documents,
    stock_moves,
    warehouse_locations,
    warehouses,
)

ZERO = Decimal("0.00")


def period_bounds(period: str) -> tuple[date, date]:
    year, month = (int(x) for x in period.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class OnHand:
    item: str
    item_name: str
    uom: str
    warehouse: str
    qty: Decimal
    value: Decimal
    reserved: Decimal
    quarantined: Decimal

    @property
    def average_cost(self) -> Decimal:
        return average_cost(self.qty, self.value)

    @property
    def available(self) -> Decimal:
        return self.qty - self.quarantined - self.reserved


@dataclass(frozen=True)
class BinRow:
    item: str
    warehouse: str
    location: str
    lot: str
    qty: Decimal


def on_hand(conn: Connection, *, item: str | None = None, warehouse: str | None = None,
            include_zero: bool = False) -> list[OnHand]:
    q = (select(stock_balances, items.c.name, items.c.uom)
         .join(items, items.c.code == stock_balances.c.item)
         .order_by(stock_balances.c.item, stock_balances.c.warehouse))
    if item:
        q = q.where(stock_balances.c.item == item)
    if warehouse:
        q = q.where(stock_balances.c.warehouse == warehouse)
    if not include_zero:
        q = q.where(or_(stock_balances.c.qty_micros != 0, stock_balances.c.value_cents != 0,
                        stock_balances.c.reserved_micros != 0))
    return [OnHand(r.item, r.name, r.uom, r.warehouse, from_micros(r.qty_micros),
                   from_cents(r.value_cents), from_micros(r.reserved_micros),
                   from_micros(r.quarantine_micros)) for r in conn.execute(q)]


def bins(conn: Connection, *, item: str | None = None, warehouse: str | None = None,
         location: str | None = None, lot: str | None = None) -> list[BinRow]:
    q = select(stock_bins).order_by(stock_bins.c.item, stock_bins.c.warehouse,
                                    stock_bins.c.location, stock_bins.c.lot)
    for col, value in ((stock_bins.c.item, item), (stock_bins.c.warehouse, warehouse),
                       (stock_bins.c.location, location), (stock_bins.c.lot, lot)):
        if value is not None:
            q = q.where(col == value)
    return [BinRow(r.item, r.warehouse, r.location, r.lot, from_micros(r.qty_micros))
            for r in conn.execute(q)]


@dataclass(frozen=True)
class StockCardRow:
    position: int
    posting_date: date
    item: str
    warehouse: str
    kind: str
    document: str
    doc_line: int
    location: str
    to_location: str
    lot: str
    qty: Decimal
    value: Decimal
    balance_qty: Decimal
    balance_value: Decimal
    entry_id: str
    voucher_no: str


@dataclass(frozen=True)
class StockCardPage:
    rows: list[StockCardRow]
    has_next: bool
    end_cursor: str | None


def stock_card(conn: Connection, item: str, *, warehouse: str | None = None,
               first: int = 100, after: str | None = None) -> StockCardPage:
    """每笔出入库明细 in log order, each row with the running balance of its
    item in its warehouse and the voucher that posted it."""
    m = stock_moves
    q = (select(m, ledger_entries.c.voucher_no)
         .outerjoin(ledger_entries, ledger_entries.c.entry_id == m.c.entry_id)
         .where(m.c.item == item).order_by(m.c.position).limit(first + 1))
    if warehouse:
        q = q.where(m.c.warehouse == warehouse)
    if after:
        q = q.where(m.c.position > decode_cursor(after))
    rows = conn.execute(q).all()
    page = [StockCardRow(r.position, r.posting_date, r.item, r.warehouse, r.kind, r.document,
                         r.doc_line, r.location, r.to_location, r.lot, from_micros(r.qty_micros),
                         from_cents(r.value_cents), from_micros(r.balance_qty_micros),
                         from_cents(r.balance_value_cents), r.entry_id, r.voucher_no or "")
            for r in rows[:first]]
    return StockCardPage(page, len(rows) > first,
                         encode_cursor(page[-1].position) if page else None)


@dataclass(frozen=True)
class ValuationRow:
    item: str
    item_name: str
    warehouse: str
    inventory_account: str
    qty: Decimal
    value: Decimal

    @property
    def average_cost(self) -> Decimal:
        return average_cost(self.qty, self.value)


def valuation(conn: Connection, as_of: date, *, item: str | None = None) -> list[ValuationRow]:
    """Inventory valuation (存货估值表) as of a date: movements posted on or before it."""
    m = stock_moves
    q = (select(m.c.item, items.c.name, m.c.warehouse, items.c.inventory_account,
                func.sum(m.c.qty_micros), func.sum(m.c.value_cents))
         .join(items, items.c.code == m.c.item)
         .where(m.c.posting_date <= as_of)
         .group_by(m.c.item, items.c.name, m.c.warehouse, items.c.inventory_account)
         .order_by(m.c.item, m.c.warehouse))
    if item:
        q = q.where(m.c.item == item)
    out = []
    for code, name, wh, account, qty, value in conn.execute(q):
        if qty or value:
            out.append(ValuationRow(code, name, wh, account, from_micros(int(qty)),
                                    from_cents(int(value))))
    return out


@dataclass(frozen=True)
class Reconciliation:
    account: str
    stock_value: Decimal
    gl_balance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.stock_value - self.gl_balance


def reconciliation(conn: Connection) -> list[Reconciliation]:
    """Inventory value per GL account against the account's balance; equal by
    construction unless someone posted to an inventory account by hand."""
    stock = dict(conn.execute(
        select(items.c.inventory_account, func.sum(stock_balances.c.value_cents))
        .join(items, items.c.code == stock_balances.c.item)
        .group_by(items.c.inventory_account)).all())
    accounts = set(stock) | set(conn.execute(select(items.c.inventory_account).distinct())
                                .scalars())
    t = ledger_turnover
    gl = dict(conn.execute(
        select(t.c.account_code, func.sum(t.c.debit_cents - t.c.credit_cents))
        .where(t.c.account_code.in_(sorted(accounts))).group_by(t.c.account_code)).all())
    return [Reconciliation(a, from_cents(int(stock.get(a) or 0)), from_cents(int(gl.get(a) or 0)))
            for a in sorted(accounts)]


@dataclass(frozen=True)
class OpenOrderLine:
    kind: str
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
    unit_price: Decimal
    vat_rate: Decimal
    due_date: date
    warehouse: str

    @property
    def open_qty(self) -> Decimal:
        return max(self.qty - self.delivered + self.returned, Decimal("0.000000"))


def open_order_lines(conn: Connection, kind: str, *, party: str | None = None,
                     item: str | None = None, due_before: date | None = None
                     ) -> list[OpenOrderLine]:
    ln, o = order_lines, orders
    q = (select(ln, o.c.party, o.c.order_date, parties.c.name.label("party_name"))
         .join(o, o.c.number == ln.c.number)
         .join(parties, parties.c.code == o.c.party)
         .where(o.c.kind == kind, o.c.status == "confirmed",
                ln.c.qty_micros > ln.c.delivered_micros - ln.c.returned_micros)
         .order_by(ln.c.due_date, ln.c.number, ln.c.line_no))
    if party:
        q = q.where(o.c.party == party)
    if item:
        q = q.where(ln.c.item == item)
    if due_before:
        q = q.where(ln.c.due_date <= due_before)
    return [OpenOrderLine(kind, r.number, r.line_no, r.party, r.party_name, r.order_date,
                          r.item, from_micros(r.qty_micros), from_micros(r.delivered_micros),
                          from_micros(r.returned_micros), from_micros(r.reserved_micros),
                          Decimal(r.unit_price), Decimal(r.vat_rate), r.due_date, r.warehouse)
            for r in conn.execute(q)]


@dataclass(frozen=True)
class DocumentLineView:
    line_no: int
    item: str
    warehouse: str
    location: str
    lot: str
    qty: Decimal
    value: Decimal
    order_line: int
    to_warehouse: str
    to_location: str


@dataclass(frozen=True)
class DocumentView:
    number: str
    kind: str
    posting_date: date
    party: str
    order: str
    entry_id: str
    voucher_no: str
    total_value: Decimal
    note: str
    actor: str
    position: int
    lines: list[DocumentLineView]


def documents(conn: Connection, *, kind: str | None = None, party: str | None = None,
              order: str | None = None, date_from: date | None = None,
              date_to: date | None = None, first: int = 50, after: str | None = None
              ) -> tuple[list[DocumentView], bool, str | None]:
    d = stock_documents
    q = select(d).order_by(d.c.position).limit(first + 1)
    for col, value in ((d.c.kind, kind), (d.c.party, party), (d.c.order_no, order)):
        if value:
            q = q.where(col == value)
    if date_from:
        q = q.where(d.c.posting_date >= date_from)
    if date_to:
        q = q.where(d.c.posting_date <= date_to)
    if after:
        q = q.where(d.c.position > decode_cursor(after))
    rows = conn.execute(q).all()
    has_next = len(rows) > first
    rows = rows[:first]
    views = _document_views(conn, rows)
    return views, has_next, (encode_cursor(rows[-1].position) if rows else None)


def _document_views(conn: Connection, rows) -> list[DocumentView]:
    """Rows of ``stock_documents`` as views, with their lines."""
    lines: dict[str, list[DocumentLineView]] = {r.number: [] for r in rows}
    if rows:
        lq = (select(stock_document_lines)
              .where(stock_document_lines.c.number.in_(list(lines)))
              .order_by(stock_document_lines.c.number, stock_document_lines.c.line_no))
        for r in conn.execute(lq):
            lines[r.number].append(DocumentLineView(
                r.line_no, r.item, r.warehouse, r.location, r.lot, from_micros(r.qty_micros),
                from_cents(r.value_cents), r.order_line, r.to_warehouse, r.to_location))
    return [DocumentView(r.number, r.kind, r.posting_date, r.party, r.order_no, r.entry_id,
                         r.voucher_no, from_cents(r.total_value_cents), r.note, r.actor,
                         r.position, lines[r.number]) for r in rows]


# -- KPIs -----------------------------------------------------------------------------
@dataclass(frozen=True)
class OnTimeDelivery:
    """订单交付及时率: lines shipped in full by their due date / lines due."""

    period: str
    customer: str | None
    lines_due: int
    lines_on_time: int

    @property
    def rate(self) -> Decimal | None:
        if not self.lines_due:
            return None
        return (Decimal(self.lines_on_time) / Decimal(self.lines_due)).quantize(
            Decimal("0.0001"))


def on_time_delivery(conn: Connection, period: str, *, by_customer: bool = False
                     ) -> list[OnTimeDelivery]:
    start, end = period_bounds(period)
    ln, o = order_lines, orders
    on_time = case((and_(ln.c.completed_on.is_not(None), ln.c.completed_on <= ln.c.due_date),
                    1), else_=0)
    cols = [func.count(), func.sum(on_time)]
    q = (select(o.c.party, *cols) if by_customer else select(*cols))
    q = (q.select_from(ln.join(o, o.c.number == ln.c.number))
         .where(o.c.kind == "sales", o.c.status != "cancelled", o.c.status != "draft",
                ln.c.due_date >= start, ln.c.due_date <= end))
    if by_customer:
        q = q.group_by(o.c.party).order_by(o.c.party)
        return [OnTimeDelivery(period, party, int(n), int(ok or 0))
                for party, n, ok in conn.execute(q)]
    n, ok = conn.execute(q).one()
    return [OnTimeDelivery(period, None, int(n or 0), int(ok or 0))]


@dataclass(frozen=True)
class Turnover:
    """库存周转率: cost of sales / average inventory ((opening + closing) / 2)."""

    period: str
    item: str | None
    cost_of_sales: Decimal
    opening_value: Decimal
    closing_value: Decimal

    @property
    def average_inventory(self) -> Decimal:
        return ((self.opening_value + self.closing_value) / 2).quantize(Decimal("0.01"))

    @property
    def turnover(self) -> Decimal | None:
        if self.average_inventory == 0:
            return None
        return (self.cost_of_sales / self.average_inventory).quantize(Decimal("0.0001"))


def inventory_turnover(conn: Connection, period: str, *, by_item: bool = False
                       ) -> list[Turnover]:
    start, end = period_bounds(period)
    m = stock_moves
    cos = func.sum(case((and_(m.c.posting_date >= start, m.c.posting_date <= end,
                              m.c.kind.in_(("shipment", "customer_return"))),
                         -m.c.value_cents), else_=0))
    opening = func.sum(case((m.c.posting_date < start, m.c.value_cents), else_=0))
    closing = func.sum(case((m.c.posting_date <= end, m.c.value_cents), else_=0))
    if by_item:
        q = select(m.c.item, cos, opening, closing).group_by(m.c.item).order_by(m.c.item)
        rows = conn.execute(q).all()
        return [Turnover(period, item, from_cents(int(c or 0)), from_cents(int(o or 0)),
                         from_cents(int(cl or 0))) for item, c, o, cl in rows
                if c or o or cl]
    c, o, cl = conn.execute(select(cos, opening, closing)).one()
    return [Turnover(period, None, from_cents(int(c or 0)), from_cents(int(o or 0)),
                     from_cents(int(cl or 0)))]


def item_rows(conn: Connection, *, item_type: str | None = None, active_only: bool = False,
              prefix: str | None = None):
    q = select(items).order_by(items.c.code)
    if item_type:
        q = q.where(items.c.item_type == item_type)
    if active_only:
        q = q.where(items.c.active.is_(True))
    if prefix:
        q = q.where(items.c.code.startswith(prefix))
    return conn.execute(q).all()


# -- master data and orders, for the API -------------------------------------------------
@dataclass(frozen=True)
class PlanningView:
    lead_time_days: int
    lot_size_rule: str
    lot_size: Decimal
    lot_multiple: Decimal
    safety_stock: Decimal
    scrap_factor: Decimal


@dataclass(frozen=True)
class ItemView:
    code: str
    name: str
    uom: str
    item_type: str
    lot_tracked: bool
    standard_cost: Decimal
    default_warehouse: str
    tax_code: str
    vat_rate: Decimal
    inventory_account: str
    spec: str
    planning: PlanningView
    active: bool
    tax_short_name: str = ""  # 税收分类简称


def _item_view(r) -> ItemView:
    return ItemView(r.code, r.name, r.uom, r.item_type, r.lot_tracked,
                    Decimal(r.standard_cost), r.default_warehouse, r.tax_code,
                    Decimal(r.vat_rate), r.inventory_account, r.spec,
                    PlanningView(r.lead_time_days, r.lot_size_rule, Decimal(r.lot_size),
                                 Decimal(r.lot_multiple), Decimal(r.safety_stock),
                                 Decimal(r.scrap_factor)),
                    r.active, r.tax_short_name)


def item_views(conn: Connection, *, item_type: str | None = None, active_only: bool = False,
               prefix: str | None = None) -> list[ItemView]:
    return [_item_view(r) for r in item_rows(conn, item_type=item_type,
                                             active_only=active_only, prefix=prefix)]


def item(conn: Connection, code: str) -> ItemView | None:
    row = conn.execute(select(items).where(items.c.code == code)).first()
    return _item_view(row) if row else None


@dataclass(frozen=True)
class LocationView:
    code: str
    quarantine: bool


@dataclass(frozen=True)
class WarehouseView:
    code: str
    name: str
    active: bool
    locations: list[LocationView]


def warehouse_views(conn: Connection, *, code: str | None = None) -> list[WarehouseView]:
    """Warehouses in code order, each with its locations in code order."""
    q = select(warehouses).order_by(warehouses.c.code)
    lq = select(warehouse_locations)
    if code:
        q = q.where(warehouses.c.code == code)
        lq = lq.where(warehouse_locations.c.warehouse == code)
    locs: dict[str, list[LocationView]] = {}
    for r in conn.execute(lq.order_by(warehouse_locations.c.warehouse,
                                      warehouse_locations.c.location)):
        locs.setdefault(r.warehouse, []).append(LocationView(r.location, r.quarantine))
    return [WarehouseView(r.code, r.name, r.active, locs.get(r.code, []))
            for r in conn.execute(q)]


@dataclass(frozen=True)
class PartyView:
    code: str
    name: str
    roles: list[str]
    uscc: str
    address: str
    phone: str
    bank: str
    bank_account: str
    payment_terms_days: int
    active: bool


def party_views(conn: Connection, *, role: str | None = None, code: str | None = None
                ) -> list[PartyView]:
    q = select(parties).order_by(parties.c.code)
    if role == "customer":
        q = q.where(parties.c.is_customer.is_(True))
    elif role == "supplier":
        q = q.where(parties.c.is_supplier.is_(True))
    if code:
        q = q.where(parties.c.code == code)
    return [PartyView(r.code, r.name,
                      [name for name, flag in (("customer", r.is_customer),
                                               ("supplier", r.is_supplier)) if flag],
                      r.uscc, r.address, r.phone, r.bank, r.bank_account,
                      r.payment_terms_days, r.active)
            for r in conn.execute(q)]


@dataclass(frozen=True)
class OrderLineView:
    line_no: int
    item: str
    qty: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    due_date: date
    warehouse: str
    delivered: Decimal
    returned: Decimal
    delivered_value: Decimal
    returned_value: Decimal
    reserved: Decimal
    last_delivery: date | None
    completed_on: date | None
    short_closed: Decimal = Decimal("0.000000")  # given up by a short-close

    @property
    def open_qty(self) -> Decimal:
        return max(self.qty - self.delivered + self.returned, Decimal("0.000000"))

    @property
    def amount(self) -> Decimal:
        """Line amount ex VAT, to the cent."""
        from domain.money import round_amount

        return round_amount(self.qty * self.unit_price)


@dataclass(frozen=True)
class OrderView:
    number: str
    kind: str
    party: str
    party_name: str
    order_date: date
    status: str
    position: int
    lines: list[OrderLineView]
    close_reason: str = ""


def orders_page(conn: Connection, *, kind: str | None = None, status: str | None = None,
                party: str | None = None, number: str | None = None, first: int = 50,
                after: str | None = None) -> tuple[list[OrderView], bool, str | None]:
    """Purchase and sales orders in the order they were created, with their lines."""
    o = orders
    q = (select(o, parties.c.name.label("party_name"))
         .outerjoin(parties, parties.c.code == o.c.party)
         .order_by(o.c.position).limit(first + 1))
    for col, value in ((o.c.kind, kind), (o.c.status, status), (o.c.party, party),
                       (o.c.number, number)):
        if value:
            q = q.where(col == value)
    if after:
        q = q.where(o.c.position > decode_cursor(after))
    rows = conn.execute(q).all()
    has_next = len(rows) > first
    rows = rows[:first]
    lines: dict[str, list[OrderLineView]] = {r.number: [] for r in rows}
    if rows:
        ln = order_lines
        for r in conn.execute(select(ln).where(ln.c.number.in_(list(lines)))
                              .order_by(ln.c.number, ln.c.line_no)):
            lines[r.number].append(OrderLineView(
                r.line_no, r.item, from_micros(r.qty_micros), Decimal(r.unit_price),
                Decimal(r.vat_rate), r.due_date, r.warehouse, from_micros(r.delivered_micros),
                from_micros(r.returned_micros), from_cents(r.delivered_value_cents),
                from_cents(r.returned_value_cents), from_micros(r.reserved_micros),
                r.last_delivery, r.completed_on, from_micros(r.short_closed_micros)))
    views = [OrderView(r.number, r.kind, r.party, r.party_name or "", r.order_date, r.status,
                       r.position, lines[r.number], r.close_reason) for r in rows]
    return views, has_next, (encode_cursor(rows[-1].position) if rows else None)


def order(conn: Connection, number: str) -> OrderView | None:
    views, _, _ = orders_page(conn, number=number, first=1)
    return views[0] if views else None


def document(conn: Connection, number: str) -> DocumentView | None:
    """One stock document with its lines."""
    rows = conn.execute(select(stock_documents)
                        .where(stock_documents.c.number == number)).all()
    return _document_views(conn, rows)[0] if rows else None
