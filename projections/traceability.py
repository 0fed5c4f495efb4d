"""Lot genealogy (追溯) over the stock read models, and recall.

Every stock movement names its document, and every document its order: a
receipt (GR) its purchase order and supplier, a material issue (MI) and a
completion (FG) their work order, a shipment (SH) its sales order and
customer. So a lot's history is a walk over ``stock_moves`` and
``stock_documents``:

- backward: how an item's lot came in (received from a supplier, or
  completed by a work order), and for a completion every lot of every
  component its work order consumed, recursively;
- forward: which work orders consumed it and which lots they completed,
  recursively, and which shipments sent it to customers.

A work order's output is linked to everything it consumed (the usual
granularity of genealogy). Items that are not lot-tracked have one lot, "":
their genealogy is the item's.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, select

from domain.money import from_micros
from projections.tables import items, stock_bins, stock_documents, stock_moves

MAX_DEPTH = 20


@dataclass(frozen=True)
class TraceLink:
    depth: int
    item: str
    lot: str
    via: str  # receipt | completion | issue | shipment
    document: str
    order: str
    party: str
    qty: Decimal
    day: date
    from_item: str  # the lot this link was reached from
    from_lot: str


def _moves(conn: Connection, kinds: tuple[str, ...], *, item: str | None = None,
           lot: str | None = None, order: str | None = None) -> list:
    m, d = stock_moves.c, stock_documents.c
    q = (select(m.item, m.lot, m.kind, m.document, m.qty_micros, m.posting_date, d.order_no,
                d.party)
         .select_from(stock_moves.join(stock_documents, d.number == m.document))
         .where(m.kind.in_(kinds)).order_by(m.position))
    if item is not None:
        q = q.where(m.item == item, m.lot == lot)
    if order is not None:
        q = q.where(d.order_no == order)
    return conn.execute(q).all()


def _summed(rows: list, sign: int) -> list[tuple]:
    """(item, lot, document, order, party, kind, day) -> total qty (of ``sign``)."""
    total: dict[tuple, int] = defaultdict(int)
    for r in rows:
        total[(r.item, r.lot, r.document, r.order_no, r.party, r.kind, r.posting_date)] += \
            sign * r.qty_micros
    return [(*k, v) for k, v in total.items() if v > 0]


def backward(conn: Connection, item: str, lot: str) -> list[TraceLink]:
    """Where a lot came from, nearest first."""
    links: list[TraceLink] = []
    seen = {(item, lot)}
    todo = deque([(item, lot, 0)])
    while todo:
        it, lt, depth = todo.popleft()
        if depth >= MAX_DEPTH:
            continue
        for i, lo, doc, order, party, kind, day, qty in _summed(
                _moves(conn, ("receipt", "completion"), item=it, lot=lt), 1):
            links.append(TraceLink(depth + 1, i, lo, kind, doc, order, party,
                                   from_micros(qty), day, it, lt))
            if kind != "completion":
                continue
            for ci, cl, mdoc, _, _, _, mday, used in _summed(
                    _moves(conn, ("material_issue",), order=order), -1):
                links.append(TraceLink(depth + 2, ci, cl, "issue", mdoc, order, "",
                                       from_micros(used), mday, it, lt))
                if (ci, cl) not in seen:
                    seen.add((ci, cl))
                    todo.append((ci, cl, depth + 2))
    return sorted(links, key=lambda ln: ln.depth)


def forward(conn: Connection, item: str, lot: str) -> list[TraceLink]:
    """Where a lot went, nearest first."""
    links: list[TraceLink] = []
    seen = {(item, lot)}
    todo = deque([(item, lot, 0)])
    while todo:
        it, lt, depth = todo.popleft()
        if depth >= MAX_DEPTH:
            continue
        moved = _moves(conn, ("material_issue", "shipment"), item=it, lot=lt)
        for i, lo, doc, order, party, kind, day, qty in _summed(moved, -1):
            via = "issue" if kind == "material_issue" else "shipment"
            links.append(TraceLink(depth + 1, i, lo, via, doc, order, party,
                                   from_micros(qty), day, it, lt))
        for order in dict.fromkeys(r.order_no for r in moved if r.kind == "material_issue"):
            for pi, pl, doc, _, _, _, day, qty in _summed(
                    _moves(conn, ("completion",), order=order), 1):
                links.append(TraceLink(depth + 2, pi, pl, "completion", doc, order, "",
                                       from_micros(qty), day, it, lt))
                if (pi, pl) not in seen:
                    seen.add((pi, pl))
                    todo.append((pi, pl, depth + 2))
    return sorted(links, key=lambda ln: ln.depth)


@dataclass(frozen=True)
class LotOnHand:
    item: str
    lot: str
    warehouse: str
    location: str
    qty: Decimal


@dataclass(frozen=True)
class Recall:
    item: str
    lot: str
    finished_lots: tuple[tuple[str, str, Decimal], ...]  # item, lot, qty completed
    on_hand: tuple[LotOnHand, ...]
    shipments: tuple[TraceLink, ...]

    @property
    def customers(self) -> tuple[str, ...]:
        return tuple(sorted({s.party for s in self.shipments}))


def recall(conn: Connection, item: str, lot: str) -> Recall:
    """Everything made from ``item`` ``lot``: the finished lots, the stock of
    it and of them still on hand (by location), and the shipments to customers."""
    links = forward(conn, item, lot)
    lots = {(item, lot)} | {(ln.item, ln.lot) for ln in links if ln.via == "completion"}
    finished_types = {code for (code,) in conn.execute(
        select(items.c.code).where(items.c.item_type == "finished"))}
    made: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for ln in links:
        if ln.via == "completion" and ln.item in finished_types:
            made[(ln.item, ln.lot)] += ln.qty
    b = stock_bins.c
    on_hand = []
    for it, lt in sorted(lots):
        for r in conn.execute(select(stock_bins).where(b.item == it, b.lot == lt,
                                                       b.qty_micros != 0)
                              .order_by(b.warehouse, b.location)):
            on_hand.append(LotOnHand(it, lt, r.warehouse, r.location,
                                     from_micros(r.qty_micros)))
    return Recall(item, lot, tuple((i, lo, q) for (i, lo), q in sorted(made.items())),
                  tuple(on_hand), tuple(ln for ln in links if ln.via == "shipment"))
