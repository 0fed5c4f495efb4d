"""What handlers (production's own, planning's workflows, other contexts')
read from production: a work order, a work center, the company's production
settings, a material shortage list; and a new work order to add."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.catalog import lookups
from domain.catalog.engineering import (
    SETTINGS_ID,
    BillOfMaterials,
    BomVersion,
    ProductionSettings,
    Routing,
    RoutingVersion,
    bom_id,
    routing_id,
)
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory.stock import stock_id
from domain.money import parse_quantity
from domain.production.inputs import QTY
from domain.production.work_orders import (
    MaterialRequirement,
    OperationProgress,
    Shortage,
    WorkOrder,
    work_order_id,
)
from domain.unit_of_work import UnitOfWork


def work_order(uow: UnitOfWork, number: str) -> WorkOrder:
    """The work order to change, by its number."""
    number = (number or "").strip().upper()
    return uow.get(
        work_order_id(number),
        NotFound(f"work order {number} does not exist", "WorkOrder", number),
    )


def production_settings(uow: UnitOfWork) -> ProductionSettings:
    """The company's production settings (defaults until it saves some)."""
    if not uow.exists(SETTINGS_ID):
        return ProductionSettings()
    return uow.peek(SETTINGS_ID).production


def routing(uow: UnitOfWork, item: str) -> Routing:
    """The item's routing, to read (``NO_ROUTING_IN_FORCE`` when it has none)."""
    return uow.peek(routing_id(item), BusinessRuleViolation(
        "NO_ROUTING_IN_FORCE", f"item {item} has no routing"))


def new_work_order(uow: UnitOfWork, item: str, qty: Any, due_date: date, created_on: date,
                   warehouse: str = "") -> WorkOrder:
    """A numbered work order with the BOM and routing versions in force on
    ``created_on``, added to the command's save (also used when firming
    planned orders and splitting monthly plans)."""
    product = lookups.item(uow, item)
    quantity = parse_quantity(qty, "qty")
    if not isinstance(due_date, date) or due_date < created_on:
        raise ValidationError("dueDate must be a date on or after the creation day", "dueDate")
    wh = lookups.warehouse(uow, warehouse or product.spec.default_warehouse, "warehouse")
    bom: BillOfMaterials = uow.peek(bom_id(product.code), BusinessRuleViolation(
        "NO_BOM_IN_FORCE", f"item {product.code} has no BOM"))
    routed = routing(uow, product.code)
    bom_v, routing_v = bom.in_force(created_on), routed.in_force(created_on)
    materials = _materials(bom_v, routing_v, quantity)
    return uow.add(WorkOrder(
        number=uow.number("WO"),
        item=product.code,
        qty=quantity,
        due_date=due_date,
        warehouse=wh.code,
        bom_version=bom_v.version,
        routing_version=routing_v.version,
        materials=materials,
        operations=tuple(
            OperationProgress(o.op_no, o.work_center, o.setup_hours, o.run_hours_per_unit)
            for o in routing_v.operations
        ),
        business_day=created_on,
    ))


def _materials(bom: BomVersion, routed: RoutingVersion,
               quantity: Decimal) -> tuple[MaterialRequirement, ...]:
    """What the order needs of each BOM line, at the operation consuming it
    (default: the routing's first)."""
    first_op = routed.operations[0].op_no
    ops = {o.op_no for o in routed.operations}
    materials = []
    for ln in bom.lines:
        op = ln.operation or first_op
        if op not in ops:
            raise BusinessRuleViolation(
                "BOM_ROUTING_MISMATCH",
                f"BOM line {ln.line_no} is consumed at {op}, which routing "
                f"{routed.version} does not have",
            )
        required = (quantity * ln.qty_per * (1 + ln.scrap_allowance)).quantize(QTY)
        materials.append(MaterialRequirement(
            ln.line_no, ln.component, ln.qty_per, ln.scrap_allowance, ln.issue_method, op,
            required,
        ))
    return tuple(materials)


def shortages_of(uow: UnitOfWork, wo: WorkOrder) -> tuple[Shortage, ...]:
    """Components whose outstanding requirement exceeds what is available in
    their default warehouse (read only: a balance never held is 0)."""
    short = []
    for line in wo.materials.values():
        if line.outstanding <= 0:
            continue
        comp = lookups.item(uow, line.component)
        wh = comp.spec.default_warehouse or wo.warehouse
        balance = stock_id(comp.code, wh)
        on_hand = uow.peek(balance).available if uow.exists(balance) else Decimal(0)
        available = max(on_hand, Decimal(0))
        if available < line.outstanding:
            short.append(Shortage(comp.code, line.outstanding, available.quantize(QTY)))
    return tuple(short)
