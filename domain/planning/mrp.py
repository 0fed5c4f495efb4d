"""Material requirements planning (MRP), a pure function over a snapshot.

1. Low-level codes: an item is planned after every item that uses it, so a
   component used at several levels is netted once, with all its demand.
2. Per item, in low-level-code order: gross requirements (sales order lines,
   forecasts left after consumption by sales orders of the same month,
   components of open work orders, dependent demand of the parents' planned
   orders) are netted against on hand and scheduled receipts in date order;
   where the projected available would fall below safety stock, a planned
   order covers the shortfall (grossed up by the item's yield, then lot
   sized), needed on that date and released lead time earlier on the
   working calendar.
   A planned order is needed on the last working day on or before its
   requirement (never before today), so no need date falls on a day off.
3. A scheduled receipt due after the day the projection falls short is
   pulled in (*expedite*) when it is due at most ``expedite_horizon_days``
   after that day (a company setting); one due later is left where it is
   and a new order is planned instead (*beyond_horizon*, on that planned
   order, naming the receipt passed over).
4. Pegging: requirements are allocated first-in first-out to on hand,
   receipts (an expedited one on the day it is pulled in to, as the netting
   counted it) and planned orders; each planned order and each receipt lists
   the requirements it serves and their top-level orders. A parent's
   dependent demand is split over every top-level order its planned order
   (or open work order) serves, in proportion, and whatever a lot size adds
   beyond them stays pegged to the parent itself; so a component planned for
   two sales orders pegs both, through all levels. A receipt nothing needs is
   a *cancel* message, one needed more than a week after it arrives *defer*;
   a planned order whose release date has passed is a *past_due_release*.
5. Suppliers: a planned purchase of an item with approved suppliers
   proposes the first in the item's order of preference that quality has
   not flagged; when every one is flagged it proposes the preferred one all
   the same, with a *suppliers_flagged* message. An item without
   approved suppliers proposes none (the planner names one when firming).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from domain.errors import BusinessRuleViolation
from domain.planning.model import (
    Demand,
    Exception_,
    MrpResult,
    Peg,
    PeggedReceipt,
    PlanItem,
    PlannedOrder,
    Snapshot,
    Supply,
)

QTY = Decimal("0.000001")
ZERO = Decimal("0")
SAFETY = "SAFETY-STOCK"
DEFER_AFTER = timedelta(days=7)


def low_level_codes(items: dict[str, PlanItem]) -> dict[str, int]:
    """Deepest level at which each item appears (0 = never a component)."""
    parents_of: dict[str, int] = defaultdict(int)
    for item in items.values():
        for comp in item.components:
            parents_of[comp.item] += 1
    llc = {code: 0 for code in items}
    ready = deque(sorted(code for code in items if parents_of[code] == 0))
    done = 0
    while ready:
        code = ready.popleft()
        done += 1
        for comp in items[code].components:
            llc[comp.item] = max(llc.get(comp.item, 0), llc[code] + 1)
            parents_of[comp.item] -= 1
            if parents_of[comp.item] == 0 and comp.item in items:
                ready.append(comp.item)
    if done < len(items):
        stuck = sorted(code for code in items if parents_of[code] > 0)[:5]
        raise BusinessRuleViolation("BOM_CYCLE", f"BOM cycle among {', '.join(stuck)}")
    return llc


def lot_size(item: PlanItem, net: Decimal) -> Decimal:
    """Order quantity for a net requirement under the item's lot-size rule."""
    if item.lot_size_rule == "fixed" and item.lot_size > 0:
        lots = (net / item.lot_size).to_integral_value(rounding=ROUND_CEILING)
        return lots * item.lot_size
    qty = net
    if item.lot_size_rule == "min_multiple":
        if item.lot_size > 0:
            qty = max(qty, item.lot_size)
        if item.lot_multiple > 0:
            qty = (qty / item.lot_multiple).to_integral_value(
                rounding=ROUND_CEILING
            ) * item.lot_multiple
    return qty.quantize(QTY, rounding=ROUND_CEILING)


def consume_forecasts(forecasts: tuple[Demand, ...], sales: list[Demand]) -> list[Demand]:
    """Forecast left after sales orders of the same item and month consume it."""
    sold: dict[tuple[str, int, int], Decimal] = defaultdict(Decimal)
    for d in sales:
        sold[(d.item, d.due.year, d.due.month)] += d.qty
    left = []
    for f in sorted(forecasts, key=lambda f: (f.item, f.due, f.id)):
        key = (f.item, f.due.year, f.due.month)
        used = min(sold[key], f.qty)
        sold[key] -= used
        if f.qty - used > 0:
            left.append(Demand(f.id, f.item, f.qty - used, f.due, "forecast", f.top or f.id))
    return left


