"""which documents each suggester has been run over (resuming a corpus run)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_run",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=256), nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_suggestion_run_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "model", name=op.f("pk_suggestion_run")),
    )
    # documents that already hold a model's suggestions count as run over by it
    op.execute(
        "INSERT INTO suggestion_run (document_id, model, run_at) "
        "SELECT DISTINCT document_id, model, CURRENT_TIMESTAMP FROM suggestion"
    )


def downgrade() -> None:
    op.drop_table("suggestion_run")
