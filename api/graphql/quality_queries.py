"""Quality queries: inspection plans, GB/T 2828.1 sampling plans, inspection
lots, nonconformance reports, held operations, supplier flags and alerts;
the quality measures (KPIs, supplier scorecard, quality cost, SPC, yield)
and traceability (lot genealogy, recall) are in ``quality_measures_queries``.
Merged into the root ``Query`` type by the schema."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.quality_types import (
    ApprovedSupplier,
    InspectionLot,
    InspectionPlan,
    Nonconformance,
    OperationHold,
    QualityAlert,
    SamplingPlanView,
    StageEnum,
    SupplierFlag,
)
from api.graphql.queries import MAX_PAGE, WaitFor
from domain.errors import DomainError
from domain.quality.plans import Stage
from domain.quality.sampling import LEVELS, gb2828_plan
from projections import quality_queries as qq

STATUSES = ("open", "held", "closed")


def code(value: str | None) -> str | None:
    """Codes are upper case; a blank filter is no filter."""
    return (value or "").strip().upper() or None


def page(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                         field="first")
    return first


@strawberry.type
class QualityQuery:
    @strawberry.field(description="Inspection plans (every version), by item and stage.")
    async def inspection_plans(self, info: Info, item: str | None = None,
                               stage: StageEnum | None = None,
                               wait_for: WaitFor = None) -> list[InspectionPlan]:
        stage_ = stage.value if isinstance(stage, Stage) else None
        views = await read(info, lambda c: qq.plan_views(c, code(item), stage_), wait_for)
        return [InspectionPlan.from_view(v) for v in views]

    @strawberry.field(description="GB/T 2828.1 single sampling, normal inspection: the code "
                      "letter and the plan (n, Ac, Re) of a lot size and AQL (0.65, 1.0, 1.5, "
                      "2.5, 4.0, 6.5), arrows followed.")
    async def sampling_plan(self, info: Info, lot_size: int, aql: Decimal,
                            level: str = "II") -> SamplingPlanView:
        def plan(_conn) -> SamplingPlanView:
            if level not in LEVELS or not 2 <= lot_size <= 10**9:
                raise QueryError("lotSize must be 2-1000000000 and level I, II or III",
                                 "ValidationError", field="lotSize")
            try:
                return SamplingPlanView.of(gb2828_plan(lot_size, aql, level))
            except DomainError as exc:
                raise QueryError(exc.message, "ValidationError", field="aql") from None

        return await read(info, plan)

    @strawberry.field(description="Inspection lots, newest first; `source`: the receipt, "
                      "completion or order that opened them.")
    async def inspection_lots(self, info: Info, status: str | None = None,
                              stage: StageEnum | None = None, item: str | None = None,
                              source: str | None = None, first: int = 100,
                              wait_for: WaitFor = None) -> list[InspectionLot]:
        status_ = (status or "").strip().lower() or None
        if status_ is not None and status_ not in STATUSES:
            raise QueryError(f"status must be one of {', '.join(STATUSES)}", "ValidationError",
                             field="status")
        stage_ = stage.value if isinstance(stage, Stage) else None
        views = await read(info, lambda c: qq.lot_views(c, status_, stage_, code(item),
                                                        code(source), page(first)), wait_for)
        return [InspectionLot.from_view(v) for v in views]

    @strawberry.field(description="One inspection lot with its measured values and defects.")
    async def inspection_lot(self, info: Info, number: str,
                             wait_for: WaitFor = None) -> InspectionLot | None:
        view = await read(info, lambda c: qq.lot_view(c, code(number) or ""), wait_for)
        return InspectionLot.from_view(view) if view else None

    @strawberry.field(description="Nonconformance reports, newest first.")
    async def nonconformances(self, info: Info, open_only: bool = False,
                              item: str | None = None, first: int = 100,
                              wait_for: WaitFor = None) -> list[Nonconformance]:
        views = await read(info, lambda c: qq.ncr_views(c, open_only, code(item),
                                                        first=page(first)), wait_for)
        return [Nonconformance.from_view(v) for v in views]

    @strawberry.field(description="One nonconformance report with its dispositions.")
    async def nonconformance(self, info: Info, number: str,
                             wait_for: WaitFor = None) -> Nonconformance | None:
        views = await read(info, lambda c: qq.ncr_views(c, number=code(number) or "", first=1),
                           wait_for)
        return Nonconformance.from_view(views[0]) if views else None

    @strawberry.field(description="Units of operations held from the next one (inspection "
                      "pending, rejects awaiting disposition).")
    async def operation_holds(self, info: Info, work_order: str | None = None,
                              wait_for: WaitFor = None) -> list[OperationHold]:
        views = await read(info, lambda c: qq.hold_views(c, code(work_order)), wait_for)
        return [OperationHold.from_view(v) for v in views]

    @strawberry.field(description="Suppliers' incoming lots and quality flags.")
    async def supplier_flags(self, info: Info, supplier: str | None = None,
                             wait_for: WaitFor = None) -> list[SupplierFlag]:
        views = await read(info, lambda c: qq.supplier_flags(c, code(supplier)), wait_for)
        return [SupplierFlag.from_view(v) for v in views]

    @strawberry.field(description="The approved supplier list (合格供方名录) by item and "
                      "rank, with each supplier's quality flag.")
    async def approved_suppliers(self, info: Info, item: str | None = None,
                                 wait_for: WaitFor = None) -> list[ApprovedSupplier]:
        views = await read(info, lambda c: qq.approved_supplier_views(c, code(item)), wait_for)
        return [ApprovedSupplier.from_view(v) for v in views]

    @strawberry.field(description="Quality alerts, newest first.")
    async def quality_alerts(self, info: Info, kind: str | None = None, first: int = 100,
                             wait_for: WaitFor = None) -> list[QualityAlert]:
        kind_ = (kind or "").strip().lower() or None
        views = await read(info, lambda c: qq.alert_views(c, kind_, first=page(first)),
                           wait_for)
        return [QualityAlert.from_view(v) for v in views]
