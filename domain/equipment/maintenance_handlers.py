"""Maintenance handlers: preventive plans, maintenance orders (open, start,
spare parts, labour, close) and the orders due plans open.

Spare parts leave stock through ``domain/inventory/recording.record_document``
(a 维修领料 document, its voucher and the stock balances in one save); labour
posts its own voucher. Both go to the accounts in the company's equipment
settings (4101 制造费用 / 2211 应付职工薪酬 by default)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.catalog.lookups import item as catalog_item
from domain.catalog.lookups import placed
from domain.equipment.lookups import equipment, register, settings
from domain.equipment.machines import Equipment, MaintenancePlan, check_code, equipment_id
from domain.equipment.maintenance import (
    PREFIX,
    MaintenanceKind,
    MaintenanceOrder,
    PartIssue,
    labor_amount,
    labor_voucher,
    maintenance_order_id,
    parts_voucher,
)
from domain.equipment.spares import (
    PartUse,
    Recommendation,
    check_service_level,
    check_window,
    recommend,
)
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.recording import record_document, stock
from domain.inventory.valuation import issue_value
from domain.ledger.entries import SourceRef
from domain.ledger.periods import voucher_number
from domain.money import parse_quantity
from domain.text import check_text
from domain.unit_of_work import UnitOfWork

MAX_PLAN_DAYS = 3650
SIX = Decimal("0.000001")


@dataclass(frozen=True)
class PlanResult:
    equipment: str
    plan: str


@dataclass(frozen=True)
class MaintenanceOrderResult:
    number: str


@dataclass(frozen=True)
class DueResult:
    orders: str  # the numbers opened, comma-separated


@dataclass(frozen=True)
class PartsResult:
    number: str
    document: str
    entry_id: str
    voucher_no: str
    value: str


@dataclass(frozen=True)
class LaborResult:
    number: str
    amount: str
    entry_id: str
    voucher_no: str


@dataclass(frozen=True)
class PartLineInput:
    item: str
    qty: object
    warehouse: str = ""
    location: str = ""
    lot: str = ""


def maintenance_order(uow: UnitOfWork, number: str) -> MaintenanceOrder:
    number = (number or "").strip().upper()
    return uow.get(maintenance_order_id(number),
                   NotFound(f"maintenance order {number} does not exist", "MaintenanceOrder",
                            number))


def _day(uow: UnitOfWork, day: date | None, field: str = "day",
         check_period: bool = False) -> date:
    return uow.business_date(uow.today() if day is None else day, field,
                             check_period=check_period)


# -- opening orders -------------------------------------------------------------------------
def open_order(uow: UnitOfWork, machine: Equipment, day: date, plan: str, reason: str,
               description: str) -> str:
    """A new order in this command's save: preventive for a plan, else corrective."""
    number = uow.number(PREFIX)
    uow.add(MaintenanceOrder(
        number=number, equipment=machine.code, work_center=machine.spec.work_center,
        kind=MaintenanceKind.PREVENTIVE if plan else MaintenanceKind.CORRECTIVE,
        plan=plan, reason=reason, description=description[:200], opened_on=day))
    machine.order_opened(machine.code, number, plan)
    return number


def open_due_orders(uow: UnitOfWork, machine: Equipment, day: date) -> list[str]:
    return [open_order(uow, machine, day, plan.code, "", f"{plan.description} ({why})")
            for plan, why in machine.due_plans(day)]


def set_maintenance_plan(uow: UnitOfWork, equipment_code: str, code: str, description: str,
                         every_days: int = 0, every_units: object = 0,
                         day: date | None = None) -> PlanResult:
    """A preventive plan: every N calendar days and/or every N counted units,
    counted from ``day`` (default today) and the units counted so far."""
    machine = equipment(uow, equipment_code)
    plan_code = check_code(code, "code")
    text = check_text((description or "").strip(), "description", 200)
    if not text:
        raise ValidationError("a plan needs its description", "description")
    if isinstance(every_days, bool) or not isinstance(every_days, int) or not (
            0 <= every_days <= MAX_PLAN_DAYS):
        raise ValidationError(f"everyDays must be 0-{MAX_PLAN_DAYS}", "everyDays")
    units = parse_quantity(every_units, "everyUnits", allow_zero=True)
    if not every_days and not units:
        raise ValidationError("give everyDays or everyUnits (or both)", "everyDays")
    machine.set_plan(MaintenancePlan(plan_code, text, every_days, units), _day(uow, day))
    return PlanResult(machine.code, plan_code)


