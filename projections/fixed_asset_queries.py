"""Reading the fixed-asset register: the cards with cost, accumulated
depreciation and book value as of a date, the depreciation of a month, and
the register against 1601 固定资产 / 1602 累计折旧."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, func, or_, select

from domain.money import from_cents, from_micros
from projections.tables import (
    fixed_asset_depreciation,
    fixed_asset_parts,
    fixed_assets,
    ledger_lines,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AssetView:
    code: str
    name: str
    category: str
    method: str
    use: str
    expense_account: str
    work_center: str
    equipment: str
    acquisition_date: date
    cost: Decimal
    residual_rate: str
    residual: Decimal
    life_months: int
    total_units: Decimal
    unit: str
    funding: str
    source: str
    vat: Decimal
    accumulated: Decimal  # as of the date asked for
    book_value: Decimal
    months: int  # depreciated, as of the date
    units: Decimal
    through: str
    voucher_no: str
    disposed_on: date | None
    proceeds: Decimal
    proceeds_vat: Decimal
    costs: Decimal
    gain: Decimal
    disposal_reason: str
    disposal_voucher_no: str


@dataclass(frozen=True)
class DepreciationView:
    period: str
    asset: str
    name: str
    account: str
    amount: Decimal
    units: Decimal
    work_center: str
    posting_date: date
    by: str
    voucher_no: str


@dataclass(frozen=True)
class ReconciliationView:
    account: str
    label: str
    register: Decimal  # cost (1601) or accumulated depreciation (1602), debit / credit positive
    gl_balance: Decimal
    difference: Decimal


def register(conn: Connection, as_of: date | None = None,
             include_disposed: bool = False, code: str | None = None) -> list[AssetView]:
    """The cards held at the end of ``as_of`` (default: now), in code order;
    ``include_disposed``: also those disposed of by then."""
    t, d = fixed_assets, fixed_asset_depreciation
    charged = select(d.c.asset, func.sum(d.c.amount_cents).label("cents"),
                     func.count().label("months"), func.sum(d.c.units_micros).label("units"))
    if as_of is not None:
        charged = charged.where(d.c.posting_date <= as_of)
    charged = charged.group_by(d.c.asset).subquery()
    p = fixed_asset_parts
    parts = select(p.c.asset, func.sum(p.c.cost_cents).label("part_cost"),
                   func.sum(p.c.accumulated_cents).label("part_accumulated"))
    if as_of is not None:
        parts = parts.where(p.c.disposal_date <= as_of)
    parts = parts.group_by(p.c.asset).subquery()
    q = select(t, charged.c.cents, charged.c.months.label("charged_months"),
               charged.c.units.label("charged_units"), parts.c.part_cost,
               parts.c.part_accumulated).outerjoin(
        charged, charged.c.asset == t.c.code).outerjoin(
        parts, parts.c.asset == t.c.code).order_by(t.c.code)
    if as_of is not None:
        q = q.where(t.c.acquisition_date <= as_of)
        if not include_disposed:
            q = q.where(or_(t.c.disposed_on.is_(None), t.c.disposed_on > as_of))
    elif not include_disposed:
        q = q.where(t.c.disposed_on.is_(None))
    if code:
        q = q.where(t.c.code == code)
    return [_view(r, as_of) for r in conn.execute(q).mappings()]


def _view(r, as_of: date | None) -> AssetView:
    accumulated = from_cents(r["opening_cents"] + int(r["cents"] or 0)
                             - int(r["part_accumulated"] or 0))
    cost = from_cents(r["cost_cents"] - int(r["part_cost"] or 0))
    disposed = r["disposed_on"] if as_of is None or (
        r["disposed_on"] is not None and r["disposed_on"] <= as_of) else None
    return AssetView(
        code=r["code"], name=r["name"], category=r["category"], method=r["method"],
        use=r["use"], expense_account=r["expense_account"], work_center=r["work_center"],
        equipment=r["equipment"], acquisition_date=r["acquisition_date"], cost=cost,
        residual_rate=r["residual_rate"], residual=from_cents(r["residual_cents"]),
        life_months=r["life_months"], total_units=from_micros(r["total_units_micros"]),
        unit=r["unit"], funding=r["funding"], source=r["source"],
        vat=from_cents(r["vat_cents"]), accumulated=accumulated,
        book_value=cost - accumulated,
        months=r["opening_months"] + int(r["charged_months"] or 0),
        units=from_micros(r["opening_units_micros"] + int(r["charged_units"] or 0)),
        through=r["through"],
        voucher_no=r["voucher_no"], disposed_on=disposed,
        proceeds=from_cents(r["proceeds_cents"]), proceeds_vat=from_cents(
            r["proceeds_vat_cents"]), costs=from_cents(r["costs_cents"]),
        gain=from_cents(r["gain_cents"]), disposal_reason=r["disposal_reason"],
        disposal_voucher_no=r["disposal_voucher_no"])


def depreciation(conn: Connection, period: str | None = None,
                 asset: str | None = None) -> list[DepreciationView]:
    """Each asset's depreciation by month (a period's run and the disposals in it)."""
    d, t = fixed_asset_depreciation, fixed_assets
    q = select(d, t.c.name).join(t, t.c.code == d.c.asset).order_by(d.c.period, d.c.asset)
    if period:
        q = q.where(d.c.period == period)
    if asset:
        q = q.where(d.c.asset == asset)
    return [DepreciationView(r["period"], r["asset"], r["name"], r["account"],
                             from_cents(r["amount_cents"]), from_micros(r["units_micros"]),
                             r["work_center"], r["posting_date"], r["by"], r["voucher_no"])
            for r in conn.execute(q).mappings()]


def reconciliation(conn: Connection, as_of: date | None = None) -> list[ReconciliationView]:
    """The register against the GL at the end of ``as_of`` (default: now):
    cost = 1601, accumulated depreciation = 1602 (and the book values)."""
    held = register(conn, as_of)
    cost = sum((a.cost for a in held), ZERO)
    accumulated = sum((a.accumulated for a in held), ZERO)
    gl_cost, gl_accumulated = _gl(conn, "1601", as_of), -_gl(conn, "1602", as_of)
    rows = (("1601", "固定资产原价", cost, gl_cost),
            ("1602", "累计折旧", accumulated, gl_accumulated),
            ("", "固定资产账面价值", cost - accumulated, gl_cost - gl_accumulated))
    return [ReconciliationView(a, label, reg, gl, reg - gl) for a, label, reg, gl in rows]


def _gl(conn: Connection, prefix: str, as_of: date | None) -> Decimal:
    ln = ledger_lines
    q = select(func.coalesce(func.sum(ln.c.debit_cents - ln.c.credit_cents), 0)).where(
        ln.c.account_code.like(f"{prefix}%"))
    if as_of is not None:
        q = q.where(and_(ln.c.posting_date <= as_of))
    return from_cents(int(conn.execute(q).scalar_one()))
