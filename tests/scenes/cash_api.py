"""Cash documents through GraphQL."""

from __future__ import annotations

from tests.scenes.supply_api import command

ENTRY = "voucherNo summary lines { accountCode debit credit }"
ITEM = "ledger account party document documentKind amount settled openAmount " \
       "settlements { byDocument day amount }"
DOCUMENT = f"""number kind postingDate party bankAccount amount prepayment vat creditDocument
    payee reference memo voucherNo lines {{ lineNo document account amount memo }}
    entry {{ {ENTRY} }}"""
SUCCESS = f"document {{ {DOCUMENT} }} openItems {{ {ITEM} }}"
EXPENSE = command("recordExpensePayment", SUCCESS).replace(
    "RecordExpensePaymentSuccess", "CashDocumentSuccess")
