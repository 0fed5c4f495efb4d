"""Dispositions of nonconformance reports (不合格品处置), each with its postings
in the save that records it. A disposition crosses contexts: returning goods
changes the purchase order (and, once invoiced, the supplier's payables),
scrapping or reworking work in process changes the work order. Quality keeps
the report, its rules and the quarantine moves (``domain/quality``); this
handler decides which applies and adds them up:

Units in quarantine are held by the report until disposed of: each
disposition releases its quantity from the report's hold before it moves it
(or, reworked, hands it to the re-inspection's lot).

- return to supplier: out of quarantine at the price received (residue to
  5401, as ``return_to_supplier``). The part the receipt still holds as an
  estimate reduces 220202; the part already invoiced is a debit note
  (红字进项, DN-000001): Dr 220201 price + VAT / Cr 22210101 VAT, with a
  negative payable open item, so open items = 220201 still.
- scrap: purchased material Dr 1901 / Cr stock, then Dr 5711 or 4101 / Cr
  1901 (quality settings); made goods by the abnormal-scrap rule; work in
  process: the units move from good to scrap on their operation (a report
  of good -q, scrap +q, Dr 5711 / Cr WIP when abnormal scrap is posted apart).
- rework: hours at a work center's rates, Dr WIP / Cr 2211, 4101 (a rework
  report on the operation, or, for goods in quarantine, into their value);
  the units are inspected again when a plan is in force.
- use as is: approver and reason; the units are released (or the operation
  unblocked) and the concession recorded on the inspection lot.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from domain.catalog import lookups as catalog
from domain.catalog.warehouses import QUARANTINE
from domain.errors import BusinessRuleViolation, ValidationError
from domain.finance.open_items import Ledger, OpenItem
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, DocumentLine, document_id
from domain.inventory.recording import movement, record_document, stock
from domain.inventory.valuation import return_out
from domain.invoicing.purchase_posting import invoiced
from domain.ledger.entries import SourceRef
from domain.ledger.voucher import Voucher
from domain.money import parse_quantity, round_amount
from domain.production.costing import relief
from domain.production.inputs import hours
from domain.production.lookups import production_settings, work_order
from domain.production.work_orders import Report, WorkOrder
from domain.purchasing import purchase_order
from domain.quality import quarantine
from domain.quality.inspections import LotSource
from domain.quality.intake import open_lot
from domain.quality.judging import count_loss
from domain.quality.lookups import gate, inspection_lot, nonconformance, plan_in_force, policy
from domain.quality.nonconformance import Disposition, DispositionKind, Nonconformance
from domain.quality.plans import Stage
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
PAYABLE = "220201"  # 应付账款-供应商
INPUT_VAT = "22210101"  # 应交税费-应交增值税-进项税额
ESTIMATE = posting.GOODS_RECEIVED_NOT_INVOICED  # 220202
ABNORMAL_LOSS = "5711"
WAGES_PAYABLE = "2211"
OVERHEAD_APPLIED = "4101"
DEBIT_NOTE = "DN"


@dataclass(frozen=True)
class DispositionInput:
    kind: DispositionKind
    qty: Any
    reason: str = ""
    approver: str = ""  # use as is: who granted the concession
    labor_hours: Any = "0"  # rework
    machine_hours: Any = "0"  # rework
    work_center: str = ""  # rework: default the operation's


@dataclass(frozen=True)
class DispositionResult:
    number: str
    seq: int
    kind: str
    qty: str
    cost: str
    document: str
    entry_id: str
    reinspection: str
    open_qty: str


@dataclass(frozen=True)
class _Done:
    document: str = ""
    entry_id: str = ""
    cost: Decimal = ZERO
    reinspection: str = ""


def _text(value: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(f"{field}: at most {limit} characters", field)
    return text


def dispose_nonconformance(uow: UnitOfWork, number: str, posting_date: date,
                           disposition: DispositionInput) -> DispositionResult:
    """Dispose of ``disposition.qty`` of an NCR's open quantity, posting it."""
    ncr = nonconformance(uow, number)
    qty = parse_quantity(disposition.qty, "qty")
    reason = _text(disposition.reason, "reason", 200)
    approver = _text(disposition.approver, "approver", 100)
    kind = disposition.kind
    ncr.check_disposition(kind, qty, approver, reason)
    day = uow.business_date(posting_date)
    done = _STEPS[kind](uow, ncr, qty, day, disposition)
    seq = len(ncr.dispositions) + 1
    ncr.dispose(Disposition(seq, kind, qty, day, done.cost, done.document, done.entry_id,
                            approver, reason, done.reinspection))
    if kind in (DispositionKind.SCRAP, DispositionKind.RETURN_TO_SUPPLIER):
        count_loss(uow, ncr, qty, day)
    return DispositionResult(ncr.number, seq, kind.value, str(qty), str(done.cost),
                             done.document, done.entry_id, done.reinspection,
                             str(ncr.open_qty))


