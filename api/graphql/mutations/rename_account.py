"""renameAccount: a new name; the code and the postings stay."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import account_view, result_union
from api.graphql.types import Account


@strawberry.input
class RenameAccountInput:
    code: str
    name: str
    idempotency_key: str | None = None


@strawberry.type
class RenameAccountSuccess:
    account: Account
    log_position: int
    replayed: bool


RenameAccountResult = result_union("RenameAccountResult", RenameAccountSuccess)


async def rename_account(info: Info, input: RenameAccountInput) -> RenameAccountResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.rename_account(input.code, input.name, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RenameAccountSuccess(
            account=Account.from_view(account_view(conn, out.value.code)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
