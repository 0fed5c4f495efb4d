"""disposeFixedAsset: 固定资产处置 through 1606 清理, the net to 5301 or 5711."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.fixed_asset_types import FixedAsset
from api.graphql.mutations._common import result_union
from api.graphql.mutations._fixed_assets import asset_of, posted
from api.graphql.types import JournalEntry


@strawberry.input(description="The month's depreciation is charged first unless the "
                  "month's run made it (当月减少当月照提; `units` for 工作量法).")
class DisposeFixedAssetInput:
    code: str
    disposal_date: date
    proceeds: Decimal | None = strawberry.field(default=None,
                                                description="The price, ex VAT.")
    proceeds_vat: Decimal | None = strawberry.field(default=None,
                                                    description="Output VAT (22210102).")
    costs: Decimal | None = strawberry.field(default=None, description="清理费用 paid.")
    bank_account: str = strawberry.field(default="",
                                         description="Where proceeds and costs go through.")
    units: Decimal | None = None
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.type
class DisposeFixedAssetSuccess:
    asset: FixedAsset
    depreciation: Decimal
    book_value: Decimal
    gain: Decimal
    entry: JournalEntry | None
    log_position: int
    replayed: bool


DisposeFixedAssetResult = result_union("DisposeFixedAssetResult", DisposeFixedAssetSuccess)


async def dispose_fixed_asset(info: Info, input: DisposeFixedAssetInput  # noqa: A002
                              ) -> DisposeFixedAssetResult:
    i = input
    return await run_command(
        info,
        lambda app, ctx: app.dispose_fixed_asset(
            i.code, i.disposal_date, i.proceeds, i.proceeds_vat, i.costs, i.bank_account,
            i.units, i.reason, ctx=ctx),
        i.idempotency_key,
        lambda conn, out: posted(DisposeFixedAssetSuccess, conn, out, "depreciation",
                                 "book_value", "gain", asset=asset_of(conn, out.value.code)),
    )
