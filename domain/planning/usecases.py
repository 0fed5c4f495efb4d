"""Planning use cases: forecasts, recording MRP runs, firming planned orders.

MRP itself is a pure function (domain/planning/mrp.py) over a snapshot the
caller builds from the read models (projections/planning_snapshot.py); the
run is recorded as one event with the snapshot's fingerprint and the plan.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.items import check_item_code
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory.usecases import CodeResult, OrderLineInput, _Work
from domain.money import parse_price, parse_quantity
from domain.planning.model import Snapshot
from domain.planning.mrp import plan
from domain.planning.runs import Forecast, MrpRun, forecast_id, mrp_run_id


@dataclass(frozen=True)
class MrpRunResult:
    number: str
    planned: int
    exceptions: int


@dataclass(frozen=True)
class FirmResult:
    planned_id: str
    order: str
    kind: str


def snapshot_fingerprint(snapshot: Snapshot) -> str:
    """SHA-256 of the snapshot's content, so two runs on equal inputs are seen as equal."""

    def default(o: Any) -> Any:
        if isinstance(o, (date,)):
            return o.isoformat()
        if isinstance(o, frozenset):
            return sorted(o)
        return str(o)

    body = {
        "today": snapshot.today,
        "items": {k: asdict(v) for k, v in sorted(snapshot.items.items())},
        "on_hand": dict(sorted(snapshot.on_hand.items())),
        "demands": [asdict(d) for d in snapshot.demands],
        "supplies": [asdict(s) for s in snapshot.supplies],
        "forecasts": [asdict(f) for f in snapshot.forecasts],
        "calendar": sorted(snapshot.calendar.holidays),
    }
    text = json.dumps(body, sort_keys=True, default=default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PlanningUseCases:
    """Mixed into the company Application."""

    def set_forecast(self, item: str, day: date, qty: Any, ctx: CommandContext = CommandContext()):
        """Set a forecast / master-schedule line (0 removes it from planning)."""

        def decide():
            work = _Work(self)
            product = self._item(work, item)
            quantity = parse_quantity(qty, "qty", allow_zero=True)
            if not isinstance(day, date):
                raise ValidationError("date is required", "date")
            try:
                fc = self.repository.get(forecast_id(product.code, day))
                fc.change(quantity)
            except AggregateNotFoundError:
                fc = Forecast(product.code, day, quantity)
            return CodeResult(product.code), [fc]

        return self._execute("set_forecast", (item, day, qty), ctx, decide, CodeResult)

    def run_mrp(self, snapshot: Snapshot, ctx: CommandContext = CommandContext()):
        """Plan over the snapshot and record the run (fingerprint and outputs)."""

        def decide():
            work = _Work(self)
            number = self._number(work, "MRP")
            result = plan(snapshot, number)
            run = MrpRun(
                number=number,
                today=snapshot.today,
                fingerprint=snapshot_fingerprint(snapshot),
                planned=result.planned,
                exceptions=result.exceptions,
            )
            return (
                MrpRunResult(number, len(result.planned), len(result.exceptions)),
                [*work.changed(), run],
            )

        return self._execute("run_mrp", snapshot_fingerprint(snapshot), ctx, decide, MrpRunResult)

    def firm_planned_order(
        self,
        run: str,
        planned_id: str,
        *,
        supplier: str = "",
        unit_price: Any = None,
        qty: Any = None,
        need_date: date | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        """Turn a planned order into a real work order (make) or purchase order
        (buy, from ``supplier`` at ``unit_price``, default the standard cost),
        in the same save as the run's record of it."""

        def decide():
            work = _Work(self)
            number = (run or "").strip().upper()
            mrp = work.get(
                mrp_run_id(number), NotFound(f"MRP run {number} does not exist", "MrpRun", number)
            )
            planned = mrp.planned_order(planned_id)
            quantity = parse_quantity(qty, "qty") if qty is not None else planned.qty
            due = need_date or planned.need_date
            if planned.kind == "make":
                order = self._new_work_order(
                    work, planned.item, quantity, due, min(planned.release_date, due)
                )
                kind = "work_order"
            else:
                if not supplier:
                    raise ValidationError("a planned purchase needs a supplier to firm", "supplier")
                product = self._item(work, planned.item)
                price = (
                    parse_price(unit_price, "unitPrice")
                    if unit_price is not None
                    else product.spec.standard_cost
                )
                order = self._new_purchase_order(
                    work,
                    supplier,
                    min(planned.release_date, due),
                    [OrderLineInput(planned.item, quantity, price, due)],
                )
                kind = "purchase_order"
            mrp.firm(planned_id, order.number)
            return FirmResult(planned_id, order.number, kind), [*work.changed(), order]

        payload = (run, planned_id, supplier, unit_price, qty, need_date)
        return self._execute("firm_planned_order", payload, ctx, decide, FirmResult)

    def mrp_run(self, number: str) -> MrpRun:
        try:
            return self.repository.get(mrp_run_id(number), deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise NotFound(f"MRP run {number} does not exist", "MrpRun", number) from None


__all__ = [
    "PlanningUseCases",
    "MrpRunResult",
    "FirmResult",
    "snapshot_fingerprint",
    "check_item_code",
    "BusinessRuleViolation",
]
