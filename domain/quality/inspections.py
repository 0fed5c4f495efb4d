"""Inspection lots (检验批) and the holds they put on the next operation.

An inspection lot is opened by a receipt (IQC), an operation report (IPQC)
or a completion (FQC) of an item whose plan is in force: it freezes the
plan's version, its characteristics and the lot's sampling plan (code
letter, n, Ac, Re). Stock of an IQC or FQC lot waits in the warehouse's
quarantine location (待检区). Results are recorded once; the decision (the
computed one, or an override with its reason) is applied once: the accepted
quantity leaves quarantine, the rejected one opens a nonconformance report.
A concession (让步接收) granted later on that report is recorded on the lot.

An in-process plan that blocks the next operation holds the lot's units on
an ``OperationGate`` (one per work order and operation) until the lot
passes, and the rejected units until their nonconformance is disposed of.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.quality.findings import Decision, DefectCount, Measurement, Verdict
from domain.quality.plans import Characteristic, Stage
from domain.quality.sampling import SamplingPlan
from domain.transcodings import transcoded

ZERO_QTY = Decimal("0.000000")
PREFIX = "IL"


@transcoded("LotSource")
@dataclass(frozen=True)
class LotSource:
    """Where an inspection lot came from."""

    document: str = ""  # GR-000001 (receipt), FG-000001 (completion); "" for a report
    line: int = 0  # the document's line
    supplier: str = ""
    order: str = ""  # the purchase order, or the work order
    order_line: int = 0  # the purchase order's line
    operation: str = ""  # IPQC: the reported operation
    work_center: str = ""  # IPQC: where it ran
    value: Decimal = Decimal("0.00")  # the lot's value as it entered quarantine
    reinspects: str = ""  # a re-inspection after rework: the nonconformance
    first_lot: str = ""  # a re-inspection: the lot first inspected (its yield loses)


@transcoded("InspectionStatus")
class InspectionStatus(Enum):
    OPEN = "open"  # waiting for results
    HELD = "held"  # results recorded, decision waiting for release or override
    CLOSED = "closed"  # decided and applied


def inspection_lot_id(number: str) -> uuid.UUID:
    return derived_id("inspection-lot", number)


class InspectionLot(Aggregate):
    @event("Opened")
    def __init__(self, number: str, stage: Stage, item: str, qty: Decimal, warehouse: str,
                 location: str, lot: str, source: LotSource, plan_version: str,
                 characteristics: tuple[Characteristic, ...], sampling: SamplingPlan,
                 opened_on: date, blocks_next: bool = False):
        self.number = number
        self.stage = stage
        self.item = item
        self.qty = qty
        self.warehouse = warehouse
        self.location = location  # where accepted stock goes (it waits in quarantine)
        self.lot = lot
        self.source = source
        self.plan_version = plan_version
        self.characteristics = tuple(characteristics)
        self.sampling = sampling
        self.opened_on = opened_on
        self.blocks_next = blocks_next
        self.status = InspectionStatus.OPEN
        self.computed: Decision | None = None
        self.decision: Decision | None = None
        self.ncr = ""
        self.conceded = ZERO_QTY
        self.nonconformities = 0
        self.defects: tuple[DefectCount, ...] = ()

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return inspection_lot_id(number)

    @property
    def first_lot(self) -> str:
        """The lot whose yield this one's losses count against."""
        return self.source.first_lot or self.number

    @property
    def quarantined(self) -> bool:
        """IQC and FQC lots wait in the quarantine location; IPQC lots are WIP."""
        return self.stage is not Stage.IN_PROCESS

    def check_open(self) -> None:
        if self.status is not InspectionStatus.OPEN:
            raise BusinessRuleViolation(
                "RESULTS_RECORDED",
                f"inspection lot {self.number} already has its results ({self.status.value})")

    def check_held(self) -> Decision:
        if self.status is not InspectionStatus.HELD or self.computed is None:
            raise BusinessRuleViolation(
                "NOT_HELD",
                f"inspection lot {self.number} is {self.status.value}; only a lot whose "
                "results were recorded with hold can be released or overridden")
        return self.computed

    def record(self, inspected_on: date, measurements: tuple[Measurement, ...],
               defects: tuple[DefectCount, ...], nonconformities: int, defective: int,
               computed: Decision, hours: Decimal, appraisal: Decimal) -> None:
        """``appraisal``: the inspection hours at the inspector's rate (质量成本, 鉴定成本)."""
        self.check_open()
        self._recorded(self.number, inspected_on, measurements, defects, nonconformities,
                       defective, computed, hours, appraisal)

    @event("ResultsRecorded")
    def _recorded(self, number: str, inspected_on: date,
                  measurements: tuple[Measurement, ...], defects: tuple[DefectCount, ...],
                  nonconformities: int, defective: int, computed: Decision,
                  hours: Decimal, appraisal: Decimal) -> None:
        self.status = InspectionStatus.HELD
        self.computed = computed
        self.nonconformities = nonconformities
        self.defects = tuple(defects)

    def decide(self, decision: Decision, day: date, overridden: bool, reason: str, ncr: str,
               document: str) -> None:
        self.check_held()
        self._decided(self.number, self.item, decision, day, overridden, reason, ncr, document)

    @event("Decided")
    def _decided(self, number: str, item: str, decision: Decision, day: date,
                 overridden: bool, reason: str, ncr: str, document: str) -> None:
        self.status = InspectionStatus.CLOSED
        self.decision = decision
        self.ncr = ncr

    def concede(self, ncr: str, qty: Decimal, approver: str, reason: str, day: date) -> None:
        """A concession (让步接收) on this lot's nonconformance: its units released as is."""
        self._conceded(self.number, ncr, qty, approver, reason, day)

    @event("Conceded")
    def _conceded(self, number: str, ncr: str, qty: Decimal, approver: str, reason: str,
                  day: date) -> None:
        self.conceded += qty


