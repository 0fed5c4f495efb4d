"""Back up a company's event log and restore it (``factoryledger backup`` /
``restore``, docs/deploy.md).

The event log is the company: the read models are rebuilt from it. A backup
is gzip-compressed JSON lines, readable by anything:

    {"format": "factoryledger-backup", "version": 1, "log_position": N, ...}
    {"id": 1, "originator_id": "…", "originator_version": 1, "topic": "…", "state": "…"}
    ...
    {"end": true, "events": K, "last_id": N, "sha256": "…"}

``state`` is the stored event's bytes exactly as recorded (UTF-8 JSON text;
``state_b64`` if a store ever holds other bytes), and ``id`` its log position.
A restore writes the events back with the same positions, so the audit chain,
period seals and ``--as-of`` positions mean the same after it; it goes into a
store without events, in one transaction (all or nothing), and checks the
trailer's count and digest before committing.

A backup is taken up to the log position at its start, so a running server
may go on writing meanwhile.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from eventsourcing.application import Application

from api.runtime import EVENTS_TABLE
from domain.application import FactoryLedger
from domain.store import ConfigurationError, StoreConfig

FORMAT = "factoryledger-backup"
VERSION = 1
BATCH = 1000


class BackupError(Exception):
    """The backup file cannot be restored (one line for the operator)."""


@dataclass(frozen=True)
class BackupSummary:
    events: int
    log_position: int
    sha256: str


def _event_line(notification: Any) -> dict[str, Any]:
    state: bytes = notification.state
    line: dict[str, Any] = {"id": notification.id,
                            "originator_id": str(notification.originator_id),
                            "originator_version": notification.originator_version,
                            "topic": notification.topic}
    try:
        line["state"] = state.decode("utf-8")
    except UnicodeDecodeError:
        line["state_b64"] = base64.b64encode(state).decode("ascii")
    return line


def write_backup(app: FactoryLedger, out: IO[bytes], company: str = "default") -> BackupSummary:
    """Write the log up to its current position to ``out`` (gzip JSON lines)."""
    position = app.log_position()
    digest = hashlib.sha256()
    count = 0
    with gzip.open(out, "wt", encoding="utf-8") as text:
        text.write(json.dumps({"format": FORMAT, "version": VERSION, "company": company,
                               "log_position": position,
                               "created_at": datetime.now(UTC).isoformat(timespec="seconds")},
                              ensure_ascii=False) + "\n")
        start = 1
        while start <= position:
            batch = app.recorder.select_notifications(start=start, limit=BATCH, stop=position)
            if not batch:
                break
            for notification in batch:
                line = json.dumps(_event_line(notification), ensure_ascii=False) + "\n"
                digest.update(line.encode("utf-8"))
                text.write(line)
                count += 1
            start = batch[-1].id + 1
        text.write(json.dumps({"end": True, "events": count, "last_id": position,
                               "sha256": digest.hexdigest()}) + "\n")
    return BackupSummary(count, position, digest.hexdigest())


@dataclass(frozen=True)
class StoredRow:
    id: int
    originator_id: uuid.UUID
    originator_version: int
    topic: str
    state: bytes


def read_backup(source: IO[bytes]) -> tuple[dict[str, Any], Iterator[StoredRow]]:
    """The header, and the events (checked against the trailer when exhausted)."""
    try:
        text = gzip.open(source, "rt", encoding="utf-8")
        header = json.loads(text.readline() or "null")
    except (OSError, ValueError, EOFError) as exc:
        raise BackupError(f"not a factoryledger backup (gzip JSON lines): {exc}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("not a factoryledger backup: the first line names no "
                          f"{FORMAT!r} format")
    if header.get("version") != VERSION:
        raise BackupError(f"backup format version {header.get('version')} is not "
                          f"{VERSION}; restore it with the release that wrote it")

    def rows() -> Iterator[StoredRow]:
        digest, count, last = hashlib.sha256(), 0, 0
        try:
            for raw in text:
                record = json.loads(raw)
                if record.get("end"):
                    if (record.get("events"), record.get("sha256")) != (count,
                                                                       digest.hexdigest()):
                        raise BackupError("the backup is damaged: its events do not match "
                                          "its trailer (count or sha256)")
                    return
                digest.update(raw.encode("utf-8"))
                count += 1
                if record["id"] <= last:
                    raise BackupError(f"the backup is damaged: event {record['id']} out "
                                      "of order")
                last = record["id"]
                state = (record["state"].encode("utf-8") if "state" in record
                         else base64.b64decode(record["state_b64"]))
                yield StoredRow(record["id"], uuid.UUID(record["originator_id"]),
                                record["originator_version"], record["topic"], state)
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise BackupError(f"the backup is damaged: {type(exc).__name__}: {exc}") from None
        raise BackupError("the backup is truncated: no trailer line")

    return header, rows()


class _BareStore(Application):
    """The company's event store tables, without seeding a chart of accounts:
    what a restore writes into must stay empty until it does."""

    name = FactoryLedger.name


def restore_backup(config: StoreConfig, source: IO[bytes]) -> tuple[dict[str, Any], int]:
    """Write a backup's events into the store of ``config``, which must hold no
    events; all or nothing. Returns the header and the number of events."""
    header, rows = read_backup(source)
    bare = _BareStore(env=config.eventsourcing_env())  # creates the tables if missing
    try:
        if bare.recorder.max_notification_id():
            raise ConfigurationError(f"{config.describe()} holds events already: restore "
                                     "into an empty store (a new file, schema or company)")
    finally:
        bare.close()
    if config.kind == "sqlite":
        return header, _restore_sqlite(config, rows)
    if config.kind == "postgres":
        return header, _restore_postgres(config, rows)
    raise ConfigurationError(f"cannot restore into {config.describe()}")


def _restore_sqlite(config: StoreConfig, rows: Iterator[StoredRow]) -> int:
    table = EVENTS_TABLE["sqlite"]
    conn = sqlite3.connect(config.sqlite_path, timeout=30, isolation_level=None)
    count = 0
    try:
        conn.execute("BEGIN IMMEDIATE")
        for row in rows:
            # the position is the rowid: written as it was
            conn.execute(f"INSERT INTO {table} (rowid, originator_id, originator_version, "
                         "topic, state) VALUES (?, ?, ?, ?, ?)",
                         (row.id, row.originator_id.hex, row.originator_version, row.topic,
                          row.state))
            count += 1
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return count


def _restore_postgres(config: StoreConfig, rows: Iterator[StoredRow]) -> int:
    import psycopg
    from psycopg import sql

    table = sql.Identifier(config.schema or "public", EVENTS_TABLE["postgres"])
    count = 0
    with psycopg.connect(**config.psycopg_kwargs(), connect_timeout=5) as conn:
        with conn.cursor() as cur:
            with cur.copy(sql.SQL("COPY {} (notification_id, originator_id, originator_version, "
                                  "topic, state) FROM STDIN").format(table)) as copy:
                for row in rows:
                    copy.write_row((row.id, row.originator_id, row.originator_version,
                                    row.topic, row.state))
                    count += 1
            # the positions were written as they were: the next event comes after them
            name = f"{config.schema or 'public'}.{EVENTS_TABLE['postgres']}"
            cur.execute(sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), "
                                "GREATEST((SELECT max(notification_id) FROM {}), 1))"
                                ).format(table), (name,))
        conn.commit()  # the connection's one transaction: all or nothing
    return count
