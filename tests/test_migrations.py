"""The Alembic migrations create exactly the tables projections/tables.py describes."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from projections.db import current_revision
from projections.tables import metadata


@pytest.mark.from_empty_store  # what the migrations build, not the suite's copy of it
def test_migrations_match_the_table_definitions(runtime):
    with runtime.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # The event store's own tables and indexes (eventsourcing's) are not ours.
    ours = [d for d in diff if _table_of(d) in metadata.tables]
    assert ours == []
    assert current_revision(runtime.engine) is not None


@pytest.mark.from_empty_store
def test_migrating_twice_is_harmless(runtime):
    from projections.db import migrate

    before = current_revision(runtime.engine)
    migrate(runtime.engine)
    assert current_revision(runtime.engine) == before


def test_the_suites_copy_of_a_migrated_store_matches_the_table_definitions(runtime):
    """tests/conftest.py gives ``runtime`` a copy of a store migrated once per
    session; the copy must be what the migrations make, at the head revision."""
    from projections.db import alembic_config

    with runtime.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if _table_of(d) in metadata.tables] == []
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert current_revision(runtime.engine) == head


def _table_of(diff) -> str | None:
    if isinstance(diff, list):  # column modifications come as lists of tuples
        return diff[0][2]
    obj = diff[1]
    table = getattr(obj, "table", obj)
    return getattr(table, "name", None)
