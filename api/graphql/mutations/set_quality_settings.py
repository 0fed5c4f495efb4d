"""setQualitySettings: scrap account, alert thresholds, yield feedback, inspector's rate.

Omitted fields keep their defaults: scrap to 5711 (abnormal loss; 4101 for
a normal loss), a supplier flagged below 0.90 of its last 10 incoming lots
accepted (from 3 lots on), a lot alert below a 0.95 first-pass yield, the
recommended scrap factor over the last 5 lots (applied automatically when
autoApplyYield), inspection hours at 0.00 CNY (appraisal cost).
"""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from domain.quality.settings import QualityPolicy


@strawberry.input
class SetQualitySettingsInput:
    scrap_account: str | None = strawberry.field(default=None, description="5711 or 4101.")
    supplier_threshold: Decimal | None = None
    supplier_window: int | None = None
    supplier_min_lots: int | None = None
    low_yield: Decimal | None = None
    yield_lots: int | None = None
    auto_apply_yield: bool | None = None
    inspector_rate: Decimal | None = strawberry.field(default=None,
                                                      description="CNY per inspection hour.")
    idempotency_key: str | None = None

    def to_domain(self) -> QualityPolicy:
        base = QualityPolicy()
        given = {name: getattr(self, name) for name in (
            "scrap_account", "supplier_threshold", "supplier_window", "supplier_min_lots",
            "low_yield", "yield_lots", "auto_apply_yield", "inspector_rate")}
        return QualityPolicy(**{k: (v if v is not None else getattr(base, k))
                                for k, v in given.items()})


@strawberry.type
class QualitySettings:
    scrap_account: str
    supplier_threshold: Decimal
    supplier_window: int
    supplier_min_lots: int
    low_yield: Decimal
    yield_lots: int
    auto_apply_yield: bool
    inspector_rate: Decimal


@strawberry.type
class SetQualitySettingsSuccess:
    settings: QualitySettings
    log_position: int
    replayed: bool


SetQualitySettingsResult = result_union("SetQualitySettingsResult", SetQualitySettingsSuccess)


async def set_quality_settings(
    info: Info, input: SetQualitySettingsInput  # noqa: A002
) -> SetQualitySettingsResult:
    policy = input.to_domain()

    def build(conn, out):
        r = out.value
        return SetQualitySettingsSuccess(
            settings=QualitySettings(
                scrap_account=r.scrap_account, supplier_threshold=Decimal(r.supplier_threshold),
                supplier_window=r.supplier_window, supplier_min_lots=r.supplier_min_lots,
                low_yield=Decimal(r.low_yield), yield_lots=r.yield_lots,
                auto_apply_yield=r.auto_apply_yield, inspector_rate=Decimal(r.inspector_rate)),
            log_position=out.position, replayed=out.replayed)

    return await run_command(info, lambda app, ctx: app.set_quality_settings(policy, ctx=ctx),
                             input.idempotency_key, build)
