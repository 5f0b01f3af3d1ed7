"""document text keys: each text's hash apart from whitespace, to report near-duplicates

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

`document.text_key` is core.text.whitespace_key of the text (runs of whitespace as one space,
none at the ends), indexed, so an import finds the stored documents whose text differs from a new
one only in whitespace with one indexed look-up instead of reading every text. The documents
already stored get theirs here, a chunk at a time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.core.text import whitespace_key

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_CHUNK = 500


def upgrade() -> None:
    op.add_column("document", sa.Column("text_key", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_document_text_key"), "document", ["text_key"])
    conn = op.get_bind()
    ids = conn.execute(sa.text("SELECT id FROM document ORDER BY id")).scalars().all()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(
            sa.text("SELECT id, text FROM document WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        )
        keys = [{"id": doc_id, "key": whitespace_key(text)} for doc_id, text in rows]
        conn.execute(sa.text("UPDATE document SET text_key = :key WHERE id = :id"), keys)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_text_key"), "document")
    op.drop_column("document", "text_key")
