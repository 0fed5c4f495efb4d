"""The company's quality policy (质量设置): where scrapped purchased material
goes, when a supplier or a lot raises an alert, how yield feeds planning,
and the inspector's hourly rate (appraisal cost)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import ValidationError
from domain.money import parse_amount, to_decimal
from domain.transcodings import transcoded

SETTINGS_ID = derived_id("settings", "quality")
ABNORMAL_LOSS = "5711"  # 营业外支出
NORMAL_LOSS = "4101"  # 制造费用
SCRAP_ACCOUNTS = (ABNORMAL_LOSS, NORMAL_LOSS)


@transcoded("QualityPolicy")
@dataclass(frozen=True)
class QualityPolicy:
    scrap_account: str = ABNORMAL_LOSS  # purchased material scrapped: 5711 or 4101
    supplier_threshold: Decimal = Decimal("0.90")  # incoming lots accepted, below: alert
    supplier_window: int = 10  # over the supplier's last lots
    supplier_min_lots: int = 3  # judged only from this many lots on
    low_yield: Decimal = Decimal("0.95")  # a lot accepting less raises an alert
    yield_lots: int = 5  # lots the recommended scrap factor looks at
    auto_apply_yield: bool = False  # each decision updates the item's scrap factor
    inspector_rate: Decimal = Decimal("0.00")  # CNY per inspection hour (appraisal cost)


def _ratio(value: object, field: str) -> Decimal:
    number = to_decimal(value, field)
    if not 0 <= number <= 1 or number != number.quantize(Decimal("0.0001")):
        raise ValidationError(f"{field}: a ratio 0-1 with at most 4 decimals", field)
    return number


def check_policy(policy: QualityPolicy) -> QualityPolicy:
    """Validate the settings a client sends (pure)."""
    if policy.scrap_account not in SCRAP_ACCOUNTS:
        raise ValidationError("scrapAccount must be 5711 (abnormal loss) or 4101 (normal loss)",
                              "scrapAccount")
    for value, field in ((policy.supplier_window, "supplierWindow"),
                         (policy.supplier_min_lots, "supplierMinLots"),
                         (policy.yield_lots, "yieldLots")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
            raise ValidationError(f"{field} must be 1-100", field)
    if policy.supplier_min_lots > policy.supplier_window:
        raise ValidationError("supplierMinLots cannot exceed supplierWindow",
                              "supplierMinLots")
    return replace(
        policy,
        supplier_threshold=_ratio(policy.supplier_threshold, "supplierThreshold"),
        low_yield=_ratio(policy.low_yield, "lowYield"),
        inspector_rate=parse_amount(policy.inspector_rate, "inspectorRate"),
    )


class QualitySettings(Aggregate):
    @event("Started")
    def __init__(self):
        self.policy = QualityPolicy()

    @classmethod
    def create_id(cls) -> object:
        return SETTINGS_ID

    @event("PolicySet")
    def set_policy(self, policy: QualityPolicy) -> None:
        self.policy = policy
