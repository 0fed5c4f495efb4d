"""Quality's command handlers: inspection plans, recording an inspection
lot's results (and applying its decision, or holding it for release or an
override), the company's quality settings and the yield recommendation.
Each is ``handle(uow, ...) -> result`` (``domain/unit_of_work.py``);
``HANDLERS`` goes into the command table. Dispositions of nonconformances
cross into purchasing, invoicing and production: they are the application
layer's (``domain/workflows/dispositions.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.catalog import lookups as catalog
from domain.catalog.engineering import Routing, routing_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.money import parse_quantity, round_amount, to_decimal
from domain.parties import PartyRole, party
from domain.quality.findings import DefectCount, Measurement, check_results, findings
from domain.quality.inspections import InspectionLot, override_decision
from domain.quality.judging import YieldApplied, apply_decision, apply_yield
from domain.quality.lookups import inspection_lot, policy
from domain.quality.plans import (
    InspectionPlan,
    PlanVersion,
    Stage,
    check_code,
    check_version,
    plan_id,
    plan_key,
)
from domain.quality.settings import SETTINGS_ID, QualityPolicy, QualitySettings, check_policy
from domain.quality.suppliers import ApprovedSuppliers, approved_suppliers_id, check_supplier_codes
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PlanResult:
    key: str  # ITEM:stage:OP
    version: str


@dataclass(frozen=True)
class InspectionResult:
    number: str
    status: str
    verdict: str = ""
    accepted: str = ""
    rejected: str = ""
    ncr: str = ""
    document: str = ""


# -- plans ---------------------------------------------------------------------------------
def _plan_target(uow: UnitOfWork, item: str, stage: Stage, operation: str) -> tuple[str, str]:
    """The item (active) and the operation an in-process plan is for (in its routing)."""
    product = catalog.item(uow, item)
    op = (operation or "").strip().upper()
    if stage is not Stage.IN_PROCESS:
        if op:
            raise ValidationError("only an in-process plan names an operation", "operation")
        return product.code, ""
    op = check_code(op, "operation")
    routed: Routing = uow.peek(routing_id(product.code), BusinessRuleViolation(
        "NO_ROUTING", f"item {product.code} has no routing; an in-process plan needs one"))
    if not any(o.op_no == op for v in routed.versions.values() for o in v.operations):
        raise BusinessRuleViolation(
            "NO_SUCH_OPERATION", f"no routing version of {product.code} has operation {op}")
    return product.code, op


def save_inspection_plan(uow: UnitOfWork, item: str, stage: Stage, version: PlanVersion,
                         operation: str = "") -> PlanResult:
    """A new version of the item's plan for ``stage`` (the first starts the plan)."""
    code, op = _plan_target(uow, item, stage, operation)
    checked = check_version(version, stage)
    plan = uow.get(plan_id(code, stage, op), factory=lambda: InspectionPlan(code, stage, op))
    plan.save_version(checked)
    return PlanResult(plan_key(code, stage, op), checked.version)


def end_inspection_plan_version(uow: UnitOfWork, item: str, stage: Stage, version: str,
                                effective_to: date, operation: str = "") -> PlanResult:
    code = catalog.item(uow, item).code
    op = (operation or "").strip().upper()
    name = check_code(version, "version")
    plan = uow.get(plan_id(code, stage, op), BusinessRuleViolation(
        "NO_PLAN", f"item {code} has no {stage.value} plan{' for ' + op if op else ''}"))
    plan.end_version(name, effective_to)
    return PlanResult(plan_key(code, stage, op), name)


# -- inspecting ------------------------------------------------------------------------------
def hours(value: Any, field: str = "hours") -> Decimal:
    """Inspection hours: 0-10000, at most 4 decimal places."""
    parsed = to_decimal(value if value is not None else "0", field)
    if not 0 <= parsed <= 10_000 or parsed != parsed.quantize(Decimal("0.0001")):
        raise ValidationError(f"{field}: 0-10000 hours, at most 4 decimal places", field)
    return parsed


def _result(lot: InspectionLot) -> InspectionResult:
    decision = lot.decision or lot.computed
    if decision is None:
        return InspectionResult(lot.number, lot.status.value)
    return InspectionResult(lot.number, lot.status.value, decision.verdict.value,
                            str(decision.accepted), str(decision.rejected), lot.ncr,
                            "")


def _day(uow: UnitOfWork, lot: InspectionLot, day: date, field: str) -> date:
    checked = uow.business_date(day, field)
    if checked < lot.opened_on:
        raise ValidationError(f"{field}: {lot.number} was opened on {lot.opened_on}", field)
    return checked


