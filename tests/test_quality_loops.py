"""The closed loops on SQLite and PostgreSQL: observed yield -> the item's
scrap factor -> the next MRP run plans more; the read models' yield
recommendation and KPIs agree with the domain; lot genealogy and recall over
lot-tracked material."""

from __future__ import annotations

from decimal import Decimal as Dec

from domain.catalog.items import ItemSpec, ItemType
from domain.orders import MoveLineInput, OrderLineInput
from domain.production.inputs import (
    BomLineInput,
    MaterialLineInput,
    OperationInput,
    ReportInput,
)
from domain.quality.findings import DefectCount
from domain.quality.nonconformance import DispositionKind as K
from domain.quality.plans import Characteristic, CharacteristicKind, PlanVersion, Stage
from domain.quality.sampling import SamplingMethod, SamplingRule
from domain.workflows.dispositions import DispositionInput
from projections import quality_measures as qm
from projections import traceability as tr
from projections.planning_snapshot import build_snapshot
from tests.scenes.quality import DEC, FROM, setup_quality_company

CRACKS = Characteristic("CRACK", "裂纹 cracks", CharacteristicKind.ATTRIBUTE,
                        defect_codes=("CRACK",))


def _planned_rod(rt) -> Dec:
    rt.runner.catch_up()
    with rt.read() as conn:
        snapshot = build_snapshot(conn, DEC[10])
    run = rt.app.mrp_run(rt.app.run_mrp(snapshot).value.number)
    return sum((p.qty for p in run.planned.values() if p.item == "RM-ROD"), Dec(0))


def test_observed_yield_becomes_the_scrap_factor_and_the_next_mrp_run_plans_more(runtime):
    app = runtime.app
    setup_quality_company(app)
    app.save_inspection_plan("RM-ROD", Stage.INCOMING, PlanVersion(
        "V1", FROM, None, (CRACKS,), SamplingRule(SamplingMethod.FULL)))
    po = app.create_purchase_order("SUP-WASH", DEC[1], [
        OrderLineInput("RM-ROD", "100", "6.00", DEC[2])]).value.number
    app.confirm_purchase_order(po)
    app.receive_purchase_order(po, DEC[2], [MoveLineInput(1, "100")])
    # 100% inspected: 20 kg cracked are sorted out and scrapped (through 1901 to 5711).
    out = app.record_inspection("IL-000001", DEC[3], [], [DefectCount("CRACK", "CRACK", 20)]
                                ).value
    assert (out.accepted, out.rejected) == ("80.000000", "20.000000")
    app.dispose_nonconformance("NCR-000001", DEC[4], DispositionInput(K.SCRAP, "20"))
    so = app.create_sales_order("CUS-MACH", DEC[4], [
        OrderLineInput("RM-ROD", "200", "8.00", DEC[20])]).value.number
    app.confirm_sales_order(so)
    # 200 kg wanted, 80 on hand: MRP plans 120 kg while the scrap factor is 0.
    assert _planned_rod(runtime) == Dec("120")
    with runtime.read() as conn:
        view = qm.yield_view(conn, "RM-ROD", 5)
    assert (view.observed, view.recommended, view.current) == (
        Dec("0.8000"), Dec("0.2000"), Dec("0"))
    applied = app.apply_yield_recommendation("RM-ROD").value
    assert (applied.scrap_factor, applied.observed_yield) == ("0.2000", "0.8000")
    # 20% of what is bought is lost: 120 / 0.8 = 150 kg.
    assert _planned_rod(runtime) == Dec("150")


