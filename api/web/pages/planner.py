"""The planner's pages: MRP (runs, planned orders with a firm button,
exception messages), sales orders, work orders (release, hold), the finite
schedule as a Gantt per work center and the monthly plan split.

Each page reads the read-model queries GraphQL's resolvers read and each
action runs the use case GraphQL's mutation runs (``domain.workflows.mrp``,
``domain.workflows.monthly_plan``, ``app.firm_planned_order``, ...): the form
is parsed, nothing decided here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from starlette.responses import Response

from api.graphql.planning_queries import _schedule
from api.web.forms import form_code, form_day
from api.web.framework import Nav, Web, page
from domain.errors import ValidationError
from domain.workflows.monthly_plan import plan_month
from domain.workflows.mrp import run_mrp
from projections import inventory_queries as iq
from projections import planning_queries as plq
from projections import production_queries as pq

WORK_ORDER_STATES = ("created", "released", "in_progress", "held", "completed", "closed",
                     "cancelled")


def N_(message: str) -> str:  # noqa: N802 - marks a message id for extraction only
    return message


# Codes shown through _(code) in the templates: their words are in the catalog.
LABELS = (N_("created"), N_("released"), N_("in_progress"), N_("held"), N_("completed"),
          N_("closed"), N_("cancelled"), N_("draft"), N_("confirmed"), N_("expedite"),
          N_("defer"), N_("cancel"), N_("past_due_release"), N_("beyond_horizon"))


def _decimal(value: str | None, field: str) -> Decimal:
    try:
        return Decimal((value or "").replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(f"{field} must be a number", field) from None


# -- MRP ---------------------------------------------------------------------------------
@page("/planner", reads=("mrpRuns", "plannedOrders", "mrpExceptions", "purchaseOrders"),
      nav=Nav("MRP", order=20))
async def mrp(web: Web) -> Response:
    wanted = form_code(web.request.query_params.get("run")) or None

    def load(conn):
        runs = plq.mrp_runs_list(conn, 20)
        number = plq.resolve_run(conn, wanted)
        planned = plq.planned_order_list(conn, run=number) if number else []
        exceptions = plq.mrp_exception_list(conn, run=number) if number else []
        drafts = {o.number for o in iq.orders_page(conn, kind="purchase", status="draft",
                                                  first=500)[0]}
        return runs, number, planned, exceptions, drafts

    runs, number, planned, exceptions, drafts = await web.read("plannedOrders", load)
    return web.render("planner/mrp.html", runs=runs, run=number, planned=planned,
                      exceptions=exceptions, today=await web.call(lambda app: app.today()),
                      may_run=web.may(command="run_mrp"),
                      may_firm=web.may(command="firm_planned_order"), drafts=drafts,
                      may_confirm=web.may(command="confirm_purchase_order"),
                      done=web.request.query_params.get("done", ""))


@page("/planner/mrp/run", methods=("POST",), command="run_mrp")
async def mrp_run(web: Web) -> Response:
    form = await web.form()
    day = form_day(form.get("today"), "today") or await web.call(lambda app: app.today())
    inputs = web.runtime.inputs
    outcome = await web.run(lambda app, ctx: run_mrp(app, inputs, day, ctx),
                            form.get("key") or None)
    return web.redirect(f"/planner?run={outcome.value.number}")


@page("/planner/mrp/firm", methods=("POST",), command="firm_planned_order")
async def firm(web: Web) -> Response:
    form = await web.form()
    run, planned_id = form_code(form.get("run")), (form.get("planned_id") or "").strip()
    supplier = form_code(form.get("supplier"))
    outcome = await web.run(lambda app, ctx: app.firm_planned_order(
        run, planned_id, supplier=supplier, ctx=ctx), form.get("key") or None)
    return web.redirect(f"/planner?run={run}&done={outcome.value.order}")


@page("/planner/purchase-orders/confirm", methods=("POST",), command="confirm_purchase_order")
async def confirm_purchase(web: Web) -> Response:
    """A firmed planned purchase is a draft purchase order: confirm it to send it."""
    form = await web.form()
    run, number = form_code(form.get("run")), form_code(form.get("number"))
    await web.run(lambda app, ctx: app.confirm_purchase_order(number, ctx=ctx),
                  form.get("key") or None)
    return web.redirect(f"/planner?run={run}&done={number}")


# -- sales orders ------------------------------------------------------------------------
@page("/planner/sales-orders", reads=("salesOrders",), nav=Nav("Sales orders", order=21))
async def sales_orders(web: Web) -> Response:
    status = (web.request.query_params.get("status") or "").strip().lower() or None
    orders, _more, _cursor = await web.read("salesOrders", lambda c: iq.orders_page(
        c, kind="sales", status=status, first=200))
    return web.render("planner/sales_orders.html", orders=orders, status=status or "")


# -- work orders -------------------------------------------------------------------------
@page("/planner/work-orders", reads=("workOrders",), nav=Nav("Work orders", order=22))
async def work_orders(web: Web) -> Response:
    status = (web.request.query_params.get("status") or "").strip().lower() or None
    if status and status not in WORK_ORDER_STATES:
        raise ValidationError(f"status must be one of {', '.join(WORK_ORDER_STATES)}", "status")
    rows = await web.read("workOrders", lambda c: pq.work_order_list(c, status=status,
                                                                     first=500))
    return web.render("planner/work_orders.html", rows=rows, status=status or "",
                      states=WORK_ORDER_STATES, may_release=web.may(command="release_work_order"),
                      may_hold=web.may(command="hold_work_order"),
                      done=web.request.query_params.get("done", ""))


async def _work_order_post(web: Web, command) -> Response:
    """Release or hold (``command(app)``) the work order of the form."""
    form = await web.form()
    number = form_code(form.get("number"))
    await web.run(lambda app, ctx: command(app)(number, ctx=ctx), form.get("key") or None)
    return web.redirect(f"/planner/work-orders?done={number}")


@page("/planner/work-orders/release", methods=("POST",), command="release_work_order")
async def release(web: Web) -> Response:
    return await _work_order_post(web, lambda app: app.release_work_order)


@page("/planner/work-orders/hold", methods=("POST",), command="hold_work_order")
async def hold(web: Web) -> Response:
    return await _work_order_post(web, lambda app: app.hold_work_order)


# -- the finite schedule as a Gantt ------------------------------------------------------
def gantt(operations, start: datetime, late: set[str]) -> dict:
    """Bars of a Gantt chart: per work center and unit, each operation's left
    and width in per cent of the span from ``start`` to the last end (whole
    days), and the day ticks. Layout only: the schedule is the scheduler's."""
    if not operations:
        return {"rows": [], "days": []}
    first = datetime.combine(start.date(), datetime.min.time())
    last_end = max(op.end for op in operations)
    days = max(1, (last_end.date() - first.date()).days + 1)
    span = timedelta(days=days).total_seconds()
    rows: dict[tuple[str, int], list[dict]] = {}
    for op in sorted(operations, key=lambda o: (o.work_center, o.unit, o.start)):
        left = (op.start - first).total_seconds() / span * 100
        width = max((op.end - op.start).total_seconds() / span * 100, 0.4)
        rows.setdefault((op.work_center, op.unit), []).append({
            "op": op, "left": round(left, 3), "width": round(width, 3),
            "late": op.order in late})
    ticks = [{"day": (first + timedelta(days=n)).date(), "left": round(n / days * 100, 3),
              "width": round(100 / days, 3)} for n in range(days)]
    return {"rows": [{"work_center": wc, "unit": unit, "bars": bars}
                     for (wc, unit), bars in rows.items()], "days": ticks}


