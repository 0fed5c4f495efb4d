"""MRP across contexts: planning over a snapshot of the read models, and
firming a planned order into production's work order or purchasing's order.

``run_mrp`` is the one entry point GraphQL's runMrp and ``factoryledger
run-mrp`` share: planning itself is pure (``domain/planning/mrp.py``) and
recording the run is planning's command (``run_mrp`` in
``domain/planning/handlers.py``); what this step adds is reading the
snapshot through the read port as of the log position read here.

``firm_planned_order`` is a command handler (``handle(uow, ...) -> result``):
the run's record of the firming and the real order are one save.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.catalog import lookups
from domain.commands import CommandContext, Outcome
from domain.errors import NotFound, ValidationError
from domain.money import parse_price, parse_quantity
from domain.orders import OrderLineInput
from domain.planning.model import PlannedOrder
from domain.planning.runs import MrpRun, mrp_run_id
from domain.production.lookups import new_work_order
from domain.purchasing import new_purchase_order
from domain.unit_of_work import UnitOfWork
from domain.workflows.ports import PlanningInputs


@dataclass(frozen=True)
class FirmResult:
    planned_id: str
    order: str
    kind: str


def run_mrp(app, inputs: PlanningInputs, today: date,
            ctx: CommandContext = CommandContext()) -> Outcome:
    """Plan from read models that reached the log as it stands now
    (``ProjectionLag`` otherwise) and record the run."""
    snapshot = inputs.mrp_snapshot(today, app.log_position())
    return app.run_mrp(snapshot, ctx=ctx)


def firm_planned_order(uow: UnitOfWork, run: str, planned_id: str, *, supplier: str = "",
                       unit_price: Any = None, qty: Any = None,
                       need_date: date | None = None) -> FirmResult:
    """Turn a planned order into a real work order (make) or purchase order
    (buy, from ``supplier``, default the approved supplier the run proposed,
    at ``unit_price``, default the standard cost), in the same save as the
    run's record of it."""
    number = (run or "").strip().upper()
    mrp: MrpRun = uow.get(mrp_run_id(number),
                          NotFound(f"MRP run {number} does not exist", "MrpRun", number))
    planned = mrp.planned_order(planned_id)
    quantity = parse_quantity(qty, "qty") if qty is not None else planned.qty
    due = need_date or planned.need_date
    if planned.kind == "make":
        order = new_work_order(uow, planned.item, quantity, due, min(planned.release_date, due))
        kind = "work_order"
    else:
        order = _purchase(uow, planned, supplier, unit_price, quantity, due)
        kind = "purchase_order"
    mrp.firm(planned_id, order.number)
    return FirmResult(planned_id, order.number, kind)


def _purchase(uow: UnitOfWork, planned: PlannedOrder, supplier: str, unit_price: Any,
              quantity: Any, due: date) -> Any:
    supplier = supplier or planned.supplier
    if not supplier:
        raise ValidationError("a planned purchase needs a supplier to firm", "supplier")
    product = lookups.item(uow, planned.item)
    price = (parse_price(unit_price, "unitPrice") if unit_price is not None
             else product.spec.standard_cost)
    return new_purchase_order(uow, supplier, min(planned.release_date, due),
                              [OrderLineInput(planned.item, quantity, price, due)])


HANDLERS = (firm_planned_order,)
