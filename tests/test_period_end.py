"""Period end (期末处理) and the statements, on the bolt-kit month's vouchers.

The month's business vouchers are posted as journal entries here (the
flows that make them are tested elsewhere); this file is about what
happens at month end: overhead settlement, 结转损益, the close, the year-end
carry-forward, and the 资产负债表 / 利润表 they give — now and as of earlier
log positions.
"""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from api.exports import to_csv, to_xlsx
from domain.command_table import as_command
from domain.errors import BusinessRuleViolation, ValidationError
from domain.ledger.entries import LineInput, SourceRef
from domain.ledger.handlers import PeriodResult
from projections import ledger_queries as lq
from projections import reports
from projections import statement_queries as sq
from tests.scenes.usecases import refused


def D(account, amount):  # noqa: N802
    return LineInput(account, debit=amount)


def C(account, amount):  # noqa: N802
    return LineInput(account, credit=amount)


# bolt-kit.md steps 1-10, one voucher each (amounts ex VAT unless VAT lines).
BOLT_KIT_MONTH = [
    ("owner invests", [D("1002", "100000.00"), C("3001", "100000.00")]),
    ("PO-1 received", [D("1403", "560.00"), C("220202", "560.00")]),
    ("PO-1 invoice", [D("220202", "560.00"), D("22210101", "72.80"), C("220201", "632.80")]),
    ("PO-1 paid", [D("220201", "632.80"), C("1002", "632.80")]),
    ("WO-1 steel", [D("400101", "250.00"), C("1403", "250.00")]),
    ("WO-1 OP10", [D("400101", "120.00"), C("2211", "80.00"), C("4101", "40.00")]),
    ("WO-1 completed", [D("140502", "370.00"), C("400101", "370.00")]),
    ("WO-2 materials", [D("400101", "400.00"), C("140502", "370.00"), C("1403", "30.00")]),
    ("WO-2 OP10/OP20", [D("400101", "95.00"), C("2211", "42.50"), C("4101", "52.50")]),
    ("WO-2 completed", [D("140501", "495.00"), C("400101", "495.00")]),
    ("SO-1 shipped", [D("5401", "495.00"), C("140501", "495.00")]),
    ("SO-1 invoice", [D("1122", "2260.00"), C("5001", "2000.00"), C("22210102", "260.00")]),
    ("SO-1 paid", [D("1002", "2260.00"), C("1122", "2260.00")]),
    ("electricity", [D("4101", "100.00"), C("1002", "100.00")]),
]


def post_as_document(app, day, summary, lines, number):
    """Post a voucher the way a document does (``uow.post`` with its source,
    in one save): stock, WIP, AR and AP are control accounts, which a manual
    journal entry may not touch. The flows that make these vouchers are
    tested elsewhere (test_bolt_kit_ledger.py runs the real documents)."""

    def post_document_voucher(uow) -> PeriodResult:
        entry = uow.post(day, summary, lines, SourceRef("bolt_kit_step", number, summary))
        return PeriodResult(entry.period)

    app.run(as_command(post_document_voucher))


def post_bolt_kit_month(rt):
    app = rt.app
    app.open_period("2026-11")
    for i, (summary, lines) in enumerate(BOLT_KIT_MONTH):
        post_as_document(app, date(2026, 11, 1 + i), summary, lines, f"step-{i + 1}")
    return rt


@pytest.fixture
def month(runtime):
    return post_bolt_kit_month(runtime)


@pytest.fixture
def month_mem(memory_runtime):
    """The same month on the in-memory store, for use cases that need no read model."""
    return post_bolt_kit_month(memory_runtime)


def lines_of(rt, entry_id):
    rt.settle(rt.app.log_position())
    with rt.read() as conn:
        entry = lq.journal_entry(conn, entry_id)
    return entry, [(ln.account_code, f"{ln.debit:.2f}", f"{ln.credit:.2f}") for ln in entry.lines]