def test_a_lot_is_traced_back_to_its_supplier_and_recalled_from_its_customers(runtime):
    app = runtime.app
    setup_quality_company(app)
    for code, name, kind, wh in [("RM-BAR", "棒料 bar", ItemType.RAW, "WH-RM"),
                                 ("SA-SHAFT", "轴 shaft", ItemType.SEMI_FINISHED, "WH-FG"),
                                 ("FG-SHAFT", "轴组件 shaft kit", ItemType.FINISHED, "WH-FG")]:
        app.create_item(ItemSpec(code, name, "pcs", kind, lot_tracked=True,
                                 default_warehouse=wh))
    app.save_bom("SA-SHAFT", "V1", FROM, [BomLineInput("RM-BAR", "0.5")])
    app.save_bom("FG-SHAFT", "V1", FROM, [BomLineInput("SA-SHAFT", "1")])
    app.save_routing("SA-SHAFT", "V1", FROM, [OperationInput("OP10", "WC-LATHE", "0.01")])
    app.save_routing("FG-SHAFT", "V1", FROM, [OperationInput("OP10", "WC-ASSY", "0.01")])
    po = app.create_purchase_order("SUP-WASH", DEC[1], [
        OrderLineInput("RM-BAR", "30", "6.00", DEC[2])]).value.number
    app.confirm_purchase_order(po)
    app.receive_purchase_order(po, DEC[2], [MoveLineInput(1, "20", lot="H2412-A"),
                                            MoveLineInput(1, "10", lot="H2412-B")])
    shafts = _made(app, "SA-SHAFT", [MaterialLineInput(1, "10", lot="H2412-A")])
    # The kits are made the day the shafts are completed: stock is issued on or
    # after the day it exists (an earlier issue would leave that day negative).
    kits = _made(app, "FG-SHAFT", [MaterialLineInput(1, "20", lot=shafts)], day=7)
    so = app.create_sales_order("CUS-MACH", DEC[8], [
        OrderLineInput("FG-SHAFT", "15", "30.00", DEC[20])]).value.number
    app.confirm_sales_order(so)
    app.ship_sales_order(so, DEC[9], [MoveLineInput(1, "15", lot=kits)])
    runtime.runner.catch_up()
    with runtime.read() as conn:
        back = tr.backward(conn, "FG-SHAFT", kits)
        recalled = tr.recall(conn, "RM-BAR", "H2412-A")
        other = tr.recall(conn, "RM-BAR", "H2412-B")
    assert [(ln.depth, ln.via, ln.item, ln.lot, ln.document, ln.order, ln.party, ln.qty)
            for ln in back] == [
        (1, "completion", "FG-SHAFT", "WO-000002", "FG-000002", "WO-000002", "", Dec("20")),
        (2, "issue", "SA-SHAFT", "WO-000001", "MI-000002", "WO-000002", "", Dec("20")),
        (3, "completion", "SA-SHAFT", "WO-000001", "FG-000001", "WO-000001", "", Dec("20")),
        (4, "issue", "RM-BAR", "H2412-A", "MI-000001", "WO-000001", "", Dec("10")),
        (5, "receipt", "RM-BAR", "H2412-A", "GR-000001", po, "SUP-WASH", Dec("20"))]
    assert recalled.finished_lots == (("FG-SHAFT", "WO-000002", Dec("20")),)
    assert [(h.item, h.lot, h.warehouse, h.location, h.qty) for h in recalled.on_hand] == [
        ("FG-SHAFT", "WO-000002", "WH-FG", "F1", Dec("5")),
        ("RM-BAR", "H2412-A", "WH-RM", "A1", Dec("10"))]
    assert [(s.document, s.order, s.party, s.qty) for s in recalled.shipments] == [
        ("SH-000001", so, "CUS-MACH", Dec("15"))]
    assert recalled.customers == ("CUS-MACH",)
    assert (other.finished_lots, other.shipments, len(other.on_hand)) == ((), (), 1)


def _made(app, item: str, materials: list, day: int = 6) -> str:
    """A work order of 20 run, its materials issued and its operation reported on
    December ``day``, completed the next day: its lot (the WO number)."""
    wo = app.create_work_order(item, "20", DEC[20], DEC[5]).value.number
    app.release_work_order(wo)
    app.issue_material(wo, DEC[day], materials)
    app.report_operation(wo, "OP10", DEC[day], ReportInput(good="20", labor_hours="0.2"))
    app.complete_work_order(wo, DEC[day + 1], "20")
    return wo
