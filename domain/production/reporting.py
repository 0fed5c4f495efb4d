"""Shop-floor reporting's command handlers: an operation's report (报工),
also by scanning the traveller's code.

A report is decided in named steps: parse and check the input against the
order (``_parsed``, ``_check_operator``), cost the hours at the work
center's rates (``_costed``: Dr 400101 / Cr 2211 labour, Cr 4101 overhead
applied, abnormal scrap Dr 5711), backflush (倒冲) the materials the
operation consumes (``_backflush``), then post one voucher and record the
backflush document and the report in the same save (``_post``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.catalog import lookups
from domain.catalog.engineering import (
    IssueMethod,
    Operator,
    ProductionSettings,
    WorkCenter,
    check_op_no,
    operator_id,
)
from domain.catalog.lookups import work_center
from domain.commands import recorded_as
from domain.equipment.lookups import reported_equipment
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory.documents import DocumentKind, DocumentLine, StockDocument
from domain.inventory.recording import post_document, stock
from domain.ledger.voucher import Voucher
from domain.production.costing import Wip, hours_cost, relief
from domain.production.inputs import QTY, ReportInput, hours, quantity_or_zero
from domain.production.lookups import production_settings, work_order
from domain.production.materials import issue_component
from domain.production.work_orders import (
    MaterialRequirement,
    Report,
    WorkOrder,
    parse_scan_code,
)
from domain.quality import intake
from domain.unit_of_work import UnitOfWork

WAGES_PAYABLE = "2211"  # 应付职工薪酬
OVERHEAD_APPLIED = "4101"  # 制造费用
ABNORMAL_LOSS = "5711"  # 营业外支出


@dataclass(frozen=True)
class ReportResult:
    number: str
    op_no: str
    entry_id: str
    voucher_no: str
    flagged: str


# -- reporting ------------------------------------------------------------------------------
def report_operation(uow: UnitOfWork, number: str, op_no: str, posting_date: date,
                     report: ReportInput) -> ReportResult:
    """报工: quantities, hours (labor and overhead applied at the work
    center's rates), operator and equipment; backflush lines of the
    operation are issued in the same save."""
    wo = work_order(uow, number)
    op_no = check_op_no(op_no, "opNo")
    checked = _parsed(wo, op_no, posting_date, report)
    center = work_center(uow, wo.operation(checked.op_no).work_center)
    settings = production_settings(uow)
    flagged = _check_operator(uow, checked.operator, center.spec.code, settings)
    if checked.equipment:
        checked = replace(checked, equipment=reported_equipment(
            uow, checked.equipment, center.spec.code, "equipment"))
    voucher = Voucher()
    labor, overhead = _costed(voucher, checked, center, settings.wip_account)
    moves = _backflush(uow, wo, checked, voucher, settings.wip_account)
    scrap_cost = _abnormal_scrap(voucher, wo, checked, labor, overhead, settings)
    entry_id, voucher_no = _post(uow, wo, checked, voucher, moves)
    wo.record_report(Report(
        checked.op_no, checked.good, checked.scrap, checked.scrap_reason, checked.rework,
        checked.labor_hours, checked.machine_hours, checked.operator, checked.equipment,
        posting_date, labor, overhead, scrap_cost, flagged, entry_id,
    ))
    intake.operation_reported(uow, wo, checked.op_no, checked.good, checked.processed,
                              posting_date)  # IPQC; held units of the previous operation
    return ReportResult(wo.number, checked.op_no, entry_id, voucher_no, flagged)


def _scan_payload(code: str, posting_date: date, report: ReportInput) -> tuple:
    return (code.strip().upper(), posting_date, report)


@recorded_as("report_operation", payload=_scan_payload)
def report_by_scan(uow: UnitOfWork, code: str, posting_date: date,
                   report: ReportInput) -> ReportResult:
    """The scanner's report: ``WO-000123/OP20`` plus quantities (idempotent by key)."""
    number, op_no = parse_scan_code(code)
    return report_operation(uow, number, op_no, posting_date, report)


@dataclass(frozen=True)
class _Checked:
    """A report's input, parsed and checked against the order."""

    op_no: str
    day: date
    good: Decimal
    scrap: Decimal
    scrap_reason: str
    rework: Decimal
    labor_hours: Decimal
    machine_hours: Decimal
    operator: str
    equipment: str

    @property
    def processed(self) -> Decimal:
        return self.good + self.scrap


def _parsed(wo: WorkOrder, op_no: str, day: date, rep: ReportInput) -> _Checked:
    good, scrap = quantity_or_zero(rep.good, "good"), quantity_or_zero(rep.scrap, "scrap")
    rework = quantity_or_zero(rep.rework, "rework")
    labor_h = hours(rep.labor_hours, "laborHours")
    machine_h = hours(rep.machine_hours, "machineHours")
    if not (good or scrap or rework or labor_h or machine_h):
        raise ValidationError("a report needs a quantity or hours", "good")
    if scrap and not (rep.scrap_reason or "").strip():
        raise ValidationError("scrap needs a reason", "scrapReason")
    wo.check_report(op_no, good, scrap)
    return _Checked(
        op_no, day, good, scrap, (rep.scrap_reason or "").strip()[:200], rework, labor_h,
        machine_h, (rep.operator or "").strip().upper(), (rep.equipment or "").strip(),
    )


def _check_operator(uow: UnitOfWork, code: str, center: str,
                    settings: ProductionSettings) -> str:
    """Why the report is flagged ("" = not): an operator not qualified for the
    work center, when the settings allow it at all."""
    if not code:
        return ""
    person: Operator = uow.peek(operator_id(code),
                                NotFound(f"operator {code} does not exist", "Operator", code))
    if person.qualified_for(center):
        return ""
    if not settings.allow_unqualified_reports:
        raise BusinessRuleViolation(
            "OPERATOR_NOT_QUALIFIED",
            f"operator {code} is not qualified for work center {center}",
        )
    return f"operator {code} not qualified for {center}"


def _costed(voucher: Voucher, rep: _Checked, center: WorkCenter,
            wip: str) -> tuple[Decimal, Decimal]:
    """Labour and overhead applied (overhead by machine hours, else labour
    hours), Dr WIP / Cr 2211 and 4101."""
    labor = hours_cost(rep.labor_hours, center.spec.labor_rate)
    overhead = hours_cost(rep.machine_hours or rep.labor_hours, center.spec.overhead_rate)
    voucher.debit(wip, labor + overhead).credit(WAGES_PAYABLE, labor)
    voucher.credit(OVERHEAD_APPLIED, overhead)
    return labor, overhead


def _abnormal_scrap(voucher: Voucher, wo: WorkOrder, rep: _Checked, labor: Decimal,
                    overhead: Decimal, settings: ProductionSettings) -> Decimal:
    """Scrap's cost to 5711 when the settings post abnormal scrap apart, valued
    like a completion would be after this report's costs (the order's WIP
    already holds this report's backflushed material)."""
    if not (rep.scrap and settings.abnormal_scrap_to_5711):
        return Decimal("0.00")
    pending = wo.wip.plus(Wip(labor=labor, overhead=overhead))
    scrap_cost = relief(pending, rep.scrap, wo.units_expected).total
    voucher.debit(ABNORMAL_LOSS, scrap_cost).credit(settings.wip_account, scrap_cost)
    return scrap_cost


# -- backflush (倒冲) -------------------------------------------------------------------------
def _backflush(uow: UnitOfWork, wo: WorkOrder, rep: _Checked, voucher: Voucher,
               wip: str) -> list[DocumentLine]:
    """Issue the backflush lines this operation consumes, for what it processed."""
    moves: list[DocumentLine] = []
    if not rep.processed:
        return moves
    for req in list(wo.materials.values()):
        if req.issue_method is not IssueMethod.BACKFLUSH or req.operation != rep.op_no:
            continue
        qty = (rep.processed * req.qty_per * (1 + req.scrap_allowance)).quantize(QTY)
        if qty:
            moves.extend(_backflush_line(uow, wo, req, qty, rep.day, voucher, wip,
                                         len(moves) + 1))
    return moves


def _backflush_line(uow: UnitOfWork, wo: WorkOrder, req: MaterialRequirement, qty: Decimal,
                    day: date, voucher: Voucher, wip: str,
                    doc_line: int) -> list[DocumentLine]:
    """Issue ``qty`` of a backflush component, lot by lot for lot-tracked ones."""
    comp = lookups.item(uow, req.component)
    wh = lookups.warehouse(uow, comp.spec.default_warehouse or wo.warehouse)
    if not comp.spec.lot_tracked:
        return [issue_component(uow, wo, req, qty, day, voucher, wip, doc_line, wh.code)]
    balance = stock(uow, comp.code, wh.code)
    lines: list[DocumentLine] = []
    left = qty
    loc = wh.default_location
    for key in sorted(k for k in balance.bins if k.startswith(loc + "|")):
        take = min(left, balance.bins[key])
        if take > 0:
            lines.append(issue_component(uow, wo, req, take, day, voucher, wip,
                                         doc_line + len(lines), wh.code, loc,
                                         key.split("|", 1)[1]))
            left -= take
        if not left:
            return lines
    balance.check_can_issue(left, loc, "")  # raises INSUFFICIENT_STOCK
    return lines


# -- posting ----------------------------------------------------------------------------------
def _post(uow: UnitOfWork, wo: WorkOrder, rep: _Checked, voucher: Voucher,
          moves: list[DocumentLine]) -> tuple[str, str]:
    """Post the report's voucher under the entry id the backflush movements
    named, and add the backflush's issue document; (entry id, voucher no)."""
    entry_id, voucher_no = post_document(
        uow, voucher, rep.day, f"{wo.number} {rep.op_no} 报工 report", "operation_report",
        f"{wo.number}/{rep.op_no}", uow.entry_id,
    )
    uow.check_posted(entry_id)
    if moves:
        uow.add(StockDocument(
            kind=DocumentKind.MATERIAL_ISSUE,
            number=uow.document_number,  # taken by the first backflush movement
            posting_date=rep.day,
            lines=tuple(moves),
            order=wo.number,
            entry_id=entry_id,
            voucher_no=voucher_no,
            note="倒冲 backflush",
        ))
    return entry_id, voucher_no


HANDLERS = (report_operation, report_by_scan)