def test_closing_is_refused_while_overhead_is_unsettled(month_mem):
    error = refused(month_mem, BusinessRuleViolation, month_mem.app.close_books, "2026-11")
    assert error.code == "OVERHEAD_UNSETTLED" and "7.50" in error.message


def test_under_applied_overhead_goes_to_cost_of_sales(month):
    settled = month.app.settle_overhead("2026-11").value
    assert settled.amount == "7.50" and settled.voucher_no == "记-0015"
    entry, lines = lines_of(month, settled.entry_id)
    assert entry.posting_date == date(2026, 11, 30)
    assert lines == [("5401", "7.50", "0.00"), ("4101", "0.00", "7.50")]
    again = refused(month, BusinessRuleViolation, month.app.settle_overhead, "2026-11")
    assert again.code == "NOTHING_TO_SETTLE"


def test_closing_the_books_transfers_profit_and_closes_the_period(month):
    app = month.app
    app.settle_overhead("2026-11")
    closed = app.close_books("2026-11").value
    assert (closed.profit, closed.transfer_voucher_no) == ("1497.50", "记-0016")
    assert closed.carry_forward_entry_id == ""
    entry, lines = lines_of(month, closed.transfer_entry_id)
    assert entry.kind == "closing"
    assert lines == [("5001", "2000.00", "0.00"), ("5401", "0.00", "502.50"),
                     ("3103", "0.00", "1497.50")]
    assert app.period("2026-11").status.value == "closed"
    error = refused(month, BusinessRuleViolation, app.post_journal_entry, date(2026, 11, 30),
                    "late", [D("5602", "1.00"), C("1002", "1.00")])
    assert error.code == "PERIOD_CLOSED"
    with month.read() as conn:
        tb = {r.code: r for r in lq.trial_balance(conn, "2026-11", leaves_only=True).rows}
    closing = {code: r.closing for code, r in tb.items() if r.closing}
    assert closing == {
        "1002": Decimal("101527.20"), "1403": Decimal("280.00"), "2211": Decimal("-122.50"),
        "22210101": Decimal("72.80"), "22210102": Decimal("-260.00"),
        "3001": Decimal("-100000.00"), "3103": Decimal("-1497.50"),
    }


def test_closing_entries_are_not_reversed_but_reopened_and_closed_again(month):
    app = month.app
    app.settle_overhead("2026-11")
    closed = app.close_books("2026-11").value
    app.reopen_period("2026-11", "late bank charge")
    error = refused(month, BusinessRuleViolation, app.reverse_journal_entry,
                    closed.transfer_entry_id, date(2026, 11, 30))
    assert error.code == "CLOSING_NOT_REVERSIBLE"
    app.post_journal_entry(date(2026, 11, 30), "银行手续费", [D("5603", "12.30"),
                                                          C("1002", "12.30")])
    second = app.close_books("2026-11").value
    assert second.profit == "-12.30"  # only what was posted since the first close
    _, lines = lines_of(month, second.transfer_entry_id)
    assert lines == [("3103", "12.30", "0.00"), ("5603", "0.00", "12.30")]
    with month.read() as conn:
        income = sq.income_statement_of(conn, "2026-11")
    assert income.amount(18) == Decimal("12.30")
    assert income.amount(32) == Decimal("1485.20")


def test_balance_sheet_and_income_statement_of_the_bolt_kit_month(month):
    app = month.app
    app.settle_overhead("2026-11")
    app.close_books("2026-11")
    month.settle(app.log_position())
    with month.read() as conn:
        bs = sq.balance_sheet_of(conn, "2026-11")
        income = sq.income_statement_of(conn, "2026-11")
    assert len(bs.lines) == 53 and len(income.lines) == 32
    figures = {n: bs.amount(n) for n in (1, 9, 10, 15, 30, 35, 36, 41, 47, 48, 51, 52, 53)}
    assert figures == {
        1: Decimal("101527.20"), 9: Decimal("280.00"), 10: Decimal("280.00"),
        15: Decimal("101807.20"), 30: Decimal("101807.20"), 35: Decimal("122.50"),
        36: Decimal("187.20"), 41: Decimal("309.70"), 47: Decimal("309.70"),
        48: Decimal("100000.00"), 51: Decimal("1497.50"), 52: Decimal("101497.50"),
        53: Decimal("101807.20"),
    }
    assert all(ln.amounts[1] == 0 for ln in bs.lines)  # 年初余额: the company began in November
    for column in (0, 1):  # 本年累计金额, 本月金额
        assert income.amount(1, column) == Decimal("2000.00")
        assert income.amount(2, column) == Decimal("502.50")
        assert income.amount(21, column) == Decimal("1497.50")
        assert income.amount(32, column) == Decimal("1497.50")


