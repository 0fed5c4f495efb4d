"""addAccount: a first-level account, or a sub-account under its parent."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import account_view, result_union
from api.graphql.types import Account, AccountCategoryEnum, NormalBalanceEnum


@strawberry.input
class AddAccountInput:
    code: str = strawberry.field(description="4 digits, or the parent's code plus 2 digits.")
    name: str
    category: AccountCategoryEnum | None = strawberry.field(
        default=None, description="Required for a first-level account; a sub-account "
        "takes its parent's.")
    normal_balance: NormalBalanceEnum | None = None
    idempotency_key: str | None = None


@strawberry.type
class AddAccountSuccess:
    account: Account
    log_position: int
    replayed: bool


AddAccountResult = result_union("AddAccountResult", AddAccountSuccess)


async def add_account(info: Info, input: AddAccountInput) -> AddAccountResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.add_account(
            input.code, input.name, input.category, input.normal_balance, ctx=ctx
        ),
        input.idempotency_key,
        lambda conn, out: AddAccountSuccess(
            account=Account.from_view(account_view(conn, out.value.code)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
