"""deactivateAccount: no more postings to it (nor to its sub-accounts)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import account_view, result_union
from api.graphql.types import Account


@strawberry.input
class DeactivateAccountInput:
    code: str
    idempotency_key: str | None = None


@strawberry.type
class DeactivateAccountSuccess:
    account: Account
    log_position: int
    replayed: bool


DeactivateAccountResult = result_union("DeactivateAccountResult", DeactivateAccountSuccess)


async def deactivate_account(
    info: Info, input: DeactivateAccountInput  # noqa: A002
) -> DeactivateAccountResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_account_active(input.code, False, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: DeactivateAccountSuccess(
            account=Account.from_view(account_view(conn, out.value.code)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
