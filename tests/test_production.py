"""Production execution and actual costing through the use cases, on both
stores: the bolt-kit month's steps 6-8 to the cent, a messier story of our
own, idempotent scanning, and bad input for every command.

WIP is read from the WorkOrder aggregate until a production read model lands."""

from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.catalog.engineering import IssueMethod, ProductionSettings
from domain.catalog.items import ItemSpec, ItemType
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, Conflict, NotFound, ValidationError
from domain.inventory.handlers import AdjustmentLineInput
from domain.orders import MoveLineInput, OrderLineInput
from domain.production.costing import Wip
from domain.production.inputs import (
    BomLineInput,
    MaterialLineInput,
    OperationInput,
    ReportInput,
)
from domain.production.work_orders import Shortage, WorkOrderStatus
from tests.scenes.production import (
    balance,
    entry_lines,
    receive_po1,
    reconciled,
    setup_factory,
    stock,
    wip,
    work_order,
)

D = {n: date(2026, 11, n) for n in range(1, 31)}
ZERO = Dec("0.00")


@pytest.fixture
def co(runtime):
    setup_factory(runtime.app)
    return runtime


@pytest.fixture
def co_mem(memory_runtime):
    """The same scene on the in-memory store, for use cases that need no read model."""
    setup_factory(memory_runtime.app)
    return memory_runtime


def refused(rt, exc_type, call, *args, **kwargs):
    """Call, expect ``exc_type``, and check the refused command wrote nothing."""
    before = rt.app.log_position()
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert rt.app.log_position() == before, "a refused command wrote events"
    return info.value


def lines(*triples):
    return [(a, Dec(dr), Dec(cr)) for a, dr, cr in triples]


def assert_wip_equals_400101(rt, *numbers):
    total = sum((wip(rt.app, n) for n in numbers), ZERO)
    assert balance(rt, "400101") == total


# -- bolt-kit steps 6-8 -----------------------------------------------------------------
def test_bolt_kit_steps_6_to_8_post_every_voucher_to_the_cent_and_leave_no_wip(co):
    app = co.app
    receive_po1(app)  # step 2: steel 100 kg = 500.00, zinc 2 kg = 40.00, box 20 = 20.00
    so = app.create_sales_order("CUS-HW", D[4], [
        OrderLineInput("FG-KIT", "10", "200.00", D[20])]).value.number  # step 4
    app.confirm_sales_order(so)

    # Step 6: WO-1, SA-BLANK x 1,000.
    wo1 = app.create_work_order("SA-BLANK", "1000", D[10], D[6]).value
    assert (wo1.number, wo1.status) == ("WO-000001", "created")
    assert app.release_work_order(wo1.number).value.status == "released"
    issue = app.issue_material(wo1.number, D[6], [MaterialLineInput(1, "50")]).value
    assert issue.number.startswith("MI-")
    assert entry_lines(co, issue.entry_id) == lines(("400101", "250.00", "0"),
                                                    ("1403", "0", "250.00"))
    assert stock(co, "RM-STEEL") == (Dec("50"), Dec("250.00"))
    assert wip(app, wo1.number) == Dec("250.00")
    assert_wip_equals_400101(co, wo1.number)

    rep = app.report_operation(wo1.number, "OP10", D[10],
                               ReportInput(good="1000", labor_hours="2.0")).value
    assert rep.flagged == ""
    assert entry_lines(co, rep.entry_id) == lines(("400101", "120.00", "0"),
                                                  ("2211", "0", "80.00"),
                                                  ("4101", "0", "40.00"))
    assert work_order(app, wo1.number).wip == Wip(Dec("250.00"), Dec("80.00"), Dec("40.00"))
    assert work_order(app, wo1.number).status is WorkOrderStatus.IN_PROGRESS

    done = app.complete_work_order(wo1.number, D[10], "1000", "WH-FG").value
    assert done.total_value == "370.00"
    assert entry_lines(co, done.entry_id) == lines(("140502", "370.00", "0"),
                                                   ("400101", "0", "370.00"))
    assert stock(co, "SA-BLANK") == (Dec("1000"), Dec("370.00"))  # 0.37/pc
    wo = work_order(app, wo1.number)
    assert (wo.status, wo.wip, wo.completed_value) == (
        WorkOrderStatus.COMPLETED, Wip(), Dec("370.00"))
    assert balance(co, "400101") == ZERO

    # Step 7: WO-2, FG-KIT x 10.
    wo2 = app.create_work_order("FG-KIT", "10", D[13], D[12]).value
    assert wo2.number == "WO-000002"
    assert app.release_work_order(wo2.number).value.status == "released"
    issue = app.issue_material(wo2.number, D[12], [
        MaterialLineInput(1, "1000"), MaterialLineInput(2, "1.0"), MaterialLineInput(3, "10"),
    ]).value
    assert sorted(entry_lines(co, issue.entry_id)) == sorted(lines(
        ("400101", "400.00", "0"), ("140502", "0", "370.00"), ("1403", "0", "30.00")))
    assert stock(co, "SA-BLANK") == (Dec("0"), ZERO)
    assert stock(co, "RM-ZINC") == (Dec("1"), Dec("20.00"))
    assert stock(co, "RM-BOX") == (Dec("10"), Dec("10.00"))

    op10 = app.report_operation(wo2.number, "OP10", D[13],
                                ReportInput(good="10", labor_hours="1.0")).value
    op20 = app.report_operation(wo2.number, "OP20", D[13],
                                ReportInput(good="10", labor_hours="0.5")).value
    assert entry_lines(co, op10.entry_id) == lines(("400101", "80.00", "0"),
                                                   ("2211", "0", "30.00"),
                                                   ("4101", "0", "50.00"))
    assert entry_lines(co, op20.entry_id) == lines(("400101", "15.00", "0"),
                                                   ("2211", "0", "12.50"),
                                                   ("4101", "0", "2.50"))
    # Together Dr 400101 95.00 / Cr 2211 42.50, Cr 4101 52.50.
    assert work_order(app, wo2.number).wip == Wip(Dec("400.00"), Dec("42.50"), Dec("52.50"))
    assert_wip_equals_400101(co, wo1.number, wo2.number)

    done = app.complete_work_order(wo2.number, D[13], "10").value
    assert entry_lines(co, done.entry_id) == lines(("140501", "495.00", "0"),
                                                   ("400101", "0", "495.00"))
    assert stock(co, "FG-KIT") == (Dec("10"), Dec("495.00"))  # 49.50/box
    assert wip(app, wo1.number) == wip(app, wo2.number) == ZERO
    assert work_order(app, wo2.number).status is WorkOrderStatus.COMPLETED

    # Step 8: SO-1 shipped at 495.00.
    ship = app.ship_sales_order(so, D[15], [MoveLineInput(1, "10")]).value
    assert entry_lines(co, ship.entry_id) == lines(("5401", "495.00", "0"),
                                                   ("140501", "0", "495.00"))
    assert stock(co, "FG-KIT") == (Dec("0"), ZERO)
    assert stock(co, "RM-STEEL") == (Dec("50"), Dec("250.00"))
    assert balance(co, "400101") == balance(co, "140501") == balance(co, "140502") == ZERO
    assert balance(co, "1403") == Dec("280.00")
    assert balance(co, "2211") == Dec("-122.50") and balance(co, "4101") == Dec("-92.50")
    assert set(reconciled(co).values()) == {ZERO}


