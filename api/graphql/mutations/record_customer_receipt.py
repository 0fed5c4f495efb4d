"""recordCustomerReceipt: 收款, Dr bank / Cr 1122 allocated, Cr 2203 预收账款 the rest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._cash import (
    AllocationInput,
    CashDocumentSuccess,
    allocations,
    cash_success,
)
from api.graphql.mutations._common import result_union


@strawberry.input
class RecordCustomerReceiptInput:
    customer: str
    posting_date: date
    bank_account: str = strawberry.field(description="A cash or bank leaf under 1001/1002/1012.")
    amount: Decimal
    allocations: list[AllocationInput] | None = None
    reference: str | None = strawberry.field(default=None, description="Bank reference.")
    memo: str | None = strawberry.field(default=None, description="摘要; default 收款 <name>.")
    idempotency_key: str | None = None


RecordCustomerReceiptResult = result_union("RecordCustomerReceiptResult", CashDocumentSuccess)


async def record_customer_receipt(
    info: Info, input: RecordCustomerReceiptInput  # noqa: A002
) -> RecordCustomerReceiptResult:
    allocs = allocations(input.allocations)
    return await run_command(
        info,
        lambda app, ctx: app.record_customer_receipt(
            input.customer, input.posting_date, input.bank_account, input.amount, allocs,
            input.reference or "", input.memo or "", ctx=ctx),
        input.idempotency_key,
        cash_success,
    )
