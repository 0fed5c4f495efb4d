"""Quality read models: inspection plans, inspection lots with their measured
values and defect counts, nonconformance reports and their dispositions,
operations held for inspection, supplier quality, item yields, purchase
orders placed with a flagged supplier, the approved supplier list and
quality alerts. Each event's row
is copied and summed, nothing decided here."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, delete, select, update

from domain.money import to_cents, to_micros
from domain.purchasing import PurchaseOrder
from domain.quality.inspections import InspectionLot, OperationGate
from domain.quality.nonconformance import Nonconformance
from domain.quality.plans import InspectionPlan
from domain.quality.records import SupplierQuality, YieldRecord
from domain.quality.suppliers import ApprovedSuppliers
from projections.runner import Notified
from projections.sql import upsert_add
from projections.tables import (
    approved_suppliers,
    inspection_characteristics,
    inspection_defects,
    inspection_lots,
    inspection_measurements,
    inspection_plans,
    ncr_dispositions,
    nonconformances,
    operation_holds,
    purchase_order_flags,
    quality_alerts,
    supplier_quality,
    yield_lots,
)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


class QualityProjection:
    name = "quality"
    tables = (inspection_plans, inspection_characteristics, inspection_lots,
              inspection_measurements, inspection_defects, nonconformances, ncr_dispositions,
              operation_holds, supplier_quality, yield_lots, purchase_order_flags,
              quality_alerts, approved_suppliers)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        for n in batch:
            ev = n.event
            handler = _HANDLERS.get(type(ev))
            if handler is not None:
                handler(conn, n)


# -- plans -------------------------------------------------------------------------------------
def _plan_version(conn: Connection, n: Notified) -> None:
    ev = n.event
    v, key = ev.version, {"item": ev.item, "stage": ev.stage.value, "operation": ev.operation,
                          "version": ev.version.version}
    s = v.sampling
    conn.execute(inspection_plans.insert().values(
        **key, effective_from=v.effective_from, effective_to=v.effective_to,
        method=s.method.value, aql=f"{s.aql:f}" if s.aql else "", level=s.level,
        sample_size=s.sample_size, accept=s.accept, blocks_next=v.blocks_next,
        description=v.description))
    conn.execute(inspection_characteristics.insert(), [{
        **key, "code": ch.code, "seq": i + 1, "name": ch.name, "kind": ch.kind.value,
        "nominal": _text(ch.nominal), "lower": _text(ch.lower), "upper": _text(ch.upper),
        "unit": ch.unit, "decimals": ch.decimals, "defect_codes": ",".join(ch.defect_codes),
    } for i, ch in enumerate(v.characteristics)])


def _plan_ended(conn: Connection, n: Notified) -> None:
    ev, p = n.event, inspection_plans.c
    conn.execute(update(inspection_plans).where(and_(
        p.item == ev.item, p.stage == ev.stage.value, p.operation == ev.operation,
        p.version == ev.version)).values(effective_to=ev.effective_to))


# -- inspection lots ---------------------------------------------------------------------------
def _lot_opened(conn: Connection, n: Notified) -> None:
    ev = n.event
    src, plan = ev.source, ev.sampling
    conn.execute(inspection_lots.insert().values(
        number=ev.number, stage=ev.stage.value, item=ev.item, qty_micros=to_micros(ev.qty),
        warehouse=ev.warehouse, location=ev.location, lot=ev.lot, document=src.document,
        doc_line=src.line, supplier=src.supplier, order_no=src.order,
        order_line=src.order_line, operation=src.operation, work_center=src.work_center,
        value_cents=to_cents(src.value), reinspects=src.reinspects, first_lot=src.first_lot,
        plan_version=ev.plan_version, code_letter=plan.code_letter,
        plan_letter=plan.plan_letter, sample_size=plan.sample_size, accept=plan.accept,
        reject=plan.reject, full_inspection=plan.full, blocks_next=ev.blocks_next,
        opened_on=ev.opened_on, status="open", inspected_on=None, nonconformities=0,
        defective=0, computed_verdict="", computed_accepted_micros=0, verdict="",
        accepted_micros=0, rejected_micros=0, decided_on=None, overridden=False, reason="",
        ncr="", release_document="", hours_micros=0, appraisal_cents=0, inspector="",
        conceded_micros=0,
        position=n.position))


def _lot_row(conn: Connection, number: str) -> Any:
    return conn.execute(select(inspection_lots).where(inspection_lots.c.number == number)).one()


def _results(conn: Connection, n: Notified) -> None:
    ev = n.event
    lot = _lot_row(conn, ev.number)
    conn.execute(update(inspection_lots).where(inspection_lots.c.number == ev.number).values(
        status="held", inspected_on=ev.inspected_on, nonconformities=ev.nonconformities,
        defective=ev.defective, computed_verdict=ev.computed.verdict.value,
        computed_accepted_micros=to_micros(ev.computed.accepted),
        hours_micros=to_micros(ev.hours), appraisal_cents=to_cents(ev.appraisal),
        inspector=n.meta.get("actor", "")[:64]))
    limits = _limits(conn, lot)
    rows = [{"lot": ev.number, "characteristic": m.characteristic, "sample_no": i + 1,
             "item": lot.item, "inspected_on": ev.inspected_on, "value": f"{value:f}",
             "conforming": _conforms(limits.get(m.characteristic), value),
             "position": n.position}
            for m in ev.measurements for i, value in enumerate(m.values)]
    if rows:
        conn.execute(inspection_measurements.insert(), rows)
    if ev.defects:
        conn.execute(inspection_defects.insert(), [
            {"lot": ev.number, "characteristic": d.characteristic,
             "defect_code": d.defect_code, "count": d.count} for d in ev.defects])


def _limits(conn: Connection, lot: Any) -> dict[str, tuple[str | None, str | None]]:
    c = inspection_characteristics.c
    rows = conn.execute(select(c.code, c.lower, c.upper).where(and_(
        c.item == lot.item, c.stage == lot.stage, c.operation == lot.operation,
        c.version == lot.plan_version)))
    return {r.code: (r.lower, r.upper) for r in rows}


def _conforms(limits: tuple[str | None, str | None] | None, value: Decimal) -> bool:
    lower, upper = limits or (None, None)
    return ((lower is None or value >= Decimal(lower))
            and (upper is None or value <= Decimal(upper)))


def _decided(conn: Connection, n: Notified) -> None:
    ev = n.event
    d = ev.decision
    conn.execute(update(inspection_lots).where(inspection_lots.c.number == ev.number).values(
        status="closed", verdict=d.verdict.value, accepted_micros=to_micros(d.accepted),
        rejected_micros=to_micros(d.rejected), decided_on=ev.day, overridden=ev.overridden,
        reason=ev.reason[:200], ncr=ev.ncr, release_document=ev.document))


def _conceded(conn: Connection, n: Notified) -> None:
    ev, c = n.event, inspection_lots.c
    conn.execute(update(inspection_lots).where(c.number == ev.number).values(
        conceded_micros=c.conceded_micros + to_micros(ev.qty)))


def _hold(conn: Connection, n: Notified) -> None:
    ev, h = n.event, operation_holds.c
    delta = to_micros(ev.qty) * (1 if isinstance(ev, OperationGate.Held) else -1)
    upsert_add(conn, operation_holds, ("work_order", "operation", "held_by"), [{
        "work_order": ev.work_order, "operation": ev.operation, "held_by": ev.key,
        "qty_micros": delta}])
    conn.execute(delete(operation_holds).where(and_(
        h.work_order == ev.work_order, h.operation == ev.operation, h.held_by == ev.key,
        h.qty_micros <= 0)))


# -- nonconformances ---------------------------------------------------------------------------
def _ncr_opened(conn: Connection, n: Notified) -> None:
    ev = n.event
    src = ev.source
    defects = ", ".join(f"{d.characteristic}/{d.defect_code} x{d.count}" for d in ev.defects)
    conn.execute(nonconformances.insert().values(
        number=ev.number, origin=ev.origin.value, inspection_lot=ev.inspection_lot,
        item=ev.item, qty_micros=to_micros(ev.qty), disposed_micros=0,
        warehouse=ev.warehouse, lot=ev.lot, supplier=src.supplier, order_no=src.order,
        operation=src.operation, work_center=src.work_center, defects=defects[:400],
        description=ev.description[:200], opened_on=ev.opened_on, cost_cents=0,
        position=n.position))


def _disposed(conn: Connection, n: Notified) -> None:
    ev = n.event
    d = ev.disposition
    ncr = conn.execute(select(nonconformances).where(
        nonconformances.c.number == ev.number)).one()
    conn.execute(ncr_dispositions.insert().values(
        number=ev.number, seq=d.seq, kind=d.kind.value, qty_micros=to_micros(d.qty),
        day=d.day, cost_cents=to_cents(d.cost), document=d.document, entry_id=d.entry_id,
        approver=d.approver[:100], reason=d.reason[:200], reinspection=d.reinspection,
        origin=ncr.origin, item=ncr.item, supplier=ncr.supplier,
        work_center=ncr.work_center, position=n.position))
    c = nonconformances.c
    conn.execute(update(nonconformances).where(c.number == ev.number).values(
        disposed_micros=c.disposed_micros + to_micros(d.qty),
        cost_cents=c.cost_cents + to_cents(d.cost)))


# -- suppliers, yields, alerts -----------------------------------------------------------------
def _alert(conn: Connection, n: Notified, kind: str, subject: str, message: str) -> None:
    conn.execute(quality_alerts.insert().values(
        position=n.position, kind=kind, subject=subject[:40], message=message[:400],
        raised_at=n.event.timestamp.isoformat()))


def _judged(conn: Connection, n: Notified) -> None:
    ev, s = n.event, supplier_quality.c
    done = conn.execute(update(supplier_quality).where(s.supplier == ev.supplier).values(
        lots=s.lots + 1, accepted_lots=s.accepted_lots + int(ev.accepted)))
    if not done.rowcount:
        conn.execute(supplier_quality.insert().values(
            supplier=ev.supplier, lots=1, accepted_lots=int(ev.accepted), flagged=False))


def _flag(conn: Connection, n: Notified) -> None:
    ev = n.event
    flagged = isinstance(ev, SupplierQuality.Flagged)
    what = "below" if flagged else "back at or above"
    reason = (f"{ev.supplier}: {ev.rate:f} of its last {ev.lots} incoming lots accepted, "
              f"{what} the threshold {ev.threshold:f}")
    conn.execute(update(supplier_quality).where(supplier_quality.c.supplier == ev.supplier)
                 .values(flagged=flagged, flag_reason=reason[:300] if flagged else ""))
    _alert(conn, n, "supplier_quality" if flagged else "supplier_quality_cleared", ev.supplier,
           reason)


def _po_created(conn: Connection, n: Notified) -> None:
    ev, s = n.event, supplier_quality.c
    row = conn.execute(select(s.flagged, s.flag_reason).where(s.supplier == ev.supplier)).first()
    if row is not None and row.flagged:
        message = (f"{ev.number} placed with {ev.supplier}, flagged for incoming quality; "
                   "prefer another approved supplier")
        conn.execute(purchase_order_flags.insert().values(
            order_no=ev.number, supplier=ev.supplier, message=message, position=n.position,
            reason=row.flag_reason, flagged_at=ev.timestamp.isoformat()))
        _alert(conn, n, "flagged_supplier_order", ev.number, message)


def _suppliers_listed(conn: Connection, n: Notified) -> None:
    ev = n.event
    conn.execute(delete(approved_suppliers).where(approved_suppliers.c.item == ev.item))
    if ev.suppliers:
        conn.execute(approved_suppliers.insert(), [
            {"item": ev.item, "rank": i + 1, "supplier": s, "approved_on": ev.day}
            for i, s in enumerate(ev.suppliers)])


def _lot_inspected(conn: Connection, n: Notified) -> None:
    ev = n.event
    conn.execute(yield_lots.insert().values(
        item=ev.item, key=ev.key, lot=ev.lot, qty_micros=to_micros(ev.qty),
        accepted_micros=to_micros(ev.accepted), lost_micros=0, day=ev.day,
        position=n.position))


def _lost(conn: Connection, n: Notified) -> None:
    ev, y = n.event, yield_lots.c
    conn.execute(update(yield_lots).where(and_(
        y.item == ev.item, y.key == ev.key, y.lot == ev.lot)).values(
        lost_micros=y.lost_micros + to_micros(ev.qty)))


def _low_yield(conn: Connection, n: Notified) -> None:
    ev = n.event
    _alert(conn, n, "low_lot_yield", ev.lot,
           f"{ev.lot} of {ev.item} ({ev.key}): first-pass yield {ev.first_pass:f} below "
           f"{ev.threshold:f}")


_HANDLERS: dict[type, Any] = {
    InspectionPlan.VersionSaved: _plan_version,
    InspectionPlan.VersionEnded: _plan_ended,
    InspectionLot.Opened: _lot_opened,
    InspectionLot.ResultsRecorded: _results,
    InspectionLot.Decided: _decided,
    InspectionLot.Conceded: _conceded,
    OperationGate.Held: _hold,
    OperationGate.Released: _hold,
    Nonconformance.Opened: _ncr_opened,
    Nonconformance.Disposed: _disposed,
    SupplierQuality.LotJudged: _judged,
    SupplierQuality.Flagged: _flag,
    SupplierQuality.Cleared: _flag,
    PurchaseOrder.Created: _po_created,
    ApprovedSuppliers.Listed: _suppliers_listed,
    YieldRecord.LotInspected: _lot_inspected,
    YieldRecord.UnitsLost: _lost,
    YieldRecord.LowYieldFound: _low_yield,
}
