"""Fixed assets through the use cases (in memory): the half year of
docs/fixed-assets.md, voucher by voucher, and what the register refuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.finance.open_items import Ledger, open_item_id
from domain.fixed_assets.cards import AssetSpec
from domain.fixed_assets.depreciation import DepreciationMethod
from domain.fixed_assets.handlers import UnitsInput
from domain.ledger.entries import LineInput
from tests.scenes.fixed_assets import (
    FORKLIFT,
    LATHE,
    buy_assets,
    depreciate,
    half_year,
    open_half_year,
)


def lines(app, entry_id):
    entry = app.journal_entry(entry_id)
    return [(ln.account, str(ln.debit), str(ln.credit)) for ln in entry.lines]


@pytest.fixture
def app(memory_app):
    open_half_year(memory_app)
    return memory_app


def test_acquisitions_post_cost_and_vat_against_the_supplier_or_the_bank(app):
    lathe = app.acquire_fixed_asset(LATHE, date(2026, 7, 15), "120000.00", "15600.00",
                                    supplier="SUP-MACH",
                                    invoice_number="26332000000000070001").value
    assert lines(app, lathe.entry_id) == [("1601", "120000.00", "0.00"),
                                          ("22210101", "15600.00", "0.00"),
                                          ("220201", "0.00", "135600.00")]
    item = app.repository.get(open_item_id(Ledger.PAYABLE, "SUP-MACH/26332000000000070001"))
    assert (item.document_kind, item.amount, item.due_date) == (
        "fixed_asset", Dec("135600.00"), date(2026, 8, 14))
    forklift = app.acquire_fixed_asset(FORKLIFT, date(2026, 7, 18), "50000.00", "6500.00",
                                       bank_account="1002").value
    assert lines(app, forklift.entry_id) == [("1601", "50000.00", "0.00"),
                                             ("22210101", "6500.00", "0.00"),
                                             ("1002", "0.00", "56500.00")]
    card = app.fixed_asset("FA-002").card
    assert (card.residual, card.expense_account, card.total_units) == (
        Dec("2500.00"), "4101", Dec("10000"))
    # From the first card on, only the register posts to 1601, 1602 and 1606.
    with pytest.raises(BusinessRuleViolation) as refused:
        app.post_journal_entry(date(2026, 7, 31), "手工", [LineInput("1602", debit="1.00"),
                                                          LineInput("1002", credit="1.00")])
    assert refused.value.code == "CONTROL_ACCOUNT"
    assert "fixed-asset register" in refused.value.message


def test_the_half_year_depreciates_each_method_and_sells_the_forklift(app):
    buy_assets(app)
    july = app.run_depreciation("2026-07").value  # acquired in July: nothing yet
    assert (july.total, july.assets, july.entry_id) == ("0.00", 0, "")
    august = depreciate(app, "2026-08").value
    assert (august.total, august.assets) == ("3520.00", 3)  # 950 + 570 + 2,000
    assert lines(app, august.entry_id) == [("4101", "1520.00", "0.00"),
                                           ("5602", "2000.00", "0.00"),
                                           ("1602", "0.00", "3520.00")]
    assert [depreciate(app, p).value.total for p in ("2026-09", "2026-10", "2026-11")] == [
        "3330.00", "2950.00", "3662.50"]
    # Run again, a month answers its first run and writes nothing.
    before = app.log_position()
    again = depreciate(app, "2026-11")
    assert again.value.already_run and again.value.total == "3662.50"
    assert app.log_position() == before
    with pytest.raises(BusinessRuleViolation, match="other counts"):
        app.run_depreciation("2026-11", units=[UnitsInput("FA-002", "151")])

    sold = app.dispose_fixed_asset("FA-002", date(2026, 12, 20), proceeds="45000.00",
                                   proceeds_vat="5850.00", costs="300.00",
                                   bank_account="1002", units="100", reason="出售").value
    assert (sold.depreciation, sold.book_value, sold.gain) == ("475.00", "47862.50", "-3162.50")
    assert lines(app, sold.entry_id) == [
        ("4101", "475.00", "0.00"), ("1602", "0.00", "475.00"),
        ("1602", "2137.50", "0.00"), ("1606", "47862.50", "0.00"), ("1601", "0.00", "50000.00"),
        ("1606", "300.00", "0.00"), ("1002", "0.00", "300.00"),
        ("1002", "50850.00", "0.00"), ("1606", "0.00", "45000.00"),
        ("22210102", "0.00", "5850.00"),
        ("5711", "3162.50", "0.00"), ("1606", "0.00", "3162.50")]
    december = depreciate(app, "2026-12").value
    assert (december.total, december.assets) == ("2950.00", 2)  # the forklift left

    held = {c: app.fixed_asset(c) for c in ("FA-001", "FA-002", "FA-003")}
    assert {c: (h.accumulated, h.book_value, h.through) for c, h in held.items()} == {
        "FA-001": (Dec("4750.00"), Dec("115250.00"), "2026-12"),
        "FA-002": (Dec("2137.50"), Dec("47862.50"), "2026-12"),
        "FA-003": (Dec("10000.00"), Dec("50000.00"), "2026-12"),
    }
    assert held["FA-002"].disposed_on == date(2026, 12, 20)
    nets = _nets(app)
    assert (nets["1601"], nets["1602"], nets.get("1606", Dec(0))) == (
        Dec("180000.00"), Dec("-14750.00"), Dec(0))


def _nets(app):
    from domain.ledger.period_end import year_to_date

    fiscal = app.period("2026-12")
    return year_to_date(app.repository, fiscal, require_closed=False)


def test_a_scrapped_asset_without_proceeds_loses_its_book_value(app):
    half_year(app)
    gone = app.dispose_fixed_asset("FA-003", date(2026, 12, 31), reason="报废").value
    # December's run already charged it: nothing more this month.
    assert (gone.depreciation, gone.book_value, gone.gain) == ("0.00", "50000.00", "-50000.00")
    assert lines(app, gone.entry_id) == [
        ("1602", "10000.00", "0.00"), ("1606", "50000.00", "0.00"),
        ("1601", "0.00", "60000.00"), ("5711", "50000.00", "0.00"),
        ("1606", "0.00", "50000.00")]


def test_a_card_taken_over_from_earlier_books_continues_its_depreciation(app):
    taken = AssetSpec("FA-100", "厂房 workshop", 240, DepreciationMethod.STRAIGHT_LINE,
                      residual_rate="0.05")
    result = app.acquire_fixed_asset(taken, date(2026, 7, 1), "200000.00",
                                     counter_account="3001",
                                     opening_depreciation="47500.00",
                                     months_depreciated=60).value
    assert lines(app, result.entry_id) == [("1601", "200000.00", "0.00"),
                                           ("1602", "0.00", "47500.00"),
                                           ("3001", "0.00", "152500.00")]
    assert app.run_depreciation("2026-08").value.total == "791.67"  # 190,000 / 240


@pytest.mark.parametrize("call, error, code", [
    (lambda app: app.run_depreciation("2026-09"), BusinessRuleViolation, "DEPRECIATION_MISSING"),
    (lambda app: app.run_depreciation("2026-08"), BusinessRuleViolation, "UNITS_MISSING"),
    (lambda app: app.run_depreciation("2026-08", units=[UnitsInput("FA-001", "5")]),
     ValidationError, ""),
    (lambda app: app.acquire_fixed_asset(LATHE, date(2026, 7, 15), "1.00",
                                         bank_account="1002"),
     BusinessRuleViolation, "ASSET_EXISTS"),
    (lambda app: app.acquire_fixed_asset(
        AssetSpec("FA-009", "x", 12), date(2026, 7, 15), "1.00", bank_account="1002",
        supplier="SUP-MACH"), ValidationError, ""),
    (lambda app: app.acquire_fixed_asset(
        AssetSpec("FA-009", "x", 30, DepreciationMethod.DOUBLE_DECLINING), date(2026, 7, 15),
        "1.00", bank_account="1002"), ValidationError, ""),
    (lambda app: app.acquire_fixed_asset(
        AssetSpec("FA-009", "x", 12, expense_account="5602"), date(2026, 7, 15), "1.00",
        bank_account="1002"), BusinessRuleViolation, "WRONG_EXPENSE_ACCOUNT"),
    (lambda app: app.acquire_fixed_asset(
        AssetSpec("FA-009", "x", 12), date(2026, 7, 15), "1.00", counter_account="1122"),
     BusinessRuleViolation, "CONTROL_ACCOUNT"),
    (lambda app: app.acquire_fixed_asset(
        AssetSpec("FA-009", "x", 12), date(2026, 7, 15), "1.00", supplier="SUP-MACH",
        invoice_number="26332000000000070001"), BusinessRuleViolation, "INVOICE_EXISTS"),
    (lambda app: app.dispose_fixed_asset("FA-001", date(2026, 9, 1)),
     BusinessRuleViolation, "DEPRECIATION_MISSING"),
    (lambda app: app.dispose_fixed_asset("FA-009", date(2026, 8, 1)), NotFound, ""),
    (lambda app: app.dispose_fixed_asset("FA-002", date(2026, 8, 10)), ValidationError, ""),
    (lambda app: app.dispose_fixed_asset("FA-001", date(2026, 8, 1), proceeds="10.00"),
     BusinessRuleViolation, "NOT_A_CASH_ACCOUNT"),
])
def test_refusals_write_nothing(app, call, error, code):
    buy_assets(app)
    before = app.log_position()
    with pytest.raises(error) as refused:
        call(app)
    assert getattr(refused.value, "code", "") == code
    assert app.log_position() == before


def test_an_acquisition_before_a_depreciated_month_and_runs_out_of_order_are_refused(app):
    buy_assets(app)
    depreciate(app, "2026-08")
    depreciate(app, "2026-09")
    late = AssetSpec("FA-010", "钻床 drill", 60)
    with pytest.raises(BusinessRuleViolation) as refused:
        app.acquire_fixed_asset(late, date(2026, 8, 31), "9000.00", bank_account="1002")
    assert refused.value.code == "DEPRECIATION_ALREADY_RUN"
    with pytest.raises(BusinessRuleViolation) as refused:
        app.run_depreciation("2026-07")
    assert refused.value.code == "DEPRECIATION_ALREADY_RUN"
    with pytest.raises(BusinessRuleViolation) as refused:
        app.dispose_fixed_asset("FA-001", date(2026, 8, 31))
    assert refused.value.code == "DEPRECIATION_ALREADY_RUN"
    # Acquired in the last month depreciated: from the next month on, as always.
    app.acquire_fixed_asset(late, date(2026, 9, 30), "9000.00", bank_account="1002")
    october = depreciate(app, "2026-10").value
    assert october.assets == 4
    assert app.fixed_asset("FA-010").accumulated == Dec("142.50")  # 8,550 / 60


def test_an_assets_invoice_is_not_recorded_again_as_a_purchase_invoice(app):
    from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
    from domain.invoicing.purchase_invoices import PurchaseInvoiceType

    buy_assets(app)
    with pytest.raises(BusinessRuleViolation) as refused:
        app.record_purchase_invoice("SUP-MACH", "26332000000000070001", date(2026, 7, 16),
                                    PurchaseInvoiceType.SPECIAL,
                                    [PurchaseInvoiceLineInput("GR-000001", 1, "1", "1.00")])
    assert refused.value.code == "INVOICE_EXISTS"