@dataclass
class _Lot:
    """Something that can cover requirements: on hand, a receipt, a planned order."""

    ref: str
    due: date
    qty: Decimal
    planned: bool
    pegs: list[Peg]
    kind: str = ""  # a receipt's: purchase | work_order
    available: date | None = None  # when the netting counts on it, if not its due date
    release: date | None = None  # a planned order's release date
    first_need: date | None = None
    used: Decimal = ZERO  # running total of the pegs (avoids re-summing them)

    @property
    def when(self) -> date:
        return self.available or self.due


@dataclass
class _Run:
    """What a run collects as it plans item after item."""

    snapshot: Snapshot
    number: str
    demand: dict[str, list[Demand]]
    planned: list[PlannedOrder] = field(default_factory=list)
    exceptions: list[Exception_] = field(default_factory=list)
    receipts: list[PeggedReceipt] = field(default_factory=list)
    # an open work order -> (its pegs by top-level order, its quantity): its materials
    # are pegged to those orders in turn
    tops: dict[str, tuple[list[tuple[str, Decimal]], Decimal]] = field(default_factory=dict)
    counter: int = 0


def plan(snapshot: Snapshot, run: str = "PL") -> MrpResult:
    """Run MRP over ``snapshot``; planned order ids are ``{run}/00001``…"""
    items = snapshot.items
    llc = low_level_codes(items)
    sales = [d for d in snapshot.demands if d.kind == "sales"]
    demand: dict[str, list[Demand]] = defaultdict(list)
    for d in [*snapshot.demands, *consume_forecasts(snapshot.forecasts, sales)]:
        demand[d.item].append(d)
    receipts: dict[str, list[Supply]] = defaultdict(list)
    for s in snapshot.supplies:
        receipts[s.item].append(s)
    out = _Run(snapshot, run, demand)
    for code in sorted(items, key=lambda c: (llc[c], c)):
        _plan_item(out, code, llc[code], receipts.get(code, []))
    return MrpResult(tuple(out.planned), tuple(out.exceptions), llc, tuple(out.receipts))


def _plan_item(out: _Run, code: str, level: int, supplies: list[Supply]) -> None:
    """Net, plan, peg and report one item (rules 2-4)."""
    snapshot = out.snapshot
    item, today, cal = snapshot.items[code], snapshot.today, snapshot.calendar
    reqs = sorted(_through_work_orders(out.demand.get(code, ()), out.tops),
                  key=lambda d: (d.due, d.id))
    on_hand = snapshot.on_hand.get(code, ZERO)
    lots = [_Lot("ON-HAND", date.min, on_hand, False, [])] if on_hand > 0 else []
    lots += [_Lot(s.id, s.due, s.qty, False, [], s.kind)
             for s in sorted(supplies, key=lambda s: (s.due, s.id))]
    pulled: dict[str, date] = {}
    passed: dict[int, tuple[str, date]] = {}
    new = _net(item, reqs, lots, today, pulled, passed, snapshot.expedite_horizon_days)
    beyond: dict[str, tuple[str, date]] = {}
    for i, (need, qty) in enumerate(new):
        out.counter += 1
        day = cal.need_day(need, today)
        lot = _Lot(f"{out.number}/{out.counter:05d}", day, qty, True, [],
                   release=cal.back(day, item.lead_time_days))
        lots.append(lot)
        if i in passed:
            beyond[lot.ref] = passed[i]
    for lot in lots:
        lot.available = pulled.get(lot.ref)
    lots.sort(key=lambda lot: (lot.when, not lot.planned, lot.ref))
    _peg(item, reqs, lots)
    for lot in lots:
        if lot.planned:
            _planned(out, code, item, lot, level, beyond.get(lot.ref))
        elif lot.ref != "ON-HAND":
            _receipt(out, code, lot, pulled.get(lot.ref))


def _planned(out: _Run, code: str, item: PlanItem, lot: _Lot, level: int,
             passed_over: tuple[str, date] | None) -> None:
    order = PlannedOrder(lot.ref, code, "make" if item.make else "buy", lot.qty, lot.due,
                         lot.release or lot.due, tuple(lot.pegs), level)
    if not item.make:
        order = _with_supplier(out, order)
    out.planned.append(order)
    if order.release_date < out.snapshot.today:
        out.exceptions.append(_past_due_release(order))
    if passed_over is not None:
        ref, due = passed_over
        horizon = out.snapshot.expedite_horizon_days
        out.exceptions.append(Exception_(
            "beyond_horizon", code, order.id,
            f"{order.id} ({code}) covers the need on {order.need_date} rather than expediting "
            f"{ref}, due {due}: {_days(due - order.need_date)} later, beyond the "
            f"{horizon}-day expedite horizon", order.need_date))
    if item.make:
        _explode(item, order, out.demand)


