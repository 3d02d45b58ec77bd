"""SQLAlchemy 2.0 models of everything the pipeline keeps.

Every table has a natural key so that each step can be re-run with ``INSERT … ON CONFLICT``.
Schema changes go through Alembic (``observatory/storage/migrations``); a test checks that the
migrations and these models agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Vector sizes with an HNSW index of their own: pgvector indexes one size per index, so each is a partial
# expression index on ``embedding::vector(dim)`` (query it with the same cast and predicate, see
# observatory.embeddings.store.knn_sql). Other sizes are stored and searched exactly, without an index.
INDEXED_EMBEDDING_DIMS = (384, 512, 768, 1024)


def _hnsw_index(dim: int) -> Index:
    return Index(
        f"ix_skill_embeddings_hnsw_{dim}",
        literal_column(f"(embedding::vector({dim}))").label(f"embedding_{dim}"),
        postgresql_using="hnsw",
        postgresql_ops={f"embedding_{dim}": "vector_cosine_ops"},
        postgresql_with={"m": 16, "ef_construction": 64},
        postgresql_where=text(f"vector_dims(embedding) = {dim}"),
    )


class Base(DeclarativeBase):
    """Declarative base; ``type_annotation_map`` keeps JSON columns as JSONB."""

    type_annotation_map = {dict[str, Any]: JSONB, list[Any]: JSONB}


class SourceRow(Base):
    """A crawlable source from :mod:`observatory.sources`, mirrored for joins and reports."""

    __tablename__ = "sources"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    portal: Mapped[str] = mapped_column(String(32), index=True)
    base_url: Mapped[str] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))


class ScrapeRun(Base):
    """One crawl of one source (inside Dagster or dropped in the landing folder)."""

    __tablename__ = "scrape_runs"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    run_key: Mapped[str] = mapped_column(String(200), unique=True)
    source_key: Mapped[str] = mapped_column(ForeignKey("sources.key"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="running")
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Posting(Base):
    """A job posting: raw fields as scraped next to parsed ones."""

    __tablename__ = "postings"

    # Stable id: "{portal}:{native_id}" (see observatory.storage.posting_id).
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source_key: Mapped[str] = mapped_column(ForeignKey("sources.key"), index=True)
    portal: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2), index=True)
    native_id: Mapped[str] = mapped_column(String(128))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    company: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    location_raw: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    salary_raw: Mapped[str | None] = mapped_column(Text)
    salary_min: Mapped[float | None] = mapped_column(Numeric(14, 2))
    salary_max: Mapped[float | None] = mapped_column(Numeric(14, 2))
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(16))
    contract_type: Mapped[str | None] = mapped_column(String(32))
    work_mode: Mapped[str | None] = mapped_column(String(16))
    education: Mapped[str | None] = mapped_column(Text)
    experience_years: Mapped[float | None] = mapped_column(Float)
    date_posted_raw: Mapped[str | None] = mapped_column(Text)
    date_posted: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    valid_through: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str | None] = mapped_column(String(8))
    # ESCO occupation and ISCO-08 unit group coded from the title (observatory.skills.occupations).
    occupation_uri: Mapped[str | None] = mapped_column(Text)
    isco_code: Mapped[str | None] = mapped_column(String(4), index=True)
    occupation_confidence: Mapped[float | None] = mapped_column(Float)
    occupation_method: Mapped[str | None] = mapped_column(Text)  # "title", "description" or "unknown: reason"
    occupation_version: Mapped[str | None] = mapped_column(String(32))
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[int | None] = mapped_column(BigInteger, index=True)
    duplicate_of: Mapped[str | None] = mapped_column(ForeignKey("postings.id", ondelete="SET NULL"), index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    scrape_run_id: Mapped[int | None] = mapped_column(ForeignKey("scrape_runs.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("portal", "native_id", name="uq_postings_portal_native"),)


class EscoSkillGroup(Base):
    """An ESCO skill group or collection concept (hierarchy of skills)."""

    __tablename__ = "esco_skill_groups"

    uri: Mapped[str] = mapped_column(Text, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32))
    label_es: Mapped[str | None] = mapped_column(Text)
    label_en: Mapped[str | None] = mapped_column(Text)
    esco_version: Mapped[str] = mapped_column(String(16))


class EscoSkill(Base):
    """An ESCO skill/knowledge concept with Spanish and English labels."""

    __tablename__ = "esco_skills"

    uri: Mapped[str] = mapped_column(Text, primary_key=True)
    skill_type: Mapped[str | None] = mapped_column(String(32))
    reuse_level: Mapped[str | None] = mapped_column(String(32))
    label_es: Mapped[str | None] = mapped_column(Text)
    label_en: Mapped[str | None] = mapped_column(Text)
    alt_labels_es: Mapped[list[Any]] = mapped_column(default=list)
    alt_labels_en: Mapped[list[Any]] = mapped_column(default=list)
    description_es: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    collections: Mapped[list[Any]] = mapped_column(default=list)
    esco_version: Mapped[str] = mapped_column(String(16))


class EscoRelation(Base):
    """A typed edge between ESCO concepts: broader, essential/optional skill, collection member."""

    __tablename__ = "esco_relations"

    source_uri: Mapped[str] = mapped_column(Text, primary_key=True)
    target_uri: Mapped[str] = mapped_column(Text, primary_key=True)
    relation: Mapped[str] = mapped_column(String(32), primary_key=True)
    esco_version: Mapped[str] = mapped_column(String(16))


class EscoOccupation(Base):
    """An ESCO occupation with its ISCO code."""

    __tablename__ = "esco_occupations"

    uri: Mapped[str] = mapped_column(Text, primary_key=True)
    isco_group: Mapped[str | None] = mapped_column(String(16))
    label_es: Mapped[str | None] = mapped_column(Text)
    label_en: Mapped[str | None] = mapped_column(Text)
    alt_labels_es: Mapped[list[Any]] = mapped_column(default=list)
    esco_version: Mapped[str] = mapped_column(String(16))


class CanonicalSkill(Base):
    """A normalised skill that counts are reported on; ESCO URI when ESCO has the concept."""

    __tablename__ = "canonical_skills"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # e.g. "python" or an ESCO-derived slug
    name: Mapped[str] = mapped_column(Text)
    name_es: Mapped[str | None] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    esco_uri: Mapped[str | None] = mapped_column(Text, index=True)
    skill_type: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(64))


class SkillMention(Base):
    """A skill found in a posting by one extractor version."""

    __tablename__ = "skill_mentions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[str] = mapped_column(ForeignKey("canonical_skills.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(Text)
    esco_uri: Mapped[str | None] = mapped_column(Text)
    skill_type: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(32))
    section: Mapped[str | None] = mapped_column(String(32))
    importance: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    extractor_version: Mapped[str] = mapped_column(String(32), index=True)

    __table_args__ = (
        UniqueConstraint("posting_id", "skill_id", "start", "end", "extractor_version", name="uq_skill_mentions_span"),
    )


class ExtractionRun(Base):
    """Which postings an extractor version has already processed (including those with no skill)."""

    __tablename__ = "extraction_runs"

    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    extractor_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    extracted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SkillEmbedding(Base):
    """A vector of a canonical skill's text by one model; the (model, text_hash) pair is the cache key."""

    __tablename__ = "skill_embeddings"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    skill_id: Mapped[str] = mapped_column(ForeignKey("canonical_skills.id", ondelete="CASCADE"), index=True)
    model: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    # No fixed size: each model keeps its own (384 for MiniLM, 512 for USE); see INDEXED_EMBEDDING_DIMS.
    embedding: Mapped[Any] = mapped_column(Vector())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        UniqueConstraint("model", "skill_id", "text_hash", name="uq_skill_embeddings_model_text"),
        *(_hnsw_index(dim) for dim in INDEXED_EMBEDDING_DIMS),
    )


