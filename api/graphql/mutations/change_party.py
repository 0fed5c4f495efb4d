"""changeParty: replace a party's master data (name, roles, 统一社会信用代码, bank, terms…)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Party
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import party_of
from api.graphql.mutations.register_party import RegisterPartyInput


@strawberry.input(description="The party's whole master data; fields left out take their "
                  "defaults.")
class ChangePartyInput(RegisterPartyInput):
    pass


@strawberry.type
class ChangePartySuccess:
    party: Party
    log_position: int
    replayed: bool


ChangePartyResult = result_union("ChangePartyResult", ChangePartySuccess)


async def change_party(info: Info, input: ChangePartyInput) -> ChangePartyResult:  # noqa: A002
    spec = input.to_domain()
    return await run_command(
        info,
        lambda app, ctx: app.change_party(spec, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ChangePartySuccess(
            party=party_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
