"""Equipment (设备): the register, machine states and counts, preventive
plans, and the equipment context's company settings.

An ``Equipment`` aggregate decides each state and count it is told about
(GraphQL or MQTT: the same facts). It keeps the latest time it has seen, so
a message older than the company's late window is refused, the current
state (a breakdown that begins opens a corrective order), the units counted
so far (plans every N units) and when each failure began (the failure rate
that spare-part safety stock is planned from).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.equipment.oee import MachineState
from domain.errors import BusinessRuleViolation, ValidationError
from domain.transcodings import transcoded

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,39}$")
MAX_IDEAL_CYCLE = Decimal("1000")  # hours per unit
SETTINGS_ID = derived_id("equipment-settings", "company")
REGISTER_ID = derived_id("equipment-register", "company")


def check_code(code: str, field: str = "code") -> str:
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        raise ValidationError(f"{field}: code {code!r} must be 1-40 letters, digits, "
                              "'-', '_' or '.'", field)
    return code


def wall_clock(at: datetime) -> str:
    """``at`` (already in the company's time zone) as its wall-clock time, ISO
    without offset: what the shift calendar is matched against (events store
    ``at`` itself in UTC)."""
    return at.replace(tzinfo=None).isoformat()


def equipment_id(code: str) -> uuid.UUID:
    return derived_id("equipment", code)


@transcoded("EquipmentStatus")
class EquipmentStatus(Enum):
    IN_SERVICE = "in_service"
    RETIRED = "retired"  # takes no more states or counts


@transcoded("EquipmentShift")
@dataclass(frozen=True)
class EquipmentShift:
    weekday: int  # 0 = Monday
    start: str  # "08:00"
    end: str  # "16:00"; at or before start: past midnight


@transcoded("SparePart")
@dataclass(frozen=True)
class SparePart:
    """An item the equipment consumes per repair (its failures drive the
    item's safety stock)."""

    item: str
    per_repair: Decimal


@transcoded("EquipmentSpec")
@dataclass(frozen=True)
class EquipmentSpec:
    code: str
    name: str
    work_center: str
    model: str = ""
    serial: str = ""
    installed_on: date | None = None
    ideal_cycle_hours: Decimal = Decimal("0")  # per unit
    shifts: tuple[EquipmentShift, ...] = ()  # () = the work center's shifts
    status: EquipmentStatus = EquipmentStatus.IN_SERVICE
    spare_parts: tuple[SparePart, ...] = ()


@transcoded("MaintenancePlan")
@dataclass(frozen=True)
class MaintenancePlan:
    """Preventive maintenance every N calendar days and/or every N counted units."""

    code: str
    description: str
    every_days: int = 0
    every_units: Decimal = Decimal("0")
    last_done_on: date | None = None  # set to the plan's start when first saved
    last_done_units: Decimal = Decimal("0")  # the counter when last done
    open_order: str = ""

    def due(self, day: date, counted: Decimal) -> str:
        """Why the plan is due on ``day`` with ``counted`` units ("" if not)."""
        if self.open_order:
            return ""
        if self.every_days and self.last_done_on is not None and day >= (
                self.last_done_on + timedelta(days=self.every_days)):
            return f"every {self.every_days} days"
        if self.every_units and counted - self.last_done_units >= self.every_units:
            return f"every {self.every_units.normalize():f} units"
        return ""


@transcoded("DowntimeReason")
@dataclass(frozen=True)
class DowntimeReason:
    code: str  # 换模, 故障, 待料 …
    name: str
    breakdown: bool = False  # opens a corrective order; counts as a failure


DEFAULT_REASONS = (
    DowntimeReason("换模", "die change"),
    DowntimeReason("故障", "breakdown", breakdown=True),
    DowntimeReason("待料", "waiting for material"),
)


@transcoded("EquipmentSettings")
@dataclass(frozen=True)
class EquipmentSettings:
    reasons: tuple[DowntimeReason, ...] = DEFAULT_REASONS
    late_window_seconds: int = 300  # older than the latest time seen by more: refused
    maintenance_rate: Decimal = Decimal("50.00")  # CNY per labour hour
    expense_account: str = "4101"  # 制造费用: spare parts and labour
    labor_account: str = "2211"  # 应付职工薪酬

    def reason(self, code: str, field: str = "reason") -> DowntimeReason:
        for r in self.reasons:
            if r.code == code:
                return r
        known = ", ".join(r.code for r in self.reasons)
        raise ValidationError(f"{field}: {code!r} is not a downtime reason of the company "
                              f"({known})", field)


class EquipmentSettingsRecord(Aggregate):
    """The company's equipment settings (defaults until it saves some)."""

    @event("Started")
    def __init__(self, settings: EquipmentSettings):
        self.settings = settings

    @classmethod
    def create_id(cls, settings: EquipmentSettings) -> uuid.UUID:
        return SETTINGS_ID

    @event("Changed")
    def change(self, settings: EquipmentSettings) -> None:
        self.settings = settings


class EquipmentRegister(Aggregate):
    """Every equipment code, so commands over all equipment find them."""

    @event("Started")
    def __init__(self):
        self.codes: tuple[str, ...] = ()

    @classmethod
    def create_id(cls) -> uuid.UUID:
        return REGISTER_ID

    @event("Added")
    def add(self, code: str) -> None:
        self.codes = (*self.codes, code)


class Equipment(Aggregate):
    @event("Registered")
    def __init__(self, spec: EquipmentSpec):
        self.spec = spec
        self.state: MachineState | None = None
        self.reason = ""
        self.state_at: datetime | None = None
        self.latest: datetime | None = None  # the latest time of any message
        self.counted = Decimal(0)
        self.good = Decimal(0)
        self.failures: tuple[datetime, ...] = ()
        self.plans: dict[str, MaintenancePlan] = {}
        self.open_corrective = ""
        self.reason_is_breakdown = False

    @classmethod
    def create_id(cls, spec: EquipmentSpec) -> uuid.UUID:
        return equipment_id(spec.code)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def broken(self) -> bool:
        return self.state is MachineState.DOWN and self.reason_is_breakdown

    def change(self, spec: EquipmentSpec) -> None:
        if spec != self.spec:
            self._changed(spec)

    @event("Changed")
    def _changed(self, spec: EquipmentSpec) -> None:
        self.spec = spec

    # -- states and counts -------------------------------------------------------------
    def check_in_order(self, at: datetime, window: int, field: str = "at") -> None:
        if self.spec.status is EquipmentStatus.RETIRED:
            raise BusinessRuleViolation("EQUIPMENT_RETIRED",
                                        f"equipment {self.code} is retired")
        if self.latest is not None and at < self.latest - timedelta(seconds=window):
            raise BusinessRuleViolation(
                "OUT_OF_ORDER",
                f"{field} {at.isoformat()} is more than {window} s before the latest time "
                f"seen for {self.code} ({self.latest.astimezone(at.tzinfo).isoformat()})")

    def record_state(self, at: datetime, state: MachineState, reason: DowntimeReason | None,
                     message_id: str, window: int) -> bool:
        """Record a state; True when it begins a failure (a breakdown that is
        the newest state and follows one that was not)."""
        self.check_in_order(at, window)
        newest = self.state_at is None or at >= self.state_at
        breakdown = bool(reason and reason.breakdown and state is MachineState.DOWN)
        failure = newest and breakdown and not self.broken
        self._state_recorded(self.code, at, wall_clock(at), state,
                             reason.code if reason else "", breakdown, newest, failure,
                             message_id)
        return failure

    @event("StateRecorded")
    def _state_recorded(self, equipment: str, at: datetime, local: str, state: MachineState,
                        reason: str, breakdown: bool, newest: bool, failure: bool,
                        message_id: str) -> None:
        if newest:
            self.state, self.reason, self.state_at = state, reason, at
            self.reason_is_breakdown = breakdown
        if failure:
            self.failures = (*self.failures, at)
        if self.latest is None or at > self.latest:
            self.latest = at

    def record_count(self, at: datetime, total: Decimal, good: Decimal, message_id: str,
                     window: int) -> None:
        self.check_in_order(at, window)
        self._count_recorded(self.code, at, wall_clock(at), total, good, self.counted + total,
                             message_id)

    @event("CountRecorded")
    def _count_recorded(self, equipment: str, at: datetime, local: str, total: Decimal,
                        good: Decimal, counted: Decimal, message_id: str) -> None:
        self.counted = counted
        self.good += good
        if self.latest is None or at > self.latest:
            self.latest = at

    # -- maintenance plans ---------------------------------------------------------------
    def set_plan(self, plan: MaintenancePlan, day: date) -> MaintenancePlan:
        """Add or change a plan; a new one counts from ``day`` and from the
        units counted so far, a changed one keeps when it was last done."""
        known = self.plans.get(plan.code)
        if known is not None:
            plan = replace(plan, last_done_on=known.last_done_on,
                           last_done_units=known.last_done_units, open_order=known.open_order)
        else:
            plan = replace(plan, last_done_on=day, last_done_units=self.counted, open_order="")
        self._plan_set(self.code, plan)
        return plan

    @event("PlanSet")
    def _plan_set(self, equipment: str, plan: MaintenancePlan) -> None:
        self.plans[plan.code] = plan

    def due_plans(self, day: date) -> list[tuple[MaintenancePlan, str]]:
        out = []
        for plan in sorted(self.plans.values(), key=lambda p: p.code):
            why = plan.due(day, self.counted)
            if why:
                out.append((plan, why))
        return out

    @event("OrderOpened")
    def order_opened(self, equipment: str, order: str, plan: str) -> None:
        """A maintenance order was opened for a plan ("" : a corrective one)."""
        if plan:
            self.plans[plan] = replace(self.plans[plan], open_order=order)
        else:
            self.open_corrective = order

    @event("OrderClosed")
    def order_closed(self, equipment: str, order: str, plan: str, day: date,
                     counted: Decimal) -> None:
        if plan and plan in self.plans:
            self.plans[plan] = replace(self.plans[plan], open_order="", last_done_on=day,
                                       last_done_units=counted)
        if self.open_corrective == order:
            self.open_corrective = ""
