"""setAccountControl: mark an account as a control account (控制科目).

A control account's balance is kept by a sub-ledger (stock, WIP, open items),
so only documents post to it: a manual journal line, or the reversal of a
voucher a document posted, is refused with CONTROL_ACCOUNT. The built-in
control accounts (1403, 1405, 4001, 1122, 2202, 2203, 1123 and their
sub-accounts) cannot be unmarked.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class SetAccountControlInput:
    code: str
    controlled: bool
    idempotency_key: str | None = None


@strawberry.type
class SetAccountControlSuccess:
    code: str
    controlled: bool
    log_position: int
    replayed: bool


SetAccountControlResult = result_union("SetAccountControlResult", SetAccountControlSuccess)


async def set_account_control(
    info: Info, input: SetAccountControlInput  # noqa: A002
) -> SetAccountControlResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_account_control(input.code, input.controlled, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetAccountControlSuccess(
            code=out.value.code,
            controlled=input.controlled,
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
