"""Equipment queries: the register, OEE per shift and day, downtime Pareto,
MTBF/MTTR, alerts, maintenance plans and orders, downtime reasons and the
MQTT messages set aside. Merged into the root ``Query`` type by the schema.

"Now" for a shift in progress is the company's clock in its time zone."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry
from anyio import to_thread
from strawberry.types import Info

from api.graphql.context import context_of, read, read_key
from api.graphql.equipment_types import (
    DowntimeParetoRow,
    DowntimeReason,
    Equipment,
    EquipmentAlert,
    EquipmentDeadLetter,
    EquipmentReliability,
    MaintenanceOrder,
    MaintenancePlan,
    MaintenanceStatusEnum,
    OeeDay,
    SafetyStockRecommendation,
)
from api.graphql.errors import QueryError, query_error
from api.graphql.queries import MAX_PAGE, WaitFor
from domain.errors import DomainError, NotFound
from projections import equipment_queries as eq

From = Annotated[date, strawberry.argument(name="from")]


def _code(value: str | None) -> str | None:
    return (value or "").strip().upper() or None


def _first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                         field="first")
    return first


def company_now(info: Info) -> datetime:
    """The company's wall-clock time now (naive, in its time zone)."""
    app = context_of(info).runtime.app
    zone = ZoneInfo(app.date_settings().time_zone)
    return app.now().astimezone(zone).replace(tzinfo=None)


@strawberry.type
class EquipmentQuery:
    @strawberry.field(description="The equipment register (设备台账), by code.")
    async def equipment(self, info: Info, work_center: str | None = None,
                        wait_for: WaitFor = None) -> list[Equipment]:
        views = await read(info, lambda c: eq.equipment_list(c, _code(work_center)), wait_for)
        return [Equipment.from_view(v) for v in views]

    @strawberry.field(description="OEE of one equipment per day and per shift, from `from` "
                      "to `to` (default: the one day). A shift belongs to the day it starts. "
                      "Empty for an unknown equipment.")
    async def equipment_oee(self, info: Info, equipment: str, from_: From,
                            to: date | None = None,
                            wait_for: WaitFor = None) -> list[OeeDay]:
        code = _code(equipment) or ""

        def query(c) -> list:
            if not eq.equipment_exists(c, code):
                return []
            return eq.oee_days(c, code, from_, to, company_now(info))

        return [OeeDay.from_view(v) for v in await read(info, query, wait_for)]

    @strawberry.field(description="Down time by reason inside the planned shifts, largest "
                      "first (Pareto), for one equipment, a work center's or all.")
    async def downtime_pareto(self, info: Info, from_: From,
                              to: date | None = None, equipment: str | None = None,
                              work_center: str | None = None,
                              wait_for: WaitFor = None) -> list[DowntimeParetoRow]:
        views = await read(info, lambda c: eq.downtime_pareto(
            c, from_, to, _code(equipment), _code(work_center), company_now(info)), wait_for)
        return [DowntimeParetoRow.from_view(v) for v in views]

    @strawberry.field(description="Failures, MTBF and MTTR of one equipment over whole days.")
    async def equipment_reliability(self, info: Info, equipment: str,
                                    from_: From,
                                    to: date | None = None,
                                    wait_for: WaitFor = None) -> EquipmentReliability | None:
        code = _code(equipment) or ""

        def query(c):
            if not eq.equipment_exists(c, code):
                return None
            return eq.equipment_reliability(c, code, from_, to, company_now(info))

        view = await read(info, query, wait_for)
        return EquipmentReliability.from_view(view) if view is not None else None

    @strawberry.field(description="Equipment DOWN alerts, newest first.")
    async def equipment_alerts(self, info: Info, equipment: str | None = None,
                               first: int = 100, wait_for: WaitFor = None
                               ) -> list[EquipmentAlert]:
        _first(first)
        views = await read(info, lambda c: eq.alerts(c, _code(equipment), first), wait_for)
        return [EquipmentAlert.from_view(v) for v in views]

    @strawberry.field(description="The company's downtime reasons (换模, 故障, 待料 …).")
    async def downtime_reasons(self, info: Info, wait_for: WaitFor = None
                               ) -> list[DowntimeReason]:
        views = await read(info, eq.reasons, wait_for)
        return [DowntimeReason(code=v.code, name=v.name, breakdown=v.breakdown) for v in views]

    @strawberry.field(description="Maintenance orders (维修工单), newest first.")
    async def maintenance_orders(self, info: Info, equipment: str | None = None,
                                 status: MaintenanceStatusEnum | None = None, first: int = 100,
                                 wait_for: WaitFor = None) -> list[MaintenanceOrder]:
        _first(first)
        views = await read(info, lambda c: eq.maintenance_order_list(
            c, _code(equipment), status.value if status else None, first), wait_for)
        return [MaintenanceOrder.from_view(v) for v in views]

    @strawberry.field(description="One maintenance order with its costs (null if none).")
    async def maintenance_order(self, info: Info, number: str,
                                wait_for: WaitFor = None) -> MaintenanceOrder | None:
        def query(c):
            try:
                return eq.maintenance_order(c, _code(number) or "")
            except NotFound:
                return None

        view = await read(info, query, wait_for)
        return MaintenanceOrder.from_view(view) if view is not None else None

    @strawberry.field(description="Preventive maintenance plans by equipment.")
    async def maintenance_plans(self, info: Info, equipment: str | None = None,
                                wait_for: WaitFor = None) -> list[MaintenancePlan]:
        views = await read(info, lambda c: eq.maintenance_plan_list(c, _code(equipment)),
                           wait_for)
        return [MaintenancePlan.from_view(v) for v in views]

    @strawberry.field(description="A spare part's safety stock from the failures of the "
                      "equipment using it (as applySafetyStockRecommendation would set it).")
    async def safety_stock_recommendation(
        self, info: Info, item: str, day: date | None = None, window_days: int = 90,
        service_level: Decimal = Decimal("0.95")) -> SafetyStockRecommendation:
        context_of(info).check_read(read_key(info))
        app = context_of(info).runtime.app

        def recommend() -> SafetyStockRecommendation:
            try:
                advice, uses, lead = app.safety_stock_recommendation(
                    item, day, window_days, service_level)
            except DomainError as exc:
                raise query_error(exc) from None
            return SafetyStockRecommendation.of(item, advice, uses, lead)

        return await to_thread.run_sync(recommend)

    @strawberry.field(description="MQTT messages that could not be recorded (bad JSON, "
                      "unknown equipment, out of order, negative counts …), newest first.")
    async def equipment_dead_letters(self, info: Info, first: int = 100,
                                     wait_for: WaitFor = None) -> list[EquipmentDeadLetter]:
        _first(first)
        views = await read(info, lambda c: eq.dead_letters(c, first), wait_for)
        return [EquipmentDeadLetter.from_view(v) for v in views]
