"""installStatementSubAccounts: add the standard sub-accounts of the 利润表's 其中 lines.

A chart upgrade for a company made before they shipped (a new company has
them): 540301 消费税 … 571105 税收滞纳金, each mapped by code to its 其中 line.
Their parents (5403, 5601, 5602, 5603, 5301, 5711) keep taking postings of
their own (documents post there); such a posting shows in the parent's line
and in none of its 其中 lines. Refused with STATEMENT_SUB_ACCOUNTS_INSTALLED
when there is nothing to add.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class InstallStatementSubAccountsInput:
    idempotency_key: str | None = None


@strawberry.type
class InstallStatementSubAccountsSuccess:
    codes: list[str] = strawberry.field(description="The sub-accounts added.")
    log_position: int
    replayed: bool


InstallStatementSubAccountsResult = result_union("InstallStatementSubAccountsResult",
                                                 InstallStatementSubAccountsSuccess)


async def install_statement_sub_accounts(
    info: Info, input: InstallStatementSubAccountsInput | None = None  # noqa: A002
) -> InstallStatementSubAccountsResult:
    key = input.idempotency_key if input is not None else None
    return await run_command(
        info,
        lambda app, ctx: app.install_statement_sub_accounts(ctx=ctx),
        key,
        lambda conn, out: InstallStatementSubAccountsSuccess(
            codes=list(out.value.codes), log_position=out.position, replayed=out.replayed),
    )
