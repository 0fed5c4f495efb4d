"""setWorkingCalendar: a year's holidays and (make-up) working days, for the
company or for one work center.

They replace what that year had. A work center's own days win over the
company's; a working day on a weekday without shifts works the shifts of the
first weekday that has some (a make-up Saturday runs like a Monday). MRP
offsets lead times on the company's days, the monthly split and the
scheduler plan on each work center's."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class SetWorkingCalendarInput:
    year: int
    holidays: list[date] = strawberry.field(description="Days off that year (法定节假日).")
    working_days: list[date] = strawberry.field(
        description="Extra working days that year (调休上班, overtime Saturdays).")
    work_center: str | None = strawberry.field(
        default=None, description="This work center's own days; default the company's.")
    idempotency_key: str | None = None


@strawberry.type(description="A year of a working calendar as set.")
class WorkingCalendarYear:
    work_center: str | None = strawberry.field(description="Null: the company's calendar.")
    year: int
    holidays: list[date]
    working_days: list[date]


@strawberry.type
class SetWorkingCalendarSuccess:
    calendar: WorkingCalendarYear
    log_position: int
    replayed: bool


SetWorkingCalendarResult = result_union("SetWorkingCalendarResult", SetWorkingCalendarSuccess)


async def set_working_calendar(
    info: Info, input: SetWorkingCalendarInput  # noqa: A002
) -> SetWorkingCalendarResult:
    def build(conn, out) -> SetWorkingCalendarSuccess:
        return SetWorkingCalendarSuccess(
            calendar=WorkingCalendarYear(
                work_center=out.value.scope or None, year=out.value.year,
                holidays=sorted(set(input.holidays)),
                working_days=sorted(set(input.working_days))),
            log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.set_working_calendar(input.year, input.holidays, input.working_days,
                                                  input.work_center, ctx=ctx),
        input.idempotency_key,
        build,
    )
