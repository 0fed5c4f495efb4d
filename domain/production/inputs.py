"""What a client sends to production's commands (amounts may still be text),
and the checks of the hours and quantities they carry."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.catalog.engineering import IssueMethod
from domain.errors import ValidationError
from domain.money import parse_quantity, to_decimal

QTY = Decimal("0.000001")


@dataclass(frozen=True)
class BomLineInput:
    component: str
    qty_per: Any
    scrap_allowance: Any = "0"
    issue_method: IssueMethod = IssueMethod.MANUAL
    operation: str = ""


@dataclass(frozen=True)
class OperationInput:
    op_no: str
    work_center: str
    run_hours_per_unit: Any
    setup_hours: Any = "0"
    description: str = ""


@dataclass(frozen=True)
class MaterialLineInput:
    """A line of a material issue or return, against a work order's material line."""

    line_no: int
    qty: Any
    warehouse: str = ""
    location: str = ""
    lot: str = ""


@dataclass(frozen=True)
class ReportInput:
    good: Any = "0"
    scrap: Any = "0"
    scrap_reason: str = ""
    rework: Any = "0"
    labor_hours: Any = "0"
    machine_hours: Any = "0"
    operator: str = ""
    equipment: str = ""


def hours(value: Any, field: str) -> Decimal:
    """Hours between 0 and 10000, at most 4 decimal places."""
    parsed = to_decimal(value if value is not None else "0", field)
    if parsed < 0 or parsed > 10_000:
        raise ValidationError(f"{field}: hours must be between 0 and 10000", field)
    if parsed != parsed.quantize(Decimal("0.0001")):
        raise ValidationError(f"{field}: at most 4 decimal places", field)
    return parsed


def quantity_or_zero(value: Any, field: str) -> Decimal:
    return parse_quantity(value if value is not None else "0", field, allow_zero=True)
