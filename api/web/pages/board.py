"""看板 The factory board (a wall screen).

Work orders in progress with each operation's progress, today's plan
attainment and scrap rate per work center (``ShopKpi``'s formulas), OEE per
equipment (``oee_days``), open alerts (material shortages, equipment down,
quality alerts, orders past their due date), and two charts.

Live: ``/board/events`` is a Server-Sent Events stream that says "changed"
whenever the read models move past a new log position (a scan, a count, an
alert...); the page then fetches ``/board/live`` again. Nobody presses reload.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import anyio
from anyio import to_thread
from sqlalchemy import Connection
from starlette.responses import Response, StreamingResponse

from api.web.framework import Nav, Web, page
from api.web.i18n import gettext as _
from projections import equipment_queries as eq
from projections import production_queries as pq
from projections import quality_queries as qq

READS = ("workOrders", "shopKpis", "alerts", "equipmentOee", "equipmentAlerts")
OPEN = ("released", "in_progress")
POLL_SECONDS = 0.2  # how often the stream looks at the projected position
RECHECK_SECONDS = 5.0  # how often it re-reads who is watching
HEARTBEAT_SECONDS = 15.0  # a comment line keeps proxies from closing the stream


@dataclass(frozen=True)
class OrderProgress:
    summary: pq.WorkOrderSummary
    operations: list[pq.OperationView]


@dataclass(frozen=True)
class Board:
    today: date
    position: int
    orders: list[OrderProgress]
    kpis: list[pq.ShopKpi]
    total: pq.ShopKpi | None
    oee: list[tuple[eq.EquipmentView, object]]  # (machine, its figures today)
    shortages: list[pq.AlertView]
    machine_alerts: list[eq.EquipmentAlertView]
    quality_alerts: list[qq.QualityAlertView]
    late: list[pq.WorkOrderSummary]


def read_board(conn: Connection, today: date, now: datetime, position: int) -> Board:
    orders = [o for status in OPEN for o in pq.work_order_list(conn, status=status, first=50)]
    orders.sort(key=lambda o: (o.due_date, o.number))
    progress = []
    for summary in orders[:20]:
        detail = pq.work_order(conn, summary.number)
        progress.append(OrderProgress(summary, detail.operations if detail else []))
    kpis = pq.shop_kpis(conn, today, today)
    total = None
    if kpis:  # the factory: the rows summed, ShopKpi's own ratios on the sums
        total = pq.ShopKpi(today, "", *(sum((getattr(k, f) for k in kpis), Decimal(0))
                                        for f in ("planned", "done", "good", "scrap",
                                                  "labor_hours", "standard_hours")))
    machines = eq.equipment_list(conn)
    oee = [(m, eq.oee_days(conn, m.code, today, today, now)[0].total.figures) for m in machines]
    return Board(
        today, position, progress, kpis, total, oee,
        shortages=pq.alert_views(conn, "material_shortage", first=10),
        machine_alerts=[a for a in eq.alerts(conn, first=10)],
        quality_alerts=qq.alert_views(conn, first=10),
        late=[o for o in orders if o.due_date < today],
    )


def company_now(web: Web) -> datetime:
    app = web.runtime.app
    return app.now().astimezone(ZoneInfo(app.date_settings().time_zone)).replace(tzinfo=None)


async def _board(web: Web) -> Board:
    for what in READS:
        web.context.check_read(what)
    now = await to_thread.run_sync(company_now, web)
    position = await to_thread.run_sync(web.runtime.projected_position)
    return await web.read("workOrders", lambda conn: read_board(conn, now.date(), now, position))


def charts(board: Board) -> str:
    """The charts' data (JSON in a data attribute; static/board.js draws them)."""
    def pct(value) -> float | None:
        return None if value is None else round(float(value) * 100, 1)

    return json.dumps({
        "oee": {"labels": [m.code for m, _f in board.oee],
                "values": [pct(f.oee) for _m, f in board.oee],
                "label": _("OEE %")},
        "output": {"labels": [k.work_center for k in board.kpis],
                   "good": [float(k.good) for k in board.kpis],
                   "scrap": [float(k.scrap) for k in board.kpis],
                   "goodLabel": _("Good"), "scrapLabel": _("Scrap")},
    })


@page("/board", reads=READS, nav=Nav("Factory board", order=11))
async def board(web: Web) -> Response:
    found = await _board(web)
    return web.render("board/index.html", board=found, charts=charts(found))


@page("/board/live", reads=READS)
async def live(web: Web) -> Response:
    found = await _board(web)
    return web.render("board/_live.html", board=found, charts=charts(found))


@page("/board/events", reads=READS)
async def events(web: Web) -> Response:
    """SSE: ``event: changed`` with the new projected log position."""
    runtime = web.runtime

    async def stream() -> AsyncIterator[str]:
        seen = await to_thread.run_sync(runtime.projected_position)
        yield f"retry: 2000\nevent: hello\ndata: {seen}\n\n"
        checked = quiet = anyio.current_time()
        while True:
            await anyio.sleep(POLL_SECONDS)
            position = await to_thread.run_sync(runtime.projected_position)
            now = anyio.current_time()
            if now - checked >= RECHECK_SECONDS:  # still signed in, still allowed?
                if not await _still_allowed(web):
                    yield "event: signed-out\ndata: 0\n\n"
                    return
                checked = now
            if position != seen:
                seen, quiet = position, now
                yield f"event: changed\ndata: {position}\n\n"
            elif now - quiet >= HEARTBEAT_SECONDS:
                quiet = now
                yield ": still here\n\n"

    return web.finish(StreamingResponse(stream(), media_type="text/event-stream",
                                        headers={"Cache-Control": "no-cache",
                                                 "X-Accel-Buffering": "no"}))


async def _still_allowed(web: Web) -> bool:
    from api.web.framework import principal

    found, _refusal = await to_thread.run_sync(principal, web.runtime, web.session, web.request)
    if found.roles is not None and not found.roles:
        return False
    web.context.roles, web.context.areas = found.roles, found.areas
    try:
        for what in READS:
            web.context.check_read(what)
    except Exception:  # noqa: BLE001 - a refusal of any kind ends the stream
        return False
    return True
