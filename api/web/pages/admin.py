"""系统管理 Administration: users (create, roles, password, disable/enable),
the roles and what each reads, the company profile, and the read models'
state (projection positions and lag, dead letters, the worker's last error).

Admin only, as the commands (``create_user`` ... have no role but admin) and
``systemStatus`` are. A new user's first API token is shown once, as
``factoryledger user add`` prints it; the password is hashed here
(``api/web/passwords.py``) and only the hash reaches ``set_user_password``.
Dead letters are retried with ``factoryledger dead-letters retry`` (no
command of the API retries them).
"""

from __future__ import annotations

from anyio import to_thread
from starlette.responses import Response

from api.web.framework import Nav, Web, page
from api.web.passwords import hash_password
from domain.access import ROLE_READS, Role
from domain.users.directory import new_token
from projections import invoicing_queries as invq

ROLES = tuple(r.value for r in Role)


def _roles(form_items: list[tuple[str, str]]) -> list[str]:
    return [value for key, value in form_items if key == "roles"]


@page("/admin", reads=("systemStatus", "companyProfile"), command="set_user_roles",
      nav=Nav("Administration", order=90))
async def admin(web: Web) -> Response:
    return await _admin_page(web)


async def _admin_page(web: Web, token: str = "", token_user: str = "") -> Response:
    users = await web.call(lambda app: [(u, app.user_tokens(u.username)) for u in app.users()])
    status = await to_thread.run_sync(web.runtime.system_status)
    profile = await web.read("companyProfile", invq.profile)
    role_reads = {r.value: sorted(a.value for a in areas) for r, areas in ROLE_READS.items()}
    return web.render("admin/index.html", users=users, status=status, profile=profile,
                      all_roles=ROLES, role_reads=role_reads, token=token, token_user=token_user)


@page("/admin/users", methods=("POST",), command="create_user")
async def create_user(web: Web) -> Response:
    data = await web.request.form()
    form = {k: v for k, v in data.items() if isinstance(v, str)}
    roles = _roles([(k, v) for k, v in data.multi_items() if isinstance(v, str)])
    token = new_token()  # shown once, never stored
    name = (form.get("username") or "").strip().lower()
    digest = hash_password(form["password"]) if form.get("password") else ""
    await web.run(lambda app, ctx: app.create_user(name, roles, token, ctx=ctx), form.get("key"))
    if digest:
        await web.run(lambda app, ctx: app.set_user_password(name, digest, ctx=ctx))
    return await _admin_page(web, token, name)


@page("/admin/users/{name}/roles", methods=("POST",), command="set_user_roles")
async def set_roles(web: Web) -> Response:
    name = web.request.path_params["name"]
    data = await web.request.form()
    roles = _roles([(k, v) for k, v in data.multi_items() if isinstance(v, str)])
    await web.run(lambda app, ctx: app.set_user_roles(name, roles, ctx=ctx))
    return web.redirect("/admin")


@page("/admin/users/{name}/password", methods=("POST",), command="set_user_password")
async def set_password(web: Web) -> Response:
    name = web.request.path_params["name"]
    form = await web.form()
    digest = hash_password(form.get("password") or "")
    await web.run(lambda app, ctx: app.set_user_password(name, digest, ctx=ctx))
    return web.redirect("/admin")


@page("/admin/users/{name}/disable", methods=("POST",), command="disable_user")
async def disable(web: Web) -> Response:
    name = web.request.path_params["name"]
    await web.run(lambda app, ctx: app.disable_user(name, ctx=ctx))
    return web.redirect("/admin")


@page("/admin/users/{name}/enable", methods=("POST",), command="enable_user")
async def enable(web: Web) -> Response:
    name = web.request.path_params["name"]
    await web.run(lambda app, ctx: app.enable_user(name, ctx=ctx))
    return web.redirect("/admin")


@page("/admin/company", methods=("POST",), command="set_company_profile")
async def company(web: Web) -> Response:
    f = await web.form()
    await web.run(lambda app, ctx: app.set_company_profile(
        f.get("name") or "", f.get("uscc") or "", f.get("address") or "", f.get("phone") or "",
        f.get("bank") or "", f.get("bankAccount") or "", ctx=ctx), f.get("key"))
    return web.redirect("/admin")
