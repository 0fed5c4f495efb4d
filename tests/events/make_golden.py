"""Write the golden stored events (tests/events/<Aggregate.Event>.v<N>.json).

Run from the repository root:  .venv/bin/python tests/events/make_golden.py

It books the bolt-kit month (api/demo.py) on a fresh SQLite store, then a
December of the commands that month does not need (users, settings, chart
changes, reversals, MRP, shortages, cancellations, red invoices…), follows
the log with the projections (the audit chain writes the period seal), and
keeps the latest stored event of every event class that has no golden file for
its current ``class_version``. Files that exist are never rewritten: a golden
file is what a log of that version holds, and old versions must keep decoding
(through the upcasters). After a deliberate change of an event's fields: bump
its ``class_version``, add ``upcast_vN_vN+1``, run this script (it adds the
``.v<N+1>.json`` file) and commit it beside the old one.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eventsourcing.utils import get_topic  # noqa: E402

from domain import event_topics  # noqa: E402

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 on 7 Dec in Shanghai


def golden_name(cls: type, version: int | None = None) -> str:
    return f"{cls.__qualname__}.v{version or event_topics.class_version(cls)}.json"


def golden_record(topic: str, originator_version: int, state: bytes) -> dict:
    stored = json.loads(state)
    return {
        "topic": topic,
        "class_version": stored.get("class_version", 1),
        "originator_version": originator_version,
        "state": stored,
    }


def _december(rt, step: Callable[[str, Callable], object]) -> None:
    """Commands the bolt-kit month does not need, so every event type is made."""
    from domain.catalog.engineering import ProductionSettings, WorkCenterSpec
    from domain.inventory.handlers import AdjustmentLineInput, TransferLineInput
    from domain.invoicing.sales_invoices import CreditRequest, RedReason
    from domain.ledger.entries import LineInput
    from domain.ledger.handlers import SubAccountInput
    from domain.ledger.period_end import OverheadMethod
    from domain.orders import OrderLineInput
    from domain.parties import PartyRole, PartySpec
    from domain.production.inputs import MaterialLineInput, ReportInput
    from projections.planning_snapshot import build_snapshot
    from projections.statement_queries import overhead_allocation_targets

    app = rt.app

    def d(n: int) -> date:
        return date(2026, 12, n)

    def read(query: Callable):
        rt.runner.catch_up()
        with rt.read() as conn:
            return query(conn)

    step("user", lambda: app.create_user("golden", ["admin"], "flt_golden_token_0001"))
    step("token", lambda: app.issue_token("golden", "flt_golden_token_0002", "scanner"))
    step("revoke", lambda: app.revoke_token_id(app.user_tokens("golden")[-1].token_id))
    step("roles", lambda: app.set_user_roles("golden", ["admin", "accountant"]))
    step("password", lambda: app.set_user_password(
        "golden", "$argon2id$v=19$m=65536,t=3,p=4$Z29sZGVuc2FsdA$Z29sZGVuaGFzaGdvbGRlbmhhc2g"))
    step("disable", lambda: app.disable_user("golden"))
    step("enable", lambda: app.enable_user("golden"))
    step("viewer", lambda: app.set_viewer_read_areas(["ledger", "stock"]))
    step("calendar", lambda: app.set_company_settings("Asia/Shanghai", 366, 31))
    step("calendar2", lambda: app.set_company_settings("Asia/Shanghai", 400, 31))
    step("profile2", lambda: app.set_company_profile(
        "浙江明达紧固件有限公司", app.company_profile().uscc, address="杭州市余杭区良渚街道"))
    step("match", lambda: app.set_invoice_match_tolerances("0.2", "0.2"))
    step("production", lambda: app.set_production_settings(
        ProductionSettings(allow_unqualified_reports=True, abnormal_scrap_to_5711=True)))
    step("account", lambda: app.add_account("560299", "其他管理费用 other admin"))
    step("rename", lambda: app.rename_account("560299", "其他管理费用"))
    step("deactivate", lambda: app.set_account_active("560299", False))
    step("reactivate", lambda: app.set_account_active("560299", True))
    step("control", lambda: app.set_account_control("560299", True))
    step("loan", lambda: app.add_account("250101", "工商银行长期借款"))
    step("statement-line", lambda: app.set_statement_line("250101", 40))
    step("split", lambda: app.split_account("1012", [SubAccountInput("101201", "银行汇票")],
                                            "101201", d(3)))
    step("location", lambda: app.add_location("WH-RM", "A2"))
    step("item", lambda: app.change_item("RM-BOX", {"name": "包装盒 carton box"}))
    step("item-off", lambda: app.set_item_active("RM-BOX", False))
    step("item-on", lambda: app.set_item_active("RM-BOX", True))
    step("party", lambda: app.change_party(PartySpec(
        "SUP-STEEL", "宁波钢材有限公司", (PartyRole.SUPPLIER,), "91350100M000100Y43",
        address="宁波市北仑区新碶街道", payment_terms_days=45)))
    step("wc", lambda: app.define_work_center(WorkCenterSpec(
        "WC-PACK", "包装 packing", 2, Decimal("30"), Decimal("10"))))
    step("operator", lambda: app.register_operator("OP-LI", "李师傅", ["WC-PLATE"]))
    step("bom-end", lambda: app.end_bom_version("FG-KIT", "1", date(2027, 12, 31)))
    posted = step("voucher", lambda: app.post_journal_entry(
        d(1), "备用金 petty cash", [LineInput("1001", debit="500.00"),
                                    LineInput("1002", credit="500.00")]))
    if posted is not None:
        step("reverse", lambda: app.reverse_journal_entry(posted.value.entry_id, d(2)))
    step("move", lambda: app.transfer_stock(d(2), [TransferLineInput(
        "RM-STEEL", "10", "WH-RM", "WH-RM", "A1", "A2")]))
    # A receipt dated before a later issue: settled by one adjustment.
    step("later-issue", lambda: app.adjust_stock(d(4), [AdjustmentLineInput(
        "RM-STEEL", "WH-RM", "-1")], "1901", "golden scrap"))
    step("backdated", lambda: app.adjust_stock(d(3), [AdjustmentLineInput(
        "RM-STEEL", "WH-RM", "5", "9.00")], "1901", "golden late receipt"))
    so = step("so", lambda: app.create_sales_order("CUS-HW", d(2), [
        OrderLineInput("RM-BOX", "1", "5.00", d(20))]))
    if so is not None:
        step("so-confirm", lambda: app.confirm_sales_order(so.value.number))
        step("so-reserve", lambda: app.reserve_sales_order(so.value.number))
        step("so-cancel", lambda: app.cancel_sales_order(so.value.number))
    step("planning", lambda: app.set_planning_settings(14))
    step("planning2", lambda: app.set_planning_settings(10))
    step("holidays", lambda: app.set_working_calendar(2026, [d(25)], [d(26)]))
    step("forecast", lambda: app.set_forecast("FG-KIT", d(21), "20"))
    step("forecast2", lambda: app.set_forecast("FG-KIT", d(21), "25"))
    run = step("mrp", lambda: app.run_mrp(read(lambda conn: build_snapshot(conn, d(3)))))
    if run is not None:
        planned = sorted(app.mrp_run(run.value.number).planned)
        step("mrp-firm", lambda: app.firm_planned_order(run.value.number, planned[0]))
    step("split", lambda: app.split_monthly_plan("FG-KIT", "100", "2026-12", None,
                                                 read(_load_of_december)))
    wo = step("wo", lambda: app.create_work_order("FG-KIT", "500", d(20), d(3)))
    if wo is not None:
        number = wo.value.number
        step("wo-release", lambda: app.release_work_order(number))  # short: held
        step("wo-release2", lambda: app.release_work_order(number))
        step("wo-hold", lambda: app.hold_work_order(number))
        step("wo-cancel", lambda: app.cancel_work_order(number))
    receipt = _receive_steel(app, step, d)
    wo = step("wo4", lambda: app.create_work_order("SA-BLANK", "1200", d(20), d(3)))
    if wo is not None:
        number = wo.value.number
        step("wo4-release", lambda: app.release_work_order(number))
        step("wo4-start", lambda: app.start_operation(number, "OP10"))
        step("wo4-pause", lambda: app.pause_operation(number, "OP10"))
        step("wo4-resume", lambda: app.resume_operation(number, "OP10"))
        _schedules(app, step, read, d)
        step("wo4-report", lambda: app.report_operation(number, "OP10", d(4), ReportInput(
            good="8", scrap="2", scrap_reason="裂纹 cracked", labor_hours="1.5")))
        step("wo4-issue", lambda: app.issue_material(number, d(4), [MaterialLineInput(1, "60")]))
        step("wo4-return", lambda: app.return_material(number, d(4), [MaterialLineInput(1, "5")]))
        _invoice_dearer(app, step, receipt, d)
        step("wo4-overhead", lambda: app.settle_overhead(
            "2026-12", OverheadMethod.ALLOCATE, d(6), read(overhead_allocation_targets)))
        step("wo4-close", lambda: app.close_work_order(number, d(6)))
    invoice = _first_sales_invoice(app)
    step("si-confirm", lambda: app.confirm_sales_invoice(invoice))
    step("si-red", lambda: app.issue_red_sales_invoice(
        invoice, "2026120700001", RedReason.SALES_ALLOWANCE, d(7),
        [CreditRequest(1, amount="10.00")]))
    _amend_and_return(app, step, d)
    _equipment(app, step, d)
    _quality(app, step, d)
    # a run with an open purchase order line: its receipts are pegged (MrpRun.Recorded v2)
    step("mrp2", lambda: app.run_mrp(read(lambda conn: build_snapshot(conn, d(7)))))
    step("reopen", lambda: app.reopen_period("2026-11", "补录 late invoice"))
    _fixed_asset(app, step, d)


def _fixed_asset(app, step, d) -> None:
    """A machine bought on the last day of the reopened November, depreciated in
    December and sold there."""
    from domain.fixed_assets.cards import AssetSpec
    from domain.fixed_assets.revisions import AssetChanges

    lathe = AssetSpec("FA-001", "数控车床 CNC lathe", 120, residual_rate="0.05",
                      category="机器设备", work_center="WC-HEAD")
    step("fa-acquire", lambda: app.acquire_fixed_asset(
        lathe, date(2026, 11, 30), "120000.00", "15600.00", supplier="SUP-STEEL",
        invoice_number="26332000000000070001"))
    step("fa-depreciate", lambda: app.run_depreciation("2026-12", d(7)))
    step("fa-reverse", lambda: app.reverse_depreciation_run("2026-12", "rerun"))
    step("fa-depreciate-again", lambda: app.run_depreciation("2026-12", d(7)))
    step("fa-edit", lambda: app.edit_fixed_asset("FA-001", AssetChanges(life_months=100)))
    step("fa-dispose-part", lambda: app.dispose_fixed_asset_part(
        "FA-001", d(7), "20000.00", proceeds="19000.00", bank_account="1002",
        reason="部分出售 part sold"))
    step("fa-dispose", lambda: app.dispose_fixed_asset(
        "FA-001", d(7), proceeds="118000.00", proceeds_vat="15340.00", bank_account="1002",
        reason="出售 sold"))


def _equipment(app, step, d) -> None:
    """The cold header's machine: settings, register, states and counts, a
    breakdown's corrective order worked and closed, a plan, a rejected message."""
    from datetime import datetime, timedelta, timezone

    from domain.equipment.machines import (
        DEFAULT_REASONS,
        EquipmentSettings,
        EquipmentSpec,
        SparePart,
    )
    from domain.equipment.maintenance_handlers import PartLineInput
    from domain.equipment.oee import MachineState

    cst = timezone(timedelta(hours=8))

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 12, day, hour, tzinfo=cst)

    spec = EquipmentSpec("CH-01", "冷镦机 1号", "WC-HEAD", "ZH-12B", "SN-2019-0042",
                         date(2019, 6, 1), Decimal("0.002"),
                         spare_parts=(SparePart("RM-STEEL", Decimal("2")),))
    step("eq-settings", lambda: app.set_equipment_settings(EquipmentSettings()))
    step("eq-settings2", lambda: app.set_equipment_settings(EquipmentSettings(
        DEFAULT_REASONS, 600, Decimal("60.00"))))
    step("eq-register", lambda: app.register_equipment(spec))
    step("eq-change", lambda: app.change_equipment(spec.__class__(
        **{**spec.__dict__, "name": "冷镦机 1号 cold header"})))
    step("eq-plan", lambda: app.set_maintenance_plan("CH-01", "PM-LUBE", "润滑 lubrication",
                                                     every_units=Decimal("5000"), day=d(1)))
    step("eq-run", lambda: app.record_equipment_state("CH-01", at(1, 8), MachineState.RUNNING,
                                                      message_id="golden-1"))
    step("eq-count", lambda: app.record_equipment_count("CH-01", at(1, 12), 6000, 5940,
                                                        "golden-2"))
    broke = step("eq-down", lambda: app.record_equipment_state(
        "CH-01", at(1, 13), MachineState.DOWN, "故障", "golden-3"))
    if broke is not None:
        number = broke.value.maintenance_order
        step("mo-start", lambda: app.start_maintenance_order(number, d(1)))
        step("mo-window", lambda: app.plan_maintenance_window(
            number, datetime(2026, 12, 2, 8, 0), "2"))
        step("mo-parts", lambda: app.issue_maintenance_parts(
            number, d(1), [PartLineInput("RM-STEEL", "2")]))
        step("mo-labor", lambda: app.record_maintenance_labor(number, d(1), "1.5"))
        step("mo-close", lambda: app.close_maintenance_order(number, d(1), "换轴承"))
    step("eq-reject", lambda: app.reject_equipment_message(
        "factoryledger/default/equipment/CH-99/state", '{"id": "m-1"}', "equipment CH-99 "
        "does not exist", "NotFound", "m-1"))


