"""The ledger cannot be pulled away from its sub-ledgers (issue #10, section 2).

- Control accounts (1403, 1405, 4001, 1122, 2202, 2203, 1123, their
  sub-accounts and any account a company marks) refuse manual journal lines
  and the reversal of a voucher a document posted.
- Every dated command refuses a date outside the company's window around its
  today, and a date in a closed period, writing nothing.
- "Today" is the company's date in its time zone, from an injectable clock.
- Idempotency keys are scoped per actor; a Conflict always has a message.

All through GraphQL where a client would send it, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from api.runtime import Runtime
from domain.clock import DateSettings, check_business_date, fixed_clock
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, Conflict, PermissionDenied, ValidationError
from domain.users.directory import new_token
from tests.conftest import PINNED_NOW
from tests.scenes.graphql import ADD_ACCOUNT, CLOSE_PERIOD, INVEST, OPEN_PERIOD, POST, REVERSE, C, D
from tests.scenes.production_api import REPORT_OP, SCAN, WO3
from tests.scenes.supply_api import (
    CONFIRM_PO,
    COUNT,
    RECEIVE_ALL,
    RECEIVE_PO,
    RECONCILIATION,
    command,
    create_po1,
)

SET_CONTROL = command("setAccountControl", "code controlled")
SET_SETTINGS = command("setCompanySettings", "settings { timeZone daysBack daysAhead }")
# The pinned company clock (tests/conftest.py): 2027-01-31 in Shanghai, so the
# default window runs from 2026-01-30 to 2027-03-03.
WINDOW = "2026-01-30 to 2027-03-03"


def post(_client, lines, day="2026-11-05", **extra):
    return {"postingDate": day, "summary": "手工凭证", "lines": lines, **extra}


# -- control accounts ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "account, correction",
    [("1403", "adjustStock"), ("140501", "countStock"), ("400101", "returnMaterial"),
     ("1122", "issueRedSalesInvoice"), ("220201", "cancelPurchaseInvoice"),
     ("220202", "returnToSupplier"), ("2203", "recordCustomerReceipt"),
     ("1123", "recordSupplierPayment")],
)
def test_a_manual_line_on_a_control_account_is_refused_naming_account_and_document(
        ledger, account, correction):
    ledger.posted(INVEST)
    for lines, index in (([D(account, "10.00"), C("1002", "10.00")], 0),
                         ([D("1002", "10.00"), C(account, "10.00")], 1)):
        error = ledger.refused(POST, post(ledger, lines))
        assert (error["__typename"], error["code"]) == ("BusinessRuleViolation",
                                                        "CONTROL_ACCOUNT")
        assert f"account {account} " in error["message"]
        assert f"lines.{index}.account" in error["message"]
        assert correction in error["message"]


def test_a_goods_receipts_voucher_is_not_reversed_and_stock_stays_equal_to_1403(company):
    """The probe's finding: an accountant reversed the bolt-kit receipt's voucher
    (Dr 1403 / Cr 220202) and 1403 no longer matched the stock. Now refused."""
    gq = company
    gq.posted(INVEST)
    po = create_po1(gq)
    gq.ok(CONFIRM_PO, {"number": po})
    received = gq.ok(RECEIVE_PO, {"number": po, "postingDate": "2026-11-03",
                                   "lines": RECEIVE_ALL})["document"]
    assert (received["number"], received["totalValue"]) == ("GR-000001", "560.00")

    error = gq.refused(REVERSE, {"entryId": received["entryId"], "postingDate": "2026-11-20"})
    assert (error["__typename"], error["code"]) == ("BusinessRuleViolation", "CONTROL_ACCOUNT")
    assert "GR-000001" in error["message"] and "1403" in error["message"]
    assert "returnToSupplier" in error["message"]

    rows = {r["account"]: r for r in gq.gql(RECONCILIATION)["inventoryReconciliation"]}
    assert {r["difference"] for r in rows.values()} == {"0.00"}
    assert (rows["1403"]["stockValue"], rows["1403"]["glBalance"]) == ("560.00", "560.00")
    # A manual voucher (no document behind it) is still reversed as before.
    invest = gq.gql('{ journalEntries(account: "3001") { edges { node { id } } } }')
    entry_id = invest["journalEntries"]["edges"][0]["node"]["id"]
    reversed_ = gq.command(REVERSE, {"entryId": entry_id, "postingDate": "2026-11-20"})
    assert reversed_["__typename"] == "ReverseJournalEntrySuccess", reversed_


def test_an_accountant_marks_an_account_controlled_and_sub_accounts_follow(ledger):
    marked = ledger.command(SET_CONTROL, {"code": "2241", "controlled": True})
    assert (marked["__typename"], marked["code"], marked["controlled"]) == (
        "SetAccountControlSuccess", "2241", True)
    added = ledger.command(ADD_ACCOUNT, {"code": "224101", "name": "押金"})
    assert added["__typename"] == "AddAccountSuccess", added
    error = ledger.refused(POST, post(ledger, [D("1002", "5.00"), C("224101", "5.00")]))
    assert (error["code"], "account 224101 " in error["message"]) == ("CONTROL_ACCOUNT", True)

    for code, expected in (("224101", "CONTROL_ACCOUNT_INHERITED"),
                           ("1403", "CONTROL_ACCOUNT_BUILT_IN"),
                           ("140501", "CONTROL_ACCOUNT_BUILT_IN")):
        refused = ledger.refused(SET_CONTROL, {"code": code, "controlled": False})
        assert (refused["__typename"], refused["code"]) == ("BusinessRuleViolation", expected)
    again = ledger.refused(SET_CONTROL, {"code": "224101", "controlled": True})
    assert again["code"] == "ACCOUNT_STATE_UNCHANGED"
    unknown = ledger.refused(SET_CONTROL, {"code": "9999", "controlled": True})
    assert (unknown["__typename"], unknown["key"]) == ("NotFound", "9999")

    unmarked = ledger.command(SET_CONTROL, {"code": "2241", "controlled": False})
    assert (unmarked["__typename"], unmarked["controlled"]) == ("SetAccountControlSuccess",
                                                                False)
    ledger.posted([D("1002", "5.00"), C("224101", "5.00")])


def test_only_accountants_and_admins_mark_control_accounts(runtime):
    with pytest.raises(PermissionDenied):
        runtime.app.set_account_control(
            "2241", True, ctx=CommandContext(actor="op", roles=frozenset({"operator"})))
    with pytest.raises(PermissionDenied):
        runtime.app.set_company_settings(
            "UTC", 366, 31, ctx=CommandContext(actor="op", roles=frozenset({"storekeeper"})))
    position = runtime.app.log_position()
    runtime.app.set_account_control(
        "2241", True, ctx=CommandContext(actor="kuaiji", roles=frozenset({"accountant"})))
    assert runtime.app.log_position() > position


# -- business dates -----------------------------------------------------------------------
@pytest.mark.parametrize("query", [SCAN, REPORT_OP], ids=["reportByScan", "reportOperation"])
def test_operation_reports_refuse_a_closed_period_and_dates_far_from_today(shop, query):
    gq = shop
    assert gq.command(OPEN_PERIOD, {"period": "2026-10"})["__typename"] == "OpenPeriodSuccess"
    assert gq.command(CLOSE_PERIOD, {"period": "2026-10"})["__typename"] == \
        "ClosePeriodSuccess"
    target = ({"code": f"{WO3}/OP10"} if query is SCAN else {"number": WO3, "opNo": "OP10"})
    for day, code in (("2026-10-15", "PERIOD_CLOSED"), ("1999-01-01", "DATE_OUT_OF_RANGE"),
                      ("2099-01-01", "DATE_OUT_OF_RANGE")):
        # Quantities only (no hours): a report that posts nothing is gated all the same.
        error = gq.refused(query, {**target, "postingDate": day, "good": "1"})
        assert (error["__typename"], error["code"]) == ("BusinessRuleViolation", code), day
        assert day in error["message"]
        if code == "DATE_OUT_OF_RANGE":
            assert "postingDate" in error["message"] and WINDOW in error["message"]
    with_hours = gq.refused(query, {**target, "postingDate": "2099-01-01", "good": "1",
                                     "laborHours": "0.5"})
    assert with_hours["code"] == "DATE_OUT_OF_RANGE"
    ok = gq.command(query, {**target, "postingDate": "2026-11-10", "good": "1"})
    assert ok["__typename"].endswith("Success"), ok


def test_postings_receipts_and_counts_refuse_dates_outside_the_window(company):
    gq = company
    for day in ("1999-01-01", "2099-01-01", "2026-01-29", "2027-03-04"):
        error = gq.refused(POST, post(gq, INVEST, day=day))
        assert (error["__typename"], error["code"]) == ("BusinessRuleViolation",
                                                        "DATE_OUT_OF_RANGE"), day
    po = create_po1(gq)
    gq.ok(CONFIRM_PO, {"number": po})
    receipt = gq.refused(RECEIVE_PO, {"number": po, "postingDate": "2099-01-01",
                                       "lines": RECEIVE_ALL})
    assert receipt["code"] == "DATE_OUT_OF_RANGE"
    count = gq.refused(COUNT, {"postingDate": "1999-01-01", "warehouse": "WH-RM",
                                "lines": [{"item": "RM-BOX", "countedQty": "0"}]})
    assert count["code"] == "DATE_OUT_OF_RANGE"


def test_company_settings_change_the_window_and_refuse_an_unknown_time_zone(ledger):
    for input_, field in (({"timeZone": "Mars/Olympus", "daysBack": 366, "daysAhead": 31},
                           "timeZone"),
                          ({"timeZone": "", "daysBack": 366, "daysAhead": 31}, "timeZone"),
                          ({"timeZone": "UTC", "daysBack": -1, "daysAhead": 31}, "daysBack"),
                          ({"timeZone": "UTC", "daysBack": 366, "daysAhead": 400},
                           "daysAhead")):
        error = ledger.refused(SET_SETTINGS, input_)
        assert (error["__typename"], error["field"]) == ("ValidationError", field)
    done = ledger.command(SET_SETTINGS, {"timeZone": "Europe/Berlin", "daysBack": 30,
                                         "daysAhead": 5})
    assert done["settings"] == {"timeZone": "Europe/Berlin", "daysBack": 30, "daysAhead": 5}
    # Today is 2027-01-31 (also in Berlin at 04:00 UTC): November is now too far back.
    error = ledger.refused(POST, post(ledger, INVEST, day="2026-11-20"))
    assert error["code"] == "DATE_OUT_OF_RANGE"
    assert "2027-01-01 to 2027-02-05" in error["message"] and "Europe/Berlin" in error["message"]


def test_the_date_window_is_inclusive_at_both_ends():
    settings, today = DateSettings(), date(2027, 1, 31)
    assert check_business_date(date(2026, 1, 30), today, settings, "d") == date(2026, 1, 30)
    assert check_business_date(date(2027, 3, 3), today, settings, "d") == date(2027, 3, 3)
    for day in (date(2026, 1, 29), date(2027, 3, 4)):
        with pytest.raises(BusinessRuleViolation) as info:
            check_business_date(day, today, settings, "invoiceDate")
        assert info.value.code == "DATE_OUT_OF_RANGE" and "invoiceDate" in info.value.message
    with pytest.raises(ValidationError) as bad:
        check_business_date(datetime(2027, 1, 1, tzinfo=UTC), today, settings, "postingDate")
    assert bad.value.field == "postingDate"


# -- the company clock --------------------------------------------------------------------
def test_today_is_the_companys_date_in_its_time_zone(store_config):
    late_evening_utc = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    rt = Runtime(store_config, clock=fixed_clock(late_evening_utc))
    try:
        app = rt.app
        assert app.today() == date(2026, 12, 1)  # 07:30 on 1 December in Shanghai
        app.set_company_settings("UTC", 366, 31)
        assert app.today() == date(2026, 11, 30)
        app.set_company_settings("Asia/Shanghai", 366, 0)
        # 1 December is today in Shanghai, so it is not "ahead" even with no days ahead.
        app.open_period("2026-12")
        posted = app.post_journal_entry(date(2026, 12, 1), "投资", [
            _line("1002", debit="1.00"), _line("3001", credit="1.00")])
        assert posted.value.period == "2026-12"
        with pytest.raises(BusinessRuleViolation) as info:
            app.post_journal_entry(date(2026, 12, 2), "投资", [
                _line("1002", debit="1.00"), _line("3001", credit="1.00")])
        assert info.value.code == "DATE_OUT_OF_RANGE"
    finally:
        rt.close()


def test_the_suite_runs_on_a_pinned_clock(runtime):
    assert runtime.app.now() == PINNED_NOW
    assert runtime.app.today() == date(2027, 1, 31)


def _line(account, **amount):
    from domain.ledger.entries import LineInput

    return LineInput(account, **amount)


# -- idempotency per actor; a Conflict has a message ---------------------------------------
def test_two_users_with_the_same_key_never_collide_or_replay_each_other(runtime, ledger):
    alice, bob = new_token(), new_token()
    runtime.app.create_user("alice", ["accountant"], alice)
    runtime.app.create_user("bob", ["accountant"], bob)

    def as_user(token, amount):
        return ledger.command(POST, post(ledger, [D("1002", amount), C("3001", amount)],
                                         idempotencyKey="k-0001"),
                              headers={"Authorization": f"Bearer {token}"})

    first = as_user(alice, "10.00")
    other = as_user(bob, "20.00")
    assert (first["__typename"], other["__typename"]) == ("PostJournalEntrySuccess",) * 2
    assert (first["replayed"], other["replayed"]) == (False, False)
    assert (first["entry"]["voucherNo"], other["entry"]["voucherNo"]) == ("记-0001", "记-0002")
    assert (first["entry"]["actor"], other["entry"]["actor"]) == ("alice", "bob")
    assert other["entry"]["total"] == "20.00"

    position = runtime.app.log_position()
    again = as_user(alice, "10.00")
    assert (again["replayed"], again["entry"]["id"]) == (True, first["entry"]["id"])
    bob_again = as_user(bob, "20.00")
    assert (bob_again["replayed"], bob_again["entry"]["id"]) == (True, other["entry"]["id"])
    conflict = as_user(alice, "20.00")
    assert conflict["__typename"] == "Conflict"
    assert "k-0001" in conflict["message"] and "post_journal_entry" in conflict["message"]
    assert runtime.app.log_position() == position


def test_a_conflict_always_carries_a_message():
    assert Conflict().message and Conflict("  ").message
    assert Conflict("lost 100 races").message == "lost 100 races"


def test_the_demo_month_loads_years_later_by_widening_its_own_window(store_config):
    from api.demo import load_demo

    rt = Runtime(store_config, clock=fixed_clock(datetime(2028, 6, 1, 4, tzinfo=UTC)))
    try:
        written = load_demo(rt.app)
        assert written > 0
        settings = rt.app.date_settings()
        assert (settings.time_zone, settings.days_back, settings.days_ahead) == (
            "Asia/Shanghai", (date(2028, 6, 1) - date(2026, 11, 1)).days, 31)
        assert load_demo(rt.app) == 0
        assert rt.app.period("2026-11").status.value == "closed"
    finally:
        rt.close()


def test_an_expense_payment_cannot_book_stock_or_wip(ledger):
    from tests.scenes.cash_api import EXPENSE

    ledger.posted(INVEST)
    for account, code in (("1403", "CONTROL_ACCOUNT"), ("400101", "CONTROL_ACCOUNT"),
                          ("1122", "PARTY_ACCOUNT")):
        error = ledger.refused(EXPENSE, {"postingDate": "2026-11-25", "bankAccount": "1002",
                                         "lines": [{"account": "4101", "amount": "1.00"},
                                                   {"account": account, "amount": "9.00"}]})
        assert (error["__typename"], error["code"]) == ("BusinessRuleViolation", code), account
        if code == "CONTROL_ACCOUNT":
            assert "lines.1.account" in error["message"]
