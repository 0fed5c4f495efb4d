"""recordEquipmentState: a machine's state from a moment on (the same fact as MQTT's).

RUNNING, IDLE, DOWN (with a reason from the company's list), SETUP or
PLANNED_MAINTENANCE; a time older than the latest seen by more than the
company's late window is refused. A breakdown opens a corrective maintenance
order and raises an alert."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import Equipment, MachineStateEnum
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import equipment_of


@strawberry.input
class RecordEquipmentStateInput:
    equipment: str
    at: datetime = strawberry.field(description="ISO 8601 with its UTC offset.")
    state: MachineStateEnum
    reason: str | None = strawberry.field(default=None, description="Only for DOWN.")
    message_id: str | None = strawberry.field(
        default=None, description="The source's message id, kept with the fact.")
    idempotency_key: str | None = None


@strawberry.type
class RecordEquipmentStateSuccess:
    equipment: Equipment
    failure: bool = strawberry.field(description="A breakdown began.")
    maintenance_order: str = strawberry.field(description="The corrective order it opened.")
    log_position: int
    replayed: bool


RecordEquipmentStateResult = result_union("RecordEquipmentStateResult",
                                          RecordEquipmentStateSuccess)


async def record_equipment_state(info: Info, input: RecordEquipmentStateInput  # noqa: A002
                                 ) -> RecordEquipmentStateResult:
    return await run_command(
        info,
        lambda app, ctx: app.record_equipment_state(
            input.equipment, input.at, input.state, input.reason or "", input.message_id or "",
            ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RecordEquipmentStateSuccess(
            equipment=equipment_of(conn, out.value.equipment), failure=out.value.failure,
            maintenance_order=out.value.maintenance_order, log_position=out.position,
            replayed=out.replayed),
    )