# -- return to supplier --------------------------------------------------------------------------
def _return(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date,
            _: DispositionInput) -> _Done:
    src = ncr.source
    po = purchase_order(uow, src.order)
    line = po.check_returnable(src.order_line, qty)
    product = catalog.item(uow, ncr.item)
    quarantine.unhold(uow, ncr.number, ncr.item, ncr.warehouse, qty, day)
    balance = stock(uow, ncr.item, ncr.warehouse)
    balance.check_can_issue(qty, QUARANTINE, ncr.lot, allow_quarantine=True)
    price = line.returnable_value(qty)
    stock_value, residue = return_out(balance.qty, balance.value, qty, price)
    estimate_qty = min(qty, max(_receipt_qty(uow, src) - invoiced(uow, src.document, src.line)
                                - ncr.returned, Decimal(0)))
    estimate = price if estimate_qty == qty else round_amount(price * estimate_qty / qty)
    voucher = Voucher().debit(ESTIMATE, estimate)
    note = f"NCR {ncr.number}"
    debit_note = ""
    if price - estimate:
        debit_note = uow.number(DEBIT_NOTE)
        vat = round_amount((price - estimate) * line.vat_rate)
        voucher.debit(PAYABLE, price - estimate + vat).credit(INPUT_VAT, vat)
        uow.add(OpenItem(Ledger.PAYABLE, PAYABLE, po.supplier, "debit_note", debit_note, day,
                         day, -(price - estimate + vat)))
        note += f", debit note {debit_note}"
    voucher.credit(product.inventory_account, stock_value).credit(posting.COST_OF_SALES,
                                                                   residue)
    balance.issue(qty, stock_value, QUARANTINE, ncr.lot, day,
                  movement(uow, DocumentKind.SUPPLIER_RETURN, 1), allow_quarantine=True)
    po.return_goods(src.order_line, qty, price, day, ncr.warehouse)
    moved = DocumentLine(1, ncr.item, ncr.warehouse, QUARANTINE, ncr.lot, -qty, -stock_value,
                         order_line=src.order_line, note=note)
    result = record_document(uow, DocumentKind.SUPPLIER_RETURN, day, voucher, [moved],
                             f"质量退货 return {po.number} {ncr.number}", party=po.supplier,
                             order=po.number, note=note, already_moved=True)
    return _Done(result.number, result.entry_id)


def _receipt_qty(uow: UnitOfWork, src: LotSource) -> Decimal:
    doc = uow.peek(document_id(src.document))
    return next(ln.qty for ln in doc.lines if ln.line_no == src.line)


# -- scrap ----------------------------------------------------------------------------------------
def _scrap(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date,
           _: DispositionInput) -> _Done:
    if ncr.origin is Stage.IN_PROCESS:
        return _scrap_wip(uow, ncr, qty, day)
    quarantine.unhold(uow, ncr.number, ncr.item, ncr.warehouse, qty, day)
    if ncr.origin is Stage.INCOMING:
        written = quarantine.scrap_material(uow, ncr.item, ncr.warehouse, ncr.lot, qty,
                                            policy(uow).scrap_account, day, ncr.number)
    else:
        written = quarantine.scrap_goods(uow, ncr.item, ncr.warehouse, ncr.lot, qty, day,
                                         ncr.number)
    return _Done(written.document.number, written.document.entry_id, written.cost)


def _operation_check(wo: WorkOrder, op_no: str, qty: Decimal) -> None:
    """The units are still where the NCR found them: not taken by the next
    operation, nor completed."""
    wo.check_working()
    op = wo.operation(op_no)
    i = wo.op_order.index(op_no)
    taken = (wo.operations[wo.op_order[i + 1]].processed if i + 1 < len(wo.op_order)
             else wo.completed)
    if taken > op.good - qty:
        raise BusinessRuleViolation(
            "ALREADY_PROCESSED",
            f"{wo.number}: the next step already took {taken.normalize():f} of the "
            f"{op.good.normalize():f} units {op_no} reported good")


