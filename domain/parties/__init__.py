"""Parties (往来单位): customers and suppliers, checked by their 统一社会信用代码.

``parties.py`` holds the ``Party`` aggregate and the ``party()`` lookup every
context uses to name a customer or supplier; ``handlers.py`` the commands."""

from domain.parties.parties import (
    Party,
    PartyRole,
    PartySpec,
    check_party_spec,
    check_uscc,
    party,
    party_id,
    uscc_check_char,
)

__all__ = ["Party", "PartyRole", "PartySpec", "check_party_spec", "check_uscc", "party",
           "party_id", "uscc_check_char"]
