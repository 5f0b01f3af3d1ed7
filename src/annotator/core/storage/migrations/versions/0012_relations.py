"""relations: typed links between two spans of one annotator, their types and tombstones

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

`relation_type` (directed or symmetric) with the labels allowed at each end
(`relation_type_label`), `relation` (a head and a tail span of one document and annotator; a
span's removal removes its relations through the foreign keys) and `relation_tombstone` (a
removal that travels with merges, as `span_tombstone` does). A project upgraded here gets the
default schema's relation types whose head and tail labels it has.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.core.labelrules import spelling_in
from annotator.core.schema import default_relation_types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relation_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("color", sa.String(length=9), nullable=False),
        sa.Column("hotkey", sa.String(length=8), nullable=True),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation_type")),
        sa.UniqueConstraint("hotkey", name=op.f("uq_relation_type_hotkey")),
        sa.UniqueConstraint("name", name=op.f("uq_relation_type_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "relation_type_label",
        sa.Column("relation_type_id", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.CheckConstraint("role IN ('head', 'tail')", name=op.f("ck_relation_type_label_role")),
        sa.ForeignKeyConstraint(
            ["label_id"],
            ["label.id"],
            name=op.f("fk_relation_type_label_label_id_label"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relation_type_id"],
            ["relation_type.id"],
            name=op.f("fk_relation_type_label_relation_type_id_relation_type"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "relation_type_id", "label_id", "role", name=op.f("pk_relation_type_label")
        ),
    )
    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("head_span_id", sa.Integer(), nullable=False),
        sa.Column("tail_span_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('manual', 'suggestion', 'import')", name=op.f("ck_relation_source")
        ),
        sa.CheckConstraint("head_span_id <> tail_span_id", name=op.f("ck_relation_two_spans")),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name=op.f("fk_relation_annotator_id_annotator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_relation_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["head_span_id"],
            ["span.id"],
            name=op.f("fk_relation_head_span_id_span"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tail_span_id"],
            ["span.id"],
            name=op.f("fk_relation_tail_span_id_span"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["relation_type.id"],
            name=op.f("fk_relation_type_id_relation_type"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation")),
        sa.UniqueConstraint(
            "type_id",
            "head_span_id",
            "tail_span_id",
            name=op.f("uq_relation_type_id_head_span_id_tail_span_id"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_relation_document_annotator", "relation", ["document_id", "annotator_id"])
    op.create_index("ix_relation_head_span_id", "relation", ["head_span_id"])
    op.create_index("ix_relation_tail_span_id", "relation", ["tail_span_id"])
    op.create_table(
        "relation_tombstone",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("head_label", sa.String(length=64), nullable=False),
        sa.Column("head_start", sa.Integer(), nullable=False),
        sa.Column("head_end", sa.Integer(), nullable=False),
        sa.Column("tail_label", sa.String(length=64), nullable=False),
        sa.Column("tail_start", sa.Integer(), nullable=False),
        sa.Column("tail_end", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotator.id"],
            name=op.f("fk_relation_tombstone_annotator_id_annotator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_relation_tombstone_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "document_id",
            "annotator_id",
            "type",
            "head_label",
            "head_start",
            "head_end",
            "tail_label",
            "tail_start",
            "tail_end",
            name=op.f("pk_relation_tombstone"),
        ),
    )
    _add_default_types(op.get_bind())


def _add_default_types(conn: sa.Connection) -> None:
    """The default schema's relation types whose head and tail labels the project has (as span
    labels, in the project's spelling)."""
    labels: dict[str, int] = dict(
        conn.execute(sa.text("SELECT name, id FROM label WHERE kind = 'span'")).all()
    )
    position = 0
    for kind in default_relation_types():
        ends = [
            (role, spelling_in(name, labels))
            for role, names in (("head", kind.head), ("tail", kind.tail))
            for name in names
        ]
        if any(spelling is None for _, spelling in ends):
            continue
        position += 1
        type_id = conn.execute(
            sa.text(
                "INSERT INTO relation_type (name, color, hotkey, directed, description, "
                "position) VALUES (:name, :color, :hotkey, :directed, :description, :position) "
                "RETURNING id"
            ),
            {
                "name": kind.name,
                "color": kind.color,
                "hotkey": kind.hotkey,
                "directed": kind.directed,
                "description": kind.description,
                "position": position,
            },
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO relation_type_label (relation_type_id, label_id, role) "
                "VALUES (:type_id, :label_id, :role)"
            ),
            [
                {"type_id": type_id, "label_id": labels[str(spelling)], "role": role}
                for role, spelling in ends
            ],
        )


def downgrade() -> None:
    op.drop_table("relation_tombstone")
    op.drop_index("ix_relation_tail_span_id", "relation")
    op.drop_index("ix_relation_head_span_id", "relation")
    op.drop_index("ix_relation_document_annotator", "relation")
    op.drop_table("relation")
    op.drop_table("relation_type_label")
    op.drop_table("relation_type")