def preferred_supplier(approved: tuple[str, ...],
                       flagged: frozenset[str]) -> tuple[str, bool]:
    """(the supplier a planned purchase proposes, whether every approved one is
    flagged): the first approved not flagged, else the first (rule 5)."""
    if not approved:
        return "", False
    chosen = next((s for s in approved if s not in flagged), None)
    return (chosen, False) if chosen is not None else (approved[0], True)


def _with_supplier(out: _Run, order: PlannedOrder) -> PlannedOrder:
    approved = out.snapshot.suppliers.get(order.item, ())
    supplier, all_flagged = preferred_supplier(approved, out.snapshot.flagged_suppliers)
    if all_flagged:
        out.exceptions.append(Exception_(
            "suppliers_flagged", order.item, order.id,
            f"{order.id} ({order.item}): every approved supplier is flagged for incoming "
            f"quality ({', '.join(approved)}); {supplier}, the preferred one, is proposed",
            order.need_date))
    return replace(order, supplier=supplier) if supplier else order


def _receipt(out: _Run, code: str, lot: _Lot, pulled_to: date | None) -> None:
    out.exceptions.extend(_receipt_messages(code, lot, pulled_to,
                                            out.snapshot.expedite_horizon_days))
    out.receipts.append(PeggedReceipt(lot.ref, code, lot.kind, lot.qty, lot.due, lot.when,
                                      tuple(lot.pegs)))
    if lot.kind == "work_order":
        out.tops[lot.ref] = (_tops(lot.pegs), lot.qty)


def _days(span: timedelta) -> str:
    return "1 day" if span.days == 1 else f"{span.days} days"


def _past_due_release(order: PlannedOrder) -> Exception_:
    return Exception_(
        "past_due_release",
        order.item,
        order.id,
        f"{order.id} for {order.item} should have been released on {order.release_date}",
        order.release_date,
    )


def _tops(pegs: list[Peg] | tuple[Peg, ...]) -> list[tuple[str, Decimal]]:
    """The pegged quantity per top-level order, in the order first pegged."""
    by_top: dict[str, Decimal] = {}
    for p in pegs:
        by_top[p.top] = by_top.get(p.top, ZERO) + p.qty
    return list(by_top.items())


def _shares(total: Decimal, tops: list[tuple[str, Decimal]], base: Decimal,
            own: str) -> list[tuple[str, Decimal]]:
    """``total`` split over ``tops`` in proportion to their part of ``base``
    (what the parent lot makes); the part of ``base`` no top takes goes to
    ``own``. Cumulative shares are rounded to 6 places, so they add up."""
    parts = list(tops)
    pegged = sum((q for _, q in parts), ZERO)
    if base > pegged:
        parts.append((own, base - pegged))
    whole = max(base, pegged)
    if whole <= 0:
        return [(own, total)]
    out: list[tuple[str, Decimal]] = []
    cum = done = ZERO
    for top, q in parts:
        cum += q
        upto = total if cum >= whole else (total * cum / whole).quantize(QTY, ROUND_HALF_UP)
        if upto > done:
            out.append((top, upto - done))
        done = upto
    return out


def _explode(item: PlanItem, order: PlannedOrder, demand: dict[str, list[Demand]]) -> None:
    """A planned make order's components are needed on its release date,
    pegged to every top-level order it serves in proportion (rule 4)."""
    good = (order.qty * item.yield_factor).quantize(QTY) if item.yield_factor != 1 else order.qty
    tops = _tops(order.pegs)
    for comp in item.components:
        qty = (order.qty * comp.qty_per * (1 + comp.scrap_allowance)).quantize(
            QTY, rounding=ROUND_CEILING
        )
        for top, share in _shares(qty, tops, good, order.id):
            demand[comp.item].append(
                Demand(order.id, comp.item, share, order.release_date, "planned", top))


def _through_work_orders(reqs, tops) -> list[Demand]:
    """An open work order's material lines, pegged on to the top-level orders
    the work order itself serves (rule 4)."""
    out = []
    for d in reqs:
        if d.kind == "work_order" and d.top in tops:
            pegs, base = tops[d.top]
            out += [Demand(d.id, d.item, share, d.due, d.kind, top)
                    for top, share in _shares(d.qty, pegs, base, d.top)]
        else:
            out.append(d)
    return out


