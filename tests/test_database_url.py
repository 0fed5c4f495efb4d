"""Database URLs are parsed by SQLAlchemy's make_url (issue #12): a password
with ``@`` or ``/``, libpq parameters such as ``sslmode``, Unix-socket hosts;
the event store (eventsourcing, psycopg) and the read models (SQLAlchemy)
always reach the same server with the same parameters."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from eventsourcing.utils import Environment
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.runtime import Runtime
from domain.pg_persistence import FactoryLedgerPostgresFactory
from domain.store import ConfigurationError, parse_database_url
from projections.db import make_engine
from tests.conftest import PG_URL, fresh_pg_schema, pg_admin

SOCKET_DIR = "/var/run/postgresql"


def test_a_password_with_at_and_slash_stays_a_password():
    cfg = parse_database_url("postgresql://erp:p%40ss%2Fw%3Ard@db.example.com:6432/acme")
    assert (cfg.user, cfg.password, cfg.host, cfg.port, cfg.dbname) == (
        "erp", "p@ss/w:rd", "db.example.com", 6432, "acme")
    env = cfg.eventsourcing_env()
    assert (env["POSTGRES_HOST"], env["POSTGRES_PASSWORD"]) == ("db.example.com", "p@ss/w:rd")
    read_models = make_url(cfg.sqlalchemy_url)
    assert (read_models.host, read_models.port, read_models.database, read_models.username,
            read_models.password) == ("db.example.com", 6432, "acme", "erp", "p@ss/w:rd")


def test_libpq_parameters_are_kept_for_both_connections():
    cfg = parse_database_url("postgresql://erp@db/acme?sslmode=verify-full"
                             "&sslrootcert=/etc/ssl/ca.pem&schema=plant1")
    assert cfg.schema == "plant1"
    assert dict(cfg.params) == {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/ca.pem"}
    assert make_url(cfg.sqlalchemy_url).query == {"sslmode": "verify-full",
                                                  "sslrootcert": "/etc/ssl/ca.pem"}
    env = cfg.eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "domain.pg_persistence:FactoryLedgerPostgresFactory"
    assert env["POSTGRES_CONNECT_PARAMS"] == (
        '{"sslmode": "verify-full", "sslrootcert": "/etc/ssl/ca.pem"}')
    assert cfg.psycopg_kwargs()["sslmode"] == "verify-full"


def test_a_unix_socket_directory_is_a_host():
    cfg = parse_database_url("postgresql://erp@/acme?host=/var/run/postgresql")
    assert (cfg.host, cfg.port, cfg.dbname, cfg.socket) == ("/var/run/postgresql", 5432,
                                                             "acme", True)
    assert cfg.describe() == "PostgreSQL socket /var/run/postgresql/acme"
    assert make_url(cfg.sqlalchemy_url).query == {"host": "/var/run/postgresql"}


@pytest.mark.parametrize("url, says", [
    ("postgresql://erp@/acme?host=relative", "Unix-socket directory"),
    ("postgresql://erp@db/acme?host=/run", "a host in the URL and host= in the query"),
    ("postgresql://erp@db/acme?sslmode=a&sslmode=b", "sslmode is given twice"),
    ("postgresql://erp@/acme", "expected postgresql://"),
])
def test_contradictory_urls_are_refused(url, says):
    with pytest.raises(ConfigurationError) as info:
        parse_database_url(url)
    assert says in str(info.value)


@pytest.fixture
def role_with_awkward_password():
    """A role whose password has @, / and :; the server trusts 127.0.0.1, so the
    test proves where the connections go, not that the password is checked."""
    name = f"fl_url_{uuid.uuid4().hex[:8]}"
    with pg_admin() as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD 'p@ss/w:rd'")
    try:
        yield name
    finally:
        with pg_admin() as conn:
            conn.execute(f"DROP ROLE IF EXISTS {name}")


def _who(conn) -> tuple:
    row = conn.execute("SELECT current_user, current_database(), "
                       "current_setting('application_name')").fetchone()
    return tuple(row.values())  # the library's connections return dict rows


def test_both_stores_reach_the_same_server_as_the_same_user(role_with_awkward_password):
    role = role_with_awkward_password
    base = parse_database_url(PG_URL)
    with fresh_pg_schema("url") as schema_url:
        schema = parse_database_url(schema_url).schema
        url = (f"postgresql://{role}:p%40ss%2Fw%3Ard@{base.host}:{base.port}/{base.dbname}"
               f"?schema={schema}&application_name=fl-url-test&sslmode=disable")
        cfg = parse_database_url(url)
        assert (cfg.host, cfg.user, cfg.password) == (base.host, role, "p@ss/w:rd")
        runtime = Runtime(cfg)
        try:
            with runtime.app.recorder.datastore.get_connection() as conn:
                events_side = _who(conn)
            with runtime.read() as conn:
                read_side = tuple(conn.execute(text(
                    "SELECT current_user, current_database(), "
                    "current_setting('application_name')")).one())
            assert events_side == read_side == (role, base.dbname, "fl-url-test")
            # the chart and its statement sub-accounts, in the right schema
            assert runtime.app.log_position() == 2
        finally:
            runtime.close()


def test_sslmode_is_honoured_not_dropped():
    """This server has no TLS: sslmode=require must make every connection fail
    (dropping it silently would connect in clear)."""
    pg_admin().close()
    with fresh_pg_schema("url") as schema_url:
        cfg = parse_database_url(schema_url + "&sslmode=require")
        with pytest.raises(ConfigurationError, match="SSL"):
            Runtime(cfg)
        engine = make_engine(cfg, schema="")  # the read models' engine, no schema DDL
        with pytest.raises(Exception, match="SSL"):
            engine.connect().close()
        engine.dispose()
        # The event store's pool opens on first use: its connection arguments carry it.
        # (Opening it here would fail the same way, after the pool's 5 s timeout.)
        factory = FactoryLedgerPostgresFactory(Environment("FactoryLedger",
                                                           cfg.eventsourcing_env()))
        assert factory.datastore.pool.kwargs["sslmode"] == "require"
        assert factory.datastore.pool.kwargs["host"] == cfg.host


def test_a_unix_socket_host_connects():
    pg_admin().close()
    if not os.path.exists(f"{SOCKET_DIR}/.s.PGSQL.5432"):
        pytest.skip(f"no PostgreSQL socket in {SOCKET_DIR}")
    base = parse_database_url(PG_URL)
    with fresh_pg_schema("sock") as schema_url:
        schema = parse_database_url(schema_url).schema
        cfg = parse_database_url(
            f"postgresql://{base.user}@/{base.dbname}?host={SOCKET_DIR}&schema={schema}")
        runtime = Runtime(cfg)
        try:
            with runtime.app.recorder.datastore.get_connection() as conn:
                assert conn.info.host == SOCKET_DIR  # not a TCP address
            with runtime.read() as conn:
                assert conn.execute(text("SELECT inet_server_addr()")).scalar() is None
            assert runtime.app.log_position() == 2  # the chart and its sub-accounts
        finally:
            runtime.close()
        with psycopg.connect(**cfg.psycopg_kwargs()) as conn:
            assert conn.execute(f'SELECT count(*) FROM "{schema}".factoryledger_events'
                                ).fetchone()[0] == 2


def test_the_read_model_pool_is_sized_by_the_environment(monkeypatch):
    """FACTORYLEDGER_READ_POOL_SIZE: fewer read-model connections per process
    for a small PostgreSQL (docs/deploy.md); a bad value is refused plainly."""
    import pytest

    from domain.store import ConfigurationError, parse_database_url
    from projections.db import make_engine

    url = parse_database_url("postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("FACTORYLEDGER_READ_POOL_SIZE", "3")
    engine = make_engine(url)
    assert (engine.pool.size(), engine.pool._max_overflow) == (3, 3)
    engine.dispose()
    monkeypatch.setenv("FACTORYLEDGER_READ_POOL_SIZE", "0")
    with pytest.raises(ConfigurationError, match="at least 1; got '0'"):
        make_engine(url)
