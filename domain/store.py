"""Where the event store lives: one setting, ``FACTORYLEDGER_DATABASE_URL``.

``sqlite:///path/to/file.db`` (default ``sqlite:///var/factoryledger.db``) or
``postgresql://user[:password]@host[:port]/dbname[?schema=name&sslmode=...]``.
This module maps the URL onto the eventsourcing library's persistence settings
and onto the SQLAlchemy URL the read models use, in one place, so both always
reach the same server.

The URL is parsed by SQLAlchemy's ``make_url`` (percent-encoded passwords with
``@`` or ``/`` stay passwords). Every query parameter but ``schema`` is a libpq
connection parameter (``sslmode``, ``sslrootcert``, ``application_name``, ...)
given to both the event store's and the read models' connections; ``host=`` in
the query names a Unix-socket directory (``postgresql://erp@/acme?host=/var/run/postgresql``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///var/factoryledger.db"
ENV_VAR = "FACTORYLEDGER_DATABASE_URL"
# The eventsourcing factory that also passes the libpq parameters (domain/pg_persistence.py).
PG_PERSISTENCE = "domain.pg_persistence:FactoryLedgerPostgresFactory"


class ConfigurationError(Exception):
    """The configuration cannot work; the message is one line for the operator."""


@dataclass(frozen=True)
class StoreConfig:
    kind: str  # "sqlite", "postgres" or "memory" (tests: no read models, no file)
    url: str
    sqlite_path: str = ""
    host: str = ""  # a name, an address, or (starting with /) a Unix-socket directory
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""
    # libpq connection parameters from the query string (sslmode, sslrootcert, ...)
    params: tuple[tuple[str, str], ...] = ()

    @property
    def socket(self) -> bool:
        return self.host.startswith("/")

    @property
    def sqlalchemy_url(self) -> str:
        if self.kind == "memory":
            raise ConfigurationError("an in-memory store has no read models")
        if self.kind == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        query = dict(self.params)
        if self.socket:  # libpq takes a socket directory as host=; the URL has no host
            query["host"] = self.host
        url = URL.create("postgresql+psycopg", username=self.user,
                         password=self.password or None,
                         host=None if self.socket else self.host, port=self.port,
                         database=self.dbname, query=query)
        return url.render_as_string(hide_password=False)

    def psycopg_kwargs(self) -> dict[str, object]:
        """What ``psycopg.connect`` needs to reach this store (admin checks, tests)."""
        return {"host": self.host, "port": self.port, "user": self.user,
                "password": self.password or None, "dbname": self.dbname,
                **dict(self.params)}

    @classmethod
    def memory(cls) -> StoreConfig:
        """An event store in this process's memory (eventsourcing's POPO
        persistence): for use-case tests that need no read model. No URL
        names it, so no command line or server can be pointed at one."""
        return cls(kind="memory", url="memory:")

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's settings (PERSISTENCE_MODULE and friends)."""
        if self.kind == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.sqlite_path,
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        env = {
            # the library's own factory has no setting for sslmode and friends
            "PERSISTENCE_MODULE": PG_PERSISTENCE if self.params else "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
        }
        if self.params:
            env["POSTGRES_CONNECT_PARAMS"] = json.dumps(dict(self.params))
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def describe(self) -> str:
        if self.kind == "memory":
            return "an in-memory store"
        if self.kind == "sqlite":
            return f"SQLite file {self.sqlite_path}"
        server = f"socket {self.host}" if self.socket else f"{self.host}:{self.port}"
        where = f"{server}/{self.dbname}"
        return f"PostgreSQL {where}" + (f" schema {self.schema}" if self.schema else "")


