"""MRP over a snapshot of the read models: the one entry point GraphQL's
runMrp and ``factoryledger run-mrp`` share.

Planning itself is pure (``domain/planning/mrp.py``) and recording the run is
planning's use case (``run_mrp`` on the application); what this step adds is
reading the snapshot through the read port as of the log position read here.
"""

from __future__ import annotations

from datetime import date

from domain.commands import CommandContext, Outcome
from domain.workflows.ports import PlanningInputs


def run_mrp(app, inputs: PlanningInputs, today: date,
            ctx: CommandContext = CommandContext()) -> Outcome:
    """Plan from read models that reached the log as it stands now
    (``ProjectionLag`` otherwise) and record the run."""
    snapshot = inputs.mrp_snapshot(today, app.log_position())
    return app.run_mrp(snapshot, ctx=ctx)
