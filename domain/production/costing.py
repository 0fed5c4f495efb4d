"""Actual costing rules for work orders (pure functions).

WIP (在制品) of a work order is kept per cost element: material, labor and
overhead. Reported hours add labor at the work center's labor rate and
overhead at its overhead rate. A partial completion of q units is valued at

    round(WIP balance x q / units still expected, 2),
    units still expected = ordered - completed - scrapped so far,

and the final completion takes whatever WIP remains, so a completed order's
WIP is exactly zero. The relieved value is split over the elements in
proportion to their balances, the last element taking the rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.money import round_amount
from domain.transcodings import transcoded

ZERO = Decimal("0.00")
ELEMENTS = ("material", "labor", "overhead")


@transcoded("Wip")
@dataclass(frozen=True)
class Wip:
    material: Decimal = ZERO
    labor: Decimal = ZERO
    overhead: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.material + self.labor + self.overhead

    def plus(self, other: Wip) -> Wip:
        return Wip(
            self.material + other.material, self.labor + other.labor, self.overhead + other.overhead
        )

    def minus(self, other: Wip) -> Wip:
        return Wip(
            self.material - other.material, self.labor - other.labor, self.overhead - other.overhead
        )


def hours_cost(hours: Decimal, rate: Decimal) -> Decimal:
    return round_amount(hours * rate)


def relief(wip: Wip, qty: Decimal, units_expected: Decimal) -> Wip:
    """What leaves WIP when ``qty`` of ``units_expected`` leave (completed or
    scrapped abnormally); all of it when they are the last ones."""
    if qty >= units_expected:
        return wip
    value = round_amount(wip.total * qty / units_expected)
    return split(wip, value)


def split(wip: Wip, value: Decimal) -> Wip:
    """Split ``value`` over the elements in proportion to ``wip``."""
    total = wip.total
    if total == 0:
        return Wip(material=value)
    material = round_amount(wip.material * value / total)
    labor = round_amount(wip.labor * value / total)
    return Wip(material, labor, value - material - labor)
