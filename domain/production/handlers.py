"""Work orders' command handlers: create, release, hold, cancel, start, pause
and resume an operation, material issue and return, completion and close
(operation reporting: ``reporting.py``).

Every fact that moves value saves, in one atomic save, the work order, the
stock balances, the stock document and the journal entry its costing rule
makes: issue Dr 400101 / Cr inventory; completion Dr inventory / Cr 400101;
close: the WIP remainder to the variance accounts. Each handler is
``handle(uow, ...) -> result`` (``domain/unit_of_work.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.catalog import lookups
from domain.catalog.engineering import check_op_no
from domain.errors import ValidationError
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.recording import DocumentResult, post_document, record_document
from domain.ledger.voucher import Voucher
from domain.money import parse_quantity
from domain.production import materials
from domain.production.costing import relief
from domain.production.inputs import MaterialLineInput
from domain.production.lookups import (
    new_work_order,
    production_settings,
    shortages_of,
    work_order,
)
from domain.production.work_orders import OperationStatus, WorkOrder
from domain.quality import intake
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class WorkOrderResult:
    number: str
    status: str


def _result(wo: WorkOrder) -> WorkOrderResult:
    return WorkOrderResult(wo.number, wo.status.value)


# -- the order's life -------------------------------------------------------------------
def create_work_order(uow: UnitOfWork, item: str, qty: Any, due_date: date, created_on: date,
                      warehouse: str = "") -> WorkOrderResult:
    """Freeze the BOM and routing versions in force on the creation day."""
    return _result(new_work_order(uow, item, qty, due_date, created_on, warehouse))


def release_work_order(uow: UnitOfWork, number: str) -> WorkOrderResult:
    """Release, or hold with the shortage list (物料到库后再排产)."""
    wo = work_order(uow, number)
    wo.release(shortages_of(uow, wo))
    return _result(wo)


def hold_work_order(uow: UnitOfWork, number: str) -> WorkOrderResult:
    wo = work_order(uow, number)
    wo.hold()
    return _result(wo)


def cancel_work_order(uow: UnitOfWork, number: str) -> WorkOrderResult:
    wo = work_order(uow, number)
    wo.cancel()
    return _result(wo)


# -- operations (reporting: reporting.py) ---------------------------------------------------
def start_operation(uow: UnitOfWork, number: str, op_no: str) -> WorkOrderResult:
    return _set_operation_status(uow, number, op_no, OperationStatus.RUNNING)


def pause_operation(uow: UnitOfWork, number: str, op_no: str) -> WorkOrderResult:
    return _set_operation_status(uow, number, op_no, OperationStatus.PAUSED)


def resume_operation(uow: UnitOfWork, number: str, op_no: str) -> WorkOrderResult:
    return _set_operation_status(uow, number, op_no, OperationStatus.RUNNING)


def _set_operation_status(uow: UnitOfWork, number: str, op_no: str,
                          status: OperationStatus) -> WorkOrderResult:
    wo = work_order(uow, number)
    wo.set_operation_status(check_op_no(op_no, "opNo"), status)
    return _result(wo)


# -- materials ----------------------------------------------------------------------------
def issue_material(uow: UnitOfWork, number: str, posting_date: date,
                   lines: Sequence[MaterialLineInput], reason: str = "") -> DocumentResult:
    """生产领料: Dr 400101 / Cr inventory at moving average."""
    wo = work_order(uow, number)
    if not lines:
        raise ValidationError("a material issue needs at least one line", "lines")
    voucher = Voucher()
    wip = production_settings(uow).wip_account
    moves = []
    for i, ln in enumerate(lines):
        path = f"lines.{i}"
        qty = parse_quantity(ln.qty, f"{path}.qty")
        req = wo.check_issue(ln.line_no, qty, reason)
        moves.append(materials.issue_component(
            uow, wo, req, qty, posting_date, voucher, wip, i + 1,
            ln.warehouse, ln.location, ln.lot, path,
        ))
    return record_document(
        uow, DocumentKind.MATERIAL_ISSUE, posting_date, voucher, moves,
        f"生产领料 {wo.number}", order=wo.number, note=(reason or "").strip()[:200],
        already_moved=True,
    )


def return_material(uow: UnitOfWork, number: str, posting_date: date,
                    lines: Sequence[MaterialLineInput]) -> DocumentResult:
    """退料: unused material back into stock at its issue value."""
    wo = work_order(uow, number)
    if not lines:
        raise ValidationError("a material return needs at least one line", "lines")
    voucher = Voucher()
    moves = []
    wip = production_settings(uow).wip_account
    for i, ln in enumerate(lines):
        path = f"lines.{i}"
        qty = parse_quantity(ln.qty, f"{path}.qty")
        req = wo.material(ln.line_no)
        comp = lookups.item(uow, req.component, f"{path}.item")
        wh = lookups.warehouse(
            uow, ln.warehouse or comp.spec.default_warehouse or wo.warehouse,
            f"{path}.warehouse")
        loc = wh.check_location(ln.location, f"{path}.location")
        lot = lookups.lot(comp, ln.lot, f"{path}.lot")
        value = wo.return_material(ln.line_no, qty)
        voucher.debit(comp.inventory_account, value).credit(wip, value)
        moves.append(DocumentLine(i + 1, comp.code, wh.code, loc, lot, qty, value,
                                  order_line=ln.line_no))
    return record_document(uow, DocumentKind.MATERIAL_RETURN, posting_date, voucher, moves,
                           f"生产退料 {wo.number}", order=wo.number)


# -- completion and close -----------------------------------------------------------------
def complete_work_order(uow: UnitOfWork, number: str, posting_date: date, qty: Any,
                        warehouse: str = "", location: str = "",
                        lot: str = "") -> DocumentResult:
    """完工入库 at actual cost (see domain/production/costing.py for the rule); an
    item with a final inspection plan goes to quarantine with an inspection lot."""
    wo = work_order(uow, number)
    quantity = parse_quantity(qty, "qty")
    wo.check_completion(quantity)
    product = lookups.item(uow, wo.item)
    wh = lookups.warehouse(uow, warehouse or wo.warehouse, "warehouse")
    loc = wh.check_location(location, "location")
    lot_ = (lot or "").strip() or (wo.number if product.spec.lot_tracked else "")
    lot_ = lookups.lot(product, lot_, "lot")
    relieved = relief(wo.wip, quantity, wo.units_expected)
    loc = intake.completion(uow, wo, wh.code, loc, lot_, quantity, relieved.total,
                            posting_date)  # FQC: quarantine; held units stay
    voucher = Voucher()
    voucher.debit(product.inventory_account, relieved.total)
    voucher.credit(production_settings(uow).wip_account, relieved.total)
    genealogy = ",".join(sorted(wo.consumed_lots))
    note = f"consumed lots: {genealogy}"[:200] if genealogy else ""
    moves = [DocumentLine(1, product.code, wh.code, loc, lot_, quantity, relieved.total,
                          note=note)]
    result = record_document(uow, DocumentKind.COMPLETION, posting_date, voucher, moves,
                             f"完工入库 {wo.number}", order=wo.number)
    wo.complete(quantity, relieved, lot_, result.number)
    return result


def close_work_order(uow: UnitOfWork, number: str, posting_date: date) -> WorkOrderResult:
    """Relieve any WIP remainder as variance: material usage, labor
    efficiency and overhead, to the accounts in the production settings."""
    wo = work_order(uow, number)
    settings = production_settings(uow)
    left = wo.wip
    voucher = Voucher()
    for account, value in (
        (settings.material_variance_account, left.material),
        (settings.labor_variance_account, left.labor),
        (settings.overhead_variance_account, left.overhead),
    ):
        voucher.debit(account, value).credit(settings.wip_account, value)
    entry_id = ""
    if voucher:
        entry_id, _ = post_document(uow, voucher, posting_date,
                                    f"{wo.number} 关闭 差异 close variance",
                                    "work_order_close", wo.number)
    wo.close(left, entry_id)
    return _result(wo)


HANDLERS = (
    create_work_order, release_work_order, hold_work_order, cancel_work_order,
    start_operation, pause_operation, resume_operation,
    issue_material, return_material, complete_work_order, close_work_order,
)
