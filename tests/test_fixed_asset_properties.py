"""Property: whatever assets a half year buys (any method, cost, life, use),
sells or scraps (in whole or in part), edits (longer lives, other residual
rates: prospective), whichever runs it reverses and runs again, and however
many hours the 工作量法 ones work, at every month
end the register's cost, accumulated depreciation and book value equal
1601, 1602 and 1601 - 1602, nothing is ever depreciated below its residual
value, and the cash-flow statement's net change of cash (bought, sold) equals
the balance sheet's change of 货币资金."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.runtime import Runtime
from domain.fixed_assets.cards import AssetSpec
from domain.fixed_assets.depreciation import DepreciationMethod
from domain.fixed_assets.handlers import UnitsInput
from domain.fixed_assets.register import AssetUse
from domain.fixed_assets.revisions import AssetChanges
from domain.store import parse_database_url
from projections import fixed_asset_queries as fq
from projections import statement_queries as sq
from tests.conftest import fresh_pg_schema
from tests.scenes.fixed_assets import MONTHS, fund

cents = st.integers(min_value=100_00, max_value=2_000_000_00).map(lambda c: Decimal(c) / 100)
asset = st.tuples(
    st.sampled_from(list(DepreciationMethod)), cents, st.integers(1, 8).map(lambda y: y * 12),
    st.sampled_from(("0", "0.03", "0.05", "0.1")), st.sampled_from(list(AssetUse)),
    st.integers(1, 28))
month_ops = st.tuples(
    st.lists(asset, max_size=3),  # bought this month
    st.lists(st.tuples(st.integers(0, 20), st.sampled_from(("0", "0.5", "1.2"))),
             max_size=1),  # sold (share of book value) or scrapped ("0")
    st.lists(st.integers(0, 3000), min_size=10, max_size=10),  # hours of each 工作量法 asset
    st.tuples(
        st.lists(st.tuples(st.integers(0, 20), st.sampled_from(("0.25", "0.5", "0.9"))),
                 max_size=1),  # a share of one asset's cost disposed of
        st.lists(st.tuples(st.integers(0, 20), st.integers(1, 36),
                           st.sampled_from(("0", "0.1"))), max_size=1),  # an edit
        st.booleans()))  # the month's run reversed and run again


def book(rt: Runtime, months: list) -> None:
    app = rt.app
    for month in MONTHS:
        app.open_period(month)
    fund(app)
    held: list[tuple[str, DepreciationMethod]] = []
    n = 0
    for period, (bought, sold, hours, (parts, edits, rerun)) in zip(MONTHS, months,
                                                                    strict=False):
        year, mon = int(period[:4]), int(period[5:])
        for method, cost, life, rate, use, day in bought:
            n += 1
            code = f"FA-{n:03d}"
            units = "50000" if method is DepreciationMethod.UNITS_OF_PRODUCTION else None
            app.acquire_fixed_asset(AssetSpec(code, f"设备 {n}", life, method, use, rate,
                                              total_units=units),
                                    date(year, mon, day), cost, bank_account="1002")
            held.append((code, method))
        counts = {code: str(hours[i % 10]) for i, (code, method) in enumerate(held)
                  if method is DepreciationMethod.UNITS_OF_PRODUCTION}
        for pick, share in sold:
            if not held:
                break
            code, method = held.pop(pick % len(held))
            holding = app.fixed_asset(code)
            price = (holding.book_value * Decimal(share)).quantize(Decimal("0.01"))
            app.dispose_fixed_asset(code, date(year, mon, 28), proceeds=price or None,
                                    bank_account="1002" if price else "",
                                    units=counts.pop(code, None))
        for pick, share in parts:
            if held:
                code, method = held[pick % len(held)]
                holding = app.fixed_asset(code)
                cost = (holding.card.cost * Decimal(share)).quantize(Decimal("0.01"))
                app.dispose_fixed_asset_part(code, date(year, mon, 28), cost,
                                             proceeds="1000.00", bank_account="1002",
                                             units=counts.pop(code, None))
        units = [UnitsInput(c, u) for c, u in counts.items()]
        app.run_depreciation(period, units=units)
        if rerun:
            app.reverse_depreciation_run(period, "rerun")
            app.run_depreciation(period, units=units)
        for pick, more, rate in edits:
            if held and held[pick % len(held)][1] is not DepreciationMethod.DOUBLE_DECLINING:
                code, _ = held[pick % len(held)]
                holding = app.fixed_asset(code)
                if holding.progress.left(holding.basis) > 0:
                    app.edit_fixed_asset(code, AssetChanges(
                        life_months=holding.card.life_months + more,
                        residual_rate=rate if rate != "0" else None))
        check_register(rt, date(year, mon, 28 if mon == 2 else 30 if mon in (9, 11) else 31))


def check_register(rt: Runtime, month_end: date) -> None:
    rt.settle(rt.app.log_position())
    period = f"{month_end.year:04d}-{month_end.month:02d}"
    with rt.read() as conn:
        rows = fq.reconciliation(conn, month_end)
        assets = fq.register(conn, month_end)
        cash = sq.cash_flow_statement_of(conn, period)
        sheet = sq.balance_sheet_of(conn, period)
    assert [r.difference for r in rows] == [Decimal("0.00")] * 3, rows
    # 现金流量表: the year's net change = the change of 货币资金 since 1 January
    # (nothing before July), the month's closing cash = 货币资金.
    assert cash.amount(20, 0) == sheet.amount(1, 0) - sheet.amount(1, 1)
    assert cash.amount(22, 1) == cash.amount(22, 0) == sheet.amount(1, 0)
    for a in assets:
        assert Decimal("0.00") <= a.accumulated <= a.cost - a.residual, a


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(months=st.lists(month_ops, min_size=6, max_size=6))
def test_the_register_equals_1601_and_1602_at_every_month_end(months, tmp_path_factory):
    path = tmp_path_factory.mktemp("assets") / "books.db"
    rt = Runtime(parse_database_url(f"sqlite:///{path}"))
    try:
        book(rt, months)
    finally:
        rt.close()


@settings(max_examples=2, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(months=st.lists(month_ops, min_size=6, max_size=6))
def test_the_register_equals_1601_and_1602_on_postgres(months):
    with fresh_pg_schema() as url:
        rt = Runtime(parse_database_url(url))
        try:
            book(rt, months)
        finally:
            rt.close()
