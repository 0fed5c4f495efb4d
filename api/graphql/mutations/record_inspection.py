"""recordInspection: a lot's results; the decision its sampling plan computes is applied.

Measured values, one per sample unit, for every measured characteristic;
defect counts per attribute characteristic. Nonconformities <= Ac accept
the lot (the sample's defective units rejected), >= Re reject it whole; a
100% lot is sorted. Accepted units leave quarantine (a transfer at unchanged
value); rejected ones open a nonconformance report. `hold: true` records
the results and keeps the decision for releaseInspection or an override.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._quality import (
    DefectInput,
    InspectionPayload,
    MeasurementInput,
    inspection_fields,
)


@strawberry.input
class RecordInspectionInput:
    number: str
    inspected_on: date
    measurements: list[MeasurementInput] | None = None
    defects: list[DefectInput] | None = None
    hours: Decimal | None = strawberry.field(default=None,
                                             description="Inspection hours (appraisal cost).")
    hold: bool = False
    idempotency_key: str | None = None


@strawberry.type
class RecordInspectionSuccess(InspectionPayload):
    pass


RecordInspectionResult = result_union("RecordInspectionResult", RecordInspectionSuccess)


async def record_inspection(
    info: Info, input: RecordInspectionInput  # noqa: A002
) -> RecordInspectionResult:
    measurements = tuple(m.to_domain() for m in input.measurements or ())
    defects = tuple(d.to_domain() for d in input.defects or ())
    return await run_command(
        info,
        lambda app, ctx: app.record_inspection(
            input.number, input.inspected_on, measurements, defects,
            input.hours if input.hours is not None else Decimal(0), input.hold, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RecordInspectionSuccess(**inspection_fields(conn, out)),
    )
