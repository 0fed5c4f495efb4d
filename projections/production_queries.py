"""Reads of the production read models: work orders, dispatch lists, WIP
against the ledger, held orders that became releasable, what is ready to
ship, and shop-floor KPIs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, func, select

from domain.money import from_cents, from_micros
from domain.production.work_orders import scan_code
from projections.tables import (
    alerts,
    bom_lines,
    items,
    ledger_turnover,
    operation_reports,
    operators,
    order_lines,
    orders,
    routing_operations,
    stock_balances,
    work_centers,
    work_order_completions,
    work_order_materials,
    work_order_operations,
    work_order_shortages,
    work_orders,
)

ZERO = Decimal("0.00")
ZERO_QTY = Decimal("0.000000")


def _h(micro_hours: int) -> Decimal:
    return (Decimal(micro_hours) / 1_000_000).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class WorkOrderSummary:
    number: str
    item: str
    item_name: str
    qty: Decimal
    due_date: date
    status: str
    completed: Decimal
    scrapped: Decimal
    wip: Decimal
    business_day: date


@dataclass(frozen=True)
class MaterialView:
    line_no: int
    component: str
    issue_method: str
    operation: str
    required: Decimal
    issued: Decimal
    returned: Decimal
    issued_value: Decimal
    returned_value: Decimal


@dataclass(frozen=True)
class OperationView:
    op_no: str
    scan_code: str
    work_center: str
    status: str
    good: Decimal
    scrap: Decimal
    rework: Decimal
    labor_hours: Decimal
    machine_hours: Decimal
    standard_hours: Decimal


@dataclass(frozen=True)
class ReportView:
    position: int
    op_no: str
    work_center: str
    report_date: date
    good: Decimal
    scrap: Decimal
    rework: Decimal
    scrap_reason: str
    labor_hours: Decimal
    machine_hours: Decimal
    operator: str
    equipment: str
    labor_cost: Decimal
    overhead_cost: Decimal
    scrap_cost: Decimal
    flagged: str
    entry_id: str


@dataclass(frozen=True)
class CompletionView:
    position: int
    document: str
    qty: Decimal
    value: Decimal
    lot: str


@dataclass(frozen=True)
class ShortageView:
    item: str
    needed: Decimal
    available_then: Decimal


@dataclass(frozen=True)
class CostBreakdown:
    """Cost in (material, labor, overhead), out (completions, abnormal scrap,
    close variance) and the WIP balance by element."""

    material_in: Decimal
    labor_in: Decimal
    overhead_in: Decimal
    completed_value: Decimal
    abnormal_scrap: Decimal
    variance: Decimal
    wip_material: Decimal
    wip_labor: Decimal
    wip_overhead: Decimal

    @property
    def wip(self) -> Decimal:
        return self.wip_material + self.wip_labor + self.wip_overhead


@dataclass(frozen=True)
class WorkOrderDetail:
    summary: WorkOrderSummary
    warehouse: str
    bom_version: str
    routing_version: str
    materials: list[MaterialView]
    operations: list[OperationView]
    reports: list[ReportView]
    completions: list[CompletionView]
    shortages: list[ShortageView]
    cost: CostBreakdown

    @property
    def unit_cost(self) -> Decimal | None:
        done = self.summary.completed
        return (self.cost.completed_value / done).quantize(Decimal("0.000001")) if done else None


def _summary(r) -> WorkOrderSummary:
    return WorkOrderSummary(
        r.number, r.item, r.name, from_micros(r.qty_micros), r.due_date, r.status,
        from_micros(r.completed_micros), from_micros(r.scrapped_micros),
        from_cents(r.material_cents + r.labor_cents + r.overhead_cents), r.business_day)


def work_order_list(conn: Connection, *, status: str | None = None, item: str | None = None,
                    first: int = 100, after_number: str | None = None
                    ) -> list[WorkOrderSummary]:
    q = (select(work_orders, items.c.name).join(items, items.c.code == work_orders.c.item)
         .order_by(work_orders.c.number).limit(first))
    if status:
        q = q.where(work_orders.c.status == status)
    if item:
        q = q.where(work_orders.c.item == item)
    if after_number:
        q = q.where(work_orders.c.number > after_number)
    return [_summary(r) for r in conn.execute(q)]


def work_order(conn: Connection, number: str) -> WorkOrderDetail | None:
    r = conn.execute(select(work_orders, items.c.name)
                     .join(items, items.c.code == work_orders.c.item)
                     .where(work_orders.c.number == number)).first()
    if r is None:
        return None
    m = work_order_materials.c
    materials = [MaterialView(x.line_no, x.component, x.issue_method, x.operation,
                              from_micros(x.required_micros), from_micros(x.issued_micros),
                              from_micros(x.returned_micros), from_cents(x.issued_value_cents),
                              from_cents(x.returned_value_cents))
                 for x in conn.execute(select(work_order_materials).where(m.number == number)
                                       .order_by(m.line_no))]
    o = work_order_operations.c
    operations = []
    for x in conn.execute(select(work_order_operations).where(o.number == number)
                          .order_by(o.seq)):
        processed = x.good_micros + x.scrap_micros
        standard = (x.setup_uh if processed else 0) + x.run_uh_per_unit * processed // 1_000_000
        operations.append(OperationView(
            x.op_no, scan_code(number, x.op_no), x.work_center, x.status,
            from_micros(x.good_micros), from_micros(x.scrap_micros),
            from_micros(x.rework_micros), _h(x.labor_uh), _h(x.machine_uh), _h(standard)))
    rp = operation_reports.c
    reports = [ReportView(x.position, x.op_no, x.work_center, x.report_date,
                          from_micros(x.good_micros), from_micros(x.scrap_micros),
                          from_micros(x.rework_micros), x.scrap_reason, _h(x.labor_uh),
                          _h(x.machine_uh), x.operator, x.equipment, from_cents(x.labor_cents),
                          from_cents(x.overhead_cents), from_cents(x.scrap_cost_cents),
                          x.flagged, x.entry_id)
               for x in conn.execute(select(operation_reports).where(rp.number == number)
                                     .order_by(rp.position))]
    c = work_order_completions.c
    completions = [CompletionView(x.position, x.document, from_micros(x.qty_micros),
                                  from_cents(x.value_cents), x.lot)
                   for x in conn.execute(select(work_order_completions)
                                         .where(c.number == number).order_by(c.position))]
    s = work_order_shortages.c
    shortages = [ShortageView(x.item, from_micros(x.needed_micros),
                              from_micros(x.available_micros))
                 for x in conn.execute(select(work_order_shortages).where(s.number == number)
                                       .order_by(s.item))]
    cost = CostBreakdown(
        material_in=sum((v.issued_value - v.returned_value for v in materials), ZERO),
        labor_in=sum((v.labor_cost for v in reports), ZERO),
        overhead_in=sum((v.overhead_cost for v in reports), ZERO)
        + from_cents(r.overhead_allocated_cents),
        completed_value=from_cents(r.completed_value_cents),
        abnormal_scrap=sum((v.scrap_cost for v in reports), ZERO),
        variance=from_cents(r.variance_cents),
        wip_material=from_cents(r.material_cents), wip_labor=from_cents(r.labor_cents),
        wip_overhead=from_cents(r.overhead_cents))
    return WorkOrderDetail(_summary(r), r.warehouse, r.bom_version, r.routing_version,
                           materials, operations, reports, completions, shortages, cost)


@dataclass(frozen=True)
class DispatchRow:
    """派工单 line: an operation to run at a work center, in priority order."""

    number: str
    op_no: str
    scan_code: str
    item: str
    due_date: date
    status: str
    available: Decimal  # delivered by the predecessor (or ordered) and not yet processed
    remaining: Decimal  # ordered less processed here
    standard_hours: Decimal


def dispatch_list(conn: Connection, work_center: str) -> list[DispatchRow]:
    """Released operations at a work center: due date first, then release time."""
    wo, op = work_orders.c, work_order_operations.c
    rows = conn.execute(
        select(work_orders.c.number, wo.item, wo.due_date, wo.qty_micros,
               wo.released_position, work_order_operations)
        .join(work_order_operations, op.number == wo.number)
        .where(wo.status.in_(("released", "in_progress")))
        .order_by(wo.due_date, wo.released_position, op.seq)).all()
    by_order: dict[str, list] = {}
    for r in rows:
        by_order.setdefault(r.number, []).append(r)
    out = []
    for r in rows:
        if r.work_center != work_center:
            continue
        ops = by_order[r.number]
        i = [x.op_no for x in ops].index(r.op_no)
        delivered = r.qty_micros if i == 0 else ops[i - 1].good_micros
        processed = r.good_micros + r.scrap_micros
        remaining = r.qty_micros - processed
        if remaining <= 0:
            continue
        std = r.setup_uh * (processed == 0) + r.run_uh_per_unit * remaining // 1_000_000
        out.append(DispatchRow(r.number, r.op_no, scan_code(r.number, r.op_no), r.item,
                               r.due_date, r.status, from_micros(max(delivered - processed, 0)),
                               from_micros(remaining), _h(std)))
    return out


@dataclass(frozen=True)
class WipReconciliation:
    wip_total: Decimal
    gl_balance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.wip_total - self.gl_balance


def wip_reconciliation(conn: Connection, account: str = "400101") -> WipReconciliation:
    """WIP of all work orders against the 4001 (400101) balance: equal by construction."""
    wo = work_orders.c
    wip = conn.execute(select(func.coalesce(func.sum(
        wo.material_cents + wo.labor_cents + wo.overhead_cents), 0))).scalar_one()
    t = ledger_turnover.c
    gl = conn.execute(select(func.coalesce(func.sum(t.debit_cents - t.credit_cents), 0))
                      .where(t.account_code.startswith(account))).scalar_one()
    return WipReconciliation(from_cents(int(wip)), from_cents(int(gl)))


@dataclass(frozen=True)
class HeldOrder:
    number: str
    item: str
    due_date: date
    shortages: list[tuple[str, Decimal, Decimal]]  # item, needed, available now

    @property
    def releasable(self) -> bool:
        """The materials it was held for have arrived (物料到库后再排产)."""
        return all(available >= needed for _, needed, available in self.shortages)


def held_work_orders(conn: Connection) -> list[HeldOrder]:
    wo, s = work_orders.c, work_order_shortages.c
    rows = conn.execute(
        select(wo.number, wo.item, wo.due_date, wo.warehouse, s.item.label("component"),
               s.needed_micros)
        .join(work_order_shortages, s.number == wo.number)
        .where(wo.status == "held").order_by(wo.due_date, wo.number, s.item)).all()
    available = _available(conn)
    defaults = dict(conn.execute(select(items.c.code, items.c.default_warehouse)).all())
    held: dict[str, HeldOrder] = {}
    for r in rows:
        order = held.setdefault(r.number, HeldOrder(r.number, r.item, r.due_date, []))
        wh = defaults.get(r.component) or r.warehouse
        now = available.get((r.component, wh), 0)
        order.shortages.append((r.component, from_micros(r.needed_micros),
                                from_micros(max(now, 0))))
    return list(held.values())


def _available(conn: Connection) -> dict[tuple[str, str], int]:
    return {(r.item, r.warehouse): r.qty_micros - r.quarantine_micros - r.reserved_micros
            for r in conn.execute(select(stock_balances))}


@dataclass(frozen=True)
class ReadyToShip:
    number: str
    line_no: int
    customer: str
    item: str
    open_qty: Decimal
    reserved: Decimal
    available: Decimal
    due_date: date


def ready_to_ship(conn: Connection, item: str | None = None) -> list[ReadyToShip]:
    """Open sales order lines that stock (reserved or free) now covers."""
    ln, o = order_lines.c, orders.c
    q = (select(order_lines, o.party).join(orders, o.number == ln.number)
         .where(o.kind == "sales", o.status == "confirmed").order_by(ln.due_date, ln.number))
    if item:
        q = q.where(ln.item == item)
    available = _available(conn)
    out = []
    for r in conn.execute(q):
        open_qty = r.qty_micros - r.delivered_micros + r.returned_micros
        if open_qty <= 0:
            continue
        free = max(available.get((r.item, r.warehouse), 0), 0)
        if r.reserved_micros + free >= open_qty:
            out.append(ReadyToShip(r.number, r.line_no, r.party, r.item, from_micros(open_qty),
                                   from_micros(r.reserved_micros), from_micros(free),
                                   r.due_date))
    return out


@dataclass(frozen=True)
class ShopKpi:
    day: date
    work_center: str
    planned: Decimal  # ordered on work orders due that day with an operation here
    done: Decimal  # good reported here for those orders
    good: Decimal  # reported here that day
    scrap: Decimal
    labor_hours: Decimal
    standard_hours: Decimal

    @property
    def plan_attainment(self) -> Decimal | None:
        """计划达成率 = actual output / planned output."""
        return (self.done / self.planned).quantize(Decimal("0.0001")) if self.planned else None

    @property
    def scrap_rate(self) -> Decimal | None:
        """废品率 = scrap / total produced."""
        total = self.good + self.scrap
        return (self.scrap / total).quantize(Decimal("0.0001")) if total else None

    @property
    def labor_efficiency(self) -> Decimal | None:
        """Standard hours earned per labor hour reported."""
        if not self.labor_hours:
            return None
        return (self.standard_hours / self.labor_hours).quantize(Decimal("0.0001"))


def shop_kpis(conn: Connection, day_from: date, day_to: date,
              work_center: str | None = None) -> list[ShopKpi]:
    rp, op, wo = operation_reports.c, work_order_operations.c, work_orders.c
    reported = (select(rp.report_date, rp.work_center, func.sum(rp.good_micros),
                       func.sum(rp.scrap_micros), func.sum(rp.labor_uh),
                       func.sum((rp.good_micros + rp.scrap_micros) * op.run_uh_per_unit
                                / 1_000_000))
                .join(work_order_operations, and_(op.number == rp.number, op.op_no == rp.op_no))
                .where(rp.report_date >= day_from, rp.report_date <= day_to)
                .group_by(rp.report_date, rp.work_center))
    planned = (select(wo.due_date, op.work_center, func.sum(wo.qty_micros),
                      func.sum(op.good_micros))
               .join(work_order_operations, op.number == wo.number)
               .where(wo.due_date >= day_from, wo.due_date <= day_to,
                      wo.status != "cancelled")
               .group_by(wo.due_date, op.work_center))
    if work_center:
        reported = reported.where(rp.work_center == work_center)
        planned = planned.where(op.work_center == work_center)
    cells: dict[tuple[date, str], dict[str, int]] = {}
    for d, wc, good, scrap, labor, std in conn.execute(reported):
        cells.setdefault((d, wc), {}).update(good=good or 0, scrap=scrap or 0,
                                             labor=labor or 0, std=int(std or 0))
    for d, wc, qty, done in conn.execute(planned):
        cells.setdefault((d, wc), {}).update(planned=qty or 0, done=done or 0)
    return [ShopKpi(d, wc, from_micros(c.get("planned", 0)), from_micros(c.get("done", 0)),
                    from_micros(c.get("good", 0)), from_micros(c.get("scrap", 0)),
                    _h(c.get("labor", 0)), _h(c.get("std", 0)))
            for (d, wc), c in sorted(cells.items())]


# -- engineering data, alerts and the progress feed (for the API) ---------------------
@dataclass(frozen=True)
class ShiftView:
    weekday: int
    start: str
    end: str


@dataclass(frozen=True)
class WorkCenterView:
    code: str
    name: str
    capacity: int
    labor_rate: Decimal
    overhead_rate: Decimal
    shifts: list[ShiftView]
    holidays: list[date]


def work_center_views(conn: Connection, code: str | None = None) -> list[WorkCenterView]:
    q = select(work_centers).order_by(work_centers.c.code)
    if code:
        q = q.where(work_centers.c.code == code)
    out = []
    for r in conn.execute(q):
        shifts = []
        for part in filter(None, r.shifts.split(";")):
            day, _, span = part.partition(" ")
            start, _, end = span.partition("-")
            shifts.append(ShiftView(int(day), start, end))
        holidays = [date.fromisoformat(d) for d in filter(None, r.holidays.split(","))]
        out.append(WorkCenterView(r.code, r.name, r.capacity, Decimal(r.labor_rate),
                                  Decimal(r.overhead_rate), shifts, holidays))
    return out


@dataclass(frozen=True)
class OperatorView:
    code: str
    name: str
    work_centers: list[str]


def operator_views(conn: Connection, code: str | None = None) -> list[OperatorView]:
    q = select(operators).order_by(operators.c.code)
    if code:
        q = q.where(operators.c.code == code)
    return [OperatorView(r.code, r.name, [w for w in r.work_centers.split(",") if w])
            for r in conn.execute(q)]


@dataclass(frozen=True)
class BomLineView:
    line_no: int
    component: str
    qty_per: Decimal
    scrap_allowance: Decimal
    issue_method: str
    operation: str


@dataclass(frozen=True)
class BomView:
    item: str
    version: str
    effective_from: date
    effective_to: date | None
    lines: list[BomLineView]


def bom_views(conn: Connection, item: str | None = None,
              version: str | None = None) -> list[BomView]:
    """BOM versions by item, then effective date."""
    b = bom_lines.c
    q = select(bom_lines).order_by(b.item, b.effective_from, b.version, b.line_no)
    if item:
        q = q.where(b.item == item)
    if version:
        q = q.where(b.version == version)
    out: dict[tuple[str, str], BomView] = {}
    for r in conn.execute(q):
        view = out.setdefault((r.item, r.version), BomView(
            r.item, r.version, r.effective_from, r.effective_to, []))
        view.lines.append(BomLineView(r.line_no, r.component, Decimal(r.qty_per),
                                      Decimal(r.scrap_allowance), r.issue_method, r.operation))
    return list(out.values())


@dataclass(frozen=True)
class RoutingOperationView:
    op_no: str
    work_center: str
    setup_hours: Decimal
    run_hours_per_unit: Decimal
    description: str


@dataclass(frozen=True)
class RoutingView:
    item: str
    version: str
    effective_from: date
    effective_to: date | None
    operations: list[RoutingOperationView]


def routing_views(conn: Connection, item: str | None = None,
                  version: str | None = None) -> list[RoutingView]:
    """Routing versions by item, then effective date."""
    o = routing_operations.c
    q = select(routing_operations).order_by(o.item, o.effective_from, o.version, o.seq)
    if item:
        q = q.where(o.item == item)
    if version:
        q = q.where(o.version == version)
    out: dict[tuple[str, str], RoutingView] = {}
    for r in conn.execute(q):
        view = out.setdefault((r.item, r.version), RoutingView(
            r.item, r.version, r.effective_from, r.effective_to, []))
        view.operations.append(RoutingOperationView(
            r.op_no, r.work_center, Decimal(r.setup_hours), Decimal(r.run_hours_per_unit),
            r.description))
    return list(out.values())


@dataclass(frozen=True)
class AlertView:
    position: int
    kind: str
    subject: str
    message: str
    raised_at: str


def alert_views(conn: Connection, kind: str | None = None, subject: str | None = None,
                first: int = 100) -> list[AlertView]:
    """The newest alerts first."""
    a = alerts.c
    q = select(alerts).order_by(a.position.desc()).limit(first)
    if kind:
        q = q.where(a.kind == kind)
    if subject:
        q = q.where(a.subject == subject)
    return [AlertView(r.position, r.kind, r.subject, r.message, r.raised_at)
            for r in conn.execute(q)]


@dataclass(frozen=True)
class ProgressReport:
    """An operation report with its work order, for the live progress feed."""

    number: str
    item: str
    report: ReportView


def reports_after(conn: Connection, position: int, number: str | None = None,
                  limit: int = 100) -> list[ProgressReport]:
    """Operation reports projected after log position ``position``, oldest first."""
    rp, wo = operation_reports.c, work_orders.c
    q = (select(operation_reports, wo.item).join(work_orders, wo.number == rp.number)
         .where(rp.position > position).order_by(rp.position).limit(limit))
    if number:
        q = q.where(rp.number == number)
    return [ProgressReport(x.number, x.item, ReportView(
        x.position, x.op_no, x.work_center, x.report_date, from_micros(x.good_micros),
        from_micros(x.scrap_micros), from_micros(x.rework_micros), x.scrap_reason,
        _h(x.labor_uh), _h(x.machine_uh), x.operator, x.equipment, from_cents(x.labor_cents),
        from_cents(x.overhead_cents), from_cents(x.scrap_cost_cents), x.flagged, x.entry_id))
        for x in conn.execute(q)]
