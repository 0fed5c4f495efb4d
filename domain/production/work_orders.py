"""Work orders (生产工单): the life of one production run.

created -> released (materials available) or held (short), released -> in
progress (first report) -> completed (all expected units received) ->
closed (WIP remainder relieved as variance); cancelled only before any
material was issued. The allowed transitions are one table.

Each change is a past-tense fact carrying the order's number (and what it
names: the operation, the material line and item, the quantity and value),
so a reader needs no lookup: Released, ShortagesFound, Held, Cancelled,
ProductionStarted, Finished, OperationStarted/Paused/Resumed,
MaterialIssued/Returned, Reported, Completed, Closed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.catalog.engineering import IssueMethod
from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.production.costing import Wip
from domain.transcodings import transcoded

ZERO_QTY = Decimal("0.000000")


@transcoded("WorkOrderStatus")
class WorkOrderStatus(Enum):
    CREATED = "created"
    HELD = "held"
    RELEASED = "released"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


S = WorkOrderStatus
TRANSITIONS = {
    (S.CREATED, S.RELEASED),
    (S.CREATED, S.HELD),
    (S.HELD, S.RELEASED),
    (S.HELD, S.HELD),
    (S.RELEASED, S.HELD),
    (S.RELEASED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.RELEASED, S.COMPLETED),
    (S.IN_PROGRESS, S.CLOSED),
    (S.RELEASED, S.CLOSED),
    (S.COMPLETED, S.CLOSED),
    (S.CREATED, S.CANCELLED),
    (S.HELD, S.CANCELLED),
    (S.RELEASED, S.CANCELLED),
}
WORKING = (S.RELEASED, S.IN_PROGRESS)


@transcoded("OperationStatus")
class OperationStatus(Enum):
    PENDING = "pending"
    RUNNING = "running"
    PAUSED = "paused"


@transcoded("MaterialRequirement")
@dataclass(frozen=True)
class MaterialRequirement:
    line_no: int
    component: str
    qty_per: Decimal
    scrap_allowance: Decimal
    issue_method: IssueMethod
    operation: str
    required: Decimal
    issued: Decimal = ZERO_QTY
    returned: Decimal = ZERO_QTY
    issued_value: Decimal = Decimal("0.00")
    returned_value: Decimal = Decimal("0.00")

    @property
    def net_issued(self) -> Decimal:
        return self.issued - self.returned

    @property
    def outstanding(self) -> Decimal:
        return max(self.required - self.net_issued, ZERO_QTY)


@transcoded("OperationProgress")
@dataclass(frozen=True)
class OperationProgress:
    op_no: str
    work_center: str
    setup_hours: Decimal
    run_hours_per_unit: Decimal
    status: OperationStatus = OperationStatus.PENDING
    good: Decimal = ZERO_QTY
    scrap: Decimal = ZERO_QTY
    rework: Decimal = ZERO_QTY
    labor_hours: Decimal = Decimal("0")
    machine_hours: Decimal = Decimal("0")

    @property
    def processed(self) -> Decimal:
        return self.good + self.scrap

    @property
    def standard_hours(self) -> Decimal:
        """Standard labour for what was processed: setup once plus run per unit."""
        return (
            self.setup_hours if self.processed else Decimal(0)
        ) + self.run_hours_per_unit * self.processed


@transcoded("Shortage")
@dataclass(frozen=True)
class Shortage:
    item: str
    needed: Decimal
    available: Decimal


@transcoded("Report")
@dataclass(frozen=True)
class Report:
    """One operation report (报工) as it was recorded."""

    op_no: str
    good: Decimal
    scrap: Decimal
    scrap_reason: str
    rework: Decimal
    labor_hours: Decimal
    machine_hours: Decimal
    operator: str
    equipment: str
    report_date: date
    labor_cost: Decimal
    overhead_cost: Decimal
    scrap_cost: Decimal  # moved to 5711 when abnormal scrap is posted apart
    flagged: str  # why the report is flagged ("" = not flagged)
    entry_id: str


def work_order_id(number: str) -> uuid.UUID:
    return derived_id("work-order", number)


def scan_code(number: str, op_no: str) -> str:
    """What the traveller (流转卡) prints: WO-000123/OP20."""
    return f"{number}/{op_no}"


def parse_scan_code(code: str) -> tuple[str, str]:
    number, sep, op_no = (code or "").strip().upper().partition("/")
    if not sep or not number.startswith("WO-") or not op_no.startswith("OP"):
        raise ValidationError(f"scan code {code!r} is not like WO-000123/OP20", "code")
    return number, op_no


class WorkOrder(Aggregate):
    @event("Created")
    def __init__(
        self,
        number: str,
        item: str,
        qty: Decimal,
        due_date: date,
        warehouse: str,
        bom_version: str,
        routing_version: str,
        materials: tuple[MaterialRequirement, ...],
        operations: tuple[OperationProgress, ...],
        business_day: date,
    ):
        self.number = number
        self.item = item
        self.qty = qty
        self.due_date = due_date
        self.warehouse = warehouse
        self.bom_version = bom_version
        self.routing_version = routing_version
        self.materials = {m.line_no: m for m in materials}
        self.operations = {o.op_no: o for o in operations}
        self.op_order = [o.op_no for o in operations]
        self.business_day = business_day  # the day it was created (business date)
        self.status = WorkOrderStatus.CREATED
        self.shortages: tuple[Shortage, ...] = ()
        self.wip = Wip()
        self.completed = ZERO_QTY
        self.completed_value = Decimal("0.00")
        self.scrapped = ZERO_QTY
        self.consumed_lots: list[str] = []

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return work_order_id(number)

    # -- status ---------------------------------------------------------------------
    # Each change of status is its own fact carrying the order's number; the
    # mutator moves the status (checked beforehand by ``_check_move``).
    def _check_move(self, status: WorkOrderStatus) -> None:
        if (self.status, status) not in TRANSITIONS:
            raise BusinessRuleViolation(
                "INVALID_STATUS",
                f"work order {self.number} is {self.status.value}; it cannot become {status.value}",
            )

    def check_working(self) -> None:
        if self.status not in WORKING:
            raise BusinessRuleViolation(
                "WORK_ORDER_NOT_RUNNING",
                f"work order {self.number} is {self.status.value}; release it first"
                if self.status in (S.CREATED, S.HELD)
                else f"work order {self.number} is {self.status.value}",
            )

    @property
    def units_expected(self) -> Decimal:
        """Ordered less completed less scrapped so far (the costing denominator)."""
        return self.qty - self.completed - self.scrapped

    def release(self, shortages: tuple[Shortage, ...]) -> None:
        """Release, or hold with the shortage list when materials are short."""
        if shortages:
            self._check_move(S.HELD)
            self._shortages_found(self.number, tuple(shortages))
        else:
            self._check_move(S.RELEASED)
            self._released(self.number)

    @event("Released")
    def _released(self, number: str) -> None:
        """Released to the shop floor; any shortage list it was held with is cleared."""
        self.status = S.RELEASED
        self.shortages = ()

    @event("ShortagesFound")
    def _shortages_found(self, number: str, shortages: tuple[Shortage, ...]) -> None:
        """Held until these components arrive (物料到库后再排产)."""
        self.status = S.HELD
        self.shortages = tuple(shortages)  # JSON gives a list back

    def hold(self) -> None:
        self._check_move(S.HELD)
        self._held(self.number)

    @event("Held")
    def _held(self, number: str) -> None:
        self.status = S.HELD

    def cancel(self) -> None:
        if any(m.issued for m in self.materials.values()):
            raise BusinessRuleViolation(
                "MATERIAL_ISSUED",
                f"work order {self.number} has material issued; "
                "return it and close the order instead",
            )
        self._check_move(S.CANCELLED)
        self._cancelled(self.number)

    @event("Cancelled")
    def _cancelled(self, number: str) -> None:
        self.status = S.CANCELLED

    def _start_production(self) -> None:
        """The first operation started or reported: released -> in progress."""
        if self.status is S.RELEASED:
            self._check_move(S.IN_PROGRESS)
            self._production_started(self.number)

    @event("ProductionStarted")
    def _production_started(self, number: str) -> None:
        self.status = S.IN_PROGRESS

    def _finish(self) -> None:
        """Every expected unit received (or the last ones scrapped after the good
        ones were received): nothing more can complete."""
        self._check_move(S.COMPLETED)
        self._finished(self.number)

    @event("Finished")
    def _finished(self, number: str) -> None:
        self.status = S.COMPLETED

    # -- materials ------------------------------------------------------------------
    def material(self, line_no: int) -> MaterialRequirement:
        try:
            return self.materials[line_no]
        except KeyError:
            raise NotFound(
                f"work order {self.number} has no material line {line_no}",
                "MaterialLine",
                f"{self.number}/{line_no}",
            ) from None

    def check_issue(self, line_no: int, qty: Decimal, reason: str) -> MaterialRequirement:
        self.check_working()
        line = self.material(line_no)
        if qty > line.outstanding and not (reason or "").strip():
            raise BusinessRuleViolation(
                "OVER_ISSUE_NEEDS_REASON",
                f"line {line_no} ({line.component}): {qty.normalize():f} exceeds the "
                f"{line.outstanding.normalize():f} still required; give a reason",
            )
        return line

    def issue_material(self, line_no: int, qty: Decimal, value: Decimal, lot: str) -> None:
        line = self.material(line_no)
        self._material_issued(self.number, line_no, line.component, lot, qty, value)

    @event("MaterialIssued")
    def _material_issued(self, number: str, line_no: int, item: str, lot: str, qty: Decimal,
                         value: Decimal) -> None:
        """``qty`` of ``item`` (``lot``) issued to the order at ``value``: it joins
        the line's issued quantity and value and the material WIP."""
        line = self.materials[line_no]
        self.materials[line_no] = replace(line, issued=line.issued + qty,
                                          issued_value=line.issued_value + value)
        self.wip = self.wip.plus(Wip(material=value))
        if lot and lot not in self.consumed_lots:
            self.consumed_lots.append(lot)

    def return_material(self, line_no: int, qty: Decimal) -> Decimal:
        """Return unused material at its issue value; return the value."""
        self.check_working()
        line = self.material(line_no)
        if qty > line.net_issued:
            raise BusinessRuleViolation(
                "RETURN_EXCEEDS_ISSUED",
                f"line {line_no} ({line.component}): only {line.net_issued.normalize():f} "
                "issued and not yet returned",
            )
        from domain.money import round_amount

        held_value = line.issued_value - line.returned_value
        value = (
            held_value
            if qty == line.net_issued
            else round_amount(held_value * qty / line.net_issued)
        )
        self._material_returned(self.number, line_no, line.component, qty, value)
        return value

    @event("MaterialReturned")
    def _material_returned(self, number: str, line_no: int, item: str, qty: Decimal,
                           value: Decimal) -> None:
        """``qty`` of ``item`` back to stock at ``value``, out of the material WIP."""
        line = self.materials[line_no]
        self.materials[line_no] = replace(line, returned=line.returned + qty,
                                          returned_value=line.returned_value + value)
        self.wip = self.wip.plus(Wip(material=-value))

    def check_open_for_costs(self) -> bool:
        """True while WIP is not yet relieved by the final completion or close."""
        return self.status in (S.CREATED, S.HELD, S.RELEASED, S.IN_PROGRESS)

    def adjust_material_cost(self, line_no: int, delta: Decimal, invoice: str) -> None:
        """A purchase invoice's price difference on material this order consumed:
        it joins the line's issued value and the material WIP."""
        if not self.check_open_for_costs():
            raise BusinessRuleViolation(
                "WORK_ORDER_NOT_OPEN",
                f"work order {self.number} is {self.status.value}; its WIP is relieved")
        line = self.material(line_no)
        if delta:
            self._material_cost_adjusted(
                replace(line, issued_value=line.issued_value + delta), Wip(material=delta),
                invoice)

    @event("MaterialCostAdjusted")
    def _material_cost_adjusted(self, line: MaterialRequirement, wip_delta: Wip,
                                invoice: str) -> None:
        self.materials[line.line_no] = line
        self.wip = self.wip.plus(wip_delta)

    def allocate_overhead(self, amount: Decimal, reference: str) -> None:
        """A share of the period's under/over-applied overhead (制造费用差异) joins
        the overhead WIP (posted Dr/Cr 400101 in the same save)."""
        if not self.check_open_for_costs():
            raise BusinessRuleViolation(
                "WORK_ORDER_NOT_OPEN",
                f"work order {self.number} is {self.status.value}; its WIP is relieved")
        if amount:
            self._overhead_allocated(Wip(overhead=amount), reference)

    @event("OverheadAllocated")
    def _overhead_allocated(self, wip_delta: Wip, reference: str) -> None:
        self.wip = self.wip.plus(wip_delta)

    # -- operations -----------------------------------------------------------------
    def operation(self, op_no: str) -> OperationProgress:
        try:
            return self.operations[op_no]
        except KeyError:
            raise NotFound(
                f"work order {self.number} has no operation {op_no}",
                "Operation",
                f"{self.number}/{op_no}",
            ) from None

    def predecessor_output(self, op_no: str) -> Decimal:
        i = self.op_order.index(op_no)
        return self.qty if i == 0 else self.operations[self.op_order[i - 1]].good

    def set_operation_status(self, op_no: str, status: OperationStatus) -> None:
        """Start (or resume) an operation: RUNNING; pause it: PAUSED."""
        self.check_working()
        op = self.operation(op_no)
        allowed = {
            OperationStatus.RUNNING: (OperationStatus.PENDING,),
            OperationStatus.PAUSED: (OperationStatus.RUNNING,),
        }
        if status is OperationStatus.RUNNING and op.status is OperationStatus.PAUSED:
            self._operation_resumed(self.number, op_no)
        elif op.status not in allowed.get(status, ()):
            raise BusinessRuleViolation(
                "INVALID_OPERATION_STATUS",
                f"{op_no} of {self.number} is {op.status.value}; it cannot become {status.value}",
            )
        elif status is OperationStatus.RUNNING:
            self._operation_started(self.number, op_no)
        else:
            self._operation_paused(self.number, op_no)
        self._start_production()

    @event("OperationStarted")
    def _operation_started(self, number: str, op_no: str) -> None:
        self._operation_status(op_no, OperationStatus.RUNNING)

    @event("OperationPaused")
    def _operation_paused(self, number: str, op_no: str) -> None:
        self._operation_status(op_no, OperationStatus.PAUSED)

    @event("OperationResumed")
    def _operation_resumed(self, number: str, op_no: str) -> None:
        self._operation_status(op_no, OperationStatus.RUNNING)

    def _operation_status(self, op_no: str, status: OperationStatus) -> None:
        self.operations[op_no] = replace(self.operations[op_no], status=status)

    def check_report(self, op_no: str, good: Decimal, scrap: Decimal) -> OperationProgress:
        self.check_working()
        op = self.operation(op_no)
        if op.status is OperationStatus.PAUSED:
            raise BusinessRuleViolation(
                "OPERATION_PAUSED", f"{op_no} of {self.number} is paused; resume it first"
            )
        limit = self.predecessor_output(op_no) - op.processed
        if good + scrap > limit:
            before = (
                "ordered"
                if self.op_order.index(op_no) == 0
                else "delivered by " + self.op_order[self.op_order.index(op_no) - 1]
            )
            raise BusinessRuleViolation(
                "EXCEEDS_PREDECESSOR",
                f"{op_no} of {self.number}: good {good.normalize():f} + scrap "
                f"{scrap.normalize():f} exceeds the {limit.normalize():f} still available "
                f"({before})",
            )
        return op

    def record_report(self, report: Report) -> None:
        op = self.operation(report.op_no)
        updated = replace(
            op,
            status=OperationStatus.RUNNING,
            good=op.good + report.good,
            scrap=op.scrap + report.scrap,
            rework=op.rework + report.rework,
            labor_hours=op.labor_hours + report.labor_hours,
            machine_hours=op.machine_hours + report.machine_hours,
        )
        self._reported(updated, report, reported_wip_delta(self.wip, report))
        self._start_production()
        if self.units_expected <= 0 and self.completed > 0:
            # The last expected units were scrapped after the good ones were
            # received: nothing more can complete; close relieves the rest.
            self._finish()

    @event("Reported")
    def _reported(self, operation: OperationProgress, report: Report,
                  wip_delta: Wip | None = None) -> None:
        self.operations[operation.op_no] = operation
        self.scrapped += report.scrap
        if wip_delta is None:
            # A v1 event with abnormal scrap: its split was never stored (see
            # _reported_v1_v2); this WIP is the one it was decided from.
            wip_delta = reported_wip_delta(self.wip, report)
        self.wip = self.wip.plus(wip_delta)

    # -- completion and close -------------------------------------------------------------
    @property
    def last_operation_good(self) -> Decimal:
        return self.operations[self.op_order[-1]].good if self.op_order else self.qty

    def check_completion(self, qty: Decimal) -> None:
        self.check_working()
        limit = self.last_operation_good - self.completed
        if qty > limit:
            raise BusinessRuleViolation(
                "EXCEEDS_REPORTED_OUTPUT",
                f"work order {self.number}: {qty.normalize():f} exceeds the "
                f"{limit.normalize():f} reported good by the last operation and not yet "
                "received",
            )

    def complete(self, qty: Decimal, relieved: Wip, lot: str, document: str) -> None:
        self._completed(qty, relieved, lot, document)
        if self.units_expected <= 0:
            self._finish()

    @event("Completed")
    def _completed(self, qty: Decimal, relieved: Wip, lot: str, document: str) -> None:
        self.completed += qty
        self.completed_value += relieved.total
        self.wip = self.wip.minus(relieved)

    def close(self, variance: Wip, entry_id: str) -> None:
        if self.status not in (S.RELEASED, S.IN_PROGRESS, S.COMPLETED):
            raise BusinessRuleViolation(
                "INVALID_STATUS",
                f"work order {self.number} is {self.status.value}; "
                "only a released or completed order can be closed",
            )
        self._check_move(S.CLOSED)
        self._closed(variance, entry_id)

    @event("Closed")
    def _closed(self, variance: Wip, entry_id: str) -> None:
        """Closed, the WIP remainder relieved as ``variance``."""
        self.wip = self.wip.minus(variance)
        self.status = S.CLOSED


