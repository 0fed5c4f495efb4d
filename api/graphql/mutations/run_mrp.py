"""runMrp: plan material requirements over the read models and record the run.

The snapshot (items, BOMs in force, on hand, open orders, forecasts) is read
once the read models have caught up with the log; the plan is pure."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import context_of, run_command, settle
from api.graphql.errors import QueryError
from api.graphql.mutations._common import result_union
from api.graphql.mutations._planning import run_of
from api.graphql.mutations._production import today
from api.graphql.planning_types import MrpRun
from projections.planning_snapshot import build_snapshot


@strawberry.input
class RunMrpInput:
    today: date | None = strawberry.field(
        default=None, description="The planning day: nothing is needed or released before "
        "it; default today.")
    idempotency_key: str | None = None


@strawberry.type
class RunMrpSuccess:
    run: MrpRun = strawberry.field(description="The run, with its planned orders (pegged) "
                                   "and exception messages.")
    log_position: int
    replayed: bool


RunMrpResult = result_union("RunMrpResult", RunMrpSuccess)


async def run_mrp(info: Info, input: RunMrpInput) -> RunMrpResult:  # noqa: A002
    runtime = context_of(info).runtime
    day = input.today or today(info)

    def command(app, ctx):
        position = app.log_position()
        if not settle(runtime, position):
            raise QueryError(f"the read models have not reached log position {position} "
                             "yet; run MRP again in a moment", "ProjectionLag")
        with runtime.read() as conn:
            snapshot = build_snapshot(conn, day)
        return app.run_mrp(snapshot, ctx=ctx)

    return await run_command(
        info,
        command,
        input.idempotency_key,
        lambda conn, out: RunMrpSuccess(run=run_of(conn, out.value.number),
                                        log_position=out.position, replayed=out.replayed),
    )