def _quality(app, step, d) -> None:
    """Inspection plans, an IQC lot overridden and disposed of (returned, used as
    is), a supplier flagged then cleared, an IPQC lot rejected, reworked and
    passed, the yield applied to planning, and the zinc's and steel's approved supplier."""
    from domain.orders import MoveLineInput, OrderLineInput
    from domain.production.inputs import ReportInput
    from domain.quality.findings import DefectCount, Measurement
    from domain.quality.nonconformance import DispositionKind
    from domain.quality.plans import Characteristic, CharacteristicKind, PlanVersion, Stage
    from domain.quality.sampling import SamplingMethod, SamplingRule
    from domain.quality.settings import QualityPolicy
    from domain.workflows.dispositions import DispositionInput

    look = Characteristic("LOOK", "外观 appearance", CharacteristicKind.ATTRIBUTE,
                          defect_codes=("RUST",))
    dia = Characteristic("DIA", "直径 diameter", CharacteristicKind.MEASURED, Decimal("8.00"),
                         Decimal("7.95"), Decimal("8.05"), "mm", 2)
    step("q-settings", lambda: app.set_quality_settings(QualityPolicy(
        supplier_window=1, supplier_min_lots=1, inspector_rate=Decimal("50.00"))))
    step("q-iqc", lambda: app.save_inspection_plan("RM-ZINC", Stage.INCOMING, PlanVersion(
        "V1", d(1), None, (look,), SamplingRule(SamplingMethod.FULL))))
    step("q-iqc-end", lambda: app.end_inspection_plan_version(
        "RM-ZINC", Stage.INCOMING, "V1", date(2027, 12, 31)))
    step("q-ipqc", lambda: app.save_inspection_plan("SA-BLANK", Stage.IN_PROCESS, PlanVersion(
        "V1", d(1), None, (dia,), SamplingRule(SamplingMethod.FIXED, sample_size=2),
        blocks_next=True), "OP10"))
    for n, qty in ((1, "10"), (2, "5")):
        po = step(f"q-po{n}", lambda q=qty: app.create_purchase_order("SUP-STEEL", d(8), [
            OrderLineInput("RM-ZINC", q, "20.00", d(8))]))
        if po is None:
            return
        step(f"q-po{n}-confirm", lambda p=po: app.confirm_purchase_order(p.value.number))
        step(f"q-po{n}-receive", lambda p=po, q=qty: app.receive_purchase_order(
            p.value.number, d(8), [MoveLineInput(1, q)]))
    step("q-il1", lambda: app.record_inspection("IL-000001", d(9), [], [
        DefectCount("LOOK", "RUST", 3)], "1.5", True))
    step("q-il1-override", lambda: app.override_inspection("IL-000001", d(9), "8", "挑选 sorted"))
    step("q-ncr1-return", lambda: app.dispose_nonconformance("NCR-000001", d(9), DispositionInput(
        DispositionKind.RETURN_TO_SUPPLIER, "1", "锈蚀 rust")))
    step("q-ncr1-as-is", lambda: app.dispose_nonconformance("NCR-000001", d(9), DispositionInput(
        DispositionKind.USE_AS_IS, "1", "轻微锈蚀 light rust", "王厂长")))
    step("q-il2", lambda: app.record_inspection("IL-000002", d(9), [], [], "0.5"))
    step("q-yield", lambda: app.apply_yield_recommendation("RM-ZINC"))
    wo = step("q-wo", lambda: app.create_work_order("SA-BLANK", "10", d(20), d(9)))
    if wo is None:
        return
    number = wo.value.number
    step("q-wo-release", lambda: app.release_work_order(number))
    step("q-wo-report", lambda: app.report_operation(number, "OP10", d(9), ReportInput(
        good="10", labor_hours="0.5")))
    step("q-il3", lambda: app.record_inspection("IL-000003", d(9), [
        Measurement("DIA", ("8.00", "8.09"))], []))
    step("q-ncr2-rework", lambda: app.dispose_nonconformance("NCR-000002", d(9), DispositionInput(
        DispositionKind.REWORK, "10", "返车 re-turn", labor_hours="0.25")))
    step("q-il4", lambda: app.record_inspection("IL-000004", d(9), [
        Measurement("DIA", ("8.00", "8.01"))], []))
    step("q-approved", lambda: app.approve_suppliers("RM-ZINC", ["SUP-STEEL"]))
    # the next MRP run proposes SUP-STEEL for its planned purchases of steel
    step("q-approved-steel", lambda: app.approve_suppliers("RM-STEEL", ["SUP-STEEL"]))



