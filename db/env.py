"""Alembic environment: the app passes an open connection; models give the target metadata."""

from __future__ import annotations

from alembic import context

from app.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations through the app (app.store.migrations), not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds the table
    compare_type=True,
    # Server defaults are not compared: SQLite reflects '' as "''", which reads as a change.
)
with context.begin_transaction():
    context.run_migrations()
