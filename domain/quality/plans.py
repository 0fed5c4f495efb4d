"""Inspection plans (检验方案): what to check of an item, and how many.

One plan per item and stage: incoming (来料检验 IQC, on receipt), final
(成品检验 FQC, on completion) or in-process (过程检验 IPQC, on the report of
one routing operation). A plan holds versions with effective dates that
never overlap, like BOMs; an inspection lot freezes the version in force on
its day. A version lists characteristics, each measured (nominal, lower and
upper specification limits, unit, decimals) or attribute (pass/fail, with
the defect codes it may record), and the sampling rule (GB/T 2828.1, a fixed
sample or 100%). An in-process version may block the next operation until
its lot passes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.money import to_decimal
from domain.quality.sampling import SamplingRule, check_rule
from domain.transcodings import transcoded

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,19}$")
MAX_CHARACTERISTICS = 50


@transcoded("InspectionStage")
class Stage(Enum):
    INCOMING = "incoming"  # IQC: receipts against purchase orders
    IN_PROCESS = "in_process"  # IPQC: reports of one routing operation
    FINAL = "final"  # FQC: completions of work orders


@transcoded("CharacteristicKind")
class CharacteristicKind(Enum):
    MEASURED = "measured"  # a value per sample unit, within [lower, upper]
    ATTRIBUTE = "attribute"  # pass/fail: defect counts by code


@transcoded("Characteristic")
@dataclass(frozen=True)
class Characteristic:
    code: str
    name: str
    kind: CharacteristicKind
    nominal: Decimal | None = None
    lower: Decimal | None = None  # LSL
    upper: Decimal | None = None  # USL
    unit: str = ""
    decimals: int = 2
    defect_codes: tuple[str, ...] = ()

    def conforms(self, value: Decimal) -> bool:
        """Within the specification limits (a missing limit does not bind)."""
        return ((self.lower is None or value >= self.lower)
                and (self.upper is None or value <= self.upper))


@transcoded("PlanVersion")
@dataclass(frozen=True)
class PlanVersion:
    version: str
    effective_from: date
    effective_to: date | None
    characteristics: tuple[Characteristic, ...]
    sampling: SamplingRule
    blocks_next: bool = False  # in-process: the next operation waits for the lot to pass
    description: str = ""

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None
                                               or day <= self.effective_to)

    def characteristic(self, code: str, field: str) -> Characteristic:
        for ch in self.characteristics:
            if ch.code == code:
                return ch
        raise ValidationError(f"{field}: the plan has no characteristic {code}", field)


def plan_key(item: str, stage: Stage, operation: str = "") -> str:
    return f"{item}:{stage.value}:{operation}"


def plan_id(item: str, stage: Stage, operation: str = "") -> uuid.UUID:
    return derived_id("inspection-plan", plan_key(item, stage, operation))


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


class InspectionPlan(Aggregate):
    """Every version of one item's plan for one stage (and operation)."""

    @event("Started")
    def __init__(self, item: str, stage: Stage, operation: str = ""):
        self.item = item
        self.stage = stage
        self.operation = operation
        self.versions: dict[str, PlanVersion] = {}

    @classmethod
    def create_id(cls, item: str, stage: Stage, operation: str = "") -> uuid.UUID:
        return plan_id(item, stage, operation)

    @property
    def name(self) -> str:
        where = f" {self.operation}" if self.operation else ""
        return f"{self.stage.value} plan of {self.item}{where}"

    def in_force(self, day: date) -> PlanVersion | None:
        for version in sorted(self.versions.values(), key=lambda v: v.effective_from,
                              reverse=True):
            if version.in_force(day):
                return version
        return None

    def save_version(self, version: PlanVersion) -> None:
        if version.version in self.versions:
            raise BusinessRuleViolation(
                "VERSION_EXISTS",
                f"{self.name} version {version.version} exists; versions are never "
                "changed, save a new one")
        self._check_no_overlap(version.version, version.effective_from, version.effective_to)
        self._version_saved(self.item, self.stage, self.operation, version)

    @event("VersionSaved")
    def _version_saved(self, item: str, stage: Stage, operation: str,
                       version: PlanVersion) -> None:
        self.versions[version.version] = version

    def end_version(self, version: str, effective_to: date) -> None:
        if version not in self.versions:
            raise NotFound(f"{self.name} has no version {version}", "PlanVersion", version)
        start = self.versions[version].effective_from
        if effective_to < start:
            raise ValidationError("effectiveTo is before effectiveFrom", "effectiveTo")
        self._check_no_overlap(version, start, effective_to)
        self._version_ended(self.item, self.stage, self.operation, version, effective_to)

    @event("VersionEnded")
    def _version_ended(self, item: str, stage: Stage, operation: str, version: str,
                       effective_to: date) -> None:
        self.versions[version] = replace(self.versions[version], effective_to=effective_to)

    def _check_no_overlap(self, name: str, start: date, end: date | None) -> None:
        for other in self.versions.values():
            if other.version != name and _overlaps(start, end, other.effective_from,
                                                   other.effective_to):
                raise BusinessRuleViolation(
                    "VERSIONS_OVERLAP",
                    f"{self.name} version {name} would overlap version {other.version}; "
                    "end that one first (effectiveTo)")


