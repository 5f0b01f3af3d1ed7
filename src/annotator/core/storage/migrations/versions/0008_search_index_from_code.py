"""the search index is kept in step by the code, not by triggers (trusted_schema=OFF)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from annotator.core.storage.search import create_fts_triggers, drop_fts_triggers

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_fts_triggers(op.get_bind())


def downgrade() -> None:
    create_fts_triggers(op.get_bind())
