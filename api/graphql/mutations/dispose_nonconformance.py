"""disposeNonconformance: return, scrap, rework or use as is part of an NCR, posting it.

RETURN_TO_SUPPLIER (incoming only): out of quarantine at the price received,
Dr 220202 (a debit note against 220201 for what was invoiced) / Cr stock.
SCRAP: purchased material Dr 1901 / Cr stock, then Dr 5711 or 4101 / Cr
1901; made goods and work in process by the abnormal-scrap rule. REWORK:
hours at the work center's rates Dr WIP / Cr 2211, 4101; the units are
inspected again. USE_AS_IS: approver and reason; the units are released.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._quality import ncr_of
from api.graphql.production_types import entry_of
from api.graphql.quality_types import DispositionKindEnum, Nonconformance
from api.graphql.types import JournalEntry
from domain.quality.nonconformance import DispositionKind
from domain.workflows.dispositions import DispositionInput


@strawberry.input
class DisposeNonconformanceInput:
    number: str
    posting_date: date
    kind: DispositionKindEnum
    qty: Decimal
    reason: str | None = None
    approver: str | None = strawberry.field(default=None,
                                            description="USE_AS_IS: who granted it.")
    labor_hours: Decimal | None = strawberry.field(default=None, description="REWORK.")
    machine_hours: Decimal | None = strawberry.field(default=None, description="REWORK.")
    work_center: str | None = strawberry.field(
        default=None, description="REWORK: where (default: the operation's work center).")
    idempotency_key: str | None = None


@strawberry.type
class DisposeNonconformanceSuccess:
    nonconformance: Nonconformance
    seq: int
    document: str = strawberry.field(description="The stock document it made (RS, AJ, TR).")
    entry_id: strawberry.ID | None
    reinspection: str = strawberry.field(description="REWORK: the new inspection lot.")
    log_position: int
    replayed: bool

    @strawberry.field(description="Its voucher (记账凭证), if it posted one.")
    async def entry(self, info: Info) -> JournalEntry | None:
        return await entry_of(info, str(self.entry_id or ""))


DisposeNonconformanceResult = result_union("DisposeNonconformanceResult",
                                           DisposeNonconformanceSuccess)


async def dispose_nonconformance(
    info: Info, input: DisposeNonconformanceInput  # noqa: A002
) -> DisposeNonconformanceResult:
    zero = Decimal(0)
    given = DispositionInput(
        DispositionKind(input.kind.value), input.qty, input.reason or "", input.approver or "",
        input.labor_hours if input.labor_hours is not None else zero,
        input.machine_hours if input.machine_hours is not None else zero,
        input.work_center or "")

    def build(conn, out):
        r = out.value
        ncr = ncr_of(conn, r.number)
        assert ncr is not None
        return DisposeNonconformanceSuccess(
            nonconformance=ncr, seq=r.seq, document=r.document,
            entry_id=strawberry.ID(r.entry_id) if r.entry_id else None,
            reinspection=r.reinspection, log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.dispose_nonconformance(input.number, input.posting_date, given,
                                                    ctx=ctx),
        input.idempotency_key,
        build,
    )