# -- checking a version a client sends (pure) ----------------------------------------------
def check_code(code: str, field: str) -> str:
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        raise ValidationError(f"{field}: codes are 1-20 letters, digits, '-', '_' or '.'",
                              field)
    return code


def _limit(value: object, field: str, decimals: int) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = to_decimal(value, field)
    if number != number.quantize(Decimal(1).scaleb(-decimals)):
        raise ValidationError(f"{field}: at most {decimals} decimal places", field)
    return number


def check_characteristic(ch: Characteristic, path: str) -> Characteristic:
    code = check_code(ch.code, f"{path}.code")
    name = (ch.name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError(f"{path}.name: 1-100 characters", f"{path}.name")
    if not 0 <= ch.decimals <= 6:
        raise ValidationError(f"{path}.decimals: 0-6", f"{path}.decimals")
    unit = (ch.unit or "").strip()
    if len(unit) > 10:
        raise ValidationError(f"{path}.unit: at most 10 characters", f"{path}.unit")
    if ch.kind is CharacteristicKind.ATTRIBUTE:
        if ch.nominal is not None or ch.lower is not None or ch.upper is not None:
            raise ValidationError(f"{path}: an attribute characteristic has no limits", path)
        codes = tuple(check_code(c, f"{path}.defectCodes.{i}")
                      for i, c in enumerate(ch.defect_codes))
        if len(set(codes)) != len(codes) or len(codes) > 50:
            raise ValidationError(f"{path}.defectCodes: up to 50 different codes",
                                  f"{path}.defectCodes")
        return Characteristic(code, name, ch.kind, unit=unit, decimals=0, defect_codes=codes)
    nominal = _limit(ch.nominal, f"{path}.nominal", ch.decimals)
    lower = _limit(ch.lower, f"{path}.lower", ch.decimals)
    upper = _limit(ch.upper, f"{path}.upper", ch.decimals)
    if lower is None and upper is None:
        raise ValidationError(f"{path}: a measured characteristic needs a lower or an upper "
                              "specification limit", f"{path}.lower")
    if lower is not None and upper is not None and lower >= upper:
        raise ValidationError(f"{path}.upper must be above lower", f"{path}.upper")
    if nominal is not None and ((lower is not None and nominal < lower)
                                or (upper is not None and nominal > upper)):
        raise ValidationError(f"{path}.nominal lies outside the limits", f"{path}.nominal")
    if ch.defect_codes:
        raise ValidationError(f"{path}: defect codes belong to attribute characteristics",
                              f"{path}.defectCodes")
    return Characteristic(code, name, ch.kind, nominal, lower, upper, unit, ch.decimals)


def check_version(version: PlanVersion, stage: Stage) -> PlanVersion:
    """Validate and normalise a plan version (pure)."""
    name = check_code(version.version, "version")
    if version.effective_to is not None and version.effective_to < version.effective_from:
        raise ValidationError("effectiveTo is before effectiveFrom", "effectiveTo")
    if not version.characteristics:
        raise ValidationError("a plan needs at least one characteristic", "characteristics")
    if len(version.characteristics) > MAX_CHARACTERISTICS:
        raise ValidationError(f"a plan has at most {MAX_CHARACTERISTICS} characteristics",
                              "characteristics")
    chars = tuple(check_characteristic(ch, f"characteristics.{i}")
                  for i, ch in enumerate(version.characteristics))
    if len({ch.code for ch in chars}) != len(chars):
        raise ValidationError("characteristic codes must be unique", "characteristics")
    if version.blocks_next and stage is not Stage.IN_PROCESS:
        raise ValidationError("only an in-process plan blocks the next operation",
                              "blocksNext")
    description = (version.description or "").strip()
    if len(description) > 200:
        raise ValidationError("description: at most 200 characters", "description")
    return PlanVersion(name, version.effective_from, version.effective_to, chars,
                       check_rule(version.sampling), version.blocks_next, description)
