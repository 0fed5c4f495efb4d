"""Issuing a work order's material line: one step of a material issue
(``handlers.issue_material``) and of a backflush (``reporting``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.catalog import lookups
from domain.inventory import backdating
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.recording import movement, stock
from domain.ledger.voucher import Voucher
from domain.production.lookups import work_order
from domain.production.work_orders import MaterialRequirement, WorkOrder
from domain.unit_of_work import UnitOfWork


def issue_component(uow: UnitOfWork, wo: WorkOrder, req: MaterialRequirement, qty: Decimal,
                    day: date, voucher: Voucher, wip_account: str, doc_line: int,
                    warehouse: str = "", location: str = "", lot: str = "",
                    path: str = "lines.0") -> DocumentLine:
    """Issue ``qty`` of a material line at moving average (the document's
    movement, the voucher's lines and the order's WIP); its document line."""
    comp = lookups.item(uow, req.component, f"{path}.item")
    wh = lookups.warehouse(
        uow, warehouse or comp.spec.default_warehouse or wo.warehouse, f"{path}.warehouse")
    loc = wh.check_location(location, f"{path}.location")
    lot = lookups.lot(comp, lot, f"{path}.lot")
    balance = stock(uow, comp.code, wh.code)
    balance.check_can_issue(qty, loc, lot)
    value = balance.value_of(qty)
    balance.issue(qty, value, loc, lot, day, movement(uow, DocumentKind.MATERIAL_ISSUE, doc_line),
                  to=f"{wo.number}/{req.line_no}")
    voucher.debit(wip_account, value).credit(comp.inventory_account, value)
    wo.issue_material(req.line_no, qty, value, lot)
    return DocumentLine(doc_line, comp.code, wh.code, loc, lot, -qty, -value,
                        order_line=req.line_no)


def charge_backdated(uow: UnitOfWork, number: str, line_no: int, amount: Decimal,
                     reference: str) -> bool:
    """A backdated movement's share of what this order's material line
    consumed joins its material WIP, while the order is open for costs."""
    wo = work_order(uow, number)
    if not wo.check_open_for_costs():
        return False
    wo.adjust_material_cost(line_no, amount, reference)
    return True


# Inventory settles backdated movements and sits below production: production
# tells it how to charge an open work order (domain/inventory/backdating.py).
backdating.register_wip_charge(charge_backdated)
