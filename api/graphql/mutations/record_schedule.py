"""recordSchedule: schedule and save the schedule people will follow.

A translation only: ``domain.workflows.schedule.record_schedule`` reads the
snapshot (operations still to run, work centers on their calendars, what the
shop floor is running) through the runtime's read port once the read models
reached the log, and records the schedule as one event with its inputs'
fingerprint. ``repair: true`` repairs the schedule in force instead (after
breakdowns or new work): operations the floor is running keep their machine
and slot, work not started moves, and the moves are recorded with it."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from api.graphql.context import context_of, run_command
from api.graphql.errors import QueryError
from api.graphql.mutations._common import found, result_union
from api.graphql.planning_queries import (
    MAX_TIME_LIMIT_S,
    BreakdownInput,
    _begin,
    _window,
    company_now,
)
from api.graphql.planning_types import SavedSchedule
from domain.errors import ValidationError
from domain.planning.schedules import Breakdown
from domain.workflows.schedule import record_schedule as schedule_and_record
from projections import planning_queries as plq


@strawberry.input
class RecordScheduleInput:
    mode: str = strawberry.field(default="heuristic", description="heuristic or cp-sat.")
    start: datetime | None = strawberry.field(
        default=None, description="Schedule from this time; default the company's now.")
    with_operators: bool = False
    time_limit_seconds: float = 10
    repair: bool = strawberry.field(
        default=False, description="Repair the saved schedule in force instead of making a "
        "fresh one: running operations keep their machine and slot.")
    breakdowns: list[BreakdownInput] | None = None
    pull_forward: bool = strawberry.field(
        default=False, description="Let a monthly plan's daily work orders start before "
        "their own day.")
    idempotency_key: str | None = None


@strawberry.type
class RecordScheduleSuccess:
    saved_schedule: SavedSchedule
    log_position: int
    replayed: bool


RecordScheduleResult = result_union("RecordScheduleResult", RecordScheduleSuccess)


def breakdowns_of(inputs: list[BreakdownInput]) -> tuple[Breakdown, ...]:
    out = []
    for i, b in enumerate(inputs):
        try:
            start, end = _window(b, f"breakdowns.{i}")
        except QueryError as exc:  # a command answers with a typed error instead
            raise ValidationError(exc.message, exc.extensions["field"]) from None
        out.append(Breakdown(b.work_center.strip().upper(), start, end))
    return tuple(out)


async def record_schedule(
    info: Info, input: RecordScheduleInput  # noqa: A002
) -> RecordScheduleResult:
    runtime = context_of(info).runtime
    start = _begin(input.start or company_now(info))
    mode = (input.mode or "").strip().lower()

    def run(app, ctx):
        if not 0 < input.time_limit_seconds <= MAX_TIME_LIMIT_S:
            raise ValidationError(f"timeLimitSeconds must be above 0 and at most "
                                  f"{MAX_TIME_LIMIT_S}", "timeLimitSeconds")
        return schedule_and_record(
            app, runtime.inputs, start, mode, with_operators=input.with_operators,
            time_limit_s=input.time_limit_seconds,
            breakdowns=breakdowns_of(input.breakdowns or []), repair=input.repair,
            pull_forward=input.pull_forward, ctx=ctx)

    return await run_command(
        info, run, input.idempotency_key,
        lambda conn, out: RecordScheduleSuccess(
            saved_schedule=SavedSchedule.from_view(found(
                plq.saved_schedule(conn, out.value.number), f"schedule {out.value.number}")),
            log_position=out.position, replayed=out.replayed),
    )