@page("/planner/schedule", reads=("scheduleByWorkCenter",), nav=Nav("Schedule", order=23))
async def schedule(web: Web) -> Response:
    start = _start(web.request.query_params.get("start")) or await web.call(
        lambda a: a.now().astimezone(ZoneInfo(a.date_settings().time_zone)).replace(
            tzinfo=None))
    start = start.replace(second=0, microsecond=0)
    result = await web.read("scheduleByWorkCenter",
                            lambda c: _schedule(c, "heuristic", start, False, 10))
    late = {x.order for x in result.late}
    return web.render("planner/schedule.html", schedule=result, chart=gantt(
        result.operations, result.start, late), start=start)


def _start(value: str | None) -> datetime | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError("start must be a time like 2026-11-16T08:00", "start") from None


# -- the monthly plan split --------------------------------------------------------------
@page("/planner/monthly", reads=("workOrders",), command="split_monthly_plan",
      nav=Nav("Monthly plan", order=24))
async def monthly(web: Web) -> Response:
    return web.render("planner/monthly.html", form={}, result=None)


@page("/planner/monthly/split", methods=("POST",), command="split_monthly_plan")
async def monthly_split(web: Web) -> Response:
    form = await web.form()
    item, month = form_code(form.get("item")), (form.get("month") or "").strip()
    quantity = _decimal(form.get("qty"), "qty")
    center = form_code(form.get("work_center")) or None
    create = form.get("create") == "1"
    inputs = web.runtime.inputs
    outcome = await web.run(lambda app, ctx: plan_month(app, inputs, item, quantity, month,
                                                        center, create, ctx=ctx),
                            form.get("key") or None)
    return web.render("planner/monthly.html", form=form, result=outcome.value,
                      days=list(outcome.value.daily()), created=create)
