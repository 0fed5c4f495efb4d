"""Engineering data: bills of materials (BOM, 物料清单), routings (工艺路线),
work centers (工作中心) and operators.

BOMs and routings are versioned with effective dates; a work order freezes
the versions in force when it is created. A BOM that would make an item its
own component, at any depth and through any version, is refused when saved.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.transcodings import transcoded

_OP = re.compile(r"^OP\d{1,4}$")


@transcoded("IssueMethod")
class IssueMethod(Enum):
    MANUAL = "manual"  # 手工领料
    BACKFLUSH = "backflush"  # 倒冲: issued when its operation is reported


@transcoded("BomLine")
@dataclass(frozen=True)
class BomLine:
    line_no: int
    component: str
    qty_per: Decimal  # per one unit of the parent
    scrap_allowance: Decimal = Decimal("0")  # 0.02 = 2% extra
    issue_method: IssueMethod = IssueMethod.MANUAL
    operation: str = ""  # the operation that consumes it (OP10); "" = the first


@transcoded("BomVersion")
@dataclass(frozen=True)
class BomVersion:
    version: str
    effective_from: date
    effective_to: date | None
    lines: tuple[BomLine, ...]

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@transcoded("Operation")
@dataclass(frozen=True)
class Operation:
    op_no: str  # OP10, OP20 …
    work_center: str
    setup_hours: Decimal
    run_hours_per_unit: Decimal
    description: str = ""


@transcoded("RoutingVersion")
@dataclass(frozen=True)
class RoutingVersion:
    version: str
    effective_from: date
    effective_to: date | None
    operations: tuple[Operation, ...]

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


def bom_id(item: str) -> uuid.UUID:
    return derived_id("bom", item)


def routing_id(item: str) -> uuid.UUID:
    return derived_id("routing", item)


def check_op_no(op_no: str, field: str) -> str:
    op = (op_no or "").strip().upper()
    if not _OP.match(op):
        raise ValidationError(f"{field}: operation numbers look like OP10", field)
    return op


def _check_dates(effective_from: date, effective_to: date | None) -> None:
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError("effectiveTo is before effectiveFrom", "effectiveTo")


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


class _Versioned:
    """Versions with effective-date ranges that never overlap (BOMs, routings).

    Subclasses name themselves (``noun``) and hold ``item`` and ``versions``."""

    noun = ""
    item: str
    versions: dict

    def in_force(self, day: date):
        for version in sorted(self.versions.values(), key=lambda v: v.effective_from,
                              reverse=True):
            if version.in_force(day):
                return version
        raise BusinessRuleViolation(
            f"NO_{self.noun.upper()}_IN_FORCE",
            f"item {self.item} has no {self.noun} in force on {day}",
        )

    def check_new_version(self, version) -> None:
        _check_dates(version.effective_from, version.effective_to)
        if version.version in self.versions:
            raise BusinessRuleViolation(
                "VERSION_EXISTS",
                f"{self.noun} {self.item} version {version.version} exists; "
                "versions are never changed, save a new one",
            )
        self._check_no_overlap(version.version, version.effective_from, version.effective_to)

    def _check_no_overlap(self, name: str, start: date, end: date | None) -> None:
        for other in self.versions.values():
            if other.version != name and _overlaps(start, end, other.effective_from,
                                                   other.effective_to):
                raise BusinessRuleViolation(
                    "VERSIONS_OVERLAP",
                    f"{self.noun} {self.item} version {name} would overlap version "
                    f"{other.version}; end that one first (effectiveTo)",
                )


class BillOfMaterials(_Versioned, Aggregate):
    """All BOM versions of one parent item."""

    noun = "BOM"

    @event("Started")
    def __init__(self, item: str):
        self.item = item
        self.versions: dict[str, BomVersion] = {}

    @classmethod
    def create_id(cls, item: str) -> uuid.UUID:
        return bom_id(item)

    def components(self) -> set[str]:
        return {ln.component for v in self.versions.values() for ln in v.lines}

    def save_version(self, version: BomVersion) -> None:
        self.check_new_version(version)
        self._version_saved(version)

    @event("VersionSaved")
    def _version_saved(self, version: BomVersion) -> None:
        self.versions[version.version] = version

    def end_version(self, version: str, effective_to: date) -> None:
        if version not in self.versions:
            raise NotFound(f"BOM {self.item} has no version {version}", "BomVersion", version)
        start = self.versions[version].effective_from
        _check_dates(start, effective_to)
        self._check_no_overlap(version, start, effective_to)
        self._version_ended(version, effective_to)

    @event("VersionEnded")
    def _version_ended(self, version: str, effective_to: date) -> None:
        from dataclasses import replace

        self.versions[version] = replace(self.versions[version], effective_to=effective_to)


class Routing(_Versioned, Aggregate):
    """All routing versions of one item."""

    noun = "routing"

    @event("Started")
    def __init__(self, item: str):
        self.item = item
        self.versions: dict[str, RoutingVersion] = {}

    @classmethod
    def create_id(cls, item: str) -> uuid.UUID:
        return routing_id(item)

    def save_version(self, version: RoutingVersion) -> None:
        self.check_new_version(version)
        self._version_saved(version)

    @event("VersionSaved")
    def _version_saved(self, version: RoutingVersion) -> None:
        self.versions[version.version] = version


# -- work centers -------------------------------------------------------------------
@transcoded("Shift")
@dataclass(frozen=True)
class Shift:
    weekday: int  # 0 = Monday
    start: str  # "08:00"
    end: str  # "16:00"

    @property
    def hours(self) -> Decimal:
        s, e = time.fromisoformat(self.start), time.fromisoformat(self.end)
        minutes = (e.hour * 60 + e.minute) - (s.hour * 60 + s.minute)
        if minutes <= 0:
            minutes += 24 * 60  # a night shift runs past midnight
        return Decimal(minutes) / 60


DEFAULT_SHIFTS = tuple(Shift(d, "08:00", "16:00") for d in range(5))


@transcoded("WorkCenterSpec")
@dataclass(frozen=True)
class WorkCenterSpec:
    code: str
    name: str
    capacity: int  # machines or people working in parallel
    labor_rate: Decimal  # CNY per hour
    overhead_rate: Decimal  # CNY per hour
    shifts: tuple[Shift, ...] = DEFAULT_SHIFTS
    holidays: tuple[date, ...] = ()

    def hours_on(self, day: date) -> Decimal:
        """Available hours on a day: shift hours x capacity, none on holidays."""
        if day in self.holidays:
            return Decimal("0")
        return (
            sum((s.hours for s in self.shifts if s.weekday == day.weekday()), Decimal("0"))
            * self.capacity
        )


def work_center_id(code: str) -> uuid.UUID:
    return derived_id("work-center", code)


def check_work_center(spec: WorkCenterSpec) -> WorkCenterSpec:
    from dataclasses import replace

    from domain.catalog.items import check_item_code
    from domain.money import parse_price

    if not (spec.name or "").strip():
        raise ValidationError("work center name is required", "name")
    if not 1 <= spec.capacity <= 1000:
        raise ValidationError("capacity must be 1-1000", "capacity")
    for i, s in enumerate(spec.shifts):
        if not 0 <= s.weekday <= 6:
            raise ValidationError("weekday is 0 (Monday) to 6 (Sunday)", f"shifts.{i}.weekday")
        try:
            time.fromisoformat(s.start), time.fromisoformat(s.end)
        except ValueError:
            raise ValidationError("shift times look like 08:00", f"shifts.{i}") from None
    return replace(
        spec,
        code=check_item_code(spec.code),
        name=spec.name.strip(),
        labor_rate=parse_price(spec.labor_rate, "laborRate"),
        overhead_rate=parse_price(spec.overhead_rate, "overheadRate"),
        holidays=tuple(sorted(set(spec.holidays))),
    )


class WorkCenter(Aggregate):
    @event("Defined")
    def __init__(self, spec: WorkCenterSpec):
        self.spec = spec

    @classmethod
    def create_id(cls, spec: WorkCenterSpec) -> uuid.UUID:
        return work_center_id(spec.code)

    @event("Changed")
    def change(self, spec: WorkCenterSpec) -> None:
        self.spec = spec


# -- operators ----------------------------------------------------------------------
def operator_id(code: str) -> uuid.UUID:
    return derived_id("operator", code)


class Operator(Aggregate):
    """A person on the floor and the work centers they are qualified for."""

    @event("Registered")
    def __init__(self, code: str, name: str, work_centers: tuple[str, ...]):
        self.code = code
        self.name = name
        self.work_centers = tuple(work_centers)

    @classmethod
    def create_id(cls, code: str, **_: object) -> uuid.UUID:
        return operator_id(code)

    @event("QualificationsSet")
    def set_work_centers(self, work_centers: tuple[str, ...]) -> None:
        self.work_centers = tuple(work_centers)

    def qualified_for(self, work_center: str) -> bool:
        return work_center in self.work_centers


# -- company settings ---------------------------------------------------------------
SETTINGS_ID = derived_id("settings", "company")


@transcoded("ProductionSettings")
@dataclass(frozen=True)
class ProductionSettings:
    allow_unqualified_reports: bool = False  # then such reports are flagged
    abnormal_scrap_to_5711: bool = False  # 营业外支出 instead of staying in good units
    material_variance_account: str = "5401"
    labor_variance_account: str = "5401"
    overhead_variance_account: str = "5401"
    wip_account: str = "400101"


class CompanySettings(Aggregate):
    @event("Started")
    def __init__(self):
        self.production = ProductionSettings()

    @classmethod
    def create_id(cls) -> uuid.UUID:
        return SETTINGS_ID

    @event("ProductionSet")
    def set_production(self, production: ProductionSettings) -> None:
        self.production = production
