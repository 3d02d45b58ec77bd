"""Skill embeddings: sentence-transformers vectors of canonical skills in pgvector, and kNN queries."""

from observatory.embeddings.model import FALLBACK_MODEL, Encoder, ModelChoice, get_encoder, resolve_model
from observatory.embeddings.store import (
    EmbedStats,
    SimilarSkill,
    embed_skills,
    load_vectors,
    nearest_to_vector,
    similar_skills,
    skill_text,
)

__all__ = [
    "FALLBACK_MODEL",
    "EmbedStats",
    "Encoder",
    "ModelChoice",
    "SimilarSkill",
    "embed_skills",
    "get_encoder",
    "load_vectors",
    "nearest_to_vector",
    "resolve_model",
    "similar_skills",
    "skill_text",
]
