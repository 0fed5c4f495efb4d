"""The whole bolt-kit month (docs/examples/bolt-kit.md) through GraphQL, on
SQLite and PostgreSQL: every voucher of steps 1-4 and 6-11 in story order,
the closing trial balance table, the balance sheet and the income statement,
exact; then ``verify`` passes, and a rebuild of the read models reproduces
the statements and their XLSX/CSV exports byte for byte.

(Step 5, MRP, is the planning tests' story: tests/test_api_planning.py.)
"""

from __future__ import annotations

import json

import pytest

from projections.verify import verify
from tests.scenes.bolt_kit_api import (
    CLOSE,
    CLOSING,
    SETTLE,
    STATEMENT,
    VOUCHERS,
    ZERO,
    month_up_to_period_end,
    one_open_order_and_overhead_under_applied,
    sorted_lines,
)
from tests.scenes.supply_api import command


@pytest.fixture
def month(company):
    """The month through GraphQL, each step as a clerk would enter it."""
    a = company
    facts = month_up_to_period_end(a)
    # 11. Overhead settled to cost of sales; the books closed.
    settled = a.ok(SETTLE, {"period": "2026-11"})
    closed = a.ok(CLOSE, {"period": "2026-11", "idempotencyKey": "close-2026-11"})
    a.facts = {**facts, "settled": settled, "closed": closed}
    return a


def test_every_voucher_of_the_month_is_posted_by_its_business_fact(month):
    facts = month.facts
    si = facts["sales_invoice"]
    assert (si["amount"], si["tax"], si["total"], si["amountInWords"], si["openTotal"]) == (
        "2000.00", "260.00", "2260.00", "贰仟贰佰陆拾元整", "2260.00")
    assert [(ln["itemName"], ln["qty"], ln["unitPrice"], ln["amount"], ln["tax"])
            for ln in si["lines"]] == [("*金属制品*镀锌螺栓套装 plated bolt kit", "10", "200.00",
                                        "2000.00", "260.00")]
    assert facts["settled"]["amount"] == "7.50"
    assert (facts["closed"]["profit"], facts["closed"]["period"]["status"]) == ("1497.50",
                                                                               "CLOSED")
    assert facts["closed"]["carryForwardEntry"] is None
    edges = month.gql('{ journalEntries(period: "2026-11", first: 100) { edges { node { '
                      'voucherNo summary lines { accountCode debit credit } } } } }'
                      )["journalEntries"]["edges"]
    posted = [(e["node"]["voucherNo"], sorted_lines(e["node"]["lines"])) for e in edges]
    assert posted == VOUCHERS


def test_the_closing_trial_balance_is_the_worked_example_table(month):
    tb = month.gql('{ trialBalance(period: "2026-11", leavesOnly: true) { balanced '
                   'closingDebit closingCredit rows { code closingDebit closingCredit } } }'
                   )["trialBalance"]
    closing = {r["code"]: (r["closingDebit"], r["closingCredit"]) for r in tb["rows"]}
    assert {c: v for c, v in closing.items() if v != ("0.00", "0.00")} == CLOSING
    assert all(closing.get(code, ("0.00", "0.00")) == ("0.00", "0.00") for code in ZERO)
    assert (tb["balanced"], tb["closingDebit"], tb["closingCredit"]) == (
        True, "101880.00", "101880.00")


