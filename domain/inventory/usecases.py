"""Supply-chain use cases: items, warehouses, parties, purchase and sales
orders, receipts, returns, shipments, transfers, counts and adjustments.

Each stock movement is saved atomically with its document, the order it
fulfils, the stock balances it changes and the journal entry its posting
rule makes (DESIGN.md section 1, "ledger first").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.items import Item, ItemSpec, check_item_code, check_item_spec, item_id
from domain.catalog.warehouses import Warehouse, warehouse_id
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory import posting
from domain.inventory.documents import PREFIX, DocumentKind, DocumentLine, StockDocument
from domain.inventory.recording import DocumentResult
from domain.inventory.stock import Movement, StockBalance, stock_id
from domain.inventory.valuation import receipt_value, return_out
from domain.ledger.entries import SourceRef
from domain.ledger.periods import voucher_number
from domain.money import parse_amount, parse_price, parse_quantity, round_amount
from domain.orders import OrderLine, OrderLineInput
from domain.parties import Party, PartyRole, PartySpec, check_party_spec, party_id
from domain.purchasing import PurchaseOrder, check_tolerance, purchase_order_id
from domain.sales import SalesOrder, reservation_key, sales_order_id
from domain.sequences import DocumentSequence, sequence_id

ZERO_QTY = Decimal("0.000000")


# -- inputs (what a client sends; amounts may still be text) ---------------------------
@dataclass(frozen=True)
class MoveLineInput:
    """A line of a receipt, return or shipment against an order line."""

    line_no: int
    qty: Any
    warehouse: str = ""
    location: str = ""
    lot: str = ""


@dataclass(frozen=True)
class TransferLineInput:
    item: str
    qty: Any
    from_warehouse: str
    to_warehouse: str
    from_location: str = ""
    to_location: str = ""
    lot: str = ""


@dataclass(frozen=True)
class CountLineInput:
    item: str
    counted_qty: Any
    location: str = ""
    lot: str = ""
    unit_cost: Any = None  # for a gain where nothing is on hand; default standard cost


@dataclass(frozen=True)
class AdjustmentLineInput:
    item: str
    warehouse: str
    qty: Any  # + stock in, - stock out
    unit_cost: Any = None  # stock in: default standard cost
    location: str = ""
    lot: str = ""


# -- results ------------------------------------------------------------------------
@dataclass(frozen=True)
class CodeResult:
    code: str


@dataclass(frozen=True)
class OrderResult:
    number: str


@dataclass
class _Work:
    """Aggregates one command touches, each loaded once.

    A command whose stock movements are decided line by line (a shipment, a
    count, an issue…) numbers its document and chooses its journal entry's id
    at the first movement (``movement``), so every event is made complete and
    none is changed afterwards. ``posts`` says whether the document will post
    a voucher (see ``numbered_first``)."""

    app: Any
    loaded: dict[Any, Any] = field(default_factory=dict)
    posts: bool = True
    number: str = ""
    entry_id: str = ""

    def movement(self, kind: DocumentKind, line: int) -> Movement:
        if not self.number:
            self.number = self.app._number(self, PREFIX[kind])
            self.entry_id = str(uuid.uuid4()) if self.posts else ""
        return Movement(kind.value, self.number, line, self.entry_id)

    def check_posted(self, entry_id: str) -> None:
        """The movements named the entry the voucher made (or none when none)."""
        if self.number and entry_id != self.entry_id:
            raise _PostingGuessedWrong(bool(entry_id))

    def get(self, agg_id: Any, missing: Exception | None = None, factory=None):
        if agg_id not in self.loaded:
            try:
                self.loaded[agg_id] = self.app.repository.get(agg_id)
            except AggregateNotFoundError:
                if factory is None:
                    raise missing from None
                self.loaded[agg_id] = factory()
        return self.loaded[agg_id]

    def changed(self) -> list[Any]:
        return [a for a in self.loaded.values() if a.pending_events]


class _PostingGuessedWrong(Exception):
    """Movements were made naming an entry, and the voucher came out empty (or
    the other way round): decide again with the right guess."""

    def __init__(self, posts: bool) -> None:
        super().__init__(posts)
        self.posts = posts


def numbered_first(decide: Callable[[bool], Any]) -> Callable[[], Any]:
    """Run ``decide(posts)`` guessing the document posts a voucher; when the
    voucher comes out empty (a count without value, a transfer inside one
    warehouse) decide again on fresh copies, the movements naming no entry."""

    def run() -> Any:
        posts = True
        for _ in range(3):
            try:
                return decide(posts)
            except _PostingGuessedWrong as wrong:
                posts = wrong.posts
        return decide(posts)

    return run


class InventoryUseCases:
    """Mixed into the company Application (domain/application.py)."""

    # -- lookups --------------------------------------------------------------------
    def _item(self, work: _Work, code: str, field: str = "item") -> Item:
        code = check_item_code(code, field)
        item = work.get(item_id(code), NotFound(f"item {code} does not exist", "Item", code))
        item.check_active()
        return item

    def _warehouse(self, work: _Work, code: str, field: str = "warehouse") -> Warehouse:
        code = check_item_code(code or "", field) if code else ""
        if not code:
            raise ValidationError(f"{field}: a warehouse is required", field)
        return work.get(
            warehouse_id(code), NotFound(f"warehouse {code} does not exist", "Warehouse", code)
        )

    def _party(self, work: _Work, code: str, role: PartyRole, field: str) -> Party:
        code = check_item_code(code, field)
        party = work.get(
            party_id(code), NotFound(f"{role.value} {code} does not exist", "Party", code)
        )
        if not party.has_role(role):
            raise BusinessRuleViolation("WRONG_PARTY_ROLE", f"party {code} is not a {role.value}")
        return party

    def _stock(self, work: _Work, item: str, warehouse: str) -> StockBalance:
        return work.get(
            stock_id(item, warehouse), factory=lambda: StockBalance(item=item, warehouse=warehouse)
        )

    def _placed(self, work: _Work, item_code: str, warehouse: str, location: str, lot: str,
                path: str) -> tuple[Item, Warehouse, str, str]:
        """The item, warehouse (default: the item's), location and lot a document
        line names, each checked."""
        item = self._item(work, item_code, f"{path}.item")
        wh = self._warehouse(work, warehouse or item.spec.default_warehouse,
                             f"{path}.warehouse")
        loc = wh.check_location(location, f"{path}.location")
        return item, wh, loc, self._lot(item, lot, f"{path}.lot")

    def _number(self, work: _Work, prefix: str) -> str:
        seq = work.get(sequence_id(prefix), factory=lambda: DocumentSequence(prefix))
        return seq.take()

    @staticmethod
    def _lot(item: Item, lot: str, field: str) -> str:
        lot = (lot or "").strip()
        if item.spec.lot_tracked and not lot:
            raise ValidationError(f"{field}: item {item.code} is lot-tracked; give a lot", field)
        if not item.spec.lot_tracked and lot:
            raise ValidationError(f"{field}: item {item.code} is not lot-tracked", field)
        if len(lot) > 40:
            raise ValidationError(f"{field}: lot number is longer than 40 characters", field)
        return lot

    def _post(
        self,
        work: _Work,
        voucher: posting.Voucher,
        day: date,
        summary: str,
        kind: DocumentKind | str,
        number: str,
        entry_id: str = "",
    ) -> tuple[str, str]:
        """Post the document's voucher in the same save; return (entry id, voucher no).
        ``entry_id``: the id its movements already name (chosen before them)."""
        kind = kind.value if isinstance(kind, DocumentKind) else kind
        if not voucher:
            # Nothing to post (a count without difference, a report of
            # quantities only): the date still passes the gate the posting
            # would have applied (window, closed period).
            self.business_date(day)
            return "", ""
        entry, changed = self.prepare_entry(day, summary, voucher.lines(), SourceRef(kind, number),
                                            entry_id=uuid.UUID(entry_id) if entry_id else None)
        for aggregate in changed:
            work.loaded[aggregate.id] = aggregate
        return str(entry.id), voucher_number(entry.voucher_seq)

    # -- master data ------------------------------------------------------------------
    def create_item(self, spec: ItemSpec, ctx: CommandContext = CommandContext()):
        def decide():
            checked = check_item_spec(spec)
            if checked.inventory_account:
                self.chart().check_postable(checked.inventory_account, "inventoryAccount")
            try:
                self.repository.get(item_id(checked.code), deepcopy_from_cache=False)
            except AggregateNotFoundError:
                return CodeResult(checked.code), [Item(checked)]
            raise BusinessRuleViolation("ITEM_EXISTS", f"item {checked.code} already exists")

        return self._execute("create_item", spec, ctx, decide, CodeResult)

    def change_item(
        self, code: str, changes: dict[str, Any], ctx: CommandContext = CommandContext()
    ):
        allowed = set(ItemSpec.__dataclass_fields__) - {"code", "item_type"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"cannot change {', '.join(sorted(unknown))}", "changes")

        def decide():
            work = _Work(self)
            item = self._item(work, code)
            spec = check_item_spec(replace(item.spec, **changes))
            if spec.inventory_account:
                self.chart().check_postable(spec.inventory_account, "inventoryAccount")
            item.change(**{k: getattr(spec, k) for k in changes})
            return CodeResult(item.code), work.changed()

        return self._execute("change_item", (code, changes), ctx, decide, CodeResult)

    def set_item_active(self, code: str, active: bool, ctx: CommandContext = CommandContext()):
        def decide():
            code_ = check_item_code(code)
            work = _Work(self)
            item = work.get(item_id(code_), NotFound(f"item {code_} does not exist", "Item", code_))
            item.set_active(active)
            return CodeResult(item.code), work.changed()

        return self._execute("set_item_active", (code, active), ctx, decide, CodeResult)

    def create_warehouse(
        self,
        code: str,
        name: str,
        locations: Sequence[str] | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        def decide():
            code_, name_, locs = Warehouse.plan(code, name, list(locations or []))
            try:
                self.repository.get(warehouse_id(code_), deepcopy_from_cache=False)
            except AggregateNotFoundError:
                return CodeResult(code_), [Warehouse(code_, name_, locs)]
            raise BusinessRuleViolation("WAREHOUSE_EXISTS", f"warehouse {code_} already exists")

        return self._execute("create_warehouse", (code, name, locations), ctx, decide, CodeResult)

    def add_location(self, warehouse: str, location: str, ctx: CommandContext = CommandContext()):
        def decide():
            work = _Work(self)
            wh = self._warehouse(work, warehouse)
            wh.add_location(location)
            return CodeResult(wh.code), work.changed()

        return self._execute("add_location", (warehouse, location), ctx, decide, CodeResult)

    def register_party(self, spec: PartySpec, ctx: CommandContext = CommandContext()):
        def decide():
            checked = check_party_spec(spec)
            try:
                self.repository.get(party_id(checked.code), deepcopy_from_cache=False)
            except AggregateNotFoundError:
                return CodeResult(checked.code), [Party(checked)]
            raise BusinessRuleViolation("PARTY_EXISTS", f"party {checked.code} already exists")

        return self._execute("register_party", spec, ctx, decide, CodeResult)

    def change_party(self, spec: PartySpec, ctx: CommandContext = CommandContext()):
        def decide():
            checked = check_party_spec(spec)
            work = _Work(self)
            party = work.get(
                party_id(checked.code),
                NotFound(f"party {checked.code} does not exist", "Party", checked.code),
            )
            party.change(checked)
            return CodeResult(checked.code), work.changed()

        return self._execute("change_party", spec, ctx, decide, CodeResult)

    # -- orders (shared) ----------------------------------------------------------------
    def _order_lines(
        self, work: _Work, lines: Sequence[OrderLineInput], order_date: date
    ) -> tuple[OrderLine, ...]:
        if not lines:
            raise ValidationError("an order needs at least one line", "lines")
        if len(lines) > 500:
            raise ValidationError("an order may have at most 500 lines", "lines")
        result = []
        for i, ln in enumerate(lines):
            path = f"lines.{i}"
            item = self._item(work, ln.item, f"{path}.item")
            qty = parse_quantity(ln.qty, f"{path}.qty")
            price = parse_price(ln.unit_price, f"{path}.unitPrice")
            from domain.catalog.items import check_vat_rate

            vat = (
                check_vat_rate(ln.vat_rate, f"{path}.vatRate")
                if ln.vat_rate is not None
                else item.spec.vat_rate
            )
            if not isinstance(ln.due_date, date):
                raise ValidationError(f"{path}.dueDate: a date is required", f"{path}.dueDate")
            if ln.due_date < order_date:
                raise ValidationError(f"{path}.dueDate is before the order date", f"{path}.dueDate")
            wh_code = (ln.warehouse or item.spec.default_warehouse or "").strip().upper()
            if wh_code:
                self._warehouse(work, wh_code, f"{path}.warehouse")
            result.append(OrderLine(i + 1, item.code, qty, price, vat, ln.due_date, wh_code))
        return tuple(result)

    # -- purchasing ------------------------------------------------------------------------
    def create_purchase_order(
        self,
        supplier: str,
        order_date: date,
        lines: Sequence[OrderLineInput],
        over_receipt_tolerance: Any = None,
        ctx: CommandContext = CommandContext(),
    ):
        def decide():
            work = _Work(self)
            po = self._new_purchase_order(work, supplier, order_date, lines, over_receipt_tolerance)
            return OrderResult(po.number), [*work.changed(), po]

        payload = (supplier, order_date, list(lines), over_receipt_tolerance)
        return self._execute("create_purchase_order", payload, ctx, decide, OrderResult)

    def _new_purchase_order(
        self,
        work: _Work,
        supplier: str,
        order_date: date,
        lines: Sequence[OrderLineInput],
        over_receipt_tolerance: Any = None,
    ) -> PurchaseOrder:
        """A numbered draft purchase order (also used when firming planned purchases)."""
        party = self._party(work, supplier, PartyRole.SUPPLIER, "supplier")
        order_lines = self._order_lines(work, lines, order_date)
        tolerance = check_tolerance(over_receipt_tolerance)
        return PurchaseOrder(
            number=self._number(work, "PO"),
            supplier=party.code,
            order_date=order_date,
            lines=order_lines,
            over_receipt_tolerance=tolerance,
        )

    def _po(self, work: _Work, number: str) -> PurchaseOrder:
        number = (number or "").strip().upper()
        return work.get(
            purchase_order_id(number),
            NotFound(f"purchase order {number} does not exist", "PurchaseOrder", number),
        )

    def confirm_purchase_order(self, number: str, ctx: CommandContext = CommandContext()):
        return self._order_step(
            "confirm_purchase_order", self._po, number, lambda o: o.confirm(), ctx
        )

    def cancel_purchase_order(self, number: str, ctx: CommandContext = CommandContext()):
        return self._order_step(
            "cancel_purchase_order", self._po, number, lambda o: o.cancel(), ctx
        )

    def amend_purchase_order_line(
        self,
        number: str,
        line_no: int,
        qty: Any = None,
        unit_price: Any = None,
        due_date: date | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        def change(order):
            order.amend_line(
                line_no,
                parse_quantity(qty, "qty") if qty is not None else None,
                parse_price(unit_price, "unitPrice") if unit_price is not None else None,
                due_date,
            )

        return self._order_step(
            "amend_purchase_order_line",
            self._po,
            number,
            change,
            ctx,
            payload=(number, line_no, qty, unit_price, due_date),
        )

    def _order_step(self, command, loader, number, change, ctx, payload=None):
        def decide():
            work = _Work(self)
            order = loader(work, number)
            change(order)
            return OrderResult(order.number), work.changed()

        return self._execute(command, payload or number, ctx, decide, OrderResult)

    def receive_purchase_order(
        self,
        number: str,
        posting_date: date,
        lines: Sequence[MoveLineInput],
        ctx: CommandContext = CommandContext(),
    ):
        """采购入库: Dr inventory / Cr 220202 at the order price."""

        def decide():
            work = _Work(self)
            po = self._po(work, number)
            _check_lines(lines)
            voucher = posting.Voucher()
            moves = []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                qty = parse_quantity(ln.qty, f"{path}.qty")
                line = po.check_receivable(ln.line_no, qty, f"{path}.lineNo")
                item, wh, loc, lot = self._placed(
                    work, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
                )
                value = receipt_value(qty, line.unit_price)
                posting.receipt(voucher, item.inventory_account, value)
                po.receive(ln.line_no, qty, value, posting_date, wh.code)
                moves.append(
                    DocumentLine(
                        i + 1, item.code, wh.code, loc, lot, qty, value, order_line=ln.line_no
                    )
                )
            return self._record_document(
                work,
                DocumentKind.RECEIPT,
                posting_date,
                voucher,
                moves,
                f"采购入库 {po.number}",
                party=po.supplier,
                order=po.number,
            )

        payload = (number, posting_date, list(lines))
        return self._execute("receive_purchase_order", payload, ctx, decide, DocumentResult)

    def return_to_supplier(
        self,
        number: str,
        posting_date: date,
        lines: Sequence[MoveLineInput],
        ctx: CommandContext = CommandContext(),
    ):
        """采购退货 at the price received; the average of what remains adjusts."""

        def decide(posts: bool = True):
            work = _Work(self, posts=posts)
            po = self._po(work, number)
            _check_lines(lines)
            voucher = posting.Voucher()
            moves = []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                qty = parse_quantity(ln.qty, f"{path}.qty")
                line = po.check_returnable(ln.line_no, qty)
                item, wh, loc, lot = self._placed(
                    work, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
                )
                stock = self._stock(work, item.code, wh.code)
                stock.check_can_issue(qty, loc, lot, allow_quarantine=True)
                price_value = line.returnable_value(qty)
                stock_value, residue = return_out(stock.qty, stock.value, qty, price_value)
                posting.supplier_return(voucher, item.inventory_account, stock_value, price_value)
                po.return_goods(ln.line_no, qty, price_value, posting_date, wh.code)
                moves.append(
                    DocumentLine(
                        i + 1,
                        item.code,
                        wh.code,
                        loc,
                        lot,
                        -qty,
                        -stock_value,
                        order_line=ln.line_no,
                        note=f"residue {residue}" if residue else "",
                    )
                )
                # Issue now, so a second line on the same stock sees this one.
                stock.issue(
                    qty,
                    stock_value,
                    loc,
                    lot,
                    posting_date,
                    work.movement(DocumentKind.SUPPLIER_RETURN, i + 1),
                    allow_quarantine=True,
                )
            return self._record_document(
                work,
                DocumentKind.SUPPLIER_RETURN,
                posting_date,
                voucher,
                moves,
                f"采购退货 {po.number}",
                party=po.supplier,
                order=po.number,
                already_moved=True,
            )

        payload = (number, posting_date, list(lines))
        return self._execute(
            "return_to_supplier", payload, ctx, numbered_first(decide), DocumentResult,
        )

    # -- sales -------------------------------------------------------------------------------
    def create_sales_order(
        self,
        customer: str,
        order_date: date,
        lines: Sequence[OrderLineInput],
        ctx: CommandContext = CommandContext(),
    ):
        def decide():
            work = _Work(self)
            party = self._party(work, customer, PartyRole.CUSTOMER, "customer")
            order_lines = self._order_lines(work, lines, order_date)
            for i, ln in enumerate(order_lines):
                if not ln.warehouse:
                    raise ValidationError(
                        f"lines.{i}.warehouse: item {ln.item} has no default warehouse; name one",
                        f"lines.{i}.warehouse",
                    )
            number = self._number(work, "SO")
            so = SalesOrder(
                number=number, customer=party.code, order_date=order_date, lines=order_lines
            )
            return OrderResult(number), [*work.changed(), so]

        payload = (customer, order_date, list(lines))
        return self._execute("create_sales_order", payload, ctx, decide, OrderResult)

    def _so(self, work: _Work, number: str) -> SalesOrder:
        number = (number or "").strip().upper()
        return work.get(
            sales_order_id(number),
            NotFound(f"sales order {number} does not exist", "SalesOrder", number),
        )

    def confirm_sales_order(self, number: str, ctx: CommandContext = CommandContext()):
        """Confirm and reserve what is available of each line (预留库存)."""

        def decide():
            work = _Work(self)
            so = self._so(work, number)
            so.confirm()
            self._reserve(work, so)
            return OrderResult(so.number), work.changed()

        return self._execute("confirm_sales_order", number, ctx, decide, OrderResult)

    def reserve_sales_order(self, number: str, ctx: CommandContext = CommandContext()):
        """Top up reservations of a confirmed order from newly available stock."""

        def decide():
            work = _Work(self)
            so = self._so(work, number)
            if so.status.value != "confirmed":
                raise BusinessRuleViolation(
                    "ORDER_NOT_OPEN", f"order {so.number} is {so.status.value}"
                )
            self._reserve(work, so)
            return OrderResult(so.number), work.changed()

        return self._execute("reserve_sales_order", number, ctx, decide, OrderResult)

    def _reserve(self, work: _Work, so: SalesOrder) -> None:
        for line in list(so.lines.values()):
            wanted = line.open_qty - line.reserved
            if wanted > 0:
                stock = self._stock(work, line.item, line.warehouse)
                got = stock.reserve(reservation_key(so.number, line.line_no), wanted)
                so.reserve(line.line_no, got)

    def cancel_sales_order(self, number: str, ctx: CommandContext = CommandContext()):
        def decide():
            work = _Work(self)
            so = self._so(work, number)
            so.cancel()
            for line in list(so.lines.values()):
                if line.reserved:
                    self._stock(work, line.item, line.warehouse).release(
                        reservation_key(so.number, line.line_no)
                    )
                    so.release(line.line_no, line.reserved)
            return OrderResult(so.number), work.changed()

        return self._execute("cancel_sales_order", number, ctx, decide, OrderResult)

    def amend_sales_order_line(
        self,
        number: str,
        line_no: int,
        qty: Any = None,
        unit_price: Any = None,
        due_date: date | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        def decide():
            work = _Work(self)
            so = self._so(work, number)
            line = so.amend_line(
                line_no,
                parse_quantity(qty, "qty") if qty is not None else None,
                parse_price(unit_price, "unitPrice") if unit_price is not None else None,
                due_date,
            )
            excess = line.reserved - line.open_qty
            if excess > 0:  # reduced below what is reserved: give the excess back
                stock = self._stock(work, line.item, line.warehouse)
                key = reservation_key(so.number, line_no)
                stock.release(key)
                stock.reserve(key, line.open_qty)
                so.release(line_no, excess)
            return OrderResult(so.number), work.changed()

        payload = (number, line_no, qty, unit_price, due_date)
        return self._execute("amend_sales_order_line", payload, ctx, decide, OrderResult)

    def ship_sales_order(
        self,
        number: str,
        posting_date: date,
        lines: Sequence[MoveLineInput],
        ctx: CommandContext = CommandContext(),
    ):
        """销售出库 at moving average: Dr 5401 / Cr inventory."""

        def decide(posts: bool = True):
            work = _Work(self, posts=posts)
            so = self._so(work, number)
            _check_lines(lines)
            voucher = posting.Voucher()
            moves, issues = [], []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                qty = parse_quantity(ln.qty, f"{path}.qty")
                line = so.check_shippable(ln.line_no, qty)
                item, wh, loc, lot = self._placed(
                    work, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
                )
                stock = self._stock(work, item.code, wh.code)
                key = reservation_key(so.number, ln.line_no)
                stock.check_can_issue(qty, loc, lot, reservation=key)
                value = stock.value_of(qty)
                posting.shipment(voucher, item.inventory_account, value)
                issues.append((stock, qty, value, loc, lot, key, i + 1))
                so.ship(
                    ln.line_no,
                    qty,
                    value,
                    posting_date,
                    min(stock.reservations.get(key, ZERO_QTY), qty),
                    wh.code,
                )
                moves.append(
                    DocumentLine(
                        i + 1, item.code, wh.code, loc, lot, -qty, -value, order_line=ln.line_no
                    )
                )
                # Issue now, so a second line on the same stock sees this one.
                stock.issue(
                    qty,
                    value,
                    loc,
                    lot,
                    posting_date,
                    work.movement(DocumentKind.SHIPMENT, i + 1),
                    reservation=key,
                )
            return self._record_document(
                work,
                DocumentKind.SHIPMENT,
                posting_date,
                voucher,
                moves,
                f"销售出库 {so.number}",
                party=so.customer,
                order=so.number,
                already_moved=True,
            )

        payload = (number, posting_date, list(lines))
        return self._execute(
            "ship_sales_order", payload, ctx, numbered_first(decide), DocumentResult,
        )

    def return_from_customer(
        self,
        number: str,
        posting_date: date,
        lines: Sequence[MoveLineInput],
        ctx: CommandContext = CommandContext(),
    ):
        """销售退货 back into stock at the cost it left with: Dr inventory / Cr 5401."""

        def decide():
            work = _Work(self)
            so = self._so(work, number)
            _check_lines(lines)
            voucher = posting.Voucher()
            moves = []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                qty = parse_quantity(ln.qty, f"{path}.qty")
                line = so.check_returnable(ln.line_no, qty)
                item, wh, loc, lot = self._placed(
                    work, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
                )
                value = line.returnable_value(qty)
                posting.customer_return(voucher, item.inventory_account, value)
                so.take_back(ln.line_no, qty, value, posting_date, wh.code)
                moves.append(
                    DocumentLine(
                        i + 1, item.code, wh.code, loc, lot, qty, value, order_line=ln.line_no
                    )
                )
            return self._record_document(
                work,
                DocumentKind.CUSTOMER_RETURN,
                posting_date,
                voucher,
                moves,
                f"销售退货 {so.number}",
                party=so.customer,
                order=so.number,
            )

        payload = (number, posting_date, list(lines))
        return self._execute("return_from_customer", payload, ctx, decide, DocumentResult)

    # -- inventory ---------------------------------------------------------------------------
    def transfer_stock(
        self,
        posting_date: date,
        lines: Sequence[TransferLineInput],
        note: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """调拨 between warehouses or locations; value moves at average cost."""

        def decide(posts: bool = True):
            work = _Work(self, posts=posts)
            _check_lines(lines)
            voucher = posting.Voucher()
            moves = []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                item = self._item(work, ln.item, f"{path}.item")
                qty = parse_quantity(ln.qty, f"{path}.qty")
                src = self._warehouse(work, ln.from_warehouse, f"{path}.fromWarehouse")
                dst = self._warehouse(work, ln.to_warehouse, f"{path}.toWarehouse")
                src_loc = src.check_location(ln.from_location, f"{path}.fromLocation")
                dst_loc = dst.check_location(ln.to_location, f"{path}.toLocation")
                if (src.code, src_loc) == (dst.code, dst_loc):
                    raise ValidationError(f"{path}: source and destination are the same", path)
                lot = self._lot(item, ln.lot, f"{path}.lot")
                stock = self._stock(work, item.code, src.code)
                if src.code == dst.code:
                    stock.move(
                        qty, lot, src_loc, dst_loc, posting_date,
                        work.movement(DocumentKind.TRANSFER, i + 1)
                    )
                    value = Decimal("0.00")
                else:
                    stock.check_can_issue(qty, src_loc, lot, allow_quarantine=True)
                    value = stock.value_of(qty)
                    stock.issue(
                        qty,
                        value,
                        src_loc,
                        lot,
                        posting_date,
                        work.movement(DocumentKind.TRANSFER, i + 1),
                        allow_quarantine=True,
                    )
                    self._stock(work, item.code, dst.code).receive(
                        qty, value, dst_loc, lot, posting_date,
                        work.movement(DocumentKind.TRANSFER, i + 1)
                    )
                    posting.transfer(voucher, item.inventory_account, item.inventory_account, value)
                moves.append(
                    DocumentLine(
                        i + 1,
                        item.code,
                        src.code,
                        src_loc,
                        lot,
                        qty,
                        value,
                        to_warehouse=dst.code,
                        to_location=dst_loc,
                    )
                )
            return self._record_document(
                work,
                DocumentKind.TRANSFER,
                posting_date,
                voucher,
                moves,
                "库存调拨 transfer",
                note=note,
                already_moved=True,
            )

        payload = (posting_date, list(lines), note)
        return self._execute("transfer_stock", payload, ctx, numbered_first(decide), DocumentResult)

    def count_stock(
        self,
        posting_date: date,
        warehouse: str,
        lines: Sequence[CountLineInput],
        note: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """盘点: counted vs book; gains and losses post to 1901 待处理财产损溢."""

        def decide(posts: bool = True):
            work = _Work(self, posts=posts)
            _check_lines(lines)
            wh = self._warehouse(work, warehouse)
            voucher = posting.Voucher()
            moves = []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                item = self._item(work, ln.item, f"{path}.item")
                counted = parse_quantity(ln.counted_qty, f"{path}.countedQty", allow_zero=True)
                loc = wh.check_location(ln.location, f"{path}.location")
                lot = self._lot(item, ln.lot, f"{path}.lot")
                stock = self._stock(work, item.code, wh.code)
                book = stock.in_bin(loc, lot)
                diff = counted - book
                if diff == 0:
                    moves.append(
                        DocumentLine(
                            i + 1,
                            item.code,
                            wh.code,
                            loc,
                            lot,
                            diff,
                            Decimal("0.00"),
                            note=f"book {book}",
                        )
                    )
                    continue
                if diff > 0:
                    cost = (
                        parse_price(ln.unit_cost, f"{path}.unitCost")
                        if ln.unit_cost is not None
                        else None
                    )
                    value = (
                        round_amount(diff * cost)
                        if cost is not None
                        else round_amount(stock.value * diff / stock.qty)
                        if stock.qty > 0
                        else round_amount(diff * item.spec.standard_cost)
                    )
                    stock.receive(
                        diff, value, loc, lot, posting_date,
                        work.movement(DocumentKind.COUNT, i + 1),
                    )
                else:
                    stock.check_can_issue(-diff, loc, lot, allow_quarantine=True)
                    value = -stock.value_of(-diff)
                    stock.issue(
                        -diff,
                        -value,
                        loc,
                        lot,
                        posting_date,
                        work.movement(DocumentKind.COUNT, i + 1),
                        allow_quarantine=True,
                    )
                posting.count_difference(voucher, item.inventory_account, value)
                moves.append(
                    DocumentLine(
                        i + 1, item.code, wh.code, loc, lot, diff, value, note=f"book {book}"
                    )
                )
            return self._record_document(
                work,
                DocumentKind.COUNT,
                posting_date,
                voucher,
                moves,
                f"库存盘点 {wh.code}",
                note=note,
                already_moved=True,
            )

        payload = (posting_date, warehouse, list(lines), note)
        return self._execute("count_stock", payload, ctx, numbered_first(decide), DocumentResult)

    def adjust_stock(
        self,
        posting_date: date,
        lines: Sequence[AdjustmentLineInput],
        offset_account: str = "1901",
        reason: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """Stock in or out against an offset account (opening stock, write-offs)."""

        def decide(posts: bool = True):
            work = _Work(self, posts=posts)
            _check_lines(lines)
            if not (reason or "").strip():
                raise ValidationError("a stock adjustment needs a reason", "reason")
            self.chart().check_postable(offset_account, "offsetAccount")
            voucher = posting.Voucher()
            moves = []
            for i, ln in enumerate(lines):
                path = f"lines.{i}"
                if not (ln.warehouse or "").strip():
                    raise ValidationError(f"{path}.warehouse: a warehouse is required",
                                          f"{path}.warehouse")
                item, wh, loc, lot = self._placed(work, ln.item, ln.warehouse, ln.location,
                                                  ln.lot, path)
                signed = _signed_quantity(ln.qty, f"{path}.qty")
                stock = self._stock(work, item.code, wh.code)
                if signed > 0:
                    cost = (
                        parse_price(ln.unit_cost, f"{path}.unitCost")
                        if ln.unit_cost is not None
                        else item.spec.standard_cost
                    )
                    value = round_amount(signed * cost)
                    stock.receive(
                        signed, value, loc, lot, posting_date,
                        work.movement(DocumentKind.ADJUSTMENT, i + 1)
                    )
                else:
                    stock.check_can_issue(-signed, loc, lot, allow_quarantine=True)
                    value = -stock.value_of(-signed)
                    stock.issue(
                        -signed,
                        -value,
                        loc,
                        lot,
                        posting_date,
                        work.movement(DocumentKind.ADJUSTMENT, i + 1),
                        allow_quarantine=True,
                    )
                posting.adjustment(voucher, item.inventory_account, value, offset_account)
                moves.append(DocumentLine(i + 1, item.code, wh.code, loc, lot, signed, value))
            return self._record_document(
                work,
                DocumentKind.ADJUSTMENT,
                posting_date,
                voucher,
                moves,
                f"库存调整 {reason.strip()}"[:200],
                note=reason.strip(),
                already_moved=True,
            )

        payload = (posting_date, list(lines), offset_account, reason)
        return self._execute("adjust_stock", payload, ctx, numbered_first(decide), DocumentResult)

    # -- recording ---------------------------------------------------------------------------
    def _record_document(
        self,
        work: _Work,
        kind: DocumentKind,
        day: date,
        voucher: posting.Voucher,
        moves: list[DocumentLine],
        summary: str,
        *,
        party: str = "",
        order: str = "",
        note: str = "",
        already_moved: bool = False,
    ):
        """Number the document, post its voucher, move stock, and return what to save.

        Movements made while deciding (``already_moved``) took the document's
        number and entry id first (``_Work.movement``); the voucher posts under
        that id."""
        number = work.number or self._number(work, PREFIX[kind])
        entry_id, voucher_no = self._post(
            work, voucher, day, f"{summary} {number}"[:200], kind, number, work.entry_id
        )
        if already_moved:
            work.check_posted(entry_id)
        else:
            for ln in moves:
                stock = self._stock(work, ln.item, ln.warehouse)
                mv = Movement(kind.value, number, ln.line_no, entry_id)
                if ln.qty > 0:
                    stock.receive(ln.qty, ln.value, ln.location, ln.lot, day, mv)
                else:
                    stock.issue(
                        -ln.qty, -ln.value, ln.location, ln.lot, day, mv, allow_quarantine=True
                    )
        doc = StockDocument(
            kind=kind,
            number=number,
            posting_date=day,
            lines=tuple(moves),
            party=party,
            order=order,
            entry_id=entry_id,
            voucher_no=voucher_no,
            note=note,
        )
        total = sum((ln.value for ln in moves), Decimal("0.00"))
        result = DocumentResult(number, entry_id, voucher_no, str(total))
        return result, [*work.changed(), doc]


def _check_lines(lines: Sequence[Any]) -> None:
    if not lines:
        raise ValidationError("a document needs at least one line", "lines")
    if len(lines) > 500:
        raise ValidationError("a document may have at most 500 lines", "lines")


def _signed_quantity(value: Any, field: str) -> Decimal:
    from domain.money import to_decimal

    qty = to_decimal(value, field)
    if qty == 0:
        raise ValidationError(f"{field}: quantity must not be zero", field)
    sign = 1 if qty > 0 else -1
    return sign * parse_quantity(abs(qty), field)


__all__ = [
    "InventoryUseCases",
    "OrderLineInput",
    "MoveLineInput",
    "TransferLineInput",
    "CountLineInput",
    "AdjustmentLineInput",
    "DocumentResult",
    "OrderResult",
    "CodeResult",
    "parse_amount",
]
