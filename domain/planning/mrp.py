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
3. Pegging: requirements are allocated first-in first-out to on hand,
   receipts and planned orders; each planned order lists the requirements it
   serves and their top-level orders. A receipt nothing needs is a *cancel*
   message, one needed before it arrives *expedite*, one needed more than a
   week after it arrives *defer*; a planned order whose release date has
   passed is a *past_due_release*.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from domain.errors import BusinessRuleViolation
from domain.planning.model import (
    Demand,
    Exception_,
    MrpResult,
    Peg,
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
    first_need: date | None = None
    used: Decimal = ZERO  # running total of the pegs (avoids re-summing them)


def plan(snapshot: Snapshot, run: str = "PL") -> MrpResult:
    """Run MRP over ``snapshot``; planned order ids are ``{run}/00001``…"""
    items = snapshot.items
    llc = low_level_codes(items)
    today, cal = snapshot.today, snapshot.calendar
    sales = [d for d in snapshot.demands if d.kind == "sales"]
    demand: dict[str, list[Demand]] = defaultdict(list)
    for d in [*snapshot.demands, *consume_forecasts(snapshot.forecasts, sales)]:
        demand[d.item].append(d)
    receipts: dict[str, list[Supply]] = defaultdict(list)
    for s in snapshot.supplies:
        receipts[s.item].append(s)

    planned: list[PlannedOrder] = []
    exceptions: list[Exception_] = []
    counter = 0
    for code in sorted(items, key=lambda c: (llc[c], c)):
        item = items[code]
        reqs = sorted(demand.get(code, ()), key=lambda d: (d.due, d.id))
        on_hand = snapshot.on_hand.get(code, ZERO)
        lots = [_Lot("ON-HAND", date.min, on_hand, False, [])] if on_hand > 0 else []
        lots += [
            _Lot(s.id, s.due, s.qty, False, [])
            for s in sorted(receipts.get(code, ()), key=lambda s: (s.due, s.id))
        ]
        pulled: dict[str, date] = {}
        new = _net(item, reqs, lots, today, pulled)
        for need, qty in new:
            counter += 1
            release = cal.back(need, item.lead_time_days)
            lots.append(_Lot(f"{run}/{counter:05d}", need, qty, True, []))
            lots[-1].release = release  # type: ignore[attr-defined]
        lots.sort(key=lambda lot: (lot.due, not lot.planned, lot.ref))
        _peg(item, reqs, lots)
        for lot in lots:
            if lot.planned:
                order = _planned_order(code, item, lot, llc[code])
                planned.append(order)
                if order.release_date < today:
                    exceptions.append(_past_due_release(order))
                if item.make:
                    _explode(item, order, demand)
            elif lot.ref != "ON-HAND":
                exceptions.extend(_receipt_messages(code, lot, pulled.get(lot.ref)))
    return MrpResult(tuple(planned), tuple(exceptions), llc)


def _planned_order(code: str, item: PlanItem, lot: _Lot, llc: int) -> PlannedOrder:
    return PlannedOrder(
        lot.ref,
        code,
        "make" if item.make else "buy",
        lot.qty,
        lot.due,
        lot.release,  # type: ignore[attr-defined]
        tuple(lot.pegs),
        llc,
    )


def _past_due_release(order: PlannedOrder) -> Exception_:
    return Exception_(
        "past_due_release",
        order.item,
        order.id,
        f"{order.id} for {order.item} should have been released on {order.release_date}",
        order.release_date,
    )


def _explode(item: PlanItem, order: PlannedOrder, demand: dict[str, list[Demand]]) -> None:
    """A planned make order's components are needed on its release date,
    pegged to the top-level demand it mostly serves."""
    top = max(order.pegs, key=lambda p: p.qty).top if order.pegs else order.id
    for comp in item.components:
        qty = (order.qty * comp.qty_per * (1 + comp.scrap_allowance)).quantize(
            QTY, rounding=ROUND_CEILING
        )
        demand[comp.item].append(
            Demand(order.id, comp.item, qty, order.release_date, "planned", top)
        )


def _net(
    item: PlanItem, reqs: list[Demand], lots: list[_Lot], today: date,
    pulled: dict[str, date],
) -> list[tuple[date, Decimal]]:
    """Planned receipts (need date, order qty) keeping projected >= safety stock.

    Scheduled receipts count from their due date; when the projection would
    fall short before a later receipt arrives, that receipt is counted as
    pulled in (recorded in ``pulled`` with the day it is needed, reported as
    *expedite*) before anything new is planned, so a late purchase is never
    duplicated by a planned one.
    """
    arrivals = deque(sorted(((lot.due, lot.qty, lot.ref) for lot in lots),
                            key=lambda a: (a[0], a[2])))
    needs = sorted([(r.due, r.qty) for r in reqs] + [(today, ZERO)], key=lambda n: n[0])
    projected = ZERO
    new: list[tuple[date, Decimal]] = []
    for day, qty in needs:
        while arrivals and arrivals[0][0] <= day:
            projected += arrivals.popleft()[1]
        projected -= qty
        while projected < item.safety_stock and arrivals:
            due, more, ref = arrivals.popleft()  # expedite the next scheduled receipt
            projected += more
            pulled[ref] = day
        if projected < item.safety_stock:
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


def _receipt_messages(item: str, lot: _Lot, pulled_to: date | None) -> list[Exception_]:
    if pulled_to is not None and pulled_to < lot.due:
        return [Exception_("expedite", item, lot.ref,
                           f"{lot.ref} ({item}) due {lot.due} is needed on {pulled_to}",
                           pulled_to)]
    if lot.first_need is None:
        return [Exception_("cancel", item, lot.ref, f"{lot.ref} ({item}) is not needed")]
    if lot.first_need == date.max or lot.first_need <= lot.due:
        return []  # needed on time, or only keeps safety stock
    if lot.first_need - lot.due > DEFER_AFTER:
        return [Exception_("defer", item, lot.ref,
                           f"{lot.ref} ({item}) due {lot.due} is first needed on "
                           f"{lot.first_need}", lot.first_need)]
    return []
