"""Fixtures: every store-touching test runs on SQLite and on PostgreSQL.

PostgreSQL comes from FACTORYLEDGER_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres); each test gets a fresh schema
from ``fresh_pg_schema()``, dropped afterwards (the one place the suite makes
schemas). Unreachable PostgreSQL skips those tests locally and fails them
under CI=true. Use-case tests that read no read model run on the in-memory
store instead (``memory_runtime``, ``memory_app``); the pure rules have their
own tables in tests/unit (no fixtures at all). Scenes the fixtures set up are
plain functions in tests/scenes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partialmethod
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from starlette.testclient import TestClient

import domain.clock
from api.app import create_app
from api.runtime import Runtime
from domain.application import FactoryLedger
from domain.store import StoreConfig, parse_database_url
from tests.scenes.graphql import set_up_ledger
from tests.scenes.production_api import set_up_factory, set_up_shop
from tests.scenes.supply_api import SupplyApi, set_up_company

PG_URL = os.environ.get(
    "FACTORYLEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOOPBACK_CLIENT = ("127.0.0.1", 50000)


@pytest.fixture(scope="session", autouse=True)
def _test_clients_speak_from_loopback() -> Iterator[None]:
    """Starlette's TestClient reports the client host "testclient", which is no
    address; open (demo) mode answers loopback clients only, so tests speak
    from 127.0.0.1 unless they pass ``client=`` (tests/test_access.py does)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(TestClient, "__init__",
                   partialmethod(TestClient.__init__, client=LOOPBACK_CLIENT))
        yield


# The suite's business dates lie in Sep 2026 - Feb 2027 (the ledger properties
# post up to 2027-02-28); the company clock is pinned so that they stay inside
# the default date window (366 days back, 31 ahead) however the real date moves.
PINNED_NOW = datetime(2027, 1, 31, 4, 0, tzinfo=UTC)  # 12:00 on 31 Jan in Shanghai


@pytest.fixture(scope="session", autouse=True)
def company_clock() -> Iterator[datetime]:
    """Pin the company clock of every FactoryLedger built without its own
    (``FactoryLedger(clock=...)`` / ``Runtime(clock=...)`` is the injection point;
    the real clock is read through ``domain.clock.utc_now``, patched here)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(domain.clock, "utc_now", domain.clock.fixed_clock(PINNED_NOW))
        yield PINNED_NOW


def pg_admin(base_url: str = PG_URL):
    """An autocommit admin connection to the test PostgreSQL; skips the test when
    PostgreSQL is unreachable, fails it under CI=true."""
    import psycopg

    cfg = parse_database_url(base_url)
    try:
        return psycopg.connect(**cfg.psycopg_kwargs(), connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL at {base_url} is unreachable: {str(exc).strip().splitlines()[0]}"
        if IN_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)


def require_postgres() -> None:
    """Skip (or, under CI=true, fail) now when PostgreSQL is unreachable."""
    pg_admin().close()


def pg_schema_url(schema: str, base_url: str = PG_URL) -> str:
    """``base_url`` pointed at ``schema``: the query string is kept (other
    parameters stay, a ``schema=`` already there is replaced, not shadowed) and
    the user, password and host are left exactly as written."""
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("schema", schema)])))


@contextmanager
def fresh_pg_schema(prefix: str = "t", base_url: str = PG_URL) -> Iterator[str]:
    """The one way the tests make a PostgreSQL store: a new, empty schema named
    ``{prefix}_<random>``, yielded as a database URL, dropped (with everything in
    it) on the way out. Function-, module- and session-scoped fixtures and
    per-example property tests all use it."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with pg_admin(base_url) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield pg_schema_url(schema, base_url)
    finally:
        with pg_admin(base_url) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL with a fresh schema of its own."""
    with fresh_pg_schema("t") as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_store_url(request, tmp_path_factory) -> Iterator[str]:
    """A fresh store that one module's tests share, on each kind of store: for
    tests that are refused and write nothing, so the scene is set up once."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('module') / 'factoryledger.db'}"
        return
    with fresh_pg_schema("m") as url:
        yield url


@pytest.fixture(scope="module")
def module_runtime(module_store_url) -> Iterator[tuple[Runtime, str]]:
    """A runtime on ``module_store_url`` that one module's tests share, and the
    kind of store ("sqlite" or "postgres"): for property tests that build on
    one scene; closed before the store (or schema) goes."""
    kind = "sqlite" if module_store_url.startswith("sqlite") else "postgres"
    rt = Runtime(parse_database_url(module_store_url))
    try:
        yield rt, kind
    finally:
        rt.close()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'factoryledger.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request) -> str:
    """The database URL of a fresh, empty store, on each kind of store."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store_config(store_url) -> StoreConfig:
    return parse_database_url(store_url)


@pytest.fixture
def runtime(store_config) -> Iterator[Runtime]:
    rt = Runtime(store_config)
    try:
        yield rt
    finally:
        rt.close()


class MemoryRuntime:
    """What a use-case test touches of ``api.runtime.Runtime`` (``.app``,
    ``.config``), on eventsourcing's in-memory POPO store: no file, no schema,
    no migration and no read model, so asking it for ``engine`` or ``runner``
    fails. The store-backed fixtures (``runtime``) keep the promises about the
    store itself: atomic saves, concurrency, projections, migrations."""

    def __init__(self) -> None:
        self.config = StoreConfig.memory()
        self.app = FactoryLedger(self.config)

    def close(self) -> None:
        self.app.close()


@pytest.fixture
def memory_runtime() -> Iterator[MemoryRuntime]:
    """A fresh company on the in-memory store, ``runtime``-shaped."""
    rt = MemoryRuntime()
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def memory_app(memory_runtime) -> FactoryLedger:
    """A fresh ``FactoryLedger`` on the in-memory store (use cases only)."""
    return memory_runtime.app


# -- GraphQL scenes shared by several modules (the scene functions are in tests/scenes) ----
@pytest.fixture
def api(runtime) -> Iterator[SupplyApi]:
    """A GraphQL client over HTTP on a fresh store (tests/test_api.py has its own
    plain ``Api``)."""
    with TestClient(create_app(runtime), raise_server_exceptions=False) as client:
        yield SupplyApi(client, runtime)


@pytest.fixture
def ledger(api):
    """November 2026 open, nothing posted."""
    return set_up_ledger(api)


@pytest.fixture
def company(api):
    """November open; the bolt-kit master data, all through GraphQL."""
    return set_up_company(api)


@pytest.fixture
def factory(company):
    """Step 1 and 2 (invested, PO-1 received) plus the engineering data."""
    return set_up_factory(company)


@pytest.fixture
def shop(factory):
    """WO-000001 run, completed and closed; WO-000002 (FG-KIT 10) released, nothing issued;
    WO-000003 (SA-BLANK 10) released with OP10 started."""
    return set_up_shop(factory)


@pytest.fixture(scope="session", autouse=True)
def _allow_testserver_host() -> Iterator[None]:
    """Starlette's TestClient sends ``Host: testserver``: allow it (beside the
    loopback names) for the apps the tests build, never in the production
    default (api.limits.LOOPBACK_HOSTS)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTORYLEDGER_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1,[::1]")
        yield
