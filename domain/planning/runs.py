"""What planning records: forecasts (MPS lines), MRP runs and monthly plans.

A run stores its inputs' fingerprint and its outputs, so a planner can see
what was planned when; firming a planned order records the real order it
became. A monthly plan split into daily work orders records each daily
order's day, so the scheduler does not run it before that day.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound
from domain.planning.model import (
    DEFAULT_EXPEDITE_HORIZON_DAYS,
    Exception_,
    PeggedReceipt,
    PlannedOrder,
    Snapshot,
)
from domain.planning.monthly import DailyOrder


def forecast_id(item: str, day: date) -> uuid.UUID:
    return derived_id("forecast", f"{item}@{day.isoformat()}")


class Forecast(Aggregate):
    """One master-schedule / forecast line: item, quantity, date."""

    @event("Set")
    def __init__(self, item: str, day: date, qty: Decimal):
        self.item = item
        self.day = day
        self.qty = qty

    @classmethod
    def create_id(cls, item: str, day: date, **_: object) -> uuid.UUID:
        return forecast_id(item, day)

    @event("Changed")
    def change(self, qty: Decimal) -> None:
        self.qty = qty


def snapshot_fingerprint(snapshot: Snapshot) -> str:
    """SHA-256 of the snapshot's content, so two runs on equal inputs are seen as equal."""

    def default(o: Any) -> Any:
        if isinstance(o, (date,)):
            return o.isoformat()
        if isinstance(o, frozenset):
            return sorted(o)
        return str(o)

    body = {
        "today": snapshot.today,
        "items": {k: asdict(v) for k, v in sorted(snapshot.items.items())},
        "on_hand": dict(sorted(snapshot.on_hand.items())),
        "demands": [asdict(d) for d in snapshot.demands],
        "supplies": [asdict(s) for s in snapshot.supplies],
        "forecasts": [asdict(f) for f in snapshot.forecasts],
        "calendar": sorted(snapshot.calendar.holidays),
    }
    # Inputs added later enter only when they differ from what runs before them assumed,
    # so equal inputs keep their fingerprint.
    if snapshot.calendar.working_weekends:
        body["working_days"] = sorted(snapshot.calendar.working_weekends)
    if snapshot.expedite_horizon_days != DEFAULT_EXPEDITE_HORIZON_DAYS:
        body["expedite_horizon_days"] = snapshot.expedite_horizon_days
    if snapshot.suppliers:
        body["suppliers"] = {k: list(v) for k, v in sorted(snapshot.suppliers.items())}
    if snapshot.flagged_suppliers:
        body["flagged_suppliers"] = sorted(snapshot.flagged_suppliers)
    text = json.dumps(body, sort_keys=True, default=default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mrp_run_id(number: str) -> uuid.UUID:
    return derived_id("mrp-run", number)


class MrpRun(Aggregate):
    @event("Recorded")
    def __init__(
        self,
        number: str,
        today: date,
        fingerprint: str,
        planned: tuple[PlannedOrder, ...],
        exceptions: tuple[Exception_, ...],
        receipts: tuple[PeggedReceipt, ...] = (),
    ):
        self.number = number
        self.today = today
        self.fingerprint = fingerprint
        self.planned = {p.id: p for p in planned}
        self.exceptions = tuple(exceptions)
        self.receipts = tuple(receipts)
        self.firmed: dict[str, str] = {}

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return mrp_run_id(number)

    def planned_order(self, planned_id: str) -> PlannedOrder:
        try:
            return self.planned[planned_id]
        except KeyError:
            raise NotFound(
                f"run {self.number} has no planned order {planned_id}", "PlannedOrder", planned_id
            ) from None

    def firm(self, planned_id: str, order: str) -> None:
        self.planned_order(planned_id)
        if planned_id in self.firmed:
            raise BusinessRuleViolation(
                "ALREADY_FIRMED", f"{planned_id} was already firmed as {self.firmed[planned_id]}"
            )
        self._firmed(planned_id, order)

    @event("Firmed")
    def _firmed(self, planned_id: str, order: str) -> None:
        self.firmed[planned_id] = order


# -- event versions (docs/architecture.md, "Event naming and versioning rules") ----------
def _recorded_v1_v2(state: dict) -> None:
    """v2 carries the scheduled receipts with their pegs; a v1 run pegged only its
    planned orders, so it has none."""
    state["receipts"] = ()


def _recorded_v2_v3(state: dict) -> None:
    """v3's planned purchases name the approved supplier MRP proposes
    (``PlannedOrder.supplier``); a v2 run proposed none, and its planned orders
    decode with the field's default, "" (no supplier): nothing to change."""
    state["planned"] = tuple(state["planned"])


MrpRun.Recorded.class_version = 3
MrpRun.Recorded.upcast_v1_v2 = staticmethod(_recorded_v1_v2)
MrpRun.Recorded.upcast_v2_v3 = staticmethod(_recorded_v2_v3)


def monthly_plan_id(number: str) -> uuid.UUID:
    return derived_id("monthly-plan", number)


class MonthlyPlan(Aggregate):
    """A month's plan of an item split into daily work orders (MP-000001…)."""

    @event("Split")
    def __init__(self, number: str, item: str, month: str, qty: Decimal, work_center: str,
                 days: tuple[DailyOrder, ...], shortfall: Decimal):
        self.number = number
        self.item = item
        self.month = month
        self.qty = qty
        self.work_center = work_center
        self.days = tuple(days)
        self.shortfall = shortfall

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return monthly_plan_id(number)
