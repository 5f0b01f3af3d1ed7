"""reviewer decisions on relations: which relation candidates a reviewer kept out of gold

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

`review_relation_rejection` names a relation candidate as review does (its type, and each end's
label and offsets), as `review_rejection` names a span candidate.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    name = "review_relation_rejection"
    op.create_table(
        name,
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("head_label_id", sa.Integer(), nullable=False),
        sa.Column("head_start", sa.Integer(), nullable=False),
        sa.Column("head_end", sa.Integer(), nullable=False),
        sa.Column("tail_label_id", sa.Integer(), nullable=False),
        sa.Column("tail_start", sa.Integer(), nullable=False),
        sa.Column("tail_end", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f(f"fk_{name}_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["relation_type.id"],
            name=op.f(f"fk_{name}_type_id_relation_type"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["head_label_id"],
            ["label.id"],
            name=op.f(f"fk_{name}_head_label_id_label"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tail_label_id"],
            ["label.id"],
            name=op.f(f"fk_{name}_tail_label_id_label"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "document_id",
            "type_id",
            "head_label_id",
            "head_start",
            "head_end",
            "tail_label_id",
            "tail_start",
            "tail_end",
            name=op.f(f"pk_{name}"),
        ),
    )


def downgrade() -> None:
    op.drop_table("review_relation_rejection")
