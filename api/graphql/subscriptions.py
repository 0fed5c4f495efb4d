"""Subscriptions (GraphQL over WebSocket, graphql-transport-ws on /graphql).

``workOrderProgress`` pushes each operation report as the read models show
it (``equipmentAlerts`` each equipment DOWN alert and ``qualityAlerts`` each
quality alert, the same way): a poll of
``operation_reports`` by log position, off the event loop,
every ``POLL_SECONDS``. It starts from the projected position (or ``after``),
and stops when the client completes the subscription or disconnects, or with
a PermissionDenied error once its token is revoked, its user disabled or its
roles no longer read production: the principal is re-read before each batch is
sent and every ``RECHECK_SECONDS`` while nothing happens.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import anyio
import strawberry
from anyio import to_thread
from strawberry.types import Info

from api.graphql.context import context_of, read_key
from api.graphql.equipment_types import EquipmentAlert
from api.graphql.errors import QueryError
from api.graphql.production_types import OperationReport
from api.graphql.quality_types import QualityAlert
from projections import equipment_queries as eq
from projections import production_queries as pq
from projections import quality_queries as qq

POLL_SECONDS = 0.2
RECHECK_SECONDS = 5.0
BATCH = 100


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Each operation report (报工) as it is projected, for "
                             "a live board; one work order's or all. Starts after the "
                             "projected log position, or after `after` (a logPosition) to "
                             "resume.")
    async def work_order_progress(
        self, info: Info, number: str | None = None, after: int | None = None
    ) -> AsyncGenerator[OperationReport, None]:
        wanted = (number or "").strip().upper() or None

        def poll(conn, since: int) -> list[pq.ProgressReport]:
            return pq.reports_after(conn, since, wanted, BATCH)

        async for row in _feed(info, after, poll):
            yield OperationReport.from_progress(row)

    @strawberry.subscription(description="Each equipment DOWN alert as it is projected (one "
                             "equipment's or all), for a maintenance board. Starts after the "
                             "projected log position, or after `after` (a logPosition).")
    async def equipment_alerts(
        self, info: Info, equipment: str | None = None, after: int | None = None
    ) -> AsyncGenerator[EquipmentAlert, None]:
        wanted = (equipment or "").strip().upper() or None

        def poll(conn, since: int) -> list[eq.EquipmentAlertView]:
            return eq.alerts_after(conn, since, wanted, BATCH)

        async for row in _feed(info, after, poll):
            yield EquipmentAlert.from_view(row)


    @strawberry.subscription(description="Each quality alert (low lot yield, supplier quality, "
                             "a flagged supplier's order) as it is projected; of one kind or "
                             "all. Starts after the projected log position, or after `after`.")
    async def quality_alerts(
        self, info: Info, kind: str | None = None, after: int | None = None
    ) -> AsyncGenerator[QualityAlert, None]:
        wanted = (kind or "").strip().lower() or None

        def poll(conn, since: int) -> list[qq.QualityAlertView]:
            return qq.alert_views(conn, wanted, since, BATCH, oldest_first=True)

        async for row in _feed(info, after, poll):
            yield QualityAlert.from_view(row)


async def _feed(info: Info, after: int | None, poll_rows) -> AsyncGenerator:
    """Rows after a log position as the read models show them, re-checking the
    caller's sign-in and read area (see the module docstring)."""
    ctx = context_of(info)
    what = read_key(info)
    ctx.check_read(what)
    runtime = ctx.runtime
    position = after if after is not None else await to_thread.run_sync(
        runtime.projected_position)

    def poll(since: int) -> list:
        with runtime.read() as conn:
            return poll_rows(conn, since)

    async def still_signed_in() -> None:
        if not await to_thread.run_sync(ctx.signed_in):
            raise QueryError(f"{what} stopped: {ctx.refusal} (the token was revoked or "
                             "its user disabled)", "PermissionDenied", query=what)
        ctx.check_read(what)  # the user's roles may have changed

    checked = anyio.current_time()
    while True:
        rows = await to_thread.run_sync(poll, position)
        if rows or anyio.current_time() - checked >= RECHECK_SECONDS:
            await still_signed_in()
            checked = anyio.current_time()
        for row in rows:
            position = _position(row)
            yield row
        if len(rows) < BATCH:
            await anyio.sleep(POLL_SECONDS)


def _position(row) -> int:
    return row.report.position if hasattr(row, "report") else row.position
