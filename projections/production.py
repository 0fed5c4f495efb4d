"""Production read models: engineering data, work orders with materials,
operations and WIP by cost element, operation reports, completions,
shortages and alerts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select, update

from domain.catalog.engineering import (
    BillOfMaterials,
    Operator,
    Routing,
    WorkCenter,
    bom_id,
    operator_id,
    routing_id,
)
from domain.money import to_cents, to_micros
from domain.production.costing import Wip, split
from domain.production.work_orders import WorkOrder, work_order_id
from projections.runner import Notified
from projections.sql import upsert_replace
from projections.tables import (
    alerts,
    bom_lines,
    items,
    operation_reports,
    operators,
    routing_operations,
    work_centers,
    work_order_completions,
    work_order_materials,
    work_order_operations,
    work_order_shortages,
    work_orders,
)


class ProductionProjection:
    name = "production"
    tables = (work_centers, operators, bom_lines, routing_operations, work_orders,
              work_order_materials, work_order_operations, work_order_shortages,
              operation_reports, work_order_completions, alerts)
    # BOM and routing rows carry the item code from the inventory read model:
    # a shadow rebuild of this projection builds that one too.
    reads_from = ("inventory",)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        for n in batch:
            ev = n.event
            if isinstance(ev, WorkOrder.Event):
                _work_order(conn, n)
            elif isinstance(ev, WorkCenter.Event):
                _work_center(conn, ev.spec)
            elif isinstance(ev, Operator.Event):
                _operator(conn, ev)
            elif isinstance(ev, BillOfMaterials.Event):
                _bom(conn, ev)
            elif isinstance(ev, Routing.Event):
                _routing(conn, ev)


# Ids are derived from codes (uuid5): these maps are the same in every database.
_NAMES: dict[Any, str] = {}


def _name_of(conn: Connection, originator_id: Any, table_column, make: Callable) -> str:
    if originator_id not in _NAMES:
        for (code,) in conn.execute(select(table_column)):
            _NAMES[make(code)] = code
    return _NAMES[originator_id]


def _hours(value) -> int:
    return to_micros(value)


def _work_center(conn: Connection, spec) -> None:
    upsert_replace(conn, work_centers, ("code",), [{
        "code": spec.code, "name": spec.name, "capacity": spec.capacity,
        "labor_rate": str(spec.labor_rate), "overhead_rate": str(spec.overhead_rate),
        "shifts": ";".join(f"{s.weekday} {s.start}-{s.end}" for s in spec.shifts),
        "holidays": ",".join(d.isoformat() for d in spec.holidays),
    }])


def _operator(conn: Connection, ev: Any) -> None:
    if isinstance(ev, Operator.Registered):
        _NAMES[ev.originator_id] = ev.code
        conn.execute(operators.insert().values(code=ev.code, name=ev.name,
                                               work_centers=",".join(ev.work_centers)))
    elif isinstance(ev, Operator.QualificationsSet):
        code = _name_of(conn, ev.originator_id, operators.c.code, operator_id)
        conn.execute(update(operators).where(operators.c.code == code)
                     .values(work_centers=",".join(ev.work_centers)))


def _bom(conn: Connection, ev: Any) -> None:
    if isinstance(ev, BillOfMaterials.Started):
        _NAMES[ev.originator_id] = ev.item
        return
    item = _name_of(conn, ev.originator_id, items.c.code, bom_id)
    if isinstance(ev, BillOfMaterials.VersionSaved):
        v = ev.version
        conn.execute(bom_lines.insert(), [{
            "item": item, "version": v.version, "line_no": ln.line_no,
            "component": ln.component, "qty_per": str(ln.qty_per),
            "scrap_allowance": str(ln.scrap_allowance), "issue_method": ln.issue_method.value,
            "operation": ln.operation, "effective_from": v.effective_from,
            "effective_to": v.effective_to} for ln in v.lines])
    elif isinstance(ev, BillOfMaterials.VersionEnded):
        conn.execute(update(bom_lines).where(and_(bom_lines.c.item == item,
                                                  bom_lines.c.version == ev.version))
                     .values(effective_to=ev.effective_to))


def _routing(conn: Connection, ev: Any) -> None:
    if isinstance(ev, Routing.Started):
        _NAMES[ev.originator_id] = ev.item
        return
    if isinstance(ev, Routing.VersionSaved):
        item = _name_of(conn, ev.originator_id, items.c.code, routing_id)
        v = ev.version
        conn.execute(routing_operations.insert(), [{
            "item": item, "version": v.version, "op_no": op.op_no, "seq": i + 1,
            "work_center": op.work_center, "setup_hours": str(op.setup_hours),
            "run_hours_per_unit": str(op.run_hours_per_unit), "description": op.description,
            "effective_from": v.effective_from, "effective_to": v.effective_to}
            for i, op in enumerate(v.operations)])


def _wip_row(conn: Connection, number: str) -> Wip:
    r = conn.execute(select(work_orders.c.material_cents, work_orders.c.labor_cents,
                            work_orders.c.overhead_cents)
                     .where(work_orders.c.number == number)).one()
    from domain.money import from_cents

    return Wip(from_cents(r[0]), from_cents(r[1]), from_cents(r[2]))


def _add_wip(conn: Connection, number: str, delta: Wip, **extra: Any) -> None:
    wo = work_orders.c
    conn.execute(update(work_orders).where(wo.number == number).values(
        material_cents=wo.material_cents + to_cents(delta.material),
        labor_cents=wo.labor_cents + to_cents(delta.labor),
        overhead_cents=wo.overhead_cents + to_cents(delta.overhead), **extra))


def _op_values(op) -> dict[str, Any]:
    return {"status": op.status.value, "good_micros": to_micros(op.good),
            "scrap_micros": to_micros(op.scrap), "rework_micros": to_micros(op.rework),
            "labor_uh": _hours(op.labor_hours), "machine_uh": _hours(op.machine_hours)}


# Facts that carry the order's number: copied or summed without a lookup.
_STATUS_FACTS = {
    WorkOrder.Held: "held", WorkOrder.Cancelled: "cancelled",
    WorkOrder.ProductionStarted: "in_progress", WorkOrder.Finished: "completed",
}
_OPERATION_FACTS = {
    WorkOrder.OperationStarted: "running", WorkOrder.OperationResumed: "running",
    WorkOrder.OperationPaused: "paused",
}


def _work_order(conn: Connection, n: Notified) -> None:
    ev = n.event
    if isinstance(ev, WorkOrder.Created):
        _created(conn, n)
    elif type(ev) in _STATUS_FACTS:
        _set_status(conn, ev.number, _STATUS_FACTS[type(ev)])
    elif isinstance(ev, WorkOrder.Released):
        wo = work_orders.c
        conn.execute(update(work_orders).where(wo.number == ev.number).values(
            status="released", released_position=func.coalesce(wo.released_position,
                                                               n.position)))
        _clear_shortages(conn, ev.number)
    elif isinstance(ev, WorkOrder.ShortagesFound):
        _shortages_found(conn, n)
    elif type(ev) in _OPERATION_FACTS:
        c = work_order_operations.c
        conn.execute(update(work_order_operations)
                     .where(and_(c.number == ev.number, c.op_no == ev.op_no))
                     .values(status=_OPERATION_FACTS[type(ev)]))
    elif isinstance(ev, (WorkOrder.MaterialIssued, WorkOrder.MaterialReturned)):
        _material_moved(conn, ev)
    else:
        _costed(conn, n, _name_of(conn, ev.originator_id, work_orders.c.number, work_order_id))


def _created(conn: Connection, n: Notified) -> None:
    ev = n.event
    _NAMES[ev.originator_id] = ev.number
    conn.execute(work_orders.insert().values(
        number=ev.number, item=ev.item, qty_micros=to_micros(ev.qty), due_date=ev.due_date,
        warehouse=ev.warehouse, bom_version=ev.bom_version,
        routing_version=ev.routing_version, status="created",
        business_day=ev.business_day, released_position=None, completed_micros=0,
        scrapped_micros=0, completed_value_cents=0, material_cents=0, labor_cents=0,
        overhead_cents=0, variance_cents=0, position=n.position))
    conn.execute(work_order_materials.insert(), [{
        "number": ev.number, "line_no": m.line_no, "component": m.component,
        "issue_method": m.issue_method.value, "operation": m.operation,
        "required_micros": to_micros(m.required), "issued_micros": 0, "returned_micros": 0,
        "issued_value_cents": 0, "returned_value_cents": 0} for m in ev.materials])
    conn.execute(work_order_operations.insert(), [{
        "number": ev.number, "op_no": o.op_no, "seq": i + 1, "work_center": o.work_center,
        "setup_uh": _hours(o.setup_hours), "run_uh_per_unit": _hours(o.run_hours_per_unit),
        **_op_values(o)} for i, o in enumerate(ev.operations)])


def _set_status(conn: Connection, number: str, status: str) -> None:
    conn.execute(update(work_orders).where(work_orders.c.number == number)
                 .values(status=status))


def _clear_shortages(conn: Connection, number: str) -> None:
    conn.execute(delete(work_order_shortages).where(work_order_shortages.c.number == number))


def _shortages_found(conn: Connection, n: Notified) -> None:
    """Held with its shortage list, and an alert saying what is short."""
    ev, number = n.event, n.event.number
    _set_status(conn, number, "held")
    _clear_shortages(conn, number)
    if not ev.shortages:
        return
    conn.execute(work_order_shortages.insert(), [{
        "number": number, "item": s.item, "needed_micros": to_micros(s.needed),
        "available_micros": to_micros(s.available)} for s in ev.shortages])
    short = ", ".join(f"{s.item} needs {s.needed.normalize():f}, "
                      f"{s.available.normalize():f} available" for s in ev.shortages)
    conn.execute(alerts.insert().values(
        position=n.position, kind="material_shortage", subject=number,
        message=f"{number} held: {short}"[:400], raised_at=ev.timestamp.isoformat()))


def _material_moved(conn: Connection, ev: Any) -> None:
    """An issue adds to the line's issued quantity and value and to the
    material WIP; a return to its returned ones, out of the WIP."""
    m = work_order_materials.c
    line = and_(m.number == ev.number, m.line_no == ev.line_no)
    qty, value = to_micros(ev.qty), to_cents(ev.value)
    if isinstance(ev, WorkOrder.MaterialIssued):
        conn.execute(update(work_order_materials).where(line).values(
            issued_micros=m.issued_micros + qty, issued_value_cents=m.issued_value_cents + value))
        _add_wip(conn, ev.number, Wip(material=ev.value))
    else:
        conn.execute(update(work_order_materials).where(line).values(
            returned_micros=m.returned_micros + qty,
            returned_value_cents=m.returned_value_cents + value))
        _add_wip(conn, ev.number, Wip(material=-ev.value))


def _costed(conn: Connection, n: Notified, number: str) -> None:
    """The facts that name the order by its id only: reports, completions, the
    close, and the cost adjustments from invoices and overhead settlement."""
    ev = n.event
    wo = work_orders.c
    if isinstance(ev, WorkOrder.MaterialCostAdjusted):
        # A purchase invoice's price difference (Dr/Cr 400101 in the same save).
        conn.execute(update(work_order_materials).where(and_(
            work_order_materials.c.number == number,
            work_order_materials.c.line_no == ev.line.line_no)).values(
            issued_value_cents=to_cents(ev.line.issued_value)))
        _add_wip(conn, number, ev.wip_delta)
    elif isinstance(ev, WorkOrder.OverheadAllocated):
        # Its share of the period's overhead difference (Dr/Cr 400101 in the same save).
        _add_wip(conn, number, ev.wip_delta,
                 overhead_allocated_cents=work_orders.c.overhead_allocated_cents
                 + to_cents(ev.wip_delta.overhead))
    elif isinstance(ev, WorkOrder.Reported):
        _reported(conn, n, number)
    elif isinstance(ev, WorkOrder.Completed):
        _add_wip(conn, number, Wip().minus(ev.relieved),
                 completed_micros=wo.completed_micros + to_micros(ev.qty),
                 completed_value_cents=wo.completed_value_cents + to_cents(ev.relieved.total))
        conn.execute(work_order_completions.insert().values(
            position=n.position, number=number, document=ev.document,
            qty_micros=to_micros(ev.qty), value_cents=to_cents(ev.relieved.total), lot=ev.lot))
    elif isinstance(ev, WorkOrder.Closed):
        _add_wip(conn, number, Wip().minus(ev.variance), status="closed",
                 variance_cents=to_cents(ev.variance.total))


def _reported(conn: Connection, n: Notified, number: str) -> None:
    ev = n.event
    _set_operation(conn, number, ev.operation)
    r = ev.report
    # The WIP change was decided with the report and stored (v2): copy it.
    delta = ev.wip_delta if ev.wip_delta is not None else _v1_scrap_delta(conn, number, r)
    _add_wip(conn, number, delta,
             scrapped_micros=work_orders.c.scrapped_micros + to_micros(r.scrap))
    conn.execute(operation_reports.insert().values(
        position=n.position, number=number, op_no=r.op_no,
        work_center=ev.operation.work_center, report_date=r.report_date,
        good_micros=to_micros(r.good), scrap_micros=to_micros(r.scrap),
        rework_micros=to_micros(r.rework), scrap_reason=r.scrap_reason,
        labor_uh=_hours(r.labor_hours), machine_uh=_hours(r.machine_hours),
        operator=r.operator, equipment=r.equipment, labor_cents=to_cents(r.labor_cost),
        overhead_cents=to_cents(r.overhead_cost), scrap_cost_cents=to_cents(r.scrap_cost),
        flagged=r.flagged, entry_id=r.entry_id, actor=n.meta.get("actor", "")))


def _v1_scrap_delta(conn: Connection, number: str, r) -> Wip:
    """A v1 Reported event with abnormal scrap did not store its WIP change and
    its upcaster cannot derive the split (it needs the WIP before the report):
    for those old events only, split over this order's WIP row as v1 did."""
    delta = Wip(labor=r.labor_cost, overhead=r.overhead_cost)
    return delta.minus(split(_wip_row(conn, number).plus(delta), r.scrap_cost))


def _set_operation(conn: Connection, number: str, op) -> None:
    c = work_order_operations.c
    conn.execute(update(work_order_operations).where(and_(c.number == number,
                                                          c.op_no == op.op_no))
                 .values(**_op_values(op)))
