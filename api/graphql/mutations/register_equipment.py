"""registerEquipment: a machine on the register (设备台账) at a work center.

Its planned-time calendar is its work center's shifts unless it has its own."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import Equipment
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import EquipmentInput, equipment_of


@strawberry.input
class RegisterEquipmentInput(EquipmentInput):
    pass


@strawberry.type
class RegisterEquipmentSuccess:
    equipment: Equipment
    log_position: int
    replayed: bool


RegisterEquipmentResult = result_union("RegisterEquipmentResult", RegisterEquipmentSuccess)


async def register_equipment(info: Info, input: RegisterEquipmentInput  # noqa: A002
                             ) -> RegisterEquipmentResult:
    spec = input.to_domain()
    return await run_command(
        info,
        lambda app, ctx: app.register_equipment(spec, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RegisterEquipmentSuccess(
            equipment=equipment_of(conn, out.value.code), log_position=out.position,
            replayed=out.replayed),
    )
