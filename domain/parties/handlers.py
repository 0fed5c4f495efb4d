"""The parties' command handlers: registering and changing a customer or
supplier. Each is ``handle(uow, ...) -> result`` (see
``domain/unit_of_work.py``); ``HANDLERS`` goes into the command table."""

from __future__ import annotations

from domain.commands import CodeResult
from domain.errors import BusinessRuleViolation, NotFound
from domain.parties.parties import Party, PartySpec, check_party_spec, party_id
from domain.unit_of_work import UnitOfWork


def register_party(uow: UnitOfWork, spec: PartySpec) -> CodeResult:
    checked = check_party_spec(spec)
    if uow.exists(party_id(checked.code)):
        raise BusinessRuleViolation("PARTY_EXISTS", f"party {checked.code} already exists")
    uow.add(Party(checked))
    return CodeResult(checked.code)


def change_party(uow: UnitOfWork, spec: PartySpec) -> CodeResult:
    checked = check_party_spec(spec)
    party = uow.get(party_id(checked.code),
                    NotFound(f"party {checked.code} does not exist", "Party", checked.code))
    party.change(checked)
    return CodeResult(checked.code)


HANDLERS = (register_party, change_party)