def test_the_balance_sheet_income_and_cash_flow_statements_of_the_month(month):
    data = month.gql(f'{{ balanceSheet(period: "2026-11") {{ {STATEMENT} }} '
                     f'incomeStatement(period: "2026-11") {{ {STATEMENT} }} '
                     f'cashFlowStatement(period: "2026-11") {{ {STATEMENT} }} }}')
    bs = {ln["line"]: ln["amounts"] for ln in data["balanceSheet"]["lines"]}
    income = {ln["line"]: ln["amounts"] for ln in data["incomeStatement"]["lines"]}
    cash = {ln["line"]: ln["amounts"] for ln in data["cashFlowStatement"]["lines"]}
    # 现金流量表 (docs/cash-flow.md): the receipt of step 9 (2,260.00) in; the supplier
    # payment of step 3 (632.80) and the shop's electricity of step 10 (100.00) out as
    # purchases; the owner's 100,000.00 of step 1 as 吸收投资者投资. Line 22 = 货币资金.
    assert (data["cashFlowStatement"]["code"], len(cash)) == ("会小企03表", 22)
    assert {n: a for n, a in cash.items() if a != ["0.00", "0.00"]} == {
        1: ["2260.00", "2260.00"], 3: ["732.80", "732.80"], 7: ["1527.20", "1527.20"],
        15: ["100000.00", "100000.00"], 19: ["100000.00", "100000.00"],
        20: ["101527.20", "101527.20"], 22: ["101527.20", "101527.20"]}
    assert cash[22][0] == bs[1][0]
    assert (data["balanceSheet"]["code"], len(bs)) == ("会小企01表", 53)
    nonzero = {n: a[0] for n, a in bs.items() if a[0] != "0.00"}
    assert nonzero == {1: "101527.20", 9: "280.00", 10: "280.00", 15: "101807.20",
                       30: "101807.20", 35: "122.50", 36: "187.20", 41: "309.70",
                       47: "309.70", 48: "100000.00", 51: "1497.50", 52: "101497.50",
                       53: "101807.20"}
    assert (data["incomeStatement"]["columns"], len(income)) == (["本年累计金额", "本月金额"], 32)
    assert {n: a for n, a in income.items() if a != ["0.00", "0.00"]} == {
        1: ["2000.00", "2000.00"], 2: ["502.50", "502.50"], 21: ["1497.50", "1497.50"],
        30: ["1497.50", "1497.50"], 32: ["1497.50", "1497.50"]}


def test_the_statements_as_of_before_period_end_show_the_books_as_they_stood(month):
    at = month.facts["before_period_end"]
    data = month.gql(f'{{ balanceSheet(period: "2026-11", asOf: {at}) {{ {STATEMENT} }} '
                     f'incomeStatement(period: "2026-11", asOf: {at}) {{ {STATEMENT} }} }}')
    bs = {ln["line"]: ln["amounts"][0] for ln in data["balanceSheet"]["lines"]}
    income = {ln["line"]: ln["amounts"][1] for ln in data["incomeStatement"]["lines"]}
    assert data["balanceSheet"]["asOf"] == at
    # 4101 still held 7.50 (in 存货) and cost of sales was 495.00 before step 11.
    assert (bs[9], bs[51], bs[30], bs[53]) == ("287.50", "1505.00", "101814.70", "101814.70")
    assert (income[2], income[32]) == ("495.00", "1505.00")


def test_verify_passes_and_a_rebuild_reproduces_the_statements_byte_for_byte(month):
    rt = month.runtime
    query = (f'{{ balanceSheet(period: "2026-11") {{ {STATEMENT} }} '
             f'incomeStatement(period: "2026-11") {{ {STATEMENT} }} '
             '  trialBalance(period: "2026-11") { rows { code openingDebit debit credit '
             '  closingDebit closingCredit } } }')

    def snapshot():
        statements = json.dumps(month.gql(query), ensure_ascii=False, sort_keys=True)
        files = [month.client.get(f"/reports/{name}.{fmt}?period=2026-11").content
                 for name in ("balance-sheet", "income-statement", "trial-balance",
                              "cash-flow-statement")
                 for fmt in ("xlsx", "csv")]
        return statements, files

    before = snapshot()
    report = verify(rt)
    assert report.ok, report.differences
    rt.runner.reset()
    rt.runner.catch_up()
    assert snapshot() == before
    assert before[1][1].decode("utf-8-sig").splitlines()[2] == "行次,项目,期末余额,年初余额"


def test_overhead_can_be_allocated_through_graphql_instead(company):
    """The month up to step 10 with one open order: WO-2 released with its
    blanks and zinc issued (WIP 400.00 - 10.00 box not yet = 390.00), no
    shipment. 4101: 40.00 applied on WO-1, 100.00 electricity: 60.00 under.
    Bases: WO-2's WIP 390.00 and nothing else (all blanks went to WO-2):
    the whole 60.00 goes to WO-2's overhead WIP."""
    a = company
    wo2 = one_open_order_and_overhead_under_applied(a)
    settled = a.ok(command("settleOverhead", "amount entry { lines { accountCode debit "
                           "credit } }"), {"period": "2026-11", "method": "ALLOCATE"})
    assert settled["amount"] == "60.00"
    assert sorted_lines(settled["entry"]["lines"]) == [("400101", "60.00", "0.00"),
                                                       ("4101", "0.00", "60.00")]
    data = a.gql(f'{{ workOrder(number: "{wo2}") {{ wip cost {{ overhead }} }} '
                 '  wipReconciliation { difference } }')
    assert (data["workOrder"]["wip"], data["workOrder"]["cost"]["overhead"]) == ("450.00",
                                                                                 "60.00")
    assert data["wipReconciliation"]["difference"] == "0.00"
