"""Several companies (多账套) on one server: each its own store, chosen per call.

The *home* company is the store FACTORYLEDGER_DATABASE_URL names, exactly as
with one company (its code is ``default``). It also keeps the registry of the
other companies: a small system table, ``factoryledger_companies`` (code, name,
database URL), beside its read models but outside them (verify and rebuild
never touch it). ``company add`` gives a new company a store of its own:

- SQLite home ``sqlite:///var/factoryledger.db``: the file
  ``var/companies/<code>.db``;
- PostgreSQL home: the schema ``company_<code>`` in the same database (the
  home URL's other parameters, sslmode and friends, kept);

or any URL given with ``--database``. A store is one company's event log and
read models, so nothing of one company can be read through another.

A request names its company by the ``X-Company`` header or the URL prefix
``/c/<code>/graphql``; the command line by ``--company CODE`` (or
FACTORYLEDGER_COMPANY). The server opens one Runtime per company on first use
and keeps it.

Users and roles are per company: a company's own users (``factoryledger
--company b user add ...``) and their tokens count in that company only. A
token of the home company also signs its user in to another company, but
only if that company has a user of the same name (its roles there are that
user's roles; disabled there, refused). So a user belongs to one or more
companies, with roles per company, and a token of company A is refused by B
unless its user belongs to B.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, Text, inspect, select
from sqlalchemy.engine import make_url

from api.runtime import Runtime
from domain.access import readable_areas
from domain.application import FactoryLedger
from domain.errors import DomainError
from domain.store import ConfigurationError, StoreConfig, parse_database_url
from domain.users.directory import Principal
from domain.users.handlers import user as user_named
from projections.db import make_engine

DEFAULT = "default"
HEADER = "x-company"
ENV_VAR = "FACTORYLEDGER_COMPANY"
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")

registry = MetaData()
companies_table = Table(
    "factoryledger_companies", registry,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("database_url", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)


class UnknownCompany(ConfigurationError):
    """No company has this code (the message names the known ones)."""


@dataclass(frozen=True)
class Company:
    code: str
    name: str
    database_url: str

    def where(self) -> str:
        return parse_database_url(self.database_url).describe()


def check_code(code: str) -> str:
    """A company code: 2-31 characters, a-z first, then a-z 0-9 _ (it names a
    file or a schema, and appears in URLs and MQTT topics)."""
    value = (code or "").strip().lower()
    if not _CODE.match(value):
        raise ConfigurationError(
            f"bad company code {code!r}: 2-31 characters, a-z first, then a-z 0-9 _")
    return value


def company_url(home: StoreConfig, code: str) -> str:
    """Where a new company's store goes by default (see the module docstring)."""
    if home.kind == "sqlite":
        path = Path(home.sqlite_path).parent / "companies" / f"{code}.db"
        return f"sqlite:///{path.as_posix()}"
    if home.kind == "postgres":
        url = make_url(home.url).update_query_dict({"schema": f"company_{code}"})
        return url.render_as_string(hide_password=False)
    raise ConfigurationError(f"{home.describe()} cannot hold other companies")


def _registry_engine(home: StoreConfig) -> Engine:
    return make_engine(home)


def list_companies(engine: Engine) -> list[Company]:
    if not inspect(engine).has_table(companies_table.name):
        return []  # one company so far: nothing was ever registered
    with engine.connect() as conn:
        rows = conn.execute(select(companies_table).order_by(companies_table.c.code)).all()
    return [Company(r.code, r.name, r.database_url) for r in rows]


def find_company(engine: Engine, code: str) -> Company:
    """The registered company ``code``; UnknownCompany (one line) if none."""
    known = list_companies(engine)
    for company in known:
        if company.code == code:
            return company
    names = ", ".join([DEFAULT, *(c.code for c in known)])
    raise UnknownCompany(f"no company {code!r}; known: {names} (factoryledger company list)")


