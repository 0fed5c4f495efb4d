"""Read ports: what a workflow reads from the read models before it decides.

The application is given an object with these methods; ``projections/
read_ports.py`` implements them over the SQL read models. ``position`` is
the log position the command read: the implementation answers only from
read models that reached it, and raises ``ProjectionLag`` otherwise, so a
decision never depends on how far the projections happen to lag.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from domain.planning.model import Snapshot
from domain.planning.scheduling import ScheduleSnapshot


@dataclass(frozen=True)
class AllocationTargets:
    """Where an allocation may go: open work orders and stock balances of
    manufactured items (the read models list them; their balances are read
    from the aggregates themselves)."""

    work_orders: tuple[str, ...] = ()
    stocks: tuple[tuple[str, str], ...] = ()  # (item, warehouse)


class PlanningInputs(Protocol):
    def mrp_snapshot(self, today: date, position: int) -> Snapshot:
        """Items, BOMs in force on ``today``, on hand, open orders and forecasts."""
        ...

    def schedule_snapshot(self, with_operators: bool, position: int,
                          pull_forward: bool = False) -> ScheduleSnapshot:
        """Operations still to run (a daily work order not before its day unless
        ``pull_forward``), work centers on their calendars, operators (when they
        limit the schedule) and what the shop floor is running."""
        ...

    def work_center_load(self, first: date, last: date,
                         position: int) -> Mapping[str, Mapping[date, Sequence[Decimal]]]:
        """Work center -> due date in [first, last] -> the remaining hours there of
        each open work order due that day, in work-order number order."""
        ...


class OverheadTargets(Protocol):
    def allocation_targets(self, position: int) -> AllocationTargets:
        """Open work orders and stock balances an overhead allocation may reach."""
        ...
