"""Skill vectors in pgvector: incremental embedding of canonical skills and nearest-skill queries.

A skill's vector is the normalised mean of its names' vectors, each name encoded alone. Encoding the names
joined ("Contabilidad / Accounting") put the form of the text into the geometry: among the demo's 97 skills,
the split between such bilingual pairs and one-word tool names ("Excel", "AWS") had a silhouette of 0.14,
above any partition into skill families, and it was the one HDBSCAN found (2 clusters). The mean of the
names drops that split to 0.05 and keeps each name's meaning, in both languages.

The cache key is (model, skill, SHA-256 of the embedded names and of ``VECTOR_FORMAT``): a re-run encodes
only skills that are new or whose names changed, and a changed text replaces the skill's old vector for that
model. Skills are read page by page (keyset on the id), so memory stays bounded on large vocabularies.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import TextClause, text

from observatory.config import Settings
from observatory.embeddings.model import Encoder, get_encoder
from observatory.storage import Database, upsert
from observatory.storage.models import SkillEmbedding

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]  # (skills done, skills total)


@dataclass(frozen=True)
class EmbedStats:
    """What one embedding run did."""

    model: str
    fallback: bool
    skills: int  # canonical skills seen
    encoded: int  # skills whose vector was computed in this run
    cached: int  # skills whose vector for this model and text already existed
    seconds: float

    @property
    def per_second(self) -> float:
        """Skills encoded per second (0 when nothing was encoded)."""
        return self.encoded / self.seconds if self.encoded and self.seconds > 0 else 0.0


@dataclass(frozen=True)
class SimilarSkill:
    """A neighbour of a query in the embedding space (cosine similarity, 1 = same direction)."""

    skill_id: str
    name: str
    similarity: float


# How a vector is made from the names; part of the cache key, so that vectors made otherwise are re-encoded.
VECTOR_FORMAT = "mean-of-names"
NAME_SEPARATOR = " / "


def skill_names(name: str, name_es: str | None = None, name_en: str | None = None) -> list[str]:
    """A skill's names in each language (Spanish, canonical, English), without repeats."""
    parts: list[str] = []
    for value in (name_es, name, name_en):
        value = (value or "").strip()
        if value and value.casefold() not in {p.casefold() for p in parts}:
            parts.append(value)
    return parts


def skill_text(name: str, name_es: str | None = None, name_en: str | None = None) -> str:
    """The names embedded for a skill, as stored beside its vector: "Contabilidad / Accounting"."""
    return NAME_SEPARATOR.join(skill_names(name, name_es, name_en))


def text_hash(value: str) -> str:
    """The cache key's text part."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def encode_skills(encoder: Encoder, names: Sequence[Sequence[str]]) -> np.ndarray:
    """One normalised vector per skill: the mean of its names' vectors (each distinct name encoded once)."""
    unique = sorted({n for skill in names for n in skill})
    if not unique:
        return np.zeros((len(names), encoder.dim), dtype=np.float32)
    encoded = dict(zip(unique, encoder.encode(unique), strict=True))
    out = np.zeros((len(names), encoder.dim), dtype=np.float32)
    for i, skill in enumerate(names):
        if skill:
            out[i] = np.mean([encoded[n] for n in skill], axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)


def vector_literal(vector: np.ndarray) -> str:
    """A vector as pgvector's text form, for ``CAST(:v AS vector)``."""
    return "[" + ",".join(f"{x:.7g}" for x in vector.tolist()) + "]"


_PAGE_SQL = text(
    """
    SELECT cs.id, cs.name, cs.name_es, cs.name_en,
           ARRAY(SELECT e.text_hash FROM skill_embeddings e WHERE e.skill_id = cs.id AND e.model = :model) AS hashes
    FROM canonical_skills cs
    WHERE cs.id > :after
    ORDER BY cs.id
    LIMIT :limit
    """
)


