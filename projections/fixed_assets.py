"""The fixed-asset register read model: each card with its depreciation to date
and its disposal, and each month's depreciation per asset (copied from the
register's events, summed; no rule runs here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, select, update

from domain.fixed_assets.register import FixedAssetRegister, previous_period
from domain.money import to_cents, to_micros
from projections.runner import Notified
from projections.tables import fixed_asset_depreciation, fixed_asset_parts, fixed_assets


class FixedAssetProjection:
    name = "fixed_assets"
    tables = (fixed_assets, fixed_asset_depreciation, fixed_asset_parts)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        for note in batch:
            ev = note.event
            if isinstance(ev, FixedAssetRegister.Acquired):
                conn.execute(fixed_assets.insert().values(**_card_row(ev, note.position)))
            elif isinstance(ev, FixedAssetRegister.Depreciated):
                for line in ev.lines:
                    _depreciated(conn, ev.period, ev.posting_date, line, "run", ev.entry_id,
                                 ev.voucher_no, note.position)
            elif isinstance(ev, FixedAssetRegister.Disposed):
                _disposed(conn, ev, note.position)
            elif isinstance(ev, FixedAssetRegister.CardRevised):
                _revised(conn, ev.code, ev.card)
            elif isinstance(ev, FixedAssetRegister.PartlyDisposed):
                _partly_disposed(conn, ev, note.position)
            elif isinstance(ev, FixedAssetRegister.DepreciationRunReversed):
                _run_reversed(conn, ev.period)


def _card_row(ev: Any, position: int) -> dict[str, Any]:
    card = ev.card
    return {
        "code": card.code, "name": card.name, "category": card.category,
        "method": card.method.value, "use": card.use.value,
        "expense_account": card.expense_account, "work_center": card.work_center,
        "equipment": card.equipment, "unit": card.unit,
        "acquisition_date": card.acquisition_date, "cost_cents": to_cents(card.cost),
        "residual_rate": str(card.residual_rate), "residual_cents": to_cents(card.residual),
        "life_months": card.life_months, "total_units_micros": to_micros(card.total_units),
        "funding": ev.funding.value, "source": ev.source, "vat_cents": to_cents(ev.vat),
        "opening_cents": to_cents(card.opening_accumulated),
        "opening_months": card.opening_months,
        "opening_units_micros": to_micros(card.opening_units),
        "accumulated_cents": to_cents(card.opening_accumulated),
        "months": card.opening_months, "units_micros": to_micros(card.opening_units),
        "through": card.period, "entry_id": ev.entry_id, "voucher_no": ev.voucher_no,
        "disposed_on": None, "proceeds_cents": 0, "proceeds_vat_cents": 0, "costs_cents": 0,
        "gain_cents": 0, "disposal_reason": "", "disposal_entry_id": "",
        "disposal_voucher_no": "", "position": position,
    }


def _depreciated(conn: Connection, period: str, day: Any, line: Any, by: str, entry_id: str,
                 voucher_no: str, position: int) -> None:
    amount, units = to_cents(line.amount), to_micros(line.units)
    conn.execute(fixed_asset_depreciation.insert().values(
        period=period, asset=line.asset, account=line.account, amount_cents=amount,
        units_micros=units, work_center=line.work_center, posting_date=day, by=by,
        entry_id=entry_id, voucher_no=voucher_no, position=position))
    t = fixed_assets
    conn.execute(update(t).where(t.c.code == line.asset).values(
        accumulated_cents=t.c.accumulated_cents + amount, months=t.c.months + 1,
        units_micros=t.c.units_micros + units, through=period))


def _disposed(conn: Connection, ev: Any, position: int) -> None:
    day = ev.disposal_date
    if ev.month is not None:
        _depreciated(conn, f"{day.year:04d}-{day.month:02d}", day, ev.month, "disposal",
                     ev.entry_id, ev.voucher_no, position)
    conn.execute(update(fixed_assets).where(fixed_assets.c.code == ev.code).values(
        disposed_on=day, proceeds_cents=to_cents(ev.proceeds),
        proceeds_vat_cents=to_cents(ev.proceeds_vat), costs_cents=to_cents(ev.costs),
        gain_cents=to_cents(ev.gain), disposal_reason=ev.reason,
        disposal_entry_id=ev.entry_id, disposal_voucher_no=ev.voucher_no))


def _revised(conn: Connection, code: str, card: Any) -> None:
    """The card as edited (its depreciation so far stays as charged)."""
    conn.execute(update(fixed_assets).where(fixed_assets.c.code == code).values(
        name=card.name, category=card.category, use=card.use.value,
        expense_account=card.expense_account, work_center=card.work_center,
        equipment=card.equipment, life_months=card.life_months,
        residual_rate=str(card.residual_rate), residual_cents=to_cents(card.residual),
        total_units_micros=to_micros(card.total_units)))


def _partly_disposed(conn: Connection, ev: Any, position: int) -> None:
    """The month's charge (if made), the part's row; the card keeps its
    original cost, the register subtracts the parts (as of their dates)."""
    day = ev.disposal_date
    if ev.month is not None:
        _depreciated(conn, f"{day.year:04d}-{day.month:02d}", day, ev.month, "disposal",
                     ev.entry_id, ev.voucher_no, position)
    conn.execute(fixed_asset_parts.insert().values(
        position=position, asset=ev.code, disposal_date=day, cost_cents=to_cents(ev.cost_out),
        accumulated_cents=to_cents(ev.accumulated_out), proceeds_cents=to_cents(ev.proceeds),
        proceeds_vat_cents=to_cents(ev.proceeds_vat), costs_cents=to_cents(ev.costs),
        gain_cents=to_cents(ev.gain), reason=ev.reason, entry_id=ev.entry_id,
        voucher_no=ev.voucher_no))
    t = fixed_assets
    conn.execute(update(t).where(t.c.code == ev.code).values(
        residual_cents=to_cents(ev.remaining.residual),
        accumulated_cents=t.c.accumulated_cents - to_cents(ev.accumulated_out)))


def _run_reversed(conn: Connection, period: str) -> None:
    """The run's rows go; each asset stands as before it."""
    d, t = fixed_asset_depreciation, fixed_assets
    where = and_(d.c.period == period, d.c.by == "run")
    for row in conn.execute(select(d.c.asset, d.c.amount_cents, d.c.units_micros).where(where)):
        conn.execute(update(t).where(t.c.code == row.asset).values(
            accumulated_cents=t.c.accumulated_cents - row.amount_cents, months=t.c.months - 1,
            units_micros=t.c.units_micros - row.units_micros, through=previous_period(period)))
    conn.execute(delete(d).where(where))