def test_a_work_order_created_before_the_steel_arrives_is_held_with_its_shortages_until_it_does(
    co,
):
    app = co.app
    wo = app.create_work_order("SA-BLANK", "1000", D[10], D[2]).value.number
    held = app.release_work_order(wo).value
    assert held.status == "held"
    assert list(work_order(app, wo).shortages) == [Shortage("RM-STEEL", Dec("50"), Dec("0"))]
    refused(co, BusinessRuleViolation, app.issue_material, wo, D[2], [MaterialLineInput(1, "1")])

    # 30 kg arrive: still short, the list says how short.
    po = app.create_purchase_order("SUP-STEEL", D[2], [
        OrderLineInput("RM-STEEL", "30", "5.00", D[3])]).value.number
    app.confirm_purchase_order(po)
    app.receive_purchase_order(po, D[3], [MoveLineInput(1, "30")])
    assert app.release_work_order(wo).value.status == "held"
    assert list(work_order(app, wo).shortages) == [Shortage("RM-STEEL", Dec("50"), Dec("30"))]

    receive_po1(app, D[4])  # the rest arrives (物料到库后再排产)
    assert app.release_work_order(wo).value.status == "released"
    assert list(work_order(app, wo).shortages) == []
    # A semi-finished component counts too: FG-KIT waits for the blanks.
    kit = app.create_work_order("FG-KIT", "10", D[13], D[4]).value.number
    assert app.release_work_order(kit).value.status == "held"
    assert list(work_order(app, kit).shortages) == [Shortage("SA-BLANK", Dec("1000"), Dec("0"))]


