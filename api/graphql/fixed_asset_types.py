"""Read-side GraphQL types of the fixed-asset register (固定资产), each built
from a read-model view (``projections.fixed_asset_queries``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.fixed_assets.depreciation import DepreciationMethod
from domain.fixed_assets.register import AssetUse
from projections import fixed_asset_queries as fq

DepreciationMethodEnum = strawberry.enum(
    DepreciationMethod, name="DepreciationMethod",
    description="STRAIGHT_LINE 年限平均法, UNITS_OF_PRODUCTION 工作量法, DOUBLE_DECLINING "
    "双倍余额递减法 (straight line in the last two years).")
AssetUseEnum = strawberry.enum(
    AssetUse, name="AssetUse",
    description="Where the asset serves: PRODUCTION (depreciation to 4101 制造费用), "
    "ADMINISTRATION (5602 管理费用), SELLING (5601 销售费用).")


@strawberry.type(description="One asset's depreciation of one month: by the month's run, or "
                 "by its disposal in that month (当月减少当月照提).")
class AssetDepreciation:
    period: str
    asset: str
    name: str
    account: str
    amount: Decimal
    units: Decimal
    work_center: str
    posting_date: date
    by: str
    voucher_no: str

    @classmethod
    def from_view(cls, v: fq.DepreciationView) -> AssetDepreciation:
        return cls(period=v.period, asset=v.asset, name=v.name, account=v.account,
                   amount=v.amount, units=v.units, work_center=v.work_center,
                   posting_date=v.posting_date, by=v.by, voucher_no=v.voucher_no)


@strawberry.type(description="固定资产卡片 with its cost, accumulated depreciation and book "
                 "value at the end of the date asked for.")
class FixedAsset:
    code: str
    name: str
    category: str
    method: DepreciationMethodEnum
    use: AssetUseEnum
    expense_account: str
    work_center: str
    equipment: str
    acquisition_date: date
    cost: Decimal
    residual_rate: Decimal
    residual: Decimal
    life_months: int
    total_units: Decimal
    unit: str
    funding: str = strawberry.field(description="supplier, bank or account: what paid.")
    source: str = strawberry.field(description="The supplier's invoice (SUPPLIER/number), "
                                   "the bank account or the account credited.")
    vat: Decimal
    accumulated: Decimal
    book_value: Decimal
    months: int = strawberry.field(description="Months depreciated.")
    units: Decimal = strawberry.field(description="Work depreciated (工作量法).")
    through: str = strawberry.field(description="The last month depreciated.")
    voucher_no: str
    disposed_on: date | None
    proceeds: Decimal
    proceeds_vat: Decimal
    costs: Decimal
    gain: Decimal = strawberry.field(description="Of the disposal: to 5301 if positive, "
                                     "5711 if negative.")
    disposal_reason: str
    disposal_voucher_no: str

    @classmethod
    def from_view(cls, v: fq.AssetView) -> FixedAsset:
        return cls(
            code=v.code, name=v.name, category=v.category, method=DepreciationMethod(v.method),
            use=AssetUse(v.use), expense_account=v.expense_account, work_center=v.work_center,
            equipment=v.equipment, acquisition_date=v.acquisition_date, cost=v.cost,
            residual_rate=Decimal(v.residual_rate), residual=v.residual,
            life_months=v.life_months, total_units=v.total_units, unit=v.unit,
            funding=v.funding, source=v.source, vat=v.vat, accumulated=v.accumulated,
            book_value=v.book_value, months=v.months, units=v.units, through=v.through,
            voucher_no=v.voucher_no, disposed_on=v.disposed_on, proceeds=v.proceeds,
            proceeds_vat=v.proceeds_vat, costs=v.costs, gain=v.gain,
            disposal_reason=v.disposal_reason, disposal_voucher_no=v.disposal_voucher_no)


@strawberry.type(description="The register against the GL: cost = 1601, accumulated "
                 "depreciation = 1602 (credit positive), and the book values.")
class FixedAssetReconciliation:
    account: str
    label: str
    register: Decimal
    gl_balance: Decimal
    difference: Decimal

    @classmethod
    def from_view(cls, v: fq.ReconciliationView) -> FixedAssetReconciliation:
        return cls(account=v.account, label=v.label, register=v.register,
                   gl_balance=v.gl_balance, difference=v.difference)
