"""Read-side GraphQL types of production (MES), each built from a read-model view
(``projections.production_queries``) by a ``from_view`` function.

Quantities travel as Decimal text without trailing zeros, amounts to the cent,
hours with up to 4 places, rates and unit costs with at least 2 places.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.inventory_types import price, qty
from api.graphql.types import JournalEntry, PageInfo
from domain.catalog.engineering import IssueMethod
from domain.production.work_orders import OperationStatus, WorkOrderStatus
from projections import ledger_queries as lq
from projections import production_queries as pq

WorkOrderStatusEnum = strawberry.enum(WorkOrderStatus, name="WorkOrderStatus")
OperationStatusEnum = strawberry.enum(OperationStatus, name="OperationStatus")
IssueMethodEnum = strawberry.enum(IssueMethod, name="IssueMethod")

HOUR_PLACES = Decimal("0.0001")


def hours(value: Decimal) -> Decimal:
    """Hours without trailing zeros beyond what they need: 2.0000 -> 2, 0.0020 -> 0.002."""
    return qty(value.quantize(HOUR_PLACES))


# -- engineering data -------------------------------------------------------------------
@strawberry.type(description="A shift of a work center's calendar; weekday 0 is Monday.")
class Shift:
    weekday: int
    start: str
    end: str


@strawberry.type(description="A work center (工作中心): calendar, capacity (machines or people "
                 "in parallel), labor and overhead rates per hour.")
class WorkCenter:
    code: str
    name: str
    capacity: int
    labor_rate: Decimal = strawberry.field(description="CNY per labor hour.")
    overhead_rate: Decimal = strawberry.field(
        description="CNY per machine hour (per labor hour when no machine hours are reported).")
    shifts: list[Shift]
    holidays: list[date]

    @classmethod
    def from_view(cls, v: pq.WorkCenterView) -> WorkCenter:
        return cls(code=v.code, name=v.name, capacity=v.capacity, labor_rate=price(v.labor_rate),
                   overhead_rate=price(v.overhead_rate),
                   shifts=[Shift(weekday=s.weekday, start=s.start, end=s.end) for s in v.shifts],
                   holidays=list(v.holidays))


@strawberry.type(description="A person on the floor and the work centers they are qualified "
                 "for.")
class Operator:
    code: str
    name: str
    work_centers: list[str]

    @classmethod
    def from_view(cls, v: pq.OperatorView) -> Operator:
        return cls(code=v.code, name=v.name, work_centers=list(v.work_centers))


@strawberry.type(description="A BOM line: quantity per parent unit, scrap allowance (0.02 = 2% "
                 "extra), issue method and the operation that consumes it.")
class BomLine:
    line_no: int
    component: str
    qty_per: Decimal
    scrap_allowance: Decimal
    issue_method: IssueMethodEnum
    operation: str = strawberry.field(description="Empty: the routing's first operation.")


@strawberry.type(description="A version of a bill of materials (物料清单) with its "
                 "effective dates.")
class Bom:
    item: str
    version: str
    effective_from: date
    effective_to: date | None
    lines: list[BomLine]

    @classmethod
    def from_view(cls, v: pq.BomView) -> Bom:
        return cls(item=v.item, version=v.version, effective_from=v.effective_from,
                   effective_to=v.effective_to,
                   lines=[BomLine(line_no=ln.line_no, component=ln.component,
                                  qty_per=qty(ln.qty_per),
                                  scrap_allowance=ln.scrap_allowance.normalize(),
                                  issue_method=IssueMethod(ln.issue_method),
                                  operation=ln.operation) for ln in v.lines])


@strawberry.type(description="An operation of a routing at a work center.")
class RoutingOperation:
    op_no: str
    work_center: str
    setup_hours: Decimal
    run_hours_per_unit: Decimal
    description: str


@strawberry.type(description="A version of a routing (工艺路线) with its effective dates.")
class Routing:
    item: str
    version: str
    effective_from: date
    effective_to: date | None
    operations: list[RoutingOperation]

    @classmethod
    def from_view(cls, v: pq.RoutingView) -> Routing:
        return cls(item=v.item, version=v.version, effective_from=v.effective_from,
                   effective_to=v.effective_to,
                   operations=[RoutingOperation(
                       op_no=o.op_no, work_center=o.work_center, setup_hours=hours(o.setup_hours),
                       run_hours_per_unit=hours(o.run_hours_per_unit),
                       description=o.description) for o in v.operations])


@strawberry.type(name="ProductionSettings",
                 description="How production posts: flagged unqualified reports, abnormal "
                 "scrap to 5711 营业外支出, and the accounts of WIP and of close variances.")
class ProductionSettingsType:
    allow_unqualified_reports: bool
    abnormal_scrap_to_5711: bool = strawberry.field(name="abnormalScrapTo5711")
    material_variance_account: str
    labor_variance_account: str
    overhead_variance_account: str
    wip_account: str


# -- work orders ----------------------------------------------------------------------------
@strawberry.type(description="A work order (生产工单) in a list: what it makes and where it "
                 "stands.")
class WorkOrderSummary:
    number: str
    item: str
    item_name: str
    qty: Decimal
    due_date: date
    status: WorkOrderStatusEnum
    completed: Decimal
    scrapped: Decimal
    wip: Decimal = strawberry.field(description="WIP balance (400101) of the order.")
    created_on: date

    @classmethod
    def from_view(cls, v: pq.WorkOrderSummary) -> WorkOrderSummary:
        return cls(number=v.number, item=v.item, item_name=v.item_name, qty=qty(v.qty),
                   due_date=v.due_date, status=WorkOrderStatus(v.status),
                   completed=qty(v.completed), scrapped=qty(v.scrapped), wip=v.wip,
                   created_on=v.business_day)


@strawberry.type
class WorkOrderEdge:
    cursor: str
    node: WorkOrderSummary


@strawberry.type(description="Work orders in number order, a page at a time.")
class WorkOrderConnection:
    edges: list[WorkOrderEdge]
    page_info: PageInfo


@strawberry.type(description="A material line of a work order: required (with scrap "
                 "allowance), issued and returned (退料), at value.")
class WorkOrderMaterial:
    line_no: int
    component: str
    issue_method: IssueMethodEnum
    operation: str
    required: Decimal
    issued: Decimal
    returned: Decimal
    outstanding: Decimal = strawberry.field(description="required - (issued - returned), "
                                            "never below 0.")
    issued_value: Decimal
    returned_value: Decimal

    @classmethod
    def from_view(cls, v: pq.MaterialView) -> WorkOrderMaterial:
        return cls(line_no=v.line_no, component=v.component,
                   issue_method=IssueMethod(v.issue_method), operation=v.operation,
                   required=qty(v.required), issued=qty(v.issued), returned=qty(v.returned),
                   outstanding=qty(max(v.required - v.issued + v.returned, Decimal(0))),
                   issued_value=v.issued_value, returned_value=v.returned_value)


@strawberry.type(description="Progress of one operation of a work order; `scanCode` is what "
                 "the traveller (流转卡) prints for reportByScan.")
class WorkOrderOperation:
    op_no: str
    scan_code: str
    work_center: str
    status: OperationStatusEnum
    good: Decimal
    scrap: Decimal
    rework: Decimal
    labor_hours: Decimal
    machine_hours: Decimal
    standard_hours: Decimal = strawberry.field(
        description="Setup (once anything was processed) + run hours x (good + scrap).")

    @classmethod
    def from_view(cls, v: pq.OperationView) -> WorkOrderOperation:
        return cls(op_no=v.op_no, scan_code=v.scan_code, work_center=v.work_center,
                   status=OperationStatus(v.status), good=qty(v.good), scrap=qty(v.scrap),
                   rework=qty(v.rework), labor_hours=hours(v.labor_hours),
                   machine_hours=hours(v.machine_hours), standard_hours=hours(v.standard_hours))


@strawberry.type(description="An operation report (报工) with the cost it applied.")
class OperationReport:
    number: str
    item: str
    op_no: str
    scan_code: str
    work_center: str
    report_date: date
    good: Decimal
    scrap: Decimal
    rework: Decimal
    scrap_reason: str
    labor_hours: Decimal
    machine_hours: Decimal
    operator: str
    equipment: str
    labor_cost: Decimal
    overhead_cost: Decimal
    scrap_cost: Decimal = strawberry.field(description="Moved to 5711 (abnormal scrap); 0.00 "
                                           "when scrap cost stays in the good units.")
    flagged: str = strawberry.field(description="Why the report is flagged; empty if not.")
    entry_id: strawberry.ID | None
    log_position: int

    @strawberry.field(description="The journal entry (记账凭证) the report posted.")
    async def entry(self, info: Info) -> JournalEntry | None:
        return await entry_of(info, str(self.entry_id or ""))

    @classmethod
    def from_view(cls, number: str, item: str, v: pq.ReportView) -> OperationReport:
        return cls(number=number, item=item, op_no=v.op_no, scan_code=f"{number}/{v.op_no}",
                   work_center=v.work_center, report_date=v.report_date, good=qty(v.good),
                   scrap=qty(v.scrap), rework=qty(v.rework), scrap_reason=v.scrap_reason,
                   labor_hours=hours(v.labor_hours), machine_hours=hours(v.machine_hours),
                   operator=v.operator, equipment=v.equipment, labor_cost=v.labor_cost,
                   overhead_cost=v.overhead_cost, scrap_cost=v.scrap_cost, flagged=v.flagged,
                   entry_id=strawberry.ID(v.entry_id) if v.entry_id else None,
                   log_position=v.position)

    @classmethod
    def from_progress(cls, p: pq.ProgressReport) -> OperationReport:
        return cls.from_view(p.number, p.item, p.report)


@strawberry.type(description="A completion receipt (完工入库) and the value it took out of WIP.")
class WorkOrderCompletion:
    document: str
    qty: Decimal
    value: Decimal
    lot: str
    log_position: int


@strawberry.type(description="A component short when the order was released: needed and "
                 "available then.")
class Shortage:
    item: str
    needed: Decimal
    available: Decimal


@strawberry.type(description="Actual cost of a work order: what went in by element, what "
                 "came out, and the WIP balance by element.")
class WorkOrderCost:
    material: Decimal = strawberry.field(description="Issued less returned, at issue value.")
    labor: Decimal
    overhead: Decimal
    total_in: Decimal
    completed_value: Decimal
    abnormal_scrap: Decimal = strawberry.field(description="Posted to 5711 营业外支出.")
    variance: Decimal = strawberry.field(description="WIP remainder relieved at close.")
    wip_material: Decimal
    wip_labor: Decimal
    wip_overhead: Decimal
    wip: Decimal


UNIT_COST_RULE = (
    "Actual cost per unit completed so far (completed value / completed qty); null before "
    "the first completion. Completion valuation rule: a completion of q units is valued at "
    "round(WIP balance x q / units still expected, 2), where units still expected = ordered "
    "- completed - scrapped so far; the last completion takes whatever WIP remains, so a "
    "completed order's WIP is exactly 0.00."
)


@strawberry.type(description="A work order (生产工单) with its progress, materials, hours, "
                 "actual cost and WIP.")
class WorkOrder:
    number: str
    item: str
    item_name: str
    qty: Decimal
    due_date: date
    created_on: date
    status: WorkOrderStatusEnum
    warehouse: str
    bom_version: str
    routing_version: str
    completed: Decimal
    scrapped: Decimal
    units_still_expected: Decimal = strawberry.field(
        description="Ordered - completed - scrapped so far: the divisor of the completion "
        "valuation rule.")
    operations: list[WorkOrderOperation]
    materials: list[WorkOrderMaterial]
    reports: list[OperationReport]
    completions: list[WorkOrderCompletion]
    shortages: list[Shortage]
    labor_hours: Decimal
    machine_hours: Decimal
    standard_hours: Decimal
    cost: WorkOrderCost
    wip: Decimal = strawberry.field(description="WIP balance (400101) of the order.")
    variance: Decimal = strawberry.field(description="WIP remainder relieved at close to the "
                                         "variance accounts.")
    unit_cost: Decimal | None = strawberry.field(description=UNIT_COST_RULE)

    @classmethod
    def from_view(cls, v: pq.WorkOrderDetail) -> WorkOrder:
        s, c = v.summary, v.cost
        ops = [WorkOrderOperation.from_view(o) for o in v.operations]
        return cls(
            number=s.number, item=s.item, item_name=s.item_name, qty=qty(s.qty),
            due_date=s.due_date, created_on=s.business_day, status=WorkOrderStatus(s.status),
            warehouse=v.warehouse, bom_version=v.bom_version, routing_version=v.routing_version,
            completed=qty(s.completed), scrapped=qty(s.scrapped),
            units_still_expected=qty(max(s.qty - s.completed - s.scrapped, Decimal(0))),
            operations=ops,
            materials=[WorkOrderMaterial.from_view(m) for m in v.materials],
            reports=[OperationReport.from_view(s.number, s.item, r) for r in v.reports],
            completions=[WorkOrderCompletion(document=x.document, qty=qty(x.qty), value=x.value,
                                             lot=x.lot, log_position=x.position)
                         for x in v.completions],
            shortages=[Shortage(item=x.item, needed=qty(x.needed),
                                available=qty(x.available_then)) for x in v.shortages],
            labor_hours=hours(sum((o.labor_hours for o in v.operations), Decimal(0))),
            machine_hours=hours(sum((o.machine_hours for o in v.operations), Decimal(0))),
            standard_hours=hours(sum((o.standard_hours for o in v.operations), Decimal(0))),
            cost=WorkOrderCost(
                material=c.material_in, labor=c.labor_in, overhead=c.overhead_in,
                total_in=c.material_in + c.labor_in + c.overhead_in,
                completed_value=c.completed_value, abnormal_scrap=c.abnormal_scrap,
                variance=c.variance, wip_material=c.wip_material, wip_labor=c.wip_labor,
                wip_overhead=c.wip_overhead, wip=c.wip),
            wip=c.wip, variance=c.variance,
            unit_cost=price(v.unit_cost) if v.unit_cost is not None else None,
        )


# -- shop floor and reports -------------------------------------------------------------------
@strawberry.type(description="A line of the dispatch list (派工单): a released operation at the "
                 "work center, in priority order (due date, then release time).")
class DispatchListRow:
    number: str
    op_no: str
    scan_code: str
    item: str
    due_date: date
    status: OperationStatusEnum = strawberry.field(description="Of the operation.")
    available: Decimal = strawberry.field(description="Delivered by the predecessor (or "
                                          "ordered, for the first operation), not yet processed.")
    remaining: Decimal = strawberry.field(description="Ordered less processed here.")
    standard_hours: Decimal

    @classmethod
    def from_view(cls, v: pq.DispatchRow) -> DispatchListRow:
        return cls(number=v.number, op_no=v.op_no, scan_code=v.scan_code, item=v.item,
                   due_date=v.due_date, status=OperationStatus(v.status),
                   available=qty(v.available), remaining=qty(v.remaining),
                   standard_hours=hours(v.standard_hours))


@strawberry.type(description="WIP of all work orders against the balance of 400101 "
                 "生产成本-基本生产成本; the difference is 0.00 unless someone posted to it "
                 "by hand.")
class WipReconciliation:
    wip_total: Decimal
    gl_balance: Decimal
    difference: Decimal

    @classmethod
    def from_view(cls, v: pq.WipReconciliation) -> WipReconciliation:
        return cls(wip_total=v.wip_total, gl_balance=v.gl_balance, difference=v.difference)


@strawberry.type(description="A component a held order waits for: needed, and available now.")
class HeldShortage:
    item: str
    needed: Decimal
    available: Decimal


@strawberry.type(description="A work order on hold for materials; `releasable` once they have "
                 "arrived (物料到库后再排产).")
class HeldWorkOrder:
    number: str
    item: str
    due_date: date
    shortages: list[HeldShortage]
    releasable: bool

    @classmethod
    def from_view(cls, v: pq.HeldOrder) -> HeldWorkOrder:
        return cls(number=v.number, item=v.item, due_date=v.due_date,
                   shortages=[HeldShortage(item=i, needed=qty(n), available=qty(a))
                              for i, n, a in v.shortages],
                   releasable=v.releasable)


@strawberry.type(description="An open sales order line that stock (reserved or free) now "
                 "covers.")
class ReadyToShipLine:
    number: str
    line_no: int
    customer: str
    item: str
    open_qty: Decimal
    reserved: Decimal
    available: Decimal
    due_date: date

    @classmethod
    def from_view(cls, v: pq.ReadyToShip) -> ReadyToShipLine:
        return cls(number=v.number, line_no=v.line_no, customer=v.customer, item=v.item,
                   open_qty=qty(v.open_qty), reserved=qty(v.reserved),
                   available=qty(v.available), due_date=v.due_date)


@strawberry.type(description="Shop-floor KPIs of a work center on a day.")
class ShopKpi:
    day: date
    work_center: str
    planned: Decimal = strawberry.field(description="Ordered on work orders due that day.")
    done: Decimal = strawberry.field(description="Good reported here for those orders.")
    good: Decimal = strawberry.field(description="Good reported here that day.")
    scrap: Decimal
    labor_hours: Decimal
    standard_hours: Decimal
    plan_attainment: Decimal | None = strawberry.field(
        description="计划达成率 = done / planned; null when nothing was due.")
    scrap_rate: Decimal | None = strawberry.field(description="废品率 = scrap / (good + scrap).")
    labor_efficiency: Decimal | None = strawberry.field(
        description="Standard hours earned / labor hours reported.")

    @classmethod
    def from_view(cls, v: pq.ShopKpi) -> ShopKpi:
        return cls(day=v.day, work_center=v.work_center, planned=qty(v.planned),
                   done=qty(v.done), good=qty(v.good), scrap=qty(v.scrap),
                   labor_hours=hours(v.labor_hours), standard_hours=hours(v.standard_hours),
                   plan_attainment=v.plan_attainment, scrap_rate=v.scrap_rate,
                   labor_efficiency=v.labor_efficiency)


@strawberry.type(description="An alert, e.g. a work order held for a material shortage.")
class Alert:
    log_position: int
    kind: str
    subject: str
    message: str
    raised_at: str

    @classmethod
    def from_view(cls, v: pq.AlertView) -> Alert:
        return cls(log_position=v.position, kind=v.kind, subject=v.subject, message=v.message,
                   raised_at=v.raised_at)


async def entry_of(info: Info, entry_id: str) -> JournalEntry | None:
    if not entry_id:
        return None
    view = await read(info, lambda c: lq.journal_entry(c, entry_id))
    return JournalEntry.from_view(view) if view else None
