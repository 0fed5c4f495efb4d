"""MRP lot sizing and netting as tables: lot-for-lot, fixed, minimum, multiple,
safety stock and yield, each row one item netted by ``plan`` with the
quantity it orders worked out by hand (bolt-kit step 5 first)."""

from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.planning.model import Component, Demand, PlanItem, Snapshot, Supply
from domain.planning.mrp import lot_size, plan

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 2)  # a Monday
NEED = date(2026, 11, 20)


def rule(kind: str = "lot_for_lot", size: str = "0", multiple: str = "0", **kw) -> PlanItem:
    return PlanItem("X", make=False, lot_size_rule=kind, lot_size=Dec(size),
                    lot_multiple=Dec(multiple), **kw)


@pytest.mark.parametrize("item, net, qty", [
    (rule(), "7.5", "7.5"),                                   # lot for lot
    (rule(), "0.0000001", "0.000001"),                        # up to the quantity unit
    (rule("fixed", "50"), "120", "150"),                      # three lots of 50
    (rule("fixed", "50"), "50", "50"),
    (rule("fixed", "50"), "1", "50"),
    (rule("fixed", "0"), "7", "7"),                           # no lot size: lot for lot
    (rule("min_multiple", "100", "25"), "30", "100"),         # the minimum
    (rule("min_multiple", "100", "25"), "110", "125"),        # the next multiple above
    (rule("min_multiple", "100", "25"), "100", "100"),
    (rule("min_multiple", "100"), "130", "130"),              # minimum only
    (rule("min_multiple", "0", "12"), "13", "24"),            # multiple only
    (rule("min_multiple", "0", "12"), "12", "12"),
    (rule("min_multiple", "5", "0.5"), "5.2", "5.5"),         # fractional multiple
])
def test_lot_size(item, net, qty):
    assert lot_size(item, Dec(net)) == Dec(qty)


def one_item(on_hand: str = "0", demand: str = "0", receipt: str = "0",
             receipt_due: date = TODAY, **kw) -> list[Dec]:
    """What MRP orders for a bought item "X" needed on NEED."""
    item = PlanItem("X", make=False, **kw)
    demands = (Demand("SO-1/1", "X", Dec(demand), NEED, "sales"),) if Dec(demand) else ()
    supplies = (Supply("PO-1/1", "X", Dec(receipt), receipt_due, "purchase"),) \
        if Dec(receipt) else ()
    snap = Snapshot(TODAY, {"X": item}, {"X": Dec(on_hand)}, demands, supplies)
    return [p.qty.normalize() for p in plan(snap).planned]


@pytest.mark.parametrize("case, planned", [
    # bolt-kit step 5: RM-BOX 20 on hand - 10 required = 10, below safety 15: buy 5
    (dict(on_hand="20", demand="10", safety_stock=Dec(15)), ["5"]),
    # ... and RM-ZINC 1.0 kg of 2 kg, RM-STEEL 50 kg of 100 kg: nothing
    (dict(on_hand="2", demand="1.0"), []),
    (dict(on_hand="100", demand="50"), []),
    (dict(on_hand="20", safety_stock=Dec(15)), []),                    # no demand, above safety
    (dict(on_hand="10", safety_stock=Dec(15)), ["5"]),                 # below safety today
    (dict(on_hand="0", demand="10"), ["10"]),                          # lot for lot
    (dict(on_hand="3", demand="10"), ["7"]),
    (dict(on_hand="0", demand="10", receipt="10"), []),                # a receipt covers it
    (dict(on_hand="0", demand="10", receipt="4"), ["6"]),
    (dict(on_hand="0", demand="10", yield_factor=Dec("0.8")), ["12.5"]),  # 10 / 0.8
    (dict(on_hand="0", demand="8", yield_factor=Dec("0.8")), ["10"]),
    (dict(on_hand="0", demand="10", yield_factor=Dec("0.8"),            # 12.5 in lots of 10
          lot_size_rule="fixed", lot_size=Dec(10)), ["20"]),
    (dict(on_hand="20", demand="10", safety_stock=Dec(15),             # short 5, lots of 12
          lot_size_rule="fixed", lot_size=Dec(12)), ["12"]),
    (dict(on_hand="0", demand="110", lot_size_rule="min_multiple",
          lot_size=Dec(100), lot_multiple=Dec(25)), ["125"]),
    (dict(on_hand="0", demand="10", yield_factor=Dec("0.3")), ["33.333334"]),  # up, never down
])
def test_netting_with_safety_stock_yield_and_lots(case, planned):
    assert one_item(**case) == [Dec(q) for q in planned]


@pytest.mark.parametrize("parent_qty, qty_per, allowance, component", [
    ("10", "100", "0", "1000"),     # bolt-kit: FG-KIT 10 needs SA-BLANK 1,000
    ("1000", "0.05", "0", "50"),    # SA-BLANK 1,000 needs RM-STEEL 50 kg
    ("10", "0.1", "0.02", "1.02"),  # 1.0 kg zinc + 2% scrap allowance
    ("3", "0.333333", "0", "0.999999"),  # no rounding to a whole kg
    ("7", "0.0000003", "0", "0.000003"),  # 0.0000021 rounds up to the quantity unit
])
def test_dependent_demand_of_a_planned_order(parent_qty, qty_per, allowance, component):
    parent = PlanItem("P", make=True, components=(Component("C", Dec(qty_per), Dec(allowance)),))
    snap = Snapshot(TODAY, {"P": parent, "C": PlanItem("C", make=False)}, {},
                    (Demand("SO-1/1", "P", Dec(parent_qty), NEED, "sales"),), ())
    by_item = {p.item: p.qty.normalize() for p in plan(snap).planned}
    assert by_item == {"P": Dec(parent_qty).normalize(), "C": Dec(component).normalize()}
