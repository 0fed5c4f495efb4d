"""Standard cost roll-up, budget and budget-vs-actual (domain/planning/costing.py)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.catalog.engineering import BomLine, Operation, WorkCenterSpec
from domain.errors import BusinessRuleViolation, NotFound
from domain.planning.costing import (
    Budget,
    CostItem,
    RolledCost,
    budget,
    compare,
    rollup,
)
from domain.production.costing import Wip

WORK_CENTERS = {
    "WC-HEAD": (D("40"), D("20")),
    "WC-PLATE": (D("30"), D("50")),
    "WC-PACK": (D("25"), D("5")),
}


def bolt_kit() -> dict[str, CostItem]:
    """docs/examples/bolt-kit.md: materials, BOMs and routings."""
    return {
        "RM-STEEL": CostItem("RM-STEEL", False, D("5.00")),
        "RM-ZINC": CostItem("RM-ZINC", False, D("20.00")),
        "RM-BOX": CostItem("RM-BOX", False, D("1.00")),
        "SA-BLANK": CostItem(
            "SA-BLANK", True,
            components=(("RM-STEEL", D("0.05"), D("0")),),
            operations=(("WC-HEAD", D("0"), D("0.002")),),
        ),
        "FG-KIT": CostItem(
            "FG-KIT", True,
            components=(("SA-BLANK", D("100"), D("0")), ("RM-ZINC", D("0.1"), D("0")),
                        ("RM-BOX", D("1"), D("0"))),
            operations=(("WC-PLATE", D("0"), D("0.1")), ("WC-PACK", D("0"), D("0.05"))),
        ),
    }


def test_bolt_kit_rolls_up_to_the_worked_example_actual_cost():
    rolled = rollup(bolt_kit(), WORK_CENTERS)
    assert rolled["SA-BLANK"] == RolledCost("SA-BLANK", D("0.25"), D("0.08"), D("0.04"),
                                            D("0.37"), 1)
    kit = rolled["FG-KIT"]
    assert (kit.material, kit.labor, kit.overhead, kit.total, kit.level) == (
        D("40"), D("4.25"), D("5.25"), D("49.50"), 0)
    assert kit.unit_cost == D("49.500000")
    assert str(kit.total) == "49.500000"  # shown to 6 places
    assert rolled["RM-STEEL"] == RolledCost("RM-STEEL", D("5"), D("0"), D("0"), D("5"), 2)
    assert rolled["RM-BOX"].level == 1


def test_bolt_kit_budget_and_comparison_with_the_actual_work_orders():
    rolled = rollup(bolt_kit(), WORK_CENTERS)
    # WO-1, SA-BLANK x 1,000: actual 250 + 80 + 40 = 370.00
    wo1 = budget(rolled, "SA-BLANK", D("1000"))
    assert wo1 == Budget(D("250.00"), D("80.00"), D("40.00"), D("370.00"))
    var = compare(wo1, Wip(D("250.00"), D("80.00"), D("40.00")))
    assert (var.material, var.labor, var.overhead, var.total) == (0, 0, 0, 0)
    # WO-2, FG-KIT x 10: actual 400 + 42.50 + 52.50 = 495.00
    wo2 = budget(rolled, "FG-KIT", D("10"))
    assert wo2 == Budget(D("400.00"), D("42.50"), D("52.50"), D("495.00"))
    # had OP10 taken 1.2 h instead of 1.0 h and 0.2 kg zinc been lost
    var = compare(wo2, Wip(D("404.00"), D("48.50"), D("62.50")))
    assert (var.material, var.labor, var.overhead, var.total) == (
        D("4.00"), D("6.00"), D("10.00"), D("20.00"))
    assert var.budget == wo2 and var.actual.total == D("515.00")
    # under budget is negative (favourable)
    var = compare(wo2, Wip(D("399.00"), D("42.50"), D("52.50")))
    assert var.material == D("-1.00") and var.total == D("-1.00")


def test_catalog_values_and_work_center_specs_are_accepted():
    items = bolt_kit()
    items["SA-BLANK"] = CostItem(
        "SA-BLANK", True,
        components=(BomLine(10, "RM-STEEL", D("0.05")),),
        operations=(Operation("OP10", "WC-HEAD", D("0"), D("0.002")),),
    )
    specs = {code: WorkCenterSpec(code, code, 1, lab, ovh)
             for code, (lab, ovh) in WORK_CENTERS.items()}
    assert rollup(items, specs)["FG-KIT"].total == D("49.5")


def test_scrap_allowance_and_setup_spread_over_the_batch():
    items = {
        "RM": CostItem("RM", False, D("3")),
        "P": CostItem("P", True, components=(("RM", D("2"), D("0.05")),),
                      operations=(("WC", D("1.5"), D("0.01")),), batch=D("50")),
    }
    wcs = {"WC": (D("60"), D("30"))}
    p = rollup(items, wcs)["P"]
    # material 3 x 2 x 1.05 = 6.3; hours 1.5/50 + 0.01 = 0.04 -> 2.40 / 1.20
    assert (p.material, p.labor, p.overhead, p.total) == (D("6.3"), D("2.4"), D("1.2"),
                                                          D("9.9"))
    # lot_size overrides the batch: 1.5/10 + 0.01 = 0.16 h
    p = rollup(items, wcs, lot_size={"P": D("10")})["P"]
    assert (p.labor, p.overhead) == (D("9.6"), D("4.8"))


def test_unrounded_inside_rounded_to_6_places_outside():
    # setup 1 h over a batch of 3 at 1 CNY/h: 0.333333... per unit
    items = {"P": CostItem("P", True, operations=(("WC", D("1"), D("0")),), batch=D("3")),
             "Q": CostItem("Q", True, components=(("P", D("3000000"), D("0")),))}
    rolled = rollup(items, {"WC": (D("1"), D("0"))})
    assert rolled["P"].labor == D("0.333333")
    # the parent uses the exact value: 3,000,000 x 1/3 = 1,000,000, not 999,999
    assert rolled["Q"].material == D("1000000.000000")
    assert budget(rolled, "P", D("3000")).labor == D("1000.00")
    assert budget(rolled, "P", D("1")) == Budget(D("0.00"), D("0.33"), D("0.00"), D("0.33"))


def test_shared_component_at_two_levels_is_costed_before_both_parents():
    items = {
        "TOP": CostItem("TOP", True, components=(("MID", D("2"), D("0")),
                                                  ("RM", D("1"), D("0")))),
        "MID": CostItem("MID", True, components=(("RM", D("3"), D("0")),),
                        operations=(("WC", D("0"), D("0.5")),)),
        "RM": CostItem("RM", False, D("1.5")),
    }
    rolled = rollup(items, {"WC": (D("10"), D("2"))})
    assert rolled["MID"].total == D("10.5")  # 4.5 + 5 + 1
    assert rolled["TOP"].total == D("22.5")  # 2 x 10.5 + 1.5
    assert [rolled[c].level for c in ("TOP", "MID", "RM")] == [0, 1, 2]


def test_bom_cycle_is_refused():
    items = {
        "A": CostItem("A", True, components=(("B", D("1"), D("0")),)),
        "B": CostItem("B", True, components=(("C", D("1"), D("0")),)),
        "C": CostItem("C", True, components=(("A", D("1"), D("0")),)),
    }
    with pytest.raises(BusinessRuleViolation) as err:
        rollup(items, {})
    assert err.value.code == "BOM_CYCLE"


def test_missing_component_or_work_center_is_not_found():
    items = {"A": CostItem("A", True, components=(("X", D("1"), D("0")),))}
    with pytest.raises(NotFound):
        rollup(items, {})
    items = {"A": CostItem("A", True, operations=(("WC-X", D("0"), D("1")),))}
    with pytest.raises(NotFound):
        rollup(items, {})
    with pytest.raises(NotFound):
        budget({}, "A", D("1"))


def test_bought_item_ignores_components_and_operations():
    items = {"B": CostItem("B", False, D("7"), components=(("B", D("1"), D("0")),),
                           operations=(("WC", D("1"), D("1")),))}
    assert rollup(items, {})["B"].total == D("7")


@st.composite
def forests(draw):
    """Random BOM forests: item i may only use items with a greater index."""
    n = draw(st.integers(2, 8))
    money = st.decimals(D("0"), D("100"), places=2)
    qty = st.decimals(D("0.001"), D("20"), places=3)
    items = {}
    for i in range(n):
        code = f"I{i}"
        later = [f"I{j}" for j in range(i + 1, n)]
        if not later or draw(st.booleans()) and i > n // 2:
            items[code] = CostItem(code, False, draw(money))
            continue
        comps = draw(st.lists(st.sampled_from(later), min_size=1, max_size=3, unique=True))
        items[code] = CostItem(
            code, True,
            components=tuple((c, draw(qty), draw(st.decimals(D("0"), D("0.2"), places=2)))
                             for c in comps),
            operations=tuple(("WC", draw(qty), draw(qty)) for _ in range(draw(st.integers(0, 2)))),
            batch=draw(st.decimals(D("1"), D("500"), places=0)),
        )
    return items


@settings(max_examples=60, deadline=None)
@given(forests(), st.decimals(D("1"), D("10000"), places=0))
def test_properties_of_the_rollup(items, qty):
    rolled = rollup(items, {"WC": (D("42.5"), D("17"))})
    for code, item in items.items():
        cost = rolled[code]
        assert cost.total == (cost.exact_material + cost.exact_labor +
                              cost.exact_overhead).quantize(D("0.000001"), ROUND_HALF_UP)
        for comp in item.components if item.make else ():
            assert rolled[comp.item].level > cost.level
        b = budget(rolled, code, qty)
        assert b.total == b.material + b.labor + b.overhead
        assert all(v == v.quantize(D("0.01")) for v in (b.material, b.labor, b.overhead))
        assert compare(b, Wip(b.material, b.labor, b.overhead)).total == 0


def test_rolled_cost_is_a_plain_stored_value():
    from eventsourcing.persistence import DecimalAsStr, JSONTranscoder

    from domain.transcodings import register_all

    t = JSONTranscoder()
    t.register(DecimalAsStr())
    register_all(t)
    cost = rollup(bolt_kit(), WORK_CENTERS)["FG-KIT"]
    back = t.decode(t.encode({"c": cost, "d": date(2026, 12, 1)}))["c"]
    assert back == cost and back.exact_material == cost.exact_material
