"""File downloads: statements as XLSX or CSV.

    GET /reports/{name}.{xlsx|csv}?period=2026-11[&asOf=N]

``name`` is balance-sheet, income-statement or trial-balance. The same
bearer token as for /graphql; any role that may read may download.
"""

from __future__ import annotations

from datetime import datetime

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.exports import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx
from api.graphql.context import Context
from domain.access import can_read
from domain.errors import DomainError, ValidationError
from domain.ledger.closing import last_day
from domain.ledger.periods import check_period
from projections.reports import report


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def report_download(request: Request) -> Response:
    runtime = request.app.state.runtime
    name, fmt = request.path_params["name"], request.path_params["format"]
    if fmt not in ("xlsx", "csv"):
        return _error(404, f"no such format {fmt!r}: use .xlsx or .csv")

    def build() -> Response:
        ctx = Context.from_request(runtime, request)
        if not can_read(ctx.roles):
            return _error(401, "sign in: send a valid bearer token (Authorization: Bearer …)")
        try:
            period = check_period(request.query_params.get("period", ""))
            raw = request.query_params.get("asOf")
            try:
                as_of = int(raw) if raw not in (None, "") else None
            except ValueError:
                raise ValidationError(f"asOf {raw!r} is not a log position", "asOf") from None
            runtime.settle(runtime.app.log_position())
            with runtime.read() as conn:
                table = report(conn, name, period, as_of)
        except DomainError as exc:
            return _error(400, exc.message)
        stem = f"{name}-{period}" + (f"-asof-{as_of}" if as_of is not None else "")
        if fmt == "xlsx":
            body = to_xlsx(table, datetime.combine(last_day(period), datetime.min.time()))
            media = XLSX_TYPE
        else:
            body, media = to_csv(table), CSV_TYPE
        return Response(body, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})

    return await to_thread.run_sync(build)
