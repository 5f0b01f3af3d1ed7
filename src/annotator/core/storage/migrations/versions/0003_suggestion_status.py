"""suggestion status (accepted / rejected are remembered) and project settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestion") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="pending")
        )
        batch.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch.create_check_constraint("status", "status IN ('pending', 'accepted', 'rejected')")
        batch.create_index("ix_suggestion_document_status", ["document_id", "status"])
    op.create_table(
        "project_setting",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_project_setting")),
    )


def downgrade() -> None:
    op.drop_table("project_setting")
    with op.batch_alter_table("suggestion") as batch:
        batch.drop_index("ix_suggestion_document_status")
        batch.drop_constraint("ck_suggestion_status", type_="check")
        batch.drop_column("decided_at")
        batch.drop_column("status")
