"""Fixed assets after the fact (issue #15): editing a card (a change in
estimates, prospective), partial disposal, reversing the latest depreciation
run, and 工作量法 reading the equipment register's counter. Numbers by hand
from the half year of docs/fixed-assets.md (tests/scenes/fixed_assets.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as Dec

import pytest

from domain.catalog.engineering import WorkCenterSpec
from domain.equipment.machines import EquipmentSpec
from domain.errors import BusinessRuleViolation, ValidationError
from domain.fixed_assets.depreciation import monthly_charge
from domain.fixed_assets.handlers import UnitsInput
from domain.fixed_assets.register import AssetUse
from domain.fixed_assets.revisions import AssetChanges
from tests.scenes.fixed_assets import buy_assets, depreciate, open_half_year


def lines(app, entry_id):
    entry = app.journal_entry(entry_id)
    return [(ln.account, str(ln.debit), str(ln.credit)) for ln in entry.lines]


@pytest.fixture
def app(memory_app):
    open_half_year(memory_app)
    buy_assets(memory_app)  # lathe 120,000 (5 %, 120 months: 950.00 a month), forklift, car
    return memory_app


def test_a_change_in_life_and_residual_applies_from_the_next_run(app):
    """The lathe after August and September: 1,900.00 accumulated, 2 months.
    Its life becomes 62 months and its residual 10 % (12,000.00) from
    October: (120,000.00 - 12,000.00 - 1,900.00) / (62 - 2) = 1,768.33 a
    month. It moves to administration: October posts Dr 5602 2,000.00 (the
    car) + 1,768.33 / Cr 1602 3,768.33 (the forklift idle)."""
    for month in ("2026-08", "2026-09"):
        depreciate(app, month)
    out = app.edit_fixed_asset("FA-001", AssetChanges(
        life_months=62, residual_rate="0.10", use=AssetUse.ADMINISTRATION)).value
    assert (out.effective, out.changed) == ("2026-10", True)
    lathe = app.fixed_asset("FA-001")
    assert (lathe.card.life_months, lathe.card.residual, lathe.card.expense_account,
            lathe.revision.accumulated, lathe.revision.months) == (
        62, Dec("12000.00"), "5602", Dec("1900.00"), 2)
    october = depreciate(app, "2026-10").value
    assert lines(app, october.entry_id) == [("5602", "3768.33", "0.00"),
                                            ("1602", "0.00", "3768.33")]
    assert app.fixed_asset("FA-001").accumulated == Dec("3668.33")


def test_an_edit_that_contradicts_what_was_depreciated_is_refused_and_writes_nothing(app):
    for month in ("2026-08", "2026-09"):
        depreciate(app, month)
    before = app.log_position()
    with pytest.raises(ValidationError, match="more than the 2 months"):
        app.edit_fixed_asset("FA-001", AssetChanges(life_months=2))
    with pytest.raises(BusinessRuleViolation) as refused:
        app.edit_fixed_asset("FA-003", AssetChanges(life_months=48))
    assert refused.value.code == "ESTIMATE_NOT_REVISABLE"
    with pytest.raises(ValidationError, match="only for 工作量法"):
        app.edit_fixed_asset("FA-001", AssetChanges(total_units="5000"))
    assert app.log_position() == before


def test_a_partial_disposal_takes_its_share_of_cost_and_depreciation_through_1606(app):
    """The lathe after August-November: 3,800.00 accumulated. On 10 December
    a quarter of it (cost 30,000.00) is sold for 20,000.00 + VAT 2,600.00.
    December's depreciation of the whole lathe first (当月减少当月照提): 950.00,
    accumulated 4,750.00; the part takes round(4,750.00 x 30,000/120,000) =
    1,187.50, its book value 28,812.50; loss 20,000.00 - 28,812.50 =
    -8,812.50 to 5711. What stays: cost 90,000.00, residual 4,500.00,
    accumulated 3,562.50 after 5 months, so from January (85,500.00 -
    3,562.50) / 115 = 712.50 a month."""
    for month in ("2026-08", "2026-09", "2026-10", "2026-11"):
        depreciate(app, month)
    out = app.dispose_fixed_asset_part("FA-001", date(2026, 12, 10), "30000.00",
                                       proceeds="20000.00", proceeds_vat="2600.00",
                                       bank_account="1002", reason="出售 a quarter").value
    assert (out.cost_out, out.accumulated_out, out.depreciation, out.book_value, out.gain,
            out.remaining_cost) == ("30000.00", "1187.50", "950.00", "28812.50", "-8812.50",
                                    "90000.00")
    assert lines(app, out.entry_id) == [
        ("4101", "950.00", "0.00"), ("1602", "0.00", "950.00"),
        ("1602", "1187.50", "0.00"), ("1606", "28812.50", "0.00"),
        ("1601", "0.00", "30000.00"),
        ("1002", "22600.00", "0.00"), ("1606", "0.00", "20000.00"),
        ("22210102", "0.00", "2600.00"),
        ("5711", "8812.50", "0.00"), ("1606", "0.00", "8812.50")]
    lathe = app.fixed_asset("FA-001")
    assert (lathe.card.cost, lathe.card.residual, lathe.accumulated, lathe.progress.months,
            lathe.through) == (Dec("90000.00"), Dec("4500.00"), Dec("3562.50"), 5, "2026-12")
    assert monthly_charge(lathe.basis, lathe.progress) == Dec("712.50")
    # The lathe's December is charged already: the run takes the car and the forklift.
    december = app.run_depreciation("2026-12", units=[UnitsInput("FA-002", "0")]).value
    assert december.assets == 2
    assert app.fixed_asset("FA-001").accumulated == Dec("3562.50")
    with pytest.raises(ValidationError, match="less than the asset's 90000.00"):
        app.dispose_fixed_asset_part("FA-001", date(2026, 12, 20), "90000.00")


def test_the_latest_run_is_reversed_once_and_the_month_can_be_run_again(app):
    """August: lathe 950.00 + forklift 120 h x 47,500.00/10,000 = 570.00 (4101
    1,520.00) + car 2,000.00 (5602). Reversed: one red voucher with the same
    lines negative; the assets stand as before; run again with 100 hours the
    forklift takes 475.00."""
    august = depreciate(app, "2026-08").value
    out = app.reverse_depreciation_run("2026-08", "wrong hours").value
    assert (out.total, out.assets, out.already_reversed) == ("3520.00", 3, False)
    assert lines(app, out.entry_id) == [("4101", "-1520.00", "0.00"),
                                        ("5602", "-2000.00", "0.00"),
                                        ("1602", "0.00", "-3520.00")]
    assert app.fixed_asset("FA-001").accumulated == Dec("0.00")
    assert app.fixed_asset("FA-001").through == "2026-07"
    before = app.log_position()
    again = app.reverse_depreciation_run("2026-08").value  # idempotent: the first answer
    assert (again.already_reversed, again.entry_id) == (True, out.entry_id)
    assert app.log_position() == before
    rerun = app.run_depreciation("2026-08", units=[UnitsInput("FA-002", "100")]).value
    assert rerun.total == "3425.00" and rerun.entry_id != august.entry_id
    assert app.fixed_asset("FA-002").accumulated == Dec("475.00")


def test_only_the_latest_unchanged_run_can_be_reversed(app):
    for month in ("2026-08", "2026-09"):
        depreciate(app, month)
    before = app.log_position()
    with pytest.raises(BusinessRuleViolation) as refused:
        app.reverse_depreciation_run("2026-08")
    assert refused.value.code == "NOT_LATEST_RUN"
    app.dispose_fixed_asset("FA-001", date(2026, 9, 30), reason="scrapped")
    before = app.log_position()
    with pytest.raises(BusinessRuleViolation) as refused:
        app.reverse_depreciation_run("2026-09")
    assert refused.value.code == "ASSET_CHANGED_SINCE_RUN"
    with pytest.raises(BusinessRuleViolation) as refused:
        app.reverse_depreciation_run("2026-10")
    assert refused.value.code == "NO_DEPRECIATION_RUN"
    assert app.log_position() == before


def test_units_of_production_reads_the_equipment_counter(app):
    """The forklift linked to equipment EQ-FORK, which counts 120 then 80
    more: August charges 120 x 4.75 = 570.00, September 80 x 4.75 = 380.00,
    with no hours given; a count given by hand still wins (October 0)."""
    app.define_work_center(WorkCenterSpec("WC-LOG", "物流 logistics", 1, Dec("30"), Dec("5")))
    app.register_equipment(EquipmentSpec("EQ-FORK", "叉车 forklift", "WC-LOG"))
    app.edit_fixed_asset("FA-002", AssetChanges(equipment="EQ-FORK"))
    app.record_equipment_count("EQ-FORK", datetime(2026, 8, 20, 2, tzinfo=UTC), "120", "120")
    august = app.run_depreciation("2026-08").value
    assert august.total == "3520.00"  # 950 + 570 + 2,000
    assert app.fixed_asset("FA-002").accumulated == Dec("570.00")
    app.record_equipment_count("EQ-FORK", datetime(2026, 9, 20, 2, tzinfo=UTC), "80", "80")
    app.run_depreciation("2026-09")
    assert app.fixed_asset("FA-002").accumulated == Dec("950.00")
    app.record_equipment_count("EQ-FORK", datetime(2026, 10, 20, 2, tzinfo=UTC), "30", "30")
    app.run_depreciation("2026-10", units=[UnitsInput("FA-002", "0")])
    assert app.fixed_asset("FA-002").accumulated == Dec("950.00")
    app.run_depreciation("2026-11")  # reads 230 - 230 (noted in October): 0
    assert app.fixed_asset("FA-002").accumulated == Dec("950.00")
