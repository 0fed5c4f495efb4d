"""Quality measures and traceability: KPIs, the supplier scorecard, the
quality cost report, SPC charts, the yield recommendation, lot genealogy and
recall. Merged into the root ``Query`` type by the schema."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.quality_queries import code
from api.graphql.quality_types import (
    QualityCostReport,
    QualityGroup,
    QualityKpi,
    RecallReport,
    SpcChart,
    SupplierScore,
    TraceDirection,
    TraceLink,
    YieldRecommendation,
)
from api.graphql.queries import WaitFor
from projections import quality_measures as qm
from projections import traceability as tr

MAX_DAYS = 732
From = Annotated[date, strawberry.argument(name="from")]


def window(start: date, end: date) -> tuple[date, date]:
    if end < start:
        raise QueryError("to is before from", "ValidationError", field="to")
    if (end - start).days > MAX_DAYS:
        raise QueryError(f"at most {MAX_DAYS} days at a time", "ValidationError", field="to")
    return start, end


def _lot(value: str) -> str:
    lot = (value or "").strip()
    if len(lot) > 40:
        raise QueryError("lot: at most 40 characters", "ValidationError", field="lot")
    return lot


@strawberry.type
class QualityMeasuresQuery:
    @strawberry.field(description="Quality KPIs (first-pass yield, PPM defective, acceptance "
                      "rate, NCR count and cost) by item, supplier, work center, day or month.")
    async def quality_kpis(self, info: Info, from_: From,
                           to: date,
                           group_by: QualityGroup = QualityGroup.ITEM,
                           wait_for: WaitFor = None) -> list[QualityKpi]:
        start, end = window(from_, to)
        views = await read(info, lambda c: qm.kpis(c, start, end, group_by.value), wait_for)
        return [QualityKpi.from_view(v) for v in views]

    @strawberry.field(description="Supplier scorecard: incoming acceptance rate, PPM, "
                      "returns and on-time delivery of purchase order lines due in the window.")
    async def supplier_scorecard(self, info: Info,
                                 from_: From,
                                 to: date,
                                 wait_for: WaitFor = None) -> list[SupplierScore]:
        start, end = window(from_, to)
        views = await read(info, lambda c: qm.scorecard(c, start, end), wait_for)
        return [SupplierScore.from_view(v) for v in views]

    @strawberry.field(description="质量成本 over a window: internal and external failure, "
                      "appraisal.")
    async def quality_cost(self, info: Info, from_: From,
                           to: date,
                           wait_for: WaitFor = None) -> QualityCostReport:
        start, end = window(from_, to)
        view = await read(info, lambda c: qm.quality_cost(c, start, end), wait_for)
        return QualityCostReport.from_view(view)

    @strawberry.field(description="X̄-R chart data and Cp/Cpk of a measured characteristic "
                      "over the values measured in a window, in subgroups of 2-10.")
    async def spc_chart(self, info: Info, item: str, characteristic: str,
                        from_: From,
                        to: date, subgroup_size: int = 5,
                        wait_for: WaitFor = None) -> SpcChart:
        start, end = window(from_, to)
        if not 2 <= subgroup_size <= 10:
            raise QueryError("subgroupSize must be 2-10", "ValidationError",
                             field="subgroupSize")
        view = await read(info, lambda c: qm.spc_data(c, code(item) or "", code(
            characteristic) or "", start, end, subgroup_size), wait_for)
        return SpcChart.from_view(view, subgroup_size)

    @strawberry.field(description="An item's observed yield over its last `lots` lots per "
                      "stage and operation, and the scrap factor it recommends; null for an "
                      "unknown item.")
    async def yield_recommendation(self, info: Info, item: str, lots: int = 5,
                                   wait_for: WaitFor = None) -> YieldRecommendation | None:
        if not 1 <= lots <= 100:
            raise QueryError("lots must be 1-100", "ValidationError", field="lots")
        view = await read(info, lambda c: qm.yield_view(c, code(item) or "", lots), wait_for)
        return YieldRecommendation.from_view(view) if view else None

    @strawberry.field(description="A lot's genealogy: BACKWARD to the receipts and the lots "
                      "its work orders consumed, FORWARD to the work orders that consumed it, "
                      "the lots they made and the shipments.")
    async def trace_lot(self, info: Info, item: str, lot: str,
                        direction: TraceDirection = TraceDirection.BACKWARD,
                        wait_for: WaitFor = None) -> list[TraceLink]:
        walk = tr.backward if direction is TraceDirection.BACKWARD else tr.forward
        views = await read(info, lambda c: walk(c, code(item) or "", _lot(lot)), wait_for)
        return [TraceLink.from_view(v) for v in views]

    @strawberry.field(description="召回: every finished lot, open stock location, shipment and "
                      "customer that used material from a lot, with quantities.")
    async def recall(self, info: Info, item: str, lot: str,
                     wait_for: WaitFor = None) -> RecallReport:
        view = await read(info, lambda c: tr.recall(c, code(item) or "", _lot(lot)), wait_for)
        return RecallReport.from_view(view)