def open_maintenance_order(uow: UnitOfWork, equipment_code: str, description: str,
                           day: date | None = None, reason: str = "") -> MaintenanceOrderResult:
    """A corrective order opened by hand."""
    machine = equipment(uow, equipment_code)
    text = check_text((description or "").strip(), "description", 200)
    if not text:
        raise ValidationError("an order needs its description", "description")
    reason = (reason or "").strip()
    if reason:
        settings(uow).reason(reason)
    return MaintenanceOrderResult(open_order(uow, machine, _day(uow, day), "", reason, text))


def open_due_maintenance(uow: UnitOfWork, day: date | None = None) -> DueResult:
    """Open an order for every plan due on ``day`` (default today) with none open."""
    when = _day(uow, day)
    opened: list[str] = []
    for code in register(uow):
        opened += open_due_orders(uow, equipment(uow, code), when)
    return DueResult(",".join(opened))


def plan_maintenance_window(uow: UnitOfWork, number: str, start: datetime,
                            hours: object) -> MaintenanceOrderResult:
    """The time an open order will stop its machine (wall clock, the company's
    time): finite scheduling keeps it free (docs/equipment.md)."""
    order = maintenance_order(uow, number)
    order.plan_window(start, parse_quantity(hours, "hours"))
    return MaintenanceOrderResult(order.number)


# -- working an order ------------------------------------------------------------------------
def _not_before_opened(order: MaintenanceOrder, day: date, field: str = "day") -> None:
    if day < order.opened_on:
        raise ValidationError(f"{field} {day.isoformat()} is before the order was opened "
                              f"({order.opened_on.isoformat()})", field)


def start_maintenance_order(uow: UnitOfWork, number: str,
                            day: date | None = None) -> MaintenanceOrderResult:
    order = maintenance_order(uow, number)
    when = _day(uow, day)
    _not_before_opened(order, when)
    order.start(when)
    return MaintenanceOrderResult(order.number)


def _part_lines(uow: UnitOfWork, number: str, lines: Sequence[PartLineInput]
                ) -> tuple[list[DocumentLine], list[PartIssue]]:
    """Each line checked and valued at moving average (lines of one balance in turn)."""
    if not lines:
        raise ValidationError("give at least one spare part line", "lines")
    taken: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    moves, issues = [], []
    for i, ln in enumerate(lines):
        path = f"lines.{i}"
        found, wh, loc, lot = placed(uow, ln.item, ln.warehouse, ln.location, ln.lot, path)
        qty = parse_quantity(ln.qty, f"{path}.qty")
        balance = stock(uow, found.code, wh.code)
        gone_qty, gone_value = taken.get((found.code, wh.code), (Decimal(0), Decimal("0.00")))
        balance.check_can_issue(qty + gone_qty, loc, lot)
        value = issue_value(balance.qty - gone_qty, balance.value - gone_value, qty)
        taken[(found.code, wh.code)] = (gone_qty + qty, gone_value + value)
        moves.append(DocumentLine(i + 1, found.code, wh.code, loc, lot, -qty, -value,
                                  note=number))
        issues.append(PartIssue(i + 1, found.code, wh.code, qty, value, found.inventory_account))
    return moves, issues


def issue_maintenance_parts(uow: UnitOfWork, number: str, day: date,
                            lines: Sequence[PartLineInput]) -> PartsResult:
    """维修领料: spare parts out of stock at moving average, Dr 4101 / Cr their
    stock accounts in the same save."""
    order = maintenance_order(uow, number)
    order.check_started()
    when = _day(uow, day, "postingDate", check_period=True)
    _not_before_opened(order, when, "postingDate")
    moves, issues = _part_lines(uow, order.number, lines)
    voucher = parts_voucher(tuple(issues), settings(uow).expense_account)
    doc = record_document(uow, DocumentKind.MAINTENANCE_ISSUE, when, voucher, moves,
                          f"维修领料 {order.number} {order.equipment}", order=order.number,
                          note=order.equipment)
    order.issue_parts(when, doc.number, tuple(issues), doc.entry_id, doc.voucher_no)
    value = sum((ln.value for ln in issues), Decimal("0.00"))
    return PartsResult(order.number, doc.number, doc.entry_id, doc.voucher_no, str(value))