def _net(
    item: PlanItem, reqs: list[Demand], lots: list[_Lot], today: date,
    pulled: dict[str, date], passed: dict[int, tuple[str, date]], horizon: int,
) -> list[tuple[date, Decimal]]:
    """Planned receipts (need date, order qty) keeping projected >= safety stock.

    A requirement split over several top-level orders nets as one. Scheduled
    receipts count from their due date; when the projection would
    fall short before a later receipt arrives, that receipt is counted as
    pulled in (recorded in ``pulled`` with the day it is needed, reported as
    *expedite*) before anything new is planned, so a late purchase is never
    duplicated by a planned one; unless it is due more than ``horizon`` days
    after that day: then a new order is planned (``passed``: its index -> the
    receipt passed over and its due date).
    """
    arrivals = deque(sorted(((lot.due, lot.qty, lot.ref) for lot in lots),
                            key=lambda a: (a[0], a[2])))
    merged: dict[tuple[date, str], Decimal] = {}  # a requirement split over tops nets whole
    for r in reqs:
        merged[(r.due, r.id)] = merged.get((r.due, r.id), ZERO) + r.qty
    needs = sorted([(due, qty) for (due, _), qty in merged.items()] + [(today, ZERO)],
                   key=lambda n: n[0])
    projected = ZERO
    new: list[tuple[date, Decimal]] = []
    for day, qty in needs:
        while arrivals and arrivals[0][0] <= day:
            projected += arrivals.popleft()[1]
        projected -= qty
        while (projected < item.safety_stock and arrivals
               and (arrivals[0][0] - day).days <= horizon):
            due, more, ref = arrivals.popleft()  # expedite the next scheduled receipt
            projected += more
            pulled[ref] = day
        if projected < item.safety_stock:
            if arrivals:
                passed[len(new)] = (arrivals[0][2], arrivals[0][0])
            shortfall = item.safety_stock - projected
            started = (
                (shortfall / item.yield_factor).quantize(QTY, rounding=ROUND_CEILING)
                if item.yield_factor not in (0, 1)
                else shortfall
            )
            order = lot_size(item, started)
            good = (order * item.yield_factor).quantize(QTY) if item.yield_factor != 1 else order
            new.append((max(day, today), order))
            projected += good
    return new

def _peg(item: PlanItem, reqs: list[Demand], lots: list[_Lot]) -> None:
    """Allocate requirements first-in first-out to the lots; safety stock last."""
    queue = deque(lot for lot in lots if lot.qty > 0)
    needs = [(r.id, r.top or r.id, r.due, r.qty) for r in reqs]
    if item.safety_stock > 0:
        needs.append((SAFETY, SAFETY, date.max, item.safety_stock))
    for ref, top, due, qty in needs:
        left = qty
        while left > 0 and queue:
            lot = queue[0]
            free = lot.qty * (item.yield_factor if lot.planned else 1) - lot.used
            if free <= 0:
                queue.popleft()
                continue
            take = min(free, left)
            if take.quantize(QTY) == 0:
                # Less than half a QTY left (a yield remainder): a peg would round to
                # zero and never use the lot up, so the loop would not end.
                if free <= left:
                    queue.popleft()
                else:
                    left = ZERO
                continue
            lot.pegs.append(Peg(ref, top, take.quantize(QTY)))
            lot.used += take.quantize(QTY)
            if lot.first_need is None:
                lot.first_need = due
            left -= take


def _receipt_messages(item: str, lot: _Lot, pulled_to: date | None,
                      horizon: int) -> list[Exception_]:
    if pulled_to is not None and pulled_to < lot.due:
        return [Exception_("expedite", item, lot.ref,
                           f"{lot.ref} ({item}) due {lot.due} is needed on {pulled_to}: "
                           f"expedite it, {_days(lot.due - pulled_to)} earlier (within "
                           f"the {horizon}-day expedite horizon)", pulled_to)]
    if lot.first_need is None:
        return [Exception_("cancel", item, lot.ref, f"{lot.ref} ({item}) is not needed")]
    if lot.first_need == date.max or lot.first_need <= lot.due:
        return []  # needed on time, or only keeps safety stock
    if lot.first_need - lot.due > DEFER_AFTER:
        return [Exception_("defer", item, lot.ref,
                           f"{lot.ref} ({item}) due {lot.due} is first needed on "
                           f"{lot.first_need}", lot.first_need)]
    return []
