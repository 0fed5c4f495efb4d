"""Quality through the use cases on the in-memory store: IQC, IPQC and FQC
lots with their sampling plans, decisions and overrides, every disposition
with its voucher to the cent, quarantine kept out of issues and
reservations, the supplier flag and the yield record, and bad input for
every command. The worked month through GraphQL on both stores is
tests/test_api_quality.py."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.catalog.engineering import ProductionSettings
from domain.commands import CommandContext
from domain.errors import (
    BusinessRuleViolation,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
from domain.invoicing.purchase_invoices import PurchaseInvoiceType
from domain.orders import MoveLineInput, OrderLineInput
from domain.production.inputs import MaterialLineInput, ReportInput
from domain.quality.findings import DefectCount, Measurement
from domain.quality.lookups import inspection_lot, nonconformance
from domain.quality.nonconformance import DispositionKind as K
from domain.quality.plans import Characteristic, CharacteristicKind, PlanVersion, Stage
from domain.quality.records import supplier_quality_id, yield_record_id
from domain.quality.sampling import SamplingMethod, SamplingRule
from domain.workflows.dispositions import DispositionInput
from tests.scenes.production import work_order
from tests.scenes.quality import (
    DEC,
    FQC,
    IN_LIMITS,
    IQC,
    OUT_OF_LIMITS,
    POLICY,
    iqc_overridden,
    on_hand,
    pins_turned,
    receive_washers_and_rod,
    setup_quality_company,
    voucher,
)

INSPECTOR = CommandContext(actor="zhang", roles=frozenset({"inspector"}))
ZERO = Dec("0.00")


@pytest.fixture
def app(memory_app):
    setup_quality_company(memory_app)
    return memory_app


def lot(app, number: str):
    return app.read(lambda uow: inspection_lot(uow, number))


def ncr(app, number: str):
    return app.read(lambda uow: nonconformance(uow, number))


def refused(app, exc_type, call, *args, **kwargs):
    before = app.log_position()
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert app.log_position() == before, "a refused command wrote events"
    return info.value


def dispose(app, number, kind, qty, day=DEC[5], **kw):
    return app.dispose_nonconformance(number, day, DispositionInput(kind, qty, **kw)).value


# -- IQC ----------------------------------------------------------------------------------------
def test_a_receipt_of_an_item_with_a_plan_waits_in_quarantine_with_its_sampling_plan(app):
    _, gr = receive_washers_and_rod(app)
    il = lot(app, "IL-000001")
    assert (il.stage, il.qty, il.location, il.source.document, il.source.value) == (
        Stage.INCOMING, Dec("500"), "A1", gr, Dec("200.00"))
    # GB/T 2828.1: 500 units at level II are code letter H, n = 50; AQL 1.0: Ac 1, Re 2.
    s = il.sampling
    assert (s.code_letter, s.sample_size, s.accept, s.reject, s.full) == ("H", 50, 1, 2, False)
    assert on_hand(app, "RM-WASHER", "WH-RM") == (Dec("500"), Dec("200.00"), {"QC|": 500})
    assert on_hand(app, "RM-ROD", "WH-RM") == (Dec("100"), Dec("600.00"), {"A1|": 100})


def test_quarantine_is_neither_issued_reserved_nor_planned_as_available(app):
    receive_washers_and_rod(app)
    wo = app.create_work_order("FG-ASSY", "10", DEC[20], DEC[3]).value.number
    assert app.release_work_order(wo).value.status == "held"  # washers short: all in QC
    so = app.create_sales_order("CUS-MACH", DEC[3], [
        OrderLineInput("RM-WASHER", "10", "1.00", DEC[20])]).value.number
    app.confirm_sales_order(so)
    app.reserve_sales_order(so)
    from domain.inventory.stock import stock_id

    assert app.repository.get(stock_id("RM-WASHER", "WH-RM")).reserved == 0
    app.hold_work_order(wo)
    error = refused(app, BusinessRuleViolation, app.ship_sales_order, so, DEC[3],
                    [MoveLineInput(1, "10", location="QC")])
    assert error.code == "STOCK_QUARANTINED"


def test_held_results_wait_for_an_override_by_an_admin_with_its_reason(app):
    receive_washers_and_rod(app)
    held = app.record_inspection("IL-000001", DEC[3], [], [
        DefectCount("LOOK", "BURR", 2), DefectCount("LOOK", "RUST", 1)], "2", True,
        ctx=INSPECTOR).value
    assert (held.status, held.verdict, held.rejected) == ("held", "reject", "500.000000")
    denied = refused(app, PermissionDenied, app.override_inspection, "IL-000001", DEC[4], "480",
                     "sorted", ctx=INSPECTOR)
    assert "admin" in denied.message
    assert refused(app, ValidationError, app.override_inspection, "IL-000001", DEC[4], "480",
                   " ").field == "reason"
    assert refused(app, ValidationError, app.override_inspection, "IL-000001", DEC[4], "501",
                   "sorted").field == "acceptedQty"
    done = app.override_inspection("IL-000001", DEC[4], "480", "全检挑选 100% sorted").value
    assert (done.status, done.verdict, done.accepted, done.rejected, done.ncr) == (
        "closed", "accept", "480.000000", "20.000000", "NCR-000001")
    decided = lot(app, "IL-000001")
    assert decided.computed.rejected == Dec("500") and decided.decision.accepted == Dec("480")
    assert on_hand(app, "RM-WASHER", "WH-RM")[2] == {"QC|": 20, "A1|": 480}
    report = ncr(app, "NCR-000001")
    assert (report.origin, report.qty, report.location, report.source.supplier) == (
        Stage.INCOMING, Dec("20"), "A1", "SUP-WASH")
    assert [(d.characteristic, d.defect_code, d.count) for d in report.defects] == [
        ("LOOK", "BURR", 2), ("LOOK", "RUST", 1)]
    # The computed reject counts for the supplier: 0 of 1 lot accepted < 0.90, flagged.
    assert app.repository.get(supplier_quality_id("SUP-WASH")).flagged


def test_a_lot_accepted_by_sampling_keeps_the_defective_sample_units_apart(app):
    receive_washers_and_rod(app)
    done = app.record_inspection("IL-000001", DEC[3], [], [
        DefectCount("LOOK", "BURR", 1)], ctx=INSPECTOR).value
    assert (done.verdict, done.accepted, done.rejected, done.document) == (
        "accept", "499.000000", "1.000000", "TR-000001")
    refused(app, BusinessRuleViolation, app.record_inspection, "IL-000001", DEC[3], [], [])
    held = refused(app, BusinessRuleViolation, app.release_inspection, "IL-000001", DEC[4])
    assert held.code == "NOT_HELD"


def test_return_to_supplier_before_the_invoice_reduces_220202_at_the_price_received(app):
    po, _ = receive_washers_and_rod(app)
    iqc_overridden(app)
    out = dispose(app, "NCR-000001", K.RETURN_TO_SUPPLIER, "20", reason="毛刺 burrs")
    assert (out.document, out.open_qty, out.cost) == ("RS-000001", "0.000000", "0.00")
    assert voucher(app, out.entry_id) == [("220202", "8.00", "0.00"), ("1403", "0.00", "8.00")]
    assert on_hand(app, "RM-WASHER", "WH-RM") == (Dec("480"), Dec("192.00"), {"A1|": 480})
    from domain.purchasing import purchase_order_id

    line = app.repository.get(purchase_order_id(po)).lines[1]
    assert (line.returned, line.returned_value) == (Dec("20"), Dec("8.00"))
    record = app.repository.get(yield_record_id("RM-WASHER"))
    assert record.observed_yield(5) == (Dec("0.9600"), 1)  # 20 of 500 lost
    more = refused(app, BusinessRuleViolation, dispose, app, "NCR-000001", K.SCRAP, "1")
    assert more.code == "NCR_CLOSED"


def test_return_after_the_invoice_is_a_debit_note_against_220201(app):
    _, gr = receive_washers_and_rod(app)
    inv = app.record_purchase_invoice("SUP-WASH", "26332000000012345678", DEC[3],
                                      PurchaseInvoiceType.SPECIAL,
                                      [PurchaseInvoiceLineInput(gr, 1, "500", "0.40")]).value
    assert voucher(app, inv.entry_id) == [("220202", "200.00", "0.00"),
                                          ("22210101", "26.00", "0.00"),
                                          ("220201", "0.00", "226.00")]
    iqc_overridden(app)
    out = dispose(app, "NCR-000001", K.RETURN_TO_SUPPLIER, "20")
    # 20 x 0.40 = 8.00 ex VAT, VAT 13% 1.04: the supplier owes 9.04 (红字 debit note DN-000001).
    assert voucher(app, out.entry_id) == [("220201", "9.04", "0.00"),
                                          ("22210101", "0.00", "1.04"),
                                          ("1403", "0.00", "8.00")]
    from domain.finance.open_items import Ledger, open_item_id

    item = app.repository.get(open_item_id(Ledger.PAYABLE, "DN-000001"))
    assert (item.party, item.account, item.amount) == ("SUP-WASH", "220201", Dec("-9.04"))


def test_scrap_of_purchased_material_goes_through_1901_to_5711_or_to_4101(app):
    receive_washers_and_rod(app)
    iqc_overridden(app)
    out = dispose(app, "NCR-000001", K.SCRAP, "5", reason="锈蚀 rust")
    assert (out.document, out.cost) == ("AJ-000001", "2.00")  # 5 x 0.40 at moving average
    assert voucher(app, out.entry_id) == [("1901", "2.00", "0.00"), ("1403", "0.00", "2.00")]
    write_off = [e for e in _entries(app) if e.source and e.source.kind == "scrap_write_off"]
    assert [voucher(app, str(e.id)) for e in write_off] == [
        [("5711", "2.00", "0.00"), ("1901", "0.00", "2.00")]]
    app.set_quality_settings(replace(POLICY, scrap_account="4101"))
    dispose(app, "NCR-000001", K.SCRAP, "5")
    write_off = [e for e in _entries(app) if e.source and e.source.kind == "scrap_write_off"]
    assert voucher(app, str(write_off[-1].id)) == [("4101", "2.00", "0.00"),
                                                  ("1901", "0.00", "2.00")]
    assert ncr(app, "NCR-000001").open_qty == Dec("10")
    assert on_hand(app, "RM-WASHER", "WH-RM")[:2] == (Dec("490"), Dec("196.00"))


def _entries(app):
    from domain.ledger.entries import JournalEntry

    out = []
    for record in app.recorder.select_notifications(1, 1_000_000):
        if record.topic.endswith("JournalEntry.Posted"):
            out.append(app.repository.get(record.originator_id))
    return [e for e in out if isinstance(e, JournalEntry)]


def test_use_as_is_needs_an_approver_and_a_reason_and_releases_the_units(app):
    receive_washers_and_rod(app)
    iqc_overridden(app)
    assert refused(app, ValidationError, dispose, app, "NCR-000001", K.USE_AS_IS, "20",
                   reason="ok").field == "approver"
    assert refused(app, ValidationError, dispose, app, "NCR-000001", K.USE_AS_IS, "20",
                   approver="王厂长").field == "reason"
    out = dispose(app, "NCR-000001", K.USE_AS_IS, "20", reason="毛刺可去除", approver="王厂长")
    assert (out.document, out.entry_id) == ("TR-000002", "")
    assert lot(app, "IL-000001").conceded == Dec("20")
    assert on_hand(app, "RM-WASHER", "WH-RM")[2] == {"A1|": 500}


def test_dispositions_are_refused_beyond_the_rejected_quantity_or_against_their_origin(app):
    receive_washers_and_rod(app)
    iqc_overridden(app)
    assert refused(app, BusinessRuleViolation, dispose, app, "NCR-000001", K.SCRAP,
                   "21").code == "DISPOSITION_EXCEEDS_REJECTED"
    assert refused(app, BusinessRuleViolation, dispose, app, "NCR-000001", K.REWORK,
                   "1").code == "REWORK_NEEDS_PRODUCTION"
    assert refused(app, NotFound, dispose, app, "NCR-000099", K.SCRAP, "1").kind == \
        "Nonconformance"
    assert refused(app, ValidationError, dispose, app, "NCR-000001", K.SCRAP, "0").field == \
        "qty"
    never_opened = refused(app, NotFound, dispose, app, "NCR-000001", K.SCRAP, "1",
                           day=date(2026, 11, 30))
    assert "2026-11" in never_opened.message


# -- IPQC ---------------------------------------------------------------------------------------
def test_an_in_process_reject_blocks_the_next_operation_until_reworked_and_passed(app):
    wo = _pins_rejected(app)
    blocked = refused(app, BusinessRuleViolation, app.report_operation, wo, "OP20", DEC[8],
                      ReportInput(good="1", labor_hours="0.1"))
    assert blocked.code == "INSPECTION_PENDING" and "100 units of OP10" in blocked.message
    app.report_operation(wo, "OP20", DEC[8], ReportInput(labor_hours="0.5"))  # hours only: fine
    out = dispose(app, "NCR-000002", K.REWORK, "100", DEC[8], labor_hours="1")
    # 1.0 h at WC-LATHE: labour 40.00, overhead 20.00, into WIP.
    assert voucher(app, out.entry_id) == [("400101", "60.00", "0.00"), ("2211", "0.00", "40.00"),
                                          ("4101", "0.00", "20.00")]
    assert (out.cost, out.reinspection) == ("60.00", "IL-000003")
    assert lot(app, "IL-000003").source.reinspects == "NCR-000002"
    refused(app, BusinessRuleViolation, app.report_operation, wo, "OP20", DEC[8],
            ReportInput(good="1"))  # the reworked units wait for their inspection
    passed = app.record_inspection("IL-000003", DEC[9], [Measurement("DIA", IN_LIMITS)],
                                   []).value
    assert (passed.verdict, passed.accepted, passed.ncr) == ("accept", "100.000000", "")
    app.report_operation(wo, "OP20", DEC[9], ReportInput(good="100", labor_hours="1"))
    order = work_order(app, wo)
    assert order.operations["OP10"].rework == Dec("100")
    # 120.00 rod + 120.00 OP10 + 60.00 rework + 40.00 OP20 hours only + 80.00 OP20
    assert order.wip.total == Dec("420.00")
    done = app.complete_work_order(wo, DEC[10], "100").value
    assert done.total_value == "420.00"


def _pins_rejected(app) -> str:
    receive_washers_and_rod(app)
    iqc_overridden(app)
    wo = pins_turned(app)
    il = lot(app, "IL-000002")
    assert (il.stage, il.qty, il.sampling.sample_size, il.sampling.full, il.blocks_next) == (
        Stage.IN_PROCESS, Dec("100"), 5, False, True)
    out = app.record_inspection("IL-000002", DEC[7], [Measurement("DIA", OUT_OF_LIMITS)],
                                [], "0.5").value
    assert (out.verdict, out.rejected, out.ncr) == ("reject", "100.000000", "NCR-000002")
    return wo


@pytest.mark.parametrize("abnormal, posted", [(True, "24.00"), (False, "")])
def test_scrap_of_rejected_work_in_process_follows_the_abnormal_scrap_rule(app, abnormal,
                                                                           posted):
    app.set_production_settings(ProductionSettings(abnormal_scrap_to_5711=abnormal))
    wo = _pins_rejected(app)
    out = dispose(app, "NCR-000002", K.SCRAP, "10", DEC[8], reason="超差 oversize")
    # WIP 240.00 (rod 120.00, OP10 120.00) over 100 units expected: 10 are worth 24.00.
    assert out.cost == "24.00"
    if posted:
        assert voucher(app, out.entry_id) == [("5711", posted, "0.00"),
                                              ("400101", "0.00", posted)]
    else:
        assert out.entry_id == ""
    order = work_order(app, wo)
    assert (order.scrapped, order.operations["OP10"].good, order.units_expected) == (
        Dec("10"), Dec("90"), Dec("90"))
    assert order.wip.total == Dec("240.00") - (Dec(posted) if posted else ZERO)
    dispose(app, "NCR-000002", K.USE_AS_IS, "90", DEC[8], reason="尺寸可用", approver="王厂长")
    app.report_operation(wo, "OP20", DEC[8], ReportInput(good="90", labor_hours="1"))


def test_scrap_of_units_the_next_operation_took_is_refused(app):
    app.end_inspection_plan_version("SA-PIN", Stage.IN_PROCESS, "V1", DEC[5], "OP10")
    app.save_inspection_plan("SA-PIN", Stage.IN_PROCESS, _ipqc_v2(), "OP10")
    receive_washers_and_rod(app)
    wo = pins_turned(app)
    app.record_inspection("IL-000002", DEC[7], [Measurement("DIA", OUT_OF_LIMITS)], [])
    app.report_operation(wo, "OP20", DEC[8], ReportInput(good="95"))  # not blocked
    error = refused(app, BusinessRuleViolation, dispose, app, "NCR-000001", K.SCRAP, "10",
                    DEC[8])
    assert error.code == "ALREADY_PROCESSED"


def _ipqc_v2() -> PlanVersion:
    """An in-process plan of OP10 that does not block, from 6 Dec (V1 ended on the 5th)."""
    return PlanVersion("V2", DEC[6], None, (
        Characteristic("DIA", "外径", CharacteristicKind.MEASURED, None, Dec("9.95"),
                       Dec("10.05"), "mm", 2),), SamplingRule(SamplingMethod.FIXED,
                                                              sample_size=5))


# -- FQC ----------------------------------------------------------------------------------------
def _assemblies_completed(app, rejected: bool = True) -> str:
    """The month up to FQC: pins rejected, reworked (60.00) and passed, then completed."""
    wo = _pins_rejected(app)
    dispose(app, "NCR-000002", K.REWORK, "100", DEC[8], labor_hours="1")
    app.record_inspection("IL-000003", DEC[9], [Measurement("DIA", IN_LIMITS)], [])
    app.report_operation(wo, "OP20", DEC[8], ReportInput(good="100", labor_hours="1"))
    app.complete_work_order(wo, DEC[9], "100")
    assy = app.create_work_order("FG-ASSY", "100", DEC[20], DEC[11]).value.number
    app.release_work_order(assy)
    app.issue_material(assy, DEC[11], [MaterialLineInput(1, "100"), MaterialLineInput(2, "200")])
    app.report_operation(assy, "OP10", DEC[12], ReportInput(good="100", labor_hours="4"))
    done = app.complete_work_order(assy, DEC[13], "100").value
    # 100 pins 380.00 + 200 washers 80.00 + 4.0 h x (25 + 5) 120.00 = 580.00, into QC
    assert (done.total_value, on_hand(app, "FG-ASSY", "WH-FG")) == (
        "580.00", (Dec("100"), Dec("580.00"), {"QC|": 100}))
    il = lot(app, "IL-000004")
    assert (il.stage, il.location, il.source.document, il.sampling.code_letter,
            il.sampling.sample_size, il.sampling.accept, il.sampling.reject) == (
        Stage.FINAL, "F1", done.number, "F", 20, 1, 2)
    counts = [DefectCount("LOOK", "SCRATCH", 2 if rejected else 0)]
    app.record_inspection("IL-000004", DEC[14], [], counts, "1")
    return assy


def test_a_final_lot_under_concession_is_released_at_unchanged_value(app):
    _assemblies_completed(app)
    out = dispose(app, "NCR-000003", K.USE_AS_IS, "100", DEC[15], reason="划痕不影响装配功能",
                  approver="王厂长")
    assert (out.document, out.entry_id) == ("TR-000002", "")
    assert on_hand(app, "FG-ASSY", "WH-FG") == (Dec("100"), Dec("580.00"), {"F1|": 100})
    assert lot(app, "IL-000004").conceded == Dec("100")


@pytest.mark.parametrize("abnormal", [True, False])
def test_scrap_of_finished_goods_follows_the_abnormal_scrap_rule(app, abnormal):
    app.set_production_settings(ProductionSettings(abnormal_scrap_to_5711=abnormal))
    _assemblies_completed(app)
    out = dispose(app, "NCR-000003", K.SCRAP, "10", DEC[15], reason="划痕严重")
    assert out.cost == "58.00"  # 10 of 100 at 5.80
    if abnormal:
        assert voucher(app, out.entry_id) == [("5711", "58.00", "0.00"),
                                              ("140501", "0.00", "58.00")]
        assert on_hand(app, "FG-ASSY", "WH-FG")[:2] == (Dec("90"), Dec("522.00"))
    else:  # the cost stays with the 90 good units: 580.00 / 90
        assert out.entry_id == ""
        assert on_hand(app, "FG-ASSY", "WH-FG")[:2] == (Dec("90"), Dec("580.00"))


def test_rework_of_finished_goods_adds_its_cost_and_they_are_inspected_again(app):
    _assemblies_completed(app)
    refused(app, ValidationError, dispose, app, "NCR-000003", K.REWORK, "100", DEC[15],
            labor_hours="2")  # goods name the work center doing it
    out = dispose(app, "NCR-000003", K.REWORK, "100", DEC[15], labor_hours="2",
                  work_center="WC-ASSY")
    # 2.0 h x (25 + 5): through 400101 into the goods.
    assert voucher(app, out.entry_id) == [("140501", "60.00", "0.00"),
                                          ("2211", "0.00", "50.00"), ("4101", "0.00", "10.00")]
    assert on_hand(app, "FG-ASSY", "WH-FG") == (Dec("100"), Dec("640.00"), {"QC|": 100})
    assert out.reinspection == "IL-000005"
    done = app.record_inspection("IL-000005", DEC[16], [], [DefectCount("LOOK", "SCRATCH",
                                                                        0)]).value
    assert (done.verdict, done.document) == ("accept", "TR-000002")
    assert on_hand(app, "FG-ASSY", "WH-FG")[2] == {"F1|": 100}


# -- plans, settings, yields --------------------------------------------------------------------
def test_plans_are_versioned_and_a_lot_freezes_the_version_in_force(app):
    app.end_inspection_plan_version("RM-WASHER", Stage.INCOMING, "V1", DEC[9])
    app.save_inspection_plan("RM-WASHER", Stage.INCOMING, replace(
        IQC, version="V2", effective_from=DEC[10],
        sampling=SamplingRule(SamplingMethod.FULL)))
    overlap = refused(app, BusinessRuleViolation, app.save_inspection_plan, "RM-WASHER",
                      Stage.INCOMING, replace(IQC, version="V3", effective_from=DEC[10]))
    assert overlap.code == "VERSIONS_OVERLAP"
    receive_washers_and_rod(app, DEC[12])
    il = lot(app, "IL-000001")
    assert (il.plan_version, il.sampling.sample_size, il.sampling.full) == ("V2", 500, True)


def test_applying_the_yield_recommendation_sets_the_items_scrap_factor(app):
    _assemblies_completed(app)
    dispose(app, "NCR-000003", K.SCRAP, "20", DEC[15], reason="划痕严重")
    out = app.apply_yield_recommendation("FG-ASSY").value
    assert (out.scrap_factor, out.previous, out.observed_yield, out.lots) == (
        "0.2000", "0", "0.8000", 1)
    from domain.catalog.items import item_id

    assert app.repository.get(item_id("FG-ASSY")).spec.planning.scrap_factor == Dec("0.2000")
    none = refused(app, BusinessRuleViolation, app.apply_yield_recommendation, "RM-ROD")
    assert none.code == "NO_INSPECTED_LOTS"


# -- bad input ----------------------------------------------------------------------------------
LOOK = Characteristic("LOOK", "外观", CharacteristicKind.ATTRIBUTE, defect_codes=("BURR",))


@pytest.mark.parametrize("call, exc, detail", [
    (lambda a: a.save_inspection_plan("NO-ITEM", Stage.INCOMING, IQC), NotFound, "Item"),
    (lambda a: a.save_inspection_plan("RM-ROD", Stage.INCOMING, replace(
        IQC, characteristics=())), ValidationError, "characteristics"),
    (lambda a: a.save_inspection_plan("RM-ROD", Stage.INCOMING, replace(
        IQC, sampling=SamplingRule(SamplingMethod.GB2828, Dec("0.4")))), ValidationError,
     "aql"),
    (lambda a: a.save_inspection_plan("SA-PIN", Stage.IN_PROCESS, IQC, "OP99"),
     BusinessRuleViolation, "NO_SUCH_OPERATION"),
    (lambda a: a.save_inspection_plan("RM-ROD", Stage.INCOMING, replace(IQC, blocks_next=True)),
     ValidationError, "blocksNext"),
    (lambda a: a.save_inspection_plan("RM-ROD", Stage.INCOMING, replace(IQC, characteristics=(
        Characteristic("DIA", "d", CharacteristicKind.MEASURED, lower=Dec("2"),
                       upper=Dec("1")),))), ValidationError, "characteristics.0.upper"),
    (lambda a: a.save_inspection_plan("RM-WASHER", Stage.INCOMING, IQC), BusinessRuleViolation,
     "VERSION_EXISTS"),
    (lambda a: a.end_inspection_plan_version("RM-ROD", Stage.FINAL, "V1", DEC[9]),
     BusinessRuleViolation, "NO_PLAN"),
    (lambda a: a.record_inspection("IL-000099", DEC[3], [], []), NotFound, "InspectionLot"),
    (lambda a: a.record_inspection("IL-000001", DEC[3], [Measurement("LOOK", ("1",) * 50)], []),
     ValidationError, "measurements.0.characteristic"),
    (lambda a: a.record_inspection("IL-000001", DEC[3], [], [DefectCount("LOOK", "DENT", 1)]),
     ValidationError, "defects.0.defectCode"),
    (lambda a: a.record_inspection("IL-000001", DEC[3], [], [DefectCount("LOOK", "BURR", 51)]),
     ValidationError, "defects.0.count"),
    (lambda a: a.record_inspection("IL-000001", DEC[1], [], []), ValidationError,
     "inspectedOn"),
    (lambda a: a.record_inspection("IL-000001", DEC[3], [], [], "-1"), ValidationError,
     "hours"),
    (lambda a: a.release_inspection("IL-000001", DEC[3]), BusinessRuleViolation, "NOT_HELD"),
    (lambda a: a.override_inspection("IL-000001", DEC[3], "1", "why"), BusinessRuleViolation,
     "NOT_HELD"),
    (lambda a: a.set_quality_settings(replace(POLICY, scrap_account="6602")), ValidationError,
     "scrapAccount"),
    (lambda a: a.set_quality_settings(replace(POLICY, supplier_threshold=Dec("1.5"))),
     ValidationError, "supplierThreshold"),
    (lambda a: a.apply_yield_recommendation("RM-ROD", 101), ValidationError, "lots"),
    (lambda a: a.record_inspection("IL-000001", DEC[3], [], [], ctx=CommandContext(
        roles=frozenset({"accountant"}))), PermissionDenied, ""),
    (lambda a: a.dispose_nonconformance("NCR-000001", DEC[5], DispositionInput(
        K.SCRAP, "1"), ctx=CommandContext(roles=frozenset({"storekeeper"}))),
     PermissionDenied, ""),
])
def test_bad_input_is_refused_with_a_typed_error_and_writes_nothing(app, call, exc, detail):
    receive_washers_and_rod(app)
    error = refused(app, exc, call, app)
    assert detail in (getattr(error, "field", "") or getattr(error, "code", "")
                      or getattr(error, "kind", "") or "")


def test_a_retried_inspection_with_its_key_is_recorded_once(app):
    receive_washers_and_rod(app)
    ctx = CommandContext(actor="zhang", idempotency_key="il-1", roles=frozenset({"inspector"}))
    first = app.record_inspection("IL-000001", DEC[3], [], [DefectCount("LOOK", "BURR", 1)],
                                  ctx=ctx)
    again = app.record_inspection("IL-000001", DEC[3], [], [DefectCount("LOOK", "BURR", 1)],
                                  ctx=ctx)
    assert again.replayed and again.value == first.value
    with pytest.raises(Conflict):
        app.record_inspection("IL-000001", DEC[3], [], [DefectCount("LOOK", "BURR", 2)],
                              ctx=ctx)


def test_every_quality_save_is_what_a_replay_rebuilds(app):
    _assemblies_completed(app, rejected=False)
    ids = [r.originator_id for r in app.recorder.select_notifications(1, 1_000_000)
           if r.topic.startswith("domain.quality.")]
    for agg_id in set(ids):
        kept = app.repository.get(agg_id)
        replayed = None
        for stored in app.repository.event_store.get(agg_id):
            replayed = stored.mutate(replayed)
        assert {k: v for k, v in vars(kept).items() if k != "_pending_events"} == \
            {k: v for k, v in vars(replayed).items() if k != "_pending_events"}, agg_id
    assert isinstance(ids[0], uuid.UUID)
    assert FQC.version == "V1"


# -- quarantine holds ---------------------------------------------------------------------------
def _holds(app, item: str, warehouse: str) -> dict[str, tuple[str, Dec, str]]:
    """holder -> (bin, qty, reason) of a stock balance's quality holds."""
    from domain.inventory.stock import stock_id

    b = app.repository.get(stock_id(item, warehouse))
    return {k: (f"{h.location}|{h.lot}", h.qty, h.reason) for k, h in b.holds.items()}