# -- the messier story ---------------------------------------------------------------------
def test_a_messy_run_with_scrap_backflush_returns_and_partial_completions_closes_to_the_cent(co):
    """FG-NUT x 300 at WC-HEAD (OP10, 40/20 CNY/h) and WC-PLATE (OP20, 30/50).

    BOM: RM-ROD 0.2 kg (manual, at OP10); RM-OIL 0.01 L backflushed at OP20.
    Opening stock: ROD 100 kg @ 3.00 = 300.00; OIL 10 L @ 7.00 = 70.00.
    Requirements: ROD 60 kg, OIL 3 L. Elements are (material, labor, overhead).

    1. Issue ROD 50 kg: Dr 400101 150.00 / Cr 1403 150.00.
    2. Issue 15 kg more (10 outstanding): refused without a reason; with
       "bent bars" 45.00. WIP (195.00, 0, 0).
    3. OP10 by ZHANG (WC-HEAD): good 280, scrap 10 (cracked, normal), 3.0 h:
       labor 120.00, overhead 60.00. WIP (195.00, 120.00, 60.00) = 375.00;
       units still expected 300 - 10 = 290.
    4. OP20 by LI (qualified for WC-HEAD only): refused; the company allows
       it, then good 150, 2.0 h, flagged. Backflush 150 x 0.01 = 1.5 L x 7.00
       = 10.50; labor 60.00, overhead 100.00.
       WIP (205.50, 180.00, 160.00) = 545.50.
    5. Complete 100: round(545.50 x 100 / 290, 2) = round(188.1034) = 188.10,
       split material round(205.50 x 188.10 / 545.50) = 70.86, labor
       round(180 x 188.10 / 545.50) = 62.07, overhead 55.17.
       WIP (134.64, 117.93, 104.83) = 357.40; expected 190.
    6. 20 kg ROD bought at 3.50 (moving average moves), then 5 kg returned at
       their issue value: 195.00 x 5 / 65 = 15.00 (not 5 x the new average):
       Dr 1403 15.00 / Cr 400101 15.00. WIP (119.64, 117.93, 104.83) = 342.40.
    7. Abnormal scrap to 5711 switched on. OP20: good 120, scrap 10 (plating
       burn), labor 1.0 h, machine 1.2 h: labor 30.00, overhead 1.2 x 50 =
       60.00; backflush 130 x 0.01 = 1.3 L = 9.10.
       Before the scrap: WIP (128.74, 147.93, 164.83) = 441.50; scrap value
       round(441.50 x 10 / 190) = round(23.2368) = 23.24 to 5711, split
       material round(128.74 x 23.24 / 441.50) = 6.78, labor
       round(147.93 x 23.24 / 441.50) = 7.79, overhead 8.67.
       WIP (121.96, 140.14, 156.16) = 418.26; expected 300 - 100 - 20 = 180.
       Its voucher nets WIP: Dr 400101 99.10 - 23.24 = 75.86, Dr 5711 23.24 /
       Cr 2211 30.00, Cr 4101 60.00, Cr 1403 9.10.
    8. Complete 170 (all OP20 delivered): round(418.26 x 170 / 180) =
       round(395.0233) = 395.02; material round(121.96 x 395.02 / 418.26) =
       115.18, labor round(140.14 x 395.02 / 418.26) = 132.35, overhead
       147.49. WIP (6.78, 7.79, 8.67) = 23.24, 10 units never made.
    9. Close: material variance Dr 5401 6.78, labor Dr 5402 7.79, overhead
       Dr 4101 8.67 / Cr 400101 23.24. WIP 0.00.

    Totals: FG-NUT 270 pcs = 188.10 + 395.02 = 583.12. ROD 100 - 65 + 20 + 5 =
    60 kg = 300.00 - 195.00 + 70.00 + 15.00 = 190.00. OIL 10 - 2.8 = 7.2 L =
    70.00 - 19.60 = 50.40. 2211 credit 210.00; 4101 credit 60 + 100 + 60 -
    8.67 = 211.33; 5711 23.24. 400101 in 644.60 = out 644.60.
    """
    app = co.app
    app.create_item(ItemSpec("RM-ROD", "圆钢 rod", "kg", ItemType.RAW, default_warehouse="WH-RM"))
    app.create_item(ItemSpec("RM-OIL", "冷镦油 heading oil", "L", ItemType.RAW,
                             default_warehouse="WH-RM"))
    app.create_item(ItemSpec("FG-NUT", "螺母 nut", "pcs", ItemType.FINISHED,
                             default_warehouse="WH-FG"))
    app.save_bom("FG-NUT", "V1", D[1], [
        BomLineInput("RM-ROD", "0.2"),
        BomLineInput("RM-OIL", "0.01", issue_method=IssueMethod.BACKFLUSH, operation="OP20"),
    ])
    app.save_routing("FG-NUT", "V1", D[1], [
        OperationInput("OP10", "WC-HEAD", "0.01"), OperationInput("OP20", "WC-PLATE", "0.02")])
    app.register_operator("ZHANG", "张师傅", ["WC-HEAD"])
    app.register_operator("LI", "李师傅", ["WC-HEAD"])
    app.adjust_stock(D[2], [AdjustmentLineInput("RM-ROD", "WH-RM", "100", "3.00"),
                            AdjustmentLineInput("RM-OIL", "WH-RM", "10", "7.00")],
                     "3001", "opening stock")
    n = app.create_work_order("FG-NUT", "300", D[20], D[3]).value.number
    assert app.release_work_order(n).value.status == "released"
    reqs = work_order(app, n).materials
    assert (reqs[1].required, reqs[2].required) == (Dec("60"), Dec("3"))

    # 1-2. Issues; the over-issue needs a reason.
    first = app.issue_material(n, D[3], [MaterialLineInput(1, "50")]).value
    assert entry_lines(co, first.entry_id) == lines(("400101", "150.00", "0"),
                                                    ("1403", "0", "150.00"))
    err = refused(co, BusinessRuleViolation, app.issue_material, n, D[3],
                  [MaterialLineInput(1, "15")])
    assert err.code == "OVER_ISSUE_NEEDS_REASON"
    over = app.issue_material(n, D[3], [MaterialLineInput(1, "15")], reason="bent bars").value
    assert over.total_value == "-45.00"
    assert work_order(app, n).wip == Wip(Dec("195.00"))

    # 3. OP10 with normal scrap.
    r3 = app.report_operation(n, "OP10", D[4], ReportInput(
        good="280", scrap="10", scrap_reason="cracked", labor_hours="3.0",
        operator="ZHANG")).value
    assert r3.flagged == ""
    assert entry_lines(co, r3.entry_id) == lines(("400101", "180.00", "0"),
                                                 ("2211", "0", "120.00"),
                                                 ("4101", "0", "60.00"))
    wo = work_order(app, n)
    assert wo.wip == Wip(Dec("195.00"), Dec("120.00"), Dec("60.00"))
    assert (wo.scrapped, wo.units_expected) == (Dec("10"), Dec("290"))

    # 4. OP20 by an operator not qualified for WC-PLATE.
    op20 = ReportInput(good="150", labor_hours="2.0", operator="LI")
    err = refused(co, BusinessRuleViolation, app.report_operation, n, "OP20", D[5], op20)
    assert err.code == "OPERATOR_NOT_QUALIFIED"
    app.set_production_settings(ProductionSettings(allow_unqualified_reports=True))
    r4 = app.report_operation(n, "OP20", D[5], op20).value
    assert r4.flagged == "operator LI not qualified for WC-PLATE"
    assert entry_lines(co, r4.entry_id) == lines(("400101", "170.50", "0"),
                                                 ("2211", "0", "60.00"),
                                                 ("4101", "0", "100.00"),
                                                 ("1403", "0", "10.50"))
    wo = work_order(app, n)
    assert wo.materials[2].issued == Dec("1.5") and wo.materials[2].issued_value == Dec("10.50")
    assert wo.wip == Wip(Dec("205.50"), Dec("180.00"), Dec("160.00"))
    assert stock(co, "RM-OIL") == (Dec("8.5"), Dec("59.50"))

    # 5. First partial completion.
    c5 = app.complete_work_order(n, D[5], "100").value
    assert entry_lines(co, c5.entry_id) == lines(("140501", "188.10", "0"),
                                                 ("400101", "0", "188.10"))
    wo = work_order(app, n)
    assert wo.wip == Wip(Dec("134.64"), Dec("117.93"), Dec("104.83"))
    assert (wo.units_expected, wo.status) == (Dec("190"), WorkOrderStatus.IN_PROGRESS)

    # 6. The average moves; the return goes back at its issue value.
    app.adjust_stock(D[6], [AdjustmentLineInput("RM-ROD", "WH-RM", "20", "3.50")], "3001", "buy")
    assert stock(co, "RM-ROD") == (Dec("55"), Dec("175.00"))
    ret = app.return_material(n, D[6], [MaterialLineInput(1, "5")]).value
    assert entry_lines(co, ret.entry_id) == lines(("1403", "15.00", "0"),
                                                  ("400101", "0", "15.00"))
    assert stock(co, "RM-ROD") == (Dec("60"), Dec("190.00"))
    assert work_order(app, n).wip == Wip(Dec("119.64"), Dec("117.93"), Dec("104.83"))

    # 7. Abnormal scrap at OP20 goes to 5711.
    app.set_production_settings(ProductionSettings(
        allow_unqualified_reports=True, abnormal_scrap_to_5711=True,
        material_variance_account="5401", labor_variance_account="5402",
        overhead_variance_account="4101"))
    r7 = app.report_operation(n, "OP20", D[7], ReportInput(
        good="120", scrap="10", scrap_reason="plating burn", labor_hours="1.0",
        machine_hours="1.2")).value
    # One voucher, WIP netted: 99.10 in less the 23.24 scrapped out.
    assert entry_lines(co, r7.entry_id) == lines(
        ("400101", "75.86", "0"), ("5711", "23.24", "0"),
        ("2211", "0", "30.00"), ("4101", "0", "60.00"), ("1403", "0", "9.10"))
    wo = work_order(app, n)
    assert wo.wip == Wip(Dec("121.96"), Dec("140.14"), Dec("156.16"))
    assert (wo.scrapped, wo.units_expected) == (Dec("20"), Dec("180"))

    # 8. Second completion takes all OP20 delivered; 10 units were never made.
    refused(co, BusinessRuleViolation, app.complete_work_order, n, D[8], "171")
    c8 = app.complete_work_order(n, D[8], "170").value
    assert entry_lines(co, c8.entry_id) == lines(("140501", "395.02", "0"),
                                                 ("400101", "0", "395.02"))
    wo = work_order(app, n)
    assert wo.wip == Wip(Dec("6.78"), Dec("7.79"), Dec("8.67"))
    assert wo.completed_value == Dec("583.12") and wo.status is WorkOrderStatus.IN_PROGRESS
    assert balance(co, "400101") == Dec("23.24")

    # 9. Close: the remainder is variance, to the configured accounts.
    closed = app.close_work_order(n, D[9]).value
    assert closed.status == "closed"
    wo = work_order(app, n)
    assert wo.wip == Wip() and wo.status is WorkOrderStatus.CLOSED
    assert balance(co, "400101") == ZERO
    assert (balance(co, "5401"), balance(co, "5402"), balance(co, "4101")) == (
        Dec("6.78"), Dec("7.79"), Dec("-211.33"))
    assert (balance(co, "5711"), balance(co, "2211")) == (Dec("23.24"), Dec("-210.00"))
    assert stock(co, "FG-NUT") == (Dec("270"), Dec("583.12"))
    assert stock(co, "RM-ROD") == (Dec("60"), Dec("190.00"))
    assert stock(co, "RM-OIL") == (Dec("7.2"), Dec("50.40"))
    assert set(reconciled(co).values()) == {ZERO}


