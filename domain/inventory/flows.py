"""What left a stock balance, day by day (derived state of ``StockBalance``).

A movement dated earlier than later movements (a backdated receipt, issue or
price difference) is settled by one adjustment (``domain/inventory/
backdating.py``) that needs, for the days after its date: how much left and
at what value, where it went, and how low the quantity ran. Keeping those per
business day, as the events are applied, makes that a walk over the days
after the date instead of over every movement since: a balance with 100,000
movements in an open month has at most 31 such days.

Destinations: the work order material line a material issue fed
(``WO-000001/1``; ``doc:MI-000003/1`` for issues stored before they named
it), everything else ``""`` (cost of sales, as the purchase-invoice price
difference does).
"""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.errors import BusinessRuleViolation
from domain.transcodings import stored_as, transcoded

ZERO_QTY = Decimal("0.000000")
ZERO = Decimal("0.00")


@transcoded("DayFlow")
@dataclass
class DayFlow:
    """One business day of a balance: what left (quantity, value, per
    destination), the quantity at the day's end and the lowest it ran to."""

    out_qty: Decimal = ZERO_QTY
    out_value: Decimal = ZERO
    to: dict[str, Decimal] = field(default_factory=dict)  # destination -> qty
    close: Decimal = ZERO_QTY
    low: Decimal = ZERO_QTY
    close_value: Decimal = ZERO


@dataclass(frozen=True)
class Since:
    """What left after a day: quantity, value, quantity per destination, the
    lowest quantity on hand on any later day (None: no later day), and the
    quantity and value on hand at the end of the day itself."""

    qty: Decimal
    value: Decimal
    to: dict[str, Decimal]
    low: Decimal | None
    at_qty: Decimal = ZERO_QTY
    at_value: Decimal = ZERO


def _flows_from(data: dict) -> DayFlows:
    flows = DayFlows()
    flows.order = list(data["order"])
    flows.days = dict(zip(flows.order, data["days"], strict=True))
    return flows


# In a stock balance's snapshot: the days in order, and their flows.
@stored_as("DayFlows", encode=lambda f: {"order": f.order, "days": [f.days[d] for d in f.order]},
           decode=_flows_from)
class DayFlows:
    """Per business day, in date order. A movement dated ``day`` counts at the
    end of that day; every later day's quantities shift by it."""

    __slots__ = ("days", "order")

    def __init__(self) -> None:
        self.days: dict[date, DayFlow] = {}
        self.order: list[date] = []

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DayFlows) and (self.order, self.days) == (other.order,
                                                                           other.days)

    __hash__ = None  # type: ignore[assignment]  # mutable

    @property
    def latest(self) -> date | None:
        return self.order[-1] if self.order else None

    def _day(self, day: date) -> DayFlow:
        flow = self.days.get(day)
        if flow is None:
            i = bisect_right(self.order, day)
            prior = self.days[self.order[i - 1]] if i else DayFlow()
            flow = self.days[day] = DayFlow(close=prior.close, low=prior.close,
                                            close_value=prior.close_value)
            insort(self.order, day)
        return flow

    def moved(self, day: date, qty: Decimal, value: Decimal) -> None:
        """``qty`` at ``value`` in (+) or out (-) on ``day``: that day's close
        and low and every later day's move by it."""
        flow = self._day(day)
        flow.close += qty
        flow.close_value += value
        flow.low = min(flow.low, flow.close)
        for later in self.order[bisect_right(self.order, day):]:
            after = self.days[later]
            after.close += qty
            after.low += qty
            after.close_value += value

    def left(self, day: date, qty: Decimal, value: Decimal, to: str) -> None:
        """``qty`` at ``value`` left for ``to`` on ``day`` (after ``moved``)."""
        flow = self._day(day)
        flow.out_qty += qty
        flow.out_value += value
        flow.to[to] = flow.to.get(to, ZERO_QTY) + qty

    def valued(self, day: date, value: Decimal, left: bool) -> None:
        """Value in (+) or out (-) without quantity; ``left``: it went to
        consumers (a settlement's share), not a revaluation of what stays."""
        self.moved(day, ZERO_QTY, value)
        if left:
            self._day(day).out_value -= value

    def since(self, day: date) -> Since:
        """What left on the days after ``day``, and what was on hand at its end."""
        qty, value, to, low = ZERO_QTY, ZERO, {}, None
        i = bisect_right(self.order, day)
        prior = self.days[self.order[i - 1]] if i else DayFlow()
        for later in self.order[i:]:
            flow = self.days[later]
            qty += flow.out_qty
            value += flow.out_value
            for key, q in flow.to.items():
                to[key] = to.get(key, ZERO_QTY) + q
            low = flow.low if low is None else min(low, flow.low)
        return Since(qty, value, to, low, prior.close, prior.close_value)


def check_not_negative_later(since: Since, qty: Decimal, item: str, warehouse: str,
                             day: date) -> None:
    """An issue dated ``day`` takes ``qty`` from every later day's stock too."""
    low = since.at_qty if since.low is None else min(since.low, since.at_qty)
    if low < qty:
        raise BusinessRuleViolation(
            "NEGATIVE_LATER",
            f"{item} in {warehouse}: issuing {qty.normalize():f} on {day.isoformat()} would "
            f"leave that day or a later one negative (lowest on hand {low.normalize():f})")
