"""Equipment read models: the register with each machine's newest state and
counter, every state and count (OEE, Pareto and MTBF/MTTR are computed from
them when asked), DOWN alerts, downtime reasons, maintenance plans and
orders with their costs, and the MQTT messages that could not be recorded.
The events carry everything (codes, wall-clock times, values): this only
copies and sums."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, update

from domain.equipment.ingestion import RejectedMessage
from domain.equipment.machines import (
    Equipment,
    EquipmentSettingsRecord,
    EquipmentSpec,
    MaintenancePlan,
)
from domain.equipment.maintenance import MaintenanceOrder
from domain.equipment.oee import MachineState
from domain.money import to_cents, to_micros
from projections.runner import Notified
from projections.sql import upsert_replace
from projections.tables import (
    downtime_reasons,
    equipment,
    equipment_alerts,
    equipment_counts,
    equipment_dead_letters,
    equipment_states,
    maintenance_costs,
    maintenance_orders,
    maintenance_plans,
)


class EquipmentProjection:
    name = "equipment"
    tables = (equipment, equipment_states, equipment_counts, equipment_alerts, downtime_reasons,
              maintenance_plans, maintenance_orders, maintenance_costs, equipment_dead_letters)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        for n in batch:
            ev = n.event
            if isinstance(ev, Equipment.Event):
                _equipment(conn, n)
            elif isinstance(ev, MaintenanceOrder.Event):
                _order(conn, n)
            elif isinstance(ev, EquipmentSettingsRecord.Event):
                _reasons(conn, ev.settings)
            elif isinstance(ev, RejectedMessage.Recorded):
                conn.execute(equipment_dead_letters.insert().values(
                    position=n.position, topic=ev.topic, message_id=ev.message_id,
                    code=ev.code, reason=ev.reason, payload=ev.payload,
                    received_at=ev.received_at.isoformat()))


def _spec_values(spec: EquipmentSpec) -> dict[str, Any]:
    return {
        "name": spec.name, "work_center": spec.work_center, "model": spec.model,
        "serial": spec.serial, "installed_on": spec.installed_on,
        "ideal_cycle_hours": f"{spec.ideal_cycle_hours.normalize():f}",
        "shifts": ";".join(f"{s.weekday} {s.start}-{s.end}" for s in spec.shifts),
        "status": spec.status.value,
        "spare_parts": ";".join(f"{p.item} {p.per_repair.normalize():f}"
                                for p in spec.spare_parts),
    }


def _plan_values(plan: MaintenancePlan) -> dict[str, Any]:
    return {"description": plan.description, "every_days": plan.every_days,
            "every_units_micros": to_micros(plan.every_units),
            "last_done_on": plan.last_done_on,
            "last_done_units_micros": to_micros(plan.last_done_units),
            "open_order": plan.open_order}


def _equipment(conn: Connection, n: Notified) -> None:
    ev = n.event
    e = equipment.c
    if isinstance(ev, Equipment.Registered):
        conn.execute(equipment.insert().values(
            code=ev.spec.code, **_spec_values(ev.spec), state="", reason="", state_at="",
            counted_micros=0, good_micros=0, position=n.position))
    elif isinstance(ev, Equipment.Changed):
        conn.execute(update(equipment).where(e.code == ev.spec.code)
                     .values(**_spec_values(ev.spec)))
    elif isinstance(ev, Equipment.StateRecorded):
        conn.execute(equipment_states.insert().values(
            position=n.position, equipment=ev.equipment, at=ev.local, state=ev.state.value,
            reason=ev.reason, breakdown=ev.breakdown, message_id=ev.message_id))
        if ev.newest:
            conn.execute(update(equipment).where(e.code == ev.equipment).values(
                state=ev.state.value, reason=ev.reason, state_at=ev.local))
            if ev.state is MachineState.DOWN:
                _alert(conn, n)
    elif isinstance(ev, Equipment.CountRecorded):
        conn.execute(equipment_counts.insert().values(
            position=n.position, equipment=ev.equipment, at=ev.local,
            total_micros=to_micros(ev.total), good_micros=to_micros(ev.good),
            message_id=ev.message_id))
        conn.execute(update(equipment).where(e.code == ev.equipment).values(
            counted_micros=to_micros(ev.counted), good_micros=e.good_micros + to_micros(ev.good)))
    elif isinstance(ev, Equipment.PlanSet):
        upsert_replace(conn, maintenance_plans, ("equipment", "code"), [
            {"equipment": ev.equipment, "code": ev.plan.code, **_plan_values(ev.plan)}])
    elif isinstance(ev, Equipment.OrderOpened | Equipment.OrderClosed) and ev.plan:
        p = maintenance_plans.c
        where = and_(p.equipment == ev.equipment, p.code == ev.plan)
        if isinstance(ev, Equipment.OrderOpened):
            conn.execute(update(maintenance_plans).where(where).values(open_order=ev.order))
        else:
            conn.execute(update(maintenance_plans).where(where).values(
                open_order="", last_done_on=ev.day,
                last_done_units_micros=to_micros(ev.counted)))


def _alert(conn: Connection, n: Notified) -> None:
    ev = n.event
    wc = conn.execute(equipment.select().where(equipment.c.code == ev.equipment)).one()
    kind = "equipment_breakdown" if ev.breakdown else "equipment_down"
    conn.execute(equipment_alerts.insert().values(
        position=n.position, equipment=ev.equipment, work_center=wc.work_center, kind=kind,
        reason=ev.reason, at=ev.local,
        message=f"{ev.equipment} ({wc.name}) DOWN at {ev.local}: {ev.reason}"[:400]))


def _reasons(conn: Connection, settings) -> None:
    conn.execute(delete(downtime_reasons))
    conn.execute(downtime_reasons.insert(), [
        {"code": r.code, "name": r.name, "breakdown": r.breakdown, "seq": i + 1}
        for i, r in enumerate(settings.reasons)])


def _order(conn: Connection, n: Notified) -> None:
    ev = n.event
    o = maintenance_orders.c
    if isinstance(ev, MaintenanceOrder.Opened):
        conn.execute(maintenance_orders.insert().values(
            number=ev.number, equipment=ev.equipment, work_center=ev.work_center,
            kind=ev.kind.value, plan=ev.plan, reason=ev.reason, description=ev.description,
            status="open", opened_on=ev.opened_on, started_on=None, closed_on=None, note="",
            parts_cents=0, labor_uh=0, labor_cents=0, position=n.position, planned_start="",
            planned_end=""))
        return
    where = o.number == ev.number
    if isinstance(ev, MaintenanceOrder.Started):
        conn.execute(update(maintenance_orders).where(where).values(
            status="started", started_on=ev.day))
    elif isinstance(ev, MaintenanceOrder.PartsIssued):
        conn.execute(update(maintenance_orders).where(where).values(
            parts_cents=o.parts_cents + to_cents(ev.value)))
        detail = ";".join(f"{ln.item} {ln.qty.normalize():f} @ {ln.warehouse} = {ln.value}"
                          for ln in ev.lines)
        _cost(conn, n, "parts", ev.document, detail[:400], 0, ev.value)
    elif isinstance(ev, MaintenanceOrder.LaborRecorded):
        conn.execute(update(maintenance_orders).where(where).values(
            labor_uh=o.labor_uh + to_micros(ev.hours),
            labor_cents=o.labor_cents + to_cents(ev.amount)))
        detail = f"{ev.hours.normalize():f} h @ {ev.rate.normalize():f}"
        _cost(conn, n, "labor", "", detail, to_micros(ev.hours), ev.amount)
    elif isinstance(ev, MaintenanceOrder.WindowPlanned):
        conn.execute(update(maintenance_orders).where(where).values(
            planned_start=ev.start, planned_end=ev.end))
    elif isinstance(ev, MaintenanceOrder.Closed):
        conn.execute(update(maintenance_orders).where(where).values(
            status="closed", closed_on=ev.day, note=ev.note))


def _cost(conn: Connection, n: Notified, kind: str, document: str, detail: str, hours_uh: int,
          amount) -> None:
    ev = n.event
    conn.execute(maintenance_costs.insert().values(
        position=n.position, number=ev.number, kind=kind, day=ev.day, document=document,
        detail=detail, hours_uh=hours_uh, amount_cents=to_cents(amount), entry_id=ev.entry_id,
        voucher_no=ev.voucher_no))