def test_the_final_completion_takes_whatever_wip_remains_even_when_shares_round(co):
    """SA-BLANK x 3, one unit at a time. WIP 1.05: 0.35 each. WIP 1.00:
    round(1.00 x 1/3) = 0.33, then round(0.67 x 1/2) = 0.335 -> 0.34 (half up),
    and the last unit takes the 0.33 that remains."""
    app = co.app
    app.adjust_stock(D[2], [AdjustmentLineInput("RM-STEEL", "WH-RM", "0.3", "5.00")], "3001",
                     "opening")
    n = app.create_work_order("SA-BLANK", "3", D[9], D[2]).value.number
    app.release_work_order(n)
    app.issue_material(n, D[2], [MaterialLineInput(1, "0.15")])  # 0.75
    app.report_operation(n, "OP10", D[3], ReportInput(good="3", labor_hours="0.005"))  # 0.20+0.10
    assert wip(app, n) == Dec("1.05")
    values = [app.complete_work_order(n, D[3], "1").value.total_value for _ in range(3)]
    assert values == ["0.35", "0.35", "0.35"]
    assert work_order(app, n).wip == Wip() and balance(co, "400101") == ZERO
    # Uneven: 1.00 over 3 units.
    m = app.create_work_order("SA-BLANK", "3", D[9], D[2]).value.number
    app.release_work_order(m)
    app.issue_material(m, D[2], [MaterialLineInput(1, "0.05")])  # 0.25
    app.report_operation(m, "OP10", D[3], ReportInput(good="3", labor_hours="0.0125"))  # .5+.25
    assert wip(app, m) == Dec("1.00")
    values = [app.complete_work_order(m, D[3], "1").value.total_value for _ in range(3)]
    assert values == ["0.33", "0.34", "0.33"]
    assert work_order(app, m).status is WorkOrderStatus.COMPLETED
    assert wip(app, m) == ZERO and balance(co, "400101") == ZERO


