"""recordExpensePayment: 费用付款, Dr each expense account (and 22210101 进项税额) / Cr bank."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._cash import CashDocumentSuccess, ExpenseLineInput, cash_success
from api.graphql.mutations._common import result_union


@strawberry.input
class RecordExpensePaymentInput:
    posting_date: date
    bank_account: str = strawberry.field(description="A cash or bank leaf under 1001/1002/1012.")
    lines: list[ExpenseLineInput]
    vat: Decimal | None = strawberry.field(default=None,
                                           description="Deductible input VAT (22210101).")
    payee: str | None = None
    reference: str | None = None
    memo: str | None = strawberry.field(default=None, description="摘要; default 费用付款 <payee>.")
    idempotency_key: str | None = None


RecordExpensePaymentResult = result_union("RecordExpensePaymentResult", CashDocumentSuccess)


async def record_expense_payment(
    info: Info, input: RecordExpensePaymentInput  # noqa: A002
) -> RecordExpensePaymentResult:
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.record_expense_payment(
            input.posting_date, input.bank_account, lines, input.vat, input.payee or "",
            input.reference or "", input.memo or "", ctx=ctx),
        input.idempotency_key,
        cash_success,
    )