def reported_wip_delta(wip: Wip, report: Report) -> Wip:
    """What an operation report does to WIP: its labour and overhead join it, and
    abnormal scrap's cost (moved to 5711) leaves it, split over the elements in
    proportion to the WIP after the report's costs. Decided once, when the
    report is recorded, and stored in the Reported event (v2)."""
    added = Wip(labor=report.labor_cost, overhead=report.overhead_cost)
    if not report.scrap_cost:
        return added
    from domain.production.costing import split

    return added.minus(split(wip.plus(added), report.scrap_cost))


# -- event versions (docs/architecture.md, "Event naming and versioning rules") ----------


def _reported_v1_v2(state: dict) -> None:
    """v2 stores the report's WIP change, scrap split included. A v1 report
    without abnormal scrap changed WIP by exactly its labour and overhead; with
    scrap the split depends on the order's WIP before the report, which the
    event does not hold, so it stays None: replaying the aggregate computes it
    from the state it was decided from, and the production projection keeps
    the v1 rule for these old events only."""
    report = state["report"]
    state["wip_delta"] = None if report.scrap_cost else Wip(
        labor=report.labor_cost, overhead=report.overhead_cost)


WorkOrder.Reported.class_version = 2
WorkOrder.Reported.upcast_v1_v2 = staticmethod(_reported_v1_v2)
