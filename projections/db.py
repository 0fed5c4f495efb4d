"""Read-model database: engines, schema placement and Alembic migrations.

The read models live beside the event store (same SQLite file, or the same
PostgreSQL database and schema). ``verify`` and ``replay`` build them into a
scratch file or schema instead, through the same migrations.
"""

from __future__ import annotations

import os
from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text

from domain.store import ConfigurationError, StoreConfig


def make_engine(config: StoreConfig, schema: str | None = None) -> Engine:
    """An engine on the read-model database; ``schema`` overrides the URL's (PostgreSQL)."""
    if config.kind == "sqlite":
        engine = create_engine(
            config.sqlalchemy_url,
            connect_args={"timeout": 30, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    schema = schema if schema is not None else config.schema
    connect_args = {"connect_timeout": 5}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    # FACTORYLEDGER_READ_POOL_SIZE: a small PostgreSQL (max_connections 100)
    # serving several workers and companies needs fewer than the default 10.
    given = os.environ.get("FACTORYLEDGER_READ_POOL_SIZE", "10")
    if not given.isdigit() or int(given) < 1:
        raise ConfigurationError(
            f"FACTORYLEDGER_READ_POOL_SIZE must be a whole number of connections, "
            f"at least 1; got {given!r}")
    pool_size = int(given)
    engine = create_engine(
        config.sqlalchemy_url, connect_args=connect_args, pool_pre_ping=True,
        pool_size=pool_size, max_overflow=pool_size,
    )
    if schema:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    return engine


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("migrations")))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the read-model tables to ``revision`` (Alembic)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
