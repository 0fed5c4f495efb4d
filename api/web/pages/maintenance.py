"""设备维护 Maintenance: the machines' states (running, down, maintenance, ...)
and maintenance orders (open, start, labour, close).

Each action calls the use case GraphQL's mutation calls (recordEquipmentState,
openMaintenanceOrder, startMaintenanceOrder, recordMaintenanceLabor,
closeMaintenanceOrder); what a state change opens or costs is the domain's.
"""

from __future__ import annotations

from starlette.responses import Response

from api.web.forms import form_day
from api.web.framework import Nav, Web, page
from domain.equipment.oee import MachineState
from domain.errors import ValidationError
from projections import equipment_queries as eq

STATES = tuple(s.value for s in MachineState)
ORDER_STATUSES = ("open", "started", "closed")


@page("/maintenance", reads=("equipment", "maintenanceOrders", "downtimeReasons"),
      nav=Nav("Maintenance", order=40))
async def maintenance(web: Web) -> Response:
    status = web.request.query_params.get("status") or "active"
    machines = await web.read("equipment", lambda c: eq.equipment_list(c))
    reasons = await web.read("downtimeReasons", eq.reasons)
    orders = await web.read("maintenanceOrders", lambda c: eq.maintenance_order_list(
        c, status=status if status in ORDER_STATUSES else None, first=200))
    if status == "active":
        orders = [o for o in orders if o.status != "closed"]
    return web.render("maintenance/index.html", machines=machines, reasons=reasons,
                      orders=orders, status=status, states=STATES,
                      today=web.runtime.app.today())


@page("/maintenance/orders/{number}", reads=("maintenanceOrder",))
async def order(web: Web) -> Response:
    number = web.request.path_params["number"].upper()
    found = await web.read("maintenanceOrder", lambda c: eq.maintenance_order(c, number))
    return web.render("maintenance/order.html", order=found, today=web.runtime.app.today())


@page("/maintenance/state", methods=("POST",), command="record_equipment_state")
async def state(web: Web) -> Response:
    form = await web.form()
    try:
        chosen = MachineState(form.get("state") or "")
    except ValueError:
        raise ValidationError("state: one of " + ", ".join(STATES), "state") from None
    await web.run(lambda app, ctx: app.record_equipment_state(
        form.get("equipment") or "", app.now(), chosen, form.get("reason") or "", ctx=ctx),
        form.get("key"))
    return web.redirect("/maintenance")


@page("/maintenance/orders", methods=("POST",), command="open_maintenance_order")
async def open_order(web: Web) -> Response:
    form = await web.form()
    outcome = await web.run(lambda app, ctx: app.open_maintenance_order(
        form.get("equipment") or "", form.get("description") or "",
        form_day(form.get("day"), "day"), form.get("reason") or "", ctx=ctx), form.get("key"))
    return web.redirect(f"/maintenance/orders/{outcome.value.number}")


@page("/maintenance/orders/{number}/start", methods=("POST",),
      command="start_maintenance_order")
async def start(web: Web) -> Response:
    number = web.request.path_params["number"]
    form = await web.form()
    await web.run(lambda app, ctx: app.start_maintenance_order(
        number, form_day(form.get("day"), "day"), ctx=ctx), form.get("key"))
    return web.redirect(f"/maintenance/orders/{number}")


@page("/maintenance/orders/{number}/labor", methods=("POST",),
      command="record_maintenance_labor")
async def labor(web: Web) -> Response:
    number = web.request.path_params["number"]
    form = await web.form()
    day = form_day(form.get("postingDate"), "postingDate")
    if day is None:
        raise ValidationError("postingDate: a date (YYYY-MM-DD)", "postingDate")
    await web.run(lambda app, ctx: app.record_maintenance_labor(
        number, day, form.get("hours") or "", ctx=ctx), form.get("key"))
    return web.redirect(f"/maintenance/orders/{number}")


@page("/maintenance/orders/{number}/close", methods=("POST",),
      command="close_maintenance_order")
async def close(web: Web) -> Response:
    number = web.request.path_params["number"]
    form = await web.form()
    await web.run(lambda app, ctx: app.close_maintenance_order(
        number, form_day(form.get("day"), "day"), form.get("note") or "", ctx=ctx), form.get("key"))
    return web.redirect(f"/maintenance/orders/{number}")
