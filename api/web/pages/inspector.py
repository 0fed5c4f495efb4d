"""质检 The inspector's pages: inspection lots to do, result entry, held lots,
nonconformance reports (不合格品) and their dispositions.

Each action calls the use case GraphQL's mutation calls (recordInspection,
releaseInspection, disposeNonconformance) with what the form says; the
sampling decision, the stock moves and the postings are the domain's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from starlette.responses import Response

from api.web.framework import Nav, Web, page
from domain.errors import NotFound, ValidationError
from domain.quality.findings import DefectCount, Measurement
from domain.quality.nonconformance import DispositionKind
from domain.workflows.dispositions import DispositionInput
from projections import inventory_queries as iq
from projections import quality_queries as qq

DISPOSITIONS = tuple(k.name for k in DispositionKind)


@page("/inspector", reads=("inspectionLots", "nonconformances"),
      nav=Nav("Inspection", order=30))
async def inspector(web: Web) -> Response:
    status = web.request.query_params.get("status") or "open"
    lots = await web.read("inspectionLots", lambda c: qq.lot_views(
        c, status if status in ("open", "held", "closed") else None, first=100))
    ncrs = await web.read("nonconformances", lambda c: qq.ncr_views(c, open_only=True))
    return web.render("inspector/index.html", lots=lots, ncrs=ncrs, status=status)


@page("/inspector/lots/{number}", reads=("inspectionLot", "inspectionPlans", "onHand",
                                             "nonconformances"))
async def lot(web: Web) -> Response:
    return await _lot_page(web, web.request.path_params["number"])


async def _lot_page(web: Web, number: str) -> Response:
    found = await web.read("inspectionLot", lambda c: qq.lot_view(c, number.upper()))
    if found is None:
        raise NotFound(f"no inspection lot {number}", "InspectionLot", number)
    plans = await web.read("inspectionPlans", lambda c: qq.plan_views(c, found.item,
                                                                       found.stage))
    plan = next((p for p in plans if p.operation == found.operation
                 and p.version == found.plan_version), None)
    stock = await web.read("onHand", lambda c: iq.on_hand(c, item=found.item, include_zero=True))
    ncr = None
    if found.ncr:
        ncrs = await web.read("nonconformances", lambda c: qq.ncr_views(c, number=found.ncr))
        ncr = ncrs[0] if ncrs else None
    return web.render("inspector/lot.html", lot=found, plan=plan, stock=stock, ncr=ncr,
                      today=web.runtime.app.today())


def _day(text: str | None, field: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(f"{field}: a date (YYYY-MM-DD)", field) from None


def _values(text: str, field: str) -> tuple[Decimal, ...]:
    """Measured values as typed: separated by spaces, commas or new lines."""
    try:
        return tuple(Decimal(v) for v in text.replace(",", " ").replace("，", " ").split())
    except InvalidOperation:
        raise ValidationError(f"{field}: numbers separated by spaces", field) from None


def _count(text: str, field: str) -> int:
    try:
        return int((text or "0").strip() or "0")
    except ValueError:
        raise ValidationError(f"{field}: a whole number", field) from None


def results_of(form: dict[str, str]) -> tuple[tuple[Measurement, ...], tuple[DefectCount, ...]]:
    """The form's fields ``m:CH`` (values) and ``d:CH:CODE`` (a count) as the use
    case's inputs; empty fields are left out."""
    measurements, defects = [], []
    for key, value in form.items():
        if key.startswith("m:") and value.strip():
            measurements.append(Measurement(key[2:], _values(value, key[2:])))
        elif key.startswith("d:") and value.strip():
            _, characteristic, code = key.split(":", 2)
            count = _count(value, f"{characteristic}/{code}")
            if count:
                defects.append(DefectCount(characteristic, code, count))
    return tuple(measurements), tuple(defects)


@page("/inspector/lots/{number}/record", methods=("POST",), command="record_inspection")
async def record(web: Web) -> Response:
    number = web.request.path_params["number"]
    form = await web.form()
    measurements, defects = results_of(form)
    await web.run(lambda app, ctx: app.record_inspection(
        number, _day(form.get("inspectedOn"), "inspectedOn"), measurements, defects,
        form.get("hours") or "0", form.get("hold") == "on", ctx=ctx), form.get("key"))
    return web.redirect(f"/inspector/lots/{number}")


@page("/inspector/lots/{number}/release", methods=("POST",), command="release_inspection")
async def release(web: Web) -> Response:
    number = web.request.path_params["number"]
    form = await web.form()
    await web.run(lambda app, ctx: app.release_inspection(
        number, _day(form.get("postingDate"), "postingDate"), ctx=ctx), form.get("key"))
    return web.redirect(f"/inspector/lots/{number}")


@page("/inspector/lots/{number}/override", methods=("POST",), command="override_inspection")
async def override(web: Web) -> Response:
    """Another decision than the computed one for a held lot (admin only, as in the API)."""
    number = web.request.path_params["number"]
    form = await web.form()
    await web.run(lambda app, ctx: app.override_inspection(
        number, _day(form.get("postingDate"), "postingDate"), form.get("acceptedQty") or "",
        form.get("reason") or "", ctx=ctx), form.get("key"))
    return web.redirect(f"/inspector/lots/{number}")


@page("/inspector/ncrs/{number}", reads=("nonconformance",))
async def ncr(web: Web) -> Response:
    return await _ncr_page(web, web.request.path_params["number"])


async def _ncr_page(web: Web, number: str) -> Response:
    found = await web.read("nonconformance", lambda c: qq.ncr_views(c, number=number.upper(),
                                                                    first=1))
    if not found:
        raise NotFound(f"no nonconformance report {number}", "Nonconformance", number)
    return web.render("inspector/ncr.html", ncr=found[0], kinds=DISPOSITIONS,
                      today=web.runtime.app.today())


@page("/inspector/ncrs/{number}/dispose", methods=("POST",), command="dispose_nonconformance")
async def dispose(web: Web) -> Response:
    number = web.request.path_params["number"]
    form = await web.form()
    try:
        kind = DispositionKind[form.get("kind") or ""]
    except KeyError:
        raise ValidationError("kind: one of " + ", ".join(DISPOSITIONS), "kind") from None
    given = DispositionInput(kind, form.get("qty") or "", form.get("reason") or "",
                             form.get("approver") or "", form.get("laborHours") or "0",
                             form.get("machineHours") or "0", form.get("workCenter") or "")
    await web.run(lambda app, ctx: app.dispose_nonconformance(
        number, _day(form.get("postingDate"), "postingDate"), given, ctx=ctx), form.get("key"))
    return web.redirect(f"/inspector/ncrs/{number}")
