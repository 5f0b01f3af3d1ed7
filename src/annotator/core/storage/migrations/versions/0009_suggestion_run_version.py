"""suggestion runs record what they suggested from: a lexicon changed since is out of date

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

`suggestion_run.version` names the suggester's state a document was suggested from (the
lexicon's phrases and options, hashed). Runs recorded before this revision have none (""), so
the next `suggest` redoes them once; decisions made on their suggestions stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestion_run") as batch:
        batch.add_column(
            sa.Column("version", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("suggestion_run") as batch:
        batch.drop_column("version")
