"""Engineering master data's command handlers: work centers, operators, the
production settings, BOMs and routings (the catalog holds the aggregates,
``domain/catalog/engineering.py``; production keeps the commands because they
check the ledger's chart and each other's records). Each is
``handle(uow, ...) -> result`` (``domain/unit_of_work.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.catalog import lookups
from domain.catalog.engineering import (
    SETTINGS_ID,
    BillOfMaterials,
    BomLine,
    BomVersion,
    CompanySettings,
    Operation,
    Operator,
    ProductionSettings,
    Routing,
    RoutingVersion,
    WorkCenter,
    WorkCenterSpec,
    bom_id,
    check_op_no,
    check_work_center,
    operator_id,
    routing_id,
    work_center_id,
)
from domain.catalog.items import ItemType, check_item_code
from domain.catalog.lookups import work_center
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.ledger.gate import chart
from domain.money import parse_quantity, to_decimal
from domain.production.inputs import BomLineInput, OperationInput, hours
from domain.production.lookups import production_settings
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class CodeResult:
    code: str


# -- work centers and operators ---------------------------------------------------------
def define_work_center(uow: UnitOfWork, spec: WorkCenterSpec) -> CodeResult:
    checked = check_work_center(spec)
    center = uow.get(work_center_id(checked.code), factory=lambda: WorkCenter(checked))
    if not center.pending_events:  # it existed: change it
        center.change(checked)
    return CodeResult(checked.code)


def register_operator(uow: UnitOfWork, code: str, name: str,
                      work_centers: Sequence[str]) -> CodeResult:
    code_ = check_item_code(code)
    if not (name or "").strip():
        raise ValidationError("operator name is required", "name")
    centers = tuple(sorted({work_center(uow, w, "workCenters").spec.code for w in work_centers}))
    person = uow.get(operator_id(code_), factory=lambda: Operator(code_, name.strip(), centers))
    if not person.pending_events:
        person.set_work_centers(centers)
    return CodeResult(code_)


def set_production_settings(uow: UnitOfWork, settings: ProductionSettings) -> CodeResult:
    accounts = chart(uow)
    for name in ("material_variance_account", "labor_variance_account",
                 "overhead_variance_account", "wip_account"):
        accounts.check_postable(getattr(settings, name), name)
    company = uow.get(SETTINGS_ID, factory=CompanySettings)
    company.set_production(settings)
    return CodeResult("production")


# -- BOMs -------------------------------------------------------------------------------
def save_bom(uow: UnitOfWork, item: str, version: str, effective_from: date,
             lines: Sequence[BomLineInput], effective_to: date | None = None) -> CodeResult:
    """Save a BOM version; a cycle through any version of any component is refused."""
    parent = lookups.item(uow, item)
    if parent.spec.item_type not in (ItemType.FINISHED, ItemType.SEMI_FINISHED):
        raise BusinessRuleViolation(
            "NOT_MANUFACTURED",
            f"item {parent.code} is {parent.spec.item_type.value}; "
            "only finished and semi-finished items have BOMs",
        )
    ver = _version(version)
    if not lines:
        raise ValidationError("a BOM needs at least one line", "lines")
    bom_lines = [_bom_line(uow, parent.code, i, ln) for i, ln in enumerate(lines)]
    _check_no_cycle(uow, parent.code, {ln.component for ln in bom_lines})
    bom = uow.get(bom_id(parent.code), factory=lambda: BillOfMaterials(parent.code))
    bom.save_version(BomVersion(ver, effective_from, effective_to, tuple(bom_lines)))
    return CodeResult(f"{parent.code}@{ver}")


def _version(version: str) -> str:
    ver = (version or "").strip()
    if not ver or len(ver) > 20:
        raise ValidationError("version must be 1-20 characters", "version")
    return ver


def _bom_line(uow: UnitOfWork, parent: str, i: int, ln: BomLineInput) -> BomLine:
    path = f"lines.{i}"
    comp = lookups.item(uow, ln.component, f"{path}.component")
    if comp.code == parent:
        raise BusinessRuleViolation("BOM_CYCLE", f"{parent} cannot contain itself")
    allowance = to_decimal(ln.scrap_allowance or "0", f"{path}.scrapAllowance")
    if not Decimal(0) <= allowance < 1:
        raise ValidationError("scrap allowance must be 0 to below 1", f"{path}.scrapAllowance")
    op = check_op_no(ln.operation, f"{path}.operation") if ln.operation else ""
    return BomLine(i + 1, comp.code, parse_quantity(ln.qty_per, f"{path}.qtyPer"), allowance,
                   ln.issue_method, op)


def _check_no_cycle(uow: UnitOfWork, parent: str, components: set[str]) -> None:
    """Depth-first through every version of every component's BOM."""
    seen: set[str] = set()
    stack = [(c, (parent, c)) for c in sorted(components)]
    while stack:
        code, path = stack.pop()
        if code == parent:
            raise BusinessRuleViolation("BOM_CYCLE", "BOM cycle: " + " -> ".join(path))
        if code in seen:
            continue
        seen.add(code)
        if not uow.exists(bom_id(code)):
            continue
        bom = uow.peek(bom_id(code))
        stack.extend((c, (*path, c)) for c in sorted(bom.components()))


def end_bom_version(uow: UnitOfWork, item: str, version: str,
                    effective_to: date) -> CodeResult:
    """Give a BOM version its last day, so a new version can take over."""
    code = check_item_code(item)
    bom = uow.get(bom_id(code), NotFound(f"item {code} has no BOM", "BillOfMaterials", code))
    bom.end_version((version or "").strip(), effective_to)
    return CodeResult(f"{code}@{version}")


# -- routings ---------------------------------------------------------------------------
def save_routing(uow: UnitOfWork, item: str, version: str, effective_from: date,
                 operations: Sequence[OperationInput],
                 effective_to: date | None = None) -> CodeResult:
    parent = lookups.item(uow, item)
    ver = _version(version)
    if not operations:
        raise ValidationError("a routing needs at least one operation", "operations")
    ops: list[Operation] = []
    for i, op in enumerate(operations):
        path = f"operations.{i}"
        op_no = check_op_no(op.op_no, f"{path}.opNo")
        if any(o.op_no == op_no for o in ops):
            raise ValidationError(f"{op_no} appears twice", f"{path}.opNo")
        wc = work_center(uow, op.work_center, f"{path}.workCenter")
        ops.append(Operation(
            op_no,
            wc.spec.code,
            hours(op.setup_hours, f"{path}.setupHours"),
            hours(op.run_hours_per_unit, f"{path}.runHoursPerUnit"),
            (op.description or "").strip(),
        ))
    ops.sort(key=lambda o: int(o.op_no[2:]))
    routing = uow.get(routing_id(parent.code), factory=lambda: Routing(parent.code))
    routing.save_version(RoutingVersion(ver, effective_from, effective_to, tuple(ops)))
    return CodeResult(f"{parent.code}@{ver}")


HANDLERS = (
    define_work_center, register_operator, set_production_settings,
    save_bom, end_bom_version, save_routing,
)
READERS = (production_settings,)