def override_decision(lot: InspectionLot, accepted: Decimal) -> Decision:
    """The decision an override makes: ``accepted`` of the lot, the rest rejected."""
    if accepted < 0 or accepted > lot.qty:
        raise ValidationError(f"acceptedQty must be between 0 and the lot's "
                              f"{lot.qty.normalize():f}", "acceptedQty")
    verdict = Verdict.ACCEPT if accepted > 0 else Verdict.REJECT
    return Decision(verdict, accepted, lot.qty - accepted)


# -- holds on the next operation ------------------------------------------------------------
def gate_id(work_order: str, operation: str) -> uuid.UUID:
    return derived_id("operation-gate", f"{work_order}/{operation}")


class OperationGate(Aggregate):
    """Units of one operation of a work order that the next operation (or the
    completion) may not take yet: lots awaiting inspection, rejected units
    awaiting disposition. Keyed by the lot or nonconformance holding them."""

    @event("Started")
    def __init__(self, work_order: str, operation: str):
        self.work_order = work_order
        self.operation = operation
        self.holds: dict[str, Decimal] = {}

    @classmethod
    def create_id(cls, work_order: str, operation: str) -> uuid.UUID:
        return gate_id(work_order, operation)

    @property
    def held(self) -> Decimal:
        return sum(self.holds.values(), ZERO_QTY)

    def hold(self, key: str, qty: Decimal) -> None:
        if qty > 0:
            self._held(self.work_order, self.operation, key, qty)

    @event("Held")
    def _held(self, work_order: str, operation: str, key: str, qty: Decimal) -> None:
        self.holds[key] = self.holds.get(key, ZERO_QTY) + qty

    def release(self, key: str, qty: Decimal | None = None) -> None:
        """Release ``qty`` held by ``key`` (all of it by default)."""
        held = self.holds.get(key, ZERO_QTY)
        qty = held if qty is None else min(qty, held)
        if qty > 0:
            self._released(self.work_order, self.operation, key, qty)

    @event("Released")
    def _released(self, work_order: str, operation: str, key: str, qty: Decimal) -> None:
        left = self.holds.get(key, ZERO_QTY) - qty
        if left > 0:
            self.holds[key] = left
        else:
            self.holds.pop(key, None)
