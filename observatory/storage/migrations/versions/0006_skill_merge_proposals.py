"""LLM merge proposals of near-synonym canonical skills

``skill_merge_proposals`` keeps the model's verdict on each pair of near-neighbour canonical skills for review;
``observatory skills merges --apply`` applies those above a confidence.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skill_merge_proposals",
        sa.Column(
            "skill_a", sa.String(200), sa.ForeignKey("canonical_skills.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "skill_b", sa.String(200), sa.ForeignKey("canonical_skills.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("name_a", sa.Text(), nullable=False),
        sa.Column("name_b", sa.Text(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("similarity_method", sa.String(220), nullable=False),
        sa.Column("same", sa.Boolean(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("keep_skill_id", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("prompt_version", sa.String(64), nullable=False),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_skill_merge_proposals_outcome", "skill_merge_proposals", ["outcome"])


def downgrade() -> None:
    op.drop_index("ix_skill_merge_proposals_outcome", table_name="skill_merge_proposals")
    op.drop_table("skill_merge_proposals")
