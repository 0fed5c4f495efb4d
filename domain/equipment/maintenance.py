"""Maintenance orders (维修工单): preventive (from a plan) or corrective (a
breakdown, or opened by hand); open -> started -> closed. Spare parts leave
stock at moving average and labour is valued at the maintenance rate, each
posted in the same save as the fact (Dr 4101 制造费用 / Cr the part's stock
account, Dr 4101 / Cr 2211 应付职工薪酬, or the accounts the company maps).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.ledger.voucher import Voucher
from domain.money import round_amount
from domain.transcodings import transcoded

PREFIX = "MO"
# The longest planned window of one order (a week).
MAX_WINDOW_HOURS = Decimal("168")


def maintenance_order_id(number: str) -> uuid.UUID:
    return derived_id("maintenance-order", number)


@transcoded("MaintenanceKind")
class MaintenanceKind(Enum):
    PREVENTIVE = "preventive"
    CORRECTIVE = "corrective"


@transcoded("MaintenanceStatus")
class MaintenanceStatus(Enum):
    OPEN = "open"
    STARTED = "started"
    CLOSED = "closed"


@transcoded("PartIssue")
@dataclass(frozen=True)
class PartIssue:
    line_no: int
    item: str
    warehouse: str
    qty: Decimal
    value: Decimal
    account: str  # the stock account credited


class MaintenanceOrder(Aggregate):
    @event("Opened")
    def __init__(self, number: str, equipment: str, work_center: str, kind: MaintenanceKind,
                 plan: str, reason: str, description: str, opened_on: date):
        self.number = number
        self.equipment = equipment
        self.work_center = work_center
        self.kind = kind
        self.plan = plan
        self.reason = reason
        self.description = description
        self.opened_on = opened_on
        self.status = MaintenanceStatus.OPEN
        self.parts_value = Decimal("0.00")
        self.labor_hours = Decimal("0")
        self.labor_value = Decimal("0.00")
        self.planned: tuple[str, str] | None = None

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return maintenance_order_id(number)

    def _check_not_closed(self) -> None:
        if self.status is MaintenanceStatus.CLOSED:
            raise BusinessRuleViolation("MAINTENANCE_ORDER_CLOSED",
                                        f"maintenance order {self.number} is closed")

    def start(self, day: date) -> None:
        if self.status is not MaintenanceStatus.OPEN:
            raise BusinessRuleViolation(
                "MAINTENANCE_ORDER_NOT_OPEN",
                f"maintenance order {self.number} is {self.status.value}, not open")
        self._started(self.number, day)

    @event("Started")
    def _started(self, number: str, day: date) -> None:
        self.status = MaintenanceStatus.STARTED

    def plan_window(self, start: datetime, hours: Decimal) -> None:
        """When the work will stop the machine (planned maintenance time that
        finite scheduling keeps free): wall clock, the company's time."""
        self._check_not_closed()
        if not isinstance(start, datetime):
            raise ValidationError("start must be a date and time", "start")
        if not Decimal("0") < hours <= MAX_WINDOW_HOURS:
            raise ValidationError(f"hours must be above 0 and at most {MAX_WINDOW_HOURS}",
                                  "hours")
        start = start.replace(tzinfo=None, second=0, microsecond=0)
        end = (start + timedelta(hours=float(hours))).replace(second=0, microsecond=0)
        # wall-clock times as ISO text (the schedule's clock; events store no naive time)
        self._window_planned(self.number, self.equipment, self.work_center,
                             start.isoformat(timespec="minutes"),
                             end.isoformat(timespec="minutes"))

    @event("WindowPlanned")
    def _window_planned(self, number: str, equipment: str, work_center: str, start: str,
                        end: str) -> None:
        self.planned = (start, end)

    def check_started(self) -> None:
        self._check_not_closed()
        if self.status is not MaintenanceStatus.STARTED:
            raise BusinessRuleViolation(
                "MAINTENANCE_ORDER_NOT_STARTED",
                f"maintenance order {self.number} is not started: start it first")

    def issue_parts(self, day: date, document: str, lines: tuple[PartIssue, ...],
                    entry_id: str, voucher_no: str) -> None:
        self.check_started()
        value = sum((ln.value for ln in lines), Decimal("0.00"))
        self._parts_issued(self.number, self.equipment, day, document, lines, value, entry_id,
                           voucher_no)

    @event("PartsIssued")
    def _parts_issued(self, number: str, equipment: str, day: date, document: str,
                      lines: tuple[PartIssue, ...], value: Decimal, entry_id: str,
                      voucher_no: str) -> None:
        self.parts_value += value

    def record_labor(self, day: date, hours: Decimal, rate: Decimal, amount: Decimal,
                     entry_id: str, voucher_no: str) -> None:
        self.check_started()
        self._labor_recorded(self.number, self.equipment, day, hours, rate, amount, entry_id,
                             voucher_no)

    @event("LaborRecorded")
    def _labor_recorded(self, number: str, equipment: str, day: date, hours: Decimal,
                        rate: Decimal, amount: Decimal, entry_id: str, voucher_no: str) -> None:
        self.labor_hours += hours
        self.labor_value += amount

    def close(self, day: date, note: str) -> None:
        self.check_started()
        self._closed(self.number, self.equipment, self.plan, day, note)

    @event("Closed")
    def _closed(self, number: str, equipment: str, plan: str, day: date, note: str) -> None:
        self.status = MaintenanceStatus.CLOSED


# -- posting rules (pure) ------------------------------------------------------------------
def parts_voucher(lines: tuple[PartIssue, ...], expense_account: str) -> Voucher:
    """Dr the expense account / Cr each part's stock account, at the issue values."""
    voucher = Voucher()
    for ln in lines:
        voucher.debit(expense_account, ln.value).credit(ln.account, ln.value)
    return voucher


def labor_amount(hours: Decimal, rate: Decimal) -> Decimal:
    return round_amount(hours * rate)


def labor_voucher(amount: Decimal, expense_account: str, labor_account: str) -> Voucher:
    """Dr the expense account / Cr the payroll account."""
    return Voucher().debit(expense_account, amount).credit(labor_account, amount)
