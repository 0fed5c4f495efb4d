"""打印 Printing: the work-order traveller (工序流转卡) with a QR code per
operation that the shop-floor terminal scans, the notes of a stock document
(入库单, 领料单, 送货单, ...) and lot labels (60 x 40 mm).

The QR codes are SVG made here by segno and put inline: a printed page asks
no other host. The traveller's code is the one the terminal parses
(``scan_code``: ``WO-000123/OP20``); a label's is the document and its line
(``GR-000002/1``). Print layouts are in ``static/print.css`` (A4 and the
label's own ``@page``).
"""

from __future__ import annotations

from datetime import timedelta

import segno
from markupsafe import Markup
from starlette.responses import Response

from api.web.framework import Nav, Web, page
from domain.errors import NotFound
from domain.production.work_orders import scan_code
from projections import inventory_queries as iq
from projections import invoicing_queries as invq
from projections import production_queries as pq

# The note's title by document kind: the documents are Chinese, whatever the language.
NOTE_TITLES = {
    "receipt": "采购入库单", "supplier_return": "采购退货单", "shipment": "送货单",
    "customer_return": "销售退货单", "transfer": "调拨单", "count": "盘点单",
    "adjustment": "库存调整单", "material_issue": "生产领料单", "material_return": "生产退料单",
    "completion": "完工入库单", "maintenance_issue": "维修领料单",
}
# Who signs the note (签字栏), by kind.
SIGNATURES = {
    "receipt": ("仓管员", "质检员", "送货人"), "shipment": ("仓管员", "送货人", "收货人"),
    "material_issue": ("仓管员", "领料人", "车间主任"),
    "maintenance_issue": ("仓管员", "领料人", "设备科"),
}
OPEN_ORDERS = ("released", "in_progress", "held")


def qr_svg(content: str, scale: int = 3) -> Markup:
    """An inline SVG QR code (medium error correction, a quiet zone of 2 modules)."""
    code = segno.make(content, error="m", micro=False)
    return Markup(code.svg_inline(scale=scale, border=2, title=content, omitsize=True))


@page("/print", reads=("workOrders", "stockDocuments"), nav=Nav("Printing", order=80))
async def index(web: Web) -> Response:
    orders = await web.read("workOrders", lambda c: [
        w for w in pq.work_order_list(c, first=500) if w.status in OPEN_ORDERS])
    since = web.runtime.app.today() - timedelta(days=31)
    docs, _more, _cursor = await web.read("stockDocuments", lambda c: iq.documents(
        c, date_from=since, first=200))
    return web.render("printing/index.html", orders=orders, documents=list(reversed(docs)),
                      titles=NOTE_TITLES)


@page("/print/work-orders/{number}", reads=("workOrder", "items"))
async def traveller(web: Web) -> Response:
    number = web.request.path_params["number"].upper()
    detail = await web.read("workOrder", lambda c: pq.work_order(c, number))
    if detail is None:
        raise NotFound(f"no work order {number}", "WorkOrder", number)
    item = await web.read("items", lambda c: iq.item(c, detail.summary.item))
    ops = [(op, qr_svg(scan_code(number, op.op_no))) for op in detail.operations]
    return web.render("printing/traveller.html", wo=detail.summary, detail=detail, item=item,
                      ops=ops, company=await _company(web), today=web.runtime.app.today())


@page("/print/documents/{number}", reads=("stockDocument", "items"))
async def note(web: Web) -> Response:
    document = await _document(web)
    names = await _items(web, {ln.item for ln in document.lines})
    return web.render("printing/note.html", doc=document, names=names,
                      title=NOTE_TITLES.get(document.kind, "出入库单"),
                      signatures=SIGNATURES.get(document.kind, ("仓管员", "经办人")),
                      company=await _company(web))


@page("/print/documents/{number}/labels", reads=("stockDocument", "items"))
async def labels(web: Web) -> Response:
    document = await _document(web)
    names = await _items(web, {ln.item for ln in document.lines})
    rows = [(ln, names.get(ln.item), qr_svg(f"{document.number}/{ln.line_no}", scale=2))
            for ln in document.lines]
    return web.render("printing/labels.html", doc=document, rows=rows)


async def _document(web: Web) -> iq.DocumentView:
    number = web.request.path_params["number"].upper()
    found = await web.read("stockDocument", lambda c: iq.document(c, number))
    if found is None:
        raise NotFound(f"no stock document {number}", "StockDocument", number)
    return found


async def _items(web: Web, codes: set[str]) -> dict[str, iq.ItemView]:
    def read(conn) -> dict[str, iq.ItemView]:
        return {code: view for code in codes if (view := iq.item(conn, code)) is not None}

    return await web.read("items", read)


async def _company(web: Web) -> invq.ProfileView | None:
    """The company's name on the page, for those who read the company profile."""
    if not web.may(reads=("companyProfile",)):
        return None
    return await web.read("companyProfile", invq.profile)
