"""full-text search index over document titles and texts (SQLite FTS5, where available)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

from annotator.core.storage.search import create_fts_index, drop_fts_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_fts_index(op.get_bind())


def downgrade() -> None:
    drop_fts_index(op.get_bind())