def record_inspection(uow: UnitOfWork, number: str, inspected_on: date,
                      measurements: Sequence[Measurement], defects: Sequence[DefectCount],
                      hours_spent: Any = "0", hold: bool = False) -> InspectionResult:
    """Record a lot's results; its decision is computed from its sampling plan
    and applied at once, or held (``hold``) for release or an override."""
    lot = inspection_lot(uow, number)
    lot.check_open()
    day = _day(uow, lot, inspected_on, "inspectedOn")
    measured, counted = check_results(lot.characteristics, lot.sampling, measurements,
                                      defects)
    found = findings(lot.characteristics, lot.sampling, lot.qty, measured, counted)
    spent = hours(hours_spent, "hours")
    lot.record(day, measured, counted, found.nonconformities, found.defective,
               found.decision, spent, round_amount(spent * policy(uow).inspector_rate))
    if hold:
        return _result(lot)
    applied = apply_decision(uow, lot, found.decision, day)
    return _with(lot, applied.document)


def _with(lot: InspectionLot, document: str) -> InspectionResult:
    result = _result(lot)
    return InspectionResult(result.number, result.status, result.verdict, result.accepted,
                            result.rejected, result.ncr, document)


def release_inspection(uow: UnitOfWork, number: str, posting_date: date) -> InspectionResult:
    """Apply a held lot's computed decision."""
    lot = inspection_lot(uow, number)
    computed = lot.check_held()
    day = _day(uow, lot, posting_date, "postingDate")
    return _with(lot, apply_decision(uow, lot, computed, day).document)


def override_inspection(uow: UnitOfWork, number: str, posting_date: date, accepted_qty: Any,
                        reason: str) -> InspectionResult:
    """Apply another decision than the computed one to a held lot: ``accepted_qty``
    accepted, the rest rejected, with the reason (kept beside the computed one)."""
    lot = inspection_lot(uow, number)
    lot.check_held()
    why = (reason or "").strip()
    if not why:
        raise ValidationError("an override needs a reason", "reason")
    if len(why) > 200:
        raise ValidationError("reason: at most 200 characters", "reason")
    day = _day(uow, lot, posting_date, "postingDate")
    accepted = parse_quantity(accepted_qty, "acceptedQty", allow_zero=True)
    decision = override_decision(lot, accepted)
    return _with(lot, apply_decision(uow, lot, decision, day, True, why).document)


# -- settings and planning ---------------------------------------------------------------------
@dataclass(frozen=True)
class SettingsResult:
    scrap_account: str
    supplier_threshold: str
    supplier_window: int
    supplier_min_lots: int
    low_yield: str
    yield_lots: int
    auto_apply_yield: bool
    inspector_rate: str


def set_quality_settings(uow: UnitOfWork, settings: QualityPolicy) -> SettingsResult:
    checked = check_policy(settings)
    uow.get(SETTINGS_ID, factory=QualitySettings).set_policy(checked)
    p = checked
    return SettingsResult(p.scrap_account, str(p.supplier_threshold), p.supplier_window,
                          p.supplier_min_lots, str(p.low_yield), p.yield_lots,
                          p.auto_apply_yield, str(p.inspector_rate))


def apply_yield_recommendation(uow: UnitOfWork, item: str, lots: int = 0) -> YieldApplied:
    """Set the item's planning scrap factor to 1 - its observed yield over its
    last ``lots`` lots per stage and operation (default: the company's setting)."""
    if isinstance(lots, bool) or not isinstance(lots, int) or not 0 <= lots <= 100:
        raise ValidationError("lots must be 1-100 (0: the company's setting)", "lots")
    code = catalog.item(uow, item).code
    applied = apply_yield(uow, code, lots or policy(uow).yield_lots, uow.today())
    if not applied.lots:
        raise BusinessRuleViolation("NO_INSPECTED_LOTS",
                                    f"item {code} has no inspected lots to judge its yield by")
    return applied


# -- the approved supplier list ------------------------------------------------------------------
@dataclass(frozen=True)
class ApprovedSuppliersResult:
    item: str
    suppliers: tuple[str, ...]


def approve_suppliers(uow: UnitOfWork, item: str,
                      suppliers: Sequence[str]) -> ApprovedSuppliersResult:
    """合格供方名录: the suppliers approved to deliver ``item``, the preferred
    first (an empty list withdraws every approval). Each is a registered supplier."""
    code = catalog.item(uow, item).code
    codes = check_supplier_codes(suppliers)
    for i, supplier in enumerate(codes):
        party(uow, supplier, PartyRole.SUPPLIER, f"suppliers.{i}")
    approved = uow.get(approved_suppliers_id(code), factory=lambda: ApprovedSuppliers(code))
    approved.approve(codes, uow.today())
    return ApprovedSuppliersResult(code, codes)


HANDLERS = (
    save_inspection_plan, end_inspection_plan_version, record_inspection, release_inspection,
    override_inspection, set_quality_settings, apply_yield_recommendation, approve_suppliers,
)
