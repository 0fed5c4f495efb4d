"""Supply-chain read models: master data, stock on hand by bin, the stock
card with running balances, stock documents, and order lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, select, tuple_, update

from domain.catalog.items import DEFAULT_INVENTORY_ACCOUNT, Item
from domain.catalog.warehouses import QUARANTINE, Warehouse
from domain.inventory.documents import StockDocument
from domain.inventory.stock import StockBalance
from domain.money import to_cents, to_micros
from domain.orders import OrderLine
from domain.parties import Party, PartyRole
from domain.purchasing import PurchaseOrder
from domain.sales import SalesOrder
from projections.runner import Notified
from projections.sql import upsert_replace
from projections.tables import (
    items,
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

# Stock, item and order ids are derived from their codes (uuid5), so these
# maps are the same in every database; they only save lookups.
_STOCK_KEYS: dict[Any, tuple[str, str]] = {}

_STOCK_MOVES = (StockBalance.Received, StockBalance.Issued, StockBalance.Moved,
                StockBalance.Revalued, StockBalance.BackdatedMovementSettled)


class InventoryProjection:
    name = "inventory"
    tables = (items, warehouses, warehouse_locations, parties, stock_balances, stock_bins,
              stock_moves, stock_documents, stock_document_lines, orders, order_lines)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        stock = _StockBatch(conn, batch)
        docs = _DocumentBatch()
        order_batch = _OrderBatch(conn, batch)
        for item in batch:
            ev = item.event
            if isinstance(ev, StockBalance.Event):
                stock.apply(item)
            elif isinstance(ev, StockDocument.Recorded):
                docs.apply(item)
            elif isinstance(ev, (PurchaseOrder.Event, SalesOrder.Event)):
                order_batch.apply(item)
            elif isinstance(ev, Item.Event):
                _item_event(conn, ev)
            elif isinstance(ev, Warehouse.Event):
                _warehouse_event(conn, ev)
            elif isinstance(ev, Party.Event):
                _party_event(conn, ev)
        stock.flush()
        docs.flush(conn)
        order_batch.flush()


class _StockBatch:
    """Running balances for the stock events of one batch, written in bulk."""

    def __init__(self, conn: Connection, batch: Sequence[Notified]) -> None:
        self.conn = conn
        self._new_ids = {n.event.originator_id for n in batch
                         if isinstance(n.event, StockBalance.Opened)}
        self.ids: dict[Any, tuple[str, str]] = {}  # originator id -> (item, warehouse)
        touched = {n.event.originator_id for n in batch if isinstance(n.event, StockBalance.Event)}
        self.balances: dict[tuple[str, str], list[int]] = {}
        self.bins: dict[tuple[str, str, str, str], int] = {}
        self.moves: list[dict[str, Any]] = []
        self._touched = touched
        self._load()

    def _load(self) -> None:
        self._dirty_bins: set[tuple[str, str, str, str]] = set()
        unknown = self._touched - _STOCK_KEYS.keys() - self._new_ids
        if unknown:  # ids are derived from (item, warehouse): learn them once
            from domain.inventory.stock import stock_id

            for r in self.conn.execute(select(stock_balances.c.item, stock_balances.c.warehouse)):
                _STOCK_KEYS[stock_id(r.item, r.warehouse)] = (r.item, r.warehouse)
        keys = sorted({_STOCK_KEYS[i] for i in self._touched if i in _STOCK_KEYS})
        self.ids.update({i: _STOCK_KEYS[i] for i in self._touched if i in _STOCK_KEYS})
        if not keys:
            return
        pairs = tuple_(stock_balances.c.item, stock_balances.c.warehouse).in_(keys)
        for r in self.conn.execute(select(stock_balances).where(pairs)):
            self.balances[(r.item, r.warehouse)] = [
                r.qty_micros, r.value_cents, r.reserved_micros, r.quarantine_micros]
        q = select(stock_bins).where(tuple_(stock_bins.c.item, stock_bins.c.warehouse).in_(keys))
        for b in self.conn.execute(q):
            self.bins[(b.item, b.warehouse, b.location, b.lot)] = b.qty_micros

    def apply(self, n: Notified) -> None:
        ev = n.event
        if isinstance(ev, StockBalance.Opened):
            self.ids[ev.originator_id] = _STOCK_KEYS[ev.originator_id] = (ev.item, ev.warehouse)
            self.balances[(ev.item, ev.warehouse)] = [0, 0, 0, 0]
            return
        key = self.ids[ev.originator_id]
        bal = self.balances[key]
        if isinstance(ev, StockBalance.Reserved):
            bal[2] += to_micros(ev.qty)
            return
        if isinstance(ev, StockBalance.Released):
            bal[2] -= to_micros(ev.qty)
            return
        if isinstance(ev, StockBalance.Issued) and ev.reservation and ev.consumed:
            bal[2] -= to_micros(ev.consumed)
        if not isinstance(ev, _STOCK_MOVES):
            return
        qty = value = 0
        location = to_location = lot = ""
        if isinstance(ev, StockBalance.Received):
            qty, value, location, lot = to_micros(ev.qty), to_cents(ev.value), ev.location, ev.lot
            self._bin(key, location, lot, qty)
        elif isinstance(ev, StockBalance.Issued):
            qty, value = -to_micros(ev.qty), -to_cents(ev.value)
            location, lot = ev.location, ev.lot
            self._bin(key, location, lot, qty)
        elif isinstance(ev, StockBalance.Moved):
            location, to_location, lot = ev.from_location, ev.to_location, ev.lot
            moved = to_micros(ev.qty)
            self._bin(key, location, lot, -moved)
            self._bin(key, to_location, lot, moved)
        elif isinstance(ev, StockBalance.BackdatedMovementSettled):  # what left for consumers
            value = -sum(to_cents(s.amount) for s in ev.shares)
        else:  # Revalued
            value = to_cents(ev.delta)
        bal[0] += qty
        bal[1] += value
        mv = ev.movement
        self.moves.append({
            "position": n.position,
            "item": key[0],
            "warehouse": key[1],
            "posting_date": ev.posting_date,
            "kind": mv.kind,
            "document": mv.document,
            "doc_line": mv.line,
            "location": location,
            "to_location": to_location,
            "lot": lot,
            "qty_micros": qty,
            "value_cents": value,
            "balance_qty_micros": bal[0],
            "balance_value_cents": bal[1],
            "entry_id": mv.entry_id,
        })

    def _bin(self, key: tuple[str, str], location: str, lot: str, delta: int) -> None:
        k = (key[0], key[1], location, lot)
        self.bins[k] = self.bins.get(k, 0) + delta
        self._dirty_bins.add(k)
        if location == QUARANTINE:
            self.balances[key][3] += delta

    def flush(self) -> None:
        if self.moves:
            self.conn.execute(stock_moves.insert(), self.moves)
        if self.balances:
            upsert_replace(self.conn, stock_balances, ("item", "warehouse"), [
                {"item": k[0], "warehouse": k[1], "qty_micros": b[0], "value_cents": b[1],
                 "reserved_micros": b[2], "quarantine_micros": b[3]}
                for k, b in sorted(self.balances.items())
            ])
        gone = sorted(k for k in self._dirty_bins if self.bins[k] == 0)
        kept = sorted(k for k in self._dirty_bins if self.bins[k] != 0)
        for k in gone:
            self.conn.execute(delete(stock_bins).where(and_(
                stock_bins.c.item == k[0], stock_bins.c.warehouse == k[1],
                stock_bins.c.location == k[2], stock_bins.c.lot == k[3])))
        upsert_replace(self.conn, stock_bins, ("item", "warehouse", "location", "lot"), [
            {"item": k[0], "warehouse": k[1], "location": k[2], "lot": k[3],
             "qty_micros": self.bins[k]} for k in kept
        ])


class _DocumentBatch:
    """Stock documents and their lines of one batch, inserted in bulk."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []

    def apply(self, n: Notified) -> None:
        ev = n.event
        self.docs.append({
            "number": ev.number, "kind": ev.kind.value, "posting_date": ev.posting_date,
            "party": ev.party, "order_no": ev.order, "entry_id": ev.entry_id,
            "voucher_no": ev.voucher_no,
            "total_value_cents": sum(to_cents(ln.value) for ln in ev.lines),
            "line_count": len(ev.lines), "note": ev.note[:200],
            "actor": n.meta.get("actor", ""), "position": n.position,
        })
        self.lines.extend(
            {"number": ev.number, "line_no": ln.line_no, "item": ln.item,
             "warehouse": ln.warehouse, "location": ln.location, "lot": ln.lot,
             "qty_micros": to_micros(ln.qty), "value_cents": to_cents(ln.value),
             "order_line": ln.order_line, "to_warehouse": ln.to_warehouse,
             "to_location": ln.to_location}
            for ln in ev.lines
        )

    def flush(self, conn: Connection) -> None:
        if self.docs:
            conn.execute(stock_documents.insert(), self.docs)
        if self.lines:
            conn.execute(stock_document_lines.insert(), self.lines)


