"""changeEquipment: an equipment's record again (name, work center, calendar, status…).

The whole record is given; RETIRED equipment takes no more states or counts."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import Equipment
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import EquipmentInput, equipment_of


@strawberry.input
class ChangeEquipmentInput(EquipmentInput):
    pass


@strawberry.type
class ChangeEquipmentSuccess:
    equipment: Equipment
    log_position: int
    replayed: bool


ChangeEquipmentResult = result_union("ChangeEquipmentResult", ChangeEquipmentSuccess)


async def change_equipment(info: Info, input: ChangeEquipmentInput  # noqa: A002
                             ) -> ChangeEquipmentResult:
    spec = input.to_domain()
    return await run_command(
        info,
        lambda app, ctx: app.change_equipment(spec, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ChangeEquipmentSuccess(
            equipment=equipment_of(conn, out.value.code), log_position=out.position,
            replayed=out.replayed),
    )
