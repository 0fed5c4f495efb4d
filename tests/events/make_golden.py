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
    from domain.inventory.handlers import TransferLineInput
    from domain.invoicing.sales_invoices import CreditRequest, RedReason
    from domain.ledger.entries import LineInput
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
    so = step("so", lambda: app.create_sales_order("CUS-HW", d(2), [
        OrderLineInput("RM-BOX", "1", "5.00", d(20))]))
    if so is not None:
        step("so-confirm", lambda: app.confirm_sales_order(so.value.number))
        step("so-reserve", lambda: app.reserve_sales_order(so.value.number))
        step("so-cancel", lambda: app.cancel_sales_order(so.value.number))
    step("forecast", lambda: app.set_forecast("FG-KIT", d(21), "20"))
    step("forecast2", lambda: app.set_forecast("FG-KIT", d(21), "25"))
    run = step("mrp", lambda: app.run_mrp(read(lambda conn: build_snapshot(conn, d(3)))))
    if run is not None:
        planned = sorted(app.mrp_run(run.value.number).planned)
        step("mrp-firm", lambda: app.firm_planned_order(run.value.number, planned[0]))
    wo = step("wo", lambda: app.create_work_order("FG-KIT", "500", d(20), d(3)))
    if wo is not None:
        number = wo.value.number
        step("wo-release", lambda: app.release_work_order(number))  # short: held
        step("wo-release2", lambda: app.release_work_order(number))
    receipt = _receive_steel(app, step, d)
    wo = step("wo4", lambda: app.create_work_order("SA-BLANK", "1200", d(20), d(3)))
    if wo is not None:
        number = wo.value.number
        step("wo4-release", lambda: app.release_work_order(number))
        step("wo4-start", lambda: app.start_operation(number, "OP10"))
        step("wo4-report", lambda: app.report_operation(number, "OP10", d(4), ReportInput(
            good="8", scrap="2", scrap_reason="裂纹 cracked", labor_hours="1.5")))
        step("wo4-issue", lambda: app.issue_material(number, d(4), [MaterialLineInput(1, "60")]))
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
    step("reopen", lambda: app.reopen_period("2026-11", "补录 late invoice"))
    _fixed_asset(app, step, d)


def _fixed_asset(app, step, d) -> None:
    """A machine bought on the last day of the reopened November, depreciated in
    December and sold there."""
    from domain.fixed_assets.cards import AssetSpec

    lathe = AssetSpec("FA-001", "数控车床 CNC lathe", 120, residual_rate="0.05",
                      category="机器设备", work_center="WC-HEAD")
    step("fa-acquire", lambda: app.acquire_fixed_asset(
        lathe, date(2026, 11, 30), "120000.00", "15600.00", supplier="SUP-STEEL",
        invoice_number="26332000000000070001"))
    step("fa-depreciate", lambda: app.run_depreciation("2026-12", d(7)))
    step("fa-dispose", lambda: app.dispose_fixed_asset(
        "FA-001", d(7), proceeds="118000.00", proceeds_vat="15340.00", bank_account="1002",
        reason="出售 sold"))


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
