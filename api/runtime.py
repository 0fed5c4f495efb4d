"""What one process needs to run the company: the event-sourced application,
the read-model engine, the projection runner and (serving) its worker.

Opening checks the database first, so a bad URL or an unreachable server is
one clear line (``ConfigurationError``), not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from domain.application import FactoryLedger, Outcome
from domain.clock import Clock
from domain.store import ConfigurationError, StoreConfig, config_from_env, ensure_sqlite_directory
from projections.db import make_engine, migrate
from projections.registry import all_projections
from projections.runner import ProjectionRunner, ProjectionWorker

# How long a mutation waits for the read models to show its own write.
READ_YOUR_WRITES_TIMEOUT = 10.0


def check_database(config: StoreConfig) -> None:
    """Fail fast with one line when the store cannot be reached."""
    if config.kind == "sqlite":
        try:
            ensure_sqlite_directory(config)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot create the directory for {config.sqlite_path}: {exc.strerror}"
            ) from None
        return
    import psycopg

    try:
        with psycopg.connect(
            host=config.host,
            port=config.port,
            user=config.user,
            password=config.password or None,
            dbname=config.dbname,
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            if config.schema:
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
        clock: Clock | None = None,
    ) -> None:
        self.config = config or config_from_env()
        check_database(self.config)
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

    def projected_position(self) -> int:
        return self.worker.reached if self.worker else self.runner.position()

    def close(self) -> None:
        if self.worker:
            self.worker.stop()
        self.engine.dispose()
        self.app.close()
