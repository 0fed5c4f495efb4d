"""recordEquipmentCount: units a machine counted since its previous count (as MQTT).

Total and good units; negative counts and good above total are refused. A
preventive plan made due by the units (or days) gets its maintenance order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import Equipment
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import equipment_of


@strawberry.input
class RecordEquipmentCountInput:
    equipment: str
    at: datetime = strawberry.field(description="ISO 8601 with its UTC offset.")
    total: Decimal
    good: Decimal
    message_id: str | None = None
    idempotency_key: str | None = None


@strawberry.type
class RecordEquipmentCountSuccess:
    equipment: Equipment
    maintenance_orders: list[str] = strawberry.field(
        description="Orders of the plans this count made due.")
    log_position: int
    replayed: bool


RecordEquipmentCountResult = result_union("RecordEquipmentCountResult",
                                          RecordEquipmentCountSuccess)


async def record_equipment_count(info: Info, input: RecordEquipmentCountInput  # noqa: A002
                                 ) -> RecordEquipmentCountResult:
    return await run_command(
        info,
        lambda app, ctx: app.record_equipment_count(
            input.equipment, input.at, input.total, input.good, input.message_id or "",
            ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RecordEquipmentCountSuccess(
            equipment=equipment_of(conn, out.value.equipment),
            maintenance_orders=[n for n in out.value.maintenance_orders.split(",") if n],
            log_position=out.position, replayed=out.replayed),
    )
