"""Recording a stock document: its number, its voucher, its movements.

Every context that moves stock (receipts, shipments, issues, completions,
purchase-invoice adjustments…) records it through here, so a document is
numbered before its first event is made, posts its voucher under the id its
movements name, and is saved in the same atomic save as both (DESIGN.md
section 1, "ledger first")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import ValidationError
from domain.inventory import backdating
from domain.inventory.documents import PREFIX, DocumentKind, DocumentLine, StockDocument
from domain.inventory.stock import Movement, StockBalance, stock_id
from domain.ledger.entries import SourceRef
from domain.ledger.periods import voucher_number
from domain.ledger.voucher import Voucher
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DocumentResult:
    number: str
    entry_id: str = ""
    voucher_no: str = ""
    total_value: str = "0.00"


def check_lines(lines: Sequence[Any]) -> None:
    """A stock document has 1-500 lines."""
    if not lines:
        raise ValidationError("a document needs at least one line", "lines")
    if len(lines) > 500:
        raise ValidationError("a document may have at most 500 lines", "lines")


def stock(uow: UnitOfWork, item: str, warehouse: str) -> StockBalance:
    """The item's balance in a warehouse (a new one when it never held stock)."""
    return uow.get(stock_id(item, warehouse),
                   factory=lambda: StockBalance(item=item, warehouse=warehouse))


def movement(uow: UnitOfWork, kind: DocumentKind, line: int) -> Movement:
    """What a movement made while deciding names: the document's number and
    its voucher's entry id, taken at the first one (``UnitOfWork.document``)."""
    number, entry_id = uow.document(PREFIX[kind])
    return Movement(kind.value, number, line, entry_id)


def post_document(uow: UnitOfWork, voucher: Voucher, day: date, summary: str,
                  kind: DocumentKind | str, number: str,
                  entry_id: str = "", cash_flows: Sequence[Any] | None = None
                  ) -> tuple[str, str]:
    """Post the document's voucher in the same save; (entry id, voucher no).
    ``entry_id``: the id its movements already name (chosen before them).
    ``cash_flows``: the purposes of the cash it moves, when it knows them.
    Nothing to post (a count without difference, a report of quantities
    only): the date still passes the gate the posting would have applied."""
    kind = kind.value if isinstance(kind, DocumentKind) else kind
    if not voucher:
        uow.business_date(day)
        return "", ""
    entry = uow.post(day, summary, voucher.lines(), SourceRef(kind, number),
                     entry_id=entry_id or None, cash_flows=cash_flows)
    return str(entry.id), voucher_number(entry.voucher_seq)


def record_document(
    uow: UnitOfWork,
    kind: DocumentKind,
    day: date,
    voucher: Voucher,
    moves: list[DocumentLine],
    summary: str,
    *,
    party: str = "",
    order: str = "",
    note: str = "",
    already_moved: bool = False,
    offset_account: str = backdating.COST_OF_SALES,
) -> DocumentResult:
    """Number the document, post its voucher, move stock, and add the document
    to the command's save.

    Movements made while deciding (``already_moved``) took the document's
    number and entry id first (``movement``); the voucher posts under that id.

    A line dated before later movements of its stock is settled in the same
    voucher (``backdating``): ``offset_account`` takes a backdated issue's own
    adjustment when it feeds no work order."""
    number = uow.document_number or uow.number(PREFIX[kind])
    settled = backdating.settle_document(uow, kind, day, voucher, moves, number, order,
                                         offset_account, already_moved)
    entry_id, voucher_no = post_document(
        uow, voucher, day, f"{summary} {number}"[:200], kind, number, uow.entry_id
    )
    if already_moved:
        uow.check_posted(entry_id)
    else:
        for ln in moves:
            balance = stock(uow, ln.item, ln.warehouse)
            mv = Movement(kind.value, number, ln.line_no, entry_id)
            if ln.qty > 0:
                balance.receive(ln.qty, ln.value, ln.location, ln.lot, day, mv)
            else:
                balance.issue(-ln.qty, -ln.value, ln.location, ln.lot, day, mv,
                              allow_quarantine=True)
    backdating.record(settled, kind, number, entry_id)
    uow.add(StockDocument(
        kind=kind,
        number=number,
        posting_date=day,
        lines=tuple(moves),
        party=party,
        order=order,
        entry_id=entry_id,
        voucher_no=voucher_no,
        note=note,
    ))
    total = sum((ln.value for ln in moves), Decimal("0.00"))
    return DocumentResult(number, entry_id, voucher_no, str(total))