def parse_database_url(url: str) -> StoreConfig:
    """Parse and check a database URL; raise ConfigurationError with one clear line."""
    url = url.strip()
    try:
        parts = make_url(url)
    except (ArgumentError, ValueError):
        bad = "the port is not a number" if "://" in url else \
            "use sqlite:///path.db or postgresql://user@host/dbname"
        raise ConfigurationError(f"bad database URL {url!r}: {bad}") from None
    scheme = parts.drivername.lower()
    if scheme == "sqlite":
        if parts.host or parts.username or parts.port:
            raise ConfigurationError(
                f"bad database URL {url!r}: write sqlite:///relative/path.db "
                "or sqlite:////absolute/path.db (three or four slashes)"
            )
        path = parts.database or ""
        if not path or path.endswith("/"):
            raise ConfigurationError(f"bad database URL {url!r}: no database file named")
        if path == ":memory:":
            raise ConfigurationError(
                "an in-memory SQLite store cannot be shared by the event store and "
                "the read models; name a file"
            )
        return StoreConfig(kind="sqlite", url=url, sqlite_path=path)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        query: dict[str, str] = {}
        for key, value in parts.query.items():
            if not isinstance(value, str):
                raise ConfigurationError(f"bad database URL {url!r}: {key} is given twice")
            query[key] = value
        socket = query.pop("host", "")
        if socket and parts.host:
            raise ConfigurationError(
                f"bad database URL {url!r}: a host in the URL and host= in the query")
        if socket and not socket.startswith("/"):
            raise ConfigurationError(
                f"bad database URL {url!r}: host= names a Unix-socket directory (/...)")
        host = parts.host or socket
        dbname = parts.database or ""
        if not host or not dbname or "/" in dbname:
            raise ConfigurationError(
                f"bad database URL {url!r}: expected postgresql://user@host[:port]/dbname "
                "or postgresql://user@/dbname?host=/socket/directory"
            )
        schema = query.pop("schema", "")
        if schema and not schema.replace("_", "").isalnum():
            raise ConfigurationError(f"bad database URL {url!r}: schema must be alphanumeric")
        return StoreConfig(
            kind="postgres",
            url=url,
            host=host,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or "",
            dbname=dbname,
            schema=schema,
            params=tuple(sorted(query.items())),
        )
    raise ConfigurationError(
        f"bad database URL {url!r}: use sqlite:///path.db or postgresql://user@host/dbname"
    )


def config_from_env(environ: dict[str, str] | None = None) -> StoreConfig:
    environ = os.environ if environ is None else environ
    return parse_database_url(environ.get(ENV_VAR) or DEFAULT_DATABASE_URL)


