"""What one process needs to run the company: the event-sourced application,
the read-model engine, the projection runner and (serving) its worker.

Opening checks the database first, so a bad URL or an unreachable server is
one clear line (``ConfigurationError``), not a traceback. Read-only commands
open with ``existing=True``: a mistyped path is refused before anything
creates a file or writes the chart of accounts.

``health`` is what /healthz may tell anyone (a status word and the lag);
``system_status`` is the detail for admins (positions, dead letters, errors).

Who projects: ``follow=True`` runs the projection worker in this process (the
single server, ``make run``); ``external_projector=True`` leaves it to another
process (``factoryledger project``, beside ``serve --workers N``), and waiting
for a position reads the stored tracking positions; neither (the CLI, tests)
catches up inline when a position is awaited.
"""

from __future__ import annotations

import os
import sqlite3
import threading
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
# "external": another process (``factoryledger project``) follows the log; the
# API workers ``serve --workers N`` starts are told so through the environment.
PROJECTOR_ENV = "FACTORYLEDGER_PROJECTOR"


def external_projector_from_env() -> bool:
    return os.environ.get(PROJECTOR_ENV, "").strip().lower() == "external"


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
        external_projector: bool = False,
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
        self.external_projector = external_projector and not follow
        self._listener: LogListener | None = None
        if follow:
            self.worker = self.projector()
            self.worker.start()

    def projector(self, poll_seconds: float | None = None) -> ProjectionWorker:
        """The projection worker of this process (not started): it follows the
        log, then the audit chain; on PostgreSQL the event store's NOTIFY wakes
        it, so it polls only as a safety net."""
        listen = self.config.kind == "postgres"
        seconds = poll_seconds if poll_seconds is not None else (5.0 if listen else 0.5)
        worker = ProjectionWorker(self.runner, poll_seconds=seconds)
        worker.followers.append(AuditChain(self.app, self.engine).follow)
        if listen and self._listener is None:
            self._listener = LogListener(self.app.recorder, worker.poke)
            self._listener.start()
        return worker

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def settle(self, outcome: Outcome | int, timeout: float = READ_YOUR_WRITES_TIMEOUT) -> bool:
        """Bring the read models up to a command's position (read-your-writes)."""
        position = outcome if isinstance(outcome, int) else outcome.position
        if self.worker is not None:
            return self.worker.wait_for(position, timeout)
        if self.external_projector:
            return self._stored_reaches(position, timeout)
        self.runner.catch_up(until=None)
        return self.runner.position() >= position

    @property
    def projects_inline(self) -> bool:
        """No projector follows the log for this process (the CLI, tests): whoever
        writes catches the read models up, or nobody would."""
        return self.worker is None and not self.external_projector

    def _stored_reaches(self, position: int, timeout: float) -> bool:
        """Another process projects: read its stored positions until they reach
        ``position`` (a few ms apart at first, then every 50 ms)."""
        deadline = time.monotonic() + timeout
        pause = 0.005
        while self.runner.position() < position:
            if time.monotonic() > deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        return True

    def reach(self, position: int) -> bool:
        """``settle`` (bounded). Without a following worker, a concurrent request
        may be catching up the same batch; give it the time to finish."""
        deadline = time.monotonic() + READ_YOUR_WRITES_TIMEOUT
        while not self.settle(position, timeout=READ_YOUR_WRITES_TIMEOUT):
            if self.worker is not None or self.external_projector \
                    or time.monotonic() > deadline:
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
            following=self.worker is not None or self.external_projector,
            last_error=last_error,
            rebuilding=rebuilding,
        )

    def _last_error(self) -> str | None:
        return self.worker.last_error if self.worker else None

    def close(self) -> None:
        if self._listener:
            self._listener.stop()
        if self.worker:
            self.worker.stop()
        self.engine.dispose()
        self.app.close()


class LogListener:
    """PostgreSQL: the event store's insert function NOTIFYs a channel named
    after its table in each transaction that records events (eventsourcing's
    own ``PostgresSubscription`` listens to it the same way); this LISTENs on
    it and wakes the projection worker, which then reads a whole batch."""

    def __init__(self, recorder, wake) -> None:  # noqa: ANN001 - eventsourcing's recorder
        self.recorder = recorder
        self.wake = wake
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="log-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        channel = '"' + self.recorder.channel_name.replace('"', '""') + '"'
        while not self._stop.is_set():
            try:
                with self.recorder.datastore.get_connection() as conn:
                    conn.execute(f"LISTEN {channel}")
                    conn.commit()
                    self.wake()  # whatever was recorded before we listened
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self.wake()
            except Exception:  # noqa: BLE001 - the worker's poll covers the gap; retry
                self._stop.wait(1.0)


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