def _load_of_december(conn):
    from projections.planning_snapshot import work_center_load

    return work_center_load(conn, date(2026, 12, 1), date(2026, 12, 31))


def _schedules(app, step, read, d) -> None:
    """A schedule saved, then repaired around a breakdown (ScheduleRun.Recorded with
    its moves and breakdowns)."""
    from datetime import datetime

    from domain.planning.schedules import Breakdown
    from projections.planning_queries import schedule_inputs

    start = datetime(2026, 12, 3, 8, 0)
    step("schedule", lambda: app.record_schedule(read(schedule_inputs), start))
    down = (Breakdown("WC-HEAD", start, datetime(2026, 12, 21, 12, 0)),)  # late: due 20th
    step("reschedule", lambda: app.record_schedule(read(schedule_inputs), start,
                                                   breakdowns=down, repair=True))


def _receive_steel(app, step, d) -> str:
    from domain.orders import MoveLineInput, OrderLineInput

    po = step("po2", lambda: app.create_purchase_order("SUP-STEEL", d(3), [
        OrderLineInput("RM-STEEL", "100", "5.00", d(4))]))
    if po is None:
        return ""
    step("po2-confirm", lambda: app.confirm_purchase_order(po.value.number))
    gr = step("po2-receive", lambda: app.receive_purchase_order(
        po.value.number, d(4), [MoveLineInput(1, "100")]))
    return gr.value.number if gr else ""


