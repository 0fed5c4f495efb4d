"""What the planning mutation modules share: the read-back of a run."""

from __future__ import annotations

from sqlalchemy import Connection

from api.graphql.mutations._common import found
from api.graphql.planning_types import MrpRun, PlannedOrder
from projections import planning_queries as plq


def run_of(conn: Connection, number: str) -> MrpRun:
    return MrpRun.from_view(found(plq.mrp_run(conn, number), f"MRP run {number}"))


def planned_order_of(conn: Connection, planned_id: str) -> PlannedOrder:
    return PlannedOrder.from_view(found(plq.planned_order(conn, planned_id),
                                        f"planned order {planned_id}"))
