"""Statistical process control (SPC) of a measured characteristic (pure):
X̄-R chart data and the process capability indices Cp and Cpk.

Values are taken in the order they were measured and cut into subgroups of
``n`` consecutive values (an incomplete last subgroup is left out). With the
grand mean X̄̄ and the mean range R̄ (GB/T 17989.2 / ISO 7870-2 constants
A2, D3, D4 and d2 for n = 2..10):

    X̄ chart: centre X̄̄, limits X̄̄ ± A2·R̄      R chart: centre R̄, limits D3·R̄ and D4·R̄
    σ̂ = R̄ / d2;  Cp = (USL - LSL) / 6σ̂;  Cpk = min(USL - X̄̄, X̄̄ - LSL) / 3σ̂

With one limit only, Cp is undefined and Cpk is taken on that side. Limits
and means are given to 6 places, Cp and Cpk to 3 (half up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import ValidationError

# n: (A2, D3, D4, d2)
CONSTANTS: dict[int, tuple[Decimal, Decimal, Decimal, Decimal]] = {
    n: tuple(Decimal(x) for x in row)  # type: ignore[misc]
    for n, row in {
        2: ("1.880", "0", "3.267", "1.128"),
        3: ("1.023", "0", "2.574", "1.693"),
        4: ("0.729", "0", "2.282", "2.059"),
        5: ("0.577", "0", "2.114", "2.326"),
        6: ("0.483", "0", "2.004", "2.534"),
        7: ("0.419", "0.076", "1.924", "2.704"),
        8: ("0.373", "0.136", "1.864", "2.847"),
        9: ("0.337", "0.184", "1.816", "2.970"),
        10: ("0.308", "0.223", "1.777", "3.078"),
    }.items()
}
SIX = Decimal("0.000001")
THREE = Decimal("0.001")


def _q(value: Decimal, step: Decimal = SIX) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Subgroup:
    mean: Decimal
    range: Decimal
    out_of_control: bool


@dataclass(frozen=True)
class Chart:
    n: int
    subgroups: tuple[Subgroup, ...]
    grand_mean: Decimal
    mean_range: Decimal
    x_ucl: Decimal
    x_lcl: Decimal
    r_ucl: Decimal
    r_lcl: Decimal
    sigma: Decimal  # R̄ / d2
    cp: Decimal | None
    cpk: Decimal | None


def chart(values: Sequence[Decimal], n: int, lower: Decimal | None,
          upper: Decimal | None) -> Chart | None:
    """The X̄-R chart of ``values`` in subgroups of ``n`` (None: not one subgroup)."""
    if n not in CONSTANTS:
        raise ValidationError("subgroupSize must be 2-10", "subgroupSize")
    a2, d3, d4, d2 = CONSTANTS[n]
    groups = [values[i:i + n] for i in range(0, len(values) - n + 1, n)]
    if not groups:
        return None
    means = [sum(g, Decimal(0)) / n for g in groups]
    ranges = [max(g) - min(g) for g in groups]
    grand = sum(means, Decimal(0)) / len(means)
    r_bar = sum(ranges, Decimal(0)) / len(ranges)
    x_ucl, x_lcl = grand + a2 * r_bar, grand - a2 * r_bar
    r_ucl, r_lcl = d4 * r_bar, d3 * r_bar
    subgroups = tuple(Subgroup(_q(m), _q(r), not (x_lcl <= m <= x_ucl and r_lcl <= r <= r_ucl))
                      for m, r in zip(means, ranges, strict=True))
    sigma = r_bar / d2
    cp = cpk = None
    if sigma > 0:
        if lower is not None and upper is not None:
            cp = _q((upper - lower) / (6 * sigma), THREE)
        sides = [x for x in ((upper - grand) if upper is not None else None,
                             (grand - lower) if lower is not None else None) if x is not None]
        if sides:
            cpk = _q(min(sides) / (3 * sigma), THREE)
    return Chart(n, subgroups, _q(grand), _q(r_bar), _q(x_ucl), _q(x_lcl), _q(r_ucl),
                 _q(r_lcl), _q(sigma), cp, cpk)