def _scrap_wip(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date) -> _Done:
    wo = work_order(uow, ncr.source.order)
    op_no = ncr.source.operation
    _operation_check(wo, op_no, qty)
    settings = production_settings(uow)
    loss = relief(wo.wip, qty, wo.units_expected).total
    posted = loss if settings.abnormal_scrap_to_5711 else ZERO
    entry_id = ""
    if posted:
        entry_id = str(uow.post(day, f"{wo.number} {op_no} 不合格品报废 scrap {ncr.number}",
                                Voucher().debit(ABNORMAL_LOSS, posted)
                                .credit(settings.wip_account, posted).lines(),
                                SourceRef("ncr_scrap", ncr.number)).id)
    else:
        uow.business_date(day)
    wo.record_report(Report(op_no, -qty, qty, f"NCR {ncr.number}", Decimal(0), Decimal(0),
                            Decimal(0), "", "", day, ZERO, ZERO, posted, "", entry_id))
    gate(uow, wo.number, op_no).release(ncr.number, qty)
    return _Done("", entry_id, loss)


# -- rework ---------------------------------------------------------------------------------------
def _rework(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date,
            given: DispositionInput) -> _Done:
    labor_h, machine_h = hours(given.labor_hours, "laborHours"), hours(given.machine_hours,
                                                                       "machineHours")
    center = (given.work_center or "").strip().upper() or ncr.source.work_center
    if not center:
        raise ValidationError("rework of goods names the work center doing it", "workCenter")
    labor, overhead = quarantine.rework_cost(uow, center, labor_h, machine_h)
    if ncr.origin is Stage.IN_PROCESS:
        entry_id = _rework_wip(uow, ncr, qty, day, labor_h, machine_h, labor, overhead)
    else:
        entry_id, _ = quarantine.rework_goods(uow, ncr.item, ncr.warehouse, labor, overhead,
                                              day, ncr.number)
    return _Done("", entry_id, labor + overhead, _reinspect(uow, ncr, qty, day))


def _rework_wip(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date,
                labor_h: Decimal, machine_h: Decimal, labor: Decimal, overhead: Decimal) -> str:
    wo = work_order(uow, ncr.source.order)
    op_no = ncr.source.operation
    _operation_check(wo, op_no, qty)
    wip = production_settings(uow).wip_account
    entry_id = ""
    if labor + overhead:
        voucher = Voucher().debit(wip, labor + overhead).credit(WAGES_PAYABLE, labor)
        voucher.credit(OVERHEAD_APPLIED, overhead)
        entry_id = str(uow.post(day, f"{wo.number} {op_no} 返工 rework {ncr.number}",
                                voucher.lines(), SourceRef("rework", ncr.number)).id)
    else:
        uow.business_date(day)
    wo.record_report(Report(op_no, Decimal(0), Decimal(0), "", qty, labor_h, machine_h, "",
                            "", day, labor, overhead, ZERO, "", entry_id))
    return entry_id


def _reinspect(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date) -> str:
    """The reworked units' new inspection lot (their quarantine or hold goes on);
    none when no plan is in force any more: they are released."""
    src = ncr.source
    version = plan_in_force(uow, ncr.item, ncr.origin, day, src.operation)
    held = gate(uow, src.order, src.operation) if ncr.origin is Stage.IN_PROCESS else None
    if held is not None:
        held.release(ncr.number, qty)
    else:
        quarantine.unhold(uow, ncr.number, ncr.item, ncr.warehouse, qty, day)
    if version is None:
        if ncr.origin is not Stage.IN_PROCESS:
            quarantine.release(uow, ncr.item, ncr.warehouse, ncr.lot, qty, ncr.location, day,
                               f"返工放行 release {ncr.number}", f"reworked {ncr.number}")
        return ""
    source = replace(src, reinspects=ncr.number, first_lot=src.first_lot or ncr.inspection_lot)
    lot = open_lot(uow, version, ncr.origin, ncr.item, qty, ncr.warehouse, ncr.location,
                   ncr.lot, source, day)
    if held is not None and version.blocks_next:
        held.hold(lot.number, qty)
    return lot.number


# -- use as is ------------------------------------------------------------------------------------
def _use_as_is(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date,
               given: DispositionInput) -> _Done:
    document = ""
    if ncr.origin is Stage.IN_PROCESS:
        gate(uow, ncr.source.order, ncr.source.operation).release(ncr.number, qty)
        uow.business_date(day)
    else:
        quarantine.unhold(uow, ncr.number, ncr.item, ncr.warehouse, qty, day)
        document = quarantine.release(
            uow, ncr.item, ncr.warehouse, ncr.lot, qty, ncr.location, day,
            f"让步接收 concession {ncr.number}", f"use as is {ncr.number}").number
    inspection_lot(uow, ncr.inspection_lot).concede(ncr.number, qty, given.approver.strip(),
                                                    given.reason.strip(), day)
    return _Done(document)


_STEPS = {
    DispositionKind.RETURN_TO_SUPPLIER: _return,
    DispositionKind.SCRAP: _scrap,
    DispositionKind.REWORK: _rework,
    DispositionKind.USE_AS_IS: _use_as_is,
}

HANDLERS = (dispose_nonconformance,)
