"""Small SQL helpers shared by projections (dialect-aware upserts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, Table
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
