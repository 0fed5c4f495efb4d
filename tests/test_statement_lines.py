"""The 利润表's 其中 lines by account code, splitting a used account (科目拆分),
and the balance sheet's reclassified lines 14/28/40/45, through GraphQL on
SQLite and PostgreSQL, with the month of docs/statements.md.

November 2026 (all vouchers from 1002 银行存款 unless said):
  投资 100,000.00 (Dr 1002 / Cr 3001); 销售收入 10,000.00 (Cr 5001);
  560202 业务招待费 800.00; 5602 itself (办公费, the open parent's 其他 part)
  1,200.00; 560101 商品维修费 300.00; 540303 城建税 70.00, 540310 教育费附加
  30.00, 540311 地方教育附加 20.00; 5603 itself 50.00 (a loan's interest,
  posted before the company knew of 560301); 530101 政府补助 500.00 (Cr);
  571105 税收滞纳金 15.00.
利润表: 1 = 10,000.00; 3 = 120.00 (6 = 70.00, 10 = 30.00 + 20.00 = 50.00);
  11 = 12 = 300.00; 14 = 800.00 + 1,200.00 = 2,000.00 (16 = 800.00);
  18 = 50.00 (19 = 0.00 until the split); 21 = 10,000.00 - 120.00 - 300.00 -
  2,000.00 - 50.00 = 7,530.00; 22 = 23 = 500.00; 24 = 29 = 15.00;
  30 = 32 = 7,530.00 + 500.00 - 15.00 = 8,015.00.
1002 = 100,000.00 + 10,000.00 + 500.00 - 800.00 - 1,200.00 - 300.00 - 120.00
  - 50.00 - 15.00 = 108,015.00.
"""

from __future__ import annotations

from decimal import Decimal as Dec

from domain.ledger.accounts import ChartOfAccounts, standard_chart
from tests.scenes.graphql import C, D
from tests.scenes.supply_api import command

STATEMENT = "columns notes lines { line label kind amounts }"
SPLIT = command("splitAccount", "code transferTo amount added voucherNo")
SET_LINE = command("setStatementLine", "code line")
INSTALL = command("installStatementSubAccounts", "codes")
ADD = command("addAccount", "account { code statementLine }")


def month(api) -> None:
    api.posted([D("1002", "100000.00"), C("3001", "100000.00")])
    api.posted([D("1002", "10000.00"), C("5001", "10000.00")], summary="销售收入")
    api.posted([D("560202", "800.00"), D("5602", "1200.00"), D("560101", "300.00"),
                C("1002", "2300.00")], summary="费用")
    api.posted([D("540303", "70.00"), D("540310", "30.00"), D("540311", "20.00"),
                C("1002", "120.00")], summary="城建税及教育费附加")
    api.posted([D("5603", "50.00"), C("1002", "50.00")], summary="借款利息")
    api.posted([D("1002", "500.00"), C("530101", "500.00")], summary="政府补助")
    api.posted([D("571105", "15.00"), C("1002", "15.00")], summary="税收滞纳金")


def income(api, period: str = "2026-11") -> dict[int, tuple[Dec, Dec]]:
    data = api.gql(f'{{ incomeStatement(period: "{period}", waitFor: {api.log_position()}) '
                   f'{{ {STATEMENT} }} }}')["incomeStatement"]
    return {ln["line"]: tuple(Dec(a) for a in ln["amounts"]) for ln in data["lines"]}


def sheet(api) -> tuple[dict[int, Dec], list[str]]:
    data = api.gql(f'{{ balanceSheet(period: "2026-11", waitFor: {api.log_position()}) '
                   f'{{ {STATEMENT} }} }}')["balanceSheet"]
    lines = {ln["line"]: Dec(ln["amounts"][0]) for ln in data["lines"]}
    assert lines[30] == lines[53]
    return lines, data["notes"]


