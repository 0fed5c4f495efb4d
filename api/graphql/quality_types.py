"""Read-side GraphQL types of quality, each built from a read-model view
(``projections.quality_queries``, ``quality_measures``, ``traceability``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry

from api.graphql.inventory_types import qty
from domain.quality.findings import Verdict
from domain.quality.nonconformance import DispositionKind
from domain.quality.plans import CharacteristicKind, Stage
from domain.quality.sampling import SamplingMethod, SamplingPlan
from projections import quality_measures as qm
from projections import quality_queries as qq
from projections import traceability as tr

StageEnum = strawberry.enum(Stage, name="InspectionStage",
                            description="INCOMING (IQC, receipts), IN_PROCESS (IPQC, an "
                            "operation's reports) or FINAL (FQC, completions).")
CharacteristicKindEnum = strawberry.enum(CharacteristicKind, name="CharacteristicKind")
SamplingMethodEnum = strawberry.enum(
    SamplingMethod, name="SamplingMethod",
    description="GB2828: GB/T 2828.1 single sampling, normal inspection; FIXED: a fixed "
    "sample with its own acceptance number; FULL: 100%.")
VerdictEnum = strawberry.enum(Verdict, name="InspectionVerdict")
DispositionKindEnum = strawberry.enum(DispositionKind, name="DispositionKind")


@strawberry.type(description="A characteristic to check: measured (limits) or attribute "
                 "(defect codes).")
class Characteristic:
    code: str
    name: str
    kind: CharacteristicKindEnum
    nominal: Decimal | None
    lower: Decimal | None = strawberry.field(description="Lower specification limit (LSL).")
    upper: Decimal | None = strawberry.field(description="Upper specification limit (USL).")
    unit: str
    decimals: int
    defect_codes: list[str]

    @classmethod
    def from_view(cls, v: qq.CharacteristicView) -> Characteristic:
        return cls(code=v.code, name=v.name, kind=CharacteristicKind(v.kind), nominal=v.nominal,
                   lower=v.lower, upper=v.upper, unit=v.unit, decimals=v.decimals,
                   defect_codes=list(v.defect_codes))


@strawberry.type(description="One version of an item's inspection plan for a stage.")
class InspectionPlan:
    item: str
    stage: StageEnum
    operation: str = strawberry.field(description="In-process plans: the routing operation.")
    version: str
    effective_from: date
    effective_to: date | None
    method: SamplingMethodEnum
    aql: Decimal | None = strawberry.field(description="GB2828: acceptance quality limit, %.")
    level: str = strawberry.field(description="GB2828: general inspection level (II).")
    sample_size: int = strawberry.field(description="FIXED: units sampled.")
    accept: int = strawberry.field(description="FIXED and FULL: nonconformities accepted.")
    blocks_next: bool
    description: str
    characteristics: list[Characteristic]

    @classmethod
    def from_view(cls, v: qq.PlanView) -> InspectionPlan:
        return cls(item=v.item, stage=Stage(v.stage), operation=v.operation, version=v.version,
                   effective_from=v.effective_from, effective_to=v.effective_to,
                   method=SamplingMethod(v.method), aql=v.aql, level=v.level,
                   sample_size=v.sample_size, accept=v.accept, blocks_next=v.blocks_next,
                   description=v.description,
                   characteristics=[Characteristic.from_view(c) for c in v.characteristics])


@strawberry.type(description="A sampling plan: n units, accepted with at most Ac "
                 "nonconformities, rejected with Re or more (GB/T 2828.1 when a code letter "
                 "is given).")
class SamplingPlanView:
    code_letter: str = strawberry.field(description="Table 1's letter for the lot size.")
    plan_letter: str = strawberry.field(
        description="The master table row the plan was read from (another after an arrow).")
    sample_size: int
    accept: int
    reject: int
    full: bool = strawberry.field(description="Every unit is inspected (100%).")

    @classmethod
    def of(cls, plan: SamplingPlan) -> SamplingPlanView:
        return cls(code_letter=plan.code_letter, plan_letter=plan.plan_letter,
                   sample_size=plan.sample_size, accept=plan.accept, reject=plan.reject,
                   full=plan.full)


@strawberry.type
class MeasuredValue:
    characteristic: str
    sample_no: int
    value: Decimal
    conforming: bool


@strawberry.type
class DefectCount:
    characteristic: str
    defect_code: str
    count: int


@strawberry.type(description="An inspection lot (检验批): what was inspected, its sampling "
                 "plan, its results and the decision applied.")
class InspectionLot:
    number: str
    stage: StageEnum
    item: str
    qty: Decimal
    warehouse: str
    location: str = strawberry.field(description="Where accepted units go (they wait in QC).")
    lot: str
    document: str = strawberry.field(description="The receipt or completion that opened it.")
    supplier: str
    order: str = strawberry.field(description="The purchase order or the work order.")
    order_line: int
    operation: str
    work_center: str
    value: Decimal = strawberry.field(description="Its value as it entered quarantine.")
    reinspects: str = strawberry.field(description="A re-inspection after rework: the NCR.")
    plan_version: str
    sampling: SamplingPlanView
    blocks_next: bool
    opened_on: date
    status: str = strawberry.field(description="open, held (decision waiting) or closed.")
    inspected_on: date | None
    nonconformities: int
    computed_verdict: VerdictEnum | None
    verdict: VerdictEnum | None
    accepted: Decimal
    rejected: Decimal
    decided_on: date | None
    overridden: bool
    reason: str
    ncr: str
    release_document: str = strawberry.field(description="The transfer out of quarantine.")
    hours: Decimal
    inspector: str
    conceded: Decimal = strawberry.field(description="Units released under concession (让步).")
    measurements: list[MeasuredValue]
    defects: list[DefectCount]

    @classmethod
    def from_view(cls, v: qq.LotView) -> InspectionLot:
        return cls(
            number=v.number, stage=Stage(v.stage), item=v.item, qty=qty(v.qty),
            warehouse=v.warehouse, location=v.location, lot=v.lot, document=v.document,
            supplier=v.supplier, order=v.order, order_line=v.order_line,
            operation=v.operation, work_center=v.work_center, value=v.value,
            reinspects=v.reinspects, plan_version=v.plan_version,
            sampling=SamplingPlanView(code_letter=v.code_letter, plan_letter=v.plan_letter,
                                      sample_size=v.sample_size, accept=v.accept,
                                      reject=v.reject, full=v.full_inspection),
            blocks_next=v.blocks_next, opened_on=v.opened_on, status=v.status,
            inspected_on=v.inspected_on, nonconformities=v.nonconformities,
            computed_verdict=Verdict(v.computed_verdict) if v.computed_verdict else None,
            verdict=Verdict(v.verdict) if v.verdict else None, accepted=qty(v.accepted),
            rejected=qty(v.rejected), decided_on=v.decided_on, overridden=v.overridden,
            reason=v.reason, ncr=v.ncr, release_document=v.release_document,
            hours=v.hours.normalize(), inspector=v.inspector, conceded=qty(v.conceded),
            measurements=[MeasuredValue(characteristic=m.characteristic, sample_no=m.sample_no,
                                        value=m.value, conforming=m.conforming)
                          for m in v.measurements],
            defects=[DefectCount(characteristic=d.characteristic, defect_code=d.defect_code,
                                 count=d.count) for d in v.defects])


@strawberry.type(description="A disposition of part of a nonconformance, with what it posted.")
class Disposition:
    seq: int
    kind: DispositionKindEnum
    qty: Decimal
    day: date
    cost: Decimal = strawberry.field(
        description="The quality loss: scrapped value (at cost, wherever it is posted) or "
        "rework hours at the work center's rates.")
    document: str
    entry_id: strawberry.ID | None
    approver: str
    reason: str
    reinspection: str


@strawberry.type(description="A nonconformance report (不合格品评审单).")
class Nonconformance:
    number: str
    origin: StageEnum
    inspection_lot: str
    item: str
    qty: Decimal
    disposed: Decimal
    open_qty: Decimal
    warehouse: str
    lot: str
    supplier: str
    order: str
    operation: str
    work_center: str
    defects: str
    description: str
    opened_on: date
    cost: Decimal
    dispositions: list[Disposition]

    @classmethod
    def from_view(cls, v: qq.NcrView) -> Nonconformance:
        return cls(
            number=v.number, origin=Stage(v.origin), inspection_lot=v.inspection_lot,
            item=v.item, qty=qty(v.qty), disposed=qty(v.disposed), open_qty=qty(v.open_qty),
            warehouse=v.warehouse, lot=v.lot, supplier=v.supplier, order=v.order,
            operation=v.operation, work_center=v.work_center, defects=v.defects,
            description=v.description, opened_on=v.opened_on, cost=v.cost,
            dispositions=[Disposition(
                seq=d.seq, kind=DispositionKind(d.kind), qty=qty(d.qty), day=d.day,
                cost=d.cost, document=d.document,
                entry_id=strawberry.ID(d.entry_id) if d.entry_id else None,
                approver=d.approver, reason=d.reason, reinspection=d.reinspection)
                for d in v.dispositions])


@strawberry.type(description="Units of an operation the next one may not take yet.")
class OperationHold:
    work_order: str
    operation: str
    held_by: str = strawberry.field(description="The inspection lot or NCR holding them.")
    qty: Decimal

    @classmethod
    def from_view(cls, v: qq.HoldView) -> OperationHold:
        return cls(work_order=v.work_order, operation=v.operation, held_by=v.held_by,
                   qty=qty(v.qty))


@strawberry.type(description="A supplier's incoming lots and whether it is flagged.")
class SupplierFlag:
    supplier: str
    lots: int
    accepted_lots: int
    flagged: bool
    flagged_orders: list[str] = strawberry.field(
        description="Purchase orders placed while the supplier was flagged.")

    @classmethod
    def from_view(cls, v: qq.SupplierFlagView) -> SupplierFlag:
        return cls(supplier=v.supplier, lots=v.lots, accepted_lots=v.accepted_lots,
                   flagged=v.flagged, flagged_orders=list(v.flagged_orders))


@strawberry.type(description="A supplier approved for an item (合格供方名录): rank 1 is "
                 "preferred; flagged: flagged for incoming quality now, so MRP passes it over.")
class ApprovedSupplier:
    item: str
    rank: int
    supplier: str
    approved_on: date
    flagged: bool

    @classmethod
    def from_view(cls, v: qq.ApprovedSupplierView) -> ApprovedSupplier:
        return cls(item=v.item, rank=v.rank, supplier=v.supplier, approved_on=v.approved_on,
                   flagged=v.flagged)


@strawberry.type(description="A quality alert: low_lot_yield, supplier_quality, "
                 "supplier_quality_cleared or flagged_supplier_order.")
class QualityAlert:
    position: int
    kind: str
    subject: str
    message: str
    raised_at: str

    @classmethod
    def from_view(cls, v: qq.QualityAlertView) -> QualityAlert:
        return cls(position=v.position, kind=v.kind, subject=v.subject, message=v.message,
                   raised_at=v.raised_at)


# -- measures ------------------------------------------------------------------------------------
@strawberry.enum(name="QualityGroup", description="What quality KPIs are grouped by.")
class QualityGroup(Enum):
    ITEM = "item"
    SUPPLIER = "supplier"
    WORK_CENTER = "work_center"
    DAY = "day"
    MONTH = "month"


@strawberry.type(description="Quality KPIs of one group: first inspections decided in the "
                 "window, NCRs opened in it.")
class QualityKpi:
    key: str
    lots: int
    accepted_lots: int
    acceptance_rate: Decimal = strawberry.field(
        description="Lots the computed decision accepted / lots (incoming: 来料合格率).")
    inspected: Decimal
    first_pass_yield: Decimal = strawberry.field(
        description="Units accepted at first inspection / units inspected (一次合格率).")
    rejected: Decimal
    ppm: int = strawberry.field(description="Units finally rejected per million inspected.")
    ncr_count: int
    ncr_cost: Decimal

    @classmethod
    def from_view(cls, v: qm.KpiRow) -> QualityKpi:
        return cls(key=v.key, lots=v.lots, accepted_lots=v.accepted_lots,
                   acceptance_rate=v.acceptance_rate, inspected=qty(v.inspected),
                   first_pass_yield=v.first_pass_yield, rejected=qty(v.rejected), ppm=v.ppm,
                   ncr_count=v.ncr_count, ncr_cost=v.ncr_cost)


@strawberry.type(description="A supplier's scorecard: incoming quality and on-time delivery.")
class SupplierScore:
    supplier: str
    lots: int
    accepted_lots: int
    acceptance_rate: Decimal
    inspected: Decimal
    rejected: Decimal
    ppm: int
    returned: Decimal
    order_lines: int = strawberry.field(description="Purchase order lines due in the window.")
    on_time_lines: int
    on_time_rate: Decimal

    @classmethod
    def from_view(cls, v: qm.Scorecard) -> SupplierScore:
        return cls(supplier=v.supplier, lots=v.lots, accepted_lots=v.accepted_lots,
                   acceptance_rate=v.acceptance_rate, inspected=qty(v.inspected),
                   rejected=qty(v.rejected), ppm=v.ppm, returned=qty(v.returned),
                   order_lines=v.order_lines, on_time_lines=v.on_time_lines,
                   on_time_rate=v.on_time_rate)


@strawberry.type(description="质量成本: internal failure (scrap, rework), external failure "
                 "(customer returns at cost, red invoices for returns and allowances ex VAT) "
                 "and appraisal (inspection hours at the inspector's rate).")
class QualityCostReport:
    scrap: Decimal
    rework: Decimal
    operation_scrap: Decimal = strawberry.field(
        description="Abnormal scrap posted by operation reports (not through an NCR).")
    internal_failure: Decimal
    customer_returns: Decimal
    red_invoices: Decimal
    external_failure: Decimal
    inspection_hours: Decimal
    appraisal: Decimal
    total: Decimal

    @classmethod
    def from_view(cls, v: qm.QualityCost) -> QualityCostReport:
        return cls(scrap=v.scrap, rework=v.rework, operation_scrap=v.operation_scrap,
                   internal_failure=v.internal_failure, customer_returns=v.customer_returns,
                   red_invoices=v.red_invoices, external_failure=v.external_failure,
                   inspection_hours=v.inspection_hours.normalize(), appraisal=v.appraisal,
                   total=v.total)


@strawberry.type
class SpcSubgroup:
    mean: Decimal
    range: Decimal
    out_of_control: bool


@strawberry.type(description="X̄-R chart data and capability of a measured characteristic: "
                 "null statistics until one whole subgroup was measured.")
class SpcChart:
    item: str
    characteristic: str
    lower: Decimal | None
    upper: Decimal | None
    values: int
    subgroup_size: int
    grand_mean: Decimal | None
    mean_range: Decimal | None
    x_ucl: Decimal | None
    x_lcl: Decimal | None
    r_ucl: Decimal | None
    r_lcl: Decimal | None
    sigma: Decimal | None
    cp: Decimal | None
    cpk: Decimal | None
    subgroups: list[SpcSubgroup]

    @classmethod
    def from_view(cls, v: qm.SpcData, n: int) -> SpcChart:
        c = v.chart
        return cls(
            item=v.item, characteristic=v.characteristic, lower=v.lower, upper=v.upper,
            values=v.values, subgroup_size=n, grand_mean=c and c.grand_mean,
            mean_range=c and c.mean_range, x_ucl=c and c.x_ucl, x_lcl=c and c.x_lcl,
            r_ucl=c and c.r_ucl, r_lcl=c and c.r_lcl, sigma=c and c.sigma,
            cp=c.cp if c else None, cpk=c.cpk if c else None,
            subgroups=[SpcSubgroup(mean=g.mean, range=g.range, out_of_control=g.out_of_control)
                       for g in (c.subgroups if c else ())])


@strawberry.type
class YieldStage:
    key: str = strawberry.field(description="final, incoming or in_process:OP10.")
    lots: int
    inspected: Decimal
    lost: Decimal = strawberry.field(description="Units scrapped or returned.")
    yield_: Decimal = strawberry.field(name="yield")


@strawberry.type(description="An item's observed yield and the scrap factor it recommends "
                 "(what applyYieldRecommendation would set).")
class YieldRecommendation:
    item: str
    observed_yield: Decimal
    recommended_scrap_factor: Decimal
    current_scrap_factor: Decimal
    stages: list[YieldStage]

    @classmethod
    def from_view(cls, v: qm.YieldView) -> YieldRecommendation:
        return cls(item=v.item, observed_yield=v.observed,
                   recommended_scrap_factor=v.recommended,
                   current_scrap_factor=v.current.normalize() if v.current == 0 else v.current,
                   stages=[YieldStage(key=r.key, lots=r.lots, inspected=qty(r.inspected),
                                      lost=qty(r.lost), yield_=r.yield_) for r in v.rows])


# -- traceability --------------------------------------------------------------------------------
@strawberry.enum(name="TraceDirection")
class TraceDirection(Enum):
    BACKWARD = "backward"  # where it came from
    FORWARD = "forward"  # where it went


@strawberry.type(description="One step of a lot's genealogy: the lot reached, how (receipt, "
                 "completion, issue, shipment), by which document and order, and from which "
                 "lot.")
class TraceLink:
    depth: int
    item: str
    lot: str
    via: str
    document: str
    order: str
    party: str
    qty: Decimal
    day: date
    from_item: str
    from_lot: str

    @classmethod
    def from_view(cls, v: tr.TraceLink) -> TraceLink:
        return cls(depth=v.depth, item=v.item, lot=v.lot, via=v.via, document=v.document,
                   order=v.order, party=v.party, qty=qty(v.qty), day=v.day,
                   from_item=v.from_item, from_lot=v.from_lot)


@strawberry.type
class ItemLot:
    item: str
    lot: str
    qty: Decimal


@strawberry.type
class LotOnHand:
    item: str
    lot: str
    warehouse: str
    location: str
    qty: Decimal


@strawberry.type(description="召回: every finished lot made from a lot, the stock of it and "
                 "of them still on hand, and the shipments and customers that received them.")
class RecallReport:
    item: str
    lot: str
    finished_lots: list[ItemLot]
    on_hand: list[LotOnHand]
    shipments: list[TraceLink]
    customers: list[str]

    @classmethod
    def from_view(cls, v: tr.Recall) -> RecallReport:
        return cls(item=v.item, lot=v.lot,
                   finished_lots=[ItemLot(item=i, lot=lo, qty=qty(q))
                                  for i, lo, q in v.finished_lots],
                   on_hand=[LotOnHand(item=h.item, lot=h.lot, warehouse=h.warehouse,
                                      location=h.location, qty=qty(h.qty)) for h in v.on_hand],
                   shipments=[TraceLink.from_view(s) for s in v.shipments],
                   customers=list(v.customers))
