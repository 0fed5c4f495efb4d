"""reportByScan: the scanner's 报工, by the traveller's code (WO-000123/OP20).

Same rules and postings as reportOperation; the same idempotency key twice
records once. The payload reads nothing unless the work order or the voucher
is asked for.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import ReportPayload, report_fields, report_input


@strawberry.input
class ReportByScanInput:
    code: str = strawberry.field(description="The scan code, e.g. WO-000123/OP20.")
    posting_date: date
    good: Decimal | None = None
    scrap: Decimal | None = None
    scrap_reason: str | None = None
    rework: Decimal | None = None
    labor_hours: Decimal | None = None
    machine_hours: Decimal | None = None
    operator: str | None = None
    equipment: str | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description="The scanner's retry key: the same key twice records once.")


@strawberry.type
class ReportByScanSuccess(ReportPayload):
    pass


ReportByScanResult = result_union("ReportByScanResult", ReportByScanSuccess)


async def report_by_scan(info: Info, input: ReportByScanInput) -> ReportByScanResult:  # noqa: A002
    report = report_input(input.good, input.scrap, input.scrap_reason, input.rework,
                          input.labor_hours, input.machine_hours, input.operator,
                          input.equipment)
    return await run_command(
        info,
        lambda app, ctx: app.report_by_scan(input.code, input.posting_date, report, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReportByScanSuccess(**report_fields(out)),
    )
