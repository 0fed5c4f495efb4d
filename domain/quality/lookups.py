"""What quality's handlers, its hooks in purchasing and production and the
dispositions workflow load from quality, by business key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.errors import NotFound
from domain.quality.inspections import InspectionLot, OperationGate, gate_id, inspection_lot_id
from domain.quality.nonconformance import Nonconformance, ncr_id
from domain.quality.plans import InspectionPlan, PlanVersion, Stage, plan_id
from domain.quality.records import (
    SupplierQuality,
    YieldRecord,
    supplier_quality_id,
    yield_record_id,
)
from domain.quality.settings import SETTINGS_ID, QualityPolicy
from domain.unit_of_work import UnitOfWork


def plan_in_force(uow: UnitOfWork, item: str, stage: Stage, day: date,
                  operation: str = "") -> PlanVersion | None:
    """The item's plan version for ``stage`` in force on ``day`` (None: no inspection)."""
    pid = plan_id(item, stage, operation)
    if not uow.exists(pid):
        return None
    plan: InspectionPlan = uow.peek(pid)
    return plan.in_force(day)


def inspection_lot(uow: UnitOfWork, number: str) -> InspectionLot:
    number = (number or "").strip().upper()
    return uow.get(inspection_lot_id(number),
                   NotFound(f"inspection lot {number} does not exist", "InspectionLot", number))


def nonconformance(uow: UnitOfWork, number: str) -> Nonconformance:
    number = (number or "").strip().upper()
    return uow.get(ncr_id(number),
                   NotFound(f"nonconformance {number} does not exist", "Nonconformance",
                            number))


def policy(uow: UnitOfWork) -> QualityPolicy:
    """The company's quality settings (defaults until it saves some)."""
    if not uow.exists(SETTINGS_ID):
        return QualityPolicy()
    return uow.peek(SETTINGS_ID).policy


def gate(uow: UnitOfWork, work_order: str, operation: str) -> OperationGate:
    return uow.get(gate_id(work_order, operation),
                   factory=lambda: OperationGate(work_order, operation))


def held(uow: UnitOfWork, work_order: str, operation: str) -> Decimal:
    """Units of an operation held for inspection or disposition (read only)."""
    gid = gate_id(work_order, operation)
    return uow.peek(gid).held if uow.exists(gid) else Decimal(0)


def supplier_quality(uow: UnitOfWork, supplier: str) -> SupplierQuality:
    return uow.get(supplier_quality_id(supplier), factory=lambda: SupplierQuality(supplier))


def yield_record(uow: UnitOfWork, item: str) -> YieldRecord:
    return uow.get(yield_record_id(item), factory=lambda: YieldRecord(item))
