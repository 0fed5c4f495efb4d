"""车间终端 The shop-floor terminal (a tablet at a work center).

The tablet is signed in once (a user with the operator or planner role); the
operator at the machine signs in by scanning their badge (the operator code);
scans of the traveller (``WO-000123/OP20``) pick the operation to report.

Reports and start/pause/resume are sent by ``static/terminal.js`` as JSON with
an idempotency key made in the browser when the operator pressed the button;
while the network is down they wait in the browser's queue (localStorage) and
are sent when it returns. The store's idempotency receipts (per user and key)
make a report sent twice count once. The rules are the use cases': this page
only passes the operator's entries on (``report_by_scan`` parses the code and
the quantities).
"""

from __future__ import annotations

from datetime import date

from starlette.responses import JSONResponse, Response

from api.web.framework import Nav, Web, page
from api.web.i18n import N_
from api.web.i18n import gettext as _
from domain.errors import DomainError, NotFound, ValidationError
from domain.production.inputs import ReportInput
from domain.production.work_orders import parse_scan_code
from projections import production_queries as pq

# Buttons for the usual scrap reasons (the reason is free text in the domain).
SCRAP_REASONS = (N_("Dimension out of tolerance"), N_("Surface defect"),
                 N_("Material defect"), N_("Machine fault"), N_("Setup scrap"))
ACTIONS = {"start": "start_operation", "pause": "pause_operation", "resume": "resume_operation"}


@page("/terminal", reads=("dispatchList", "workCenters"), command="report_operation",
      nav=Nav("Shop-floor terminal", order=10))
async def terminal(web: Web) -> Response:
    centers = await web.read("workCenters", pq.work_center_views)
    chosen = web.request.query_params.get("wc") or ""
    if chosen and chosen not in {c.code for c in centers}:
        chosen = ""
    reasons = [_(r) for r in SCRAP_REASONS]
    return web.render("terminal/index.html", centers=centers, wc=chosen, reasons=reasons)


@page("/terminal/dispatch", reads=("dispatchList",))
async def dispatch(web: Web) -> Response:
    """The dispatch list of a work center (an htmx fragment, refreshed by the page)."""
    wc = web.request.query_params.get("wc") or ""
    rows = await web.read("dispatchList", lambda conn: pq.dispatch_list(conn, wc)) if wc else []
    return web.render("terminal/_dispatch.html", rows=rows, wc=wc)


@page("/terminal/operation", reads=("workOrder",))
async def operation(web: Web) -> Response:
    """One operation of a work order and its reports (an htmx fragment)."""
    code = web.request.query_params.get("code") or ""
    number, op_no = parse_scan_code(code)
    wait_for = _int(web.request.query_params.get("waitFor"))
    detail = await web.read("workOrder", lambda conn: pq.work_order(conn, number), wait_for)
    if detail is None:
        raise NotFound(f"no work order {number}", "WorkOrder", number)
    op = next((o for o in detail.operations if o.op_no == op_no), None)
    if op is None:
        raise NotFound(f"work order {number} has no operation {op_no}", "Operation", code)
    reports = [r for r in detail.reports if r.op_no == op_no]
    return web.render("terminal/_operation.html", detail=detail, op=op, reports=reports)


@page("/terminal/badge", reads=("operators",))
async def badge(web: Web) -> Response:
    """An operator by badge (the operator code): JSON for the terminal's script."""
    code = (web.request.query_params.get("code") or "").strip().upper()
    found = await web.read("operators", lambda conn: pq.operator_views(conn, code)) if code else []
    if not found:
        return JSONResponse({"ok": False, "error": _("Unknown badge: ") + code}, status_code=404)
    person = found[0]
    return web.finish(JSONResponse({"ok": True, "code": person.code, "name": person.name,
                                    "workCenters": person.work_centers}))


@page("/terminal/report", methods=("POST",), command="report_operation")
async def report(web: Web) -> Response:
    body = await _json(web)
    entry = ReportInput(good=body.get("good") or "0", scrap=body.get("scrap") or "0",
                        scrap_reason=str(body.get("scrapReason") or ""),
                        rework=body.get("rework") or "0",
                        labor_hours=body.get("laborHours") or "0",
                        operator=str(body.get("operator") or ""))
    code, day = str(body.get("code") or ""), _date(body.get("postingDate"))
    return await _answer(web, lambda app, ctx: app.report_by_scan(code, day, entry, ctx=ctx),
                         body, code)


@page("/terminal/{action:str}", methods=("POST",), command="start_operation")
async def status(web: Web) -> Response:
    """Start, pause or resume an operation."""
    action = web.request.path_params["action"]
    command = ACTIONS.get(action)
    if command is None:
        return JSONResponse({"ok": False, "error": f"no action {action}"}, status_code=404)
    body = await _json(web)
    code = str(body.get("code") or "")
    number, op_no = parse_scan_code(code)
    return await _answer(
        web, lambda app, ctx: app.execute(command, number, op_no, ctx=ctx), body, code)


async def _answer(web: Web, command, body: dict, code: str) -> Response:
    """Run; answer JSON the script understands: ok (recorded now or before), or
    refused (the use case said no: the script drops it from its queue)."""
    key = str(body.get("key") or "").strip()
    if not key:
        raise ValidationError("a report needs its idempotency key", "key")
    try:
        outcome = await web.run(command, key)
    except DomainError as exc:
        return web.finish(JSONResponse({"ok": False, "error": exc.message, "code": code},
                                       status_code=422))
    return web.finish(JSONResponse({"ok": True, "code": code, "replayed": outcome.replayed,
                                    "position": outcome.position}))


async def _json(web: Web) -> dict:
    try:
        body = await web.request.json()
    except ValueError:
        raise ValidationError("send the report as a JSON object", "body") from None
    if not isinstance(body, dict):
        raise ValidationError("send the report as a JSON object", "body")
    return body


def _date(value: object) -> date:
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationError(f"postingDate {value!r} is not a date (YYYY-MM-DD)",
                              "postingDate") from None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
