"""The company's planning settings (one aggregate, derived id): how far MRP
may pull a scheduled receipt in before it plans a new order instead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.planning.model import DEFAULT_EXPEDITE_HORIZON_DAYS
from domain.transcodings import transcoded

PLANNING_SETTINGS_ID = derived_id("planning-settings", "company")
MAX_EXPEDITE_HORIZON_DAYS = 366


@transcoded("PlanningPolicy")
@dataclass(frozen=True)
class PlanningPolicy:
    # MRP pulls a scheduled receipt in (expedite) only when it is due at most this many
    # calendar days after the day it is needed; one due later is left where it is and a
    # new order is planned instead (domain/planning/mrp.py, rule 3).
    expedite_horizon_days: int = DEFAULT_EXPEDITE_HORIZON_DAYS

    def checked(self) -> PlanningPolicy:
        days = self.expedite_horizon_days
        if isinstance(days, bool) or not isinstance(days, int) or not (
                0 <= days <= MAX_EXPEDITE_HORIZON_DAYS):
            raise ValidationError("expediteHorizonDays must be a whole number of days from 0 "
                                  f"to {MAX_EXPEDITE_HORIZON_DAYS}", "expediteHorizonDays")
        return self


class PlanningSettings(Aggregate):
    @event("Configured")
    def __init__(self, policy: PlanningPolicy):
        self.policy = policy

    @classmethod
    def create_id(cls, **_: object) -> uuid.UUID:
        return PLANNING_SETTINGS_ID

    def change(self, policy: PlanningPolicy) -> None:
        if policy == self.policy:
            raise BusinessRuleViolation("SETTINGS_UNCHANGED", "the settings are already these")
        self._changed(policy)

    @event("Changed")
    def _changed(self, policy: PlanningPolicy) -> None:
        self.policy = policy
