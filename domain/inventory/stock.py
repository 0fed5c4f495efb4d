"""Stock balance (库存) of one item in one warehouse.

Quantity and value at moving average, quantities per bin (location and
lot), reservations for sales order lines, and quality's holds: units of a
bin that wait for an inspection decision or a disposition (an inspection lot
or a nonconformance report holds them, ``hold``/``release_hold``) and leave
the bin only once their holder releases them. Every movement event carries
its value (computed once, when the event is made), its business date, the
document it belongs to and the journal entry that posted it, so the stock
card and the ledger tie row for row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from domain.catalog.warehouses import QUARANTINE
from domain.commands import derived_id
from domain.errors import BusinessRuleViolation
from domain.inventory.flows import DayFlows, check_not_negative_later
from domain.inventory.valuation import issue_value
from domain.transcodings import stored_as, transcoded

ZERO_QTY = Decimal("0.000000")
ZERO = Decimal("0.00")


@transcoded("Movement")
@dataclass(frozen=True)
class Movement:
    """What caused a stock movement: document kind, number, line and voucher."""

    kind: str  # receipt, supplier_return, shipment, customer_return, transfer, count, adjustment
    document: str
    line: int = 0
    entry_id: str = ""


# How many of the latest issues a balance remembers (derived state, rebuilt
# from the Issued events on load): enough to say where the goods of a late
# purchase invoice went (domain/invoicing/purchase_invoices.py).
RECENT_ISSUES = 200


@transcoded("IssueTrace")
@dataclass(frozen=True)
class IssueTrace:
    """One past issue: how much left, and by which document line."""

    qty: Decimal
    kind: str
    document: str
    line: int


@stored_as("IssueHistory", encode=lambda h: list(h.traces),
           decode=lambda data: IssueHistory(tuple(data)))
class IssueHistory:
    """The latest issues, oldest first. Immutable, so the copies the aggregate
    cache hands out share it (``__deepcopy__`` returns it): copying 200 traces
    on every load of a hot balance made concurrent issuing a third slower."""

    __slots__ = ("traces",)

    def __init__(self, traces: tuple[IssueTrace, ...] = ()) -> None:
        self.traces = traces

    def __deepcopy__(self, memo: dict) -> IssueHistory:
        return self

    def __iter__(self):
        return iter(self.traces)

    def __reversed__(self):
        return reversed(self.traces)

    def __len__(self) -> int:
        return len(self.traces)

    def plus(self, trace: IssueTrace) -> IssueHistory:
        return IssueHistory((*self.traces[-(RECENT_ISSUES - 1):], trace))


@transcoded("Hold")
@dataclass(frozen=True)
class Hold:
    """Units of one bin held by quality: ``holder`` is the inspection lot or
    nonconformance report they wait for, ``reason`` what they wait for."""

    location: str
    lot: str
    qty: Decimal
    reason: str  # "inspection" (a decision) | "disposition"


AWAITING = {"inspection": "its decision", "disposition": "its disposition"}


class StockOnHold(BusinessRuleViolation):
    """Units held by quality may not leave their bin but by their holder's
    decision or disposition; ``holders`` names the lots and reports holding them."""

    def __init__(self, message: str, holders: tuple[str, ...]) -> None:
        super().__init__("STOCK_ON_HOLD", message)
        self.holders = holders


def stock_id(item: str, warehouse: str) -> uuid.UUID:
    return derived_id("stock", f"{item}@{warehouse}")


def bin_key(location: str, lot: str) -> str:
    return f"{location}|{lot}"


class StockBalance(Aggregate):
    @event("Opened")
    def __init__(self, item: str, warehouse: str):
        self.item = item
        self.warehouse = warehouse
        self.qty = ZERO_QTY
        self.value = ZERO
        self.bins: dict[str, Decimal] = {}
        self.reservations: dict[str, Decimal] = {}
        self.recent_issues = IssueHistory()  # oldest first, at most RECENT_ISSUES
        self.holds: dict[str, Hold] = {}  # holder (IL-…, NCR-…) -> what it holds
        self.flows = DayFlows()  # what left, per business day (backdated movements)

    @classmethod
    def create_id(cls, item: str, warehouse: str) -> uuid.UUID:
        return stock_id(item, warehouse)

    # -- queries ----------------------------------------------------------------
    def in_bin(self, location: str, lot: str = "") -> Decimal:
        return self.bins.get(bin_key(location, lot), ZERO_QTY)

    @property
    def quarantined(self) -> Decimal:
        return sum((q for k, q in self.bins.items() if k.startswith(QUARANTINE + "|")),
                   ZERO_QTY)

    @property
    def reserved(self) -> Decimal:
        return sum(self.reservations.values(), ZERO_QTY)

    @property
    def available(self) -> Decimal:
        """On hand, less quarantine, less what sales orders have reserved."""
        return self.qty - self.quarantined - self.reserved

    def held_in(self, location: str, lot: str = "") -> Decimal:
        """Units of a bin quality holds for a decision or a disposition."""
        return sum((h.qty for h in self.holds.values() if (h.location, h.lot) == (location, lot)),
                   ZERO_QTY)

    def check_not_held(self, qty: Decimal, location: str, lot: str = "") -> None:
        """``qty`` may leave a bin only out of what quality does not hold."""
        held = self.held_in(location, lot)
        if not held:
            return
        free = max(self.in_bin(location, lot) - held, ZERO_QTY)
        if qty <= free:
            return
        holders = tuple(sorted(k for k, h in self.holds.items()
                               if (h.location, h.lot) == (location, lot)))
        waits = ", ".join(f"{k} {self.holds[k].qty.normalize():f} awaiting "
                          f"{AWAITING.get(self.holds[k].reason, self.holds[k].reason)}"
                          for k in holders)
        where = f"{self.warehouse}/{location}" + (f" lot {lot}" if lot else "")
        raise StockOnHold(
            f"{self.item} in {where} is held by quality ({waits}): {free.normalize():f} may "
            f"leave, {qty.normalize():f} requested; held units leave by the inspection "
            "decision or the nonconformance disposition", holders)

    def value_of(self, qty: Decimal) -> Decimal:
        """Moving-average value of issuing ``qty`` now."""
        return issue_value(self.qty, self.value, qty)

    def check_can_issue(
        self, qty: Decimal, location: str, lot: str, *, reservation: str | None = None,
        allow_quarantine: bool = False,
    ) -> None:
        """Refuse negative stock, naming item, warehouse, available and requested."""
        if location == QUARANTINE and not allow_quarantine:
            raise BusinessRuleViolation(
                "STOCK_QUARANTINED",
                f"{self.item} in {self.warehouse}/{QUARANTINE} is in quarantine and cannot "
                "be issued; move it out after inspection",
            )
        in_bin = self.in_bin(location, lot)
        usable = self.available + (self.reservations.get(reservation, ZERO_QTY)
                                   if reservation else ZERO_QTY)
        if location == QUARANTINE:
            usable = in_bin
        limit = min(in_bin, usable)
        if qty > limit:
            where = f"{self.warehouse}/{location}" + (f" lot {lot}" if lot else "")
            raise BusinessRuleViolation(
                "INSUFFICIENT_STOCK",
                f"not enough {self.item} in {where}: available {limit.normalize():f}, "
                f"requested {qty.normalize():f}",
            )
        self.check_not_held(qty, location, lot)

    # -- movements --------------------------------------------------------------
    def receive(self, qty: Decimal, value: Decimal, location: str, lot: str,
                posting_date: date, movement: Movement) -> None:
        self._received(qty, value, location, lot, posting_date, movement)

    @event("Received")
    def _received(self, qty, value, location, lot, posting_date, movement) -> None:
        self.qty += qty
        self.value += value
        key = bin_key(location, lot)
        self.bins[key] = self.bins.get(key, ZERO_QTY) + qty
        self._flows().moved(posting_date, qty, value)

    def issue(self, qty: Decimal, value: Decimal, location: str, lot: str,
              posting_date: date, movement: Movement, *, reservation: str | None = None,
              allow_quarantine: bool = False, to: str = "") -> None:
        """``to``: the work order material line (``WO-000001/1``) a material
        issue feeds, so a backdated movement knows where its share goes."""
        self.check_can_issue(qty, location, lot, reservation=reservation,
                             allow_quarantine=allow_quarantine)
        if value > self.value and qty < self.qty:
            raise BusinessRuleViolation("VALUE_EXCEEDS_STOCK",
                                        f"{self.item}: issue value exceeds stock value")
        latest = self._flows().latest
        if latest is not None and posting_date < latest:
            check_not_negative_later(self.flows.since(posting_date), qty, self.item,
                                     self.warehouse, posting_date)
        consumed = min(self.reservations.get(reservation, ZERO_QTY), qty) if reservation else None
        self._issued(qty, value, location, lot, posting_date, movement, reservation, consumed,
                     to)

    @event("Issued")
    def _issued(self, qty, value, location, lot, posting_date, movement, reservation=None,
                consumed=None, to="") -> None:
        self.qty -= qty
        self.value -= value
        flows = self._flows()
        flows.moved(posting_date, -qty, -value)
        if not to and movement.kind == "material_issue":  # an issue stored before v2
            to = f"doc:{movement.document}/{movement.line}"
        flows.left(posting_date, qty, value, to)
        self.recent_issues = self.recent_issues.plus(
            IssueTrace(qty, movement.kind, movement.document, movement.line))
        key = bin_key(location, lot)
        left = self.bins.get(key, ZERO_QTY) - qty
        if left:
            self.bins[key] = left
        else:
            self.bins.pop(key, None)
        if reservation and consumed:
            left = self.reservations.get(reservation, ZERO_QTY) - consumed
            if left > 0:
                self.reservations[reservation] = left
            else:
                self.reservations.pop(reservation, None)

    def move(self, qty: Decimal, lot: str, from_location: str, to_location: str,
             posting_date: date, movement: Movement) -> None:
        """Between locations of this warehouse: no value changes."""
        if self.in_bin(from_location, lot) < qty:
            self.check_can_issue(qty, from_location, lot, allow_quarantine=True)
        self.check_not_held(qty, from_location, lot)
        if from_location != QUARANTINE and to_location == QUARANTINE and qty > self.available:
            raise BusinessRuleViolation(
                "INSUFFICIENT_STOCK",
                f"{self.item} in {self.warehouse}: only {self.available.normalize():f} "
                "unreserved to move into quarantine",
            )
        self._moved(qty, lot, from_location, to_location, posting_date, movement)

    @event("Moved")
    def _moved(self, qty, lot, from_location, to_location, posting_date, movement) -> None:
        src, dst = bin_key(from_location, lot), bin_key(to_location, lot)
        left = self.bins[src] - qty
        if left:
            self.bins[src] = left
        else:
            del self.bins[src]
        self.bins[dst] = self.bins.get(dst, ZERO_QTY) + qty

    def revalue(self, delta: Decimal, posting_date: date, movement: Movement) -> None:
        """Change value without quantity (price differences, return residue)."""
        if delta:
            self._revalued(delta, posting_date, movement)

    @event("Revalued")
    def _revalued(self, delta, posting_date, movement) -> None:
        self.value += delta
        self._flows().valued(posting_date, delta, left=False)

    def _flows(self) -> DayFlows:
        # Balances cached before flows existed get them on first use.
        if "flows" not in self.__dict__:
            self.flows = DayFlows()
        return self.flows

    def settle_backdated(self, day: date, movement: Movement, at_qty: Decimal,
                         at_value: Decimal, consumed_qty: Decimal, shares: tuple) -> None:
        """A movement dated ``day``, before later ones, settled by one
        adjustment (domain/inventory/backdating.py): ``shares`` leave stock for
        where the later issues went (or, for an issue, where it went);
        ``at_qty``/``at_value``: on hand at the end of ``day``, before it;
        ``consumed_qty``: what left after ``day``."""
        self._backdated_movement_settled(day, movement, at_qty, at_value, consumed_qty,
                                         tuple(shares))

    @event("BackdatedMovementSettled")
    def _backdated_movement_settled(self, posting_date, movement, at_qty, at_value,
                                    consumed_qty, shares) -> None:
        amount = sum((s.amount for s in shares), ZERO)
        self.value -= amount
        self._flows().valued(posting_date, -amount, left=True)

    # -- quality's holds -----------------------------------------------------------------
    def hold(self, holder: str, location: str, lot: str, qty: Decimal, reason: str,
             posting_date: date) -> None:
        """Quality holds ``qty`` of a bin for ``holder`` (an inspection lot
        awaiting its decision, a nonconformance report awaiting disposition),
        in the save of the document that brings the units or of the decision."""
        if qty > 0:
            self._held(holder, location, lot, qty, reason, posting_date)

    @event("Held")
    def _held(self, holder: str, location: str, lot: str, qty: Decimal, reason: str,
              posting_date: date) -> None:
        before = self.holds.get(holder)
        self.holds[holder] = Hold(location, lot, (before.qty if before else ZERO_QTY) + qty,
                                  reason)

    def release_hold(self, holder: str, qty: Decimal | None, posting_date: date) -> Decimal:
        """The holder lets ``qty`` go (all it holds by default); what it released."""
        held = self.holds.get(holder)
        if held is None:
            return ZERO_QTY
        qty = held.qty if qty is None else min(qty, held.qty)
        if qty > 0:
            self._hold_released(holder, held.location, held.lot, qty, posting_date)
        return qty

    @event("HoldReleased")
    def _hold_released(self, holder: str, location: str, lot: str, qty: Decimal,
                       posting_date: date) -> None:
        held = self.holds[holder]
        if held.qty > qty:
            self.holds[holder] = Hold(held.location, held.lot, held.qty - qty, held.reason)
        else:
            del self.holds[holder]

    # -- reservations -------------------------------------------------------------
    def reserve(self, key: str, wanted: Decimal) -> Decimal:
        """Reserve up to ``wanted`` of what is available; return what was reserved."""
        qty = min(wanted, max(self.available, ZERO_QTY))
        if qty > 0:
            self._reserved(key, qty)
        return qty

    @event("Reserved")
    def _reserved(self, key: str, qty: Decimal) -> None:
        self.reservations[key] = self.reservations.get(key, ZERO_QTY) + qty

    def release(self, key: str) -> Decimal:
        qty = self.reservations.get(key, ZERO_QTY)
        if qty > 0:
            self._released(key, qty)
        return qty

    @event("Released")
    def _released(self, key: str, qty: Decimal) -> None:
        self.reservations.pop(key, None)


# -- event versions (docs/architecture.md, "Event naming and versioning rules") ----------
def _issued_v1_v2(state: dict) -> None:
    """v2 names the work order line a material issue feeds (``to``); a v1
    issue did not: its document says (``flows``, ``doc:`` destinations)."""
    state.setdefault("to", "")


StockBalance.Issued.class_version = 2
StockBalance.Issued.upcast_v1_v2 = staticmethod(_issued_v1_v2)
