"""Fixed-asset queries: the register, the depreciation by month and the
register against 1601/1602. Merged into the root ``Query`` type by the schema."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.fixed_asset_types import AssetDepreciation, FixedAsset, FixedAssetReconciliation
from api.graphql.queries import WaitFor
from domain.ledger.periods import check_period
from projections import fixed_asset_queries as fq


def _code(value: str | None) -> str | None:
    return (value or "").strip().upper() or None


@strawberry.type
class FixedAssetQuery:
    @strawberry.field(description="固定资产登记簿: the assets held at the end of `asOf` "
                      "(default: now) with cost, accumulated depreciation and book value.")
    async def fixed_assets(self, info: Info, as_of: date | None = None,
                           include_disposed: bool = False,
                           wait_for: WaitFor = None) -> list[FixedAsset]:
        views = await read(info, lambda c: fq.register(c, as_of, include_disposed), wait_for)
        return [FixedAsset.from_view(v) for v in views]

    @strawberry.field(description="One asset card by code (also once disposed of).")
    async def fixed_asset(self, info: Info, code: str, as_of: date | None = None,
                          wait_for: WaitFor = None) -> FixedAsset | None:
        views = await read(info, lambda c: fq.register(c, as_of, True, _code(code)), wait_for)
        return FixedAsset.from_view(views[0]) if views else None

    @strawberry.field(description="计提折旧 by month and asset: a period's run and the "
                      "disposals in it.")
    async def depreciation_runs(self, info: Info, period: str | None = None,
                                asset: str | None = None,
                                wait_for: WaitFor = None) -> list[AssetDepreciation]:
        views = await read(info, lambda c: fq.depreciation(
            c, check_period(period) if period else None, _code(asset)), wait_for)
        return [AssetDepreciation.from_view(v) for v in views]

    @strawberry.field(description="The register against the GL at the end of `asOf`: "
                      "cost = 1601, accumulated depreciation = 1602.")
    async def fixed_asset_reconciliation(self, info: Info, as_of: date | None = None,
                                         wait_for: WaitFor = None
                                         ) -> list[FixedAssetReconciliation]:
        views = await read(info, lambda c: fq.reconciliation(c, as_of), wait_for)
        return [FixedAssetReconciliation.from_view(v) for v in views]
