"""LLM normalisation: the answer cache and the normalised mentions

``llm_cache`` keeps every model answer under (backend, model, prompt version, SHA-256 of the redacted prompt),
so a re-run asks nothing twice; ``normalized_mentions`` holds what the normaliser made of each uncertain mention.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "llm_cache",
        sa.Column("backend", sa.String(32), primary_key=True),
        sa.Column("model", sa.String(200), primary_key=True),
        sa.Column("prompt_version", sa.String(64), primary_key=True),
        sa.Column("input_hash", sa.String(64), primary_key=True),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "normalized_mentions",
        sa.Column(
            "mention_id", sa.BigInteger(), sa.ForeignKey("skill_mentions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("normaliser_version", sa.String(64), primary_key=True),
        sa.Column("posting_id", sa.String(200), sa.ForeignKey("postings.id", ondelete="CASCADE"), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("rule_skill_id", sa.String(200), nullable=False),
        sa.Column("name_es", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("esco_uri", sa.Text(), nullable=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_normalized_mentions_posting_id", "normalized_mentions", ["posting_id"])


def downgrade() -> None:
    op.drop_index("ix_normalized_mentions_posting_id", table_name="normalized_mentions")
    op.drop_table("normalized_mentions")
    op.drop_table("llm_cache")
