"""The storekeeper's pages: stock on hand, the stock card of an item,
receiving against a purchase order and shipping against a sales order (a
scan box fills the line of the scanned item and its lot), transfers, counts
and what waits in quarantine.

Reads are the read-model queries GraphQL reads; each form becomes the
command GraphQL's mutation runs (``app.receive_purchase_order``, ...).
"""

from __future__ import annotations

from starlette.responses import Response

from api.web.forms import form_code, form_day
from api.web.framework import Nav, Web, page
from domain.errors import ValidationError
from domain.inventory.handlers import CountLineInput, TransferLineInput
from domain.orders import MoveLineInput
from projections import inventory_queries as iq
from projections import quality_queries as qq


def N_(message: str) -> str:  # noqa: N802 - marks a message id for extraction only
    return message


# Stock movement kinds, shown through _(kind) on the stock card.
MOVE_KINDS = (N_("receipt"), N_("shipment"), N_("material_issue"), N_("material_return"),
              N_("completion"), N_("transfer"), N_("count"), N_("adjustment"),
              N_("supplier_return"), N_("customer_return"))


def move_lines(form) -> list[MoveLineInput]:
    """The order lines with a quantity entered (text: the command parses it)."""
    lines = []
    for line_no, qty, lot, location in zip(form.getlist("line_no"), form.getlist("qty"),
                                           form.getlist("lot"), form.getlist("location"),
                                           strict=False):
        qty = qty.replace(",", "").strip()
        if qty:
            try:
                number = int(line_no)
            except ValueError:
                raise ValidationError(f"line {line_no!r} is not a line number", "lineNo") from None
            lines.append(MoveLineInput(number, qty, location=location.strip(),
                                       lot=lot.strip()))
    if not lines:
        raise ValidationError("enter a quantity on at least one line", "lines")
    return lines


# -- stock on hand and the stock card ------------------------------------------------------
@page("/stores", reads=("onHand",), nav=Nav("Stock", order=40))
async def stock(web: Web) -> Response:
    params = web.request.query_params
    item = form_code(params.get("item")) or None
    warehouse = form_code(params.get("warehouse")) or None
    rows = await web.read("onHand", lambda c: iq.on_hand(c, item=item, warehouse=warehouse))
    return web.render("stores/stock.html", rows=rows, item=item or "",
                      warehouse=warehouse or "", done=params.get("done", ""))


@page("/stores/card", reads=("stockCard",))
async def stock_card(web: Web) -> Response:
    params = web.request.query_params
    item = form_code(params.get("item"))
    warehouse = form_code(params.get("warehouse")) or None
    card = await web.read("stockCard", lambda c: iq.stock_card(c, item, warehouse=warehouse,
                                                               first=500)) if item else None
    return web.render("stores/card.html", item=item, warehouse=warehouse or "", card=card)


# -- receiving and shipping against orders ---------------------------------------------------
async def _order_page(web: Web, kind: str, template: str) -> Response:
    number = form_code(web.request.query_params.get("order"))
    lines = await web.read("openOrderLines", lambda c: iq.open_order_lines(c, kind))
    orders = sorted({ln.number for ln in lines})
    chosen = [ln for ln in lines if ln.number == number]
    today = await web.call(lambda app: app.today())
    return web.render(template, orders=orders, order=number, lines=chosen, today=today,
                      done=web.request.query_params.get("done", ""))


@page("/stores/receive", reads=("openOrderLines",), command="receive_purchase_order",
      nav=Nav("Receive", order=41))
async def receive(web: Web) -> Response:
    return await _order_page(web, "purchase", "stores/receive.html")


async def _order_post(web: Web, path: str, command) -> Response:
    """Receive or ship (``command(app)``) the lines entered against the chosen
    order, then back to ``path`` saying which document it made."""
    form = await web.request.form()
    number = form_code(str(form.get("order") or ""))
    day = form_day(str(form.get("posting_date") or ""), "postingDate")
    lines = move_lines(form)
    outcome = await web.run(lambda app, ctx: command(app)(number, day, lines, ctx=ctx),
                            str(form.get("key") or "") or None)
    return web.redirect(f"{path}?done={outcome.value.number}")


@page("/stores/receive", methods=("POST",), command="receive_purchase_order")
async def receive_post(web: Web) -> Response:
    return await _order_post(web, "/stores/receive", lambda app: app.receive_purchase_order)


@page("/stores/ship", reads=("openOrderLines",), command="ship_sales_order",
      nav=Nav("Ship", order=42))
async def ship(web: Web) -> Response:
    return await _order_page(web, "sales", "stores/ship.html")


@page("/stores/ship", methods=("POST",), command="ship_sales_order")
async def ship_post(web: Web) -> Response:
    return await _order_post(web, "/stores/ship", lambda app: app.ship_sales_order)


# -- transfers and counts ----------------------------------------------------------------------
@page("/stores/moves", reads=("onHand", "warehouses"), nav=Nav("Transfers and counts", order=43))
async def moves(web: Web) -> Response:
    warehouses = await web.read("warehouses", lambda c: iq.warehouse_views(c))
    today = await web.call(lambda app: app.today())
    return web.render("stores/moves.html", warehouses=warehouses, today=today,
                      may_transfer=web.may(command="transfer_stock"),
                      may_count=web.may(command="count_stock"),
                      done=web.request.query_params.get("done", ""))


@page("/stores/transfer", methods=("POST",), command="transfer_stock")
async def transfer(web: Web) -> Response:
    form = await web.form()
    day = form_day(form.get("posting_date"), "postingDate")
    line = TransferLineInput(form_code(form.get("item")), (form.get("qty") or "").strip(),
                             form_code(form.get("from_warehouse")),
                             form_code(form.get("to_warehouse")),
                             (form.get("from_location") or "").strip(),
                             (form.get("to_location") or "").strip(),
                             (form.get("lot") or "").strip())
    outcome = await web.run(lambda app, ctx: app.transfer_stock(
        day, [line], (form.get("note") or "").strip(), ctx=ctx), form.get("key") or None)
    return web.redirect(f"/stores/moves?done={outcome.value.number}")


@page("/stores/count", methods=("POST",), command="count_stock")
async def count(web: Web) -> Response:
    form = await web.form()
    day = form_day(form.get("posting_date"), "postingDate")
    line = CountLineInput(form_code(form.get("item")), (form.get("counted_qty") or "").strip(),
                          (form.get("location") or "").strip(), (form.get("lot") or "").strip())
    outcome = await web.run(lambda app, ctx: app.count_stock(
        day, form_code(form.get("warehouse")), [line], (form.get("note") or "").strip(), ctx=ctx),
        form.get("key") or None)
    return web.redirect(f"/stores/moves?done={outcome.value.number}")


# -- quarantine ------------------------------------------------------------------------------
@page("/stores/quarantine", reads=("onHand", "inspectionLots"), nav=Nav("Quarantine", order=44))
async def quarantine(web: Web) -> Response:
    def load(conn):
        held = [r for r in iq.on_hand(conn) if r.quarantined]
        lots = [lot for lot in qq.lot_views(conn, first=200) if lot.status != "closed"]
        return held, lots

    held, lots = await web.read("onHand", load)
    web.context.check_read("inspectionLots")
    return web.render("stores/quarantine.html", held=held, lots=lots)