def _line_row(number: str, kind: str, ln: OrderLine) -> dict[str, Any]:
    return {
        "number": number, "line_no": ln.line_no, "kind": kind, "item": ln.item,
        "qty_micros": to_micros(ln.qty), "unit_price": str(ln.unit_price),
        "vat_rate": str(ln.vat_rate), "due_date": ln.due_date, "warehouse": ln.warehouse,
        "delivered_micros": to_micros(ln.delivered), "returned_micros": to_micros(ln.returned),
        "delivered_value_cents": to_cents(ln.delivered_value),
        "returned_value_cents": to_cents(ln.returned_value),
        "reserved_micros": to_micros(ln.reserved), "last_delivery": ln.last_delivery,
        "short_closed_micros": 0,
    }


# The facts about one order line. Each carries its order number (and item),
# so the batch needs no order-id lookup for them; the row sums them up.
_LINE_FACTS = (
    PurchaseOrder.GoodsReceived, PurchaseOrder.GoodsReturnedToSupplier,
    PurchaseOrder.OrderLineAmended, SalesOrder.GoodsShipped,
    SalesOrder.GoodsReturnedByCustomer, SalesOrder.StockReserved,
    SalesOrder.ReservationReleased, SalesOrder.OrderLineAmended,
)


_SHORT_CLOSED = (PurchaseOrder.ShortClosed, SalesOrder.ShortClosed)


