"""Reads of the quality read models: inspection plans, inspection lots with
their values and defects, nonconformance reports with their dispositions,
operations held for inspection, supplier flags and quality alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, select

from domain.money import from_cents, from_micros
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
)


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _hours(micros: int) -> Decimal:
    return (Decimal(micros) / 1_000_000).quantize(Decimal("0.0001"))


# -- plans -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CharacteristicView:
    code: str
    name: str
    kind: str
    nominal: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    unit: str
    decimals: int
    defect_codes: tuple[str, ...]


@dataclass(frozen=True)
class PlanView:
    item: str
    stage: str
    operation: str
    version: str
    effective_from: date
    effective_to: date | None
    method: str
    aql: Decimal | None
    level: str
    sample_size: int
    accept: int
    blocks_next: bool
    description: str
    characteristics: tuple[CharacteristicView, ...]


def plan_views(conn: Connection, item: str | None = None,
               stage: str | None = None) -> list[PlanView]:
    p, c = inspection_plans.c, inspection_characteristics.c
    q = select(inspection_plans).order_by(p.item, p.stage, p.operation, p.effective_from)
    if item:
        q = q.where(p.item == item)
    if stage:
        q = q.where(p.stage == stage)
    plans = conn.execute(q).all()
    chars: dict[tuple, list[CharacteristicView]] = {}
    cq = select(inspection_characteristics).order_by(c.item, c.stage, c.operation, c.version,
                                                     c.seq)
    if item:
        cq = cq.where(c.item == item)
    for r in conn.execute(cq):
        chars.setdefault((r.item, r.stage, r.operation, r.version), []).append(
            CharacteristicView(r.code, r.name, r.kind, _dec(r.nominal), _dec(r.lower),
                               _dec(r.upper), r.unit, r.decimals,
                               tuple(x for x in r.defect_codes.split(",") if x)))
    return [PlanView(r.item, r.stage, r.operation, r.version, r.effective_from,
                     r.effective_to, r.method, Decimal(r.aql) if r.aql else None, r.level,
                     r.sample_size, r.accept, r.blocks_next, r.description,
                     tuple(chars.get((r.item, r.stage, r.operation, r.version), ())))
            for r in plans]


# -- inspection lots ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MeasurementView:
    characteristic: str
    sample_no: int
    value: Decimal
    conforming: bool


@dataclass(frozen=True)
class DefectView:
    characteristic: str
    defect_code: str
    count: int


@dataclass(frozen=True)
class LotView:
    number: str
    stage: str
    item: str
    qty: Decimal
    warehouse: str
    location: str
    lot: str
    document: str
    supplier: str
    order: str
    order_line: int
    operation: str
    work_center: str
    value: Decimal
    reinspects: str
    plan_version: str
    code_letter: str
    plan_letter: str
    sample_size: int
    accept: int
    reject: int
    full_inspection: bool
    blocks_next: bool
    opened_on: date
    status: str
    inspected_on: date | None
    nonconformities: int
    computed_verdict: str
    verdict: str
    accepted: Decimal
    rejected: Decimal
    decided_on: date | None
    overridden: bool
    reason: str
    ncr: str
    release_document: str
    hours: Decimal
    inspector: str
    conceded: Decimal
    position: int
    measurements: tuple[MeasurementView, ...] = ()
    defects: tuple[DefectView, ...] = ()


def _lot(r) -> LotView:
    return LotView(
        r.number, r.stage, r.item, from_micros(r.qty_micros), r.warehouse, r.location, r.lot,
        r.document, r.supplier, r.order_no, r.order_line, r.operation, r.work_center,
        from_cents(r.value_cents), r.reinspects, r.plan_version, r.code_letter,
        r.plan_letter, r.sample_size, r.accept, r.reject, r.full_inspection, r.blocks_next,
        r.opened_on, r.status, r.inspected_on, r.nonconformities, r.computed_verdict,
        r.verdict, from_micros(r.accepted_micros), from_micros(r.rejected_micros),
        r.decided_on, r.overridden, r.reason, r.ncr, r.release_document,
        _hours(r.hours_micros), r.inspector, from_micros(r.conceded_micros), r.position)


def lot_views(conn: Connection, status: str | None = None, stage: str | None = None,
              item: str | None = None, source: str | None = None,
              first: int = 100) -> list[LotView]:
    """Newest first; ``source``: the document or order that opened them."""
    c = inspection_lots.c
    q = select(inspection_lots).order_by(c.position.desc()).limit(first)
    for column, value in ((c.status, status), (c.stage, stage), (c.item, item)):
        if value:
            q = q.where(column == value)
    if source:
        q = q.where((c.document == source) | (c.order_no == source))
    return [_lot(r) for r in conn.execute(q)]


def lot_view(conn: Connection, number: str) -> LotView | None:
    r = conn.execute(select(inspection_lots).where(inspection_lots.c.number == number)).first()
    if r is None:
        return None
    m, d = inspection_measurements.c, inspection_defects.c
    values = tuple(MeasurementView(x.characteristic, x.sample_no, Decimal(x.value),
                                   x.conforming)
                   for x in conn.execute(select(inspection_measurements)
                                         .where(m.lot == number)
                                         .order_by(m.characteristic, m.sample_no)))
    defects = tuple(DefectView(x.characteristic, x.defect_code, x.count)
                    for x in conn.execute(select(inspection_defects).where(d.lot == number)
                                          .order_by(d.characteristic, d.defect_code)))
    lot = _lot(r)
    return LotView(**{**lot.__dict__, "measurements": values, "defects": defects})


# -- nonconformances ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DispositionView:
    seq: int
    kind: str
    qty: Decimal
    day: date
    cost: Decimal
    document: str
    entry_id: str
    approver: str
    reason: str
    reinspection: str


@dataclass(frozen=True)
class NcrView:
    number: str
    origin: str
    inspection_lot: str
    item: str
    qty: Decimal
    disposed: Decimal
    warehouse: str
    lot: str
    supplier: str
    order: str
    operation: str
    work_center: str
    defects: str
    description: str
    opened_on: date
    cost: Decimal
    dispositions: tuple[DispositionView, ...] = field(default=())

    @property
    def open_qty(self) -> Decimal:
        return self.qty - self.disposed


def ncr_views(conn: Connection, open_only: bool = False, item: str | None = None,
              number: str | None = None, first: int = 100) -> list[NcrView]:
    c, d = nonconformances.c, ncr_dispositions.c
    q = select(nonconformances).order_by(c.position.desc()).limit(first)
    if open_only:
        q = q.where(c.qty_micros > c.disposed_micros)
    if item:
        q = q.where(c.item == item)
    if number:
        q = q.where(c.number == number)
    rows = conn.execute(q).all()
    found: dict[str, list[DispositionView]] = {}
    if rows:
        for x in conn.execute(select(ncr_dispositions)
                              .where(d.number.in_([r.number for r in rows]))
                              .order_by(d.number, d.seq)):
            found.setdefault(x.number, []).append(DispositionView(
                x.seq, x.kind, from_micros(x.qty_micros), x.day, from_cents(x.cost_cents),
                x.document, x.entry_id, x.approver, x.reason, x.reinspection))
    return [NcrView(r.number, r.origin, r.inspection_lot, r.item, from_micros(r.qty_micros),
                    from_micros(r.disposed_micros), r.warehouse, r.lot, r.supplier, r.order_no,
                    r.operation, r.work_center, r.defects, r.description, r.opened_on,
                    from_cents(r.cost_cents), tuple(found.get(r.number, ())))
            for r in rows]


# -- holds, suppliers, alerts ------------------------------------------------------------------
@dataclass(frozen=True)
class HoldView:
    work_order: str
    operation: str
    held_by: str
    qty: Decimal


def hold_views(conn: Connection, work_order: str | None = None) -> list[HoldView]:
    h = operation_holds.c
    q = select(operation_holds).order_by(h.work_order, h.operation, h.held_by)
    if work_order:
        q = q.where(h.work_order == work_order)
    return [HoldView(r.work_order, r.operation, r.held_by, from_micros(r.qty_micros))
            for r in conn.execute(q)]


@dataclass(frozen=True)
class SupplierFlagView:
    supplier: str
    lots: int
    accepted_lots: int
    flagged: bool
    flagged_orders: tuple[str, ...]


def supplier_flags(conn: Connection, supplier: str | None = None) -> list[SupplierFlagView]:
    s, f = supplier_quality.c, purchase_order_flags.c
    q = select(supplier_quality).order_by(s.supplier)
    if supplier:
        q = q.where(s.supplier == supplier)
    orders: dict[str, list[str]] = {}
    for r in conn.execute(select(f.supplier, f.order_no).order_by(f.position)):
        orders.setdefault(r.supplier, []).append(r.order_no)
    return [SupplierFlagView(r.supplier, r.lots, r.accepted_lots, r.flagged,
                             tuple(orders.get(r.supplier, ()))) for r in conn.execute(q)]


@dataclass(frozen=True)
class ApprovedSupplierView:
    item: str
    rank: int  # 1 = preferred
    supplier: str
    approved_on: date
    flagged: bool  # flagged for incoming quality now


def approved_supplier_views(conn: Connection,
                            item: str | None = None) -> list[ApprovedSupplierView]:
    """The approved supplier list by item and rank, with each supplier's flag."""
    a = approved_suppliers.c
    flagged = {r.supplier for r in conn.execute(
        select(supplier_quality.c.supplier).where(supplier_quality.c.flagged.is_(True)))}
    q = select(approved_suppliers).order_by(a.item, a.rank)
    if item:
        q = q.where(a.item == item)
    return [ApprovedSupplierView(r.item, r.rank, r.supplier, r.approved_on,
                                 r.supplier in flagged) for r in conn.execute(q)]


