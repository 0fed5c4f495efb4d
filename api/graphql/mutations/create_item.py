"""createItem: new master data for something bought, made, stocked or sold (物料)."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Item, ItemTypeEnum, LotSizeRuleEnum
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import item_of
from domain.catalog.items import ItemSpec, LotSizeRule, Planning


@strawberry.input(description="计划参数 MRP reads; given as a whole.")
class PlanningInput:
    lead_time_days: int = 0
    lot_size_rule: LotSizeRuleEnum = LotSizeRule.LOT_FOR_LOT
    lot_size: Decimal = Decimal("0")
    lot_multiple: Decimal = Decimal("0")
    safety_stock: Decimal = Decimal("0")
    scrap_factor: Decimal = Decimal("0")

    def to_domain(self) -> Planning:
        return Planning(self.lead_time_days, self.lot_size_rule, self.lot_size,
                        self.lot_multiple, self.safety_stock, self.scrap_factor)


@strawberry.input
class CreateItemInput:
    code: str
    name: str
    uom: str = strawberry.field(description="Unit of measure, e.g. kg, pcs, box.")
    item_type: ItemTypeEnum
    lot_tracked: bool = False
    standard_cost: Decimal = Decimal("0")
    default_warehouse: str = ""
    tax_code: str = strawberry.field(default="", description="商品和服务税收分类编码, 19 digits.")
    vat_rate: Decimal = Decimal("0.13")
    inventory_account: str = strawberry.field(
        default="", description="Default by type: 1403 raw, 140502 semi-finished, 140501 "
        "finished, 1411 consumable.")
    spec: str = strawberry.field(default="", description="规格型号.")
    tax_short_name: str = strawberry.field(
        default="", description="税收分类简称 (e.g. 金属制品), printed *简称*名称 on invoices.")
    planning: PlanningInput | None = None
    idempotency_key: str | None = None

    def to_domain(self) -> ItemSpec:
        return ItemSpec(
            code=self.code, name=self.name, uom=self.uom, item_type=self.item_type,
            lot_tracked=self.lot_tracked, standard_cost=self.standard_cost,
            default_warehouse=self.default_warehouse, tax_code=self.tax_code,
            vat_rate=self.vat_rate, inventory_account=self.inventory_account, spec=self.spec,
            planning=self.planning.to_domain() if self.planning else Planning(),
            tax_short_name=self.tax_short_name,
        )


@strawberry.type
class CreateItemSuccess:
    item: Item
    warnings: list[str] = strawberry.field(
        description="What the item still lacks, e.g. made for sale without its 税收分类编码 "
        "or 简称 (a 数电票 naming it is refused until they are set).")
    log_position: int
    replayed: bool


CreateItemResult = result_union("CreateItemResult", CreateItemSuccess)


async def create_item(info: Info, input: CreateItemInput) -> CreateItemResult:  # noqa: A002
    spec = input.to_domain()
    return await run_command(
        info,
        lambda app, ctx: app.create_item(spec, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CreateItemSuccess(
            item=item_of(conn, out.value.code),
            warnings=list(out.value.warnings),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