def record_maintenance_labor(uow: UnitOfWork, number: str, day: date,
                             hours: object) -> LaborResult:
    """Labour hours at the maintenance rate: Dr 4101 / Cr 2211 in the same save."""
    order = maintenance_order(uow, number)
    order.check_started()
    when = _day(uow, day, "postingDate", check_period=True)
    _not_before_opened(order, when, "postingDate")
    qty = parse_quantity(hours, "hours")
    company = settings(uow)
    amount = labor_amount(qty, company.maintenance_rate)
    entry_id = voucher_no = ""
    if amount:
        entry = uow.post(when, f"维修工时 {order.number} {order.equipment}",
                         labor_voucher(amount, company.expense_account,
                                       company.labor_account).lines(),
                         SourceRef("maintenance_order", order.number))
        entry_id, voucher_no = str(entry.id), voucher_number(entry.voucher_seq)
    order.record_labor(when, qty, company.maintenance_rate, amount, entry_id, voucher_no)
    return LaborResult(order.number, str(amount), entry_id, voucher_no)


def close_maintenance_order(uow: UnitOfWork, number: str, day: date | None = None,
                            note: str = "") -> MaintenanceOrderResult:
    """Done: a plan's order resets the plan (days from today, units from the counter)."""
    order = maintenance_order(uow, number)
    when = _day(uow, day)
    _not_before_opened(order, when)
    order.close(when, check_text((note or "").strip(), "note", 200))
    machine = equipment(uow, order.equipment)
    machine.order_closed(machine.code, order.number, order.plan, when, machine.counted)
    return MaintenanceOrderResult(order.number)


def maintenance_order_record(uow: UnitOfWork, number: str) -> MaintenanceOrder:
    number = (number or "").strip().upper()
    return uow.peek(maintenance_order_id(number),
                    NotFound(f"maintenance order {number} does not exist", "MaintenanceOrder",
                             number))


# -- spare parts: safety stock from failure rates ---------------------------------------------
@dataclass(frozen=True)
class SafetyStockResult:
    item: str
    previous: str
    safety_stock: str
    expected: str  # parts needed over the lead time, on average (6 places)
    failures: int
    equipment: str  # the equipment using the part, comma-separated


def _uses(uow: UnitOfWork, item: str, start: date, end: date) -> list[PartUse]:
    uses = []
    zone = ZoneInfo(uow.date_settings().time_zone)
    for code in register(uow):
        machine = uow.peek(equipment_id(code))
        for part in machine.spec.spare_parts:
            if part.item == item:
                failed = sum(1 for at in machine.failures
                             if start < at.astimezone(zone).date() <= end)
                uses.append(PartUse(code, failed, part.per_repair))
    return uses


def safety_stock_recommendation(uow: UnitOfWork, item: str, day: date | None = None,
                                window_days: int = 90, service_level: object = "0.95"
                                ) -> tuple[Recommendation, list[PartUse], int]:
    """The recommendation for a spare part from the failures of the equipment
    using it in the ``window_days`` up to ``day`` (default today); also the
    uses and the lead time it was computed from."""
    found = catalog_item(uow, item)
    window = check_window(window_days)
    level = check_service_level(service_level)
    end = _day(uow, day)
    uses = _uses(uow, found.code, end - timedelta(days=window), end)
    lead = found.spec.planning.lead_time_days
    return recommend(uses, window, lead, level), uses, lead


def apply_safety_stock_recommendation(uow: UnitOfWork, item: str, day: date | None = None,
                                      window_days: int = 90, service_level: object = "0.95"
                                      ) -> SafetyStockResult:
    """Set the part's safety stock (its planning data, an Item.Changed event) to
    the recommendation; the next MRP run plans from it."""
    found = catalog_item(uow, item)
    advice, uses, _lead = safety_stock_recommendation(uow, found.code, day, window_days,
                                                      service_level)
    if not uses:
        raise BusinessRuleViolation(
            "NOT_A_SPARE_PART", f"item {found.code} is no equipment's spare part; list it "
            "under the equipment's spareParts first")
    previous = found.spec.planning.safety_stock
    found.change(planning=replace(found.spec.planning, safety_stock=advice.safety_stock))
    expected = Decimal(advice.expected.numerator) / Decimal(advice.expected.denominator)
    return SafetyStockResult(found.code, f"{previous.normalize():f}",
                             f"{advice.safety_stock:f}", f"{expected.quantize(SIX):f}",
                             sum(u.failures for u in uses), ",".join(u.equipment for u in uses))


HANDLERS = (
    set_maintenance_plan, open_maintenance_order, open_due_maintenance,
    plan_maintenance_window, start_maintenance_order, issue_maintenance_parts,
    record_maintenance_labor, close_maintenance_order, apply_safety_stock_recommendation,
)
READERS = (maintenance_order_record, safety_stock_recommendation)
