"""Verify and replay: build the read models afresh from the log into a
scratch place (a temporary SQLite file or PostgreSQL schema) and compare
per-table checksums with the live tables, or keep them as of a log position.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine, Table, select, text

from domain.store import StoreConfig, parse_database_url
from projections.db import make_engine, migrate
from projections.registry import all_projections
from projections.runner import ProjectionRunner
from projections.tables import metadata


@dataclass(frozen=True)
class TableSum:
    rows: int
    digest: str


def _canonical(value: object) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    return str(value)


# Columns that say when and how often, not what: a rebuild sets aside the same
# dead letters (projection, position, topic) at another time.
VOLATILE = {"projection_dead_letters": {"error", "failed_at", "attempts"}}


def table_checksum(engine: Engine, table: Table) -> TableSum:
    """SHA-256 over all rows in primary-key order, values in canonical text."""
    order = list(table.primary_key.columns) or list(table.columns)
    skip = VOLATILE.get(table.name, set())
    columns = [c for c in table.columns if c.name not in skip]
    digest = hashlib.sha256()
    rows = 0
    with engine.connect() as conn:
        for row in conn.execute(select(*columns).order_by(*order)):
            digest.update("\x1f".join(_canonical(v) for v in row).encode("utf-8"))
            digest.update(b"\x1e")
            rows += 1
    return TableSum(rows, digest.hexdigest())


def checksums(engine: Engine) -> dict[str, TableSum]:
    # Tables that are not rebuilt from the log (the audit chain) are not compared.
    return {t.name: table_checksum(engine, t) for t in metadata.sorted_tables
            if t.info.get("rebuilt", True)}


@contextmanager
def scratch_engine(config: StoreConfig) -> Iterator[Engine]:
    """A migrated, empty read-model database that is thrown away afterwards."""
    if config.kind == "sqlite":
        fd, path = tempfile.mkstemp(prefix="factoryledger-verify-", suffix=".db")
        os.close(fd)
        engine = make_engine(parse_database_url(f"sqlite:///{path}"))
        try:
            migrate(engine)
            yield engine
        finally:
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        return
    schema = f"fl_scratch_{uuid.uuid4().hex[:10]}"
    engine = make_engine(config, schema=schema)
    try:
        migrate(engine)
        yield engine
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@dataclass(frozen=True)
class VerifyReport:
    position: int
    live: dict[str, TableSum]
    rebuilt: dict[str, TableSum]

    @property
    def differences(self) -> list[str]:
        return sorted(n for n in self.live if self.live[n] != self.rebuilt.get(n))

    @property
    def ok(self) -> bool:
        return not self.differences


def build(app, engine: Engine, until: int | None, progress: Callable[[int], None] | None = None,
          batch_size: int | None = None) -> ProjectionRunner:
    kwargs = {"batch_size": batch_size} if batch_size else {}
    runner = ProjectionRunner(app, engine, all_projections(), **kwargs)
    runner.catch_up(until=until, progress=progress)
    return runner


def verify(runtime, progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Rebuild everything into a scratch place and compare with the live tables.

    The live read models are first caught up to the log's end; the scratch
    build replays exactly that far. If writers moved the live tables on in
    the meantime, the scratch build follows and compares again.
    """
    with scratch_engine(runtime.config) as scratch:
        runtime.runner.catch_up()
        for _ in range(5):
            position = runtime.runner.position()
            build(runtime.app, scratch, until=position, progress=progress)
            live = checksums(runtime.engine)
            if runtime.runner.position() == position:
                return VerifyReport(position, live, checksums(scratch))
            runtime.runner.catch_up()
        return VerifyReport(position, live, checksums(scratch))


def replay_as_of(app, target_url: str, position: int,
                 progress: Callable[[int], None] | None = None) -> int:
    """Build the read models as they stood at ``position`` into ``target_url``."""
    target = parse_database_url(target_url)
    engine = make_engine(target)
    try:
        migrate(engine)
        runner = ProjectionRunner(app, engine, all_projections())
        if runner.position() > position:
            raise ValueError(
                f"{target.describe()} already holds read models past position {position}"
            )
        runner.catch_up(until=position, progress=progress)
        return runner.position()
    finally:
        engine.dispose()
