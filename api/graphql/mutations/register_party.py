"""registerParty: a customer and/or supplier (往来单位) with a valid 统一社会信用代码."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Party, PartyRoleEnum
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import party_of
from domain.parties import PartySpec


@strawberry.input(description="A party's master data, given as a whole.")
class RegisterPartyInput:
    code: str
    name: str
    roles: list[PartyRoleEnum]
    uscc: str = strawberry.field(description="统一社会信用代码: 18 characters, check character "
                                 "last (GB 32100-2015).")
    address: str = ""
    phone: str = ""
    bank: str = ""
    bank_account: str = ""
    payment_terms_days: int = 30
    idempotency_key: str | None = None

    def to_domain(self) -> PartySpec:
        return PartySpec(self.code, self.name, tuple(self.roles), self.uscc, self.address,
                         self.phone, self.bank, self.bank_account, self.payment_terms_days)


@strawberry.type
class RegisterPartySuccess:
    party: Party
    log_position: int
    replayed: bool


RegisterPartyResult = result_union("RegisterPartyResult", RegisterPartySuccess)


async def register_party(
    info: Info, input: RegisterPartyInput  # noqa: A002
) -> RegisterPartyResult:
    spec = input.to_domain()
    return await run_command(
        info,
        lambda app, ctx: app.register_party(spec, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RegisterPartySuccess(
            party=party_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
