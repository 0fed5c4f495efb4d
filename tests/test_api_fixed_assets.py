"""Fixed assets through GraphQL, on SQLite and PostgreSQL: a lathe bought in
mid-July depreciated August to December carries figures to the balance
sheet's 固定资产 lines (期末 and, in the new year, 年初); the half year of
docs/fixed-assets.md read back from the register, which reconciles to
1601/1602 at every month end; refusals typed and writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.scenes.fixed_assets import CAR, FORKLIFT, MONTHS, depreciate, fund
from tests.scenes.graphql import OPEN_PERIOD
from tests.scenes.supply_api import command

ASSET = """code name method use expenseAccount acquisitionDate cost residual lifeMonths
    accumulated bookValue months through voucherNo disposedOn gain"""
ENTRY = "voucherNo lines { accountCode debit credit }"
ACQUIRE = command("acquireFixedAsset", f"asset {{ {ASSET} }} entry {{ {ENTRY} }}")
RUN = command("runDepreciation", f"period total assets alreadyRun entry {{ {ENTRY} }} "
              "lines { asset account amount units }")
DISPOSE = command("disposeFixedAsset", f"depreciation bookValue gain asset {{ {ASSET} }} "
                  f"entry {{ {ENTRY} }}")
REGISTER = f"""query R($asOf: Date, $all: Boolean! = false) {{
  fixedAssets(asOf: $asOf, includeDisposed: $all) {{ {ASSET} }} }}"""
RECONCILE = """query C($asOf: Date) { fixedAssetReconciliation(asOf: $asOf) {
  account label register glBalance difference } }"""
SHEET = """query B($period: String!) { balanceSheet(period: $period) {
  lines { line label amounts } } }"""
CASH_FLOWS = """query F($period: String!) { cashFlowStatement(period: $period) {
  lines { line amounts } } balanceSheet(period: $period) { lines { line amounts } } }"""
PAY = command("recordSupplierPayment", "document { number entry { cashFlows { item line "
              "amount } } }").replace("RecordSupplierPaymentSuccess", "CashDocumentSuccess")
POST = command("postJournalEntry", "entry { cashFlows { item amount } }")
LATHE_IN = {"code": "FA-001", "name": "数控车床 CNC lathe", "lifeMonths": 120,
            "acquisitionDate": "2026-07-15", "cost": "120000.00", "vat": "15600.00",
            "residualRate": "0.05", "category": "机器设备", "bankAccount": "1002"}


def lines(entry: dict) -> list[tuple[str, str, str]]:
    return [(ln["accountCode"], ln["debit"], ln["credit"]) for ln in entry["lines"]]


def fixed_asset_lines(gq, period: str) -> dict[int, list[str]]:
    sheet = gq.gql(SHEET, {"period": period})["balanceSheet"]
    return {ln["line"]: ln["amounts"] for ln in sheet["lines"] if 18 <= ln["line"] <= 20}


@pytest.fixture
def gq(api):
    for month in MONTHS:
        assert api.ok(OPEN_PERIOD, {"period": month})
    return api


def test_a_machine_bought_mid_year_carries_figures_to_the_balance_sheet(gq):
    bought = gq.ok(ACQUIRE, {**LATHE_IN, "idempotencyKey": "fa-1"})
    asset = bought["asset"]
    assert (asset["method"], asset["use"], asset["expenseAccount"], asset["residual"]) == (
        "STRAIGHT_LINE", "PRODUCTION", "4101", "6000.00")
    assert lines(bought["entry"]) == [("1601", "120000.00", "0.00"),
                                      ("22210101", "15600.00", "0.00"),
                                      ("1002", "0.00", "135600.00")]
    assert gq.ok(ACQUIRE, {**LATHE_IN, "cost": "120000", "idempotencyKey": "fa-1"})["replayed"]
    # July is the acquisition month: nothing to charge; from August 950.00 a month.
    assert fixed_asset_lines(gq, "2026-07") == {18: ["120000.00", "0.00"],
                                                19: ["0.00", "0.00"],
                                                20: ["120000.00", "0.00"]}
    for month in MONTHS:
        run = gq.ok(RUN, {"period": month})
        assert run["total"] == ("0.00" if month == "2026-07" else "950.00")
    august = gq.ok(RUN, {"period": "2026-08"})
    assert august["alreadyRun"] and lines(august["entry"]) == [("4101", "950.00", "0.00"),
                                                               ("1602", "0.00", "950.00")]
    assert august["lines"] == [{"asset": "FA-001", "account": "4101", "amount": "950.00",
                                "units": "0.000000"}]
    assert fixed_asset_lines(gq, "2026-12") == {18: ["120000.00", "0.00"],
                                                19: ["4750.00", "0.00"],
                                                20: ["115250.00", "0.00"]}
    # In the new year the same figures open it (年初余额).
    assert fixed_asset_lines(gq, "2027-01") == {18: ["120000.00", "120000.00"],
                                                19: ["4750.00", "4750.00"],
                                                20: ["115250.00", "115250.00"]}
    (held,) = gq.gql(REGISTER)["fixedAssets"]
    assert (held["accumulated"], held["bookValue"], held["months"], held["through"]) == (
        "4750.00", "115250.00", 5, "2026-12")
    (october,) = gq.gql(REGISTER, {"asOf": "2026-10-31"})["fixedAssets"]
    assert (october["accumulated"], october["months"]) == ("2850.00", 3)
    for as_of in ("2026-07-14", "2026-07-15", "2026-09-30", None):
        rows = gq.gql(RECONCILE, {"asOf": as_of})["fixedAssetReconciliation"]
        assert [r["difference"] for r in rows] == ["0.00"] * 3, rows


def test_the_half_year_is_read_back_from_the_register(gq):
    app = gq.runtime.app
    fund(app)
    gq.ok(ACQUIRE, {**LATHE_IN, "supplier": "SUP-MACH", "bankAccount": "",
                    "invoiceNumber": "26332000000000070001"})
    app.acquire_fixed_asset(FORKLIFT, date(2026, 7, 18), "50000.00",
                            "6500.00", bank_account="1002")
    app.acquire_fixed_asset(CAR, date(2026, 7, 20), "60000.00",
                            "7800.00", bank_account="1002")
    for month in MONTHS[1:-1]:
        depreciate(app, month)
    sold = gq.ok(DISPOSE, {"code": "FA-002", "disposalDate": "2026-12-20",
                           "proceeds": "45000.00", "proceedsVat": "5850.00", "costs": "300.00",
                           "bankAccount": "1002", "units": "100", "reason": "出售 sold"})
    assert (sold["depreciation"], sold["bookValue"], sold["gain"]) == (
        "475.00", "47862.50", "-3162.50")
    assert (sold["asset"]["disposedOn"], sold["asset"]["accumulated"]) == (
        "2026-12-20", "2137.50")
    december = gq.ok(RUN, {"period": "2026-12"})
    assert (december["total"], december["assets"]) == ("2950.00", 2)
    held = {a["code"]: (a["accumulated"], a["bookValue"]) for a in gq.gql(REGISTER)[
        "fixedAssets"]}
    assert held == {"FA-001": ("4750.00", "115250.00"), "FA-003": ("10000.00", "50000.00")}
    assert len(gq.gql(REGISTER, {"all": True})["fixedAssets"]) == 3
    assert fixed_asset_lines(gq, "2026-12") == {18: ["180000.00", "0.00"],
                                                19: ["14750.00", "0.00"],
                                                20: ["165250.00", "0.00"]}
    for as_of in ("2026-08-31", "2026-11-30", "2026-12-20", None):
        rows = gq.gql(RECONCILE, {"asOf": as_of})["fixedAssetReconciliation"]
        assert [r["difference"] for r in rows] == ["0.00"] * 3, rows
    # The lathe's invoice paid in December: 购建固定资产 (CF12), as the register opened it;
    # a loan from the owner's brother booked on 2241 and named as a borrowing (CF14).
    paid = gq.ok(PAY, {"supplier": "SUP-MACH", "postingDate": "2026-12-05",
                       "bankAccount": "1002", "amount": "135600.00",
                       "allocations": [{"document": "26332000000000070001",
                                        "amount": "135600.00"}]})
    assert paid["document"]["entry"]["cashFlows"] == [
        {"item": "ASSET_PURCHASES", "line": 12, "amount": "-135600.00"}]
    lent = gq.ok(POST, {"postingDate": "2026-12-10", "summary": "借款 loan from a relative",
                        "lines": [{"account": "1002", "debit": "10000.00"},
                                  {"account": "2241", "credit": "10000.00",
                                   "cashFlow": "BORROWINGS"}]})
    assert lent["entry"]["cashFlows"] == [{"item": "BORROWINGS", "amount": "10000.00"}]
    data = gq.gql(CASH_FLOWS, {"period": "2026-12"})
    flows = {ln["line"]: ln["amounts"] for ln in data["cashFlowStatement"]["lines"]}
    assert {n: a for n, a in flows.items() if a != ["0.00", "0.00"]} == {
        10: ["50550.00", "50550.00"], 12: ["259900.00", "135600.00"],
        13: ["-209350.00", "-85050.00"], 14: ["10000.00", "10000.00"],
        15: ["500000.00", "0.00"], 19: ["510000.00", "10000.00"],
        20: ["300650.00", "-75050.00"], 21: ["0.00", "375700.00"],
        22: ["300650.00", "300650.00"]}
    cash = {ln["line"]: ln["amounts"] for ln in data["balanceSheet"]["lines"]}[1]
    assert flows[22][0] == cash[0] and flows[20][0] == "300650.00"
    wrong = gq.refused(POST, {"postingDate": "2026-12-10", "summary": "x", "lines": [
        {"account": "1002", "debit": "1.00", "cashFlow": "BORROWINGS"},
        {"account": "2241", "credit": "1.00"}]})
    assert (wrong["__typename"], wrong["field"]) == ("ValidationError", "lines.0.cashFlow")

    refused = gq.refused(DISPOSE.replace("logPosition replayed", "logPosition"),
                         {"code": "FA-002", "disposalDate": "2026-12-21"})
    assert refused["code"] == "ASSET_DISPOSED"
    refused = gq.refused(RUN, {"period": "2026-11", "units": [{"asset": "FA-002",
                                                               "units": "1"}]})
    assert refused["code"] == "DEPRECIATION_ALREADY_RUN"


# -- after the fact (docs/fixed-assets.md, "After the fact") ------------------------------
EDIT = command("editFixedAsset", f"effective changed asset {{ {ASSET} }}")
PART = command("disposeFixedAssetPart", "costOut accumulatedOut depreciation bookValue gain "
               f"asset {{ {ASSET} }} entry {{ {ENTRY} }}")
REVERSE = command("reverseDepreciationRun", f"period total assets alreadyReversed "
                  f"entry {{ {ENTRY} }}")


def test_a_card_edited_a_part_sold_and_a_run_reversed_through_graphql(gq):
    """The lathe (950.00 a month): August run, reversed (red voucher), run
    again; its life becomes 62 months and its residual 10 % from September:
    (108,000.00 - 950.00) / 61 = 1,754.92; on 10 October a quarter (30,000.00)
    is sold for 20,000.00: October's 1,754.92 first (accumulated 4,459.84),
    the part takes round(4,459.84 / 4) = 1,114.96, book value 28,885.04, loss
    8,885.04. The register still equals 1601/1602."""
    app = gq.runtime.app
    fund(app)
    gq.ok(ACQUIRE, LATHE_IN)
    app.run_depreciation("2026-08")
    out = gq.ok(REVERSE, {"period": "2026-08", "reason": "rerun"})
    assert (out["total"], out["assets"], out["alreadyReversed"]) == ("950.00", 1, False)
    assert lines(out["entry"]) == [("4101", "-950.00", "0.00"), ("1602", "0.00", "-950.00")]
    again = gq.ok(REVERSE, {"period": "2026-08"})
    assert again["alreadyReversed"] and again["entry"]["voucherNo"] == out["entry"]["voucherNo"]
    app.run_depreciation("2026-08")
    edited = gq.ok(EDIT, {"code": "FA-001", "lifeMonths": 62, "residualRate": "0.10"})
    assert (edited["effective"], edited["changed"], edited["asset"]["lifeMonths"],
            edited["asset"]["residual"]) == ("2026-09", True, 62, "12000.00")
    september = app.run_depreciation("2026-09").value
    assert september.total == "1754.92"
    part = gq.ok(PART, {"code": "FA-001", "disposalDate": "2026-10-10", "cost": "30000.00",
                        "proceeds": "20000.00", "bankAccount": "1002", "reason": "出售"})
    assert (part["costOut"], part["accumulatedOut"], part["depreciation"], part["bookValue"],
            part["gain"]) == ("30000.00", "1114.96", "1754.92", "28885.04", "-8885.04")
    assert (part["asset"]["cost"], part["asset"]["accumulated"]) == ("90000.00", "3344.88")
    rows = gq.gql(RECONCILE, {"asOf": None})["fixedAssetReconciliation"]
    assert [r["difference"] for r in rows] == ["0.00"] * 3, rows
    rows = gq.gql(RECONCILE, {"asOf": "2026-10-09"})["fixedAssetReconciliation"]
    assert [(r["register"], r["difference"]) for r in rows] == [
        ("120000.00", "0.00"), ("2704.92", "0.00"), ("117295.08", "0.00")]