# -- scanning ------------------------------------------------------------------------------
def _released_blank_order(app) -> str:
    receive_po1(app)
    n = app.create_work_order("SA-BLANK", "1000", D[10], D[6]).value.number
    app.release_work_order(n)
    app.issue_material(n, D[6], [MaterialLineInput(1, "50")])
    return n


def test_scanning_the_same_report_twice_with_one_key_records_it_once(co):
    app = co.app
    n = _released_blank_order(app)
    key = CommandContext(idempotency_key="scanner-7:0001")
    report = ReportInput(good="400", labor_hours="0.8", operator="")
    first = app.report_by_scan(f"{n}/OP10", D[7], report, ctx=key)
    position = app.log_position()
    again = app.report_by_scan(f" {n.lower()}/op10 ", D[7], report, ctx=key)
    assert again.replayed and again.value == first.value
    assert app.log_position() == position
    op = work_order(app, n).operations["OP10"]
    assert (op.good, op.labor_hours) == (Dec("400"), Dec("0.8"))
    assert wip(app, n) == Dec("250.00") + Dec("32.00") + Dec("16.00")
    assert balance(co, "400101") == Dec("298.00")
    # Another payload under the same key is a conflict, and writes nothing.
    refused(co, Conflict, app.report_by_scan, f"{n}/OP10", D[7],
            ReportInput(good="401", labor_hours="0.8"), ctx=key)
    # A new key is a new report.
    app.report_by_scan(f"{n}/OP10", D[7], report, ctx=CommandContext(idempotency_key="k2"))
    assert work_order(app, n).operations["OP10"].good == Dec("800")


# -- bad input -------------------------------------------------------------------------------
def test_unknown_and_malformed_scan_codes_are_refused(co_mem):
    app = co_mem.app
    n = _released_blank_order(app)
    rep = ReportInput(good="1", labor_hours="0.1")
    assert refused(co_mem, NotFound, app.report_by_scan, "WO-999999/OP10", D[7], rep)
    assert refused(co_mem, NotFound, app.report_by_scan, f"{n}/OP20", D[7], rep)
    for code in ["", "   ", "WO-000001", "OP10", "XX-000001/OP10", f"{n}/10", f"{n}/OPX",
                 f"{n}/OP10/OP20"]:
        refused(co_mem, ValidationError, app.report_by_scan, code, D[7], rep)
    assert refused(co_mem, NotFound, app.report_operation, "WO-404", "OP10", D[7], rep)


def test_reports_with_negative_hours_or_no_content_or_unexplained_scrap_are_refused(co_mem):
    app = co_mem.app
    n = _released_blank_order(app)
    for rep in [ReportInput(good="1", labor_hours="-1"),
                ReportInput(good="1", machine_hours="-0.5"),
                ReportInput(good="1", labor_hours="10001"),
                ReportInput(good="1", labor_hours="0.00001"),
                ReportInput(good="-1"),
                ReportInput(good="1", scrap="-1", scrap_reason="x"),
                ReportInput(good="abc"),
                ReportInput(),
                ReportInput(scrap="1"),
                ReportInput(good="1", operator="NOBODY")]:
        refused(co_mem, (ValidationError, NotFound), app.report_operation, n, "OP10", D[7], rep)
    assert work_order(app, n).operations["OP10"].processed == 0


