"""The web console's small framework: pages, their guard, and the way they
call the application (docs/web.md, "How to add a page").

A page is an async function ``handler(web: Web) -> Response`` registered with
``@page(path, reads=..., command=..., nav=...)``. Before it runs:

- the session cookie is read and the user's roles read afresh
  (``session_principal``); no session -> the sign-in page (or 401 for htmx);
- the guard: ``reads`` names READ_AREAS keys of ``domain/access.py`` (the
  same keys the GraphQL queries use), ``command`` a COMMAND_ROLES name; a
  caller who may not -> 403 with the roles that may;
- any POST must carry the session's CSRF token (form field ``csrf_token`` or
  header ``X-CSRF-Token``; the base layout makes htmx send the header).

``web.read(what, query)`` and ``web.run(command, key)`` go the way GraphQL's
resolvers go (``api/graphql/context.py``): the same read gate, the same
``CommandContext`` (actor, roles, idempotency key), the same read-your-writes
wait. No business rule lives in a page.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from anyio import to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.graphql.context import OPEN_MODE_REMOTE, Context, is_loopback
from api.graphql.errors import QueryError
from api.runtime import Runtime
from api.web import i18n
from api.web.session import Session, csrf_ok
from domain.access import check_allowed
from domain.application import FactoryLedger, Outcome
from domain.commands import CommandContext
from domain.errors import DomainError, PermissionDenied
from domain.users.directory import Principal

log = logging.getLogger(__name__)
T = TypeVar("T")

HERE = Path(__file__).parent
STATIC_VERSION = "1"  # bump to make browsers fetch changed static files

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(("html",)),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
env.filters.update(amount=i18n.amount, qty=i18n.quantity, percent=i18n.percent, day=i18n.day,
                   chinese_date=i18n.chinese_date)
env.globals.update(languages=i18n.LANGUAGES,
                   static=lambda path: f"/static/{path}?v={STATIC_VERSION}")


@dataclass(frozen=True)
class Nav:
    """A page's entry in the navigation: ``label`` is an English message id."""

    label: str
    order: int = 100
    group: str = ""


@dataclass(frozen=True)
class Page:
    path: str
    handler: Callable[[Web], Awaitable[Response]]
    methods: tuple[str, ...]
    reads: tuple[str, ...]
    command: str | None
    nav: Nav | None
    public: bool

    def allows(self, web: Web) -> str | None:
        """None when the caller may open the page, else why not."""
        try:
            for what in self.reads:
                web.context.check_read(what)
            if self.command:
                check_allowed(self.command, web.context.roles)
        except QueryError as exc:
            return exc.message
        except PermissionDenied as exc:
            return exc.message
        return None


PAGES: list[Page] = []


Handler = Callable[["Web"], Awaitable[Response]]


def page(path: str, *, methods: Iterable[str] = ("GET",), reads: Iterable[str] = (),
         command: str | None = None, nav: Nav | None = None, public: bool = False
         ) -> Callable[[Handler], Handler]:
    """Register a page or an action (see the module's docstring)."""

    def register(handler):
        PAGES.append(Page(path, handler, tuple(m.upper() for m in methods), tuple(reads),
                          command, nav, public))
        return handler

    return register


