"""SPC (X̄-R, Cp, Cpk) and the yield rules, hand-computed."""

from datetime import date
from decimal import Decimal as D

import pytest

from domain.errors import ValidationError
from domain.quality.records import YieldRecord, ratio, recommended_scrap_factor
from domain.quality.spc import chart

pytestmark = pytest.mark.unit

VALUES = [D(v) for v in ("10.00", "10.02", "9.98", "10.01", "9.99",   # mean 10.000, R 0.04
                         "10.01", "10.03", "10.00", "9.99", "10.02",  # mean 10.010, R 0.04
                         "10.05")]                                     # incomplete: left out


def test_xbar_r_chart_and_capability_by_hand():
    c = chart(VALUES, 5, D("9.95"), D("10.05"))
    assert [(g.mean, g.range, g.out_of_control) for g in c.subgroups] == [
        (D("10.000000"), D("0.040000"), False), (D("10.010000"), D("0.040000"), False)]
    # X̄̄ 10.005, R̄ 0.04; A2 0.577: 10.005 ± 0.02308; D4 2.114: 0.08456; D3 0.
    assert (c.grand_mean, c.mean_range, c.x_ucl, c.x_lcl, c.r_ucl, c.r_lcl) == (
        D("10.005000"), D("0.040000"), D("10.028080"), D("9.981920"), D("0.084560"),
        D("0.000000"))
    # σ̂ = 0.04 / 2.326; Cp = 0.10 x 2.326 / 0.24 = 0.9692; Cpk = 0.045 x 2.326 / 0.12 = 0.8723
    assert (c.sigma, c.cp, c.cpk) == (D("0.017197"), D("0.969"), D("0.872"))


def test_one_sided_limits_give_cpk_only_and_no_subgroup_gives_no_chart():
    c = chart(VALUES, 5, None, D("10.05"))
    assert (c.cp, c.cpk) == (None, D("0.872"))
    assert chart(VALUES[:4], 5, D("9.95"), D("10.05")) is None
    with pytest.raises(ValidationError):
        chart(VALUES, 11, None, None)


def test_a_point_outside_the_limits_is_out_of_control():
    shifted = [D(v) for v in ("10.05", "10.07", "10.03", "10.06", "10.04")]  # mean 10.05
    c = chart(VALUES[:10] + VALUES[:5] + shifted, 5, None, None)
    # X̄̄ 10.015, R̄ 0.04: limits 9.99192 - 10.03808; 10.05 lies above.
    assert (c.x_lcl, c.x_ucl) == (D("9.991920"), D("10.038080"))
    assert [g.out_of_control for g in c.subgroups] == [False, False, False, True]


@pytest.mark.parametrize("observed, factor", [
    ("1.0000", "0.0000"), ("0.8000", "0.2000"), ("0.9604", "0.0396"), ("0", "0.9999")])
def test_the_recommended_scrap_factor_is_one_minus_the_yield(observed, factor):
    assert recommended_scrap_factor(D(observed)) == D(factor)


def test_observed_yield_multiplies_stages_over_each_ones_last_lots():
    record = YieldRecord("FG-ASSY")
    day = date(2026, 12, 1)
    for lot, qty in (("IL-1", "100"), ("IL-2", "100"), ("IL-3", "50")):
        record.inspected("final", lot, D(qty), D(qty), D("0.95"), day)
    record.inspected("in_process:OP10", "IL-4", D("200"), D("200"), D("0.95"), day)
    record.lose("final", "IL-1", D("20"), "NCR-1", day)  # an early lot: out of the last 2
    record.lose("final", "IL-3", D("5"), "NCR-2", day)
    record.lose("in_process:OP10", "IL-4", D("4"), "NCR-3", day)
    record.lose("final", "IL-9", D("5"), "NCR-4", day)  # no such lot: nothing
    # last 2 final lots: 5 of 150 lost -> 0.9667; OP10: 4 of 200 -> 0.98; 0.9667 x 0.98
    assert record.observed_yield(2) == (D("0.9474"), 3)
    assert ratio(D("5"), D("150")) == D("0.0333")