def test_the_detail_lines_read_the_standard_sub_accounts_by_code(ledger):
    api = ledger
    month(api)
    got = income(api)
    expected = {1: "10000.00", 3: "120.00", 4: "0.00", 6: "70.00", 9: "0.00", 10: "50.00",
                11: "300.00", 12: "300.00", 13: "0.00", 14: "2000.00", 15: "0.00",
                16: "800.00", 17: "0.00", 18: "50.00", 19: "0.00", 21: "7530.00",
                22: "500.00", 23: "500.00", 24: "15.00", 25: "0.00", 29: "15.00",
                30: "8015.00", 32: "8015.00"}
    assert {n: got[n] for n in expected} == {n: (Dec(v), Dec(v)) for n, v in expected.items()}
    # A company's own sub-account feeds no 其中 line until mapped: 560211 车辆维修费
    # under 销售费用 is not 商品维修费 (the names matched it before).
    assert api.command(ADD, {"code": "560111", "name": "车辆维修费"})["account"] == {
        "code": "560111", "statementLine": None}
    api.posted([D("560111", "90.00"), C("1002", "90.00")], summary="车辆维修")
    got = income(api)
    assert (got[11], got[12]) == ((Dec("390.00"),) * 2, (Dec("300.00"),) * 2)
    # Mapped by code, it does.
    mapped = api.command(SET_LINE, {"code": "560111", "line": 12})
    assert (mapped["__typename"], mapped["code"], mapped["line"]) == (
        "SetStatementLineSuccess", "560111", 12)
    assert income(api)[12] == (Dec("390.00"),) * 2
    # Bad mappings are typed errors and write nothing.
    assert api.refused(SET_LINE, {"code": "560111", "line": 15})["code"] == \
        "STATEMENT_LINE_ACCOUNT"  # 15 开办费 is a part of 5602
    assert api.refused(SET_LINE, {"code": "560111", "line": 11})["field"] == "line"
    assert api.refused(SET_LINE, {"code": "5601", "line": 12})["code"] == \
        "STATEMENT_LINE_ACCOUNT"
    assert api.refused(INSTALL, {})["code"] == "STATEMENT_SUB_ACCOUNTS_INSTALLED"


def test_splitting_a_used_account_moves_its_balance_and_fills_the_detail_line(ledger):
    api = ledger
    month(api)
    before_income, (before_sheet, _) = income(api), sheet(api)
    query = ('{ a: account(code: "5603") { isLeaf takesPostings statementLine } '
             'b: account(code: "560301") { isLeaf takesPostings statementLine } }')
    assert api.gql(query) == {
        "a": {"isLeaf": False, "takesPostings": True, "statementLine": None},
        "b": {"isLeaf": True, "takesPostings": True, "statementLine": 19}}
    # The 50.00 posted to 5603 itself was interest: it moves to 560301 利息费用.
    split = api.command(SPLIT, {"code": "5603", "transferTo": "560301",
                                "postingDate": "2026-11-30"})
    assert {k: split[k] for k in ("__typename", "code", "transferTo", "amount", "added",
                                  "voucherNo")} == {
        "__typename": "SplitAccountSuccess", "code": "5603", "transferTo": "560301",
        "amount": "50.00", "added": [], "voucherNo": "记-0008"}
    after = income(api)
    assert after[19] == (Dec("50.00"),) * 2
    assert {n: v for n, v in after.items() if n != 19} == \
        {n: v for n, v in before_income.items() if n != 19}
    assert sheet(api)[0] == before_sheet
    # 5603 is a heading now: no posting of its own.
    assert api.gql(query)["a"] == {"isLeaf": False, "takesPostings": False,
                                   "statementLine": None}
    refused = api.post_entry([D("5603", "1.00"), C("1002", "1.00")], summary="手续费")
    assert refused["__typename"] == "BusinessRuleViolation"
    assert refused["code"] == "ACCOUNT_NOT_LEAF"
    # A plain leaf: 1002 splits into 100201 工商银行 with its 108,015.00; 货币资金
    # stays, and the bank's new postings go to the sub-account.
    split = api.command(SPLIT, {"code": "1002", "subAccounts": [
        {"code": "100201", "name": "工商银行"}, {"code": "100202", "name": "建设银行"}],
        "transferTo": "100201", "postingDate": "2026-11-30"})
    assert (split["amount"], split["added"], split["voucherNo"]) == (
        "108015.00", ["100201", "100202"], "记-0009")
    assert sheet(api)[0] == before_sheet
    tb = {r["code"]: r for r in api.trial_balance()["rows"]}
    assert (tb["1002"]["closingDebit"], tb["100201"]["closingDebit"]) == ("108015.00",
                                                                           "108015.00")
    # Refusals write nothing: a heading, a control account, a bad target.
    assert api.refused(SPLIT, {"code": "1002", "transferTo": "100201",
                               "postingDate": "2026-11-30"})["code"] == "ACCOUNT_NOT_LEAF"
    assert api.refused(SPLIT, {"code": "1403", "subAccounts": [
        {"code": "140301", "name": "钢材"}], "transferTo": "140301",
        "postingDate": "2026-11-30"})["code"] == "CONTROL_ACCOUNT"
    assert api.refused(SPLIT, {"code": "1001", "subAccounts": [
        {"code": "100101", "name": "人民币"}], "transferTo": "100102",
        "postingDate": "2026-11-30"})["field"] == "transferTo"