def test_a_report_names_registered_equipment_of_the_operations_work_center(co_mem):
    """Issue #14: the equipment of an operation report is a registered machine
    of the operation's work center (OP10 of SA-BLANK runs on WC-HEAD); an
    unknown code or a machine of another center is refused and writes nothing."""
    from domain.equipment.machines import EquipmentSpec
    from domain.production.work_orders import work_order_id

    app = co_mem.app
    n = _released_blank_order(app)
    app.register_equipment(EquipmentSpec("CH-01", "冷镦机 1号", "WC-HEAD",
                                         ideal_cycle_hours=Dec("0.002")))
    app.register_equipment(EquipmentSpec("PL-01", "电镀线 1号", "WC-PLATE"))
    rep = app.report_operation(n, "OP10", D[7], ReportInput(good="400", labor_hours="0.8",
                                                            equipment=" ch-01 ")).value
    assert rep.flagged == ""
    reported = [e for e in app.events.get(work_order_id(n)) if type(e).__name__ == "Reported"]
    assert [e.report.equipment for e in reported] == ["CH-01"]
    unknown = refused(co_mem, NotFound, app.report_operation, n, "OP10", D[7],
                      ReportInput(good="1", labor_hours="0.1", equipment="CH-99"))
    assert unknown.kind == "Equipment"
    elsewhere = refused(co_mem, BusinessRuleViolation, app.report_operation, n, "OP10", D[7],
                        ReportInput(good="1", labor_hours="0.1", equipment="PL-01"))
    assert elsewhere.code == "EQUIPMENT_NOT_IN_WORK_CENTER"
    assert "WC-PLATE" in str(elsewhere) and "WC-HEAD" in str(elsewhere)
    refused(co_mem, ValidationError, app.report_operation, n, "OP10", D[7],
            ReportInput(good="1", labor_hours="0.1", equipment="no such thing!"))
    assert work_order(app, n).operations["OP10"].good == Dec("400")


def test_good_plus_scrap_beyond_what_is_available_is_refused(co_mem):
    app = co_mem.app
    receive_po1(app)
    app.adjust_stock(D[3], [AdjustmentLineInput("SA-BLANK", "WH-FG", "1000", "0.37")], "3001",
                     "opening")
    n = app.create_work_order("FG-KIT", "10", D[13], D[12]).value.number
    app.release_work_order(n)
    err = refused(co_mem, BusinessRuleViolation, app.report_operation, n, "OP10", D[13],
                  ReportInput(good="10", scrap="1", scrap_reason="dent"))
    assert err.code == "EXCEEDS_PREDECESSOR"
    app.report_operation(n, "OP10", D[13], ReportInput(good="6", scrap="1", scrap_reason="dent"))
    err = refused(co_mem, BusinessRuleViolation, app.report_operation, n, "OP10", D[13],
                  ReportInput(good="3", scrap="1", scrap_reason="dent"))  # 3 left
    assert err.code == "EXCEEDS_PREDECESSOR"
    err = refused(co_mem, BusinessRuleViolation, app.report_operation, n, "OP20", D[13],
                  ReportInput(good="7"))  # OP10 delivered 6
    assert err.code == "EXCEEDS_PREDECESSOR"
    app.report_operation(n, "OP20", D[13], ReportInput(good="5", scrap="1", scrap_reason="torn"))
    err = refused(co_mem, BusinessRuleViolation, app.complete_work_order, n, D[13], "6")
    assert err.code == "EXCEEDS_REPORTED_OUTPUT"
    refused(co_mem, ValidationError, app.complete_work_order, n, D[13], "0")
    refused(co_mem, ValidationError, app.complete_work_order, n, D[13], "-1")


def test_a_closed_order_takes_no_more_reports_issues_returns_or_completions(co):
    app = co.app
    n = _released_blank_order(app)
    app.report_operation(n, "OP10", D[7], ReportInput(good="500", labor_hours="1"))
    app.close_work_order(n, D[8])
    assert wip(app, n) == ZERO and balance(co, "400101") == ZERO
    for call, args in [
        (app.report_operation, (n, "OP10", D[9], ReportInput(good="1"))),
        (app.report_by_scan, (f"{n}/OP10", D[9], ReportInput(good="1"))),
        (app.issue_material, (n, D[9], [MaterialLineInput(1, "1")])),
        (app.return_material, (n, D[9], [MaterialLineInput(1, "1")])),
        (app.complete_work_order, (n, D[9], "1")),
        (app.close_work_order, (n, D[9])),
        (app.start_operation, (n, "OP10")),
        (app.hold_work_order, (n,)),
        (app.cancel_work_order, (n,)),
        (app.release_work_order, (n,)),
    ]:
        err = refused(co, BusinessRuleViolation, call, *args)
        assert err.code in ("WORK_ORDER_NOT_RUNNING", "INVALID_STATUS", "MATERIAL_ISSUED"), err


def test_a_held_order_takes_no_issue_and_an_order_with_material_issued_cannot_be_cancelled(co_mem):
    app = co_mem.app
    n = _released_blank_order(app)
    err = refused(co_mem, BusinessRuleViolation, app.cancel_work_order, n)
    assert err.code == "MATERIAL_ISSUED"
    assert app.hold_work_order(n).value.status == "held"
    err = refused(co_mem, BusinessRuleViolation, app.issue_material, n, D[7],
                  [MaterialLineInput(1, "1")])
    assert err.code == "WORK_ORDER_NOT_RUNNING"
    err = refused(co_mem, BusinessRuleViolation, app.report_operation, n, "OP10", D[7],
                  ReportInput(good="1"))
    assert err.code == "WORK_ORDER_NOT_RUNNING"
    # Not yet issued: cancelling is fine, once.
    m = app.create_work_order("SA-BLANK", "10", D[10], D[6]).value.number
    assert app.cancel_work_order(m).value.status == "cancelled"
    refused(co_mem, BusinessRuleViolation, app.cancel_work_order, m)
    refused(co_mem, BusinessRuleViolation, app.release_work_order, m)


