"""The projection runner: reads the log in batches and applies projections.

Each batch is one read-model transaction holding every projection's row
changes *and* its tracking position, so processing is exactly-once: a crash
mid-batch leaves nothing half-applied, and the next run resumes after the
last committed position. Two runners on one database cannot both apply a
batch: the tracking row is updated first, conditional on the position the
runner read, and the loser rolls back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Table, select, update

from projections.tables import projection_tracking

DEFAULT_BATCH = 2000


@dataclass(frozen=True)
class Notified:
    """A decoded event and its position in the application log."""

    position: int
    event: Any

    @property
    def meta(self) -> dict[str, str]:
        return getattr(self.event, "meta", None) or {}


class Projection(Protocol):
    name: str
    tables: tuple[Table, ...]

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None: ...


class StaleTracking(Exception):
    """Another runner applied this batch first."""


class ProjectionRunner:
    def __init__(
        self,
        app: Any,
        engine: Engine,
        projections: Sequence[Projection],
        batch_size: int = DEFAULT_BATCH,
        skip_topics: Iterable[str] | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        self.projections = list(projections)
        self.batch_size = batch_size
        if skip_topics is None:
            from projections.registry import skipped_topics

            skip_topics = skipped_topics()
        self.skip_topics = frozenset(skip_topics)
        self._ensure_tracking()

    def _ensure_tracking(self) -> None:
        with self.engine.begin() as conn:
            known = set(conn.execute(select(projection_tracking.c.name)).scalars())
            missing = [{"name": p.name, "position": 0} for p in self.projections
                       if p.name not in known]
            if missing:
                conn.execute(projection_tracking.insert(), missing)

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(projection_tracking.c.name, projection_tracking.c.position))
            known = dict(rows.all())
        return {p.name: known.get(p.name, 0) for p in self.projections}

    def position(self) -> int:
        """The position every projection has reached."""
        return min(self.positions().values(), default=0)

    def run_batch(self, until: int | None = None) -> int:
        """Apply the next batch; return how many events it held (0: caught up)."""
        while True:
            applied = self._try_batch(until)
            if applied is not None:
                return applied
            # Another runner applied this batch first: go on after it, so that
            # losing a race never looks like being caught up.

    def _try_batch(self, until: int | None) -> int | None:
        """Apply the next batch; None if another runner applied it first."""
        positions = self.positions()
        start = min(positions.values(), default=0) + 1
        if until is not None and start > until:
            return 0
        notifications = self.app.recorder.select_notifications(
            start=start, limit=self.batch_size, stop=until
        )
        if not notifications:
            return 0
        decode = self.app.mapper.to_domain_event
        skip = self.skip_topics
        # Decoding dominates a rebuild: events no projection reads are passed over.
        batch = [Notified(n.id, decode(n)) for n in notifications if n.topic not in skip]
        last = notifications[-1].id
        try:
            with self.engine.begin() as conn:
                for projection in self.projections:
                    old = positions[projection.name]
                    if old >= last:
                        continue
                    _advance(conn, projection.name, old, last)
                    todo = [n for n in batch if n.position > old]
                    if todo:
                        projection.apply(conn, todo)
        except StaleTracking:
            return None
        return len(notifications)

    def catch_up(
        self,
        until: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Apply batches until the log (or ``until``) is reached; return events applied."""
        total = 0
        while True:
            applied = self.run_batch(until)
            if not applied:
                return total
            total += applied
            if progress:
                progress(self.position())

    def reset(self, names: Sequence[str] | None = None) -> None:
        """Empty the named projections' tables and rewind them to the start."""
        chosen = [p for p in self.projections if names is None or p.name in names]
        with self.engine.begin() as conn:
            for projection in chosen:
                for table in reversed(projection.tables):
                    conn.execute(table.delete())
                conn.execute(
                    update(projection_tracking)
                    .where(projection_tracking.c.name == projection.name)
                    .values(position=0)
                )


def _advance(conn: Connection, name: str, old: int, new: int) -> None:
    # First statement of the transaction: it takes the row (or database) lock,
    # so a concurrent runner that read the same position stops here.
    result = conn.execute(
        update(projection_tracking)
        .where(projection_tracking.c.name == name, projection_tracking.c.position == old)
        .values(position=new)
    )
    if result.rowcount != 1:
        raise StaleTracking(name)


class ProjectionWorker:
    """Follows the log in a background thread (the serving process).

    SQLite stores cannot push notifications, so the worker polls, and is also
    poked right after each command commits; ``wait_for`` gives read-your-writes.
    """

    def __init__(self, runner: ProjectionRunner, poll_seconds: float = 0.5) -> None:
        self.runner = runner
        self.poll_seconds = poll_seconds
        self._poke = threading.Event()
        self._stop = threading.Event()
        self._reached = threading.Condition()
        self._position = runner.position()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None
        self.followers: list[Callable[[], None]] = []  # run after each catch-up (audit chain)

    @property
    def reached(self) -> int:
        return self._position

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="projections", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._poke.set()
        if self._thread:
            self._thread.join(timeout=10)

    def poke(self) -> None:
        self._poke.set()

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Block until every projection has reached ``position`` (or time out)."""
        if self._position >= position:
            return True
        self.poke()
        with self._reached:
            return self._reached.wait_for(lambda: self._position >= position, timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._poke.clear()  # before catching up, so a poke during it is not lost
            try:
                self.runner.catch_up(progress=self._publish)
                self._publish(self.runner.position())
                for follow in self.followers:  # they keep their own errors
                    follow()
                self.last_error = None
            except Exception as exc:  # keep following; the error shows on /healthz
                self.last_error = f"{type(exc).__name__}: {exc}"
                self._stop.wait(1.0)
            self._poke.wait(self.poll_seconds)

    def _publish(self, position: int) -> None:
        with self._reached:
            self._position = position
            self._reached.notify_all()
