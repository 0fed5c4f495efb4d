"""setCompanyProfile: the seller's particulars printed on every invoice (销售方信息).

Name, 统一社会信用代码, address, phone, bank and account.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.invoicing_types import CompanyProfile
from api.graphql.mutations._common import found, result_union
from projections import invoicing_queries as invq


@strawberry.input
class SetCompanyProfileInput:
    name: str
    uscc: str = strawberry.field(description="统一社会信用代码 (18 characters).")
    address: str = ""
    phone: str = ""
    bank: str = ""
    bank_account: str = ""
    idempotency_key: str | None = None


@strawberry.type
class SetCompanyProfileSuccess:
    profile: CompanyProfile
    log_position: int
    replayed: bool


SetCompanyProfileResult = result_union("SetCompanyProfileResult", SetCompanyProfileSuccess)


async def set_company_profile(
    info: Info, input: SetCompanyProfileInput  # noqa: A002
) -> SetCompanyProfileResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_company_profile(
            input.name, input.uscc, input.address, input.phone, input.bank, input.bank_account,
            ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetCompanyProfileSuccess(
            profile=CompanyProfile.from_view(found(invq.profile(conn), "company profile")),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
