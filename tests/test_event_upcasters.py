"""The real upcasters (domain/production/work_orders.py):

- WorkOrder.Reported v1 -> v2 adds ``wip_delta``, the report's WIP change with
  the abnormal-scrap split (computed once, when the report is recorded). A v1
  report without scrap changed WIP by exactly its labour and overhead; with
  scrap the split needs the WIP before the report, which only the aggregate's
  replay (and, for these old events, the projection's row) has.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import create_engine, insert

from domain.catalog.engineering import IssueMethod
from domain.production.costing import Wip
from domain.production.work_orders import (
    MaterialRequirement,
    OperationProgress,
    Report,
    WorkOrder,
    reported_wip_delta,
)
from projections.production import _v1_scrap_delta
from projections.tables import work_orders
from tests.scenes.golden import GOLDEN, MAPPER, decode, load

D = Decimal


def test_reported_v1_without_scrap_decodes_with_its_labour_and_overhead_as_wip_delta():
    v1 = load(GOLDEN / "WorkOrder.Reported.v1.json")
    assert "wip_delta" not in v1["state"]
    event = decode(v1)
    assert type(event) is WorkOrder.Reported
    assert event.report.scrap_cost == D("0.00")
    assert event.wip_delta == Wip(labor=D("80.00"), overhead=D("40.00"))


def test_reported_v2_stores_the_scrap_split():
    v2 = load(GOLDEN / "WorkOrder.Reported.v2.json")
    event = decode(v2)
    r = event.report
    assert r.scrap_cost == D("0.15")
    # Labour and overhead in, the scrap's cost out, split over WIP (no material yet).
    assert event.wip_delta == Wip(D("0.00"), r.labor_cost - D("0.10"),
                                  r.overhead_cost - D("0.05"))
    assert event.wip_delta.total == r.labor_cost + r.overhead_cost - r.scrap_cost


def _order_with_scrap() -> WorkOrder:
    """A work order with material issued and a report with abnormal scrap."""
    wo = WorkOrder(
        number="WO-000009", item="SA-BLANK", qty=D("100"), due_date=date(2026, 12, 20),
        warehouse="WH-FG", bom_version="1", routing_version="1",
        materials=(MaterialRequirement(1, "RM-STEEL", D("0.05"), D("0"), IssueMethod.MANUAL,
                                       "", D("5")),),
        operations=(OperationProgress("OP10", "WC-HEAD", D("0"), D("0.002")),),
        business_day=date(2026, 12, 1))
    wo.issue_material(1, D("5"), D("25.00"), "")
    report = Report("OP10", D("90"), D("10"), "裂纹", D("0"), D("1"), D("0"), "", "",
                    date(2026, 12, 2), D("40.00"), D("20.00"), D("0"), "", "")
    # 10 of 100 units scrapped abnormally, valued at 10% of WIP after the
    # report's costs (25 + 40 + 20): 8.50, split 2.50 / 4.00 / 2.00.
    wo.record_report(replace(report, scrap_cost=D("8.50")))
    return wo


def _as_v1(stored):
    state = json.loads(stored.state)
    if stored.topic.endswith("WorkOrder.Reported"):
        state.pop("wip_delta")
    state.pop("class_version", None)
    return replace(stored, state=json.dumps(state).encode())


def test_a_v1_log_with_abnormal_scrap_replays_to_the_same_wip():
    wo = _order_with_scrap()
    events = list(wo.collect_events())
    v1_events = [MAPPER.to_domain_event(_as_v1(MAPPER.to_stored_event(e))) for e in events]
    reported = next(e for e in v1_events if isinstance(e, WorkOrder.Reported))
    assert reported.wip_delta is None  # not derivable from the v1 event alone
    replayed = None
    for e in v1_events:
        replayed = e.mutate(replayed)
    assert replayed.wip == wo.wip == Wip(D("22.50"), D("36.00"), D("18.00"))
    assert replayed.wip.total == D("25.00") + D("60.00") - D("8.50")


def test_the_projection_splits_a_v1_scrap_report_over_its_row_as_the_aggregate_did():
    engine = create_engine("sqlite://")
    work_orders.create(engine)
    wip = Wip(material=D("25.00"))
    with engine.begin() as conn:
        conn.execute(insert(work_orders).values(
            number="WO-000009", item="SA-BLANK", qty_micros=100_000_000,
            due_date=date(2026, 12, 20), warehouse="WH-FG", bom_version="1",
            routing_version="1", status="in_progress", business_day=date(2026, 12, 1),
            completed_micros=0, scrapped_micros=0, completed_value_cents=0,
            material_cents=2500, labor_cents=0, overhead_cents=0, variance_cents=0,
            position=1))
        report = Report("OP10", D("90"), D("10"), "裂纹", D("0"), D("1"), D("0"), "", "",
                        date(2026, 12, 2), D("40.00"), D("20.00"), D("8.50"), "", "")
        assert _v1_scrap_delta(conn, "WO-000009", report) == reported_wip_delta(wip, report) \
            == Wip(D("-2.50"), D("36.00"), D("18.00"))
