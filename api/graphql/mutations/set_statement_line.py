"""setStatementLine: map an account by code to the statement line it feeds.

A P&L sub-account to a 其中 line of the 利润表 under its parent's line (e.g.
560211 差旅费 to nothing, 560204 技术开发费 to line 17 研究费用); an asset to
balance sheet line 14 (其他流动资产, 含一年内到期的非流动资产) or 28 (其他非流动
资产), a liability to 40 (其他流动负债, 含一年内到期的非流动负债) or 45 (其他非流动
负债): the account then leaves its usual line for that one. line null: unmapped.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class SetStatementLineInput:
    code: str
    line: int | None = strawberry.field(description="The line (行次); null: none.")
    idempotency_key: str | None = None


@strawberry.type
class SetStatementLineSuccess:
    code: str
    line: int | None
    log_position: int
    replayed: bool


SetStatementLineResult = result_union("SetStatementLineResult", SetStatementLineSuccess)


async def set_statement_line(
    info: Info, input: SetStatementLineInput  # noqa: A002
) -> SetStatementLineResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_statement_line(input.code, input.line, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetStatementLineSuccess(
            code=out.value.code, line=out.value.line, log_position=out.position,
            replayed=out.replayed),
    )
