"""posting occupation: ESCO occupation and ISCO-08 group coded per posting

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("postings", sa.Column("occupation_uri", sa.Text(), nullable=True))
    op.add_column("postings", sa.Column("isco_code", sa.String(length=4), nullable=True))
    op.add_column("postings", sa.Column("occupation_confidence", sa.Float(), nullable=True))
    # "title", "description" or "unknown: <reason>"
    op.add_column("postings", sa.Column("occupation_method", sa.Text(), nullable=True))
    op.add_column("postings", sa.Column("occupation_version", sa.String(length=32), nullable=True))
    op.create_index("ix_postings_isco_code", "postings", ["isco_code"])


def downgrade() -> None:
    op.drop_index("ix_postings_isco_code", table_name="postings")
    for column in ("occupation_version", "occupation_method", "occupation_confidence", "isco_code", "occupation_uri"):
        op.drop_column("postings", column)