def _amend_and_return(app, step, d) -> None:
    """Order lines amended, then partly delivered and returned (the order line facts)."""
    from domain.orders import MoveLineInput, OrderLineInput

    po = step("po3", lambda: app.create_purchase_order("SUP-STEEL", d(7), [
        OrderLineInput("RM-STEEL", "10", "5.00", d(8))]))
    if po is not None:
        step("po3-confirm", lambda: app.confirm_purchase_order(po.value.number))
        step("po3-amend", lambda: app.amend_purchase_order_line(
            po.value.number, 1, qty="20", due_date=d(10)))
        step("po3-receive", lambda: app.receive_purchase_order(
            po.value.number, d(7), [MoveLineInput(1, "10")]))
        step("po3-return", lambda: app.return_to_supplier(
            po.value.number, d(7), [MoveLineInput(1, "2")]))
        step("po3-short-close", lambda: app.short_close_purchase_order(
            po.value.number, "供应商停产 discontinued", d(7)))
    so = step("so2", lambda: app.create_sales_order("CUS-HW", d(7), [
        OrderLineInput("RM-BOX", "1", "5.00", d(20))]))
    if so is not None:
        step("so2-confirm", lambda: app.confirm_sales_order(so.value.number))
        step("so2-amend", lambda: app.amend_sales_order_line(
            so.value.number, 1, qty="2", unit_price="5.50"))
        step("so2-ship", lambda: app.ship_sales_order(
            so.value.number, d(7), [MoveLineInput(1, "2")]))
        step("so2-return", lambda: app.return_from_customer(
            so.value.number, d(7), [MoveLineInput(1, "1")]))
        step("so2-short-close", lambda: app.short_close_sales_order(
            so.value.number, "客户取消余量 the rest cancelled", d(7)))


