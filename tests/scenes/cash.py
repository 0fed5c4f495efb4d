"""Invoices as open items for the cash tests: the open item and a balancing
voucher in one save, as the invoicing use cases make them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.command_table import as_command
from domain.finance.open_items import Ledger, OpenItem
from domain.ledger.entries import LineInput, SourceRef


@dataclass(frozen=True)
class _Opened:
    document: str


def open_invoice(app, ledger: Ledger, party: str, document: str, day: date, amount,
                 kind: str = "") -> None:
    """A sales invoice (Dr 1122 / Cr 5001, Cr 22210102) or a purchase invoice
    (Dr 220202, Dr 22210101 / Cr 220201) of ``amount`` incl. 13% VAT. A
    negative amount is a credit (a red invoice), posted here on the opposite
    sides (the invoicing slices post true red lines)."""
    gross = Decimal(amount)
    net = (gross / Decimal("1.13")).quantize(Decimal("0.01"))
    tax = gross - net
    if ledger is Ledger.RECEIVABLE:
        account, signed = "1122", [("1122", gross), ("5001", -net), ("22210102", -tax)]
    else:
        account, signed = "220201", [("220202", net), ("22210101", tax), ("220201", -gross)]
    lines = [LineInput(acc, debit=v) if v > 0 else LineInput(acc, credit=-v)
             for acc, v in signed if v]
    kind = kind or ("sales_invoice" if ledger is Ledger.RECEIVABLE else "purchase_invoice")

    def open_invoice(uow) -> _Opened:
        uow.post(day, f"发票 {document}", lines, SourceRef(kind, document))
        uow.add(OpenItem(ledger, account, party, kind, document, day, day + timedelta(days=30),
                         gross))
        return _Opened(document)

    app.run(as_command(open_invoice, "post_journal_entry"))
