"""Items (物料): what the factory buys, makes, stocks and sells.

Master-data changes are events too; a used item can be deactivated, never
deleted. The GL account an item's stock posts to defaults from its type
(1403 raw, 140502 semi-finished, 140501 finished, 1411 consumables) and can be
overridden per item.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.money import parse_price, parse_quantity, to_decimal
from domain.transcodings import transcoded

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,39}$")
VAT_RATES = (Decimal("0.13"), Decimal("0.09"), Decimal("0.06"), Decimal("0.03"),
             Decimal("0.01"), Decimal("0"))


@transcoded("ItemType")
class ItemType(Enum):
    RAW = "raw"
    SEMI_FINISHED = "semi_finished"
    FINISHED = "finished"
    CONSUMABLE = "consumable"


DEFAULT_INVENTORY_ACCOUNT = {
    ItemType.RAW: "1403",
    ItemType.SEMI_FINISHED: "140502",
    ItemType.FINISHED: "140501",
    ItemType.CONSUMABLE: "1411",
}


@transcoded("LotSizeRule")
class LotSizeRule(Enum):
    LOT_FOR_LOT = "lot_for_lot"
    FIXED = "fixed"
    MIN_MULTIPLE = "min_multiple"


@transcoded("Planning")
@dataclass(frozen=True)
class Planning:
    """Planning data (计划参数) MRP reads."""

    lead_time_days: int = 0
    lot_size_rule: LotSizeRule = LotSizeRule.LOT_FOR_LOT
    lot_size: Decimal = Decimal("0")  # the fixed lot, or the minimum
    lot_multiple: Decimal = Decimal("0")
    safety_stock: Decimal = Decimal("0")
    scrap_factor: Decimal = Decimal("0")


def check_item_code(code: str, field: str = "code") -> str:
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        raise ValidationError(
            f"code {code!r} must be 1-40 letters, digits, '-', '_' or '.'", field
        )
    return code


def item_id(code: str) -> uuid.UUID:
    return derived_id("item", code)


def check_vat_rate(rate: object, field: str = "vatRate") -> Decimal:
    value = to_decimal(rate, field)
    if value not in VAT_RATES:
        allowed = ", ".join(str(r) for r in VAT_RATES)
        raise ValidationError(f"{field}: VAT rate {value} is not one of {allowed}", field)
    return value.quantize(Decimal("0.01"))


def check_tax_code(code: str | None, field: str = "taxCode") -> str:
    """商品和服务税收分类编码: 19 digits (or empty until the item is invoiced)."""
    code = (code or "").strip()
    if code and (len(code) != 19 or not code.isdigit()):
        raise ValidationError(f"{field}: tax classification code must be 19 digits", field)
    return code


def check_planning(p: Planning) -> Planning:
    if not 0 <= p.lead_time_days <= 3650:
        raise ValidationError("lead time must be 0-3650 days", "planning.leadTimeDays")
    for name, field in (("lot_size", "lotSize"), ("lot_multiple", "lotMultiple"),
                        ("safety_stock", "safetyStock")):
        value = getattr(p, name)
        if value:
            parse_quantity(value, f"planning.{field}")
    if not Decimal("0") <= p.scrap_factor < Decimal("1"):
        raise ValidationError("scrap factor must be at least 0 and below 1",
                              "planning.scrapFactor")
    if p.lot_size_rule is LotSizeRule.FIXED and p.lot_size <= 0:
        raise ValidationError("a fixed lot-size rule needs a lot size", "planning.lotSize")
    return p


def check_lot_rule(p: Planning) -> Planning:
    """A lot multiple or size the item's lot-size rule would ignore is refused,
    never silently dropped: 按需 (lot for lot) uses neither, a fixed lot no
    multiple; only 最小批量/批量倍数 (min_multiple) uses both."""
    if p.lot_multiple and p.lot_size_rule is not LotSizeRule.MIN_MULTIPLE:
        raise ValidationError(
            f"planning.lotMultiple: the {p.lot_size_rule.value} rule ignores a lot multiple; "
            "use the min_multiple rule or leave it 0", "planning.lotMultiple")
    if p.lot_size and p.lot_size_rule is LotSizeRule.LOT_FOR_LOT:
        raise ValidationError(
            "planning.lotSize: the lot_for_lot rule ignores a lot size; use the fixed or "
            "min_multiple rule or leave it 0", "planning.lotSize")
    return p


def sale_warnings(spec: ItemSpec) -> tuple[str, ...]:
    """What an item made for sale still lacks before a 数电票 can name it."""
    if spec.item_type is not ItemType.FINISHED:
        return ()
    missing = [what for what, value in (("税收分类编码 taxCode", spec.tax_code),
                                        ("税收分类简称 taxShortName", spec.tax_short_name))
               if not value]
    if not missing:
        return ()
    return (f"item {spec.code} is made for sale but has no {' and no '.join(missing)}: "
            "a sales invoice (数电票) naming it is refused until changeItem sets them",)


@transcoded("ItemSpec")
@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    uom: str
    item_type: ItemType
    lot_tracked: bool = False
    standard_cost: Decimal = Decimal("0")
    default_warehouse: str = ""
    tax_code: str = ""
    vat_rate: Decimal = Decimal("0.13")
    inventory_account: str = ""
    spec: str = ""  # 规格型号
    planning: Planning = Planning()
    tax_short_name: str = ""  # 税收分类简称, printed *简称*名称 on invoices (e.g. 金属制品)


class Item(Aggregate):
    @event("Created")
    def __init__(self, spec: ItemSpec):
        self.spec = spec
        self.active = True

    @classmethod
    def create_id(cls, spec: ItemSpec) -> uuid.UUID:
        return item_id(spec.code)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def inventory_account(self) -> str:
        return self.spec.inventory_account or DEFAULT_INVENTORY_ACCOUNT[self.spec.item_type]

    def check_active(self) -> None:
        if not self.active:
            raise BusinessRuleViolation("ITEM_INACTIVE", f"item {self.code} is deactivated")

    def change(self, **changes: object) -> None:
        """Rename, reprice, re-plan…: one event carrying the changed fields."""
        spec = replace(self.spec, **changes)
        if spec != self.spec:
            self._changed(spec)

    @event("Changed")
    def _changed(self, spec: ItemSpec) -> None:
        self.spec = spec

    def set_active(self, active: bool) -> None:
        if self.active == active:
            raise BusinessRuleViolation(
                "ITEM_STATE_UNCHANGED",
                f"item {self.code} is already {'active' if active else 'deactivated'}",
            )
        self._activity_set(active)

    @event("ActivitySet")
    def _activity_set(self, active: bool) -> None:
        self.active = active


def check_item_spec(spec: ItemSpec) -> ItemSpec:
    """Validate and normalise an item's master data (pure)."""
    name = (spec.name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError("item name must be 1-100 characters", "name")
    uom = (spec.uom or "").strip()
    if not uom or len(uom) > 10:
        raise ValidationError("unit of measure must be 1-10 characters", "uom")
    return replace(
        spec,
        code=check_item_code(spec.code),
        name=name,
        uom=uom,
        standard_cost=parse_price(spec.standard_cost, "standardCost"),
        default_warehouse=(spec.default_warehouse or "").strip().upper(),
        tax_code=check_tax_code(spec.tax_code),
        vat_rate=check_vat_rate(spec.vat_rate),
        inventory_account=(spec.inventory_account or "").strip(),
        spec=(spec.spec or "").strip(),
        planning=check_planning(spec.planning),
        tax_short_name=check_tax_short_name(spec.tax_short_name),
    )


def check_tax_short_name(name: str | None, field: str = "taxShortName") -> str:
    """税收分类简称 (the short name of the tax classification code): 0-40 characters,
    no '*' (it is printed between asterisks)."""
    name = (name or "").strip()
    if len(name) > 40 or "*" in name:
        raise ValidationError(f"{field}: up to 40 characters, without '*'", field)
    return name
