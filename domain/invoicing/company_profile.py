"""The company's own legal particulars (销售方信息): what a sales invoice names
as the seller. One aggregate per company; each change is an event, and every
invoice carries a snapshot, so reprinting an old invoice shows the seller as
it was on the day of issue.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import ValidationError
from domain.parties import check_uscc
from domain.transcodings import transcoded

PROFILE_ID = derived_id("company-profile", "company")


@transcoded("LegalParty")
@dataclass(frozen=True)
class LegalParty:
    """A seller's or buyer's particulars as printed on an invoice."""

    name: str
    uscc: str
    address: str = ""
    phone: str = ""
    bank: str = ""
    bank_account: str = ""


_LIMITS = (("name", 100), ("address", 200), ("phone", 40), ("bank", 100),
           ("bank_account", 40))


def check_legal_party(party: LegalParty) -> LegalParty:
    cleaned = {f: (getattr(party, f) or "").strip() for f, _ in _LIMITS}
    if not cleaned["name"]:
        raise ValidationError("the company name is required", "name")
    for f, limit in _LIMITS:
        if len(cleaned[f]) > limit:
            raise ValidationError(f"{f} is longer than {limit} characters", _camel(f))
    return replace(party, **cleaned, uscc=check_uscc(party.uscc))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


class CompanyProfile(Aggregate):
    @event("Set")
    def __init__(self, party: LegalParty):
        self.party = party

    @classmethod
    def create_id(cls, party: LegalParty) -> uuid.UUID:
        return PROFILE_ID

    def change(self, party: LegalParty) -> bool:
        if party == self.party:
            return False
        self._changed(party)
        return True

    @event("Changed")
    def _changed(self, party: LegalParty) -> None:
        self.party = party
