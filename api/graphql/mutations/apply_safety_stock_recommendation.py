"""applySafetyStockRecommendation: a spare part's safety stock from its equipment's failures.

Expected failures over the part's lead time x parts per repair, plus a margin
for the service level (docs/equipment.md); recorded on the item's planning
data, so the next MRP run plans from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class ApplySafetyStockRecommendationInput:
    item: str
    day: date | None = strawberry.field(default=None,
                                        description="The window's last day; default today.")
    window_days: int = strawberry.field(default=90, description="Failures over these days.")
    service_level: Decimal = strawberry.field(
        default=Decimal("0.95"), description="0.8, 0.9, 0.95, 0.975, 0.99 or 0.995.")
    idempotency_key: str | None = None


@strawberry.type
class ApplySafetyStockRecommendationSuccess:
    item: str
    previous_safety_stock: Decimal
    safety_stock: Decimal
    expected_parts: Decimal = strawberry.field(
        description="Parts needed over the lead time, on average.")
    failures: int
    equipment: list[str]
    log_position: int
    replayed: bool


ApplySafetyStockRecommendationResult = result_union("ApplySafetyStockRecommendationResult",
                                                    ApplySafetyStockRecommendationSuccess)


async def apply_safety_stock_recommendation(
    info: Info, input: ApplySafetyStockRecommendationInput  # noqa: A002
) -> ApplySafetyStockRecommendationResult:
    return await run_command(
        info,
        lambda app, ctx: app.apply_safety_stock_recommendation(
            input.item, input.day, input.window_days, input.service_level, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ApplySafetyStockRecommendationSuccess(
            item=out.value.item, previous_safety_stock=Decimal(out.value.previous),
            safety_stock=Decimal(out.value.safety_stock),
            expected_parts=Decimal(out.value.expected), failures=out.value.failures,
            equipment=[e for e in out.value.equipment.split(",") if e],
            log_position=out.position, replayed=out.replayed),
    )
