"""The bolt-kit demo month: the trial balance after step 11 must be exactly
the table in docs/examples/bolt-kit.md, and the stock must equal 1403."""

from decimal import Decimal

from api.demo import load_demo
from projections import inventory_queries as iq
from projections import ledger_queries as q
from projections.ledger_queries import split

# account: (debit, credit) closing balances from the worked example.
EXPECTED_CLOSING = {
    "1002": ("101527.20", "0.00"),
    "1403": ("280.00", "0.00"),
    "2211": ("0.00", "122.50"),
    "22210101": ("72.80", "0.00"),
    "22210102": ("0.00", "260.00"),
    "3001": ("0.00", "100000.00"),
    "3103": ("0.00", "1497.50"),
}
ZERO_ACCOUNTS = ["1122", "140501", "140502", "220201", "220202", "400101", "4101", "5001", "5401"]


def loaded(runtime):
    load_demo(runtime.app)
    runtime.runner.catch_up()
    return runtime


def test_bolt_kit_month_closes_to_the_worked_example_trial_balance(runtime):
    with loaded(runtime).read() as conn:
        tb = q.trial_balance(conn, "2026-11", leaves_only=True, include_zero=True)
    closing = {r.code: split(r.closing) for r in tb.rows}
    for code, (debit, credit) in EXPECTED_CLOSING.items():
        assert closing[code] == (Decimal(debit), Decimal(credit)), code
    for code in ZERO_ACCOUNTS:
        assert closing[code] == (Decimal("0.00"), Decimal("0.00")), code
    nonzero = {code for code, bal in closing.items() if bal != (Decimal("0"), Decimal("0"))}
    assert nonzero == set(EXPECTED_CLOSING)
    assert tb.closing_debit == tb.closing_credit == Decimal("101880.00")
    assert tb.balanced


def test_bolt_kit_stock_is_what_the_example_leaves_and_equals_1403(runtime):
    with loaded(runtime).read() as conn:
        stock = {(r.item, r.qty, r.value) for r in iq.on_hand(conn)}
        recs = {r.account: r for r in iq.reconciliation(conn)}
    assert stock == {("RM-STEEL", Decimal("50"), Decimal("250.00")),
                     ("RM-ZINC", Decimal("1"), Decimal("20.00")),
                     ("RM-BOX", Decimal("10"), Decimal("10.00"))}
    assert recs["1403"].stock_value == recs["1403"].gl_balance == Decimal("280.00")
    assert all(r.difference == 0 for r in recs.values())


def test_bolt_kit_receipt_and_shipment_vouchers_come_from_the_documents(runtime):
    with loaded(runtime).read() as conn:
        docs, _, _ = iq.documents(conn)
        by_kind = {d.kind: d for d in docs if d.kind in ("receipt", "shipment")}
        receipt = q.journal_entry(conn, by_kind["receipt"].entry_id)
        shipment = q.journal_entry(conn, by_kind["shipment"].entry_id)
    assert [(ln.account_code, ln.debit, ln.credit) for ln in receipt.lines] == [
        ("1403", Decimal("560.00"), Decimal("0.00")), ("220202", Decimal("0.00"),
                                                       Decimal("560.00"))]
    assert [(ln.account_code, ln.debit, ln.credit) for ln in shipment.lines] == [
        ("5401", Decimal("495.00"), Decimal("0.00")), ("140501", Decimal("0.00"),
                                                       Decimal("495.00"))]
    assert receipt.source_kind == "receipt" and receipt.source_id == by_kind["receipt"].number


def test_bolt_kit_work_orders_end_with_no_wip_at_370_and_495(runtime):
    from projections import production_queries as pq

    with loaded(runtime).read() as conn:
        orders = {o.item: pq.work_order(conn, o.number)
                  for o in pq.work_order_list(conn)}
        wip = pq.wip_reconciliation(conn)
    assert orders["SA-BLANK"].cost.completed_value == Decimal("370.00")
    assert orders["FG-KIT"].cost.completed_value == Decimal("495.00")
    assert orders["FG-KIT"].unit_cost == Decimal("49.500000")
    assert {o.summary.status for o in orders.values()} == {"completed"}
    assert wip.wip_total == wip.gl_balance == Decimal("0.00")


def test_loading_the_demo_twice_writes_nothing_the_second_time(runtime):
    load_demo(runtime.app)
    position = runtime.app.log_position()
    assert load_demo(runtime.app) == 0
    assert runtime.app.log_position() == position


def test_vouchers_are_numbered_gap_free_in_story_order(runtime):
    with loaded(runtime).read() as conn:
        page = q.journal_entries(conn, period="2026-11", first=100)
    assert [e.voucher_no for e in page.entries] == [
        f"记-{n:04d}" for n in range(1, len(page.entries) + 1)]
    # the investment, receipt, supplier invoice and payment, per order an issue, reports
    # and a completion, the shipment, sales invoice, receipt, electricity, overhead, close
    assert len(page.entries) == 17
    assert page.entries[0].total == Decimal("100000.00")
    assert page.entries[0].actor == "demo"
    assert page.entries[0].command_id == "demo-step1-invest"


def test_bank_ledger_runs_to_the_closing_balance(runtime):
    with loaded(runtime).read() as conn:
        ledger = q.account_ledger(conn, "1002", "2026-11")
    assert [r.balance for r in ledger.rows] == [
        Decimal("100000.00"), Decimal("99367.20"), Decimal("101627.20"), Decimal("101527.20"),
    ]
    assert ledger.debit == Decimal("102260.00")
    assert ledger.credit == Decimal("732.80")
    assert ledger.closing == Decimal("101527.20")
    assert ledger.rows[-1].direction == "借"


def test_parent_accounts_roll_up_their_sub_accounts(runtime):
    with loaded(runtime).read() as conn:
        tb = q.trial_balance(conn, "2026-11")
    rows = {r.code: r for r in tb.rows}
    assert rows["2221"].closing == Decimal("-187.20")  # 260.00 - 72.80, net credit
    assert rows["2221"].debit == Decimal("72.80")
    assert rows["2221"].credit == Decimal("260.00")
    assert rows["2202"].debit == rows["2202"].credit == Decimal("1192.80")