def add_company(home: Runtime, code: str, name: str = "", database_url: str | None = None
                ) -> Company:
    """Register a company and create its store (event log with its chart of
    accounts, read models at head). Refuses a code or a store already used."""
    code = check_code(code)
    if code == DEFAULT:
        raise ConfigurationError(f"{DEFAULT!r} is the home company ({home.config.describe()})")
    url = database_url or company_url(home.config, code)
    config = parse_database_url(url)
    known = list_companies(home.engine)
    if any(c.code == code for c in known):
        raise ConfigurationError(f"company {code!r} exists already")
    used = {_place(home.config)} | {_place(parse_database_url(c.database_url)) for c in known}
    if _place(config) in used:
        raise ConfigurationError(f"{config.describe()} is already a company's store")
    runtime = Runtime(config)  # creates the store and its read models, or fails clearly
    try:
        runtime.runner.catch_up()  # the chart of accounts, projected
    finally:
        runtime.close()
    company = Company(code, name.strip() or code, url)
    registry.create_all(home.engine)
    with home.engine.begin() as conn:
        conn.execute(companies_table.insert().values(
            code=company.code, name=company.name, database_url=company.database_url,
            created_at=datetime.now(UTC).replace(tzinfo=None)))
    return company


def _place(config: StoreConfig) -> tuple:
    """What makes two URLs the same store (so two companies never share one)."""
    if config.kind == "sqlite":
        return ("sqlite", str(Path(config.sqlite_path).expanduser().resolve()))
    return ("postgres", config.host, config.port, config.dbname, config.schema or "public")


def company_config(home: StoreConfig, code: str | None) -> StoreConfig:
    """The store of company ``code`` (None or ``default``: the home store)."""
    if not code or code == DEFAULT:
        return home
    code = check_code(code)
    engine = _registry_engine(home)
    try:
        return parse_database_url(find_company(engine, code).database_url)
    finally:
        engine.dispose()


class CompanyRuntime(Runtime):
    """A company's runtime in a server of several: it knows its code and the
    home company's application, whose tokens may sign its members in."""

    def __init__(self, config: StoreConfig, code: str, identity: FactoryLedger,
                 **kwargs) -> None:
        super().__init__(config, **kwargs)
        self.code = code
        self.identity = identity


class Companies:
    """The server's companies: the home runtime, and the others opened on
    first use and kept until the server stops."""

    def __init__(self, home: Callable[[], Runtime | None]) -> None:
        self._home = home
        self._open: dict[str, CompanyRuntime] = {}
        self._lock = threading.Lock()

    def runtime(self, code: str | None) -> Runtime | None:
        """The runtime of company ``code`` (blocking: call it off the event loop);
        UnknownCompany if there is none; None while the server is starting."""
        home = self._home()
        if home is None or not code or code == DEFAULT:
            return home
        code = check_code(code)
        with self._lock:
            found = self._open.get(code)
            if found is None:
                company = find_company(home.engine, code)
                found = CompanyRuntime(parse_database_url(company.database_url), code,
                                       home.app, follow=home.worker is not None)
                self._open[code] = found
            return found

    def close(self) -> None:
        with self._lock:
            opened, self._open = list(self._open.values()), {}
        for runtime in opened:
            runtime.close()


def requested_code(path_code: str | None, header_code: str | None) -> str | None:
    """The company a request names: the URL prefix or the X-Company header (both
    must agree when both are given)."""
    path_code, header_code = (path_code or "").strip(), (header_code or "").strip()
    if path_code and header_code and path_code.lower() != header_code.lower():
        raise ConfigurationError(f"the URL names company {path_code!r} and X-Company "
                                 f"{header_code!r}: name one")
    return (path_code or header_code).lower() or None


def authenticate(runtime: Runtime, token: str | None, fallback_actor: str) -> Principal:
    """The principal of a token in ``runtime``'s company: its own users' tokens,
    or (a company of several) a home token whose user is a member here."""
    principal = runtime.app.authenticate(token, fallback_actor=fallback_actor)
    identity: FactoryLedger | None = getattr(runtime, "identity", None)
    if identity is None or not token or principal.open_mode or principal.roles:
        return principal
    home = identity.authenticate(token)
    if home.open_mode or not home.roles:
        return principal  # not a valid home token either
    try:
        member = runtime.app.read(user_named, home.actor)
    except DomainError:
        return principal  # signed in at home, but no member of this company
    if not member.active or not member.roles:
        return principal
    roles = frozenset(member.roles)
    return Principal(member.username, roles,
                     readable_areas(roles, principal.viewer_areas), principal.viewer_areas)


def company_runtime(request) -> Runtime | None:
    """The runtime of the company a request names (blocking); a bad or unknown
    company is an HTTP error (400, 404) naming it, before anything is read."""
    from cross_web import HTTPException

    try:
        code = requested_code(request.path_params.get("company"), request.headers.get(HEADER))
        return request.app.state.companies.runtime(code)
    except UnknownCompany as exc:
        raise HTTPException(404, str(exc)) from None
    except ConfigurationError as exc:
        raise HTTPException(400, str(exc)) from None
