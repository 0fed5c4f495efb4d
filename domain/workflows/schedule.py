"""Recording a schedule, the one entry point GraphQL's recordSchedule uses:
the scheduler and the record are planning's (``record_schedule`` in
``domain/planning/schedule_handlers.py``); what this step adds is reading the
snapshot (operations, calendars, what the floor is running) through the read
port as of the log position read here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.access import check_allowed
from domain.commands import CommandContext, Outcome
from domain.planning.schedules import Breakdown
from domain.workflows.ports import PlanningInputs


def record_schedule(app, inputs: PlanningInputs, start: datetime, mode: str = "heuristic",
                    with_operators: bool = False, time_limit_s: float = 10,
                    breakdowns: Sequence[Breakdown] = (), repair: bool = False,
                    pull_forward: bool = False,
                    ctx: CommandContext = CommandContext()) -> Outcome:
    """Schedule from read models that reached the log as it stands now
    (``ProjectionLag`` otherwise) and record it (``repair``: repair the
    schedule in force around what the floor is running; ``pull_forward``: let
    daily work orders start before their own day)."""
    check_allowed("record_schedule", ctx.roles)
    snapshot = inputs.schedule_snapshot(with_operators, app.log_position(), pull_forward)
    return app.record_schedule(snapshot, start, mode, time_limit_s, tuple(breakdowns), repair,
                               ctx=ctx)