def _apply_line_fact(row: dict[str, Any], ev: Any) -> None:
    """Add one line fact to its order-line row: only copies and sums."""
    if isinstance(ev, (PurchaseOrder.OrderLineAmended, SalesOrder.OrderLineAmended)):
        row.update(qty_micros=to_micros(ev.qty), unit_price=str(ev.unit_price),
                   due_date=ev.due_date)
    elif isinstance(ev, (PurchaseOrder.GoodsReceived, SalesOrder.GoodsShipped)):
        value = ev.value if isinstance(ev, PurchaseOrder.GoodsReceived) else ev.cost
        row["delivered_micros"] += to_micros(ev.qty)
        row["delivered_value_cents"] += to_cents(value)
        row["last_delivery"] = ev.day
        if isinstance(ev, SalesOrder.GoodsShipped):
            row["reserved_micros"] -= to_micros(ev.reservation_used)
    elif isinstance(ev, (PurchaseOrder.GoodsReturnedToSupplier,
                         SalesOrder.GoodsReturnedByCustomer)):
        value = ev.value if isinstance(ev, PurchaseOrder.GoodsReturnedToSupplier) else ev.cost
        row["returned_micros"] += to_micros(ev.qty)
        row["returned_value_cents"] += to_cents(value)
    elif isinstance(ev, SalesOrder.StockReserved):
        row["reserved_micros"] += to_micros(ev.qty)
    elif isinstance(ev, SalesOrder.ReservationReleased):
        row["reserved_micros"] -= to_micros(ev.qty)
    delivered = row["delivered_micros"]
    done = delivered - row["returned_micros"] >= row["qty_micros"] and delivered > 0
    row["completed_on"] = row["completed_on"] or (row["last_delivery"] if done else None)


