"""setEquipmentSettings: downtime reasons, the late-message window, maintenance rate and accounts.

Reasons marked breakdown open corrective orders and count as failures
(MTBF/MTTR, spare-part safety stock). Spare parts and labour post to the
expense account (default 4101 制造费用), labour's credit to the labour
account (default 2211 应付职工薪酬)."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import DowntimeReason
from api.graphql.mutations._common import result_union
from domain.equipment.machines import DowntimeReason as Reason
from domain.equipment.machines import EquipmentSettings
from projections import equipment_queries as eq


@strawberry.input
class DowntimeReasonInput:
    code: str
    name: str
    breakdown: bool = False


@strawberry.input
class SetEquipmentSettingsInput:
    reasons: list[DowntimeReasonInput]
    late_window_seconds: int = strawberry.field(
        default=300, description="A message older than the latest time seen by more is "
        "refused (dead-lettered from MQTT).")
    maintenance_rate: Decimal = strawberry.field(default=Decimal("50.00"),
                                                 description="CNY per labour hour.")
    expense_account: str = "4101"
    labor_account: str = "2211"
    idempotency_key: str | None = None


@strawberry.type
class SetEquipmentSettingsSuccess:
    reasons: list[DowntimeReason]
    log_position: int
    replayed: bool


SetEquipmentSettingsResult = result_union("SetEquipmentSettingsResult",
                                          SetEquipmentSettingsSuccess)


async def set_equipment_settings(info: Info, input: SetEquipmentSettingsInput  # noqa: A002
                                 ) -> SetEquipmentSettingsResult:
    settings = EquipmentSettings(
        tuple(Reason(r.code, r.name, r.breakdown) for r in input.reasons),
        input.late_window_seconds, input.maintenance_rate, input.expense_account,
        input.labor_account)
    return await run_command(
        info,
        lambda app, ctx: app.set_equipment_settings(settings, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetEquipmentSettingsSuccess(
            reasons=[DowntimeReason(code=r.code, name=r.name, breakdown=r.breakdown)
                     for r in eq.reasons(conn)],
            log_position=out.position, replayed=out.replayed),
    )
