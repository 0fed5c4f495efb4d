"""setCompanySettings: the company's time zone and its window of business dates.

"Today" is the company's date in ``timeZone`` (an IANA name, default
Asia/Shanghai). Every dated command refuses a date more than ``daysBack``
days before or ``daysAhead`` days after today (DATE_OUT_OF_RANGE).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class SetCompanySettingsInput:
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Asia/Shanghai.")
    days_back: int = strawberry.field(description="Oldest business date: today minus this "
                                      "many days (0-3660; default 366).")
    days_ahead: int = strawberry.field(description="Latest business date: today plus this "
                                       "many days (0-366; default 31).")
    idempotency_key: str | None = None


@strawberry.type
class CompanySettings:
    time_zone: str
    days_back: int
    days_ahead: int


@strawberry.type
class SetCompanySettingsSuccess:
    settings: CompanySettings
    log_position: int
    replayed: bool


SetCompanySettingsResult = result_union("SetCompanySettingsResult", SetCompanySettingsSuccess)


async def set_company_settings(
    info: Info, input: SetCompanySettingsInput  # noqa: A002
) -> SetCompanySettingsResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_company_settings(input.time_zone, input.days_back,
                                                  input.days_ahead, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetCompanySettingsSuccess(
            settings=CompanySettings(time_zone=out.value.time_zone,
                                     days_back=out.value.days_back,
                                     days_ahead=out.value.days_ahead),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
