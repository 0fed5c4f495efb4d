"""Backdated movements settled by one adjustment, never by reposting.

A receipt or issue dated earlier than later movements of the same stock
(still in an open period: the date gate refuses a closed one) would, under a
strict moving average, change the value of every later issue. ERPNext
reposts them all ("repost item valuation"), which takes hours on a busy
item. Here the later movements stay as they were recorded; one fact
(``StockBalance.BackdatedMovementSettled``) and the lines it adds to the
document's own voucher settle the difference, from per-day totals the
balance keeps (``domain/inventory/flows.py``), so the work does not grow
with the number of later movements.

The rule, from the balance on hand at the end of the backdated date (Q, V,
before the line) and what left after it (C units):

- A receipt of q at v differs from that day's average by
  ``D = v - round(q x V / Q, 2)``. Had it been there, the share of that
  difference the later issues would have taken is ``C / (N + q)``, N = what
  was available since the date (on hand now + C): exact under the moving
  average when nothing was received in between, the weighted average of the
  window otherwise. So ``consumed = round(D x C / (N + q), 2)`` leaves stock
  (Cr inventory) for where those issues went, split by their quantities,
  the last taking the rounding: the open work order's WIP (Dr 400101 and its
  material cost) for a material issue, 5401 主营业务成本 for everything else
  (shipments, and issues to orders whose WIP is already relieved), as the
  purchase-invoice price difference does. The rest of ``v`` stays on hand.
- An issue of k, recorded at today's average, is worth the average at the end
  of its date, ``round(k x V / Q, 2)``: the difference goes with it to its own
  destination (its order's WIP, else the document's offset account, 5401 by
  default) and the rest stays on hand. What it would change in later issues'
  averages is second order and is not chased. It must have been on hand that
  day and on every later one: ``NEGATIVE_LATER`` otherwise
  (``StockBalance.issue``).

Stock never goes below zero value: a consumed share is capped at what stays.
The fact carries the trace: the date, the stock on hand at its end, the
quantity consumed since, and each destination's quantity and amount.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.catalog import lookups
from domain.catalog.engineering import SETTINGS_ID, ProductionSettings
from domain.inventory.documents import DocumentKind, DocumentLine, document_id
from domain.inventory.flows import Since
from domain.inventory.stock import Movement, StockBalance, stock_id
from domain.inventory.valuation import issue_value
from domain.ledger.voucher import Voucher
from domain.money import round_amount, split_by_qty
from domain.transcodings import transcoded
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
ZERO_QTY = Decimal("0.000000")
COST_OF_SALES = "5401"
SETTLEMENT = "backdated"  # the movement kind of a settlement on the stock card

# Kinds valued at the moving average (issues) or bringing a cost of their own
# (receipts): the ones a backdate settles. Returns come back at the value they
# left with and transfers carry the source's value, so they are not settled.
RECEIPTS = {DocumentKind.RECEIPT, DocumentKind.ADJUSTMENT, DocumentKind.COUNT,
            DocumentKind.COMPLETION}
ISSUES = {DocumentKind.SHIPMENT, DocumentKind.MATERIAL_ISSUE, DocumentKind.ADJUSTMENT,
          DocumentKind.COUNT}


@transcoded("BackdatedShare")
@dataclass(frozen=True)
class BackdatedShare:
    """Where part of a settlement went: ``wip`` (work order/material line) or
    ``cost`` (an account, 5401 by default), with its quantity and amount."""

    target: str
    reference: str
    account: str
    qty: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Settlement:
    """The numbers of one backdated line (pure): the stock on hand at the end
    of its date (before it), what left since, and the amount settled."""

    at_qty: Decimal
    at_value: Decimal
    consumed_qty: Decimal
    amount: Decimal  # leaves stock for the destinations (negative: comes back)


# -- the rule (pure) ------------------------------------------------------------------
def settle_receipt(since: Since, qty_before: Decimal, value_before: Decimal, qty: Decimal,
                   value: Decimal) -> Settlement:
    """A receipt of ``qty`` at ``value`` dated before ``since``'s movements;
    ``qty_before``/``value_before``: the balance now, without it."""
    at_qty, at_value, consumed = since.at_qty, since.at_value, since.qty
    pool_qty = qty_before + consumed  # on hand at the date + received since
    if consumed <= 0 or pool_qty <= 0:
        return Settlement(at_qty, at_value, ZERO_QTY, ZERO)
    if at_qty > 0:
        average_value = round_amount(qty * at_value / at_qty)
    else:  # nothing on hand that day: compare with what came in since
        average_value = round_amount(qty * (value_before + since.value) / pool_qty)
    amount = round_amount((value - average_value) * consumed / (pool_qty + qty))
    amount = min(amount, value_before + value)  # never below zero value on hand
    return Settlement(at_qty, at_value, consumed, amount)


def settle_issue(since: Since, qty_before: Decimal, value_before: Decimal, qty: Decimal,
                 taken: Decimal) -> Settlement:
    """An issue of ``qty`` that took ``taken`` (today's average, as recorded)
    is worth the average at the end of its date instead."""
    at_qty, at_value = since.at_qty, since.at_value
    if qty >= qty_before or at_qty <= 0:  # it took all there was: nothing stays to settle
        return Settlement(at_qty, at_value, ZERO_QTY, ZERO)
    amount = issue_value(at_qty, at_value, min(qty, at_qty)) - taken
    amount = min(amount, value_before - taken)  # what stays never goes below zero
    amount = max(amount, -taken)  # nor does the issue
    return Settlement(at_qty, at_value, ZERO_QTY, amount)


# -- where a share goes -------------------------------------------------------------------
# Production charges an open work order's material WIP; it registers itself
# here (inventory sits below production in the import layers), see
# ``domain/production/materials.py``. It returns False when the order's WIP
# is already relieved (the share then goes to 5401).
WipCharge = Callable[[UnitOfWork, str, int, Decimal, str], bool]
_wip_charge: list[WipCharge] = []


def register_wip_charge(charge: WipCharge) -> None:
    _wip_charge[:] = [charge]


def wip_account(uow: UnitOfWork) -> str:
    if uow.exists(SETTINGS_ID):
        return uow.peek(SETTINGS_ID).production.wip_account
    return ProductionSettings().wip_account


def _order_line(uow: UnitOfWork, destination: str) -> tuple[str, int] | None:
    """The work order and material line a material issue fed: named by the
    issue (``WO-000001/1``), or by its document line for issues stored before
    they named it (``doc:MI-000001/1``)."""
    if not destination:
        return None
    if not destination.startswith("doc:"):
        order, _, line = destination.rpartition("/")
        return order, int(line)
    number, _, line = destination.removeprefix("doc:").rpartition("/")
    if not uow.exists(document_id(number)):
        return None
    doc = uow.peek(document_id(number))
    found = next((d for d in doc.lines if d.line_no == int(line)), None)
    if found is None or not doc.order:
        return None
    return doc.order, found.order_line


def destinations(uow: UnitOfWork, since: Since, amount: Decimal, reference: str
                 ) -> list[BackdatedShare]:
    """``amount`` over what left since, by quantity: open work orders' WIP
    (charged now) or 5401."""
    keys = sorted(since.to)
    by_target: dict[tuple[str, str, str], list[Decimal]] = {}
    for key, part in zip(keys, split_by_qty(amount, [since.to[k] for k in keys]), strict=True):
        target = ("cost", COST_OF_SALES, COST_OF_SALES)
        order = _order_line(uow, key)
        if order is not None and part and _wip_charge and _wip_charge[0](
                uow, order[0], order[1], part, reference):
            target = ("wip", f"{order[0]}/{order[1]}", wip_account(uow))
        q, a = by_target.get(target, [ZERO_QTY, ZERO])
        by_target[target] = [q + since.to[key], a + part]
    return [BackdatedShare(t, r, acc, q, a) for (t, r, acc), (q, a) in by_target.items() if a]


def own_destination(uow: UnitOfWork, line: DocumentLine, kind: DocumentKind, order: str,
                    number: str, amount: Decimal, offset: str) -> BackdatedShare:
    """A backdated issue's own adjustment goes where the issue went."""
    qty = -line.qty
    if (kind is DocumentKind.MATERIAL_ISSUE and order and _wip_charge
            and _wip_charge[0](uow, order, line.order_line, amount, number)):
        return BackdatedShare("wip", f"{order}/{line.order_line}", wip_account(uow), qty, amount)
    return BackdatedShare("cost", offset, offset, qty, amount)


# -- settling a document's backdated lines ---------------------------------------------------
@dataclass(frozen=True)
class Pending:
    """A backdated line settled in the voucher, to record on its balance once
    the voucher has its id."""

    balance: StockBalance
    line_no: int
    since_day: date
    settlement: Settlement
    shares: tuple[BackdatedShare, ...]


def settle_document(uow: UnitOfWork, kind: DocumentKind, day: date, voucher: Voucher,
                    moves: list[DocumentLine], number: str, order: str, offset: str,
                    already_moved: bool) -> list[Pending]:
    """Settle every line of a document dated before later movements of its
    stock: the voucher gets the shares (Dr destination / Cr inventory), open
    work orders their material cost; the balances' facts follow (``record``)."""
    pending = []
    for ln in moves:
        if ln.to_warehouse or not ln.qty:
            continue
        receipt = ln.qty > 0
        if kind not in (RECEIPTS if receipt else ISSUES):
            continue
        balance: StockBalance = uow.get(stock_id(ln.item, ln.warehouse),
                                        factory=lambda ln=ln: StockBalance(ln.item, ln.warehouse))
        latest = balance.flows.latest
        if latest is None or latest <= day:
            continue
        since = balance.flows.since(day)
        qty_before, value_before = balance.qty, balance.value
        if already_moved:  # the line is in the balance and in its date's close already
            qty_before, value_before = qty_before - ln.qty, value_before - ln.value
            since = replace(since, at_qty=since.at_qty - ln.qty,
                            at_value=since.at_value - ln.value)
        if receipt:
            rule = settle_receipt(since, qty_before, value_before, ln.qty, ln.value)
            shares = destinations(uow, since, rule.amount, number) if rule.amount else []
        else:
            rule = settle_issue(since, qty_before, value_before, -ln.qty, -ln.value)
            shares = [own_destination(uow, ln, kind, order, number, rule.amount, offset)
                      ] if rule.amount else []
        if not shares:
            continue
        account = lookups.item(uow, ln.item).inventory_account
        for share in shares:
            voucher.debit(share.account, share.amount).credit(account, share.amount)
        pending.append(Pending(balance, ln.line_no, day, rule, tuple(shares)))
    return pending


def record(pending: list[Pending], kind: DocumentKind, number: str, entry_id: str) -> None:
    """One fact per settled line on its balance, naming the voucher."""
    for p in pending:
        p.balance.settle_backdated(p.since_day, Movement(SETTLEMENT, number, p.line_no, entry_id),
                                   p.settlement.at_qty, p.settlement.at_value,
                                   p.settlement.consumed_qty, p.shares)