def ensure_sqlite_directory(config: StoreConfig) -> None:
    if config.kind == "sqlite":
        Path(config.sqlite_path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


# -- group commit ------------------------------------------------------------------
class GroupMember:
    """One command's events waiting to be written: ``stored`` (the recorder's
    rows), ``after`` (members whose unsaved state it decided from: if one of
    them fails, so does this one). The writer sets ``positions`` (the
    notification ids) or ``error``, then ``done``."""

    __slots__ = ("after", "done", "error", "positions", "stored")

    def __init__(self, stored: Sequence[Any], after: Sequence[GroupMember] = ()) -> None:
        self.stored = stored
        self.after = after
        self.positions: Sequence[int] = ()
        self.error: BaseException | None = None
        self.done = False


class EarlierMemberFailed(Exception):
    """A member this one decided on top of was not written: decide again."""


class GroupCommit:
    """Writes the commands ready at the same moment in one transaction (one
    fsync on SQLite, one WAL flush on PostgreSQL), each inside its own
    savepoint: a member that fails (a version taken by another process, an
    idempotency key used, an earlier member it built on failed) is rolled
    back alone and the others commit. No thread of its own: the first
    waiting member's thread writes everything queued (the leader); the
    others wait, and whatever arrived meanwhile forms the next group.
    ``groups``/``members`` count what was written (the benches report them).
    """

    def __init__(self, recorder: Any,
                 on_written: Callable[[list[int]], None] | None = None) -> None:
        self.recorder = recorder
        # Told the positions of every group written, before its members wake.
        self.on_written = on_written
        self._cond = threading.Condition()
        self._queue: list[GroupMember] = []
        self._leading = False
        self.groups = 0
        self.members = 0

    def submit(self, member: GroupMember) -> None:
        """Queue a member; call ``wait`` to have it written. Members are
        written in the order submitted (a later one may build on an earlier)."""
        with self._cond:
            self._queue.append(member)

    def wait(self, member: GroupMember) -> None:
        """Return when ``member`` is written or has failed (see its ``error``)."""
        while True:
            with self._cond:
                while not member.done and self._leading:
                    self._cond.wait()
                if member.done:
                    return
                self._leading = True
                group, self._queue = self._queue, []
            try:
                self.write(group)
                if self.on_written is not None:
                    self.on_written([p for m in group if m.error is None for p in m.positions])
            finally:
                with self._cond:
                    self._leading = False
                    self.groups += 1
                    self.members += len(group)
                    for m in group:
                        m.done = True
                    self._cond.notify_all()

    def write(self, group: list[GroupMember]) -> None:
        """One transaction over ``group``; a failure of the transaction itself
        (the disk, the connection) fails every member."""
        try:
            self._write(group)
        except BaseException as exc:
            for m in group:
                if m.error is None:
                    m.error = exc
                m.positions = ()

    def _write(self, group: list[GroupMember]) -> None:
        kind = type(self.recorder).__module__
        if len(group) == 1 and kind.endswith(("sqlite", "postgres")):
            return self._write_alone(group[0], kind)
        if kind.endswith("sqlite"):
            with self.recorder.datastore.transaction(commit=True) as cursor:
                for m in group:
                    self._member(m, lambda m=m: _sqlite_member(self.recorder, cursor, m.stored))
        elif kind.endswith("postgres"):
            with self.recorder.datastore.get_connection() as conn, conn.transaction():
                for m in group:
                    self._member(m, lambda m=m: postgres_member(self.recorder, conn, m.stored))
        else:  # in memory: nothing to flush, one insert per member
            for m in group:
                self._member(m, lambda m=m: self.recorder.insert_events(m.stored))

    def _write_alone(self, member: GroupMember, kind: str) -> None:
        """A group of one (a lone command, the usual case at low load): its
        own transaction is its savepoint, so none is made (two statements,
        on PostgreSQL two round trips, fewer). An insert the store refuses
        rolls the transaction back on its way out to ``_member``."""
        recorder = self.recorder

        def insert() -> Sequence[int]:
            if kind.endswith("sqlite"):
                with recorder.datastore.transaction(commit=True) as cursor:
                    return recorder._insert_events(cursor, member.stored)
            # No transaction is open on the connection: postgres_member's
            # ``conn.transaction()`` is the transaction itself, not a savepoint.
            with recorder.datastore.get_connection() as conn:
                return postgres_member(recorder, conn, member.stored)

        self._member(member, insert)

    @staticmethod
    def _member(member: GroupMember, insert: Any) -> None:
        if any(earlier.error is not None for earlier in member.after):
            member.error = EarlierMemberFailed()
            return
        try:
            member.positions = insert() or ()
        except Exception as exc:  # noqa: BLE001 - kept on the member, raised by its caller
            if not is_integrity_error(exc):
                raise
            member.error = exc


def _sqlite_member(recorder: Any, cursor: Any, stored: Sequence[Any]) -> Sequence[int]:
    cursor.execute("SAVEPOINT member")
    try:
        positions = recorder._insert_events(cursor, stored)
    except BaseException:
        cursor.execute("ROLLBACK TO SAVEPOINT member")
        cursor.execute("RELEASE SAVEPOINT member")
        raise
    cursor.execute("RELEASE SAVEPOINT member")
    return positions


def postgres_member(recorder: Any, conn: Any, stored: Sequence[Any]) -> Sequence[int]:
    if not stored:
        return ()
    with conn.transaction(), conn.cursor() as cursor:  # a savepoint
        # Locks the events table for the rest of the transaction (ids in commit order).
        recorder._insert_stored_events(cursor, stored)
        return recorder._fetch_ids_after_insert_events(cursor, stored)


def is_integrity_error(exc: BaseException) -> bool:
    """The store refused the rows (a version or a key taken), whichever driver."""
    from eventsourcing.persistence import IntegrityError

    return isinstance(exc, IntegrityError) or type(exc).__name__ in (
        "IntegrityError", "UniqueViolation") or any(
        c.__name__ == "IntegrityError" for c in type(exc).__mro__)