class _OrderBatch:
    """Order and order-line rows of one batch: each row is written once, with
    the state after the batch's last event for it (the same rows the events
    would leave if applied one by one)."""

    def __init__(self, conn: Connection, batch: Sequence[Notified]) -> None:
        self.conn = conn
        self.new_orders: dict[str, dict[str, Any]] = {}  # created in this batch: insert
        self.new_lines: dict[tuple[str, int], dict[str, Any]] = {}
        self.status: dict[str, str] = {}  # orders created before: update
        self.reasons: dict[str, str] = {}  # short-closed, created before: update
        self.lines: dict[tuple[str, int], dict[str, Any]] = {}  # lines stored before: update
        wanted = sorted({(n.event.number, n.event.line_no) for n in batch
                         if isinstance(n.event, _LINE_FACTS)} | {
            (n.event.number, ln.line_no) for n in batch
            if isinstance(n.event, _SHORT_CLOSED) for ln in n.event.lines})
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            q = select(order_lines).where(
                tuple_(order_lines.c.number, order_lines.c.line_no).in_(chunk))
            for r in conn.execute(q):
                self.lines[(r.number, r.line_no)] = dict(r._mapping)

    def apply(self, n: Notified) -> None:
        ev = n.event
        kind = _order_kind(ev)
        if isinstance(ev, (PurchaseOrder.Created, SalesOrder.Created)):
            party = ev.supplier if kind == "purchase" else ev.customer
            self.new_orders[ev.number] = {
                "number": ev.number, "kind": kind, "party": party, "order_date": ev.order_date,
                "status": "draft", "position": n.position, "close_reason": ""}
            for ln in ev.lines:
                self.new_lines[(ev.number, ln.line_no)] = {
                    **_line_row(ev.number, kind, ln), "completed_on": None}
            _ORDER_NUMBERS[ev.originator_id] = ev.number
        elif isinstance(ev, _LINE_FACTS):
            key = (ev.number, ev.line_no)
            row = self.new_lines.get(key) or self.lines.get(key)
            if row is not None:  # else no such line: the fact changes no row
                _apply_line_fact(row, ev)
        elif isinstance(ev, _SHORT_CLOSED):
            self._short_closed(ev)
        elif isinstance(ev, (PurchaseOrder.StatusSet, SalesOrder.StatusSet)):
            number = _order_number(self.conn, ev.originator_id, kind)
            if number in self.new_orders:
                self.new_orders[number]["status"] = ev.status.value
            else:
                self.status[number] = ev.status.value

    def _short_closed(self, ev: Any) -> None:
        """The order closed with its reason; each line's quantity down by what it gave up."""
        for given_up in ev.lines:
            key = (ev.number, given_up.line_no)
            row = self.new_lines.get(key) or self.lines.get(key)
            if row is not None:
                row["qty_micros"] -= to_micros(given_up.qty)
                row["short_closed_micros"] += to_micros(given_up.qty)
        if ev.number in self.new_orders:
            self.new_orders[ev.number].update(status="closed", close_reason=ev.reason)
        else:
            self.status[ev.number] = "closed"
            self.reasons[ev.number] = ev.reason

    def flush(self) -> None:
        conn = self.conn
        if self.new_orders:
            conn.execute(orders.insert(), list(self.new_orders.values()))
        if self.new_lines:
            conn.execute(order_lines.insert(), list(self.new_lines.values()))
        if self.status:
            conn.execute(
                update(orders).where(orders.c.number == bindparam("b_number"))
                .values(status=bindparam("b_status")),
                [{"b_number": k, "b_status": v} for k, v in self.status.items()])
        if self.reasons:
            conn.execute(
                update(orders).where(orders.c.number == bindparam("b_number"))
                .values(close_reason=bindparam("b_reason")),
                [{"b_number": k, "b_reason": v} for k, v in self.reasons.items()])
        if self.lines:
            first = next(iter(self.lines.values()))
            cols = [c for c in first if c not in ("number", "line_no")]
            stmt = (update(order_lines)
                    .where(and_(order_lines.c.number == bindparam("b_number"),
                                order_lines.c.line_no == bindparam("b_line_no")))
                    .values({c: bindparam(f"b_{c}") for c in cols}))
            conn.execute(stmt, [{f"b_{c}": v for c, v in row.items()}
                                for row in self.lines.values()])


def _order_kind(ev: Any) -> str:
    return "purchase" if isinstance(ev, PurchaseOrder.Event) else "sales"


