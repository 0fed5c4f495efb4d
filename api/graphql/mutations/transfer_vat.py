"""transferVat: 转出未交增值税 at month end, 222101's credit balance to 222102 (Dr 22210105)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import entry_view, result_union
from api.graphql.statement_queries import VatReturn
from api.graphql.types import JournalEntry
from projections import vat_queries as vq


@strawberry.input
class TransferVatInput:
    period: str
    posting_date: date | None = strawberry.field(
        default=None, description="Date of the transfer; default: the period's last day.")
    idempotency_key: str | None = None


@strawberry.type
class TransferVatSuccess:
    period: str
    payable: Decimal = strawberry.field(description="Moved to 222102 未交增值税 by this entry.")
    carried_forward: Decimal = strawberry.field(
        description="Input VAT left to the next month (期末留抵税额).")
    entry: JournalEntry | None = strawberry.field(
        description="The transfer's voucher; null when nothing was payable.")
    vat_return: VatReturn
    log_position: int
    replayed: bool


TransferVatResult = result_union("TransferVatResult", TransferVatSuccess)


async def transfer_vat(info: Info, input: TransferVatInput) -> TransferVatResult:  # noqa: A002
    def build(conn, out):
        v = out.value
        return TransferVatSuccess(
            period=v.period, payable=Decimal(v.payable),
            carried_forward=Decimal(v.carried_forward),
            entry=JournalEntry.from_view(entry_view(conn, v.entry_id)) if v.entry_id else None,
            vat_return=VatReturn.from_view(vq.vat_return(conn, v.period)),
            log_position=out.position, replayed=out.replayed)

    return await run_command(
        info, lambda app, ctx: app.transfer_vat(input.period, input.posting_date, ctx=ctx),
        input.idempotency_key, build,
    )
