"""defineWorkCenter: a work center (工作中心) with calendar, capacity and rates.

Defining an existing code changes it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import ShiftInput, work_center_of
from api.graphql.production_types import WorkCenter
from domain.catalog.engineering import DEFAULT_SHIFTS, WorkCenterSpec


@strawberry.input
class DefineWorkCenterInput:
    code: str
    name: str
    labor_rate: Decimal = strawberry.field(description="CNY per labor hour.")
    overhead_rate: Decimal = strawberry.field(description="CNY per machine hour.")
    capacity: int = strawberry.field(default=1, description="Machines or people in parallel.")
    shifts: list[ShiftInput] | None = strawberry.field(
        default=None, description="Default: Monday to Friday 08:00-16:00.")
    holidays: list[date] | None = None
    idempotency_key: str | None = None


@strawberry.type
class DefineWorkCenterSuccess:
    work_center: WorkCenter
    log_position: int
    replayed: bool


DefineWorkCenterResult = result_union("DefineWorkCenterResult", DefineWorkCenterSuccess)


async def define_work_center(
    info: Info, input: DefineWorkCenterInput  # noqa: A002
) -> DefineWorkCenterResult:
    shifts = (tuple(s.to_domain() for s in input.shifts) if input.shifts is not None
              else DEFAULT_SHIFTS)
    spec = WorkCenterSpec(input.code, input.name, input.capacity, input.labor_rate,
                          input.overhead_rate, shifts, tuple(input.holidays or ()))
    return await run_command(
        info,
        lambda app, ctx: app.define_work_center(spec, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: DefineWorkCenterSuccess(
            work_center=work_center_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
