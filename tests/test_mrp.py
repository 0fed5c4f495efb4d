"""MRP step 5 of the bolt-kit month through the use cases, on both stores: the
plan from the read models' snapshot, firming it, and a firmed purchase as
supply for the next run (the rules themselves: tests/unit/test_mrp_planning.py).
"""

from __future__ import annotations

from decimal import Decimal as Dec
from types import SimpleNamespace

import pytest

from domain.errors import BusinessRuleViolation, NotFound
from domain.orders import OrderLineInput
from domain.production.work_orders import work_order_id
from projections import planning_queries as plq
from projections.planning_snapshot import build_snapshot
from tests.scenes.mrp import d, rows
from tests.scenes.production import receive_po1, setup_factory

# -- bolt-kit step 5 through the use cases ----------------------------------------------
STEP5 = [
    ("MRP-000001/00001", "FG-KIT", "make", Dec(10), d(20, 11), d(20, 11),
     [("SO-000001/1", "SO-000001", Dec(10))]),
    ("MRP-000001/00002", "RM-BOX", "buy", Dec(5), d(20, 11), d(20, 11),
     [("SAFETY-STOCK", "SAFETY-STOCK", Dec(5))]),
    ("MRP-000001/00003", "SA-BLANK", "make", Dec(1000), d(20, 11), d(20, 11),
     [("MRP-000001/00001", "SO-000001", Dec(1000))]),
]


def run_step5(rt) -> str:
    app = rt.app
    setup_factory(app)
    receive_po1(app)
    so_number = app.create_sales_order("CUS-HW", d(4, 11), [
        OrderLineInput("FG-KIT", "10", "200.00", d(20, 11))]).value.number
    app.confirm_sales_order(so_number)
    rt.runner.catch_up()
    with rt.read() as conn:
        snap = build_snapshot(conn, d(5, 11))
    out = app.run_mrp(snap)
    assert (out.value.number, out.value.planned, out.value.exceptions) == ("MRP-000001", 3, 0)
    return out.value.number


def test_bolt_kit_step_5_plans_fg_kit_10_sa_blank_1000_and_5_boxes_and_nothing_else(runtime):
    number = run_step5(runtime)
    run = runtime.app.mrp_run(number)
    assert rows(SimpleNamespace(planned=tuple(run.planned.values()))) == STEP5
    runtime.runner.catch_up()
    with runtime.read() as conn:
        views = plq.planned_order_list(conn)
    assert [(v.id, v.item, v.kind, v.qty.normalize(), v.need_date, v.release_date,
             [(g.demand, g.top, g.qty.normalize()) for g in v.pegs]) for v in views] == STEP5
    assert [v.level for v in views] == [0, 1, 1]


def test_firming_the_step_5_plan_creates_the_work_order_and_purchase_order(runtime):
    app = runtime.app
    number = run_step5(runtime)
    wo = app.firm_planned_order(number, "MRP-000001/00003").value
    assert (wo.order, wo.kind) == ("WO-000001", "work_order")
    po = app.firm_planned_order(number, "MRP-000001/00002", supplier="SUP-STEEL",
                                unit_price="1.00").value
    assert (po.order, po.kind) == ("PO-000002", "purchase_order")
    runtime.runner.catch_up()
    with runtime.read() as conn:
        firmed = [(v.id, v.firmed_as) for v in plq.planned_order_list(conn, firmed=True)]
        left = [v.id for v in plq.planned_order_list(conn, firmed=False)]
    assert firmed == [("MRP-000001/00002", "PO-000002"), ("MRP-000001/00003", "WO-000001")]
    assert left == ["MRP-000001/00001"]
    wo_agg = app.repository.get(work_order_id("WO-000001"))
    assert (wo_agg.item, wo_agg.qty, wo_agg.due_date) == ("SA-BLANK", Dec(1000), d(20, 11))
    with pytest.raises(BusinessRuleViolation) as twice:
        app.firm_planned_order(number, "MRP-000001/00003")
    assert twice.value.code == "ALREADY_FIRMED"
    with pytest.raises(NotFound):
        app.firm_planned_order("MRP-000099", "MRP-000099/00001")


def test_a_firmed_planned_purchase_is_supply_for_the_next_run_even_as_a_draft(runtime):
    from projections.planning_snapshot import build_snapshot

    app = runtime.app
    run = run_step5(runtime)
    app.firm_planned_order(run, f"{run}/00002", supplier="SUP-STEEL")  # RM-BOX 5, draft PO
    runtime.runner.catch_up()
    with runtime.read() as conn:
        snap = build_snapshot(conn, d(5, 11))
    again = app.run_mrp(snap)
    assert not any(p.item == "RM-BOX" for p in app.mrp_run(again.value.number).planned.values())