def test_material_lines_quantities_and_returns_beyond_the_issue_are_refused(co_mem):
    app = co_mem.app
    n = _released_blank_order(app)
    err = refused(co_mem, NotFound, app.issue_material, n, D[7], [MaterialLineInput(9, "1")])
    refused(co_mem, ValidationError, app.issue_material, n, D[7], [])
    refused(co_mem, ValidationError, app.issue_material, n, D[7], [MaterialLineInput(1, "0")])
    refused(co_mem, ValidationError, app.issue_material, n, D[7], [MaterialLineInput(1, "-1")])
    err = refused(co_mem, BusinessRuleViolation, app.issue_material, n, D[7],
                  [MaterialLineInput(1, "60")], reason="need more")  # 50 kg left in stock
    assert err.code == "INSUFFICIENT_STOCK"
    err = refused(co_mem, BusinessRuleViolation, app.return_material, n, D[7],
                  [MaterialLineInput(1, "50.000001")])
    assert err.code == "RETURN_EXCEEDS_ISSUED"
    refused(co_mem, ValidationError, app.return_material, n, D[7], [])


def test_pausing_stops_reports_until_the_operation_resumes(co_mem):
    app = co_mem.app
    n = _released_blank_order(app)
    app.start_operation(n, "OP10")
    assert work_order(app, n).status is WorkOrderStatus.IN_PROGRESS
    refused(co_mem, BusinessRuleViolation, app.start_operation, n, "OP10")
    app.pause_operation(n, "OP10")
    refused(co_mem, BusinessRuleViolation, app.pause_operation, n, "OP10")
    err = refused(co_mem, BusinessRuleViolation, app.report_operation, n, "OP10", D[7],
                  ReportInput(good="1"))
    assert err.code == "OPERATION_PAUSED"
    app.resume_operation(n, "OP10")
    app.report_operation(n, "OP10", D[7], ReportInput(good="1"))
    refused(co_mem, ValidationError, app.start_operation, n, "10")
    refused(co_mem, NotFound, app.start_operation, n, "OP90")


# -- engineering data -------------------------------------------------------------------------
def test_a_bom_that_would_contain_its_own_parent_at_any_depth_is_refused(co_mem):
    app = co_mem.app
    err = refused(co_mem, BusinessRuleViolation, app.save_bom, "SA-BLANK", "V2", D[20],
                  [BomLineInput("SA-BLANK", "1")])
    assert err.code == "BOM_CYCLE"
    # SA-BLANK <- FG-KIT <- SA-BLANK (FG-KIT already contains SA-BLANK).
    err = refused(co_mem, BusinessRuleViolation, app.save_bom, "SA-BLANK", "V2", D[20],
                  [BomLineInput("FG-KIT", "1")])
    assert err.code == "BOM_CYCLE" and "SA-BLANK -> FG-KIT -> SA-BLANK" in err.message
    # Three levels: a new semi-finished in between.
    app.create_item(ItemSpec("SA-HEAD", "head", "pcs", ItemType.SEMI_FINISHED,
                             default_warehouse="WH-FG"))
    app.save_bom("SA-HEAD", "V1", D[1], [BomLineInput("FG-KIT", "1")])
    err = refused(co_mem, BusinessRuleViolation, app.save_bom, "SA-BLANK", "V2", D[20],
                  [BomLineInput("SA-HEAD", "1")])
    assert "SA-BLANK -> SA-HEAD -> FG-KIT -> SA-BLANK" in err.message


def test_bom_and_routing_versions_may_not_overlap_and_orders_freeze_the_one_in_force(co_mem):
    app = co_mem.app
    err = refused(co_mem, BusinessRuleViolation, app.save_bom, "SA-BLANK", "V2", D[20],
                  [BomLineInput("RM-STEEL", "0.06")])
    assert err.code == "VERSIONS_OVERLAP"
    err = refused(co_mem, BusinessRuleViolation, app.save_bom, "SA-BLANK", "V1", date(2027, 1, 1),
                  [BomLineInput("RM-STEEL", "0.06")])
    assert err.code == "VERSION_EXISTS"
    err = refused(co_mem, BusinessRuleViolation, app.save_routing, "SA-BLANK", "V2", D[20],
                  [OperationInput("OP10", "WC-HEAD", "0.003")])
    assert err.code == "VERSIONS_OVERLAP"
    for bad in [
        lambda: app.save_bom("SA-BLANK", "V9", D[20], [], effective_to=None),
        lambda: app.save_bom("SA-BLANK", "", D[20], [BomLineInput("RM-STEEL", "1")]),
        lambda: app.save_bom("SA-BLANK", "V9", D[20], [BomLineInput("RM-STEEL", "0")]),
        lambda: app.save_bom("SA-BLANK", "V9", D[20],
                             [BomLineInput("RM-STEEL", "1", scrap_allowance="1")]),
        lambda: app.save_bom("SA-BLANK", "V9", D[20],
                             [BomLineInput("RM-STEEL", "1", operation="10")]),
        lambda: app.save_bom("SA-BLANK", "V9", D[20], [BomLineInput("RM-STEEL", "1")],
                             effective_to=D[19]),
        lambda: app.save_routing("SA-BLANK", "V9", D[20],
                                 [OperationInput("OP10", "WC-HEAD", "-0.1")]),
        lambda: app.save_routing("SA-BLANK", "V9", D[20], [
            OperationInput("OP10", "WC-HEAD", "0.1"), OperationInput("op10", "WC-HEAD", "0.1")]),
    ]:
        refused(co_mem, ValidationError, bad)
    refused(co_mem, NotFound, app.save_bom, "SA-BLANK", "V9", D[20], [BomLineInput("NOPE", "1")])
    refused(co_mem, NotFound, app.save_routing, "SA-BLANK", "V9", D[20],
            [OperationInput("OP10", "WC-NOPE", "0.1")])
    err = refused(co_mem, BusinessRuleViolation, app.save_bom, "RM-STEEL", "V1", D[1],
                  [BomLineInput("RM-ZINC", "1")])
    assert err.code == "NOT_MANUFACTURED"
    # Versions that abut: an order freezes the one in force on its creation day.
    app.create_item(ItemSpec("SA-PIN", "pin", "pcs", ItemType.SEMI_FINISHED,
                             default_warehouse="WH-FG"))
    app.save_bom("SA-PIN", "V1", D[1], [BomLineInput("RM-STEEL", "0.05")], effective_to=D[19])
    app.save_bom("SA-PIN", "V2", D[20], [BomLineInput("RM-STEEL", "0.06")])
    app.save_routing("SA-PIN", "R1", D[1], [OperationInput("OP10", "WC-HEAD", "0.002")])
    err = refused(co_mem, BusinessRuleViolation, app.save_bom, "SA-PIN", "V3", D[19],
                  [BomLineInput("RM-STEEL", "0.07")], effective_to=D[19])
    assert err.code == "VERSIONS_OVERLAP"
    before = work_order(app, app.create_work_order("SA-PIN", "100", D[25], D[19]).value.number)
    after = work_order(app, app.create_work_order("SA-PIN", "100", D[25], D[20]).value.number)
    assert (before.bom_version, before.materials[1].required) == ("V1", Dec("5"))
    assert (after.bom_version, after.materials[1].required) == ("V2", Dec("6"))
    assert before.routing_version == after.routing_version == "R1"


