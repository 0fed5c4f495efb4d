"""Reads of the open items and cash documents: open items as of a date, aging,
party statements (对账单), and the sub-ledger to GL reconciliation.

Amounts follow the open items' sign: receivables debit-positive (what the
customer owes us), payables credit-positive (what we owe the supplier).
Aging and statements are pure functions over the rows read here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, func, select

from domain.errors import ValidationError
from domain.finance.cash import CONTROL_ACCOUNT, PREPAYMENT_ACCOUNT
from domain.finance.open_items import Ledger
from domain.money import from_cents
from projections.ledger_queries import leaf_balances
from projections.tables import (
    cash_document_lines,
    cash_documents,
    ledger_lines,
    open_item_settlements,
    open_items,
    parties,
)

ZERO = Decimal("0.00")

# Aging buckets by days since the document date: (label, first day, last day).
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    (">90", 91, None),
)


def check_ledger(value: str | Ledger) -> Ledger:
    try:
        return value if isinstance(value, Ledger) else Ledger(str(value).lower())
    except ValueError:
        raise ValidationError("ledger must be receivable or payable", "ledger") from None


# -- open items -------------------------------------------------------------------------
@dataclass(frozen=True)
class SettlementView:
    by_document: str
    day: date
    amount: Decimal


@dataclass(frozen=True)
class OpenItemView:
    ledger: str
    account: str
    party: str
    party_name: str
    document_kind: str
    document: str
    document_date: date
    due_date: date
    amount: Decimal
    settled: Decimal  # as of the date asked for
    settlements: list[SettlementView] = field(default_factory=list)

    @property
    def open_amount(self) -> Decimal:
        return self.amount - self.settled


def open_items_view(
    conn: Connection,
    *,
    ledger: Ledger | None = None,
    party: str | None = None,
    account: str | None = None,
    as_of: date | None = None,
    include_settled: bool = False,
) -> list[OpenItemView]:
    """Items dated on or before ``as_of`` (default: all), with what was settled
    of them by then; settled ones only when asked for. By party, date, document."""
    o = open_items
    q = (select(o, parties.c.name.label("party_name"))
         .outerjoin(parties, parties.c.code == o.c.party))
    for col, value in ((o.c.ledger, ledger.value if ledger else None), (o.c.party, party),
                       (o.c.account, account)):
        if value:
            q = q.where(col == value)
    if as_of is not None:
        q = q.where(o.c.document_date <= as_of)
    rows = conn.execute(q.order_by(o.c.party, o.c.document_date, o.c.position)).all()
    s = open_item_settlements
    sq = select(s.c.item_id, s.c.by_document, s.c.day, s.c.amount_cents).order_by(
        s.c.item_id, s.c.seq)
    if as_of is not None:
        sq = sq.where(s.c.day <= as_of)
    ids = {r.item_id for r in rows}
    by_item: dict[str, list[SettlementView]] = defaultdict(list)
    if ids:
        for chunk in _chunks(sorted(ids), 500):
            for r in conn.execute(sq.where(s.c.item_id.in_(chunk))):
                by_item[r.item_id].append(
                    SettlementView(r.by_document, r.day, from_cents(r.amount_cents)))
    result = []
    for r in rows:
        settled = by_item.get(r.item_id, [])
        view = OpenItemView(
            r.ledger, r.account, r.party, r.party_name or "", r.document_kind, r.document,
            r.document_date, r.due_date, from_cents(r.amount_cents),
            sum((x.amount for x in settled), ZERO), settled)
        if include_settled or view.open_amount != 0:
            result.append(view)
    return result


def _chunks(values: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


# -- aging ------------------------------------------------------------------------------
def bucket_of(days: int) -> int:
    """Index into BUCKETS for an item ``days`` old (a future-dated item counts as 0)."""
    for i, (_, _first, last) in enumerate(BUCKETS):
        if last is None or max(days, 0) <= last:
            return i
    raise AssertionError("the last bucket is open-ended")


@dataclass(frozen=True)
class AgingRow:
    party: str
    party_name: str
    buckets: tuple[Decimal, ...]  # in BUCKETS order

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


@dataclass(frozen=True)
class Aging:
    ledger: str
    account: str
    as_of: date
    rows: list[AgingRow]
    totals: tuple[Decimal, ...]
    gl_balance: Decimal  # the account's balance on the same date, signed as the items

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)

    @property
    def difference(self) -> Decimal:
        return self.total - self.gl_balance


def age(items: Iterable[OpenItemView], as_of: date) -> tuple[list[AgingRow], tuple[Decimal, ...]]:
    """Open amounts per party in the aging buckets (pure)."""
    per_party: dict[str, list[Decimal]] = {}
    names: dict[str, str] = {}
    for item in items:
        sums = per_party.setdefault(item.party, [ZERO] * len(BUCKETS))
        names[item.party] = item.party_name
        sums[bucket_of((as_of - item.document_date).days)] += item.open_amount
    rows = [AgingRow(p, names[p], tuple(v)) for p, v in sorted(per_party.items())]
    totals = tuple(sum((r.buckets[i] for r in rows), ZERO) for i in range(len(BUCKETS)))
    return rows, totals


def aging(conn: Connection, ledger: Ledger, as_of: date, *, account: str | None = None,
          party: str | None = None) -> Aging:
    """账龄分析 of one account (default: 1122 for receivables, 220201 for payables)
    as of a date; without a party filter the total equals the GL balance."""
    account = account or CONTROL_ACCOUNT[ledger]
    items = open_items_view(conn, ledger=ledger, account=account, party=party, as_of=as_of)
    rows, totals = age(items, as_of)
    return Aging(ledger.value, account, as_of, rows, totals,
                 gl_balance(conn, ledger, account, as_of))


# -- GL balances and reconciliation -------------------------------------------------------
def gl_balance(conn: Connection, ledger: Ledger, account: str, as_of: date | None = None
               ) -> Decimal:
    """The account's balance (with its sub-accounts), signed as the ledger's items."""
    if as_of is None:
        # Everything posted: the opening of a period after every real one.
        net = sum(o + d - c for code, (o, d, c) in leaf_balances(conn, "9999-12").items()
                  if code.startswith(account))
    else:
        ln = ledger_lines
        net = conn.execute(
            select(func.coalesce(func.sum(ln.c.debit_cents - ln.c.credit_cents), 0)).where(
                and_(ln.c.account_code.startswith(account), ln.c.posting_date <= as_of))
        ).scalar_one()
    net = from_cents(int(net))
    return net if ledger is Ledger.RECEIVABLE else -net


@dataclass(frozen=True)
class SubledgerReconciliation:
    ledger: str
    account: str
    open_items: Decimal
    gl_balance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.open_items - self.gl_balance


def reconciliation(conn: Connection, as_of: date | None = None
                   ) -> list[SubledgerReconciliation]:
    """Open items against the GL per ledger and account: AR = 1122, AP = 220201,
    customer prepayments = 2203, supplier prepayments = 1123 (and any other
    account items were opened on)."""
    o, s = open_items, open_item_settlements
    q = select(o.c.ledger, o.c.account, func.sum(o.c.amount_cents)).group_by(
        o.c.ledger, o.c.account)
    sq = (select(o.c.ledger, o.c.account, func.sum(s.c.amount_cents))
          .join(o, o.c.item_id == s.c.item_id).group_by(o.c.ledger, o.c.account))
    if as_of is not None:
        q = q.where(o.c.document_date <= as_of)
        sq = sq.where(s.c.day <= as_of)
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for led in Ledger:
        for acc in (CONTROL_ACCOUNT[led], PREPAYMENT_ACCOUNT[led]):
            sums[(led.value, acc)] += 0
    for led, acc, cents in conn.execute(q):
        sums[(led, acc)] += int(cents or 0)
    for led, acc, cents in conn.execute(sq):
        sums[(led, acc)] -= int(cents or 0)
    return [SubledgerReconciliation(led, acc, from_cents(cents),
                                    gl_balance(conn, Ledger(led), acc, as_of))
            for (led, acc), cents in sorted(sums.items())]


# -- statements -------------------------------------------------------------------------
@dataclass(frozen=True)
class Movement:
    """One change of a party's balance: an item opened (+) or settled (-)."""

    day: date
    document: str
    kind: str
    amount: Decimal
    position: int


