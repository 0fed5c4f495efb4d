"""Spare-part safety stock from failure rates: μ = Σ λ·L·k, σ² = Σ λ·L·k²,
⌈μ + z·σ⌉ whole units; hand-computed rows."""

from decimal import Decimal as Dec
from fractions import Fraction as F

import pytest

from domain.equipment.spares import PartUse, check_service_level, check_window, recommend
from domain.errors import ValidationError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("uses, window, lead, level, expected, sigma, units", [
    # 3 failures in 90 days, 30 days lead time, 2 per repair: μ = 2, σ = √4 = 2,
    # 2 + 1.6449 x 2 = 5.2898 -> 6
    ([("CH-01", 3, "2")], 90, 30, "0.95", F(2), "2.000000", "6"),
    # the same at 99 %: 2 + 2.3263 x 2 = 6.6526 -> 7
    ([("CH-01", 3, "2")], 90, 30, "0.99", F(2), "2.000000", "7"),
    # two machines share the part: μ = 1x2 + 1x1 = 3, σ² = 1x4 + 1x1 = 5,
    # 3 + 1.6449 x 2.236068 = 6.678 -> 7
    ([("CH-01", 3, "2"), ("CH-02", 3, "1")], 90, 30, "0.95", F(3), "2.236068", "7"),
    # no failures: nothing to keep
    ([("CH-01", 0, "2")], 90, 30, "0.95", F(0), "0.000000", "0"),
    # no lead time: bought at once, nothing to keep
    ([("CH-01", 3, "2")], 90, 0, "0.95", F(0), "0.000000", "0"),
    # one failure a year, 1 part, 14 days: μ = 0.038356, σ = 0.195847 -> 1
    ([("CH-01", 1, "1")], 365, 14, "0.95", F(14, 365), "0.195847", "1"),
])
def test_safety_stock_from_failure_rates(uses, window, lead, level, expected, sigma, units):
    advice = recommend([PartUse(e, f, Dec(k)) for e, f, k in uses], window, lead, Dec(level))
    assert (advice.expected, str(advice.deviation), str(advice.safety_stock)) == (
        expected, sigma, units)


@pytest.mark.parametrize("level", ["0.5", "1", "abc", "0.951"])
def test_only_the_offered_service_levels(level):
    with pytest.raises(ValidationError):
        check_service_level(level)


@pytest.mark.parametrize("days", [0, -1, 3651, True, "90"])
def test_window_days_are_1_to_3650(days):
    with pytest.raises(ValidationError):
        check_window(days)
