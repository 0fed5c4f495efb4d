"""Planning queries: MRP runs, planned orders with their pegging, exception
messages, the finite-capacity schedule (by work center, late orders) and
cost roll-ups and work-order budgets.

Each reads the read models, optionally after waiting until they have reached
a log position (``waitFor``). Merged into the root ``Query`` type by the schema.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.planning_types import MrpException, MrpRun, PlannedOrder
from api.graphql.queries import MAX_PAGE, WaitFor
from projections import planning_queries as plq

KINDS = ("make", "buy")
EXCEPTION_KINDS = ("expedite", "defer", "cancel", "past_due_release")


def _code(value: str | None) -> str | None:
    """Codes are upper case; a blank filter is no filter."""
    return (value or "").strip().upper() or None


def _choice(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    value = (value or "").strip().lower() or None
    if value is not None and value not in allowed:
        raise QueryError(f"{field} must be one of {', '.join(allowed)}", "ValidationError",
                         field=field)
    return value


@strawberry.type
class PlanningQuery:
    @strawberry.field(description="MRP runs, newest first.")
    async def mrp_runs(self, info: Info, first: int = 50,
                       wait_for: WaitFor = None) -> list[MrpRun]:
        if not 1 <= first <= MAX_PAGE:
            raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                             field="first")
        views = await read(info, lambda c: plq.mrp_runs_list(c, first), wait_for)
        return [MrpRun.from_view(v) for v in views]

    @strawberry.field(description="One MRP run; null if there is none.")
    async def mrp_run(self, info: Info, number: str, wait_for: WaitFor = None) -> MrpRun | None:
        view = await read(info, lambda c: plq.mrp_run(c, _code(number) or ""), wait_for)
        return MrpRun.from_view(view) if view else None

    @strawberry.field(description="Planned orders of a run (default the latest) with their "
                      "pegging; filter by item, kind (make | buy), top-level order (SO-000001) "
                      "and whether they were firmed.")
    async def planned_orders(
        self,
        info: Info,
        run: str | None = None,
        item: str | None = None,
        kind: str | None = None,
        top: str | None = None,
        firmed: bool | None = None,
        wait_for: WaitFor = None,
    ) -> list[PlannedOrder]:
        kind_ = _choice(kind, KINDS, "kind")
        views = await read(info, lambda c: plq.planned_order_list(
            c, run=run, item=_code(item), kind=kind_, top=_code(top), firmed=firmed), wait_for)
        return [PlannedOrder.from_view(v) for v in views]

    @strawberry.field(description="Exception messages of a run (default the latest): "
                      "expedite, defer, cancel, past_due_release.")
    async def mrp_exceptions(
        self,
        info: Info,
        run: str | None = None,
        kind: str | None = None,
        wait_for: WaitFor = None,
    ) -> list[MrpException]:
        kind_ = _choice(kind, EXCEPTION_KINDS, "kind")
        views = await read(info, lambda c: plq.mrp_exception_list(c, run=run, kind=kind_),
                           wait_for)
        return [MrpException.from_view(v) for v in views]