def test_statements_as_of_a_log_position_show_the_books_as_they_stood(month):
    app = month.app
    before_period_end = app.log_position()
    app.settle_overhead("2026-11")
    app.close_books("2026-11")
    month.settle(app.log_position())
    with month.read() as conn:
        bs = sq.balance_sheet_of(conn, "2026-11", as_of=before_period_end)
        income = sq.income_statement_of(conn, "2026-11", as_of=before_period_end)
        tb = lq.trial_balance(conn, "2026-11", as_of=before_period_end, leaves_only=True)
    # Before settlement 4101 still held 7.50 (in 存货) and cost of sales was 495.00.
    assert income.amount(2) == Decimal("495.00") and income.amount(32) == Decimal("1505.00")
    assert bs.amount(9) == Decimal("287.50") and bs.amount(51) == Decimal("1505.00")
    assert bs.amount(30) == bs.amount(53) == Decimal("101814.70")
    assert {r.code: r.closing for r in tb.rows}["4101"] == Decimal("7.50")
    assert tb.balanced
    with month.read() as conn:
        then = lq.account_ledger(conn, "4101", "2026-11", as_of=before_period_end)
        now = lq.account_ledger(conn, "4101", "2026-11")
    assert (then.closing, len(then.rows)) == (Decimal("7.50"), 3)
    assert (now.closing, len(now.rows)) == (Decimal("0.00"), 4)


def test_december_close_carries_the_year_profit_to_profit_distribution(runtime):
    app = runtime.app
    app.open_period("2026-11")
    app.open_period("2026-12")
    app.post_journal_entry(date(2026, 11, 3), "invest",
                           [D("1002", "5000.00"), C("3001", "5000.00")])
    app.post_journal_entry(date(2026, 11, 9), "sale", [D("1002", "1130.00"), C("5001", "1000.00"),
                                                       C("22210102", "130.00")])
    error = refused(runtime, BusinessRuleViolation, app.close_books, "2026-12")
    assert error.code == "EARLIER_PERIOD_OPEN"
    assert app.close_books("2026-11").value.profit == "1000.00"
    app.post_journal_entry(date(2026, 12, 9), "rent", [D("5602", "300.00"), C("1002", "300.00")])
    closed = app.close_books("2026-12").value
    assert closed.profit == "-300.00"
    _, lines = lines_of(runtime, closed.carry_forward_entry_id)
    assert lines == [("3103", "700.00", "0.00"), ("3104", "0.00", "700.00")]
    with runtime.read() as conn:
        bs = sq.balance_sheet_of(conn, "2026-12")
        income = sq.income_statement_of(conn, "2026-12")
        jan = sq.balance_sheet_of(conn, "2027-01")
    assert bs.amount(51) == Decimal("700.00") and bs.amount(30) == bs.amount(53)
    assert (income.amount(32, 0), income.amount(32, 1)) == (Decimal("700.00"), Decimal("-300.00"))
    assert jan.amount(51, 1) == Decimal("700.00")  # 年初余额 of the next year


def test_period_end_refuses_bad_input(month_mem):
    for call, args in ((month_mem.app.settle_overhead, ("2026-13",)),
                       (month_mem.app.close_books, ("11/2026",)),
                       (month_mem.app.close_books, ("2026-11", date(2026, 12, 1)))):
        refused(month_mem, ValidationError, call, *args)


