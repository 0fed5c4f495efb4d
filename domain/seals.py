"""Period seals (封账凭据): a closed month committed to the audit chain.

When the audit chain (projections/audit_chain.py) passes the event that
closed a period, it records a ``PeriodSeal``: the period, the log position of
the close and the chain digest at that position. The seal is itself an event
in the log (so it is chained too), and its text can be kept outside the
database, where whoever rewrites the database cannot reach it.

The aggregate id is derived from the period and the position, so two
followers that both see one close cannot write two seals: the store refuses
the second. Closing again after a reopen is a new close at a new position,
hence a new seal.
"""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id


def seal_id(period: str, position: int) -> uuid.UUID:
    return derived_id("period-seal", f"{period}@{position}")


class PeriodSeal(Aggregate):
    @event("Sealed")
    def __init__(self, period: str, position: int, digest: str):
        self.period = period
        self.position = position
        self.digest = digest

    @classmethod
    def create_id(cls, period: str, position: int, **_: Any) -> uuid.UUID:
        return seal_id(period, position)
