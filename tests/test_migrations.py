"""The Alembic migrations create exactly the tables projections/tables.py describes."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from projections.db import current_revision
from projections.tables import metadata


def test_migrations_match_the_table_definitions(runtime):
    with runtime.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # The event store's own tables and indexes (eventsourcing's) are not ours.
    ours = [d for d in diff if _table_of(d) in metadata.tables]
    assert ours == []
    assert current_revision(runtime.engine) is not None


def test_migrating_twice_is_harmless(runtime):
    from projections.db import migrate

    before = current_revision(runtime.engine)
    migrate(runtime.engine)
    assert current_revision(runtime.engine) == before


def _table_of(diff) -> str | None:
    if isinstance(diff, list):  # column modifications come as lists of tuples
        return diff[0][2]
    obj = diff[1]
    table = getattr(obj, "table", obj)
    return getattr(table, "name", None)
