"""Parties (往来单位): customers and suppliers.

统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters
from 0-9 and A-Z without I, O, Z, S, V; the last is a check character.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.catalog.items import check_item_code
from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.transcodings import transcoded
from domain.unit_of_work import UnitOfWork

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check_uscc(code: str, field: str = "uscc") -> str:
    """Validate a 统一社会信用代码 including its check character."""
    code = (code or "").strip().upper()
    if len(code) != 18 or any(c not in USCC_CHARSET for c in code):
        raise ValidationError(
            f"{field}: 统一社会信用代码 must be 18 characters of 0-9 and A-Z "
            "(without I, O, Z, S, V)", field)
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(f"{field}: 统一社会信用代码 {code} has a wrong check character",
                              field)
    return code


@transcoded("PartyRole")
class PartyRole(Enum):
    CUSTOMER = "customer"
    SUPPLIER = "supplier"


@transcoded("PartySpec")
@dataclass(frozen=True)
class PartySpec:
    code: str
    name: str
    roles: tuple[PartyRole, ...]
    uscc: str
    address: str = ""
    phone: str = ""
    bank: str = ""
    bank_account: str = ""
    payment_terms_days: int = 30


def party_id(code: str) -> uuid.UUID:
    return derived_id("party", code)


def check_party_spec(spec: PartySpec) -> PartySpec:
    name = (spec.name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError("party name must be 1-100 characters", "name")
    if not spec.roles:
        raise ValidationError("a party is a customer, a supplier or both", "roles")
    if not 0 <= spec.payment_terms_days <= 365:
        raise ValidationError("payment terms must be 0-365 days", "paymentTermsDays")
    return replace(
        spec,
        code=check_item_code(spec.code),
        name=name,
        roles=tuple(sorted(set(spec.roles), key=lambda r: r.value)),
        uscc=check_uscc(spec.uscc),
        address=(spec.address or "").strip(),
        phone=(spec.phone or "").strip(),
        bank=(spec.bank or "").strip(),
        bank_account=(spec.bank_account or "").strip(),
    )


class Party(Aggregate):
    @event("Registered")
    def __init__(self, spec: PartySpec):
        self.spec = spec
        self.active = True

    @classmethod
    def create_id(cls, spec: PartySpec) -> uuid.UUID:
        return party_id(spec.code)

    @property
    def code(self) -> str:
        return self.spec.code

    def has_role(self, role: PartyRole) -> bool:
        return role in self.spec.roles

    def change(self, spec: PartySpec) -> None:
        if spec != self.spec:
            self._changed(spec)

    @event("Changed")
    def _changed(self, spec: PartySpec) -> None:
        self.spec = spec


def party(uow: UnitOfWork, code: str, role: PartyRole, field: str) -> Party:
    """A party in the given role (a supplier for a purchase order…), loaded
    with the command."""
    code = check_item_code(code, field)
    found = uow.get(party_id(code), NotFound(f"{role.value} {code} does not exist", "Party", code))
    if not found.has_role(role):
        raise BusinessRuleViolation("WRONG_PARTY_ROLE", f"party {code} is not a {role.value}")
    return found
