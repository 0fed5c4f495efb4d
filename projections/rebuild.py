"""Rebuild without serving empty tables.

The chosen projections (and those they read from) are replayed into a shadow
place, a sibling SQLite file or a sibling PostgreSQL schema, while the live
tables keep answering queries and the live worker keeps following the log.
When the shadow has caught up, one transaction on the live database swaps it
in: it first takes the chosen projections' tracking rows (setting them to the
shadow's position), then replaces their tables' rows and dead letters with the
shadow's. Readers see the old rows until that commit and the new ones after.

Why the live worker neither loses nor doubles rows: a batch takes a
projection's tracking row first and only if it still holds the position the
worker read. A batch that committed before the swap is overwritten by the
shadow's rows and the rewound position, so the worker applies those events
again, once, on top of the shadow. A batch that waits for the swap's row lock
finds the position changed and rolls back (StaleTracking), unless the shadow
stands exactly where the worker read, and then its events belong on top.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, bindparam, text, update

from domain.store import StoreConfig, parse_database_url
from projections.db import make_engine, migrate
from projections.registry import all_projections
from projections.runner import Projection, ProjectionRunner
from projections.tables import projection_dead_letters, projection_tracking


class RebuildBusy(Exception):
    """Another rebuild of this company is running."""


def shadow_location(config: StoreConfig) -> str:
    """The shadow SQLite file (beside the live one) or PostgreSQL schema."""
    if config.kind == "sqlite":
        return f"{config.sqlite_path}.rebuild.db"
    return f"fl_rebuild_{config.schema or 'public'}"[:63]


# PostgreSQL advisory lock of a running rebuild: (this class, hash of the shadow's name).
LOCK_CLASS = 7210


def _lock_file(config: StoreConfig) -> str:
    return f"{config.sqlite_path}.rebuild.lock"


def rebuild_in_progress(config: StoreConfig, engine: Engine) -> bool:
    """Whether a rebuild holds this company's rebuild lock (a shadow left behind
    by a killed rebuild does not count; the next rebuild replaces it)."""
    if config.kind == "sqlite":
        try:
            with open(_lock_file(config)) as probe:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(probe, fcntl.LOCK_UN)
        except FileNotFoundError:
            return False
        except BlockingIOError:
            return True
        return False
    with engine.connect() as conn:
        found = conn.execute(text(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = CAST(:c AS oid) AND objid = CAST(hashtext(:k) AS oid)"
            " AND objsubid = 2 AND database = (SELECT oid FROM pg_database"
            " WHERE datname = current_database())"),
            {"c": LOCK_CLASS, "k": shadow_location(config)})
        return found.first() is not None


def with_sources(names: Sequence[str] | None) -> tuple[list[Projection], list[Projection]]:
    """(the projections to swap in, the ones to build: those plus what they read from),
    both in registry order (a projection applies after those it reads from)."""
    every = all_projections()
    chosen = set(names) if names is not None else {p.name for p in every}
    needed, todo = set(), list(chosen)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(getattr(next(p for p in every if p.name == name), "reads_from", ()))
    return [p for p in every if p.name in chosen], [p for p in every if p.name in needed]


def rebuild(app, engine: Engine, config: StoreConfig, names: Sequence[str] | None = None,
            progress: Callable[[int], None] | None = None,
            batch_size: int | None = None) -> int:
    """Replay the log into a shadow and swap it in; return the events replayed."""
    swapped, built = with_sources(names)
    with _exclusive(config, engine), _shadow(config) as (shadow, where):
        kwargs = {"batch_size": batch_size} if batch_size else {}
        runner = ProjectionRunner(app, shadow, built, **kwargs)
        applied = runner.catch_up(progress=progress)
        positions = runner.positions()
        shadow.dispose()
        _swap(engine, config, where, swapped, positions)
    return applied


@contextmanager
def _exclusive(config: StoreConfig, engine: Engine) -> Iterator[None]:
    """One rebuild per company at a time (the lock dies with its process)."""
    if config.kind == "sqlite":
        with open(_lock_file(config), "a") as lock:
            # a /healthz probe may hold it for an instant: try a few times
            for attempt in range(20):
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if attempt == 19:
                        raise RebuildBusy("another rebuild of this company is running") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    key = {"c": LOCK_CLASS, "k": shadow_location(config)}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.execute(text("SELECT pg_try_advisory_lock(:c, hashtext(:k))"), key).scalar():
            raise RebuildBusy("another rebuild of this company is running")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:c, hashtext(:k))"), key)


@contextmanager
def _shadow(config: StoreConfig) -> Iterator[tuple[Engine, str]]:
    """A fresh, migrated shadow (a stale one from a killed rebuild is dropped first)."""
    where = shadow_location(config)
    if config.kind == "sqlite":
        _remove_sqlite(where)
        engine = make_engine(parse_database_url(f"sqlite:///{where}"))
        try:
            migrate(engine)
            yield engine, where
        finally:
            engine.dispose()
            _remove_sqlite(where)
        return
    admin = make_engine(config)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{where}" CASCADE'))
        engine = make_engine(config, schema=where)
        try:
            migrate(engine)
            yield engine, where
        finally:
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{where}" CASCADE'))
    finally:
        admin.dispose()


def _remove_sqlite(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def _swap(engine: Engine, config: StoreConfig, where: str,
          projections: list[Projection], positions: dict[str, int]) -> None:
    if config.kind == "sqlite":
        with engine.connect() as conn:
            # ATTACH is refused inside a transaction: before the swap's BEGIN.
            conn.exec_driver_sql("ATTACH DATABASE ? AS fl_shadow", (where,))
            conn.commit()
            try:
                with conn.begin():
                    _copy(conn, "fl_shadow", projections, positions)
            finally:
                conn.exec_driver_sql("DETACH DATABASE fl_shadow")
                conn.commit()
        return
    with engine.begin() as conn:
        _copy(conn, f'"{where}"', projections, positions)


def _copy(conn: Connection, source: str, projections: list[Projection],
          positions: dict[str, int]) -> None:
    # First the tracking rows, in the order a batch takes them: the lock that
    # keeps the live worker out of these tables until the swap commits.
    for p in projections:
        conn.execute(update(projection_tracking)
                     .where(projection_tracking.c.name == p.name)
                     .values(position=positions[p.name]))
    quote = conn.dialect.identifier_preparer.quote
    for p in projections:
        for table in reversed(p.tables):
            conn.execute(table.delete())
        for table in p.tables:
            cols = ", ".join(quote(c.name) for c in table.columns)
            name = quote(table.name)
            conn.execute(text(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {source}.{name}"))
    dead = projection_dead_letters
    names = [p.name for p in projections]
    conn.execute(dead.delete().where(dead.c.projection.in_(names)))
    cols = ", ".join(quote(c.name) for c in dead.columns)
    conn.execute(
        text(f"INSERT INTO {quote(dead.name)} ({cols}) SELECT {cols} FROM "
             f"{source}.{quote(dead.name)} WHERE projection IN :names")
        .bindparams(bindparam("names", expanding=True)),
        {"names": names},
    )