# Order ids are derived from their numbers; remember them to map the events
# that do not carry the number (StatusSet) back. The line facts carry it.
_ORDER_NUMBERS: dict[Any, str] = {}


def _order_number(conn: Connection, originator_id: Any, kind: str) -> str:
    number = _ORDER_NUMBERS.get(originator_id)
    if number is None:
        from domain.purchasing import purchase_order_id
        from domain.sales import sales_order_id

        make = purchase_order_id if kind == "purchase" else sales_order_id
        for (num,) in conn.execute(select(orders.c.number).where(orders.c.kind == kind)):
            _ORDER_NUMBERS[make(num)] = num
        number = _ORDER_NUMBERS[originator_id]
    return number


def _item_row(spec, active: bool) -> dict[str, Any]:
    p = spec.planning
    return {
        "code": spec.code, "name": spec.name, "uom": spec.uom,
        "item_type": spec.item_type.value, "lot_tracked": spec.lot_tracked,
        "standard_cost": str(spec.standard_cost), "default_warehouse": spec.default_warehouse,
        "tax_code": spec.tax_code, "vat_rate": str(spec.vat_rate),
        "inventory_account": spec.inventory_account or DEFAULT_INVENTORY_ACCOUNT[spec.item_type],
        "spec": spec.spec, "lead_time_days": p.lead_time_days,
        "lot_size_rule": p.lot_size_rule.value, "lot_size": str(p.lot_size),
        "lot_multiple": str(p.lot_multiple), "safety_stock": str(p.safety_stock),
        "scrap_factor": str(p.scrap_factor), "active": active,
        "tax_short_name": spec.tax_short_name,
    }


def _item_event(conn: Connection, ev: Any) -> None:
    if isinstance(ev, Item.Created):
        conn.execute(items.insert().values(**_item_row(ev.spec, True)))
        _ITEM_CODES[ev.originator_id] = ev.spec.code
    elif isinstance(ev, Item.Changed):
        row = _item_row(ev.spec, True)
        row.pop("active")
        conn.execute(update(items).where(items.c.code == ev.spec.code).values(**row))
    elif isinstance(ev, Item.ActivitySet):
        code = _code_of(conn, ev.originator_id)
        conn.execute(update(items).where(items.c.code == code).values(active=ev.active))


_ITEM_CODES: dict[Any, str] = {}


def _code_of(conn: Connection, originator_id: Any) -> str:
    if originator_id not in _ITEM_CODES:
        from domain.catalog.items import item_id

        for (code,) in conn.execute(select(items.c.code)):
            _ITEM_CODES[item_id(code)] = code
    return _ITEM_CODES[originator_id]


def _warehouse_event(conn: Connection, ev: Any) -> None:
    if isinstance(ev, Warehouse.Created):
        conn.execute(warehouses.insert().values(code=ev.code, name=ev.name, active=True))
        conn.execute(warehouse_locations.insert(), [
            {"warehouse": ev.code, "location": loc, "quarantine": loc == QUARANTINE}
            for loc in ev.locations])
    elif isinstance(ev, Warehouse.LocationAdded):
        from domain.catalog.warehouses import warehouse_id

        code = next(c for (c,) in conn.execute(select(warehouses.c.code))
                    if warehouse_id(c) == ev.originator_id)
        conn.execute(warehouse_locations.insert().values(
            warehouse=code, location=ev.location, quarantine=False))


def _party_row(spec, active: bool = True) -> dict[str, Any]:
    return {
        "code": spec.code, "name": spec.name,
        "is_customer": PartyRole.CUSTOMER in spec.roles,
        "is_supplier": PartyRole.SUPPLIER in spec.roles, "uscc": spec.uscc,
        "address": spec.address, "phone": spec.phone, "bank": spec.bank,
        "bank_account": spec.bank_account, "payment_terms_days": spec.payment_terms_days,
        "active": active,
    }


def _party_event(conn: Connection, ev: Any) -> None:
    if isinstance(ev, Party.Registered):
        conn.execute(parties.insert().values(**_party_row(ev.spec)))
    elif isinstance(ev, Party.Changed):
        row = _party_row(ev.spec)
        row.pop("active")
        conn.execute(update(parties).where(parties.c.code == ev.spec.code).values(**row))
