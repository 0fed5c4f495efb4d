"""Sign-in, sign-out and the console's home (the pages this user may open)."""

from __future__ import annotations

from starlette.responses import Response

from api.web.framework import Web, page
from api.web.passwords import verify_password


def _safe_next(target: str | None) -> str:
    """Only a path of this server (no //host, no scheme): no open redirect."""
    target = target or "/"
    return target if target.startswith("/") and not target.startswith("//") else "/"


@page("/", public=True)
async def home(web: Web) -> Response:
    if web.roles is not None and not web.roles:
        return web.redirect("/login")
    return web.render("home.html")


@page("/login", methods=("GET", "POST"), public=True)
async def login(web: Web) -> Response:
    target = _safe_next(web.request.query_params.get("next"))
    if web.request.method == "GET":
        return web.render("login.html", next=target, failed=False)
    form = await web.form()
    username = (form.get("username") or "").strip().lower()
    stored = await web.call(lambda app: app.password_hash(username))
    if not verify_password(stored, form.get("password") or ""):
        return web.render("login.html", status_code=401, next=target, failed=True,
                          username=username)
    web.session.sign_in(username)
    return web.redirect(_safe_next(form.get("next")))


@page("/logout", methods=("POST",), public=True)
async def logout(web: Web) -> Response:
    web.session.sign_out()
    return web.redirect("/login")
