"""The quality month (docs/examples/quality-month.md): its master data and
plans, as plain functions over the application (the GraphQL version is
tests/scenes/quality_api.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

from domain.catalog.engineering import WorkCenterSpec
from domain.catalog.items import ItemSpec, ItemType
from domain.orders import MoveLineInput, OrderLineInput
from domain.parties import PartyRole, PartySpec
from domain.production.inputs import BomLineInput, OperationInput
from domain.quality.plans import Characteristic, CharacteristicKind, PlanVersion, Stage
from domain.quality.sampling import SamplingMethod, SamplingRule
from domain.quality.settings import QualityPolicy

DEC = {n: date(2026, 12, n) for n in range(1, 32)}
FROM = date(2026, 12, 1)
USCC_WASHERS = "91350100M000100Y43"
USCC_CUSTOMER = "91110000600037341L"

APPEARANCE = Characteristic("LOOK", "外观 appearance", CharacteristicKind.ATTRIBUTE,
                            defect_codes=("BURR", "RUST"))
DIAMETER = Characteristic("DIA", "外径 diameter", CharacteristicKind.MEASURED, Dec("10.00"),
                          Dec("9.95"), Dec("10.05"), "mm", 2)
SCRATCHES = Characteristic("LOOK", "外观 appearance", CharacteristicKind.ATTRIBUTE,
                           defect_codes=("SCRATCH",))

# IQC of washers: GB/T 2828.1, level II, AQL 1.0. IPQC of OP10 turning: 5 pins, Ac 0,
# the next operation waits. FQC of assemblies: GB/T 2828.1, level II, AQL 2.5.
IQC = PlanVersion("V1", FROM, None, (APPEARANCE,), SamplingRule(SamplingMethod.GB2828,
                                                                 Dec("1.0")))
IPQC = PlanVersion("V1", FROM, None, (DIAMETER,),
                   SamplingRule(SamplingMethod.FIXED, sample_size=5, accept=0), blocks_next=True)
FQC = PlanVersion("V1", FROM, None, (SCRATCHES,), SamplingRule(SamplingMethod.GB2828,
                                                                Dec("2.5")))
POLICY = QualityPolicy(supplier_min_lots=1, inspector_rate=Dec("50.00"))


def setup_master_data(app) -> None:
    """December open; warehouses, items, parties, work centers, BOMs and routings."""
    app.open_period("2026-12")
    app.create_warehouse("WH-RM", "原料库 raw materials", ["A1"])
    app.create_warehouse("WH-FG", "成品库 finished goods", ["F1"])
    for code, name, uom, kind in [
        ("RM-WASHER", "垫圈 washer", "pcs", ItemType.RAW),
        ("RM-ROD", "圆钢 steel rod", "kg", ItemType.RAW),
        ("SA-PIN", "销轴 pin", "pcs", ItemType.SEMI_FINISHED),
        ("FG-ASSY", "销轴组件 pin assembly", "pcs", ItemType.FINISHED),
    ]:
        wh = "WH-RM" if kind is ItemType.RAW else "WH-FG"
        app.create_item(ItemSpec(code, name, uom, kind, default_warehouse=wh))
    app.register_party(PartySpec("SUP-WASH", "宁波垫圈有限公司", (PartyRole.SUPPLIER,),
                                 USCC_WASHERS))
    app.register_party(PartySpec("CUS-MACH", "杭州机械有限公司", (PartyRole.CUSTOMER,),
                                 USCC_CUSTOMER))
    for code, name, labor, overhead in [("WC-LATHE", "车床 lathe", "40", "20"),
                                        ("WC-HEAT", "热处理 heat treatment", "30", "50"),
                                        ("WC-ASSY", "装配 assembly", "25", "5")]:
        app.define_work_center(WorkCenterSpec(code, name, 1, Dec(labor), Dec(overhead)))
    app.save_bom("SA-PIN", "V1", FROM, [BomLineInput("RM-ROD", "0.2")])
    app.save_bom("FG-ASSY", "V1", FROM, [BomLineInput("SA-PIN", "1"),
                                         BomLineInput("RM-WASHER", "2")])
    app.save_routing("SA-PIN", "V1", FROM, [OperationInput("OP10", "WC-LATHE", "0.02"),
                                            OperationInput("OP20", "WC-HEAT", "0.01")])
    app.save_routing("FG-ASSY", "V1", FROM, [OperationInput("OP10", "WC-ASSY", "0.04")])


def setup_plans(app) -> None:
    app.set_quality_settings(POLICY)
    app.save_inspection_plan("RM-WASHER", Stage.INCOMING, IQC)
    app.save_inspection_plan("SA-PIN", Stage.IN_PROCESS, IPQC, "OP10")
    app.save_inspection_plan("FG-ASSY", Stage.FINAL, FQC)


def setup_quality_company(app) -> None:
    setup_master_data(app)
    setup_plans(app)


def receive_washers_and_rod(app, day: date = DEC[2]) -> tuple[str, str]:
    """PO-000001 (500 washers @ 0.40, 100 kg rod @ 6.00), received in full: (PO, GR)."""
    po = app.create_purchase_order("SUP-WASH", DEC[1], [
        OrderLineInput("RM-WASHER", "500", "0.40", day),
        OrderLineInput("RM-ROD", "100", "6.00", day),
    ]).value.number
    app.confirm_purchase_order(po)
    gr = app.receive_purchase_order(po, day, [MoveLineInput(1, "500", location="A1"),
                                               MoveLineInput(2, "100", location="A1")])
    return po, gr.value.number


# -- the month, step by step (docs/examples/quality-month.md) ---------------------------------
def iqc_overridden(app) -> None:
    """IL-000001: 3 nonconformities in 50 (Ac 1, Re 2), held; sorted 100%: 480 accepted."""
    from domain.quality.findings import DefectCount

    app.record_inspection("IL-000001", DEC[3], [], [DefectCount("LOOK", "BURR", 2),
                                                    DefectCount("LOOK", "RUST", 1)], "2", True)
    app.override_inspection("IL-000001", DEC[4], "480", "全检挑选 100% sorted")


def pins_turned(app) -> str:
    """WO-000001 SA-PIN x 100: 20 kg rod issued, OP10 reported 100 good in 2.0 h."""
    from domain.production.inputs import MaterialLineInput, ReportInput

    wo = app.create_work_order("SA-PIN", "100", DEC[20], DEC[6]).value.number
    app.release_work_order(wo)
    app.issue_material(wo, DEC[6], [MaterialLineInput(1, "20")])
    app.report_operation(wo, "OP10", DEC[7], ReportInput(good="100", labor_hours="2"))
    return wo


OUT_OF_LIMITS = ("10.00", "10.02", "10.07", "9.99", "10.01")  # 10.07 > USL 10.05
IN_LIMITS = ("10.00", "10.01", "9.99", "10.02", "10.00")


# -- reading aggregates back (the use-case tests have no read model) ---------------------------
def voucher(app, entry_id: str) -> list[tuple[str, str, str]]:
    """(account, debit, credit) of a posted voucher, as text."""
    import uuid

    entry = app.repository.get(uuid.UUID(entry_id))
    return [(ln.account, f"{ln.debit:.2f}", f"{ln.credit:.2f}") for ln in entry.lines]


def on_hand(app, item: str, warehouse: str) -> tuple[Dec, Dec, dict[str, Dec]]:
    """(qty, value, bins) of a stock balance."""
    from domain.inventory.stock import stock_id

    b = app.repository.get(stock_id(item, warehouse))
    return b.qty, b.value, {k: v for k, v in b.bins.items() if v}
