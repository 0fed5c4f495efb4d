"""Cash and open-item read models: every AR/AP open item with what is settled
of it, each settlement by day, and the cash documents with their lines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, update

from domain.finance.cash import CashDocument
from domain.finance.open_items import OpenItem
from domain.money import to_cents
from projections.runner import Notified
from projections.sql import bulk_insert
from projections.tables import (
    cash_document_lines,
    cash_documents,
    open_item_settlements,
    open_items,
)

ITEM_COLUMNS = ("item_id", "ledger", "account", "party", "document_kind", "document",
                "document_date", "due_date", "amount_cents", "settled_cents", "currency",
                "position")
SETTLEMENT_COLUMNS = ("item_id", "seq", "by_document", "day", "amount_cents", "position")
DOCUMENT_COLUMNS = ("number", "kind", "posting_date", "party", "bank_account", "amount_cents",
                    "prepayment_cents", "vat_cents", "credit_document", "payee", "reference",
                    "memo", "entry_id", "voucher_no", "position")
LINE_COLUMNS = ("number", "line_no", "document", "account", "amount_cents", "memo")


class CashProjection:
    name = "cash"
    tables = (open_items, open_item_settlements, cash_documents, cash_document_lines)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        items: list[tuple[Any, ...]] = []
        settlements: list[tuple[Any, ...]] = []
        docs: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        settled: dict[str, int] = defaultdict(int)
        opened_here: dict[str, list[Any]] = {}
        for note in batch:
            ev = note.event
            if isinstance(ev, OpenItem.Settled):
                item_id = str(ev.originator_id)
                cents = to_cents(ev.amount)
                settlements.append((item_id, ev.originator_version, ev.by_document, ev.day,
                                    cents, note.position))
                if item_id in opened_here:  # opened in this batch: not in the table yet
                    opened_here[item_id][9] += cents
                else:
                    settled[item_id] += cents
            elif isinstance(ev, OpenItem.Opened):
                row = [str(ev.originator_id), ev.ledger.value, ev.account, ev.party,
                       ev.document_kind, ev.document, ev.document_date, ev.due_date,
                       to_cents(ev.amount), 0, ev.currency, note.position]
                opened_here[row[0]] = row
                items.append(row)
            elif isinstance(ev, CashDocument.Recorded):
                docs.append(_document_row(ev, note.position))
                lines.extend(_line_rows(ev))
        bulk_insert(conn, open_items, ITEM_COLUMNS, [tuple(r) for r in items])
        bulk_insert(conn, open_item_settlements, SETTLEMENT_COLUMNS, settlements)
        bulk_insert(conn, cash_documents, DOCUMENT_COLUMNS, docs)
        bulk_insert(conn, cash_document_lines, LINE_COLUMNS, lines)
        if settled:
            conn.execute(
                update(open_items)
                .where(open_items.c.item_id == bindparam("key"))
                .values(settled_cents=open_items.c.settled_cents + bindparam("add")),
                [{"key": k, "add": v} for k, v in sorted(settled.items())],
            )


def _document_row(ev: Any, position: int) -> tuple[Any, ...]:
    return (ev.number, ev.kind.value, ev.posting_date, ev.party, ev.bank_account,
            to_cents(ev.amount), to_cents(ev.prepayment), to_cents(ev.vat),
            ev.credit_document, ev.payee, ev.reference, ev.memo, ev.entry_id, ev.voucher_no,
            position)


def _line_rows(ev: Any) -> list[tuple[Any, ...]]:
    rows = [(ev.number, i, a.document, "", to_cents(a.amount), "")
            for i, a in enumerate(ev.allocations, 1)]
    start = len(rows)
    rows += [(ev.number, start + i, "", ln.account, to_cents(ln.amount), ln.memo)
             for i, ln in enumerate(ev.lines, 1)]
    return rows