@dataclass(frozen=True)
class StatementRow:
    day: date
    document: str
    kind: str
    increase: Decimal  # the party owes more (customer) / we owe more (supplier)
    decrease: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Statement:
    party: str
    party_name: str
    ledger: str
    date_from: date
    date_to: date
    opening: Decimal
    rows: list[StatementRow]
    increase: Decimal
    decrease: Decimal
    closing: Decimal


def statement_rows(movements: Iterable[Movement], date_from: date, date_to: date
                   ) -> tuple[Decimal, list[StatementRow]]:
    """Opening balance and one row per document and day in the range, with a
    running balance (pure). A document that both raises and lowers the balance
    (a prepayment applied) shows both sides."""
    ordered = sorted(movements, key=lambda m: (m.day, m.position))
    opening = sum((m.amount for m in ordered if m.day < date_from), ZERO)
    groups: dict[tuple[date, str], list[Movement]] = {}
    for m in ordered:
        if date_from <= m.day <= date_to:
            groups.setdefault((m.day, m.document), []).append(m)
    balance = opening
    rows = []
    for (day, document), ms in groups.items():
        up = sum((m.amount for m in ms if m.amount > 0), ZERO)
        down = -sum((m.amount for m in ms if m.amount < 0), ZERO)
        balance += up - down
        rows.append(StatementRow(day, document, ms[0].kind, up, down, balance))
    return opening, rows


