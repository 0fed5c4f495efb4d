"""Where inspection enters the flow of goods: one call each from a receipt
(``incoming``), an operation report (``operation_reported``) and a
completion (``completion``), in the same save as the document that calls it.

A receipt or completion of an item with a plan in force goes to the
warehouse's quarantine location (待检区, ``QC``) instead of the location asked
for (remembered on the lot: accepted units go there), and opens an
inspection lot naming the document. A report of an operation with an
in-process plan opens a lot for the units reported good; a plan that blocks
the next operation holds them until they pass. A report of the next
operation (or a completion after the last one) may take only units no lot
or nonconformance holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Protocol

from domain.catalog.warehouses import QUARANTINE
from domain.errors import BusinessRuleViolation
from domain.inventory.documents import PREFIX as DOCUMENT_PREFIX
from domain.inventory.documents import DocumentKind
from domain.quality import quarantine
from domain.quality.inspections import PREFIX, InspectionLot, LotSource
from domain.quality.lookups import gate, held, plan_in_force
from domain.quality.plans import PlanVersion, Stage
from domain.quality.sampling import plan_for
from domain.unit_of_work import UnitOfWork


class OperationDone(Protocol):
    """What quality reads of one operation of a work order."""

    good: Decimal
    work_center: str

    @property
    def processed(self) -> Decimal: ...


class ProductionOrder(Protocol):
    """What quality reads of a work order (production's ``WorkOrder``)."""

    number: str
    item: str
    warehouse: str
    completed: Decimal
    op_order: Sequence[str]
    operations: Mapping[str, OperationDone]


def lot_size(qty: Decimal) -> int:
    """Whole units to sample from (at least 1)."""
    return max(1, int(qty.to_integral_value(rounding=ROUND_FLOOR)))


def open_lot(uow: UnitOfWork, version: PlanVersion, stage: Stage, item: str, qty: Decimal,
             warehouse: str, location: str, lot: str, source: LotSource,
             day: date) -> InspectionLot:
    """A numbered inspection lot under ``version``, with its sampling plan; an
    IQC or FQC lot holds its units in quarantine until its decision."""
    opened = uow.add(InspectionLot(
        number=uow.number(PREFIX), stage=stage, item=item, qty=qty, warehouse=warehouse,
        location=location, lot=lot, source=source, plan_version=version.version,
        characteristics=version.characteristics,
        sampling=plan_for(version.sampling, lot_size(qty)), opened_on=day,
        blocks_next=version.blocks_next,
    ))
    if opened.quarantined:
        quarantine.hold(uow, opened.number, quarantine.INSPECTION, item, warehouse, lot, qty, day)
    return opened


def incoming(uow: UnitOfWork, item: str, warehouse: str, location: str, lot: str,
             qty: Decimal, value: Decimal, supplier: str, order: str, order_line: int,
             doc_line: int, day: date) -> str:
    """A receipt line: the location its goods go to (quarantine when inspected)."""
    version = plan_in_force(uow, item, Stage.INCOMING, day)
    if version is None:
        return location
    receipt, _ = uow.document(DOCUMENT_PREFIX[DocumentKind.RECEIPT])
    source = LotSource(document=receipt, line=doc_line, supplier=supplier, order=order,
                       order_line=order_line, value=value)
    open_lot(uow, version, Stage.INCOMING, item, qty, warehouse, location, lot, source, day)
    return QUARANTINE


def operation_reported(uow: UnitOfWork, order: ProductionOrder, op_no: str, good: Decimal,
                       processed: Decimal, day: date) -> None:
    """An operation report (already recorded on the order): the units it took
    must not be held by the previous operation; the units it reports good are
    inspected when the operation has an in-process plan."""
    i = list(order.op_order).index(op_no)
    if processed and i > 0:
        previous = order.op_order[i - 1]
        _check_free(uow, order, previous, order.operations[op_no].processed,
                    f"{op_no} of {order.number}")
    version = plan_in_force(uow, order.item, Stage.IN_PROCESS, day, op_no) if good else None
    if version is None:
        return
    source = LotSource(order=order.number, operation=op_no,
                       work_center=order.operations[op_no].work_center)
    lot = open_lot(uow, version, Stage.IN_PROCESS, order.item, good, order.warehouse, "", "",
                   source, day)
    if version.blocks_next:
        gate(uow, order.number, op_no).hold(lot.number, good)


def completion(uow: UnitOfWork, order: ProductionOrder, warehouse: str, location: str,
               lot: str, qty: Decimal, value: Decimal, day: date) -> str:
    """A completion of ``qty`` at ``value``: the location it goes to
    (quarantine when the item has a final plan)."""
    if order.op_order:
        _check_free(uow, order, order.op_order[-1], order.completed + qty,
                    f"the completion of {order.number}")
    version = plan_in_force(uow, order.item, Stage.FINAL, day)
    if version is None:
        return location
    document, _ = uow.document(DOCUMENT_PREFIX[DocumentKind.COMPLETION])
    source = LotSource(document=document, line=1, order=order.number, value=value)
    open_lot(uow, version, Stage.FINAL, order.item, qty, warehouse, location, lot, source, day)
    return QUARANTINE


def _check_free(uow: UnitOfWork, order: ProductionOrder, operation: str, taken: Decimal,
                what: str) -> None:
    """``taken`` units of ``operation``'s output must not include held ones."""
    blocked = held(uow, order.number, operation)
    free = order.operations[operation].good - blocked
    if blocked and taken > free:
        raise BusinessRuleViolation(
            "INSPECTION_PENDING",
            f"{what}: {blocked.normalize():f} units of {operation} wait for inspection or "
            f"disposition; {max(free, Decimal(0)).normalize():f} may go on")