class AnalysisRun(Base):
    """A versioned analysis (clustering, trends, report) with its parameters and metrics."""

    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SkillCluster(Base):
    """A cluster of skills found by one analysis run (label -1 is HDBSCAN noise and not stored).

    Sub-clusters are rows of their own with ``parent`` set to the top-level cluster's number.
    """

    __tablename__ = "clusters"

    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id", ondelete="CASCADE"), primary_key=True)
    cluster: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    central_skills: Mapped[list[Any]] = mapped_column(default=list)
    top_demanded_skills: Mapped[list[Any]] = mapped_column(default=list)
    parent: Mapped[int | None] = mapped_column(Integer)


class ClusterAssignment(Base):
    """Where one skill fell in one clustering run, with its 2-D map coordinates."""

    __tablename__ = "cluster_assignments"

    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[str] = mapped_column(ForeignKey("canonical_skills.id", ondelete="CASCADE"), primary_key=True)
    cluster: Mapped[int] = mapped_column(Integer)
    subcluster: Mapped[int | None] = mapped_column(Integer)  # numbered as in clusters.cluster; NULL: not split
    probability: Mapped[float | None] = mapped_column(Float)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)


class LLMCacheEntry(Base):
    """One answer of a language model, keyed by backend, model, prompt version and the SHA-256 of the prompt.

    Prompts are redacted before they are hashed or sent, so neither the key nor the answer holds personal data.
    """

    __tablename__ = "llm_cache"

    backend: Mapped[str] = mapped_column(String(32), primary_key=True)
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    prompt_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    input_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    response: Mapped[str] = mapped_column(Text)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class NormalizedMention(Base):
    """What the LLM normaliser made of one uncertain skill mention (one row per skill the mention holds).

    ``method`` is ``llm`` for an accepted answer, ``rules`` when the rule result was kept (``outcome`` says why:
    a grounding rejection, a malformed answer, the budget, an error).
    """

    __tablename__ = "normalized_mentions"

    mention_id: Mapped[int] = mapped_column(ForeignKey("skill_mentions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    normaliser_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), index=True)
    surface: Mapped[str] = mapped_column(Text)
    rule_skill_id: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    esco_uri: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    backend: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SkillMergeProposal(Base):
    """An LLM's verdict on whether two near-neighbour canonical skills are one skill, kept for review.

    The pair is stored once (``skill_a < skill_b``) with the names the model was shown; ``keep_skill_id`` is the
    skill the other is merged into. Only ``outcome == "proposed"`` rows above a confidence are ever applied, and
    only while both skills still exist under the names shown (``applied_at`` records when).
    """

    __tablename__ = "skill_merge_proposals"

    skill_a: Mapped[str] = mapped_column(ForeignKey("canonical_skills.id", ondelete="CASCADE"), primary_key=True)
    skill_b: Mapped[str] = mapped_column(ForeignKey("canonical_skills.id", ondelete="CASCADE"), primary_key=True)
    name_a: Mapped[str] = mapped_column(Text)
    name_b: Mapped[str] = mapped_column(Text)
    similarity: Mapped[float] = mapped_column(Float)
    similarity_method: Mapped[str] = mapped_column(String(220))  # "vector:<model>" or "lexical"
    same: Mapped[bool | None] = mapped_column(Boolean)
    confidence: Mapped[float | None] = mapped_column(Float)
    keep_skill_id: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(32), index=True)
    prompt_version: Mapped[str] = mapped_column(String(64))
    backend: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DatabaseIdentity(Base):
    """The one row naming this database: a new id for each database created, emptied or restored.

    Files derived from the database (the stored demand) carry the id they were computed from, so that after a
    reset (the embedded data folder removed, a new server, a restore) they are recognised as stale and rebuilt
    instead of feeding a report with another database's numbers.
    """

    __tablename__ = "database_identity"
    __table_args__ = (CheckConstraint("singleton", name="database_identity_one_row"),)

    singleton: Mapped[bool] = mapped_column(Boolean, primary_key=True, server_default=text("true"))
    id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
