"""Subscriptions (GraphQL over WebSocket, graphql-transport-ws on /graphql).

``workOrderProgress`` pushes each operation report as the read models show
it (``qualityAlerts`` each quality alert, the same way): a poll of
``operation_reports`` by log position, off the event loop, every
``POLL_SECONDS``. It starts from the projected position (or ``after``), and
stops when the client completes the subscription or disconnects, or with a
PermissionDenied error once its token is revoked, its user disabled or its
roles no longer read production: the principal is re-read before each batch
is sent and every ``RECHECK_SECONDS`` while nothing happens.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import anyio
import strawberry
from anyio import to_thread
from strawberry.types import Info

from api.graphql.context import context_of, read_key
from api.graphql.errors import QueryError
from api.graphql.production_types import OperationReport
from api.graphql.quality_types import QualityAlert
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
        ctx = context_of(info)
        what = read_key(info)
        ctx.check_read(what)
        runtime = ctx.runtime
        wanted = (number or "").strip().upper() or None
        position = after if after is not None else await to_thread.run_sync(
            runtime.projected_position)

        def poll(since: int) -> list[pq.ProgressReport]:
            with runtime.read() as conn:
                return pq.reports_after(conn, since, wanted, BATCH)

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
                position = row.report.position
                yield OperationReport.from_progress(row)
            if len(rows) < BATCH:
                await anyio.sleep(POLL_SECONDS)

    @strawberry.subscription(description="Each quality alert (low lot yield, supplier quality, "
                             "a flagged supplier's order) as it is projected; of one kind or "
                             "all. Starts after the projected log position, or after `after`.")
    async def quality_alerts(
        self, info: Info, kind: str | None = None, after: int | None = None
    ) -> AsyncGenerator[QualityAlert, None]:
        ctx = context_of(info)
        what = read_key(info)
        ctx.check_read(what)
        runtime = ctx.runtime
        wanted = (kind or "").strip().lower() or None
        position = after if after is not None else await to_thread.run_sync(
            runtime.projected_position)

        def poll(since: int) -> list[qq.QualityAlertView]:
            with runtime.read() as conn:
                return qq.alert_views(conn, wanted, since, BATCH, oldest_first=True)

        checked = anyio.current_time()
        while True:
            rows = await to_thread.run_sync(poll, position)
            if rows or anyio.current_time() - checked >= RECHECK_SECONDS:
                if not await to_thread.run_sync(ctx.signed_in):
                    raise QueryError(f"{what} stopped: {ctx.refusal}", "PermissionDenied",
                                     query=what)
                ctx.check_read(what)
                checked = anyio.current_time()
            for row in rows:
                position = row.position
                yield QualityAlert.from_view(row)
            if len(rows) < BATCH:
                await anyio.sleep(POLL_SECONDS)