def _out_of_qc(item: str, qty: str, to_warehouse: str = "WH-RM", to_location: str = "A1"):
    from domain.inventory.handlers import TransferLineInput

    return [TransferLineInput(item, qty, "WH-RM", to_warehouse, "QC", to_location)]


def test_units_awaiting_a_decision_or_disposition_leave_quarantine_only_by_it(app):
    from domain.inventory.handlers import AdjustmentLineInput, CountLineInput
    from domain.inventory.stock import StockOnHold

    po, _ = receive_washers_and_rod(app)
    assert _holds(app, "RM-WASHER", "WH-RM") == {"IL-000001": ("QC|", Dec("500"), "inspection")}
    # No stock document takes held units: a transfer inside or out of the warehouse,
    # a count, an adjustment, a return to the supplier; each is refused naming the lot.
    for call, args in [
        (app.transfer_stock, (DEC[3], _out_of_qc("RM-WASHER", "1"))),
        (app.transfer_stock, (DEC[3], _out_of_qc("RM-WASHER", "500", "WH-FG", "F1"))),
        (app.count_stock, (DEC[3], "WH-RM", [CountLineInput("RM-WASHER", "499", "QC")])),
        (app.adjust_stock, (DEC[3], [AdjustmentLineInput("RM-WASHER", "WH-RM", "-1",
                                                         location="QC")], "1901", "lost")),
        (app.return_to_supplier, (po, DEC[3], [MoveLineInput(1, "1", location="QC")])),
    ]:
        error = refused(app, StockOnHold, call, *args)
        assert (error.code, error.holders) == ("STOCK_ON_HOLD", ("IL-000001",))
        assert error.message.startswith(
            "RM-WASHER in WH-RM/QC is held by quality (IL-000001 500 awaiting its decision): "
            "0 may leave")
    assert on_hand(app, "RM-WASHER", "WH-RM") == (Dec("500"), Dec("200.00"), {"QC|": 500})
    # The override releases 480 (TR-000001); the NCR now holds the 20 rejected.
    iqc_overridden(app)
    assert _holds(app, "RM-WASHER", "WH-RM") == {
        "NCR-000001": ("QC|", Dec("20"), "disposition")}
    error = refused(app, StockOnHold, app.transfer_stock, DEC[5], _out_of_qc("RM-WASHER", "1"))
    assert error.holders == ("NCR-000001",) and "NCR-000001 20 awaiting its disposition" in \
        error.message
    # Put into quarantine by hand, units are no quality record's: they may leave again.
    from domain.inventory.handlers import TransferLineInput

    app.transfer_stock(DEC[5], [TransferLineInput("RM-WASHER", "30", "WH-RM", "WH-RM", "A1",
                                                  "QC")])
    assert refused(app, StockOnHold, app.transfer_stock, DEC[5],
                   _out_of_qc("RM-WASHER", "31")).message.count("30 may leave, 31 requested")
    moved = app.transfer_stock(DEC[5], _out_of_qc("RM-WASHER", "30")).value
    assert moved.number == "TR-000003"
    assert on_hand(app, "RM-WASHER", "WH-RM")[2] == {"A1|": 480, "QC|": 20}
    # The disposition returns 12 and scraps 8: each releases what it takes.
    dispose(app, "NCR-000001", K.RETURN_TO_SUPPLIER, "12")
    assert _holds(app, "RM-WASHER", "WH-RM") == {"NCR-000001": ("QC|", Dec("8"), "disposition")}
    dispose(app, "NCR-000001", K.SCRAP, "8")
    assert _holds(app, "RM-WASHER", "WH-RM") == {}
    assert on_hand(app, "RM-WASHER", "WH-RM") == (Dec("480"), Dec("192.00"), {"A1|": 480})


