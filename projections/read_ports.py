"""The application's read ports (``domain/workflows/ports.py``) over the SQL
read models.

Every answer comes from read models that reached the log position the
command read: ``reach(position)`` brings them there (the caller's projection
runner or worker, bounded in time) and says whether it did; when it did not,
the port refuses with ``ProjectionLag`` and the command runs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from domain.errors import ProjectionLag
from domain.planning.model import Snapshot
from domain.planning.scheduling import ScheduleSnapshot
from domain.workflows.ports import AllocationTargets
from projections.planning_queries import schedule_inputs
from projections.planning_snapshot import build_snapshot, work_center_load
from projections.statement_queries import overhead_allocation_targets


class ReadModelInputs:
    """``PlanningInputs`` and ``OverheadTargets`` in one object."""

    def __init__(self, reach: Callable[[int], bool],
                 read: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._reach = reach
        self._read = read

    def mrp_snapshot(self, today: date, position: int) -> Snapshot:
        self._caught_up(position, "run MRP again in a moment")
        with self._read() as conn:
            return build_snapshot(conn, today)

    def schedule_snapshot(self, with_operators: bool, position: int,
                          pull_forward: bool = False) -> ScheduleSnapshot:
        self._caught_up(position, "record the schedule again in a moment")
        with self._read() as conn:
            return schedule_inputs(conn, with_operators, pull_forward)

    def work_center_load(self, first: date, last: date,
                         position: int) -> Mapping[str, Mapping[date, Sequence[Decimal]]]:
        self._caught_up(position, "split the plan again in a moment")
        with self._read() as conn:
            return work_center_load(conn, first, last)

    def allocation_targets(self, position: int) -> AllocationTargets:
        self._caught_up(position, "settle the overhead again in a moment")
        with self._read() as conn:  # which orders and stocks; balances come from the log
            return overhead_allocation_targets(conn)

    def _caught_up(self, position: int, advice: str) -> None:
        if not self._reach(position):
            raise ProjectionLag(
                f"the read models have not reached log position {position} yet; {advice}",
                position)
