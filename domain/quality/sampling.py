"""Sampling by GB/T 2828.1-2012 (ISO 2859-1:1999): single sampling plans for
normal inspection, selected by lot size, inspection level and AQL (pure).

1. Table 1 gives the sample size code letter of a lot size at a general
   inspection level (I, II, III; level II unless said otherwise).
2. Table 2-A (the master table for single sampling, normal inspection) gives,
   per code letter, the sample size and, per AQL, the acceptance and
   rejection numbers (Ac, Re), or an arrow: ``↓`` use the first plan below
   the arrow, ``↑`` the first plan above it. The plan pointed at brings its
   own sample size (its code letter's), so one lot size and AQL give one
   (n, Ac, Re) whichever way the table is read.
3. When the sample size equals or exceeds the lot size, every unit is
   inspected (100%), with the plan's Ac and Re.

Only the AQLs a small factory's plans use are tabled here: 0.65, 1.0, 1.5,
2.5, 4.0 and 6.5 (percent nonconforming, or nonconformities per hundred
units). ``tests/unit/test_sampling.py`` checks the table against the
standard's cells, arrows included.

Besides the standard, a plan may sample a fixed number of units with its own
acceptance number, or inspect 100%.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.errors import ValidationError
from domain.money import to_decimal
from domain.transcodings import transcoded

# Table 1: lot size (upper bound) -> code letter at general levels I, II, III.
_LOT_BANDS: tuple[tuple[int, str, str, str], ...] = (
    (8, "A", "A", "B"),
    (15, "A", "B", "C"),
    (25, "B", "C", "D"),
    (50, "C", "D", "E"),
    (90, "C", "E", "F"),
    (150, "D", "F", "G"),
    (280, "E", "G", "H"),
    (500, "F", "H", "J"),
    (1200, "G", "J", "K"),
    (3200, "H", "K", "L"),
    (10000, "J", "L", "M"),
    (35000, "K", "M", "N"),
    (150000, "L", "N", "P"),
    (500000, "M", "P", "Q"),
)
_OVER_500000 = ("N", "Q", "R")
LEVELS = ("I", "II", "III")

SAMPLE_SIZES: dict[str, int] = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50,
    "J": 80, "K": 125, "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000,
}
LETTERS = tuple(SAMPLE_SIZES)

AQLS: tuple[Decimal, ...] = tuple(Decimal(a) for a in ("0.65", "1.0", "1.5", "2.5", "4.0",
                                                       "6.5"))

# Table 2-A, the columns of AQLS: "Ac/Re", "v" (use the first plan below) or
# "^" (the first plan above), row by row as printed in the standard.
_MASTER: dict[str, tuple[str, ...]] = {
    "A": ("v", "v", "v", "v", "v", "0/1"),
    "B": ("v", "v", "v", "v", "0/1", "^"),
    "C": ("v", "v", "v", "0/1", "^", "v"),
    "D": ("v", "v", "0/1", "^", "v", "1/2"),
    "E": ("v", "0/1", "^", "v", "1/2", "2/3"),
    "F": ("0/1", "^", "v", "1/2", "2/3", "3/4"),
    "G": ("^", "v", "1/2", "2/3", "3/4", "5/6"),
    "H": ("v", "1/2", "2/3", "3/4", "5/6", "7/8"),
    "J": ("1/2", "2/3", "3/4", "5/6", "7/8", "10/11"),
    "K": ("2/3", "3/4", "5/6", "7/8", "10/11", "14/15"),
    "L": ("3/4", "5/6", "7/8", "10/11", "14/15", "21/22"),
    "M": ("5/6", "7/8", "10/11", "14/15", "21/22", "^"),
    "N": ("7/8", "10/11", "14/15", "21/22", "^", "^"),
    "P": ("10/11", "14/15", "21/22", "^", "^", "^"),
    "Q": ("14/15", "21/22", "^", "^", "^", "^"),
    "R": ("21/22", "^", "^", "^", "^", "^"),
}


@transcoded("SamplingMethod")
class SamplingMethod(Enum):
    GB2828 = "gb2828"  # GB/T 2828.1 single sampling, normal inspection
    FIXED = "fixed"  # a fixed sample size with its own acceptance number
    FULL = "full"  # every unit (100%)


@transcoded("SamplingRule")
@dataclass(frozen=True)
class SamplingRule:
    """How a plan samples: the method and its parameters."""

    method: SamplingMethod = SamplingMethod.GB2828
    aql: Decimal = Decimal("1.0")  # GB2828: percent
    level: str = "II"  # GB2828: general inspection level
    sample_size: int = 0  # FIXED: units sampled
    accept: int = 0  # FIXED and FULL: nonconformities accepted (Ac; Re = Ac + 1)


@transcoded("SamplingPlan")
@dataclass(frozen=True)
class SamplingPlan:
    """What one lot is inspected by: n units, accepted with at most Ac
    nonconformities, rejected with Re or more."""

    sample_size: int
    accept: int
    reject: int
    code_letter: str = ""  # Table 1's letter for the lot size ("" off the standard)
    plan_letter: str = ""  # the row the plan was read from (another after an arrow)
    full: bool = False  # every unit of the lot is inspected


def code_letter(lot_size: int, level: str = "II") -> str:
    """Table 1: the sample size code letter of a lot of ``lot_size`` units."""
    if level not in LEVELS:
        raise ValidationError(f"inspection level must be one of {', '.join(LEVELS)}", "level")
    if lot_size < 2:
        raise ValidationError("a lot to sample has at least 2 units", "lotSize")
    column = LEVELS.index(level) + 1
    for upper, *letters in _LOT_BANDS:
        if lot_size <= upper:
            return letters[column - 1]
    return _OVER_500000[column - 1]


def check_aql(aql: object) -> Decimal:
    aql = to_decimal(aql, "aql")
    for known in AQLS:
        if aql == known:
            return known
    raise ValidationError(
        f"AQL {aql} is not tabled; use one of {', '.join(str(a) for a in AQLS)}", "aql")


def master_cell(letter: str, aql: Decimal) -> str:
    """Table 2-A as printed: "Ac/Re", "v" or "^"."""
    return _MASTER[letter][AQLS.index(check_aql(aql))]


def master_plan(letter: str, aql: Decimal) -> tuple[str, int, int]:
    """(the letter whose plan applies, Ac, Re), following the arrows."""
    column = AQLS.index(check_aql(aql))
    i = LETTERS.index(letter)
    cell = _MASTER[letter][column]
    step = 1 if cell == "v" else -1
    while cell in ("v", "^"):
        i += step
        cell = _MASTER[LETTERS[i]][column]
    ac, re_ = (int(part) for part in cell.split("/"))
    return LETTERS[i], ac, re_


def gb2828_plan(lot_size: int, aql: Decimal, level: str = "II") -> SamplingPlan:
    """Single sampling, normal inspection: code letter, then the master table."""
    letter = code_letter(lot_size, level)
    used, ac, re_ = master_plan(letter, aql)
    n = SAMPLE_SIZES[used]
    if n >= lot_size:
        return SamplingPlan(lot_size, ac, re_, letter, used, full=True)
    return SamplingPlan(n, ac, re_, letter, used)


def plan_for(rule: SamplingRule, lot_size: int) -> SamplingPlan:
    """The sampling plan of one lot of ``lot_size`` whole units under ``rule``."""
    if lot_size < 1:
        raise ValidationError("a lot to inspect has at least 1 unit", "qty")
    if rule.method is SamplingMethod.FULL:
        return SamplingPlan(lot_size, rule.accept, rule.accept + 1, full=True)
    if rule.method is SamplingMethod.FIXED:
        if rule.sample_size >= lot_size:
            return SamplingPlan(lot_size, rule.accept, rule.accept + 1, full=True)
        return SamplingPlan(rule.sample_size, rule.accept, rule.accept + 1)
    if lot_size == 1:
        return SamplingPlan(1, 0, 1, full=True)
    return gb2828_plan(lot_size, rule.aql, rule.level)


def check_rule(rule: SamplingRule) -> SamplingRule:
    """A rule a plan may keep (pure)."""
    if rule.method is SamplingMethod.GB2828:
        if rule.level not in LEVELS:
            raise ValidationError(f"sampling.level must be one of {', '.join(LEVELS)}",
                                  "sampling.level")
        return SamplingRule(rule.method, check_aql(rule.aql), rule.level)
    if not isinstance(rule.accept, int) or not 0 <= rule.accept <= 1000:
        raise ValidationError("sampling.accept must be 0-1000", "sampling.accept")
    if rule.method is SamplingMethod.FIXED:
        if not isinstance(rule.sample_size, int) or not 1 <= rule.sample_size <= 100_000:
            raise ValidationError("a fixed sample has 1-100000 units", "sampling.sampleSize")
        if rule.accept >= rule.sample_size:
            raise ValidationError("sampling.accept must be below the sample size",
                                  "sampling.accept")
        return SamplingRule(rule.method, Decimal("0"), "", rule.sample_size, rule.accept)
    return SamplingRule(rule.method, Decimal("0"), "", 0, rule.accept)