@dataclass
class Web:
    """What a page handler gets: the request, who asks, and the ways to answer."""

    request: Request
    session: Session
    context: Context  # the same one GraphQL's resolvers get
    language: str
    page: Page | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def runtime(self) -> Runtime:
        return self.context.runtime

    @property
    def actor(self) -> str:
        return self.context.actor

    @property
    def roles(self) -> frozenset[str] | None:
        return self.context.roles

    @property
    def htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    async def form(self) -> dict[str, str]:
        data = await self.request.form()
        return {k: v for k, v in data.items() if isinstance(v, str)}

    def may(self, *, reads: Iterable[str] = (), command: str | None = None) -> bool:
        """Whether the caller may read all ``reads`` and run ``command`` (to show
        or hide a button; the command itself is checked again when it runs)."""
        probe = Page("", _no_handler, (), tuple(reads), command, None, False)
        return probe.allows(self) is None

    # -- reading and running: the path GraphQL takes -------------------------------------
    async def read(self, what: str, query: Callable[[Connection], T],
                   wait_for: int | None = None) -> T:
        """``query(conn)`` on the read models, after the read gate for ``what`` (a
        READ_AREAS key) and, with ``wait_for``, once they reached that position."""
        self.context.check_read(what)
        runtime = self.runtime
        if wait_for:
            await to_thread.run_sync(runtime.reach, wait_for)

        def answer() -> T:
            with runtime.read() as conn:
                return query(conn)

        return await to_thread.run_sync(answer)

    async def run(self, command: Callable[[FactoryLedger, CommandContext], Outcome],
                  idempotency_key: str | None = None) -> Outcome:
        """Run a use case as the signed-in user and wait until the read models
        show it. Raises the DomainError the use case raised (a page shows its
        message: ``web.error``)."""
        runtime = self.runtime
        ctx = self.context.command(idempotency_key)
        outcome = await to_thread.run_sync(command, runtime.app, ctx)
        await to_thread.run_sync(runtime.reach, outcome.position)
        return outcome

    async def call(self, fn: Callable[[FactoryLedger], T]) -> T:
        """A reader of the application (``app.<reader>(...)``) off the event loop."""
        return await to_thread.run_sync(fn, self.runtime.app)

    # -- answering --------------------------------------------------------------------------
    def render(self, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(template).render(**self.template_values(), **values)
        return self.finish(HTMLResponse(html, status_code=status_code))

    def template_values(self) -> dict[str, Any]:
        return {
            "web": self, "request": self.request, "user": self.actor,
            "roles": sorted(self.roles or ()), "open_mode": self.roles is None,
            "lang": self.language, "csrf_token": self.session.csrf,
            "csrf_field": Markup(f'<input type="hidden" name="csrf_token" '
                                 f'value="{escape(self.session.csrf)}">'),
            "nav": self.navigation(), "path": self.request.url.path,
        }

    def navigation(self) -> list[tuple[str, str]]:
        """(path, translated label) of the pages this caller may open."""
        if self.context.roles is not None and not self.context.roles:
            return []
        entries = sorted((p for p in PAGES if p.nav and "GET" in p.methods),
                         key=lambda p: (p.nav.order, p.path))
        return [(p.path, i18n.gettext(p.nav.label)) for p in entries if p.allows(self) is None]

    def error(self, message: str, status_code: int = 400) -> HTMLResponse:
        """A refusal as a fragment (htmx swaps it into #flash) or a page."""
        if self.htmx:
            response = self.render("_flash.html", status_code=status_code, kind="error",
                                   message=message)
            response.headers["HX-Retarget"] = "#flash"
            response.headers["HX-Reswap"] = "innerHTML"
            return response
        return self.render("error.html", status_code=status_code, message=message)

    def redirect(self, url: str) -> Response:
        if self.htmx:
            return self.finish(Response(status_code=204, headers={"HX-Redirect": url}))
        return self.finish(RedirectResponse(url, status_code=303))

    def finish(self, response: Response) -> Response:
        self.session.save(self.request, response)
        for name, value in self.cookies.items():
            response.set_cookie(name, value, max_age=365 * 86400, samesite="lax", httponly=True)
        return response


async def _no_handler(web: Web) -> Response:  # pragma: no cover - a probe never runs
    raise NotImplementedError


def principal(runtime: Runtime, session: Session, request: Request) -> tuple[Principal, str]:
    """The session's user (roles read now); open mode (no users): loopback only."""
    found = runtime.app.session_principal(session.username, fallback_actor="web")
    if found.open_mode:
        client = request.client.host if request.client else None
        if not is_loopback(client):
            return Principal("anonymous", frozenset(), frozenset()), OPEN_MODE_REMOTE
    return found, ""


async def web_of(request: Request) -> Web:
    runtime: Runtime = request.app.state.runtime
    session = Session.load(request)
    lang = i18n.choose(request.query_params.get("lang") or request.cookies.get(i18n.COOKIE))
    i18n.set_language(lang)
    found, refusal = await to_thread.run_sync(principal, runtime, session, request)
    context = Context(runtime, found.actor, request.headers.get("x-correlation-id"), request,
                      None, found.roles, found.areas, found.viewer_areas,
                      refusal=refusal or "sign in")
    web = Web(request, session, context, lang)
    if "lang" in request.query_params:
        web.cookies[i18n.COOKIE] = lang
    return web


def endpoint(page_: Page) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        if runtime_missing(request):
            return HTMLResponse("starting", status_code=503)
        web = await web_of(request)
        web.page = page_
        signed_out = web.context.roles is not None and not web.context.roles
        if request.method == "POST":
            sent = request.headers.get("x-csrf-token")
            if sent is None and _is_form(request):
                sent = (await request.form()).get("csrf_token")
            if not csrf_ok(web.session, sent if isinstance(sent, str) else None):
                return web.error(i18n.gettext("The form has expired: reload the page and "
                                              "try again."), 403)
        if not page_.public:
            if signed_out:
                if web.context.refusal == OPEN_MODE_REMOTE:
                    return web.error(OPEN_MODE_REMOTE, 403)
                target = "/login?next=" + quote(request.url.path)
                if web.htmx or request.method != "GET":
                    return web.finish(Response(status_code=401,
                                               headers={"HX-Redirect": target}))
                return web.redirect(target)
            why = page_.allows(web)
            if why is not None:
                return web.error(i18n.gettext("You may not open this page: ") + why, 403)
        # The page family's own catalog first (api/web/i18n.py), also for errors.
        i18n.set_family(page_.handler.__module__.rsplit(".", 1)[-1])
        try:
            return await page_.handler(web)
        except DomainError as exc:
            status = 403 if isinstance(exc, PermissionDenied) else 400
            return web.error(exc.message, status)
        except QueryError as exc:
            status = 403 if (exc.extensions or {}).get("type") == "PermissionDenied" else 400
            return web.error(exc.message, status)
        except asyncio.CancelledError:
            raise

    handle.__name__ = page_.handler.__name__
    return handle


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def runtime_missing(request: Request) -> bool:
    return getattr(request.app.state, "runtime", None) is None
