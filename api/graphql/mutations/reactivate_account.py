"""reactivateAccount: take postings again (its parent must be active)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import account_view, result_union
from api.graphql.types import Account


@strawberry.input
class ReactivateAccountInput:
    code: str
    idempotency_key: str | None = None


@strawberry.type
class ReactivateAccountSuccess:
    account: Account
    log_position: int
    replayed: bool


ReactivateAccountResult = result_union("ReactivateAccountResult", ReactivateAccountSuccess)


async def reactivate_account(
    info: Info, input: ReactivateAccountInput  # noqa: A002
) -> ReactivateAccountResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_account_active(input.code, True, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReactivateAccountSuccess(
            account=Account.from_view(account_view(conn, out.value.code)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
