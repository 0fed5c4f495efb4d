"""Small SQL helpers shared by projections (dialect-aware upserts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Date, Table
from sqlalchemy.dialects import postgresql, sqlite


def _insert(conn: Connection, table: Table):
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def upsert_add(
    conn: Connection, table: Table, keys: Iterable[str], rows: list[Mapping[str, object]]
) -> None:
    """Insert rows, or add their non-key columns onto the existing row."""
    if not rows:
        return
    keys = list(keys)
    stmt = _insert(conn, table)
    adds = [c for c in rows[0] if c not in keys]
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: table.c[c] + stmt.excluded[c] for c in adds}
    )
    conn.execute(stmt, rows)


def upsert_replace(
    conn: Connection, table: Table, keys: Iterable[str], rows: list[Mapping[str, object]]
) -> None:
    """Insert rows, or overwrite the existing row's non-key columns."""
    if not rows:
        return
    keys = list(keys)
    stmt = _insert(conn, table)
    sets = [c for c in rows[0] if c not in keys]
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: stmt.excluded[c] for c in sets}
    )
    conn.execute(stmt, rows)


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows (tuples in ``columns`` order) inside the connection's
    transaction, as fast as the driver allows: PostgreSQL ``COPY`` through
    psycopg, SQLite ``executemany`` on the driver connection. Values are
    bound as SQLAlchemy would bind them for these column types."""
    if not rows:
        return
    for name in columns:
        table.c[name]  # noqa: B018 - fail early on a misspelt column
    names = ", ".join(f'"{name}"' for name in columns)
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with driver.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        return
    if conn.dialect.name == "sqlite":
        # pysqlite would store a date as text anyway; be explicit, as SQLAlchemy is.
        dates = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date)]
        if dates:
            rows = [_iso_dates(row, dates) for row in rows]
        marks = ", ".join("?" for _ in columns)
        driver.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)
        return
    conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])


def _iso_dates(row: Sequence[Any], indexes: list[int]) -> list[Any]:
    row = list(row)
    for i in indexes:
        if row[i] is not None:
            row[i] = row[i].isoformat()
    return row
