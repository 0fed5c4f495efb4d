"""reportOperation: 报工, quantities, hours, operator and equipment of an operation.

Labor Dr 400101 / Cr 2211 and overhead applied Dr 400101 / Cr 4101 at the
work center's rates; backflush lines of the operation are issued in the same
save. Good + scrap cannot exceed what the predecessor delivered.
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
class ReportOperationInput:
    number: str
    op_no: str = strawberry.field(description="OP10, OP20 …")
    posting_date: date
    good: Decimal | None = None
    scrap: Decimal | None = None
    scrap_reason: str | None = strawberry.field(default=None,
                                                description="Required with scrap.")
    rework: Decimal | None = None
    labor_hours: Decimal | None = strawberry.field(default=None,
                                                   description="Up to 4 places, 0-10000.")
    machine_hours: Decimal | None = strawberry.field(
        default=None, description="Overhead is applied on these (on labor hours if none).")
    operator: str | None = None
    equipment: str | None = None
    idempotency_key: str | None = None


@strawberry.type
class ReportOperationSuccess(ReportPayload):
    pass


ReportOperationResult = result_union("ReportOperationResult", ReportOperationSuccess)


async def report_operation(
    info: Info, input: ReportOperationInput  # noqa: A002
) -> ReportOperationResult:
    report = report_input(input.good, input.scrap, input.scrap_reason, input.rework,
                          input.labor_hours, input.machine_hours, input.operator,
                          input.equipment)
    return await run_command(
        info,
        lambda app, ctx: app.report_operation(input.number, input.op_no, input.posting_date,
                                              report, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReportOperationSuccess(**report_fields(out)),
    )
