"""runMrp: plan material requirements over the read models and record the run.

A translation only: ``domain.workflows.mrp.run_mrp`` reads the snapshot
(items, BOMs in force, on hand, open orders, forecasts) through the runtime's
read port once the read models reached the log, and records the run; the
CLI's ``run-mrp`` calls the same function."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import context_of, run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._planning import run_of
from api.graphql.mutations._production import today
from api.graphql.planning_types import MrpRun
from domain.workflows.mrp import run_mrp as plan_and_record


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

    return await run_command(
        info,
        lambda app, ctx: plan_and_record(app, runtime.inputs, day, ctx),
        input.idempotency_key,
        lambda conn, out: RunMrpSuccess(run=run_of(conn, out.value.number),
                                        log_position=out.position, replayed=out.replayed),
    )