def _invoice_dearer(app, step, receipt: str, d) -> None:
    """December's steel, partly issued to an open work order, invoiced dearer
    than ordered: the difference revalues the stock left and joins the order's
    material WIP. An invoice off every tolerance is held, then cancelled."""
    from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
    from domain.invoicing.purchase_invoices import PurchaseInvoiceType

    step("pi3", lambda: app.record_purchase_invoice(
        "SUP-STEEL", "26332000000012345680", d(5), PurchaseInvoiceType.SPECIAL,
        [PurchaseInvoiceLineInput(receipt, 1, "100", "9.00")]))
    step("pi3-cancel", lambda: app.cancel_purchase_invoice(
        "SUP-STEEL", "26332000000012345680", "重复开票 duplicate"))
    step("pi2", lambda: app.record_purchase_invoice(
        "SUP-STEEL", "26332000000012345679", d(5), PurchaseInvoiceType.SPECIAL,
        [PurchaseInvoiceLineInput(receipt, 1, "100", "5.50")]))


def _first_sales_invoice(app) -> str:
    from domain.invoicing.sales_invoices import SalesInvoice

    for record in app.recorder.select_notifications(1, 1_000_000):
        if record.topic == get_topic(SalesInvoice.Issued):
            return app.mapper.to_domain_event(record).number
    return ""


