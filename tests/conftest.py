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
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from functools import partialmethod
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from starlette.testclient import TestClient

import domain.clock
from api.app import create_app
from api.runtime import Runtime
from domain.application import FactoryLedger
from domain.store import StoreConfig, parse_database_url
from projections.db import make_engine, migrate
from tests.scenes.graphql import set_up_ledger
from tests.scenes.production_api import set_up_factory, set_up_shop
from tests.scenes.supply_api import SupplyApi, set_up_company

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_DATABASE = "factoryledger_tests"
# Run the Alembic chain in every store the ``runtime`` fixture makes (make test-long).
MIGRATE_EACH = os.environ.get("FACTORYLEDGER_TEST_MIGRATE_EACH", "") == "1"


def _test_database_url(admin_url: str) -> str:
    """The database the tests make their schemas in, when no
    FACTORYLEDGER_TEST_POSTGRES_URL names one: ``factoryledger_tests`` on the
    server of ``admin_url``, made on first use, whose sessions commit without
    waiting for the WAL flush (``synchronous_commit = off``). Commits are as
    atomic and as visible as ever (only a server crash could lose the last
    ones, and a test store is thrown away anyway), but each one no longer
    waits for an fsync: several milliseconds on a busy disk, and a PostgreSQL
    test commits dozens of times. Falls back to ``admin_url`` itself when the
    server is unreachable (the tests then skip, or fail under CI=true, as
    before) or refuses."""
    import psycopg

    cfg = parse_database_url(admin_url)
    try:
        with psycopg.connect(
            host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password or None,
            dbname=cfg.dbname, connect_timeout=5, autocommit=True,
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (TEST_DATABASE,)).fetchone()
            if not exists:
                try:
                    conn.execute(f'CREATE DATABASE "{TEST_DATABASE}"')
                except psycopg.errors.DuplicateDatabase:
                    pass  # another test session made it first
            conn.execute(f'ALTER DATABASE "{TEST_DATABASE}" SET synchronous_commit = off')
    except psycopg.Error:
        return admin_url
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{TEST_DATABASE}"))


if "FACTORYLEDGER_TEST_POSTGRES_URL" in os.environ:
    PG_URL = os.environ["FACTORYLEDGER_TEST_POSTGRES_URL"]
else:  # every reader of the variable (tests/test_fuzz_api.py) sees the same database
    PG_URL = _test_database_url("postgresql://postgres@127.0.0.1:5432/postgres")
    os.environ["FACTORYLEDGER_TEST_POSTGRES_URL"] = PG_URL
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
        return psycopg.connect(
            host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password or None,
            dbname=cfg.dbname, connect_timeout=5, autocommit=True,
        )
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


class MigratedStores:
    """Read-model tables migrated to head, for the ``runtime`` fixture's fresh
    stores without running the Alembic chain in every test (0.1 s on SQLite,
    0.3-0.4 s on PostgreSQL, each time): the chain runs once per session per
    kind of store, into a template, and each fresh store gets a copy (SQLite's
    backup API; on PostgreSQL the template schema's ``pg_dump``, replayed in
    one round trip). ``Runtime`` still runs ``migrate`` on the copy (a no-op at
    head) and builds the event store itself. Anything that fails here (no
    ``pg_dump``, another server version) leaves the store empty: the test then
    migrates as before, only slower. tests/test_migrations.py
    (``from_empty_store``) and FACTORYLEDGER_TEST_MIGRATE_EACH=1 (``make
    test-long``) keep the migration of every store from nothing."""

    SCHEMA_MARK = "fl_template_schema"

    def __init__(self, directory) -> None:
        self._directory = directory
        self._sqlite: str | None = None
        self._pg_script: str | None = None
        self._pg_failed = False

    def copy_into(self, config: StoreConfig) -> None:
        if config.kind == "sqlite" and not Path(config.sqlite_path).exists():
            self._copy_sqlite(config.sqlite_path)
        elif config.kind == "postgres" and config.schema:
            self._copy_postgres(config.schema)

    def _copy_sqlite(self, target: str) -> None:
        if self._sqlite is None:
            template = str(self._directory / "migrated.db")
            engine = make_engine(parse_database_url(f"sqlite:///{template}"))
            migrate(engine)
            engine.dispose()
            self._sqlite = template
        with closing(sqlite3.connect(self._sqlite)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)

    def _copy_postgres(self, schema: str) -> None:
        if self._pg_script is None and not self._pg_failed:
            try:
                self._pg_script = self._dump_migrated_schema()
            except (OSError, subprocess.SubprocessError):
                self._pg_failed = True
        if self._pg_script is None:
            return
        with pg_admin() as conn:
            conn.execute(self._pg_script.replace(self.SCHEMA_MARK, schema))

    def _dump_migrated_schema(self) -> str:
        with fresh_pg_schema("tpl") as url:
            cfg = parse_database_url(url)
            engine = make_engine(cfg)
            migrate(engine)
            engine.dispose()
            dump = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", "--inserts",
                 "--schema", cfg.schema, "--host", cfg.host, "--port", str(cfg.port),
                 "--username", cfg.user, "--dbname", cfg.dbname],
                env={**os.environ, "PGPASSWORD": cfg.password, "PGCONNECT_TIMEOUT": "5"},
                capture_output=True, text=True, check=True, timeout=60,
            ).stdout
        # The schema itself exists already (fresh_pg_schema); psql's backslash
        # commands (\restrict) are no SQL.
        lines = [line for line in dump.splitlines()
                 if not line.startswith("\\") and not line.startswith("CREATE SCHEMA ")]
        return "\n".join(lines).replace(cfg.schema, self.SCHEMA_MARK)


@pytest.fixture(scope="session")
def migrated_stores(tmp_path_factory) -> MigratedStores:
    return MigratedStores(tmp_path_factory.mktemp("migrated"))


@pytest.fixture
def runtime(request, store_config, migrated_stores) -> Iterator[Runtime]:
    """A ``Runtime`` on ``store_config``: the read-model tables come from
    ``migrated_stores`` unless the test is marked ``from_empty_store`` or
    FACTORYLEDGER_TEST_MIGRATE_EACH=1 asks for the Alembic chain in every store."""
    if not (MIGRATE_EACH or request.node.get_closest_marker("from_empty_store")):
        migrated_stores.copy_into(store_config)
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
