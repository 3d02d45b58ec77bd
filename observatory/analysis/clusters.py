"""Families of skills: UMAP then HDBSCAN over the skill vectors, stored as a versioned analysis run.

A small grid of (``n_neighbors``, ``min_cluster_size``) is searched with fixed seeds and each result
is scored by DBCV (HDBSCAN's relative validity), the silhouette of the clustered skills in the
original cosine space, and the share of noise: ``score = dbcv + silhouette - noise_share``. When the
best result is not better than chance (silhouette under ``min_silhouette``) the skills are reported as
noise instead of as invented groups. Each cluster is labelled with its most demanded and most
central skills; a 2-D UMAP map gives the report its cluster chart.

Re-runs are incremental: when the embedded vocabulary grew by less than ``recluster_share`` since the
current run, the new skills join the cluster of their nearest neighbours (pgvector kNN) and the run is
kept; a larger change (or ``force``) triggers a full re-clustering.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import text, update

from observatory.analysis.queries import ANALYSED_POSTINGS, POSTING_SKILLS, refresh_statistics
from observatory.config import Settings
from observatory.embeddings.store import load_vectors, nearest_to_vector
from observatory.storage import Database, upsert
from observatory.storage.models import AnalysisRun, ClusterAssignment, SkillCluster

log = logging.getLogger(__name__)

KIND = "clusters"
VERSION = "umap-hdbscan-1"
NOISE = -1


@dataclass(frozen=True)
class ClusterLabel:
    """One cluster of one run."""

    cluster: int
    label: str
    size: int
    central_skills: list[str]
    top_demanded_skills: list[str]


@dataclass
class ClusterRunResult:
    """What a clustering call produced or reused."""

    run_id: int | None
    model: str
    skills: int
    clusters: int
    noise_share: float
    params: dict[str, Any]
    metrics: dict[str, Any]
    labels: list[ClusterLabel] = field(default_factory=list)
    mode: str = "full"  # "full", "incremental" (new skills attached) or "unchanged"
    seconds: float = 0.0


def cluster_skills(
    db: Database,
    settings: Settings | None = None,
    *,
    model: str | None = None,
    n_neighbors: Sequence[int] = (10, 15),
    min_cluster_size: Sequence[int] = (5, 10),
    n_components: int = 5,
    seed: int = 42,
    min_silhouette: float = 0.05,
    min_skills: int = 20,
    recluster_share: float = 0.05,
    force: bool = False,
) -> ClusterRunResult:
    """Cluster the skill vectors of ``model`` (default: the configured one) and store the run.

    Fewer than ``min_skills`` vectors give a run where every skill is noise, with the reason in the
    metrics, rather than an error.
    """
    started = time.perf_counter()
    model = model or _default_model(db, settings)
    current = _current_run(db, model)
    if current is not None and not force:
        result = _incremental(db, current, model, recluster_share)
        if result is not None:
            result.seconds = time.perf_counter() - started
            return result
    ids, vectors = load_vectors(db, model)
    result = _full_run(
        db,
        model,
        ids,
        vectors,
        n_neighbors=n_neighbors,
        min_cluster_size=min_cluster_size,
        n_components=n_components,
        seed=seed,
        min_silhouette=min_silhouette,
        min_skills=min_skills,
    )
    result.seconds = time.perf_counter() - started
    log.info(
        "clustered %d skills of %s: %d clusters, %.0f%% noise (run %s)",
        result.skills,
        model,
        result.clusters,
        100 * result.noise_share,
        result.run_id,
    )
    return result


def _default_model(db: Database, settings: Settings | None) -> str:
    if settings is not None:
        from observatory.embeddings.model import resolve_model

        return resolve_model(settings).name
    with db.engine.connect() as conn:
        found = conn.execute(
            text("SELECT model FROM skill_embeddings GROUP BY model ORDER BY count(*) DESC LIMIT 1")
        ).scalar()
    if found is None:
        raise ValueError("no skill embeddings stored: run the embedding step first")
    return str(found)


def _current_run(db: Database, model: str) -> AnalysisRun | None:
    with db.session() as session:
        return (
            session.query(AnalysisRun)
            .filter(AnalysisRun.kind == KIND, AnalysisRun.is_current.is_(True))
            .filter(AnalysisRun.params["model"].astext == model)
            .order_by(AnalysisRun.id.desc())
            .first()
        )


# --- full run -----------------------------------------------------------------------------------


def _full_run(
    db: Database,
    model: str,
    ids: list[str],
    vectors: np.ndarray,
    *,
    n_neighbors: Sequence[int],
    min_cluster_size: Sequence[int],
    n_components: int,
    seed: int,
    min_silhouette: float,
    min_skills: int,
) -> ClusterRunResult:
    n = len(ids)
    params: dict[str, Any] = {
        "model": model,
        "version": VERSION,
        "grid": {"n_neighbors": list(n_neighbors), "min_cluster_size": list(min_cluster_size)},
        "n_components": n_components,
        "seed": seed,
        "min_silhouette": min_silhouette,
    }
    labels = np.full(n, NOISE, dtype=int)
    probabilities = np.zeros(n)
    metrics: dict[str, Any] = {"skills": n}
    coords = np.zeros((n, 2))
    if n < min_skills:
        metrics["reason"] = f"too few skills to cluster ({n} < {min_skills})"
        coords = _pca_2d(vectors) if n >= 2 else coords
    else:
        search = []
        best: dict[str, Any] | None = None
        for nn in sorted(set(n_neighbors)):
            nn_eff = max(2, min(nn, n - 1))
            reduced = _umap(vectors, nn_eff, min(n_components, n - 2), seed, min_dist=0.0)
            for mcs in sorted(set(min_cluster_size)):
                mcs_eff = max(2, min(mcs, n // 4))
                trial = _hdbscan(reduced, vectors, mcs_eff, seed)
                trial.update({"n_neighbors": nn_eff, "min_cluster_size": mcs_eff})
                search.append({k: v for k, v in trial.items() if k not in ("labels", "probabilities")})
                if best is None or trial["score"] > best["score"]:
                    best = trial
        assert best is not None
        metrics["search"] = search
        params["chosen"] = {"n_neighbors": best["n_neighbors"], "min_cluster_size": best["min_cluster_size"]}
        metrics.update({k: best[k] for k in ("dbcv", "silhouette", "score")})
        if best["clusters"] >= 2 and best["silhouette"] >= min_silhouette:
            labels, probabilities = best["labels"], best["probabilities"]
        else:
            metrics["reason"] = (
                f"no cluster structure: best silhouette {best['silhouette']:.3f} < {min_silhouette} "
                f"or fewer than 2 clusters ({best['clusters']})"
            )
        coords = _umap(vectors, best["n_neighbors"], 2, seed, min_dist=0.1)
    clusters = sorted(set(labels.tolist()) - {NOISE})
    noise_share = float(np.mean(labels == NOISE)) if n else 1.0
    metrics.update({"clusters": len(clusters), "noise_share": noise_share})
    cluster_labels = _label_clusters(db, ids, vectors, labels, clusters)
    run_id = _store(db, model, params, metrics, ids, labels, probabilities, coords, cluster_labels)
    return ClusterRunResult(run_id, model, n, len(clusters), noise_share, params, metrics, cluster_labels)


def _umap(vectors: np.ndarray, n_neighbors: int, n_components: int, seed: int, *, min_dist: float) -> np.ndarray:
    import umap

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "n_jobs overridden by random_state": determinism wins
        reducer = umap.UMAP(
            n_neighbors=n_neighbors,
            n_components=max(1, n_components),
            min_dist=min_dist,
            metric="cosine",
            random_state=seed,
            init="spectral" if len(vectors) > n_components + 1 else "random",
        )
        return np.asarray(reducer.fit_transform(vectors), dtype=np.float64)


def _hdbscan(reduced: np.ndarray, vectors: np.ndarray, min_cluster_size: int, seed: int) -> dict[str, Any]:
    import hdbscan
    from sklearn.metrics import silhouette_score

    clusterer = hdbscan.HDBSCAN(min_cluster_size=min_cluster_size, gen_min_span_tree=True)
    labels = clusterer.fit_predict(reduced)
    n_clusters = len(set(labels.tolist()) - {NOISE})
    noise_share = float(np.mean(labels == NOISE))
    dbcv = silhouette = -1.0
    if n_clusters >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dbcv = float(clusterer.relative_validity_)
        kept = np.flatnonzero(labels != NOISE)
        # The silhouette is quadratic in the points: a fixed-seed sample keeps it cheap on large vocabularies.
        sample = min(len(kept), 3000)
        silhouette = float(
            silhouette_score(vectors[kept], labels[kept], metric="cosine", sample_size=sample, random_state=seed)
        )
    return {
        "labels": labels,
        "probabilities": np.asarray(clusterer.probabilities_, dtype=float),
        "clusters": n_clusters,
        "noise_share": noise_share,
        "dbcv": dbcv,
        "silhouette": silhouette,
        "score": dbcv + silhouette - noise_share,
    }


def _pca_2d(vectors: np.ndarray) -> np.ndarray:
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    out = centred @ vt[:2].T
    return np.pad(out, ((0, 0), (0, 2 - out.shape[1]))) if out.shape[1] < 2 else out


def _demand_counts(db: Database) -> dict[str, int]:
    refresh_statistics(db)
    sql = f"""
        SELECT ps.skill_id, count(*) AS n FROM ({POSTING_SKILLS}) ps
        JOIN ({ANALYSED_POSTINGS}) p ON p.id = ps.posting_id GROUP BY ps.skill_id
    """
    with db.engine.connect() as conn:
        return {r.skill_id: int(r.n) for r in conn.execute(text(sql), {"country": None})}


def _names(db: Database) -> dict[str, str]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, COALESCE(NULLIF(name_es, ''), name) AS name FROM canonical_skills"))
        return {r.id: r.name for r in rows}


def _label_clusters(
    db: Database, ids: list[str], vectors: np.ndarray, labels: np.ndarray, clusters: list[int]
) -> list[ClusterLabel]:
    if not clusters:
        return []
    names = _names(db)
    demand = _demand_counts(db)
    out = []
    for c in clusters:
        members = np.flatnonzero(labels == c)
        centroid = vectors[members].mean(axis=0)
        order = members[np.argsort(-(vectors[members] @ centroid), kind="stable")]
        central = [ids[i] for i in order[:3]]
        demanded = sorted((ids[i] for i in members), key=lambda s: (-demand.get(s, 0), s))[:3]
        picked: list[str] = []
        for skill in (demanded[0], central[0], central[1] if len(central) > 1 else None):
            if skill is not None and skill not in picked:
                picked.append(skill)
        label = " · ".join(names.get(s, s) for s in picked)
        out.append(ClusterLabel(c, label, len(members), central, demanded))
    return out


def _store(
    db: Database,
    model: str,
    params: dict[str, Any],
    metrics: dict[str, Any],
    ids: list[str],
    labels: np.ndarray,
    probabilities: np.ndarray,
    coords: np.ndarray,
    cluster_labels: list[ClusterLabel],
) -> int:
    with db.session() as session:
        session.execute(
            update(AnalysisRun)
            .where(AnalysisRun.kind == KIND, AnalysisRun.params["model"].astext == model)
            .values(is_current=False)
        )
        run = AnalysisRun(kind=KIND, version=VERSION, params=params, metrics=metrics, is_current=True)
        session.add(run)
        session.flush()
        run_id = int(run.id)
        upsert(
            session,
            SkillCluster,
            [
                {
                    "run_id": run_id,
                    "cluster": c.cluster,
                    "label": c.label,
                    "size": c.size,
                    "central_skills": c.central_skills,
                    "top_demanded_skills": c.top_demanded_skills,
                }
                for c in cluster_labels
            ],
            conflict=["run_id", "cluster"],
        )
        upsert(
            session,
            ClusterAssignment,
            (
                {
                    "run_id": run_id,
                    "skill_id": skill_id,
                    "cluster": int(labels[i]),
                    "probability": float(probabilities[i]),
                    "x": float(coords[i, 0]),
                    "y": float(coords[i, 1]),
                }
                for i, skill_id in enumerate(ids)
            ),
            conflict=["run_id", "skill_id"],
        )
    return run_id


# --- incremental run ----------------------------------------------------------------------------


def _incremental(db: Database, run: AnalysisRun, model: str, recluster_share: float) -> ClusterRunResult | None:
    """Attach new skills to the current run when few; ``None`` means a full run is needed."""
    with db.engine.connect() as conn:
        assigned = int(
            conn.execute(text("SELECT count(*) FROM cluster_assignments WHERE run_id = :r"), {"r": run.id}).scalar_one()
        )
        new = conn.execute(
            text(
                "SELECT e.skill_id, e.embedding FROM skill_embeddings e WHERE e.model = :m AND NOT EXISTS "
                "(SELECT 1 FROM cluster_assignments a WHERE a.run_id = :r AND a.skill_id = e.skill_id) "
                "ORDER BY e.skill_id"
            ),
            {"m": model, "r": run.id},
        ).all()
    if assigned == 0 or len(new) > recluster_share * assigned:
        return None
    metrics = dict(run.metrics or {})
    if new:
        from observatory.embeddings.store import _as_array

        rows = []
        for skill_id, embedding in new:
            rows.append(_attach(db, int(run.id), model, skill_id, _as_array(embedding)))
        with db.session() as session:
            upsert(session, ClusterAssignment, rows, conflict=["run_id", "skill_id"])
            sizes = Counter(r["cluster"] for r in rows if r["cluster"] != NOISE)
            for cluster, added in sizes.items():
                session.execute(
                    text("UPDATE clusters SET size = size + :n WHERE run_id = :r AND cluster = :c"),
                    {"n": added, "r": run.id, "c": cluster},
                )
            metrics["incremental_added"] = int(metrics.get("incremental_added", 0)) + len(rows)
            metrics["skills"] = assigned + len(rows)
            session.execute(update(AnalysisRun).where(AnalysisRun.id == run.id).values(metrics=metrics))
    labels = _stored_labels(db, int(run.id))
    with db.engine.connect() as conn:
        noise = conn.execute(
            text("SELECT avg((cluster = -1)::int) FROM cluster_assignments WHERE run_id = :r"), {"r": run.id}
        ).scalar()
    return ClusterRunResult(
        int(run.id),
        model,
        int(metrics.get("skills", assigned)),
        len(labels),
        float(noise or 0.0),
        dict(run.params or {}),
        metrics,
        labels,
        mode="incremental" if new else "unchanged",
    )


def _attach(db: Database, run_id: int, model: str, skill_id: str, vector: np.ndarray) -> dict[str, Any]:
    neighbours = [s for s in nearest_to_vector(db, model, vector, k=11) if s.skill_id != skill_id][:10]
    with db.engine.connect() as conn:
        placed = {
            r.skill_id: r
            for r in conn.execute(
                text(
                    "SELECT skill_id, cluster, x, y FROM cluster_assignments WHERE run_id = :r AND skill_id = ANY(:ids)"
                ),
                {"r": run_id, "ids": [s.skill_id for s in neighbours]},
            )
        }
    votes: dict[int, float] = {}
    weight_sum, x, y = 0.0, 0.0, 0.0
    for s in neighbours:
        row = placed.get(s.skill_id)
        if row is None:
            continue
        w = max(s.similarity, 1e-6)
        votes[int(row.cluster)] = votes.get(int(row.cluster), 0.0) + w
        weight_sum += w
        x += w * (row.x or 0.0)
        y += w * (row.y or 0.0)
    cluster = max(votes, key=lambda c: (votes[c], -c)) if votes else NOISE
    return {
        "run_id": run_id,
        "skill_id": skill_id,
        "cluster": cluster,
        "probability": None,
        "x": x / weight_sum if weight_sum else None,
        "y": y / weight_sum if weight_sum else None,
    }


def _stored_labels(db: Database, run_id: int) -> list[ClusterLabel]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT cluster, label, size, central_skills, top_demanded_skills FROM clusters "
                "WHERE run_id = :r ORDER BY cluster"
            ),
            {"r": run_id},
        ).all()
    return [ClusterLabel(r.cluster, r.label, r.size, list(r.central_skills), list(r.top_demanded_skills)) for r in rows]


def cluster_map(db: Database, run_id: int | None = None, *, language: str = "es") -> list[dict[str, Any]]:
    """Skills of a run (default: the newest current one) with x, y, cluster and cluster label, for charts."""
    column = {"es": "name_es", "en": "name_en"}.get(language, "name_es")
    sql = f"""
        SELECT a.skill_id, COALESCE(NULLIF(cs.{column}, ''), cs.name) AS skill, a.cluster, a.x, a.y,
               COALESCE(c.label, 'noise') AS cluster_label
        FROM cluster_assignments a
        JOIN canonical_skills cs ON cs.id = a.skill_id
        LEFT JOIN clusters c ON c.run_id = a.run_id AND c.cluster = a.cluster
        WHERE a.run_id = COALESCE(:r, (SELECT max(id) FROM analysis_runs WHERE kind = :kind AND is_current))
        ORDER BY a.skill_id
    """
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), {"r": run_id, "kind": KIND})]
