"""What the production mutation modules share: the inputs of engineering data,
material lines and reports, and the read-back of what a command changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from sqlalchemy import Connection
from strawberry.types import Info

from api.graphql.context import after_command, context_of, read
from api.graphql.inventory_types import StockDocument
from api.graphql.mutations._common import found
from api.graphql.mutations._supply import document_of
from api.graphql.production_types import (
    Bom,
    IssueMethodEnum,
    Routing,
    WorkCenter,
    WorkOrder,
    entry_of,
)
from api.graphql.types import JournalEntry
from domain.catalog.engineering import IssueMethod, Shift
from domain.production import inputs as uc
from projections import production_queries as pq


@strawberry.input(description="A shift of a work center's calendar: weekday 0 (Monday) to 6, "
                  "start and end like 08:00 (a night shift may end after midnight).")
class ShiftInput:
    weekday: int
    start: str
    end: str

    def to_domain(self) -> Shift:
        return Shift(self.weekday, self.start.strip(), self.end.strip())


@strawberry.input(description="A BOM line: quantity per parent unit.")
class BomLineInput:
    component: str
    qty_per: Decimal
    scrap_allowance: Decimal | None = strawberry.field(
        default=None, description="0.02 = 2% extra; default 0.")
    issue_method: IssueMethodEnum = IssueMethod.MANUAL
    operation: str | None = strawberry.field(
        default=None, description="The operation that consumes it (OP10); default the first.")

    def to_domain(self) -> uc.BomLineInput:
        return uc.BomLineInput(self.component, self.qty_per,
                               self.scrap_allowance if self.scrap_allowance is not None else "0",
                               self.issue_method, self.operation or "")


@strawberry.input(description="An operation of a routing: hours up to 4 places.")
class RoutingOperationInput:
    op_no: str = strawberry.field(description="OP10, OP20 …")
    work_center: str
    run_hours_per_unit: Decimal
    setup_hours: Decimal | None = None
    description: str | None = None

    def to_domain(self) -> uc.OperationInput:
        return uc.OperationInput(self.op_no, self.work_center, self.run_hours_per_unit,
                                 self.setup_hours if self.setup_hours is not None else "0",
                                 self.description or "")


@strawberry.input(description="A material line of a work order (`lineNo` of its materials); "
                  "warehouse and location default to the component's.")
class MaterialLineInput:
    line_no: int
    qty: Decimal
    warehouse: str | None = None
    location: str | None = None
    lot: str | None = strawberry.field(default=None,
                                       description="Required for lot-tracked items.")

    def to_domain(self) -> uc.MaterialLineInput:
        return uc.MaterialLineInput(self.line_no, self.qty, self.warehouse or "",
                                    self.location or "", self.lot or "")


def report_input(good: Decimal | None, scrap: Decimal | None, scrap_reason: str | None,
                 rework: Decimal | None, labor_hours: Decimal | None,
                 machine_hours: Decimal | None, operator: str | None,
                 equipment: str | None) -> uc.ReportInput:
    zero = Decimal(0)
    return uc.ReportInput(good if good is not None else zero,
                          scrap if scrap is not None else zero, scrap_reason or "",
                          rework if rework is not None else zero,
                          labor_hours if labor_hours is not None else zero,
                          machine_hours if machine_hours is not None else zero,
                          operator or "", equipment or "")


@strawberry.type(description="What an operation report recorded; the work order and the "
                 "voucher are read only when asked for.")
class ReportPayload:
    number: str
    op_no: str
    scan_code: str
    entry_id: strawberry.ID | None
    voucher_no: str
    flagged: str = strawberry.field(description="Why the report is flagged; empty if not.")
    log_position: int
    replayed: bool

    @strawberry.field(description="The journal entry (记账凭证): Dr 400101 / Cr 2211 labor, "
                      "Cr 4101 overhead applied, and backflushed material.")
    async def entry(self, info: Info) -> JournalEntry | None:
        return await entry_of(info, str(self.entry_id or ""))

    @strawberry.field(description="The work order as the report left it.")
    async def work_order(self, info: Info) -> WorkOrder:
        return await read(info, lambda c: work_order_of(c, self.number))


def report_fields(out) -> dict:
    """The ReportPayload fields of a report command's outcome."""
    r = out.value
    return {"number": r.number, "op_no": r.op_no, "scan_code": f"{r.number}/{r.op_no}",
            "entry_id": strawberry.ID(r.entry_id) if r.entry_id else None,
            "voucher_no": r.voucher_no, "flagged": r.flagged,
            "log_position": out.position, "replayed": out.replayed}


@strawberry.type
class MaterialMovePayload:
    """A stock document a work order's command posted (issue, completion)."""

    number: str = strawberry.field(description="The stock document's number (from the command).")
    voucher_no: str = strawberry.field(description="Its voucher (from the command).")
    log_position: int
    replayed: bool
    work_order_number: strawberry.Private[str]

    @strawberry.field(description="The document, from the read models (waits for logPosition).")
    async def document(self, info: Info) -> StockDocument:
        return await after_command(info, self.log_position,
                                   lambda conn: document_of(conn, self.number))

    @strawberry.field(description="The work order, from the read models (waits for logPosition).")
    async def work_order(self, info: Info) -> WorkOrder:
        return await after_command(info, self.log_position,
                                   lambda conn: work_order_of(conn, self.work_order_number))


def material_move_fields(out, work_order: str) -> dict:
    """The MaterialMovePayload fields of an issue's or completion's outcome."""
    return {"number": out.value.number, "voucher_no": out.value.voucher_no,
            "work_order_number": work_order.strip().upper(), "log_position": out.position,
            "replayed": out.replayed}


def work_order_of(conn: Connection, number: str) -> WorkOrder:
    return WorkOrder.from_view(found(pq.work_order(conn, number), f"work order {number}"))


def work_center_of(conn: Connection, code: str) -> WorkCenter:
    views = pq.work_center_views(conn, code)
    return WorkCenter.from_view(found(views[0] if views else None, f"work center {code}"))


def bom_of(conn: Connection, saved: str) -> Bom:
    """``saved`` is what save_bom answers: ITEM@VERSION."""
    item, _, version = saved.partition("@")
    views = pq.bom_views(conn, item, version)
    return Bom.from_view(found(views[0] if views else None, f"BOM {saved}"))


def routing_of(conn: Connection, saved: str) -> Routing:
    item, _, version = saved.partition("@")
    views = pq.routing_views(conn, item, version)
    return Routing.from_view(found(views[0] if views else None, f"routing {saved}"))


def today(info: Info) -> date:
    """The company's date in its time zone (not the server's local date)."""
    return context_of(info).runtime.app.today()
