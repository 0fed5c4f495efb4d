"""Fixtures: every store-touching test runs on SQLite and on PostgreSQL.

PostgreSQL comes from FACTORYLEDGER_TEST_POSTGRES_URL (default: the database
factoryledger_tests on postgresql://postgres@127.0.0.1:5432, see
``_test_database_url``); each test gets a fresh schema from
``fresh_pg_schema()``, dropped afterwards (the one place the suite makes
schemas). The ``runtime`` fixture's store starts as a copy of one migrated (or
set up with the test's scene) once a session (``StoreCopies``, ``Scenes``).
Unreachable PostgreSQL skips those tests locally and fails them under CI=true.
Use-case tests that read no read model run on the in-memory store instead
(``memory_runtime``, ``memory_app``); the pure rules have their own tables in
tests/unit (no fixtures at all). Scenes the fixtures set up are
plain functions in tests/scenes.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
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


class StoreCopies:
    """Copies of whole stores (event store, read models and Alembic's version),
    so that what every test would build the same way is built once a session:

    - the read-model tables migrated to head, for every fresh store of the
      ``runtime`` fixture (the Alembic chain costs 0.1 s on SQLite and 0.3-0.4 s
      on PostgreSQL each time); ``Runtime`` still runs ``migrate`` on the copy
      (a no-op at head) and builds the event store itself;
    - the store after a scene of tests/scenes (``ledger``, ``company``,
      ``factory``, ``shop``): see ``Scenes``.

    SQLite copies go through the backup API; a PostgreSQL copy is the schema's
    ``pg_dump``, replayed into the fresh schema in one round trip. When a copy
    cannot be made (no ``pg_dump``, another server version), the store is
    built as before, only slower. tests/test_migrations.py (``from_empty_store``)
    and FACTORYLEDGER_TEST_MIGRATE_EACH=1 (``make test-long``) keep migrating
    every store from nothing and setting up every scene."""

    SCHEMA_MARK = "fl_copied_schema"

    def __init__(self, directory) -> None:
        self._directory = directory
        self._migrated: dict[str, str | None] = {}
        self._count = 0
        self.pg_dump_failed = False

    def copy_migrated_into(self, config: StoreConfig) -> None:
        if config.kind not in ("sqlite", "postgres") or not self._is_empty(config):
            return
        if config.kind not in self._migrated:
            self._migrated[config.kind] = self._migrate_a_template(config.kind)
        if self._migrated[config.kind] is not None:
            self.put(self._migrated[config.kind], config)

    def take(self, config: StoreConfig) -> str | None:
        """A copy of the store of ``config`` as it is now (None: none possible)."""
        self._count += 1
        if config.kind == "sqlite":
            target = str(self._directory / f"copy{self._count}.db")
            with closing(sqlite3.connect(config.sqlite_path)) as src, \
                    closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
            return target
        if config.kind == "postgres" and config.schema and not self.pg_dump_failed:
            try:
                return self._dump(config)
            except (OSError, subprocess.SubprocessError):
                self.pg_dump_failed = True
        return None

    def put(self, copy: str, config: StoreConfig) -> None:
        """Make the empty store of ``config`` what ``copy`` was."""
        if config.kind == "sqlite":
            with closing(sqlite3.connect(copy)) as src, \
                    closing(sqlite3.connect(config.sqlite_path)) as dst:
                src.backup(dst)
        else:
            with pg_admin() as conn:
                conn.execute(copy.replace(self.SCHEMA_MARK, config.schema))

    @staticmethod
    def _is_empty(config: StoreConfig) -> bool:
        return config.kind == "postgres" and bool(config.schema) or (
            config.kind == "sqlite" and not Path(config.sqlite_path).exists())

    def _migrate_a_template(self, kind: str) -> str | None:
        if kind == "sqlite":
            url = f"sqlite:///{self._directory / 'migrated.db'}"
            engine = make_engine(parse_database_url(url))
            migrate(engine)
            engine.dispose()
            return self.take(parse_database_url(url))
        with fresh_pg_schema("tpl") as url:
            engine = make_engine(parse_database_url(url))
            migrate(engine)
            engine.dispose()
            return self.take(parse_database_url(url))

    def _dump(self, config: StoreConfig) -> str:
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--inserts",
             "--schema", config.schema, "--host", config.host, "--port", str(config.port),
             "--username", config.user, "--dbname", config.dbname],
            env={**os.environ, "PGPASSWORD": config.password, "PGCONNECT_TIMEOUT": "5"},
            capture_output=True, text=True, check=True, timeout=120,
        ).stdout
        # The schema itself exists already (fresh_pg_schema); psql's backslash
        # commands (\\restrict) are no SQL.
        lines = [line for line in dump.splitlines()
                 if not line.startswith("\\") and not line.startswith("CREATE SCHEMA ")]
        return "\n".join(lines).replace(config.schema, self.SCHEMA_MARK)


@pytest.fixture(scope="session")
def store_copies(tmp_path_factory) -> StoreCopies:
    return StoreCopies(tmp_path_factory.mktemp("store-copies"))


# The scenes of tests/scenes the fixtures below set up, the later ones on the earlier.
SCENES = ("ledger", "company", "factory", "shop")


@dataclass
class _OpenScene:
    key: tuple
    restored: bool
    position: int  # where the store stood when the last scene step began
    cacheable: bool = True


class Scenes:
    """The store after a scene, set up through GraphQL once per session for each
    module, fixture closure, fixture parameters and kind of store (twice on
    PostgreSQL, see ``set_up``), then copied into the fresh store of every
    later test with the same key (``StoreCopies``): the
    test sees the very events and rows the set-up made (a new ``Runtime``
    opens them, as after a restart) and runs everything after the scene as
    before. A key is never copied when anything else wrote to the store before
    or between the scene's steps (the copy would hold it twice)."""

    def __init__(self, copies: StoreCopies) -> None:
        self._copies = copies
        self._saved: dict[tuple, str | None] = {}
        self._built: set[tuple] = set()
        self._open: dict[int, _OpenScene] = {}

    @staticmethod
    def key(request, kind: str) -> tuple | None:
        names = request.fixturenames
        # A scene the module (or class) defines itself is its own, not one of these.
        own = {*vars(request.module), *vars(request.cls or object)}
        wanted = [name for name in SCENES if name in names and name not in own]
        if not wanted or MIGRATE_EACH or request.node.get_closest_marker("from_empty_store"):
            return None
        # The parameters fixtures see (a test's own arguments cannot reach a scene).
        params = getattr(getattr(request.node, "callspec", None), "params", {})
        own_args = set()
        for mark in request.node.iter_markers("parametrize"):
            argnames, indirect = mark.args[0], mark.kwargs.get("indirect", False)
            if isinstance(argnames, str):
                argnames = [name.strip() for name in argnames.split(",")]
            if indirect is not True:
                own_args |= {name for name in argnames if name not in (indirect or ())}
        seen = sorted((k, repr(v)) for k, v in params.items() if k not in own_args)
        return (request.node.path, request.node.cls, tuple(names), kind, wanted[-1], repr(seen))

    def open(self, request, config: StoreConfig) -> tuple[tuple | None, bool]:
        """Before the ``Runtime``: the scene's copy into the fresh store, when
        there is one; the key and whether it was copied."""
        key = self.key(request, config.kind)
        copy = self._saved.get(key) if key else None
        if copy is not None:
            self._copies.put(copy, config)
        return key, copy is not None

    def opened(self, rt: Runtime, key: tuple | None, restored: bool) -> None:
        if key is not None:
            self._open[id(rt)] = _OpenScene(key, restored, rt.app.log_position())

    def closed(self, rt: Runtime) -> None:
        self._open.pop(id(rt), None)

    def set_up(self, name: str, api, build):
        scene = self._open.get(id(api.runtime))
        if scene is None:
            return build(api)
        if scene.restored:
            return api  # the copy holds this step
        if api.runtime.app.log_position() != scene.position:
            scene.cacheable = False
        result = build(api)
        scene.position = api.runtime.app.log_position()
        if name == scene.key[4] and scene.key not in self._saved:
            # A PostgreSQL copy (pg_dump) costs about a set-up: made only for a
            # key that comes back, at its second set-up. SQLite's costs nothing.
            kind = api.runtime.config.kind
            if not scene.cacheable:
                self._saved[scene.key] = None
            elif kind == "sqlite" or scene.key in self._built:
                self._saved[scene.key] = self._copies.take(api.runtime.config)
            self._built.add(scene.key)
        return result


@pytest.fixture(scope="session")
def scenes(store_copies) -> Scenes:
    return Scenes(store_copies)


@pytest.fixture
def runtime(request, store_config, store_copies, scenes) -> Iterator[Runtime]:
    """A ``Runtime`` on ``store_config``, its store a copy (``StoreCopies``) of
    the scene the test asks for or, failing that, of a migrated one; unless the
    test is marked ``from_empty_store`` or FACTORYLEDGER_TEST_MIGRATE_EACH=1."""
    key, restored = scenes.open(request, store_config)
    if not (restored or MIGRATE_EACH or request.node.get_closest_marker("from_empty_store")):
        store_copies.copy_migrated_into(store_config)
    rt = Runtime(store_config)
    scenes.opened(rt, key, restored)
    try:
        yield rt
    finally:
        scenes.closed(rt)
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


# Each set up once per key and copied afterwards (``Scenes``).
@pytest.fixture
def ledger(api, scenes):
    """November 2026 open, nothing posted."""
    return scenes.set_up("ledger", api, set_up_ledger)


@pytest.fixture
def company(api, scenes):
    """November open; the bolt-kit master data, all through GraphQL."""
    return scenes.set_up("company", api, set_up_company)


@pytest.fixture
def factory(company, scenes):
    """Step 1 and 2 (invested, PO-1 received) plus the engineering data."""
    return scenes.set_up("factory", company, set_up_factory)


@pytest.fixture
def shop(factory, scenes):
    """WO-000001 run, completed and closed; WO-000002 (FG-KIT 10) released, nothing issued;
    WO-000003 (SA-BLANK 10) released with OP10 started."""
    return scenes.set_up("shop", factory, set_up_shop)


@pytest.fixture(scope="session", autouse=True)
def _allow_testserver_host() -> Iterator[None]:
    """Starlette's TestClient sends ``Host: testserver``: allow it (beside the
    loopback names) for the apps the tests build, never in the production
    default (api.limits.LOOPBACK_HOSTS)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTORYLEDGER_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1,[::1]")
        yield