def test_exports_lay_the_statement_out_in_csv_and_xlsx(month):
    month.app.settle_overhead("2026-11")
    month.app.close_books("2026-11")
    month.settle(month.app.log_position())
    with month.read() as conn:
        table = reports.report(conn, "balance-sheet", "2026-11")
        tb = reports.report(conn, "trial-balance", "2026-11")
    text = to_csv(table).decode("utf-8-sig").splitlines()
    assert text[0] == "资产负债表 (会小企01表)" and text[2] == "行次,项目,期末余额,年初余额"
    assert "30,资产总计,101807.20,0.00" in text and len(text) == 3 + 53
    assert to_csv(tb).decode("utf-8-sig").splitlines()[-1] == (
        "合计,,0.00,0.00,110678.10,110678.10,101880.00,101880.00")
    xlsx = to_xlsx(table)
    assert xlsx == to_xlsx(table)  # same report, same bytes
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "资产总计" in strings and "负债和所有者权益（或股东权益）总计" in strings
    with pytest.raises(ValidationError):
        with month.read() as conn:
            reports.report(conn, "cash-flow", "2026-11")


def test_allocating_overhead_spreads_it_over_open_wip_and_manufactured_stock(runtime):
    """WO-1 makes 1,000 blanks (370.00: steel 250, labor 80, overhead applied 40);
    WO-2 takes 500 of them (185.00) and 0.5 kg zinc (10.00) and stays open
    (WIP 195.00); the shop's electricity is 100.00. 4101: 100.00 - 40.00 = 60.00
    under-applied. Bases: WO-2's WIP 195.00, the 500 blanks in stock 185.00,
    no cost of sales: total 380.00.
      WIP share   60.00 x 195 / 380 = 30.789 -> 30.79
      stock share 60.00 x 185 / 380 = 29.210 -> 29.21 (sum 60.00)
    Voucher: Dr 400101 30.79, Dr 140502 29.21 / Cr 4101 60.00."""
    from domain.finance.cash import ExpenseLineInput
    from domain.inventory.stock import stock_id
    from domain.ledger.period_end import OverheadMethod
    from domain.production.inputs import MaterialLineInput, ReportInput
    from domain.workflows.ports import AllocationTargets
    from tests.scenes.production import receive_po1, reconciled, setup_factory, wip

    app = runtime.app
    setup_factory(app)
    receive_po1(app)
    day = date(2026, 11, 10)
    wo1 = app.create_work_order("SA-BLANK", "1000", day, day).value.number
    app.release_work_order(wo1)
    app.issue_material(wo1, day, [MaterialLineInput(1, "50")])
    app.report_operation(wo1, "OP10", day, ReportInput(good="1000", labor_hours="2.0"))
    app.complete_work_order(wo1, day, "1000")
    wo2 = app.create_work_order("FG-KIT", "10", day, day).value.number
    app.release_work_order(wo2)
    app.issue_material(wo2, day, [MaterialLineInput(1, "500"), MaterialLineInput(2, "0.5")])
    app.record_expense_payment(day, "1002", [ExpenseLineInput("4101", "100.00", "电费")])
    targets = AllocationTargets(work_orders=(wo1, wo2), stocks=(("SA-BLANK", "WH-FG"),
                                                                ("RM-STEEL", "WH-RM")))
    settled = app.settle_overhead("2026-11", OverheadMethod.ALLOCATE, targets=targets).value
    assert settled.amount == "60.00"
    _, lines = lines_of(runtime, settled.entry_id)
    assert lines == [("400101", "30.79", "0.00"), ("140502", "29.21", "0.00"),
                     ("4101", "0.00", "60.00")]
    assert wip(app, wo2) == Decimal("225.79")
    assert app.repository.get(stock_id("SA-BLANK", "WH-FG")).value == Decimal("214.21")
    assert set(reconciled(runtime).values()) == {Decimal("0.00")}
    runtime.settle(app.log_position())
    with runtime.read() as conn:
        from projections import production_queries as pq

        assert pq.wip_reconciliation(conn).difference == Decimal("0.00")
    assert app.close_books("2026-11").value.profit == "0.00"
