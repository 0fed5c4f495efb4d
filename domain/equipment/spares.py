"""Spare-part safety stock from failure rates (pure).

Each equipment that uses the part fails at a rate λ = failures / days over a
window (breakdown episodes, ``Equipment.failures``). Over the part's
replenishment lead time L a repair of that equipment takes k parts, so the
parts needed in L have, for failures arriving at random (Poisson) and summed
over the equipment,

    expected  μ = Σ λ·L·k          variance  σ² = Σ λ·L·k²

and the safety stock covering the service level's quantile (normal
approximation, z of the level) is ⌈μ + z·σ⌉ whole units: the expected
failures over the lead time times the parts per repair, plus a margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from domain.errors import ValidationError

# One-sided standard normal quantiles of the offered service levels.
Z = {Decimal("0.8"): Decimal("0.8416"), Decimal("0.9"): Decimal("1.2816"),
     Decimal("0.95"): Decimal("1.6449"), Decimal("0.975"): Decimal("1.9600"),
     Decimal("0.99"): Decimal("2.3263"), Decimal("0.995"): Decimal("2.5758")}
MAX_WINDOW_DAYS = 3650


def check_service_level(level: object) -> Decimal:
    try:
        value = Decimal(str(level)).normalize()
    except ArithmeticError:
        value = None
    if value not in Z:
        allowed = ", ".join(f"{k:f}" for k in Z)
        raise ValidationError(f"serviceLevel must be one of {allowed}", "serviceLevel")
    return value


def check_window(days: object) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WINDOW_DAYS:
        raise ValidationError(f"windowDays must be 1-{MAX_WINDOW_DAYS}", "windowDays")
    return days


@dataclass(frozen=True)
class PartUse:
    equipment: str
    failures: int  # breakdowns that began in the window
    per_repair: Decimal


@dataclass(frozen=True)
class Recommendation:
    expected: Fraction  # parts needed over the lead time, on average
    deviation: Decimal  # σ, to 6 places
    margin: Decimal  # z·σ, to 6 places
    safety_stock: Decimal  # whole units


def recommend(uses: Sequence[PartUse], window_days: int, lead_time_days: int,
              service_level: Decimal) -> Recommendation:
    expected = Fraction(0)
    variance = Fraction(0)
    for use in uses:
        rate_over_lead = Fraction(use.failures, window_days) * lead_time_days
        k = Fraction(use.per_repair)
        expected += rate_over_lead * k
        variance += rate_over_lead * k * k
    sigma = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
    margin = Z[service_level] * sigma
    mu = Decimal(expected.numerator) / Decimal(expected.denominator)
    units = (mu + margin).to_integral_value(rounding=ROUND_CEILING)
    six = Decimal("0.000001")
    return Recommendation(expected, sigma.quantize(six), margin.quantize(six), units)