def generate(out: Path = HERE) -> list[str]:
    """Write the missing golden files; return their names."""
    from api.demo import load_demo
    from api.runtime import Runtime
    from domain.store import parse_database_url
    from projections.audit_chain import AuditChain

    with tempfile.TemporaryDirectory() as tmp:
        from domain.clock import fixed_clock

        rt = Runtime(parse_database_url(f"sqlite:///{tmp}/golden.db"), clock=fixed_clock(NOW))
        try:
            app = rt.app
            load_demo(app)
            failures: list[str] = []

            def step(name: str, command: Callable):
                try:
                    return command()
                except Exception as exc:  # report, go on: the missing list says what is left
                    failures.append(f"{name}: {type(exc).__name__}: {exc}")
                    return None

            _december(rt, step)
            rt.runner.catch_up()
            AuditChain(app, rt.engine).catch_up()
            stored = app.recorder.select_notifications(1, 1_000_000)
        finally:
            rt.close()
    # The latest event of each type: December's commands exercise more of the
    # rules (abnormal scrap, price differences) than the month's first events.
    latest = {record.topic: record for record in stored}
    written, missing = [], []
    for cls in event_topics.event_classes():
        path = out / golden_name(cls)
        if path.exists():
            continue
        record = latest.get(get_topic(cls))
        if record is None:
            missing.append(get_topic(cls))
            continue
        path.write_text(json.dumps(
            golden_record(record.topic, record.originator_version, record.state),
            ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path.name)
    for line in failures:
        print("step failed:", line, file=sys.stderr)
    for topic in missing:
        print("no event made for:", topic, file=sys.stderr)
    return written


if __name__ == "__main__":
    for name in generate():
        print("wrote", name)
