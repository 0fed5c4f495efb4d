"""GB/T 2828.1-2012 (ISO 2859-1) single sampling, normal inspection, as tables.

The cells below are copied by hand from the standard: Table 1 (sample size
code letters) and Table 2-A (the master table), including the arrows, for
the AQLs the module tables. Each row is one fact of the standard; the
module's own tables must agree with it row for row.
"""

from decimal import Decimal as D

import pytest

from domain.errors import ValidationError
from domain.quality.findings import (
    DefectCount,
    Measurement,
    Verdict,
    check_results,
    findings,
)
from domain.quality.plans import Characteristic, CharacteristicKind
from domain.quality.sampling import (
    SAMPLE_SIZES,
    SamplingMethod,
    SamplingPlan,
    SamplingRule,
    check_rule,
    code_letter,
    gb2828_plan,
    master_cell,
    plan_for,
)

pytestmark = pytest.mark.unit


# Table 1, general inspection levels I, II and III: both ends of every lot-size band.
@pytest.mark.parametrize("low, high, level_i, level_ii, level_iii", [
    (2, 8, "A", "A", "B"),
    (9, 15, "A", "B", "C"),
    (16, 25, "B", "C", "D"),
    (26, 50, "C", "D", "E"),
    (51, 90, "C", "E", "F"),
    (91, 150, "D", "F", "G"),
    (151, 280, "E", "G", "H"),
    (281, 500, "F", "H", "J"),
    (501, 1200, "G", "J", "K"),
    (1201, 3200, "H", "K", "L"),
    (3201, 10000, "J", "L", "M"),
    (10001, 35000, "K", "M", "N"),
    (35001, 150000, "L", "N", "P"),
    (150001, 500000, "M", "P", "Q"),
    (500001, 10_000_000, "N", "Q", "R"),
])
def test_table_1_code_letters(low, high, level_i, level_ii, level_iii):
    for lot in (low, high):
        assert (code_letter(lot, "I"), code_letter(lot, "II"), code_letter(lot, "III")) == \
            (level_i, level_ii, level_iii)


