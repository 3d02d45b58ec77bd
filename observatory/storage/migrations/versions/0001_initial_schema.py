"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 01:56:43.120048
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_analysis_runs_kind"), "analysis_runs", ["kind"], unique=False
    )
    op.create_table(
        "canonical_skills",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_es", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("esco_uri", sa.Text(), nullable=True),
        sa.Column("skill_type", sa.String(length=32), nullable=True),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_canonical_skills_esco_uri"),
        "canonical_skills",
        ["esco_uri"],
        unique=False,
    )
    op.create_table(
        "esco_occupations",
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("isco_group", sa.String(length=16), nullable=True),
        sa.Column("label_es", sa.Text(), nullable=True),
        sa.Column("label_en", sa.Text(), nullable=True),
        sa.Column(
            "alt_labels_es", postgresql.JSONB(astext_type=sa.Text()), nullable=False
        ),
        sa.Column("esco_version", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("uri"),
    )
    op.create_table(
        "esco_relations",
        sa.Column("source_uri", sa.Text(), nullable=False),
        sa.Column("target_uri", sa.Text(), nullable=False),
        sa.Column("relation", sa.String(length=32), nullable=False),
        sa.Column("esco_version", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("source_uri", "target_uri", "relation"),
    )
    op.create_table(
        "esco_skill_groups",
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("label_es", sa.Text(), nullable=True),
        sa.Column("label_en", sa.Text(), nullable=True),
        sa.Column("esco_version", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("uri"),
    )
    op.create_table(
        "esco_skills",
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("skill_type", sa.String(length=32), nullable=True),
        sa.Column("reuse_level", sa.String(length=32), nullable=True),
        sa.Column("label_es", sa.Text(), nullable=True),
        sa.Column("label_en", sa.Text(), nullable=True),
        sa.Column(
            "alt_labels_es", postgresql.JSONB(astext_type=sa.Text()), nullable=False
        ),
        sa.Column(
            "alt_labels_en", postgresql.JSONB(astext_type=sa.Text()), nullable=False
        ),
        sa.Column("description_es", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column(
            "collections", postgresql.JSONB(astext_type=sa.Text()), nullable=False
        ),
        sa.Column("esco_version", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("uri"),
    )
    op.create_table(
        "sources",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("portal", sa.String(length=32), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(op.f("ix_sources_country"), "sources", ["country"], unique=False)
    op.create_index(op.f("ix_sources_portal"), "sources", ["portal"], unique=False)
    op.create_table(
        "cluster_assignments",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("skill_id", sa.String(length=200), nullable=False),
        sa.Column("cluster", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("x", sa.Float(), nullable=True),
        sa.Column("y", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["analysis_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["canonical_skills.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "skill_id"),
    )
    op.create_table(
        "clusters",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("cluster", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column(
            "central_skills", postgresql.JSONB(astext_type=sa.Text()), nullable=False
        ),
        sa.Column(
            "top_demanded_skills",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["run_id"], ["analysis_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "cluster"),
    )
    op.create_table(
        "scrape_runs",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("run_key", sa.String(length=200), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stats", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_key"],
            ["sources.key"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_key"),
    )
    op.create_index(
        op.f("ix_scrape_runs_source_key"), "scrape_runs", ["source_key"], unique=False
    )
    op.create_table(
        "skill_embeddings",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("skill_id", sa.String(length=200), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("embedding", Vector(384), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["canonical_skills.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "model", "skill_id", "text_hash", name="uq_skill_embeddings_model_text"
        ),
    )
    op.create_index(
        "ix_skill_embeddings_hnsw",
        "skill_embeddings",
        ["embedding"],
        unique=False,
        postgresql_using="hnsw",
        postgresql_with={"m": 16, "ef_construction": 64},
        postgresql_ops={"embedding": "vector_cosine_ops"},
    )
    op.create_index(
        op.f("ix_skill_embeddings_skill_id"),
        "skill_embeddings",
        ["skill_id"],
        unique=False,
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("portal", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("native_id", sa.String(length=128), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("company", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("location_raw", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("salary_raw", sa.Text(), nullable=True),
        sa.Column("salary_min", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("salary_max", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("salary_currency", sa.String(length=3), nullable=True),
        sa.Column("salary_period", sa.String(length=16), nullable=True),
        sa.Column("contract_type", sa.String(length=32), nullable=True),
        sa.Column("work_mode", sa.String(length=16), nullable=True),
        sa.Column("education", sa.Text(), nullable=True),
        sa.Column("experience_years", sa.Float(), nullable=True),
        sa.Column("date_posted_raw", sa.Text(), nullable=True),
        sa.Column("date_posted", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_through", sa.DateTime(timezone=True), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("raw", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.BigInteger(), nullable=True),
        sa.Column("duplicate_of", sa.String(length=200), nullable=True),
        sa.Column(
            "first_seen",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "last_seen",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("scrape_run_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["duplicate_of"], ["postings.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["scrape_run_id"], ["scrape_runs.id"], ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["source_key"],
            ["sources.key"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("portal", "native_id", name="uq_postings_portal_native"),
    )
    op.create_index(op.f("ix_postings_country"), "postings", ["country"], unique=False)
    op.create_index(
        op.f("ix_postings_date_posted"), "postings", ["date_posted"], unique=False
    )
    op.create_index(
        op.f("ix_postings_duplicate_of"), "postings", ["duplicate_of"], unique=False
    )
    op.create_index(
        op.f("ix_postings_fingerprint"), "postings", ["fingerprint"], unique=False
    )
    op.create_index(
        op.f("ix_postings_source_key"), "postings", ["source_key"], unique=False
    )
    op.create_table(
        "extraction_runs",
        sa.Column("posting_id", sa.String(length=200), nullable=False),
        sa.Column("extractor_version", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column(
            "extracted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("posting_id", "extractor_version"),
    )
    op.create_table(
        "skill_mentions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("posting_id", sa.String(length=200), nullable=False),
        sa.Column("skill_id", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("esco_uri", sa.Text(), nullable=True),
        sa.Column("skill_type", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("section", sa.String(length=32), nullable=True),
        sa.Column("importance", sa.String(length=16), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("extractor_version", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["canonical_skills.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "posting_id",
            "skill_id",
            "start",
            "end",
            "extractor_version",
            name="uq_skill_mentions_span",
        ),
    )
    op.create_index(
        op.f("ix_skill_mentions_extractor_version"),
        "skill_mentions",
        ["extractor_version"],
        unique=False,
    )
    op.create_index(
        op.f("ix_skill_mentions_posting_id"),
        "skill_mentions",
        ["posting_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_skill_mentions_skill_id"), "skill_mentions", ["skill_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_skill_mentions_skill_id"), table_name="skill_mentions")
    op.drop_index(op.f("ix_skill_mentions_posting_id"), table_name="skill_mentions")
    op.drop_index(
        op.f("ix_skill_mentions_extractor_version"), table_name="skill_mentions"
    )
    op.drop_table("skill_mentions")
    op.drop_table("extraction_runs")
    op.drop_index(op.f("ix_postings_source_key"), table_name="postings")
    op.drop_index(op.f("ix_postings_fingerprint"), table_name="postings")
    op.drop_index(op.f("ix_postings_duplicate_of"), table_name="postings")
    op.drop_index(op.f("ix_postings_date_posted"), table_name="postings")
    op.drop_index(op.f("ix_postings_country"), table_name="postings")
    op.drop_table("postings")
    op.drop_index(op.f("ix_skill_embeddings_skill_id"), table_name="skill_embeddings")
    op.drop_index(
        "ix_skill_embeddings_hnsw",
        table_name="skill_embeddings",
        postgresql_using="hnsw",
        postgresql_with={"m": 16, "ef_construction": 64},
        postgresql_ops={"embedding": "vector_cosine_ops"},
    )
    op.drop_table("skill_embeddings")
    op.drop_index(op.f("ix_scrape_runs_source_key"), table_name="scrape_runs")
    op.drop_table("scrape_runs")
    op.drop_table("clusters")
    op.drop_table("cluster_assignments")
    op.drop_index(op.f("ix_sources_portal"), table_name="sources")
    op.drop_index(op.f("ix_sources_country"), table_name="sources")
    op.drop_table("sources")
    op.drop_table("esco_skills")
    op.drop_table("esco_skill_groups")
    op.drop_table("esco_relations")
    op.drop_table("esco_occupations")
    op.drop_index(op.f("ix_canonical_skills_esco_uri"), table_name="canonical_skills")
    op.drop_table("canonical_skills")
    op.drop_index(op.f("ix_analysis_runs_kind"), table_name="analysis_runs")
    op.drop_table("analysis_runs")