def test_work_orders_refuse_unknown_items_bad_quantities_and_past_due_dates(co_mem):
    app = co_mem.app
    refused(co_mem, NotFound, app.create_work_order, "NOPE", "1", D[10], D[5])
    refused(co_mem, ValidationError, app.create_work_order, "SA-BLANK", "0", D[10], D[5])
    refused(co_mem, ValidationError, app.create_work_order, "SA-BLANK", "-5", D[10], D[5])
    refused(co_mem, ValidationError, app.create_work_order, "SA-BLANK", "5", D[4], D[5])
    err = refused(co_mem, BusinessRuleViolation, app.create_work_order, "RM-STEEL", "5", D[10],
                  D[5])
    assert err.code == "NO_BOM_IN_FORCE"
    err = refused(co_mem, BusinessRuleViolation, app.create_work_order, "SA-BLANK", "5",
                  date(2026, 12, 10), date(2026, 10, 5))
    assert err.code == "NO_BOM_IN_FORCE"
    refused(co_mem, NotFound, app.release_work_order, "WO-000404")
    refused(co_mem, NotFound, app.close_work_order, "WO-000404", D[5])


def test_operators_and_settings_refuse_unknown_work_centers_and_accounts(co_mem):
    app = co_mem.app
    refused(co_mem, NotFound, app.register_operator, "WANG", "王", ["WC-NOPE"])
    refused(co_mem, ValidationError, app.register_operator, "WANG", " ", ["WC-HEAD"])
    refused(co_mem, Exception, app.set_production_settings,
            ProductionSettings(material_variance_account="9999"))
    refused(co_mem, Exception, app.set_production_settings,
            ProductionSettings(wip_account="4001"))  # a parent account is not postable


def test_ending_a_bom_version_cannot_stretch_it_over_the_next_one():
    from domain.catalog.engineering import BillOfMaterials, BomLine, BomVersion

    bom = BillOfMaterials("SA-PIN")
    bom.save_version(BomVersion("V1", D[1], D[19], (BomLine(1, "RM-STEEL", Dec("0.05")),)))
    bom.save_version(BomVersion("V2", D[20], None, (BomLine(1, "RM-STEEL", Dec("0.06")),)))
    with pytest.raises(BusinessRuleViolation) as info:
        bom.end_version("V1", date(2026, 12, 31))
    assert info.value.code == "VERSIONS_OVERLAP"
    bom.end_version("V1", D[10])  # ending earlier is fine
    assert bom.versions["V1"].effective_to == D[10]
    assert bom.in_force(D[25]).version == "V2"


def test_a_bom_version_can_be_ended_so_a_new_one_takes_over(runtime):
    from datetime import date

    from domain.production.inputs import BomLineInput
    from tests.scenes.production import setup_factory

    app = runtime.app
    setup_factory(app)
    new = [BomLineInput("RM-STEEL", "0.06")]
    with pytest.raises(BusinessRuleViolation):
        app.save_bom("SA-BLANK", "V2", date(2026, 12, 1), new)
    app.end_bom_version("SA-BLANK", "V1", date(2026, 11, 30))
    app.save_bom("SA-BLANK", "V2", date(2026, 12, 1), new)
    wo = app.create_work_order("SA-BLANK", "100", date(2026, 12, 5), date(2026, 12, 1))
    from domain.production.work_orders import work_order_id

    order = app.repository.get(work_order_id(wo.value.number))
    assert order.bom_version == "V2"
    assert order.materials[1].required == Dec("6.000000")