@dataclass(frozen=True)
class OrderFlagView:
    """A purchase order placed while its supplier was flagged for incoming quality."""

    order: str
    supplier: str
    reason: str  # the supplier's flag: its acceptance rate against the threshold
    message: str
    flagged_at: str  # when the order was placed (ISO 8601, UTC)


def order_flag(conn: Connection, order: str) -> OrderFlagView | None:
    """Why a purchase order is flagged for quality (None if it is not)."""
    f = purchase_order_flags.c
    r = conn.execute(select(purchase_order_flags).where(f.order_no == order)).first()
    return None if r is None else OrderFlagView(r.order_no, r.supplier, r.reason, r.message,
                                                r.flagged_at)


def supplier_flagged(conn: Connection, supplier: str) -> bool:
    """Whether a supplier is flagged for incoming quality now."""
    s = supplier_quality.c
    return bool(conn.execute(select(s.flagged).where(s.supplier == supplier)).scalar())


@dataclass(frozen=True)
class QualityAlertView:
    position: int
    kind: str
    subject: str
    message: str
    raised_at: str


def alert_views(conn: Connection, kind: str | None = None, after: int = 0,
                first: int = 100, oldest_first: bool = False) -> list[QualityAlertView]:
    a = quality_alerts.c
    q = select(quality_alerts).where(a.position > after).limit(first)
    q = q.order_by(a.position if oldest_first else a.position.desc())
    if kind:
        q = q.where(and_(a.kind == kind))
    return [QualityAlertView(r.position, r.kind, r.subject, r.message, r.raised_at)
            for r in conn.execute(q)]
