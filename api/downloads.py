"""File downloads, with the same read rules as GraphQL queries
(``domain.access.READ_AREAS``: reports read the ledger, invoices the
invoices area; open mode for loopback clients only):

    GET /reports/{name}.{xlsx|csv|html}?period=2026-11[&asOf=N]
        balance-sheet, income-statement, annual-income-statement (the year to
        the period beside the year before: period=2026-12 for the annual
        report), cash-flow-statement, trial-balance or vat-return. The
        statements' XLSX and HTML (a printable A4 page) are the official
        forms (``api/statement_print.py``): the balance sheet two-sided, with
        编制单位, the date and 单位：元; CSV is the plain line table.
    GET /invoices/{number}.xml     the 数电票 XML
    GET /invoices/{number}.html    a printable page

each also under /c/<company>/ (or with X-Company), for one company of several.

Invoices are rendered from the invoice as recorded in the event store.
"""

from __future__ import annotations

from datetime import datetime

from anyio import to_thread
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.companies import company_runtime
from api.exports import CSV_TYPE, XLSX_TYPE, statement_xlsx, to_csv, to_xlsx
from api.graphql.context import Context
from api.graphql.errors import QueryError
from api.statement_print import statement_html
from domain.errors import DomainError, NotFound, ValidationError
from domain.invoicing.einvoice import invoice_html, invoice_xml
from domain.ledger.closing import last_day
from domain.ledger.periods import check_period
from projections.reports import STATEMENTS, report


def _error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers or None)


def _refusal(runtime, request: Request, what: str) -> Response | None:
    """Why the caller may not download ``what`` (a response to send), or None:
    401 when not signed in, 403 when signed in without a role that reads it."""
    if runtime is None:
        return _error(503, "starting")
    ctx = Context.from_request(runtime, request)
    try:
        ctx.check_read(what)
    except QueryError as exc:
        body = {"error": exc.message, **(exc.extensions or {})}
        if ctx.roles is not None and not ctx.roles:
            return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return JSONResponse(body, status_code=403)
    return None


async def _company_runtime(request: Request):
    """The runtime of the company the request names (X-Company, /c/<code>/...),
    or the error response (404 unknown, 400 bad) to send instead."""
    try:
        return await to_thread.run_sync(company_runtime, request)
    except HTTPException as exc:
        return _error(exc.status_code, exc.reason)


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


async def report_download(request: Request) -> Response:
    runtime = await _company_runtime(request)
    if isinstance(runtime, Response):
        return runtime
    name, fmt = request.path_params["name"], request.path_params["format"]
    if fmt not in ("xlsx", "csv", "html"):
        return _error(404, f"no such format {fmt!r}: use .xlsx, .csv or .html")
    if fmt == "html" and name not in STATEMENTS:
        return _error(404, f"no printable form of {name!r}; one of {', '.join(STATEMENTS)}")

    def build() -> Response:
        refused = _refusal(runtime, request, "download:reports")
        if refused is not None:
            return refused
        try:
            period = check_period(request.query_params.get("period", ""))
            raw = request.query_params.get("asOf")
            try:
                as_of = int(raw) if raw not in (None, "") else None
            except ValueError:
                raise ValidationError(f"asOf {raw!r} is not a log position", "asOf") from None
            runtime.settle(runtime.app.log_position())
            official = name in STATEMENTS and fmt in ("html", "xlsx")
            with runtime.read() as conn:
                if official:
                    statement = STATEMENTS[name](conn, period, as_of)
                else:
                    table = report(conn, name, period, as_of)
        except DomainError as exc:
            return _error(400, exc.message)
        stem = f"{name}-{period}" + (f"-asof-{as_of}" if as_of is not None else "")
        if official:
            profile = runtime.app.company_profile()
            company = profile.name if profile is not None else ""
            if fmt == "html":
                return HTMLResponse(statement_html(statement, company))
            body = statement_xlsx(statement, company,
                                  datetime.combine(last_day(period), datetime.min.time()))
            return Response(body, media_type=XLSX_TYPE, headers=_attachment(f"{stem}.xlsx"))
        if fmt == "xlsx":
            body = to_xlsx(table, datetime.combine(last_day(period), datetime.min.time()))
            return Response(body, media_type=XLSX_TYPE, headers=_attachment(f"{stem}.xlsx"))
        return Response(to_csv(table), media_type=CSV_TYPE, headers=_attachment(f"{stem}.csv"))

    return await to_thread.run_sync(build)


async def invoice_xml_download(request: Request) -> Response:
    return await _invoice(request, "xml")


async def invoice_html_download(request: Request) -> Response:
    return await _invoice(request, "html")


async def _invoice(request: Request, fmt: str) -> Response:
    runtime = await _company_runtime(request)
    if isinstance(runtime, Response):
        return runtime

    def build() -> Response:
        refused = _refusal(runtime, request, "download:invoices")
        if refused is not None:
            return refused
        try:
            invoice = runtime.app.sales_invoice(request.path_params["number"])
        except ValidationError as exc:
            return _error(400, exc.message)
        except NotFound as exc:
            return _error(404, exc.message)
        if fmt == "xml":
            return Response(invoice_xml(invoice), media_type="application/xml",
                            headers=_attachment(f"{invoice.number}.xml"))
        return HTMLResponse(invoice_html(invoice))

    return await to_thread.run_sync(build)
