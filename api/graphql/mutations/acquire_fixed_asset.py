"""acquireFixedAsset: 新增固定资产, a card and its voucher (Dr 1601 / Cr what paid for it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.fixed_asset_types import AssetUseEnum, DepreciationMethodEnum, FixedAsset
from api.graphql.mutations._common import result_union
from api.graphql.mutations._fixed_assets import asset_of, posted
from api.graphql.types import JournalEntry
from domain.fixed_assets.cards import AssetSpec
from domain.fixed_assets.depreciation import DepreciationMethod
from domain.fixed_assets.register import AssetUse


@strawberry.input(description="A new asset card and what paid for it: exactly one of "
                  "`supplier` (with `invoiceNumber`: Cr 220201 and a payable open item), "
                  "`bankAccount` (paid at once) or `counterAccount` (1604 在建工程, 3001…).")
class AcquireFixedAssetInput:
    code: str
    name: str
    life_months: int = strawberry.field(description="Useful life in months (双倍余额递减法: "
                                        "whole years).")
    acquisition_date: date
    cost: Decimal = strawberry.field(description="原价, without the deductible VAT.")
    method: DepreciationMethodEnum = DepreciationMethod.STRAIGHT_LINE
    use: AssetUseEnum = AssetUse.PRODUCTION
    residual_rate: Decimal = strawberry.field(default=Decimal("0.05"),
                                              description="预计净残值率, 0.05 = 5 %.")
    category: str = ""
    expense_account: str = strawberry.field(
        default="", description="Default by use: 4101, 5602 or 5601 (or a sub-account).")
    work_center: str = ""
    equipment: str = ""
    total_units: Decimal | None = strawberry.field(
        default=None, description="工作量法: the work over the whole life.")
    unit: str = ""
    vat: Decimal | None = strawberry.field(default=None,
                                           description="Deductible input VAT (22210101).")
    supplier: str = ""
    invoice_number: str = ""
    bank_account: str = ""
    counter_account: str = ""
    opening_depreciation: Decimal | None = strawberry.field(
        default=None, description="A card taken over from earlier books: depreciation "
        "accumulated so far (Cr 1602; with counterAccount).")
    months_depreciated: int = 0
    units_used: Decimal | None = None
    memo: str = ""
    idempotency_key: str | None = None

    def spec(self) -> AssetSpec:
        return AssetSpec(self.code, self.name, self.life_months, self.method, self.use,
                         self.residual_rate, self.category, self.expense_account,
                         self.work_center, self.equipment, self.total_units, self.unit)


@strawberry.type
class AcquireFixedAssetSuccess:
    asset: FixedAsset
    entry: JournalEntry | None
    log_position: int
    replayed: bool


AcquireFixedAssetResult = result_union("AcquireFixedAssetResult", AcquireFixedAssetSuccess)


async def acquire_fixed_asset(info: Info, input: AcquireFixedAssetInput  # noqa: A002
                              ) -> AcquireFixedAssetResult:
    i = input
    return await run_command(
        info,
        lambda app, ctx: app.acquire_fixed_asset(
            i.spec(), i.acquisition_date, i.cost, i.vat, i.supplier, i.invoice_number,
            i.bank_account, i.counter_account, i.opening_depreciation, i.months_depreciated,
            i.units_used, i.memo, ctx=ctx),
        i.idempotency_key,
        lambda conn, out: posted(AcquireFixedAssetSuccess, conn, out,
                                 asset=asset_of(conn, out.value.code)),
    )