def test_accounts_due_within_or_beyond_a_year_are_reclassified(ledger):
    """A 60,000.00 loan: 40,000.00 due in 2028 (250101) and 20,000.00 due in
    2027 (250102, line 40 其他流动负债 含一年内到期的非流动负债); a 3,000.00 deposit
    held over a year (122101, line 28 其他非流动资产); a 2,000.00 guarantee
    received for three years (224101, line 45 其他非流动负债)."""
    api = ledger
    month(api)
    for code, name in (("250101", "工行借款 2028年到期"), ("250102", "工行借款 一年内到期"),
                       ("122101", "长期押金"), ("224101", "长期保证金")):
        api.command(ADD, {"code": code, "name": name})
    api.posted([D("1002", "60000.00"), C("250101", "40000.00"), C("250102", "20000.00")],
               summary="长期借款")
    api.posted([D("122101", "3000.00"), C("1002", "3000.00")], summary="押金")
    api.posted([D("1002", "2000.00"), C("224101", "2000.00")], summary="保证金")
    plain, notes = sheet(api)
    assert (plain[8], plain[28], plain[39], plain[40], plain[42], plain[45]) == (
        Dec("3000.00"), 0, Dec("2000.00"), 0, Dec("60000.00"), 0)
    for code, line in (("250102", 40), ("122101", 28), ("224101", 45)):
        api.command(SET_LINE, {"code": code, "line": line})
    lines, notes = sheet(api)
    assert (lines[8], lines[28], lines[29]) == (0, Dec("3000.00"), Dec("3000.00"))
    assert (lines[39], lines[40], lines[41]) == (0, Dec("20000.00"), Dec("20000.00"))
    assert (lines[42], lines[45], lines[46], lines[47]) == (
        Dec("40000.00"), Dec("2000.00"), Dec("42000.00"), Dec("62000.00"))
    # 1002 108,015.00 + 60,000.00 - 3,000.00 + 2,000.00 = 167,015.00, and the deposit:
    # 资产总计 170,015.00 = 负债 62,000.00 + 所有者权益 108,015.00, before and after.
    assert lines[30] == plain[30] == Dec("170015.00")
    assert any("第40行" in n and "250102" in n for n in notes)
    assert notes[0].startswith("存货（第9行）")
    # An asset on a liability line, a party account: typed errors.
    assert api.refused(SET_LINE, {"code": "122101", "line": 40})["code"] == \
        "STATEMENT_LINE_ACCOUNT"
    assert api.refused(SET_LINE, {"code": "1122", "line": 28})["code"] == \
        "STATEMENT_LINE_ACCOUNT"
    assert api.refused(SET_LINE, {"code": "122101", "line": 9})["field"] == "line"


def test_an_existing_chart_is_upgraded_without_losing_its_own_accounts():
    """A chart of before the install: 560201 is the company's 办公费 and 5603
    already has postings. The standard 开办费 takes the next free code, the
    names the company has are mapped, and 5603 keeps taking postings."""
    chart = ChartOfAccounts(standard_chart())
    chart.add_account("560201", "办公费")
    chart.add_account("560202", "业务招待费")
    chart.mark_used({"5603", "560201"})
    added = {a.code: a.name for a in chart.install_statement_sub_accounts()}
    assert (added["560203"], added["560204"], added["560301"]) == ("开办费", "研究费用",
                                                                   "利息费用")
    lines = chart.lines_of()
    assert (lines["560202"], lines["560203"], lines["560204"], lines["560301"]) == (
        16, 15, 17, 19)
    assert "560201" not in lines
    assert chart.is_open_parent("5603") and not chart.is_open_parent("5602")
    chart.check_postable("5603", "account")
    assert len(added) == 25 - 1  # 业务招待费 was there


