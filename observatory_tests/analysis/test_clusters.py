"""UMAP + HDBSCAN clustering: known groups recovered, noise reported as noise, incremental re-runs."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from sqlalchemy import text

from observatory.analysis.clusters import cluster_map, cluster_skills
from observatory.embeddings.store import text_hash
from observatory.storage import Database, upsert
from observatory.storage.models import CanonicalSkill, SkillEmbedding
from observatory_tests.analysis.builders import DataBuilder

MODEL = "test-vectors"


def blobs(groups: int, per_group: int, seed: int = 7, spread: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around ``groups`` random directions in 384-d (cosine ≈ 0.93 inside a group)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, 384))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    truth = np.repeat(np.arange(groups), per_group)
    points = centres[truth] + rng.normal(scale=spread, size=(len(truth), 384))
    return points / np.linalg.norm(points, axis=1, keepdims=True), truth


def store_vectors(db: Database, vectors: np.ndarray, prefix: str = "s") -> list[str]:
    ids = [f"{prefix}{i:04d}" for i in range(len(vectors))]
    with db.session() as session:
        upsert(session, CanonicalSkill, [{"id": i, "name": f"habilidad {i}"} for i in ids], conflict=["id"])
        upsert(
            session,
            SkillEmbedding,
            [
                {"skill_id": i, "model": MODEL, "text": i, "text_hash": text_hash(i), "embedding": v}
                for i, v in zip(ids, vectors, strict=True)
            ],
            conflict=["model", "skill_id", "text_hash"],
        )
    return ids


def assignments(db: Database, run_id: int) -> dict[str, int]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT skill_id, cluster FROM cluster_assignments WHERE run_id = :r"), {"r": run_id})
        return {r.skill_id: r.cluster for r in rows}


def test_known_groups_recovered_and_incremental(db: Database) -> None:
    vectors, truth = blobs(4, 25)
    ids = store_vectors(db, vectors)
    # Postings make s0003 the most demanded skill of its group: it must lead the label.
    b = DataBuilder(db)
    for _ in range(3):
        b.posting(skills={"s0003": "required"})
    b.save()

    result = cluster_skills(db, model=MODEL, n_neighbors=(10, 15), min_cluster_size=(5, 10))
    assert result.mode == "full" and result.run_id is not None
    assert result.clusters == 4
    assert result.noise_share <= 0.1
    assert result.metrics["silhouette"] > 0.5 and len(result.metrics["search"]) == 4
    found = assignments(db, result.run_id)
    assert adjusted_rand_score(truth, [found[i] for i in ids]) > 0.9
    first = next(c for c in result.labels if "s0003" in c.top_demanded_skills)
    assert first.top_demanded_skills[0] == "s0003" and first.label.startswith("habilidad s0003")
    assert first.size == 25 and len(first.central_skills) == 3
    points = cluster_map(db)
    assert len(points) == 100 and all(p["x"] is not None for p in points)

    # Deterministic: the same data and seed give the same partition.
    again = cluster_skills(db, model=MODEL, n_neighbors=(10, 15), min_cluster_size=(5, 10), force=True)
    assert again.run_id != result.run_id
    assert assignments(db, again.run_id) == found  # type: ignore[arg-type]
    with db.engine.connect() as conn:
        current = conn.execute(text("SELECT id FROM analysis_runs WHERE kind = 'clusters' AND is_current")).all()
    assert [r.id for r in current] == [again.run_id]

    # 2 new skills (2 % of the vocabulary) near group 0: attached, no re-clustering.
    rng = np.random.default_rng(1)
    near = vectors[0] + rng.normal(scale=0.02, size=(2, 384))
    new_ids = store_vectors(db, near / np.linalg.norm(near, axis=1, keepdims=True), prefix="nuevo")
    inc = cluster_skills(db, model=MODEL)
    assert inc.mode == "incremental" and inc.run_id == again.run_id and inc.skills == 102
    placed = assignments(db, inc.run_id)  # type: ignore[arg-type]
    assert {placed[i] for i in new_ids} == {placed[ids[0]]}
    assert cluster_skills(db, model=MODEL).mode == "unchanged"


def test_noise_is_reported_as_noise(db: Database) -> None:
    rng = np.random.default_rng(3)
    noise = rng.normal(size=(120, 384))
    store_vectors(db, noise / np.linalg.norm(noise, axis=1, keepdims=True))
    result = cluster_skills(db, model=MODEL)
    assert result.clusters == 0 and result.noise_share == 1.0
    assert "no cluster structure" in result.metrics["reason"]
    assert set(assignments(db, result.run_id).values()) == {-1}  # type: ignore[arg-type]


def test_tiny_vocabulary_is_all_noise_not_a_crash(db: Database) -> None:
    vectors, _ = blobs(2, 4)
    store_vectors(db, vectors)
    result = cluster_skills(db, model=MODEL)
    assert result.clusters == 0 and result.skills == 8
    assert "too few skills" in result.metrics["reason"]
    with pytest.raises(ValueError, match="no skill embeddings"):
        db.engine.dispose()
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM skill_embeddings"))
        cluster_skills(db)
