"""The database's identity

``database_identity`` holds one row, a random id given to each database created (or restored): files derived
from the database (the stored demand) carry it, so that files of another database are recognised as stale.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00
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
        "database_identity",
        sa.Column("singleton", sa.Boolean(), server_default=sa.text("true"), primary_key=True),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("singleton", name="database_identity_one_row"),
    )


def downgrade() -> None:
    op.drop_table("database_identity")
