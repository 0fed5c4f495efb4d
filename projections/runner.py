"""The projection runner: reads the log in batches and applies projections.

Each batch is one read-model transaction holding every projection's row
changes *and* its tracking position, so processing is exactly-once: a crash
mid-batch leaves nothing half-applied, and the next run resumes after the
last committed position. Two runners on one database cannot both apply a
batch: the tracking row is updated first, conditional on the position the
runner read, and the loser rolls back.

One bad event never stops the read models. When a batch fails with an error
that is not the database going away (a handler bug, an event a handler cannot
store, an event that cannot be decoded), the batch is applied again in the
same way but each projection inside a savepoint, and a projection that fails
again event by event: every event it still cannot apply goes to
``projection_dead_letters`` (projection, position, topic, error) in the same
transaction that advances its tracking position, and the rest is applied.
The happy path takes no savepoints. ``retry`` applies a dead letter again
once its cause is fixed.

Bookkeeping per batch is small: the runner keeps the positions it committed
in memory (read from the tracking table once, and again only after losing a
race or an error), advances every projection that stood at the same position
with one conditional UPDATE, and a batch shorter than the limit means the log
is caught up, so no second, empty read follows it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Table, delete, exc, select, update

from projections.tables import projection_dead_letters, projection_tracking

DEFAULT_BATCH = 2000
MAX_ERROR_TEXT = 2000


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


@dataclass(frozen=True)
class DeadLetter:
    projection: str
    position: int
    topic: str
    error: str
    failed_at: str
    attempts: int


@dataclass(frozen=True)
class RetryResult:
    projection: str
    position: int
    applied: bool
    error: str | None = None


def is_transient(error: BaseException) -> bool:
    """Not the event's fault: the database went away or was busy, or the schema
    does not match the code (ProgrammingError: a missing table or column would
    fail every event). The whole batch is retried later (/healthz: degraded);
    no event is dead-lettered for it."""
    return isinstance(error, (exc.OperationalError, exc.InterfaceError,
                              exc.ProgrammingError, exc.DisconnectionError, exc.TimeoutError,
                              StaleTracking, MemoryError))


def describe(error: BaseException) -> str:
    """One storable line or few about a failure: the driver's message, not the
    SQL and its parameters; control characters escaped (PostgreSQL text refuses NUL)."""
    cause = error.orig if isinstance(error, exc.DBAPIError) and error.orig else error
    text = f"{type(cause).__name__}: {str(cause).strip()}"[:MAX_ERROR_TEXT]
    text = "".join(c if c in "\n\t" or (c >= " " and c != "\x7f") else f"\\x{ord(c):02x}"
                   for c in text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
        # The positions this runner committed (None: read them from the table).
        self._known: dict[str, int] | None = None
        self._ensure_tracking()

    def _ensure_tracking(self) -> None:
        with self.engine.begin() as conn:
            known = set(conn.execute(select(projection_tracking.c.name)).scalars())
            missing = [{"name": p.name, "position": 0} for p in self.projections
                       if p.name not in known]
            if missing:
                conn.execute(projection_tracking.insert(), missing)

    def projection(self, name: str) -> Projection:
        for p in self.projections:
            if p.name == name:
                return p
        raise KeyError(name)

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(projection_tracking.c.name, projection_tracking.c.position))
            known = dict(rows.all())
        return {p.name: known.get(p.name, 0) for p in self.projections}

    def position(self) -> int:
        """The position every projection has reached (as stored)."""
        return min(self.positions().values(), default=0)

    @property
    def reached(self) -> int:
        """The position every projection has reached, as this runner last
        committed or read it (no query once known)."""
        return min(self._positions().values(), default=0)

    def _positions(self) -> dict[str, int]:
        if self._known is None:
            self._known = self.positions()
        return self._known

    def forget_positions(self) -> None:
        """Read the tracking table again before the next batch (someone else
        may have moved it: a rebuild's swap, a reset, another runner)."""
        self._known = None

    def run_batch(self, until: int | None = None) -> int:
        """Apply the next batch; return how many events it held (0: caught up)."""
        while True:
            try:
                applied = self._try_batch(until)
            except BaseException:
                self.forget_positions()
                raise
            if applied is not None:
                return applied
            # Another runner applied this batch first (or the table was rewound):
            # go on from the stored positions, so that losing a race never looks
            # like being caught up.

    def _try_batch(self, until: int | None) -> int | None:
        """Apply the next batch; None if another runner applied it first."""
        positions = dict(self._positions())
        start = min(positions.values(), default=0) + 1
        if until is not None and start > until:
            return 0
        notifications = self.app.recorder.select_notifications(
            start=start, limit=self.batch_size, stop=until
        )
        if not notifications:
            # Caught up, as far as this runner knows: a rebuild's swap or a
            # reset may have rewound the table meanwhile (idle reads only).
            stored = self.positions()
            if stored != positions:
                self._known = stored
                return None
            return 0
        # Decoding dominates a rebuild: events no projection reads are passed over.
        wanted = [n for n in notifications if n.topic not in self.skip_topics]
        batch, undecodable = self._decode(wanted)
        last = notifications[-1].id
        try:
            if not undecodable:
                with self.engine.begin() as conn:
                    self._apply(conn, positions, batch, last)
                self._committed(positions, last)
                return len(notifications)
        except StaleTracking:
            self.forget_positions()
            return None
        except Exception as error:
            if is_transient(error):
                raise
        # Something in this batch cannot be applied: set it aside, apply the rest.
        topics = {n.id: n.topic for n in wanted}
        try:
            with self.engine.begin() as conn:
                self._apply_isolating(conn, positions, batch, undecodable, topics, last)
        except StaleTracking:
            self.forget_positions()
            return None
        self._committed(positions, last)
        return len(notifications)

    def _committed(self, positions: dict[str, int], last: int) -> None:
        self._known = {name: max(old, last) for name, old in positions.items()}

    def _decode(self, notifications: Sequence[Any]) -> tuple[list[Notified], dict[int, str]]:
        decode = self.app.mapper.to_domain_event
        try:
            return [Notified(n.id, decode(n)) for n in notifications], {}
        except Exception:  # noqa: BLE001 - find the event(s), one by one
            pass
        batch: list[Notified] = []
        undecodable: dict[int, str] = {}
        for n in notifications:
            try:
                batch.append(Notified(n.id, decode(n)))
            except Exception as error:  # noqa: BLE001 - no projection can apply it
                undecodable[n.id] = describe(error)
        return batch, undecodable

    def _apply(self, conn: Connection, positions: dict[str, int],
               batch: list[Notified], last: int) -> None:
        _advance_all(conn, positions, last)
        for projection in self.projections:
            old = positions[projection.name]
            if old >= last:
                continue
            todo = [n for n in batch if n.position > old]
            if todo:
                projection.apply(conn, todo)

    def _apply_isolating(self, conn: Connection, positions: dict[str, int],
                         batch: list[Notified], undecodable: dict[int, str],
                         topics: dict[int, str], last: int) -> None:
        _advance_all(conn, positions, last)
        for projection in self.projections:
            old = positions[projection.name]
            if old >= last:
                continue
            dead = {p: e for p, e in undecodable.items() if p > old}
            todo = [n for n in batch if n.position > old]
            if todo and not _attempt(conn, projection, todo):
                for item in todo:
                    error = _attempt(conn, projection, [item], report=True)
                    if error is not True:
                        dead[item.position] = error
            if dead:
                _record_dead(conn, projection.name,
                             [(p, topics.get(p, ""), e) for p, e in sorted(dead.items())])

    def catch_up(
        self,
        until: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Apply batches until the log (or ``until``) is reached; return events applied."""
        total = 0
        while True:
            applied = self.run_batch(until)
            total += applied
            if applied and progress:
                progress(self.reached)
            if applied < self.batch_size:  # a short batch (or none): caught up
                return total

    def reset(self, names: Sequence[str] | None = None) -> None:
        """Empty the named projections' tables and dead letters and rewind them to the start."""
        chosen = [p for p in self.projections if names is None or p.name in names]
        self.forget_positions()
        with self.engine.begin() as conn:
            for projection in chosen:
                for table in reversed(projection.tables):
                    conn.execute(table.delete())
                conn.execute(delete(projection_dead_letters)
                             .where(projection_dead_letters.c.projection == projection.name))
                conn.execute(
                    update(projection_tracking)
                    .where(projection_tracking.c.name == projection.name)
                    .values(position=0)
                )

    # -- dead letters -------------------------------------------------------------
    def dead_letters(self, projection: str | None = None) -> list[DeadLetter]:
        t = projection_dead_letters
        query = select(t).order_by(t.c.position, t.c.projection)
        if projection is not None:
            query = query.where(t.c.projection == projection)
        with self.engine.connect() as conn:
            return [DeadLetter(**row._mapping) for row in conn.execute(query)]

    def dead_letter_count(self) -> int:
        from sqlalchemy import func

        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(projection_dead_letters)
                                ).scalar_one()

    def retry(self, projection: str | None = None,
              position: int | None = None) -> list[RetryResult]:
        """Apply dead letters again, oldest first, each in its own transaction:
        applied, the row goes; failing again, attempts + 1 and the new error.

        A retried event is applied after the events that followed it; where a
        read model depends on event order, ``rebuild NAME`` gives the exact state.
        """
        results = []
        for letter in self.dead_letters(projection):
            if position is not None and letter.position != position:
                continue
            results.append(self._retry_one(letter))
        return results

    def _retry_one(self, letter: DeadLetter) -> RetryResult:
        t = projection_dead_letters
        key = (t.c.projection == letter.projection) & (t.c.position == letter.position)
        try:
            projection = self.projection(letter.projection)
        except KeyError:  # a projection this build no longer runs
            return RetryResult(letter.projection, letter.position, False,
                               f"LookupError: no projection named {letter.projection!r}")
        with self.engine.begin() as conn:
            # Take the tracking row first (as a batch does), so the worker and a
            # retry never interleave on this projection's tables.
            conn.execute(update(projection_tracking)
                         .where(projection_tracking.c.name == letter.projection)
                         .values(position=projection_tracking.c.position))
            if conn.execute(select(t.c.attempts).where(key)).first() is None:
                # a concurrent retry or rebuild dealt with it: never apply it twice
                return RetryResult(letter.projection, letter.position, True)
            found = self.app.recorder.select_notifications(
                start=letter.position, limit=1, stop=letter.position)
            if not found or found[0].id != letter.position:
                error: str | bool = f"LookupError: no event at log position {letter.position}"
            else:
                try:
                    item = Notified(letter.position, self.app.mapper.to_domain_event(found[0]))
                except Exception as failure:  # noqa: BLE001 - reported on the letter
                    error = describe(failure)
                else:
                    error = _attempt(conn, projection, [item], report=True)
            if error is True:
                conn.execute(delete(t).where(key))
                return RetryResult(letter.projection, letter.position, True)
            conn.execute(update(t).where(key).values(
                error=error, failed_at=_now(), attempts=t.c.attempts + 1))
            return RetryResult(letter.projection, letter.position, False, error)


def _attempt(conn: Connection, projection: Projection, items: Sequence[Notified],
             report: bool = False) -> bool | str:
    """Apply inside a savepoint (a PostgreSQL error aborts the whole transaction
    otherwise); True if applied, else False or (``report``) the error text."""
    try:
        with conn.begin_nested():
            projection.apply(conn, items)
    except Exception as error:
        if is_transient(error):
            raise
        return describe(error) if report else False
    return True


def _record_dead(conn: Connection, name: str, dead: list[tuple[int, str, str]]) -> None:
    t = projection_dead_letters
    positions = [p for p, _, _ in dead]
    earlier = dict(conn.execute(
        select(t.c.position, t.c.attempts)
        .where(t.c.projection == name, t.c.position.in_(positions))).all())
    if earlier:
        conn.execute(delete(t).where(t.c.projection == name, t.c.position.in_(list(earlier))))
    now = _now()
    conn.execute(t.insert(), [
        {"projection": name, "position": p, "topic": topic[:255], "error": error,
         "failed_at": now, "attempts": earlier.get(p, 0) + 1}
        for p, topic, error in dead
    ])


def _advance_all(conn: Connection, positions: dict[str, int], new: int) -> None:
    """Advance every projection behind ``new``: one UPDATE per distinct old
    position (usually one), each conditional on that position."""
    behind: dict[int, list[str]] = {}
    for name, old in positions.items():
        if old < new:
            behind.setdefault(old, []).append(name)
    for old, names in sorted(behind.items()):
        if len(names) == 1:
            _advance(conn, names[0], old, new)
            continue
        result = conn.execute(
            update(projection_tracking)
            .where(projection_tracking.c.name.in_(names), projection_tracking.c.position == old)
            .values(position=new)
        )
        if result.rowcount != len(names):
            raise StaleTracking(", ".join(names))


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
                self._publish(self.runner.reached)
                for follow in self.followers:  # they keep their own errors
                    follow()
                self.last_error = None
            except Exception as exc:  # keep following; /healthz: degraded, detail: systemStatus
                self.last_error = describe(exc)
                self._stop.wait(1.0)
            self._poke.wait(self.poll_seconds)

    def _publish(self, position: int) -> None:
        with self._reached:
            self._position = position
            self._reached.notify_all()