def test_the_printable_forms_and_the_xlsx_are_the_official_layout(ledger):
    """The month as the printable 资产负债表 (two-sided, 编制单位, 年月日, 单位：元),
    its XLSX in the same layout, and the annual 利润表 beside a December 2025
    of 4,000.00 revenue and 600.00 业务招待费 (上年金额: 净利润 3,400.00)."""
    from tests.test_limits import xlsx_cells

    api = ledger
    app = api.runtime.app
    app.set_company_profile("杭州明达紧固件有限公司", "91330100MA27XL0E2G")
    app.set_company_settings("Asia/Shanghai", 400, 31)
    month(api)
    page = api.client.get("/reports/balance-sheet.html?period=2026-11")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    for text in ("会小企01表", "编制单位：杭州明达紧固件有限公司", "2026 年 11 月 30 日",
                 "单位：元", "<th>资产</th>", "<th>负债和所有者权益（或股东权益）</th>",
                 "流动资产：", "非流动资产：", "流动负债：", "非流动负债：",
                 "所有者权益（或股东权益）：", "@page { size: A4", "存货（第9行）"):
        assert text in html, text
    last = html.split("<tr")[-1]
    assert "资产总计" in last and "负债和所有者权益（或股东权益）总计" in last
    assert last.count("108,015.00") == 2
    sheet, cells = xlsx_cells(api.client.get("/reports/balance-sheet.xlsx?period=2026-11")
                              .content)
    assert "<f>" not in sheet
    assert (cells["A1"], cells["A3"], cells["H3"]) == (
        ("s", "资产负债表"), ("s", "编制单位：杭州明达紧固件有限公司"), ("s", "单位：元"))
    assert [cells[f"{c}4"][1] for c in "ABCDEFGH"] == [
        "资产", "行次", "期末余额", "年初余额", "负债和所有者权益（或股东权益）", "行次",
        "期末余额", "年初余额"]
    assert (cells["A5"], cells["E5"]) == (("s", "流动资产："), ("s", "流动负债："))
    assert (cells["A6"], cells["B6"], cells["C6"]) == (("s", "货币资金"), ("n", "1"),
                                                       ("n", "108015"))
    assert (cells["E6"], cells["F6"]) == (("s", "短期借款"), ("n", "31"))
    assert (cells["A36"], cells["C36"], cells["E36"], cells["G36"]) == (
        ("s", "资产总计"), ("n", "108015"), ("s", "负债和所有者权益（或股东权益）总计"),
        ("n", "108015"))
    assert (cells["E28"], cells["F28"], cells["G28"]) == (
        ("s", "未分配利润"), ("n", "51"), ("n", "8015"))
    # The 利润表 of the month, printable, its 其中 lines indented.
    html = api.client.get("/reports/income-statement.html?period=2026-11").text
    assert "2026 年 11 月" in html and "<th>本年累计金额</th><th>本月金额</th>" in html
    assert '<td class="detail">城市维护建设税</td><td class="no">6</td>' \
           '<td class="num">70.00</td><td class="num">70.00</td>' in html
    # The year before, and the annual 利润表 of 2026 beside it.
    app.open_period("2025-12")
    api.posted([D("1002", "4000.00"), C("5001", "4000.00")], day="2025-12-29",
               summary="销售收入")
    api.posted([D("560202", "600.00"), C("1002", "600.00")], day="2025-12-30",
               summary="业务招待费")
    data = api.gql(f'{{ annualIncomeStatement(period: "2026-12", waitFor: '
                   f'{api.log_position()}) {{ period {STATEMENT} }} }}')
    annual = data["annualIncomeStatement"]
    assert (annual["period"], annual["columns"]) == ("2026", ["本年金额", "上年金额"])
    got = {ln["line"]: ln["amounts"] for ln in annual["lines"]}
    assert (got[1], got[14], got[16], got[32]) == (
        ["10000.00", "4000.00"], ["2000.00", "600.00"], ["800.00", "600.00"],
        ["8015.00", "3400.00"])
    html = api.client.get("/reports/annual-income-statement.html?period=2026-12").text
    assert "2026 年度" in html and "<th>本年金额</th><th>上年金额</th>" in html
    assert api.client.get("/reports/trial-balance.html?period=2026-11").status_code == 404
    assert api.client.get("/reports/balance-sheet.html?period=2026-13").status_code == 400
