"""Property: whatever business days a trading month brings — purchases received
and invoiced (at prices off the order within tolerance), sales shipped and
invoiced, receipts and payments allocated or left as prepayments, expenses,
scrap — once the books are closed:

- the balance sheet balances (资产总计 = 负债和所有者权益总计), both columns;
- net profit on the income statement = what 结转损益 carried to 3103 = the
  change in 3103's balance;
- stock value = the inventory accounts, and open items = AR/AP/prepayment
  accounts, to the cent;
- the trial balance balances;
- the cash-flow statement's net change of cash = the balance sheet's change
  of 货币资金, and its closing cash = 货币资金.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from api.runtime import Runtime
from domain.errors import BusinessRuleViolation
from domain.finance.cash import AllocationInput, ExpenseLineInput
from domain.finance.open_items import Ledger, open_item_id
from domain.inventory.documents import document_id
from domain.inventory.handlers import AdjustmentLineInput
from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
from domain.invoicing.purchase_invoices import PurchaseInvoiceType
from domain.invoicing.sales_handlers import InvoiceLineInput
from domain.orders import MoveLineInput, OrderLineInput
from domain.store import parse_database_url
from projections import cash_queries as cq
from projections import inventory_queries as iq
from projections import ledger_queries as lq
from projections import statement_queries as sq
from tests.conftest import fresh_pg_schema
from tests.scenes.sales_invoices import open_item, trading_company

ITEMS = {"RM-STEEL": "5.00", "RM-ZINC": "20.00", "FG-KIT": "49.50", "FG-NUT": "10.00"}
SOLD = {"FG-KIT": "200.00", "FG-NUT": "18.00"}
CUSTOMERS = ("CUS-HW", "CUS-SZ")

amount = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)
qty = st.integers(min_value=1, max_value=40).map(Decimal)
buy = st.tuples(st.just("buy"), st.sampled_from(sorted(ITEMS)), qty,
                st.sampled_from(("1", "0.5")))
bill_purchase = st.tuples(st.just("bill_purchase"), st.integers(0, 20),
                          st.sampled_from(("1", "1.03", "0.98")))
sell = st.tuples(st.just("sell"), st.sampled_from(sorted(SOLD)), qty,
                 st.sampled_from(CUSTOMERS))
bill_sale = st.tuples(st.just("bill_sale"), st.integers(0, 20))
collect = st.tuples(st.just("collect"), st.integers(0, 20),
                    st.sampled_from(("1", "0.4", "1.2")))
pay = st.tuples(st.just("pay"), st.integers(0, 20), st.sampled_from(("1", "0.5", "1.1")))
# Invoicing and cash follow what came before them, so they are drawn more often.
ops = st.one_of(buy, bill_purchase, bill_purchase, sell, sell, bill_sale, bill_sale, bill_sale,
                collect, collect, pay, pay, st.tuples(st.just("expense"), amount),
                st.tuples(st.just("scrap"), st.sampled_from(sorted(ITEMS)), qty))


@dataclass
class Month:
    receipts: list[tuple[str, int, Decimal, str, str]] = field(default_factory=list)
    shipments: list[tuple[str, str]] = field(default_factory=list)  # (number, customer)
    sales_invoices: list[tuple[str, str]] = field(default_factory=list)
    purchase_invoices: list[str] = field(default_factory=list)  # open-item documents


def run_day(app, month: Month, day: date, op: tuple) -> None:
    kind = op[0]
    if kind == "buy":
        _, item, q, part = op
        po = app.create_purchase_order("SUP-STEEL", day, [
            OrderLineInput(item, q, ITEMS[item], day)]).value.number
        app.confirm_purchase_order(po)
        got = (q * Decimal(part)).quantize(Decimal("1")) or q
        gr = app.receive_purchase_order(po, day, [MoveLineInput(1, got)]).value.number
        month.receipts.append((gr, 1, got, item, ITEMS[item]))
    elif kind == "bill_purchase" and month.receipts:
        gr, line, got, item, price = month.receipts.pop(op[1] % len(month.receipts))
        unit = (Decimal(price) * Decimal(op[2])).quantize(Decimal("0.01"))
        number = f"{len(month.purchase_invoices) + 1:020d}"
        app.record_purchase_invoice("SUP-STEEL", number, day, PurchaseInvoiceType.SPECIAL,
                                    [PurchaseInvoiceLineInput(gr, line, got, unit)])
        month.purchase_invoices.append(f"SUP-STEEL/{number}")
    elif kind == "sell":
        _, item, q, customer = op
        so = app.create_sales_order(customer, day, [
            OrderLineInput(item, q, SOLD[item], day)]).value.number
        app.confirm_sales_order(so)
        sh = app.ship_sales_order(so, day, [MoveLineInput(1, q)]).value.number
        month.shipments.append((sh, customer))
    elif kind == "bill_sale" and month.shipments:
        sh, customer = month.shipments.pop(op[1] % len(month.shipments))
        doc = app.repository.get(document_id(sh))  # the whole line is invoiced
        number = app.issue_sales_invoice(customer, day, [
            InvoiceLineInput(sh, 1, -doc.lines[0].qty)]).value.number
        month.sales_invoices.append((number, customer))
    elif kind == "collect" and month.sales_invoices:
        number, customer = month.sales_invoices[op[1] % len(month.sales_invoices)]
        item = open_item(app, number)
        if item.open_amount <= 0:
            return
        paid = (item.open_amount * Decimal(op[2])).quantize(Decimal("0.01"))
        allocated = min(paid, item.open_amount)
        app.record_customer_receipt(customer, day, "1002", paid,
                                    [AllocationInput(number, allocated)])
    elif kind == "pay" and month.purchase_invoices:
        document = month.purchase_invoices[op[1] % len(month.purchase_invoices)]
        item = app.repository.get(open_item_id(Ledger.PAYABLE, document))
        if item.open_amount <= 0:
            return
        paid = (item.open_amount * Decimal(op[2])).quantize(Decimal("0.01"))
        app.record_supplier_payment("SUP-STEEL", day, "1002", paid,
                                    [AllocationInput(document, min(paid, item.open_amount))])
    elif kind == "expense":
        app.record_expense_payment(day, "1002", [ExpenseLineInput("5602", op[1], "办公费")])
    elif kind == "scrap":
        _, item, q = op
        wh = "WH-FG" if item.startswith("FG") else "WH-RM"
        app.adjust_stock(day, [AdjustmentLineInput(item, wh, -q)], offset_account="5711",
                         reason="报废 scrap")


def check_books(rt: Runtime, profit: Decimal, p3103_before: Decimal) -> None:
    rt.settle(rt.app.log_position())
    with rt.read() as conn:
        bs = sq.balance_sheet_of(conn, "2026-11")
        income = sq.income_statement_of(conn, "2026-11")
        tb = lq.trial_balance(conn, "2026-11", leaves_only=True)
        stock = iq.reconciliation(conn)
        items = cq.reconciliation(conn)
        cash = sq.cash_flow_statement_of(conn, "2026-11")
    assert tb.balanced
    # 现金流量表: the net change of the year and the month = the change of 货币资金
    # (the company starts in November: nothing before it), line 22 = 货币资金.
    assert cash.amount(20, 0) == cash.amount(20, 1) == bs.amount(1, 0) - bs.amount(1, 1)
    assert cash.amount(22, 0) == cash.amount(22, 1) == bs.amount(1, 0)
    assert bs.amount(30, 0) == bs.amount(53, 0) and bs.amount(30, 1) == bs.amount(53, 1)
    assert income.amount(32, 1) == profit == income.amount(32, 0)
    after = -{r.code: r.closing for r in tb.rows}.get("3103", Decimal("0.00"))
    assert after - p3103_before == profit
    assert all(r.difference == 0 for r in stock), stock
    assert all(r.difference == 0 for r in items), items


def run_month(rt: Runtime, days: list[tuple]) -> None:
    app = rt.app
    trading_company(app)
    app.set_invoice_match_tolerances("0", "0.05")
    month = Month()
    for n, op in enumerate(days):
        day = date(2026, 11, 3 + n * 25 // max(len(days), 1))
        before = app.log_position()
        try:
            run_day(app, month, day, op)
            if app.log_position() > before:
                event(f"{op[0]} done")
        except BusinessRuleViolation as exc:
            # Refused (e.g. not enough stock to ship or scrap): nothing was written.
            assert exc.code in {"INSUFFICIENT_STOCK", "VALUE_EXCEEDS_STOCK"}, exc
            assert app.log_position() == before or op[0] in ("buy", "sell")
    rt.settle(app.log_position())
    with rt.read() as conn:
        before_close = -{r.code: r.closing for r in lq.trial_balance(
            conn, "2026-11", leaves_only=True).rows}.get("3103", Decimal("0.00"))
    closed = app.close_books("2026-11").value
    check_books(rt, Decimal(closed.profit), before_close)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(days=st.lists(ops, min_size=8, max_size=30))
def test_any_trading_month_closes_into_balanced_statements(days, tmp_path_factory):
    path = tmp_path_factory.mktemp("month") / "books.db"
    rt = Runtime(parse_database_url(f"sqlite:///{path}"))
    try:
        run_month(rt, days)
    finally:
        rt.close()


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(days=st.lists(ops, min_size=8, max_size=16))
def test_any_trading_month_closes_into_balanced_statements_on_postgres(days):
    with fresh_pg_schema() as url:  # fresh per example
        rt = Runtime(parse_database_url(url))
        try:
            run_month(rt, days)
        finally:
            rt.close()
