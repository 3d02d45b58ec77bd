"""Skill embeddings: multilingual vectors of canonical skills in pgvector, and kNN queries."""

from observatory.embeddings.model import (
    ENGLISH_MODEL,
    FALLBACK_MODEL,
    USE_MODEL,
    Encoder,
    ModelChoice,
    get_encoder,
    resolve_model,
)
from observatory.embeddings.store import (
    EmbedStats,
    SimilarSkill,
    embed_skills,
    encode_skills,
    knn_sql,
    load_vectors,
    nearest_to_vector,
    similar_skills,
    skill_names,
    skill_text,
)

__all__ = [
    "ENGLISH_MODEL",
    "FALLBACK_MODEL",
    "USE_MODEL",
    "EmbedStats",
    "Encoder",
    "ModelChoice",
    "SimilarSkill",
    "embed_skills",
    "encode_skills",
    "get_encoder",
    "knn_sql",
    "load_vectors",
    "nearest_to_vector",
    "resolve_model",
    "similar_skills",
    "skill_names",
    "skill_text",
]