def party_statement(conn: Connection, party: str, date_from: date, date_to: date,
                    ledger: Ledger | None = None) -> Statement | None:
    """对账单 of a customer (receivables and its prepayments) or a supplier
    (payables and prepayments to it); ``ledger`` defaults to the party's role."""
    if date_to < date_from:
        raise ValidationError("to is before from", "to")
    p = conn.execute(select(parties).where(parties.c.code == party)).first()
    if p is None:
        return None
    ledger = ledger or (Ledger.RECEIVABLE if p.is_customer else Ledger.PAYABLE)
    o, s = open_items, open_item_settlements
    base = and_(o.c.party == party, o.c.ledger == ledger.value, o.c.document_date <= date_to)
    movements = [
        Movement(r.document_date, r.document, r.document_kind, from_cents(r.amount_cents),
                 r.position)
        for r in conn.execute(select(o).where(base))
    ]
    # A red invoice and its blue one settle each other, each naming the other:
    # the two settlements cancel, and the red invoice's own row shows the credit.
    settled = conn.execute(
        select(s.c.day, s.c.by_document, s.c.amount_cents, s.c.position)
        .join(o, o.c.item_id == s.c.item_id)
        .where(base, s.c.day <= date_to)).all()
    cash = _cash_kinds(conn, {r.by_document for r in settled})
    own = {m.document for m in movements} - set(cash)
    settled = [r for r in settled if r.by_document not in own]
    kinds = {**_item_kinds(conn, {r.by_document for r in settled}), **cash}
    movements += [Movement(r.day, r.by_document, kinds.get(r.by_document, "settlement"),
                           -from_cents(r.amount_cents), r.position) for r in settled]
    opening, rows = statement_rows(movements, date_from, date_to)
    # Supplier invoices are keyed "SUPPLIER/number"; the statement is one party's.
    rows = [replace(r, document=r.document.removeprefix(f"{party}/")) for r in rows]
    up = sum((r.increase for r in rows), ZERO)
    down = sum((r.decrease for r in rows), ZERO)
    return Statement(party, p.name, ledger.value, date_from, date_to, opening, rows, up, down,
                     opening + up - down)


def _kinds(conn: Connection, key, kind, numbers: set[str]) -> dict[str, str]:
    """``key -> kind`` for the given numbers (in chunks, under bind-parameter limits):
    cash documents by number, or the documents that opened items."""
    kinds: dict[str, str] = {}
    for chunk in _chunks(sorted(numbers), 500):
        kinds.update(conn.execute(select(key, kind).where(key.in_(chunk))).all())
    return kinds


def _cash_kinds(conn: Connection, numbers: set[str]) -> dict[str, str]:
    return _kinds(conn, cash_documents.c.number, cash_documents.c.kind, numbers)


def _item_kinds(conn: Connection, numbers: set[str]) -> dict[str, str]:
    """A red invoice settling its blue one is named by the item it opened."""
    return _kinds(conn, open_items.c.document, open_items.c.document_kind, numbers)


# -- cash documents ---------------------------------------------------------------------
@dataclass(frozen=True)
class CashLineView:
    line_no: int
    document: str
    account: str
    amount: Decimal
    memo: str


@dataclass(frozen=True)
class CashDocumentView:
    number: str
    kind: str
    posting_date: date
    party: str
    bank_account: str
    amount: Decimal
    prepayment: Decimal
    vat: Decimal
    credit_document: str
    payee: str
    reference: str
    memo: str
    entry_id: str
    voucher_no: str
    position: int
    lines: list[CashLineView]


def cash_document_views(conn: Connection, *, kind: str | None = None,
                        party: str | None = None, number: str | None = None,
                        date_from: date | None = None, date_to: date | None = None
                        ) -> list[CashDocumentView]:
    d = cash_documents
    q = select(d)
    for col, value in ((d.c.kind, kind), (d.c.party, party), (d.c.number, number)):
        if value:
            q = q.where(col == value)
    if date_from:
        q = q.where(d.c.posting_date >= date_from)
    if date_to:
        q = q.where(d.c.posting_date <= date_to)
    rows = conn.execute(q.order_by(d.c.position)).all()
    lines: dict[str, list[CashLineView]] = defaultdict(list)
    numbers = [r.number for r in rows]
    ln = cash_document_lines
    for chunk in _chunks(numbers, 500):
        for r in conn.execute(select(ln).where(ln.c.number.in_(chunk))
                              .order_by(ln.c.number, ln.c.line_no)):
            lines[r.number].append(CashLineView(r.line_no, r.document, r.account,
                                                from_cents(r.amount_cents), r.memo))
    return [CashDocumentView(
        r.number, r.kind, r.posting_date, r.party, r.bank_account, from_cents(r.amount_cents),
        from_cents(r.prepayment_cents), from_cents(r.vat_cents), r.credit_document, r.payee,
        r.reference, r.memo, r.entry_id, r.voucher_no, r.position, lines[r.number])
        for r in rows]


def cash_document(conn: Connection, number: str) -> CashDocumentView | None:
    found = cash_document_views(conn, number=number)
    return found[0] if found else None
