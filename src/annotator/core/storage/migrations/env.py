"""Alembic environment: runs on the connection the project hands over, in one transaction."""

from __future__ import annotations

from alembic import context

from annotator.core.storage.orm import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
