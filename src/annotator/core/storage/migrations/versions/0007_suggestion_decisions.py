"""suggestion decisions per annotator: one annotator's accept or reject is theirs alone

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

Until now `suggestion.status` was one decision for everyone. Each decision made so far is
kept as the decision of every annotator the project has: that is what it meant for each of
them. `suggestion.status` stays in the table but is no longer read or written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_decision",
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('accepted', 'rejected')", name=op.f("ck_suggestion_decision_status")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
            name=op.f("fk_suggestion_decision_suggestion_id_suggestion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name=op.f("fk_suggestion_decision_annotator_id_annotator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "suggestion_id", "annotator_id", name=op.f("pk_suggestion_decision")
        ),
    )
    op.create_index(
        op.f("ix_suggestion_decision_annotator_id"), "suggestion_decision", ["annotator_id"]
    )
    op.execute(
        "INSERT INTO suggestion_decision (suggestion_id, annotator_id, status, decided_at) "
        "SELECT suggestion.id, annotator.id, suggestion.status, "
        "COALESCE(suggestion.decided_at, CURRENT_TIMESTAMP) "
        "FROM suggestion CROSS JOIN annotator WHERE suggestion.status != 'pending'"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_suggestion_decision_annotator_id"), "suggestion_decision")
    op.drop_table("suggestion_decision")