def test_a_final_lot_is_held_until_decided_and_its_reworked_units_by_their_new_lot(app):
    _assemblies_completed(app)  # IL-000004 rejected: NCR-000003 holds the 100 assemblies
    assert _holds(app, "FG-ASSY", "WH-FG") == {"NCR-000003": ("QC|", Dec("100"), "disposition")}
    from domain.inventory.handlers import TransferLineInput

    out = [TransferLineInput("FG-ASSY", "1", "WH-FG", "WH-FG", "QC", "F1")]
    assert refused(app, BusinessRuleViolation, app.transfer_stock, DEC[15], out).code == \
        "STOCK_ON_HOLD"
    dispose(app, "NCR-000003", K.REWORK, "60", DEC[15], labor_hours="1", work_center="WC-ASSY")
    assert _holds(app, "FG-ASSY", "WH-FG") == {
        "NCR-000003": ("QC|", Dec("40"), "disposition"),
        "IL-000005": ("QC|", Dec("60"), "inspection")}
    dispose(app, "NCR-000003", K.USE_AS_IS, "40", DEC[15], reason="划痕不影响装配功能",
            approver="王厂长")
    assert _holds(app, "FG-ASSY", "WH-FG") == {"IL-000005": ("QC|", Dec("60"), "inspection")}
    app.record_inspection("IL-000005", DEC[16], [], [DefectCount("LOOK", "SCRATCH", 0)])
    assert _holds(app, "FG-ASSY", "WH-FG") == {}
    assert on_hand(app, "FG-ASSY", "WH-FG") == (Dec("100"), Dec("610.00"), {"F1|": 100})
