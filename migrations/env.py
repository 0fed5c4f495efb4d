"""Alembic environment: always run programmatically with a live connection
(``projections.db.migrate``), so one code path serves the CLI, the server,
tests, verify and replay."""

from alembic import context

from projections.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `factoryledger migrate`")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
