"""The database's identity row, created by the migration

Reading the identity used to create its row on first use, which a read-only role cannot do: the row is now made
here (and by each migrating start, :func:`observatory.storage.bootstrap.open_database`), so reading never writes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:00:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().execute(
        sa.text("INSERT INTO database_identity (singleton, id) VALUES (true, :id) ON CONFLICT (singleton) DO NOTHING"),
        {"id": str(uuid.uuid4())},
    )


def downgrade() -> None:
    # The row is data, not schema: 0007's table keeps it, and reading it still works.
    pass
