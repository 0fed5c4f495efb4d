"""runDepreciation: 计提折旧 of a month, once per period (Dr 4101/5602/5601 / Cr 1602)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.fixed_asset_types import AssetDepreciation
from api.graphql.mutations._common import result_union
from api.graphql.mutations._fixed_assets import posted
from api.graphql.types import JournalEntry
from domain.fixed_assets.handlers import UnitsInput
from projections import fixed_asset_queries as fq


@strawberry.input(description="The month's work of an asset depreciated by 工作量法.")
class AssetUnitsInput:
    asset: str
    units: Decimal


@strawberry.input
class RunDepreciationInput:
    period: str
    posting_date: date | None = strawberry.field(
        default=None, description="Default: the period's last day.")
    units: list[AssetUnitsInput] = strawberry.field(
        default_factory=list, description="Every 工作量法 asset due this month (0 if idle).")
    idempotency_key: str | None = None


@strawberry.type
class RunDepreciationSuccess:
    period: str
    total: Decimal
    assets: int
    already_run: bool
    lines: list[AssetDepreciation]
    entry: JournalEntry | None
    log_position: int
    replayed: bool


RunDepreciationResult = result_union("RunDepreciationResult", RunDepreciationSuccess)


def _success(conn, out) -> RunDepreciationSuccess:
    v = out.value
    lines = [ln for ln in fq.depreciation(conn, v.period) if ln.by == "run"]
    return posted(RunDepreciationSuccess, conn, out, "total", period=v.period,
                  assets=v.assets, already_run=v.already_run,
                  lines=[AssetDepreciation.from_view(ln) for ln in lines])


async def run_depreciation(info: Info, input: RunDepreciationInput  # noqa: A002
                           ) -> RunDepreciationResult:
    units = [UnitsInput(u.asset, u.units) for u in input.units]
    return await run_command(
        info,
        lambda app, ctx: app.run_depreciation(input.period, input.posting_date, units, ctx=ctx),
        input.idempotency_key,
        _success,
    )
