"""Quality measures over the read models: KPIs by item, supplier, work
center, day or month; the supplier scorecard; the quality cost report
(质量成本); SPC chart data of a measured characteristic; an item's observed
yield and recommended scrap factor.

Definitions (first inspections only: a re-inspection after rework is not a
new lot):

- first-pass yield = units accepted by the computed decision / units inspected;
- PPM defective = units finally rejected / units inspected x 1,000,000;
- acceptance rate = lots the computed decision accepted / lots decided;
- NCR count and cost: reports opened, and the loss their dispositions
  recorded (scrapped value, rework hours), in the window;
- quality cost: internal failure = scrap and rework of dispositions plus the
  abnormal scrap operation reports posted (not those of an NCR); external
  failure = customer returns (at cost) and red sales invoices for returns and
  allowances (ex VAT); appraisal = inspection hours at the inspector's rate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection, and_, func, select

from domain.money import from_cents, from_micros
from domain.quality import spc
from domain.quality.records import ratio, recommended_scrap_factor
from projections.tables import (
    inspection_characteristics,
    inspection_lots,
    inspection_measurements,
    items,
    ncr_dispositions,
    nonconformances,
    operation_reports,
    order_lines,
    orders,
    sales_invoices,
    stock_documents,
    yield_lots,
)

ZERO = Decimal("0.00")
GROUPS = ("item", "supplier", "work_center", "day", "month")
QUALITY_RED_REASONS = (1, 4)  # 销货退回, 销售折让


def ppm(part: Decimal, whole: Decimal) -> int:
    if whole <= 0:
        return 0
    return int((part * 1_000_000 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class KpiRow:
    key: str
    lots: int
    accepted_lots: int
    inspected: Decimal
    first_pass: Decimal  # units the computed decision accepted
    rejected: Decimal  # units finally rejected
    ncr_count: int
    ncr_cost: Decimal

    @property
    def first_pass_yield(self) -> Decimal:
        return ratio(self.first_pass, self.inspected)

    @property
    def ppm(self) -> int:
        return ppm(self.rejected, self.inspected)

    @property
    def acceptance_rate(self) -> Decimal:
        return ratio(Decimal(self.accepted_lots), Decimal(self.lots))


def _key(group: str) -> Callable[[object, date], str]:
    if group == "day":
        return lambda r, day: day.isoformat()
    if group == "month":
        return lambda r, day: day.isoformat()[:7]
    return lambda r, day: getattr(r, group)


def kpis(conn: Connection, start: date, end: date, group: str) -> list[KpiRow]:
    """KPI rows by ``group`` over lots decided and NCRs opened from ``start`` to ``end``."""
    key = _key(group)
    lots: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    c = inspection_lots.c
    q = select(inspection_lots).where(c.reinspects == "", c.status == "closed",
                                      c.decided_on >= start, c.decided_on <= end)
    for r in conn.execute(q):
        if group in ("supplier", "work_center") and not getattr(r, group):
            continue
        row = lots[key(r, r.decided_on)]
        row[0] += 1
        row[1] += r.computed_verdict == "accept"
        row[2] += r.qty_micros
        row[3] += r.computed_accepted_micros
        row[4] += r.rejected_micros
    n = nonconformances.c
    for r in conn.execute(select(nonconformances).where(n.opened_on >= start,
                                                        n.opened_on <= end)):
        if group in ("supplier", "work_center") and not getattr(r, group):
            continue
        row = lots[key(r, r.opened_on)]
        row[5] += 1
        row[6] += r.cost_cents
    return [KpiRow(k, v[0], v[1], from_micros(v[2]), from_micros(v[3]), from_micros(v[4]),
                   v[5], from_cents(v[6])) for k, v in sorted(lots.items())]


# -- suppliers ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scorecard:
    supplier: str
    lots: int
    accepted_lots: int
    inspected: Decimal
    rejected: Decimal
    returned: Decimal
    order_lines: int
    on_time_lines: int

    @property
    def acceptance_rate(self) -> Decimal:
        return ratio(Decimal(self.accepted_lots), Decimal(self.lots))

    @property
    def ppm(self) -> int:
        return ppm(self.rejected, self.inspected)

    @property
    def on_time_rate(self) -> Decimal:
        return ratio(Decimal(self.on_time_lines), Decimal(self.order_lines))


def scorecard(conn: Connection, start: date, end: date) -> list[Scorecard]:
    """Per supplier: incoming lots decided, units rejected and returned in the
    window, and its purchase order lines due in the window delivered on time."""
    rows = {r.key: r for r in kpis(conn, start, end, "supplier")}
    d = ncr_dispositions.c
    returned = dict(conn.execute(
        select(d.supplier, func.sum(d.qty_micros)).where(
            d.kind == "return_to_supplier", d.day >= start, d.day <= end)
        .group_by(d.supplier)).all())
    ln, o = order_lines.c, orders.c
    lines: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    q = (select(o.party, ln.completed_on, ln.due_date)
         .select_from(order_lines.join(orders, o.number == ln.number))
         .where(o.kind == "purchase", o.status != "cancelled", o.status != "draft",
                ln.due_date >= start, ln.due_date <= end))
    for party, completed_on, due in conn.execute(q):
        lines[party][0] += 1
        lines[party][1] += completed_on is not None and completed_on <= due
    out = []
    for supplier in sorted(set(rows) | set(lines)):
        k = rows.get(supplier)
        out.append(Scorecard(
            supplier, k.lots if k else 0, k.accepted_lots if k else 0,
            k.inspected if k else Decimal(0), k.rejected if k else Decimal(0),
            from_micros(returned.get(supplier, 0) or 0), *lines.get(supplier, [0, 0])))
    return out


# -- quality cost ------------------------------------------------------------------------------
@dataclass(frozen=True)
class QualityCost:
    scrap: Decimal
    rework: Decimal
    operation_scrap: Decimal
    customer_returns: Decimal
    red_invoices: Decimal
    appraisal: Decimal
    inspection_hours: Decimal

    @property
    def internal_failure(self) -> Decimal:
        return self.scrap + self.rework + self.operation_scrap

    @property
    def external_failure(self) -> Decimal:
        return self.customer_returns + self.red_invoices

    @property
    def total(self) -> Decimal:
        return self.internal_failure + self.external_failure + self.appraisal


def quality_cost(conn: Connection, start: date, end: date) -> QualityCost:
    d, r = ncr_dispositions.c, operation_reports.c
    by_kind = dict(conn.execute(select(d.kind, func.sum(d.cost_cents)).where(
        d.day >= start, d.day <= end).group_by(d.kind)).all())
    op_scrap = conn.execute(select(func.sum(r.scrap_cost_cents)).where(
        r.report_date >= start, r.report_date <= end,
        ~r.scrap_reason.like("NCR %"))).scalar() or 0
    s = stock_documents.c
    returns = conn.execute(select(func.sum(s.total_value_cents)).where(
        s.kind == "customer_return", s.posting_date >= start, s.posting_date <= end)).scalar()
    i = sales_invoices.c
    red = conn.execute(select(func.sum(i.amount_cents)).where(
        i.color == "red", i.red_reason.in_(QUALITY_RED_REASONS), i.invoice_date >= start,
        i.invoice_date <= end)).scalar()
    c = inspection_lots.c
    hours, appraisal = conn.execute(select(func.sum(c.hours_micros), func.sum(c.appraisal_cents))
                                    .where(c.inspected_on >= start, c.inspected_on <= end)).one()
    return QualityCost(from_cents(by_kind.get("scrap", 0) or 0),
                       from_cents(by_kind.get("rework", 0) or 0), from_cents(op_scrap),
                       from_cents(abs(returns or 0)), from_cents(abs(red or 0)),
                       from_cents(appraisal or 0),
                       (Decimal(hours or 0) / 1_000_000).quantize(Decimal("0.0001")))


# -- SPC ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpcData:
    item: str
    characteristic: str
    lower: Decimal | None
    upper: Decimal | None
    values: int
    chart: spc.Chart | None


def spc_data(conn: Connection, item: str, characteristic: str, start: date, end: date,
             n: int) -> SpcData:
    """The measured values of a characteristic in the window, in measuring order."""
    m = inspection_measurements.c
    values = [Decimal(v) for (v,) in conn.execute(
        select(m.value).where(m.item == item, m.characteristic == characteristic,
                              m.inspected_on >= start, m.inspected_on <= end)
        .order_by(m.position, m.lot, m.sample_no))]
    c = inspection_characteristics.c
    limits = conn.execute(select(c.lower, c.upper).where(and_(
        c.item == item, c.code == characteristic, c.kind == "measured"))
        .order_by(c.version.desc())).first()
    lower = Decimal(limits.lower) if limits and limits.lower is not None else None
    upper = Decimal(limits.upper) if limits and limits.upper is not None else None
    return SpcData(item, characteristic, lower, upper, len(values),
                   spc.chart(values, n, lower, upper))


# -- yield -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class YieldRow:
    key: str
    lots: int
    inspected: Decimal
    lost: Decimal

    @property
    def yield_(self) -> Decimal:
        return Decimal(1) - ratio(self.lost, self.inspected)


@dataclass(frozen=True)
class YieldView:
    item: str
    rows: tuple[YieldRow, ...]
    observed: Decimal
    recommended: Decimal
    current: Decimal


def yield_view(conn: Connection, item: str, lots: int) -> YieldView | None:
    """The item's observed yield over its last ``lots`` lots per stage and
    operation (the rule applyYieldRecommendation applies)."""
    current = conn.execute(select(items.c.scrap_factor).where(items.c.code == item)).scalar()
    if current is None:
        return None
    y = yield_lots.c
    by_key: dict[str, list] = defaultdict(list)
    for r in conn.execute(select(yield_lots).where(y.item == item).order_by(y.key, y.position)):
        by_key[r.key].append(r)
    rows, observed = [], Decimal(1)
    for key in sorted(by_key):
        last = by_key[key][-lots:]
        row = YieldRow(key, len(last), from_micros(sum(r.qty_micros for r in last)),
                       from_micros(sum(r.lost_micros for r in last)))
        rows.append(row)
        observed *= row.yield_
    observed = observed.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return YieldView(item, tuple(rows), observed, recommended_scrap_factor(observed),
                     Decimal(current))
