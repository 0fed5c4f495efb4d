"""What an inspection found and what it decides (pure).

Results are measured values per sample unit (one per unit of the sample, in
sample order, for every measured characteristic) and defect counts per
attribute characteristic and defect code. The lot is judged by
nonconformities (GB/T 2828.1 allows counting nonconformities per hundred
units with the same tables): every measured value outside its limits and
every counted defect is one. At most Ac accepts the lot, Re or more rejects
it.

A sampled lot that is accepted keeps the nonconforming units found in its
sample apart (rejected); a rejected one is rejected whole. A lot inspected
100% is sorted: its conforming units are accepted and its nonconforming ones
rejected, whatever the verdict. Defective units are the sample units with a
measured value out of limits plus one per counted defect (a unit with two
defects may be counted twice: the count errs on the side of rejecting).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.errors import ValidationError
from domain.money import to_decimal
from domain.quality.plans import Characteristic, CharacteristicKind
from domain.quality.sampling import SamplingPlan
from domain.transcodings import transcoded

MAX_VALUE = Decimal("1e12")


@transcoded("Measurement")
@dataclass(frozen=True)
class Measurement:
    """The values of one measured characteristic, one per sample unit."""

    characteristic: str
    values: tuple[Decimal, ...]


@transcoded("DefectCount")
@dataclass(frozen=True)
class DefectCount:
    characteristic: str
    defect_code: str
    count: int


@transcoded("Verdict")
class Verdict(Enum):
    ACCEPT = "accept"
    REJECT = "reject"


@transcoded("Decision")
@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    accepted: Decimal
    rejected: Decimal


@dataclass(frozen=True)
class Findings:
    nonconformities: int
    defective: int  # units of the sample found defective
    decision: Decision


def check_results(chars: Sequence[Characteristic], plan: SamplingPlan,
                  measurements: Sequence[Measurement],
                  defects: Sequence[DefectCount]) -> tuple[tuple[Measurement, ...],
                                                            tuple[DefectCount, ...]]:
    """The results of one lot, checked against its characteristics and sample
    size: every measured characteristic has one value per sample unit; defect
    counts name an attribute characteristic and one of its defect codes."""
    by_code = {ch.code: ch for ch in chars}
    seen: set[str] = set()
    checked_m = []
    for i, m in enumerate(measurements):
        path = f"measurements.{i}"
        ch = _characteristic(by_code, m.characteristic, f"{path}.characteristic")
        if ch.kind is not CharacteristicKind.MEASURED:
            raise ValidationError(f"{path}: {ch.code} is an attribute; count its defects",
                                  f"{path}.characteristic")
        if ch.code in seen:
            raise ValidationError(f"{path}: {ch.code} is measured twice", path)
        seen.add(ch.code)
        if len(m.values) != plan.sample_size:
            raise ValidationError(
                f"{path}.values: {ch.code} has {len(m.values)} values for a sample of "
                f"{plan.sample_size} units; give one value per sample unit", f"{path}.values")
        checked_m.append(Measurement(ch.code, tuple(
            _value(v, ch, f"{path}.values.{j}") for j, v in enumerate(m.values))))
    missing = [ch.code for ch in chars
               if ch.kind is CharacteristicKind.MEASURED and ch.code not in seen]
    if missing:
        raise ValidationError(f"measurements: no values for {', '.join(missing)}",
                              "measurements")
    return tuple(checked_m), _check_defects(by_code, plan, defects)


def _check_defects(by_code: dict[str, Characteristic], plan: SamplingPlan,
                   defects: Sequence[DefectCount]) -> tuple[DefectCount, ...]:
    counted: dict[tuple[str, str], int] = {}
    for i, d in enumerate(defects):
        path = f"defects.{i}"
        ch = _characteristic(by_code, d.characteristic, f"{path}.characteristic")
        if ch.kind is not CharacteristicKind.ATTRIBUTE:
            raise ValidationError(f"{path}: {ch.code} is measured; give its values",
                                  f"{path}.characteristic")
        code = (d.defect_code or "").strip().upper()
        if ch.defect_codes and code not in ch.defect_codes:
            raise ValidationError(f"{path}.defectCode: {ch.code} records "
                                  f"{', '.join(ch.defect_codes)}", f"{path}.defectCode")
        if not code:
            raise ValidationError(f"{path}.defectCode is required", f"{path}.defectCode")
        if isinstance(d.count, bool) or not isinstance(d.count, int) \
                or not 0 <= d.count <= plan.sample_size:
            raise ValidationError(f"{path}.count: 0 to the sample size ({plan.sample_size})",
                                  f"{path}.count")
        key = (ch.code, code)
        if key in counted:
            raise ValidationError(f"{path}: {ch.code}/{code} is counted twice", path)
        counted[key] = d.count
    return tuple(DefectCount(c, code, n) for (c, code), n in counted.items() if n)


def _characteristic(by_code: dict[str, Characteristic], code: str,
                    field: str) -> Characteristic:
    found = by_code.get((code or "").strip().upper())
    if found is None:
        raise ValidationError(f"{field}: the lot's plan has no characteristic {code!r}", field)
    return found


def _value(value: object, ch: Characteristic, field: str) -> Decimal:
    number = to_decimal(value, field)
    if abs(number) >= MAX_VALUE:
        raise ValidationError(f"{field}: {number} is out of range", field)
    if number != number.quantize(Decimal(1).scaleb(-ch.decimals)):
        raise ValidationError(f"{field}: {ch.code} is recorded to {ch.decimals} decimal places",
                              field)
    return number


def findings(chars: Sequence[Characteristic], plan: SamplingPlan, lot_qty: Decimal,
             measurements: Sequence[Measurement],
             defects: Sequence[DefectCount]) -> Findings:
    """Count the nonconformities and decide the lot (results already checked)."""
    by_code = {ch.code: ch for ch in chars}
    out_of_limits = 0
    bad_units: set[int] = set()
    for m in measurements:
        for i, value in enumerate(m.values):
            if not by_code[m.characteristic].conforms(value):
                out_of_limits += 1
                bad_units.add(i)
    counted = sum(d.count for d in defects)
    nonconformities = out_of_limits + counted
    defective = min(len(bad_units) + counted, plan.sample_size)
    return Findings(nonconformities, defective, decide(plan, lot_qty, nonconformities,
                                                       defective))


def decide(plan: SamplingPlan, lot_qty: Decimal, nonconformities: int,
           defective: int) -> Decision:
    """Ac/Re on the nonconformities; quantities as the module says."""
    verdict = Verdict.ACCEPT if nonconformities <= plan.accept else Verdict.REJECT
    if verdict is Verdict.REJECT and not plan.full:
        return Decision(verdict, Decimal("0.000000"), lot_qty)
    rejected = min(Decimal(defective), lot_qty).quantize(Decimal("0.000001"))
    return Decision(verdict, lot_qty - rejected, rejected)
