"""applyYieldRecommendation: an item's scrap factor from its observed yield (MRP plans the loss).

The observed yield is the product, over the item's stages and operations,
of 1 - units lost (scrapped or returned) / units inspected over each one's
last `lots` lots (default: the company's setting). MRP grosses planned
orders up by 1 / (1 - scrap factor) from its next run.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class ApplyYieldRecommendationInput:
    item: str
    lots: int | None = None
    idempotency_key: str | None = None


@strawberry.type
class ApplyYieldRecommendationSuccess:
    item: str
    scrap_factor: Decimal
    previous: Decimal
    observed_yield: Decimal
    lots: int
    log_position: int
    replayed: bool


ApplyYieldRecommendationResult = result_union("ApplyYieldRecommendationResult",
                                              ApplyYieldRecommendationSuccess)


async def apply_yield_recommendation(
    info: Info, input: ApplyYieldRecommendationInput  # noqa: A002
) -> ApplyYieldRecommendationResult:
    return await run_command(
        info,
        lambda app, ctx: app.apply_yield_recommendation(input.item, input.lots or 0, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ApplyYieldRecommendationSuccess(
            item=out.value.item, scrap_factor=Decimal(out.value.scrap_factor),
            previous=Decimal(out.value.previous),
            observed_yield=Decimal(out.value.observed_yield), lots=out.value.lots,
            log_position=out.position, replayed=out.replayed),
    )
