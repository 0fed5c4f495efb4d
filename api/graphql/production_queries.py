"""Production queries: work orders, dispatch lists, WIP, held orders, what is
ready to ship, shop KPIs, engineering data and alerts.

Like the ledger queries, each reads the read models, optionally after waiting
until they have reached a log position (``waitFor``). Merged into the root
``Query`` type by the schema.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.production_types import (
    Alert,
    Bom,
    DispatchListRow,
    HeldWorkOrder,
    Operator,
    ReadyToShipLine,
    Routing,
    ShopKpi,
    WipReconciliation,
    WorkCenter,
    WorkOrder,
    WorkOrderConnection,
    WorkOrderEdge,
    WorkOrderStatusEnum,
    WorkOrderSummary,
)
from api.graphql.queries import MAX_PAGE, WaitFor
from api.graphql.types import PageInfo
from domain.errors import ValidationError
from projections import production_queries as pq

MAX_KPI_DAYS = 366


def _code(value: str | None) -> str | None:
    """Codes are upper case; a blank filter is no filter."""
    return (value or "").strip().upper() or None


def _check_first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                         field="first")
    return first


def encode_cursor(number: str) -> str:
    return base64.urlsafe_b64encode(f"wo:{number}".encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "wo" or not number.startswith("WO-") or len(number) > 20:
            raise ValueError(kind)
        return number
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(f"cursor {cursor!r} is not valid", "after") from None


def _work_orders(conn, status: str | None, item: str | None, first: int,
                 after: str | None) -> WorkOrderConnection:
    after_number = decode_cursor(after) if after else None
    views = pq.work_order_list(conn, status=status, item=item, first=first + 1,
                               after_number=after_number)
    page, more = views[:first], len(views) > first
    edges = [WorkOrderEdge(cursor=encode_cursor(v.number), node=WorkOrderSummary.from_view(v))
             for v in page]
    return WorkOrderConnection(edges=edges, page_info=PageInfo(
        has_next_page=more, end_cursor=edges[-1].cursor if edges else None))


@strawberry.type
class ProductionQuery:
    # -- work orders -----------------------------------------------------------------------
    @strawberry.field(description="Work orders (生产工单) in number order; filter by status "
                      "and item.")
    async def work_orders(
        self,
        info: Info,
        status: WorkOrderStatusEnum | None = None,
        item: str | None = None,
        first: int = 50,
        after: str | None = None,
        wait_for: WaitFor = None,
    ) -> WorkOrderConnection:
        _check_first(first)
        return await read(info, lambda c: _work_orders(
            c, status.value if status else None, _code(item), first, after), wait_for)

    @strawberry.field(description="One work order with its progress per operation, materials, "
                      "hours, actual cost and WIP; null if there is none.")
    async def work_order(self, info: Info, number: str,
                         wait_for: WaitFor = None) -> WorkOrder | None:
        view = await read(info, lambda c: pq.work_order(c, _code(number) or ""), wait_for)
        return WorkOrder.from_view(view) if view else None

    # -- shop floor ----------------------------------------------------------------------
    @strawberry.field(description="派工单 of a work center: released operations with "
                      "quantities remaining, by due date then release time.")
    async def dispatch_list(self, info: Info, work_center: str,
                            wait_for: WaitFor = None) -> list[DispatchListRow]:
        rows = await read(info, lambda c: pq.dispatch_list(c, _code(work_center) or ""),
                          wait_for)
        return [DispatchListRow.from_view(r) for r in rows]

    @strawberry.field(description="WIP of all work orders against the 400101 balance.")
    async def wip_reconciliation(self, info: Info,
                                 wait_for: WaitFor = None) -> WipReconciliation:
        return WipReconciliation.from_view(await read(info, pq.wip_reconciliation, wait_for))

    @strawberry.field(description="Work orders on hold for materials, and whether they have "
                      "become releasable (物料到库后再排产).")
    async def held_work_orders(self, info: Info,
                               wait_for: WaitFor = None) -> list[HeldWorkOrder]:
        return [HeldWorkOrder.from_view(v)
                for v in await read(info, pq.held_work_orders, wait_for)]

    @strawberry.field(description="Open sales order lines that stock now covers, by due date.")
    async def ready_to_ship(self, info: Info, item: str | None = None,
                            wait_for: WaitFor = None) -> list[ReadyToShipLine]:
        rows = await read(info, lambda c: pq.ready_to_ship(c, _code(item)), wait_for)
        return [ReadyToShipLine.from_view(r) for r in rows]

    @strawberry.field(description="Shop KPIs per day and work center: plan attainment "
                      "(计划达成率), scrap rate (废品率), labor hours vs standard.")
    async def shop_kpis(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        work_center: str | None = None,
        wait_for: WaitFor = None,
    ) -> list[ShopKpi]:
        if to < from_:
            raise QueryError("to is before from", "ValidationError", field="to")
        if (to - from_).days >= MAX_KPI_DAYS:
            raise QueryError(f"at most {MAX_KPI_DAYS} days at a time", "ValidationError",
                             field="to")
        rows = await read(info, lambda c: pq.shop_kpis(c, from_, to, _code(work_center)),
                          wait_for)
        return [ShopKpi.from_view(r) for r in rows]

    # -- engineering data ----------------------------------------------------------------
    @strawberry.field(description="Work centers (工作中心) in code order.")
    async def work_centers(self, info: Info, wait_for: WaitFor = None) -> list[WorkCenter]:
        return [WorkCenter.from_view(v)
                for v in await read(info, pq.work_center_views, wait_for)]

    @strawberry.field(description="Operators in code order, with their work centers.")
    async def operators(self, info: Info, wait_for: WaitFor = None) -> list[Operator]:
        return [Operator.from_view(v) for v in await read(info, pq.operator_views, wait_for)]

    @strawberry.field(description="BOM versions (物料清单) by item, then effective date.")
    async def boms(self, info: Info, item: str | None = None,
                   wait_for: WaitFor = None) -> list[Bom]:
        views = await read(info, lambda c: pq.bom_views(c, _code(item)), wait_for)
        return [Bom.from_view(v) for v in views]

    @strawberry.field(description="Routing versions (工艺路线) by item, then effective date.")
    async def routings(self, info: Info, item: str | None = None,
                       wait_for: WaitFor = None) -> list[Routing]:
        views = await read(info, lambda c: pq.routing_views(c, _code(item)), wait_for)
        return [Routing.from_view(v) for v in views]

    @strawberry.field(description="Alerts, newest first (e.g. kind material_shortage, subject "
                      "the work order).")
    async def alerts(
        self,
        info: Info,
        kind: str | None = None,
        subject: str | None = None,
        first: int = 100,
        wait_for: WaitFor = None,
    ) -> list[Alert]:
        _check_first(first)
        views = await read(info, lambda c: pq.alert_views(
            c, (kind or "").strip() or None, _code(subject), first), wait_for)
        return [Alert.from_view(v) for v in views]
