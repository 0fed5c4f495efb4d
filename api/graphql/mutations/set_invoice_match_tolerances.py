"""setInvoiceMatchTolerances: three-way-match tolerances (qty, price; 0.05 = 5 %)."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class SetInvoiceMatchTolerancesInput:
    qty: Decimal = strawberry.field(description="Share of the received quantity, 0-1.")
    price: Decimal = strawberry.field(description="Share of the order price, 0-1.")
    idempotency_key: str | None = None


@strawberry.type
class SetInvoiceMatchTolerancesSuccess:
    qty: Decimal
    price: Decimal
    log_position: int
    replayed: bool


SetInvoiceMatchTolerancesResult = result_union("SetInvoiceMatchTolerancesResult",
                                               SetInvoiceMatchTolerancesSuccess)


async def set_invoice_match_tolerances(
    info: Info, input: SetInvoiceMatchTolerancesInput  # noqa: A002
) -> SetInvoiceMatchTolerancesResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_invoice_match_tolerances(input.qty, input.price, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetInvoiceMatchTolerancesSuccess(
            qty=Decimal(out.value.qty), price=Decimal(out.value.price),
            log_position=out.position, replayed=out.replayed),
    )
