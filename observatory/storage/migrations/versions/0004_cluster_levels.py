"""cluster levels: sub-clusters inside each skill cluster

``clusters.parent`` is NULL for a top-level cluster and the parent's number for a sub-cluster;
``cluster_assignments.subcluster`` is the skill's sub-cluster (NULL: its cluster was not split).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clusters", sa.Column("parent", sa.Integer(), nullable=True))
    op.add_column("cluster_assignments", sa.Column("subcluster", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM clusters WHERE parent IS NOT NULL")
    op.drop_column("cluster_assignments", "subcluster")
    op.drop_column("clusters", "parent")
