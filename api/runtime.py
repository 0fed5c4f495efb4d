"""What one process needs to run the company: the event-sourced application,
the read-model engine, the projection runner and (serving) its worker.

Opening checks the database first, so a bad URL or an unreachable server is
one clear line (``ConfigurationError``), not a traceback. Read-only commands
open with ``existing=True``: a mistyped path is refused before anything
creates a file or writes the chart of accounts.

``health`` is what /healthz may tell anyone (a status word and the lag);
``system_status`` is the detail for admins (positions, dead letters, errors).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection

from domain.application import FactoryLedger, Outcome
from domain.clock import Clock
from domain.store import ConfigurationError, StoreConfig, config_from_env, ensure_sqlite_directory
from projections.audit_chain import AuditChain
from projections.db import make_engine, migrate
from projections.read_ports import ReadModelInputs
from projections.rebuild import rebuild_in_progress
from projections.registry import all_projections
from projections.runner import DeadLetter, ProjectionRunner, ProjectionWorker

# How long a mutation waits for the read models to show its own write.
READ_YOUR_WRITES_TIMEOUT = 10.0


# The eventsourcing library's events table: its default name on SQLite, the
# application's name plus "_events" on PostgreSQL.
EVENTS_TABLE = {"sqlite": "stored_events",
                "postgres": f"{FactoryLedger.name.lower()}_events"}


def _no_company(config: StoreConfig) -> ConfigurationError:
    where = config.sqlite_path if config.kind == "sqlite" else config.describe()
    return ConfigurationError(f"no company database at {where}")


def _require_sqlite_company(config: StoreConfig) -> None:
    """The file exists and holds an event store; opened read-only, so a
    mistyped path creates nothing."""
    path = Path(config.sqlite_path).expanduser()
    if not path.is_file():
        raise _no_company(config)
    try:
        with sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True) as conn:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                 "AND name = ?", (EVENTS_TABLE["sqlite"],)).fetchone()
    except sqlite3.Error:
        found = None
    if found is None:
        raise _no_company(config)


def check_database(config: StoreConfig, existing: bool = False) -> None:
    """Fail fast with one line when the store cannot be reached (or, ``existing``,
    holds no company yet)."""
    if config.kind == "sqlite":
        if existing:
            _require_sqlite_company(config)
            return
        try:
            ensure_sqlite_directory(config)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot create the directory for {config.sqlite_path}: {exc.strerror}"
            ) from None
        return
    import psycopg

    try:
        with psycopg.connect(**config.psycopg_kwargs(), connect_timeout=5,
                             autocommit=True) as conn:
            if existing:
                table = EVENTS_TABLE["postgres"]
                table = f'"{config.schema}".{table}' if config.schema else table
                found = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
                if found is None or found[0] is None:
                    raise _no_company(config)
            elif config.schema:
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{config.schema}"')
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConfigurationError(f"cannot reach {config.describe()}: {first}") from None


class Runtime:
    def __init__(
        self,
        config: StoreConfig | None = None,
        *,
        migrate_first: bool = True,
        follow: bool = False,
        batch_size: int | None = None,
        existing: bool = False,
        clock: Clock | None = None,
    ) -> None:
        self.config = config or config_from_env()
        check_database(self.config, existing)
        # ``clock`` pins the company clock (tests, fixed-date benchmarks); None is real time.
        self.app = FactoryLedger(self.config, clock=clock)
        self.engine = make_engine(self.config)
        if migrate_first:
            migrate(self.engine)
        kwargs = {"batch_size": batch_size} if batch_size else {}
        self.runner = ProjectionRunner(self.app, self.engine, all_projections(), **kwargs)
        self.worker: ProjectionWorker | None = None
        if follow:
            self.worker = ProjectionWorker(self.runner)
            self.worker.followers.append(AuditChain(self.app, self.engine).follow)
            self.worker.start()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def settle(self, outcome: Outcome | int, timeout: float = READ_YOUR_WRITES_TIMEOUT) -> bool:
        """Bring the read models up to a command's position (read-your-writes)."""
        position = outcome if isinstance(outcome, int) else outcome.position
        if self.worker is not None:
            return self.worker.wait_for(position, timeout)
        self.runner.catch_up(until=None)
        return self.runner.position() >= position

    def reach(self, position: int) -> bool:
        """``settle`` (bounded). Without a following worker, a concurrent request
        may be catching up the same batch; give it the time to finish."""
        deadline = time.monotonic() + READ_YOUR_WRITES_TIMEOUT
        while not self.settle(position, timeout=READ_YOUR_WRITES_TIMEOUT):
            if self.worker is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    @property
    def inputs(self) -> ReadModelInputs:
        """The application's read ports (MRP snapshot, overhead targets) over
        this process's read models, caught up to the position a command read."""
        return ReadModelInputs(self.reach, self.read)

    def projected_position(self) -> int:
        return self.worker.reached if self.worker else self.runner.position()

    def health(self) -> Health:
        """Status and lag only (public): any dead letter is "failed" (a read model
        misses an event), a worker error "degraded"; never ok while either holds."""
        lag = max(self.app.log_position() - self.projected_position(), 0)
        dead, last_error = self.runner.dead_letter_count(), self._last_error()
        # The rebuild lock is probed only when it can decide the status.
        rebuilding = not dead and not last_error and rebuild_in_progress(self.config,
                                                                         self.engine)
        return Health(read_model_status(dead, last_error, rebuilding), lag)

    def system_status(self) -> SystemStatus:
        """Everything an admin needs to see why the read models are not ok; each
        fact read once, the status decided by the same rule as /healthz."""
        log_position = self.app.log_position()
        dead_letters = self.runner.dead_letters()
        last_error = self._last_error()
        rebuilding = rebuild_in_progress(self.config, self.engine)
        return SystemStatus(
            status=read_model_status(len(dead_letters), last_error, rebuilding),
            lag=max(log_position - self.projected_position(), 0),
            log_position=log_position,
            positions=self.runner.positions(),
            dead_letters=dead_letters,
            following=self.worker is not None,
            last_error=last_error,
            rebuilding=rebuilding,
        )

    def _last_error(self) -> str | None:
        return self.worker.last_error if self.worker else None

    def close(self) -> None:
        if self.worker:
            self.worker.stop()
        self.engine.dispose()
        self.app.close()


def read_model_status(dead_letters: int, last_error: str | None, rebuilding: bool) -> str:
    """failed (an event set aside) before degraded (the worker keeps failing)
    before rebuilding; ok only when none holds."""
    if dead_letters:
        return "failed"
    if last_error:
        return "degraded"
    return "rebuilding" if rebuilding else "ok"


@dataclass(frozen=True)
class Health:
    status: str  # ok, degraded, failed, rebuilding
    lag: int


@dataclass(frozen=True)
class SystemStatus:
    status: str
    lag: int
    log_position: int
    positions: dict[str, int]
    dead_letters: list[DeadLetter]
    following: bool
    last_error: str | None
    rebuilding: bool