def test_sample_sizes_of_the_code_letters():
    assert SAMPLE_SIZES == {
        "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50, "J": 80,
        "K": 125, "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000}


# Table 2-A as printed, AQL 0.65 1.0 1.5 2.5 4.0 6.5 ("v" = ↓, "^" = ↑).
MASTER = """
A  v     v     v     v     v     0/1
B  v     v     v     v     0/1   ^
C  v     v     v     0/1   ^     v
D  v     v     0/1   ^     v     1/2
E  v     0/1   ^     v     1/2   2/3
F  0/1   ^     v     1/2   2/3   3/4
G  ^     v     1/2   2/3   3/4   5/6
H  v     1/2   2/3   3/4   5/6   7/8
J  1/2   2/3   3/4   5/6   7/8   10/11
K  2/3   3/4   5/6   7/8   10/11 14/15
L  3/4   5/6   7/8   10/11 14/15 21/22
M  5/6   7/8   10/11 14/15 21/22 ^
N  7/8   10/11 14/15 21/22 ^     ^
P  10/11 14/15 21/22 ^     ^     ^
Q  14/15 21/22 ^     ^     ^     ^
R  21/22 ^     ^     ^     ^     ^
"""
AQL_COLUMNS = ("0.65", "1.0", "1.5", "2.5", "4.0", "6.5")
CELLS = [(row.split()[0], aql, cell) for row in MASTER.strip().splitlines()
         for aql, cell in zip(AQL_COLUMNS, row.split()[1:], strict=True)]


@pytest.mark.parametrize("letter, aql, cell", CELLS, ids=[f"{c[0]}-{c[1]}" for c in CELLS])
def test_table_2a_cell(letter, aql, cell):
    assert master_cell(letter, D(aql)) == cell


# Lot size and AQL -> the plan, arrows followed (n from the row pointed at).
@pytest.mark.parametrize("lot, aql, letter, used, n, ac, re, full", [
    (500, "1.0", "H", "H", 50, 1, 2, False),  # the quality month's IQC lot
    (100, "2.5", "F", "F", 20, 1, 2, False),  # the quality month's FQC lot
    (1200, "2.5", "J", "J", 80, 5, 6, False),
    (3200, "0.65", "K", "K", 125, 2, 3, False),
    (100, "1.0", "F", "E", 13, 0, 1, False),  # ↑ from F to E
    (300, "0.65", "H", "J", 80, 1, 2, False),  # ↓ from H to J
    (40, "0.65", "D", "F", 20, 0, 1, False),  # ↓ from D to F
    (10, "6.5", "B", "A", 2, 0, 1, False),  # ↑ from B to A
    (20, "6.5", "C", "D", 8, 1, 2, False),  # ↓ from C to D
    (200, "0.65", "G", "F", 20, 0, 1, False),  # ↑ from G to F
    (600000, "6.5", "Q", "L", 200, 21, 22, False),  # ↑ from Q up to L
    (50000, "4.0", "N", "M", 315, 21, 22, False),  # ↑ from N to M
    (5, "1.0", "A", "E", 5, 0, 1, True),  # ↓ to E: 13 >= 5, so 100%
    (12, "2.5", "B", "C", 5, 0, 1, False),  # ↓ from B to C
    (16, "1.5", "C", "D", 8, 0, 1, False),  # ↓ from C to D
    (9, "0.65", "B", "F", 9, 0, 1, True),  # ↓ to F: 20 >= 9, so 100%
])
def test_plan_of_a_lot(lot, aql, letter, used, n, ac, re, full):
    plan = gb2828_plan(lot, D(aql))
    assert (plan.code_letter, plan.plan_letter, plan.sample_size, plan.accept, plan.reject,
            plan.full) == (letter, used, n, ac, re, full)


def test_re_is_ac_plus_one_everywhere_in_single_sampling():
    for lot in (2, 9, 16, 26, 51, 91, 151, 281, 501, 1201, 3201, 10001, 35001, 150001,
                500001):
        for aql in AQL_COLUMNS:
            plan = gb2828_plan(lot, D(aql))
            assert plan.reject == plan.accept + 1
            assert plan.sample_size <= lot


@pytest.mark.parametrize("rule, lot, expected", [
    (SamplingRule(SamplingMethod.FIXED, sample_size=5), 100, SamplingPlan(5, 0, 1)),
    (SamplingRule(SamplingMethod.FIXED, sample_size=5, accept=1), 3,
     SamplingPlan(3, 1, 2, full=True)),
    (SamplingRule(SamplingMethod.FULL), 40, SamplingPlan(40, 0, 1, full=True)),
    (SamplingRule(SamplingMethod.GB2828, D("1.0")), 1, SamplingPlan(1, 0, 1, full=True)),
])
def test_fixed_and_full_rules(rule, lot, expected):
    assert plan_for(rule, lot) == expected


@pytest.mark.parametrize("rule, field", [
    (SamplingRule(SamplingMethod.GB2828, D("0.4")), "aql"),
    (SamplingRule(SamplingMethod.GB2828, D("1.0"), level="S-1"), "sampling.level"),
    (SamplingRule(SamplingMethod.FIXED, sample_size=0), "sampling.sampleSize"),
    (SamplingRule(SamplingMethod.FIXED, sample_size=5, accept=5), "sampling.accept"),
    (SamplingRule(SamplingMethod.FULL, accept=-1), "sampling.accept"),
])
def test_bad_rules_are_refused(rule, field):
    with pytest.raises(ValidationError) as refused:
        check_rule(rule)
    assert refused.value.field == field


def test_a_lot_too_small_to_sample_by_the_table():
    with pytest.raises(ValidationError):
        code_letter(1)


# -- findings: nonconformities against Ac/Re -------------------------------------------------
DIA = Characteristic("DIA", "diameter", CharacteristicKind.MEASURED, D("10.00"), D("9.95"),
                     D("10.05"), "mm", 2)
LOOK = Characteristic("LOOK", "appearance", CharacteristicKind.ATTRIBUTE,
                      defect_codes=("SCRATCH", "RUST"))


@pytest.mark.parametrize("values, counts, lot, plan, verdict, accepted, rejected, nc", [
    # sampled, accepted: the defective sample units are kept apart
    (("10.00", "10.06", "9.99", "10.01", "10.00"), (), "100", SamplingPlan(5, 1, 2),
     Verdict.ACCEPT, "99", "1", 1),
    # sampled, rejected whole
    (("10.00", "10.06", "9.90", "10.01", "10.00"), (), "100", SamplingPlan(5, 1, 2),
     Verdict.REJECT, "0", "100", 2),
    # a unit out on a measurement and a counted defect: 2 nonconformities
    (("10.00", "10.00", "10.07", "10.01", "10.00"), (("LOOK", "SCRATCH", 1),), "100",
     SamplingPlan(5, 1, 2), Verdict.REJECT, "0", "100", 2),
    # 100%: sorted whatever the verdict
    (("10.00", "10.06", "9.90", "10.01", "10.00"), (), "5", SamplingPlan(5, 0, 1, full=True),
     Verdict.REJECT, "3", "2", 2),
])
def test_findings_decide_by_ac_and_re(values, counts, lot, plan, verdict, accepted, rejected,
                                      nc):
    measured, counted = check_results(
        (DIA, LOOK), plan, [Measurement("DIA", values)],
        [DefectCount(c, code, n) for c, code, n in counts])
    found = findings((DIA, LOOK), plan, D(lot), measured, counted)
    assert found.nonconformities == nc
    assert (found.decision.verdict, found.decision.accepted, found.decision.rejected) == (
        verdict, D(accepted), D(rejected))


@pytest.mark.parametrize("measurements, defects, field", [
    ([Measurement("DIA", ("10.00",) * 4)], [], "measurements.0.values"),  # 4 for 5 units
    ([], [], "measurements"),  # the measured characteristic without values
    ([Measurement("DIA", ("10.00",) * 5), Measurement("DIA", ("10.00",) * 5)], [],
     "measurements.1"),
    ([Measurement("LOOK", ("1",) * 5)], [], "measurements.0.characteristic"),
    ([Measurement("DIA", ("10.001",) + ("10.00",) * 4)], [], "measurements.0.values.0"),
    ([Measurement("DIA", ("x",) + ("10.00",) * 4)], [], "measurements.0.values.0"),
    ([Measurement("LEN", ("10.00",) * 5)], [], "measurements.0.characteristic"),
    ([Measurement("DIA", ("10.00",) * 5)], [DefectCount("LOOK", "DENT", 1)],
     "defects.0.defectCode"),
    ([Measurement("DIA", ("10.00",) * 5)], [DefectCount("LOOK", "RUST", 6)], "defects.0.count"),
    ([Measurement("DIA", ("10.00",) * 5)], [DefectCount("DIA", "RUST", 1)],
     "defects.0.characteristic"),
])
def test_results_that_do_not_fit_the_sample_are_refused(measurements, defects, field):
    with pytest.raises(ValidationError) as refused:
        check_results((DIA, LOOK), SamplingPlan(5, 0, 1), measurements, defects)
    assert refused.value.field == field
