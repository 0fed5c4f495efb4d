"""Overhead settlement's one entry point (结转制造费用), shared by GraphQL
(settleOverhead) and the CLI (``factoryledger settle-overhead``): it asks the
read port for the allocation targets as of the log position it read, then
runs the command (``overhead.py``)."""

from __future__ import annotations

from datetime import date

from domain.commands import CommandContext, Outcome
from domain.ledger.period_end import OverheadMethod
from domain.workflows.overhead import OverheadSettled
from domain.workflows.ports import OverheadTargets


def settle_overhead(
    app,
    targets: OverheadTargets,
    period: str,
    method: OverheadMethod = OverheadMethod.COST_OF_SALES,
    posting_date: date | None = None,
    ctx: CommandContext = CommandContext(),
) -> Outcome[OverheadSettled]:
    """settleOverhead / ``factoryledger settle-overhead``: an allocation lists
    its targets from read models that reached the log position read here
    (``ProjectionLag`` otherwise), so what it may reach never depends on lag."""
    listing = None
    if method is OverheadMethod.ALLOCATE:
        listing = targets.allocation_targets(app.log_position())
    return app.settle_overhead(period, method, posting_date, listing, ctx=ctx)
