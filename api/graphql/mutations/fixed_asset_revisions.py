"""editFixedAsset, disposeFixedAssetPart, reverseDepreciationRun: the
register after the fact (docs/fixed-assets.md, "After the fact")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.fixed_asset_types import AssetUseEnum, FixedAsset
from api.graphql.mutations._common import result_union
from api.graphql.mutations._fixed_assets import asset_of, posted
from api.graphql.types import JournalEntry
from domain.fixed_assets.revisions import AssetChanges


# -- editFixedAsset ---------------------------------------------------------------------------
@strawberry.input(description="Only the fields given change. Life, residual rate and total "
                  "units are estimates: they apply from the next run to what is left "
                  "(小企业会计准则 第三十条); use, expense account and work center from the "
                  "next run too.")
class EditFixedAssetInput:
    code: str
    name: str | None = None
    category: str | None = None
    use: AssetUseEnum | None = None
    expense_account: str | None = None
    work_center: str | None = strawberry.field(default=None,
                                               description="The cost center (work center).")
    equipment: str | None = strawberry.field(
        default=None, description="工作量法: the equipment whose counter the runs read.")
    life_months: int | None = None
    residual_rate: Decimal | None = None
    total_units: Decimal | None = None
    idempotency_key: str | None = None


@strawberry.type
class EditFixedAssetSuccess:
    asset: FixedAsset
    effective: str = strawberry.field(description="The first period depreciated on the "
                                      "edited card.")
    changed: bool
    log_position: int
    replayed: bool


EditFixedAssetResult = result_union("EditFixedAssetResult", EditFixedAssetSuccess)


async def edit_fixed_asset(info: Info, input: EditFixedAssetInput  # noqa: A002
                           ) -> EditFixedAssetResult:
    i = input
    changes = AssetChanges(i.name, i.category, i.use, i.expense_account, i.work_center,
                           i.equipment, i.life_months, i.residual_rate, i.total_units)
    return await run_command(
        info, lambda app, ctx: app.edit_fixed_asset(i.code, changes, ctx=ctx),
        i.idempotency_key,
        lambda conn, out: EditFixedAssetSuccess(
            asset=asset_of(conn, out.value.code), effective=out.value.effective,
            changed=out.value.changed, log_position=out.position, replayed=out.replayed),
    )


# -- disposeFixedAssetPart ------------------------------------------------------------------
@strawberry.input(description="部分处置: `cost` of the asset's cost leaves with its share of "
                  "the accumulated depreciation, after the month's depreciation of the whole "
                  "asset; the net goes to 5301 or 5711.")
class DisposeFixedAssetPartInput:
    code: str
    disposal_date: date
    cost: Decimal
    proceeds: Decimal | None = None
    proceeds_vat: Decimal | None = None
    costs: Decimal | None = None
    bank_account: str = ""
    units: Decimal | None = None
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.type
class DisposeFixedAssetPartSuccess:
    asset: FixedAsset
    cost_out: Decimal
    accumulated_out: Decimal
    depreciation: Decimal
    book_value: Decimal
    gain: Decimal
    entry: JournalEntry | None
    log_position: int
    replayed: bool


DisposeFixedAssetPartResult = result_union("DisposeFixedAssetPartResult",
                                           DisposeFixedAssetPartSuccess)


async def dispose_fixed_asset_part(info: Info, input: DisposeFixedAssetPartInput  # noqa: A002
                                   ) -> DisposeFixedAssetPartResult:
    i = input
    return await run_command(
        info,
        lambda app, ctx: app.dispose_fixed_asset_part(
            i.code, i.disposal_date, i.cost, i.proceeds, i.proceeds_vat, i.costs,
            i.bank_account, i.units, i.reason, ctx=ctx),
        i.idempotency_key,
        lambda conn, out: posted(
            DisposeFixedAssetPartSuccess, conn, out, "cost_out", "accumulated_out",
            "depreciation", "book_value", "gain", asset=asset_of(conn, out.value.code)),
    )


# -- reverseDepreciationRun ------------------------------------------------------------------
@strawberry.input(description="冲销 the latest run of an open period (one red voucher); "
                  "asked again, the first reversal answers.")
class ReverseDepreciationRunInput:
    period: str
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.type
class ReverseDepreciationRunSuccess:
    period: str
    total: Decimal
    assets: int
    already_reversed: bool
    entry: JournalEntry | None
    log_position: int
    replayed: bool


ReverseDepreciationRunResult = result_union("ReverseDepreciationRunResult",
                                            ReverseDepreciationRunSuccess)


async def reverse_depreciation_run(info: Info, input: ReverseDepreciationRunInput  # noqa: A002
                                   ) -> ReverseDepreciationRunResult:
    i = input
    return await run_command(
        info, lambda app, ctx: app.reverse_depreciation_run(i.period, i.reason, ctx=ctx),
        i.idempotency_key,
        lambda conn, out: posted(
            ReverseDepreciationRunSuccess, conn, out, "total", period=out.value.period,
            assets=out.value.assets, already_reversed=out.value.already_reversed),
    )
