"""relation suggestions: proposed links between two spans of one annotator, and their decisions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

`relation_suggestion` holds what the relation learner (nlp/relation_learner.py) proposes between
two spans of one annotator's layer, with its score, the model that proposed it and the
annotator's decision (pending, accepted, rejected). Proposals are per annotator because the
spans they link are; a span's or a type's removal removes them through the foreign keys.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relation_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("head_span_id", sa.Integer(), nullable=False),
        sa.Column("tail_span_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected')",
            name=op.f("ck_relation_suggestion_status"),
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name=op.f("fk_relation_suggestion_annotator_id_annotator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_relation_suggestion_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["head_span_id"],
            ["span.id"],
            name=op.f("fk_relation_suggestion_head_span_id_span"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tail_span_id"],
            ["span.id"],
            name=op.f("fk_relation_suggestion_tail_span_id_span"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["relation_type.id"],
            name=op.f("fk_relation_suggestion_type_id_relation_type"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation_suggestion")),
        sa.UniqueConstraint(
            "type_id",
            "head_span_id",
            "tail_span_id",
            name=op.f("uq_relation_suggestion_type_id_head_span_id_tail_span_id"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_relation_suggestion_document_annotator",
        "relation_suggestion",
        ["document_id", "annotator_id"],
    )
    op.create_index("ix_relation_suggestion_head_span_id", "relation_suggestion", ["head_span_id"])
    op.create_index("ix_relation_suggestion_tail_span_id", "relation_suggestion", ["tail_span_id"])


def downgrade() -> None:
    op.drop_table("relation_suggestion")
