"""setProductionSettings: how production reports and posts.

Whether unqualified operators may report (then flagged), abnormal scrap to
5711 营业外支出, and the WIP and variance accounts."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.production_types import ProductionSettingsType
from domain.catalog.engineering import ProductionSettings

DEFAULTS = ProductionSettings()


@strawberry.input(description="Omitted fields take their defaults (not the current values).")
class SetProductionSettingsInput:
    allow_unqualified_reports: bool = DEFAULTS.allow_unqualified_reports
    abnormal_scrap_to_5711: bool = strawberry.field(default=DEFAULTS.abnormal_scrap_to_5711,
                                                    name="abnormalScrapTo5711")
    material_variance_account: str = DEFAULTS.material_variance_account
    labor_variance_account: str = DEFAULTS.labor_variance_account
    overhead_variance_account: str = DEFAULTS.overhead_variance_account
    wip_account: str = DEFAULTS.wip_account
    idempotency_key: str | None = None


@strawberry.type
class SetProductionSettingsSuccess:
    settings: ProductionSettingsType
    log_position: int
    replayed: bool


SetProductionSettingsResult = result_union("SetProductionSettingsResult",
                                           SetProductionSettingsSuccess)


async def set_production_settings(
    info: Info, input: SetProductionSettingsInput  # noqa: A002
) -> SetProductionSettingsResult:
    settings = ProductionSettings(
        input.allow_unqualified_reports, input.abnormal_scrap_to_5711,
        input.material_variance_account.strip(), input.labor_variance_account.strip(),
        input.overhead_variance_account.strip(), input.wip_account.strip())
    return await run_command(
        info,
        lambda app, ctx: app.set_production_settings(settings, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetProductionSettingsSuccess(
            settings=ProductionSettingsType(**vars(settings)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