def embed_skills(
    db: Database,
    settings: Settings,
    *,
    encoder: Encoder | None = None,
    batch_size: int = 512,
    progress: ProgressCallback | None = None,
) -> EmbedStats:
    """Embed every canonical skill not yet embedded by the configured model; return what was done.

    ``encoder`` defaults to the configured sentence-transformers model (see :func:`get_encoder`).
    Each page of ``batch_size`` skills is encoded and written in its own transaction, so an
    interrupted run keeps its finished pages and the next run carries on from there.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    enc = encoder or get_encoder(settings)
    fallback = bool(getattr(getattr(enc, "choice", None), "fallback", False))
    with db.engine.connect() as conn:
        total = int(conn.execute(text("SELECT count(*) FROM canonical_skills")).scalar_one())
    seen = encoded = cached = 0
    for page in _pages(db, enc.name, batch_size):
        todo = []
        for skill_id, name, name_es, name_en, hashes in page:
            names = skill_names(name, name_es, name_en)
            value = NAME_SEPARATOR.join(names)
            digest = text_hash(f"{VECTOR_FORMAT}\n{value}")
            if digest in (hashes or []):
                cached += 1
            else:
                todo.append((skill_id, names, digest))
        if todo:
            _write(db, enc, todo)
            encoded += len(todo)
        seen += len(page)
        if progress is not None:
            progress(seen, total)
        log.debug("embedded %d/%d skills (%d encoded)", seen, total, encoded)
    stats = EmbedStats(enc.name, fallback, seen, encoded, cached, time.perf_counter() - started)
    log.info("skill embeddings with %s: %d skills, %d encoded, %d cached", enc.name, seen, encoded, cached)
    return stats


def _pages(db: Database, model: str, size: int) -> Iterator[list[tuple[str, str, str | None, str | None, list[str]]]]:
    after = ""
    while True:
        with db.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(_PAGE_SQL, {"model": model, "after": after, "limit": size})]
        if not rows:
            return
        yield rows  # type: ignore[misc]
        after = rows[-1][0]


def _write(db: Database, encoder: Encoder, todo: list[tuple[str, list[str], str]]) -> None:
    vectors = encode_skills(encoder, [names for _, names, _ in todo])
    rows = [
        {
            "skill_id": skill_id,
            "model": encoder.name,
            "text": NAME_SEPARATOR.join(names),
            "text_hash": digest,
            "embedding": vector,
        }
        for (skill_id, names, digest), vector in zip(todo, vectors, strict=True)
    ]
    with db.session() as session:
        # A changed text replaces the skill's previous vector for this model.
        session.execute(
            text("DELETE FROM skill_embeddings WHERE model = :model AND skill_id = ANY(:ids)"),
            {"model": encoder.name, "ids": [r["skill_id"] for r in rows]},
        )
        upsert(session, SkillEmbedding, rows, conflict=["model", "skill_id", "text_hash"], update=["embedding", "text"])


def similar_skills(
    db: Database,
    settings: Settings,
    query: str,
    k: int = 10,
    *,
    encoder: Encoder | None = None,
) -> list[SimilarSkill]:
    """The ``k`` skills nearest to ``query`` (any text, e.g. "análisis de datos") by the configured model."""
    if not query.strip():
        raise ValueError("the query text is empty")
    enc = encoder or get_encoder(settings)
    return nearest_to_vector(db, enc.name, enc.encode([query.strip()])[0], k)


def knn_sql(dim: int) -> TextClause:
    """kNN among ``dim``-dimension vectors of one model, answered by that size's partial HNSW index.

    The cast and the ``vector_dims`` predicate repeat the index definition word for word
    (``observatory.storage.models._hnsw_index``): that is what lets the planner use it.
    """
    if not 1 <= dim <= 16000:
        raise ValueError(f"vector dimension out of range: {dim}")
    cast = f"vector({int(dim)})"
    return text(
        f"""
        SELECT nn.skill_id, COALESCE(NULLIF(cs.name_es, ''), cs.name) AS name, 1 - nn.distance AS similarity
        FROM (
            SELECT e.skill_id, e.embedding::{cast} <=> CAST(:v AS {cast}) AS distance
            FROM skill_embeddings e
            WHERE e.model = :model AND vector_dims(e.embedding) = {int(dim)}
            ORDER BY e.embedding::{cast} <=> CAST(:v AS {cast})
            LIMIT :k
        ) nn JOIN canonical_skills cs ON cs.id = nn.skill_id
        ORDER BY nn.distance, nn.skill_id
        """
    )


def nearest_to_vector(db: Database, model: str, vector: np.ndarray, k: int = 10) -> list[SimilarSkill]:
    """kNN through the HNSW cosine index of the vector's size on ``skill_embeddings.embedding``."""
    if k < 1:
        raise ValueError("k must be at least 1")
    with db.engine.begin() as conn:
        # One index serves every model of a size and pgvector filters after the index scan: search
        # wider so that the model filter still leaves k rows when several models are stored.
        conn.execute(text(f"SET LOCAL hnsw.ef_search = {max(40, min(1000, 4 * k))}"))
        rows = conn.execute(knn_sql(len(vector)), {"v": vector_literal(vector), "model": model, "k": k}).all()
    return [SimilarSkill(r.skill_id, r.name, float(r.similarity)) for r in rows]


def load_vectors(db: Database, model: str, page: int = 5000) -> tuple[list[str], np.ndarray]:
    """All skill ids and vectors of ``model`` (id order), read in pages into one float32 matrix."""
    ids: list[str] = []
    chunks: list[np.ndarray] = []
    after = ""
    sql = text(
        "SELECT skill_id, embedding FROM skill_embeddings WHERE model = :model AND skill_id > :after "
        "ORDER BY skill_id LIMIT :limit"
    )
    while True:
        with db.engine.connect() as conn:
            rows = conn.execute(sql, {"model": model, "after": after, "limit": page}).all()
        if not rows:
            break
        ids.extend(r.skill_id for r in rows)
        chunks.append(np.vstack([_as_array(r.embedding) for r in rows]).astype(np.float32))
        after = rows[-1].skill_id
    dim = chunks[0].shape[1] if chunks else 0
    return ids, (np.vstack(chunks) if chunks else np.zeros((0, dim), dtype=np.float32))


def _as_array(value: object) -> np.ndarray:
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, str):  # raw text form when the pgvector type is not registered
        return np.array([float(x) for x in value.strip("[]").split(",")], dtype=np.float32)
    return np.asarray(value, dtype=np.float32)
