"""Invoice downloads: ``/invoices/{number}.xml`` (the 数电票 XML) and
``/invoices/{number}.html`` (a printable page), rendered from the invoice as
recorded in the event store.

Who may download is decided as for GraphQL queries: a bearer token's user
with any role, or anyone while the company has no users yet (open mode).
"""

from __future__ import annotations

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.graphql.context import Context
from domain.access import can_read
from domain.errors import NotFound, ValidationError
from domain.invoicing.einvoice import invoice_html, invoice_xml


async def invoice_xml_download(request: Request) -> Response:
    return await _download(request, "xml")


async def invoice_html_download(request: Request) -> Response:
    return await _download(request, "html")


async def _download(request: Request, fmt: str) -> Response:
    runtime = request.app.state.runtime
    if runtime is None:
        return JSONResponse({"error": "starting"}, status_code=503)
    ctx = await to_thread.run_sync(Context.from_request, runtime, request)
    if not can_read(ctx.roles):
        return JSONResponse(
            {"error": "sign in: send a valid bearer token (Authorization: Bearer …)"},
            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    number = request.path_params["number"]
    try:
        invoice = await to_thread.run_sync(runtime.app.sales_invoice, number)
    except ValidationError as exc:
        return JSONResponse({"error": exc.message}, status_code=400)
    except NotFound as exc:
        return JSONResponse({"error": exc.message}, status_code=404)
    if fmt == "xml":
        return Response(invoice_xml(invoice), media_type="application/xml",
                        headers=_attachment(f"{invoice.number}.xml"))
    return HTMLResponse(invoice_html(invoice))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
