"""Property-based: random receipts, issues, transfers, returns and counts at
random prices and quantities keep the stock value equal to its GL accounts,
never drive a balance negative, and the stock card agrees with on hand."""

import itertools
from datetime import date
from decimal import Decimal as Dec

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.catalog.items import ItemSpec, ItemType
from domain.errors import BusinessRuleViolation
from domain.inventory.handlers import AdjustmentLineInput, CountLineInput, TransferLineInput
from domain.orders import MoveLineInput, OrderLineInput
from projections import inventory_queries as iq
from tests.scenes.supply_chain import setup_company

DAY = date(2026, 11, 10)
WAREHOUSES = ["WH-RM", "WH-FG"]
qty = st.integers(min_value=1, max_value=50_000).map(lambda n: Dec(n) / 1000)  # 0.001-50
price = st.integers(min_value=1, max_value=9_999_999).map(lambda n: Dec(n) / 10000)  # odd

step = st.one_of(
    st.tuples(st.just("receive"), st.integers(0, 1), qty, price, st.sampled_from(WAREHOUSES)),
    st.tuples(st.just("issue"), st.integers(0, 1), qty, st.sampled_from(WAREHOUSES)),
    st.tuples(st.just("transfer"), st.integers(0, 1), qty, st.sampled_from(WAREHOUSES)),
    st.tuples(st.just("return"), st.integers(0, 1), qty),
    st.tuples(st.just("count"), st.integers(0, 1), qty, st.sampled_from(WAREHOUSES)),
)

_codes = itertools.count(1)


@pytest.fixture(scope="module")
def company(module_runtime):
    rt, kind = module_runtime
    setup_company(rt.app)
    return rt, kind


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_random_stock_movements_keep_stock_equal_to_the_ledger(company, steps):
    rt, kind = company
    app = rt.app
    n = next(_codes)
    codes = [f"P{n}-A", f"P{n}-B"]
    for code in codes:
        app.create_item(ItemSpec(code, code, "kg", ItemType.RAW, default_warehouse="WH-RM"))
    orders: list[tuple[str, str, Dec]] = []  # (po, warehouse, qty received)
    for s in steps:
        item = codes[s[1]]
        try:
            if s[0] == "receive":
                po = app.create_purchase_order("SUP-STEEL", DAY, [
                    OrderLineInput(item, s[2], s[3], DAY, warehouse=s[4])]).value.number
                app.confirm_purchase_order(po)
                app.receive_purchase_order(po, DAY, [MoveLineInput(1, s[2])])
                orders.append((po, s[4], s[2]))
            elif s[0] == "issue":
                app.adjust_stock(DAY, [AdjustmentLineInput(item, s[3], -s[2])], "5602", "use")
            elif s[0] == "transfer":
                dst = "WH-FG" if s[3] == "WH-RM" else "WH-RM"
                app.transfer_stock(DAY, [TransferLineInput(item, s[2], s[3], dst)])
            elif s[0] == "return" and orders:
                po, wh, received = orders[s[1] % len(orders)]
                app.return_to_supplier(po, DAY, [MoveLineInput(1, min(s[2], received),
                                                               warehouse=wh)])
            elif s[0] == "count":
                app.count_stock(DAY, s[3], [CountLineInput(item, s[2])])
        except BusinessRuleViolation as exc:
            assert exc.code in ("INSUFFICIENT_STOCK", "RETURN_EXCEEDS_RECEIPTS"), exc
    rt.runner.catch_up()
    with rt.read() as conn:
        for rec in iq.reconciliation(conn):
            assert rec.difference == 0, rec
        for code in codes:
            for row in iq.on_hand(conn, item=code, include_zero=True):
                assert row.qty >= 0 and row.value >= 0, row
                if row.qty == 0:
                    assert row.value == 0, row
                card = [r for r in iq.stock_card(conn, code, first=10_000).rows
                        if r.warehouse == row.warehouse]
                assert sum(r.qty for r in card) == row.qty
                assert sum(r.value for r in card) == row.value
                assert card[-1].balance_qty == row.qty
                assert card[-1].balance_value == row.value
            bins = iq.bins(conn, item=code)
            totals = {}
            for b in bins:
                assert b.qty > 0
                totals[b.warehouse] = totals.get(b.warehouse, 0) + b.qty
            assert totals == {r.warehouse: r.qty
                              for r in iq.on_hand(conn, item=code) if r.qty}
