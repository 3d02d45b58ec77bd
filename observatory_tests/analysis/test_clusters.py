"""UMAP + HDBSCAN clustering: known groups recovered, noise reported as noise, incremental re-runs."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from sqlalchemy import text

from observatory.analysis.clusters import (
    _rank,
    cluster_map,
    cluster_skills,
    current_quality,
    min_cluster_sizes,
    min_samples,
    neighbour_count,
    target_clusters,
)
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


def nested_blobs(
    groups: int, subgroups: int, per_subgroup: int, sub_spread: float = 0.045, seed: int = 11
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Families of near-synonym groups: unit vectors around sub-centres that sit around family centres."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, 384))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    sub = np.repeat(centres, subgroups, axis=0) + rng.normal(scale=sub_spread, size=(groups * subgroups, 384))
    sub /= np.linalg.norm(sub, axis=1, keepdims=True)
    fine = np.repeat(np.arange(groups * subgroups), per_subgroup)
    points = sub[fine] + rng.normal(scale=0.012, size=(len(fine), 384))
    return points / np.linalg.norm(points, axis=1, keepdims=True), fine // subgroups, fine


def bridged_families(
    groups: int, subgroups: int, per_subgroup: int, bridges: int = 5, seed: int = 11
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Families whose near-synonym groups are linked, in a ring, by a few in-between skills.

    Real vocabularies have such skills between two groups of one family; they make each family one piece
    of the neighbour graph, which is all UMAP can keep together. Returns the vectors, the family and the
    group of each skill, and a mask of the groups' own members (the in-between skills belong to neither).
    """
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, 384))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    sub = np.repeat(centres, subgroups, axis=0) + rng.normal(scale=0.03, size=(groups * subgroups, 384))
    sub /= np.linalg.norm(sub, axis=1, keepdims=True)
    fine = np.repeat(np.arange(groups * subgroups), per_subgroup)
    points = [sub[fine] + rng.normal(scale=0.012, size=(len(fine), 384))]
    between = []
    for g in range(groups):
        for s in range(subgroups):
            a, b = g * subgroups + s, g * subgroups + (s + 1) % subgroups
            for t in np.linspace(0.15, 0.85, bridges):
                between.append(b if t > 0.5 else a)
                points.append(((1 - t) * sub[a] + t * sub[b] + rng.normal(scale=0.012, size=384))[None, :])
    vectors = np.vstack(points)
    fine = np.concatenate([fine, np.array(between, dtype=int)])
    members = np.arange(len(fine)) < groups * subgroups * per_subgroup
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), fine // subgroups, fine, members


def test_selection_prefers_many_coherent_clusters_to_a_few_catch_alls(db: Database) -> None:
    vectors, _, fine = nested_blobs(2, 10, 15)
    ids = store_vectors(db, vectors)
    # With 15 neighbours and groups of 15 skills no graph edge joins two groups, so UMAP places the groups
    # independently (their relative positions carry no meaning) and a size of 40 can only lump groups into
    # a few catch-alls, whichever they are: 2 clusters on umap-learn 0.5.9 / hdbscan 0.8.40 / scikit-learn
    # 1.7, 3 on 0.5.12 / 0.8.44 / 1.9, neither the two families. That candidate must lose to the 20 groups.
    result = cluster_skills(db, model=MODEL, n_neighbors=(15,), min_cluster_size=(5, 40))
    trials = {t["min_cluster_size"]: t for t in result.metrics["search"]}
    low, _ = result.params["target_clusters"]
    assert 1 <= trials[40]["clusters"] < low and not trials[40]["admissible"]
    assert trials[5]["admissible"] and trials[5]["silhouette"] > trials[40]["silhouette"]
    assert result.params["chosen"]["min_cluster_size"] == 5
    assert 15 <= result.clusters <= 25
    found = assignments(db, result.run_id)  # type: ignore[arg-type]
    kept = [i for i, s in enumerate(ids) if found[s] != -1]
    assert adjusted_rand_score(fine[kept], [found[ids[i]] for i in kept]) > 0.9
    quality = current_quality(db)
    assert quality is not None and quality["clusters"] == result.clusters and quality["model"] == MODEL
    assert quality["dbcv"] == result.dbcv and quality["silhouette"] == result.silhouette > 0.3
    assert 0 <= quality["noise_share"] == result.noise_share < 0.2


def test_scaled_sizes_and_ranking_rules() -> None:
    assert min_cluster_sizes(20_000) == (50, 100, 200) and min_cluster_sizes(3_000) == (8, 15, 30)
    assert min_cluster_sizes(100) == (4, 5, 6)  # three candidates, not three sizes rounded onto one floor
    assert target_clusters(20_000) == (15, 150) and target_clusters(300) == (7, 60) and target_clusters(97) == (2, 19)
    # Neighbours and min_samples follow the family size: the demo's 97 skills get 5 and 1, 20,000 skills 15 and 10.
    assert [neighbour_count(n) for n in (20, 97, 500, 900, 20_000)] == [5, 5, 11, 15, 15]
    assert [min_samples(m) for m in (4, 5, 15, 50, 200)] == [1, 1, 3, 10, 10]
    # Two catch-all clusters with the better raw score (as DBCV can give) still lose to tens of clusters.
    catch_all = {"clusters": 2, "admissible": False, "score": 0.9}
    coherent = {"clusters": 40, "admissible": True, "score": -0.2}
    assert _rank(coherent, 15, 150) > _rank(catch_all, 15, 150)
    # With no admissible result, the nearest to the range wins.
    many = {"clusters": 400, "admissible": False, "score": 1.0}
    near = {"clusters": 160, "admissible": False, "score": -1.0}
    assert _rank(near, 15, 150) > _rank(many, 15, 150)


def test_second_level_splits_each_family(db: Database) -> None:
    vectors, family, fine, members = bridged_families(4, 4, 20)
    ids = store_vectors(db, vectors)
    result = cluster_skills(db, model=MODEL, n_neighbors=(40,), min_cluster_size=(60,))
    assert result.clusters == 4 and result.metrics["subclusters"] >= 12
    points = {p["skill_id"]: p for p in cluster_map(db)}
    top = [points[s]["cluster"] for s in ids]
    # The four clusters are the four families, not any four groups of skills.
    assert adjusted_rand_score(family, top) > 0.9
    kept = [i for i, s in enumerate(ids) if points[s]["subcluster"] not in (None, -1)]
    assert len(kept) > 0.8 * len(ids)
    core = [i for i in kept if members[i]]
    assert adjusted_rand_score(fine[core], [points[ids[i]]["subcluster"] for i in core]) > 0.9
    parents = {c.cluster: c.parent for c in result.sublabels}
    assert all(parents[points[ids[i]]["subcluster"]] == points[ids[i]]["cluster"] for i in kept)
    assert all(points[ids[i]]["subcluster_label"].startswith("habilidad") for i in kept)
    # No postings name these skills: each label starts with its cluster's most central member.
    for label in result.labels + result.sublabels:
        assert label.label.startswith(f"habilidad {label.central_skills[0]}")
