"""Families of skills: UMAP then HDBSCAN over the skill vectors, in two levels, stored as a versioned run.

The grid of HDBSCAN ``min_cluster_size`` grows with the vocabulary (about n/400, n/200 and n/100 skills,
see :func:`min_cluster_sizes`) so that 20,000 skills give tens of families, not a thousand. The other two
scales follow the family size too, so that a small vocabulary (the demo's hundred skills) is not read at the
scale of a large one: UMAP's ``n_neighbors`` is about √n/2 up to its default of 15 (:func:`neighbour_count`),
and HDBSCAN's ``min_samples`` a fifth of ``min_cluster_size`` up to 10 (:func:`min_samples`). Each result
is scored by DBCV (HDBSCAN's relative validity, in the reduced space), the silhouette of the clustered
skills in the original cosine space, the share of noise and the share of the largest cluster:
``score = dbcv + silhouette - noise_share - largest_share``. Only results whose number of clusters
lies in the target range (:func:`target_clusters`: 15-150 from a few thousand skills on) and whose
largest cluster holds at most half the clustered skills compete, so two catch-all clusters can never
beat tens of coherent ones. When the best result is not better than chance (silhouette under
``min_silhouette``) the skills are reported as noise instead of as invented groups.

UMAP keeps together only what its neighbour graph joins: groups of skills with no neighbour edge between
them are laid out independently, so how close they land (and which of them a large ``min_cluster_size``
lumps together) means nothing and varies with the library versions. Families are therefore found where
in-between skills link their groups, as in real vocabularies (the 20,000 ESCO labels of
``benchmarks/analysis.py`` form one connected graph at 15 neighbours). Isolated groups smaller than
``min_cluster_size`` are lumped with whichever land nearby or left as noise; such a result has few
clusters and a low silhouette, so the selection above prefers a size that keeps the groups apart.

Each cluster large enough is split once more by HDBSCAN on its members' reduced coordinates (the
second level, ``clusters.parent``). Clusters and sub-clusters are labelled with their most demanded
and most central skills; a 2-D UMAP map gives the report its cluster chart. The quality figures
(``dbcv``, ``silhouette``, ``noise_share``, ``clusters``, ``subclusters``, ``largest_share``) are
on the result and in ``analysis_runs.metrics`` (see :func:`current_quality`).

Re-runs are incremental: when the embedded vocabulary grew by less than ``recluster_share`` since the
current run, the new skills join the cluster (and sub-cluster) of their nearest neighbours (pgvector
kNN) and the run is kept; a larger change, a current run of an older ``VERSION``, or ``force`` triggers a
full re-clustering.
"""

from __future__ import annotations

import logging
import math
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
from observatory.skills.normalize import fold_key
from observatory.storage import Database, upsert
from observatory.storage.models import AnalysisRun, ClusterAssignment, SkillCluster

log = logging.getLogger(__name__)

KIND = "clusters"
VERSION = "umap-hdbscan-3"
NOISE = -1
# Sub-cluster s of cluster c is stored as cluster number SUBCLUSTER_BASE * (c + 1) + s.
SUBCLUSTER_BASE = 1000
QUALITY_FIELDS = ("dbcv", "silhouette", "noise_share", "clusters", "subclusters", "largest_share", "skills")


@dataclass(frozen=True)
class ClusterLabel:
    """One cluster (or sub-cluster, with ``parent`` set) of one run."""

    cluster: int
    label: str
    size: int
    central_skills: list[str]
    top_demanded_skills: list[str]
    parent: int | None = None


@dataclass
class ClusterRunResult:
    """What a clustering call produced or reused.

    ``dbcv``, ``silhouette`` and ``noise_share`` are the quality figures of the chosen partition
    (``None`` when nothing was clustered); ``labels`` holds the top level, ``sublabels`` the second.
    """

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
    sublabels: list[ClusterLabel] = field(default_factory=list)

    @property
    def dbcv(self) -> float | None:
        value = self.metrics.get("dbcv")
        return None if value is None else float(value)

    @property
    def silhouette(self) -> float | None:
        value = self.metrics.get("silhouette")
        return None if value is None else float(value)

    @property
    def quality(self) -> dict[str, Any]:
        """The figures a report's method section shows (see ``QUALITY_FIELDS``)."""
        return {k: self.metrics.get(k) for k in QUALITY_FIELDS}


def target_clusters(n: int) -> tuple[int, int]:
    """How many top-level clusters a readable result of ``n`` skills has: 15-150 from 750 skills on.

    The upper bound keeps five skills a family on average: a hundred skills may show 20 families, e.g. health
    beside case records or accounting beside sales, which a bound of twelve (n/8) merged into their neighbours.
    """
    low = max(2, min(15, n // 40))
    high = max(low, min(150, n // 5))
    return low, high


def min_cluster_sizes(n: int) -> tuple[int, ...]:
    """HDBSCAN ``min_cluster_size`` candidates scaled with the vocabulary (20,000 skills: 50, 100, 200).

    Under 1,600 skills n/400 rounds below the floors: the floors (4, 5 and 6 skills) keep three candidates
    apart, so a hundred skills still get a choice between finer and coarser families.
    """
    return tuple(sorted({max(floor, round(n / d)) for floor, d in ((4, 400), (5, 200), (6, 100))}))


def neighbour_count(n: int) -> int:
    """UMAP ``n_neighbors`` for ``n`` skills: √n/2, at least 5 and at most UMAP's default 15 (reached at 900).

    A neighbourhood larger than a family joins every skill to other families: with 15 neighbours among the
    demo's 97 skills (families of 4-10) the graph mixes them, and only the coarsest split survives.
    """
    return max(5, min(15, round(math.sqrt(n) / 2)))


def min_samples(min_cluster_size: int) -> int:
    """HDBSCAN ``min_samples``: a fifth of ``min_cluster_size``, 1 to 10 (50 skills and more: 10, as before).

    A core distance measured to the k-th neighbour reaches outside any family smaller than k: with 5 samples
    the families of 4-6 skills of a small vocabulary merge or fall into noise.
    """
    return max(1, min(10, min_cluster_size // 5))


def cluster_skills(
    db: Database,
    settings: Settings | None = None,
    *,
    model: str | None = None,
    n_neighbors: Sequence[int] | None = None,
    min_cluster_size: Sequence[int] | None = None,
    n_components: int = 5,
    seed: int = 42,
    min_silhouette: float = 0.05,
    min_skills: int = 20,
    recluster_share: float = 0.05,
    force: bool = False,
) -> ClusterRunResult:
    """Cluster the skill vectors of ``model`` (default: the configured one) and store the run.

    ``n_neighbors`` defaults to :func:`neighbour_count` and ``min_cluster_size`` to :func:`min_cluster_sizes`
    of the vocabulary. Fewer than
    ``min_skills`` vectors give a run where every skill is noise, with the reason in the metrics,
    rather than an error.
    """
    started = time.perf_counter()
    model = model or _default_model(db, settings)
    current = _current_run(db, model)
    # A run of another version was made with other parameters (or over vectors since re-embedded): redo it.
    if current is not None and not force and current.version == VERSION:
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
        n_neighbors=n_neighbors if n_neighbors else (neighbour_count(len(ids)),),
        min_cluster_size=min_cluster_size if min_cluster_size else min_cluster_sizes(len(ids)),
        n_components=n_components,
        seed=seed,
        min_silhouette=min_silhouette,
        min_skills=min_skills,
    )
    result.seconds = time.perf_counter() - started
    log.info(
        "clustered %d skills of %s: %d clusters, %s sub-clusters, %.0f%% noise, DBCV %s (run %s)",
        result.skills,
        model,
        result.clusters,
        result.metrics.get("subclusters"),
        100 * result.noise_share,
        result.metrics.get("dbcv"),
        result.run_id,
    )
    return result


def current_quality(db: Database, model: str | None = None) -> dict[str, Any] | None:
    """Quality figures of the current clustering run (of ``model``, default the newest), for reports."""
    sql = (
        "SELECT id, params, metrics FROM analysis_runs WHERE kind = :kind AND is_current "
        "AND (CAST(:model AS text) IS NULL OR params->>'model' = :model) ORDER BY id DESC LIMIT 1"
    )
    with db.engine.connect() as conn:
        row = conn.execute(text(sql), {"kind": KIND, "model": model}).first()
    if row is None:
        return None
    metrics = row.metrics or {}
    quality = {k: metrics.get(k) for k in QUALITY_FIELDS}
    quality.update(run_id=row.id, model=(row.params or {}).get("model"), chosen=(row.params or {}).get("chosen"))
    quality["reason"] = metrics.get("reason")  # why there are no clusters, when there are none
    return quality


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
    low, high = target_clusters(n)
    params: dict[str, Any] = {
        "model": model,
        "version": VERSION,
        "grid": {"n_neighbors": list(n_neighbors), "min_cluster_size": list(min_cluster_size)},
        "target_clusters": [low, high],
        "n_components": n_components,
        "seed": seed,
        "min_silhouette": min_silhouette,
    }
    labels = np.full(n, NOISE, dtype=int)
    sublabels = np.full(n, NOISE, dtype=int)
    split: set[int] = set()
    probabilities = np.zeros(n)
    metrics: dict[str, Any] = {"skills": n, "dbcv": None, "silhouette": None, "largest_share": None}
    coords = np.zeros((n, 2))
    if n < min_skills:
        metrics["reason"] = f"too few skills to cluster ({n} < {min_skills})"
        coords = _pca_2d(vectors) if n >= 2 else coords
    else:
        best, best_reduced, search = search_partitions(
            vectors, n_neighbors=n_neighbors, min_cluster_size=min_cluster_size, n_components=n_components, seed=seed
        )
        metrics["search"] = search
        params["chosen"] = {"n_neighbors": best["n_neighbors"], "min_cluster_size": best["min_cluster_size"]}
        metrics.update({k: best[k] for k in ("dbcv", "silhouette", "score", "largest_share", "admissible")})
        if best["clusters"] >= 2 and best["silhouette"] >= min_silhouette:
            labels, probabilities = best["labels"], best["probabilities"]
            sublabels, split = _second_level(best_reduced, labels, best["min_cluster_size"])
        else:
            metrics["reason"] = (
                f"no cluster structure: best silhouette {best['silhouette']:.3f} < {min_silhouette} "
                f"or fewer than 2 clusters ({best['clusters']})"
            )
        coords = _umap(vectors, best["n_neighbors"], 2, seed, min_dist=0.1)
    clusters = sorted(set(labels.tolist()) - {NOISE})
    noise_share = float(np.mean(labels == NOISE)) if n else 1.0
    subclusters = sorted(set(sublabels.tolist()) - {NOISE})
    metrics.update({"clusters": len(clusters), "subclusters": len(subclusters), "noise_share": noise_share})
    names, demand = _names(db), _demand_counts(db)
    cluster_labels = _label_clusters(names, demand, ids, vectors, labels, clusters)
    sub_labels = _label_clusters(names, demand, ids, vectors, sublabels, subclusters, parent_of=labels)
    stored_sub = [sublabels[i] if labels[i] in split else None for i in range(n)]
    run_id = _store(db, params, metrics, ids, labels, stored_sub, probabilities, coords, cluster_labels + sub_labels)
    return ClusterRunResult(
        run_id, model, n, len(clusters), noise_share, params, metrics, cluster_labels, sublabels=sub_labels
    )


def search_partitions(
    vectors: np.ndarray,
    *,
    n_neighbors: Sequence[int],
    min_cluster_size: Sequence[int],
    n_components: int = 5,
    seed: int = 42,
) -> tuple[dict[str, Any], np.ndarray, list[dict[str, Any]]]:
    """Run the grid (at least 4 vectors); return the best trial (with ``labels``), its reduced space, every trial."""
    n = len(vectors)
    low, high = target_clusters(n)
    search = []
    best: dict[str, Any] | None = None
    best_reduced = np.zeros((0, 0))
    for nn in sorted(set(n_neighbors)):
        nn_eff = max(2, min(nn, n - 1))
        reduced = _umap(vectors, nn_eff, min(n_components, n - 2), seed, min_dist=0.0)
        for mcs in sorted(set(min_cluster_size)):
            mcs_eff = max(2, min(mcs, n // 4))
            trial = _hdbscan(reduced, vectors, mcs_eff, seed)
            trial.update({"n_neighbors": nn_eff, "min_cluster_size": mcs_eff, "min_samples": min_samples(mcs_eff)})
            trial["admissible"] = low <= trial["clusters"] <= high and trial["largest_share"] <= 0.5
            search.append({k: v for k, v in trial.items() if k not in ("labels", "probabilities")})
            if best is None or _rank(trial, low, high) > _rank(best, low, high):
                best, best_reduced = trial, reduced
    if best is None:
        raise ValueError("empty clustering grid: give at least one n_neighbors and one min_cluster_size")
    return best, best_reduced, search


def _rank(trial: dict[str, Any], low: int, high: int) -> tuple[bool, float, float]:
    """Admissible results first, then the nearest to the target range, then the best score."""
    count = trial["clusters"]
    distance = 0 if low <= count <= high else min(abs(count - low), abs(count - high))
    return (bool(trial["admissible"]), -float(distance), float(trial["score"]))


def _second_level(reduced: np.ndarray, labels: np.ndarray, top_mcs: int) -> tuple[np.ndarray, set[int]]:
    """Split each large cluster once by HDBSCAN on its members' reduced coordinates."""
    import hdbscan

    sublabels = np.full(len(labels), NOISE, dtype=int)
    split: set[int] = set()
    for c in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == c)
        mcs = max(5, min(top_mcs // 2, len(members) // 8))
        if len(members) < 3 * mcs:
            continue
        found = hdbscan.HDBSCAN(min_cluster_size=mcs, min_samples=min(mcs, 5)).fit_predict(reduced[members])
        if len(set(found.tolist()) - {NOISE}) < 2:
            continue
        split.add(c)
        sublabels[members] = np.where(found == NOISE, NOISE, SUBCLUSTER_BASE * (c + 1) + found)
    return sublabels, split


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

    clusterer = hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size, min_samples=min_samples(min_cluster_size), gen_min_span_tree=True
    )
    labels = clusterer.fit_predict(reduced)
    n_clusters = len(set(labels.tolist()) - {NOISE})
    noise_share = float(np.mean(labels == NOISE))
    kept = np.flatnonzero(labels != NOISE)
    largest_share = float(np.bincount(labels[kept]).max() / len(kept)) if len(kept) else 1.0
    dbcv = silhouette = -1.0
    if n_clusters >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dbcv = float(clusterer.relative_validity_)
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
        "largest_share": largest_share,
        "dbcv": dbcv,
        "silhouette": silhouette,
        "score": dbcv + silhouette - noise_share - largest_share,
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
    names: dict[str, str],
    demand: dict[str, int],
    ids: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    clusters: list[int],
    *,
    parent_of: np.ndarray | None = None,
) -> list[ClusterLabel]:
    """Label = the most demanded member (when postings name any), then the most central ones; 3 names."""
    out = []
    for c in clusters:
        members = np.flatnonzero(labels == c)
        centroid = vectors[members].mean(axis=0)
        centrality = vectors[members] @ centroid
        order = members[np.argsort(-centrality, kind="stable")]
        central = [ids[i] for i in order[:3]]
        rank = {ids[i]: r for r, i in enumerate(order)}
        # Demand first; among equally demanded skills (e.g. none in postings yet) the more central wins.
        demanded = sorted((ids[i] for i in members), key=lambda s: (-demand.get(s, 0), rank[s]))[:3]
        leading = [demanded[0]] if demand.get(demanded[0], 0) > 0 else []
        picked: list[str] = []
        seen: set[str] = set()
        for skill in [*leading, *(ids[i] for i in order)]:
            key = fold_key(names.get(skill, skill))
            if key not in seen:  # one name per concept: "Python" and "python" are one
                seen.add(key)
                picked.append(skill)
            if len(picked) == 3:
                break
        label = " · ".join(names.get(s, s) for s in picked)
        parent = int(parent_of[members[0]]) if parent_of is not None else None
        out.append(ClusterLabel(c, label, len(members), central, demanded, parent))
    return out


def _store(
    db: Database,
    params: dict[str, Any],
    metrics: dict[str, Any],
    ids: list[str],
    labels: np.ndarray,
    sublabels: list[int | None],
    probabilities: np.ndarray,
    coords: np.ndarray,
    cluster_labels: list[ClusterLabel],
) -> int:
    with db.session() as session:
        session.execute(
            update(AnalysisRun)
            .where(AnalysisRun.kind == KIND, AnalysisRun.params["model"].astext == params["model"])
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
                    "parent": c.parent,
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
                    "subcluster": None if sublabels[i] is None else int(sublabels[i]),  # type: ignore[arg-type]
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
            sizes.update(r["subcluster"] for r in rows if r["subcluster"] not in (None, NOISE))
            for cluster, added in sizes.items():
                session.execute(
                    text("UPDATE clusters SET size = size + :n WHERE run_id = :r AND cluster = :c"),
                    {"n": added, "r": run.id, "c": cluster},
                )
            metrics["incremental_added"] = int(metrics.get("incremental_added", 0)) + len(rows)
            metrics["skills"] = assigned + len(rows)
            session.execute(update(AnalysisRun).where(AnalysisRun.id == run.id).values(metrics=metrics))
    stored = _stored_labels(db, int(run.id))
    labels = [c for c in stored if c.parent is None]
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
        sublabels=[c for c in stored if c.parent is not None],
    )


def _attach(db: Database, run_id: int, model: str, skill_id: str, vector: np.ndarray) -> dict[str, Any]:
    neighbours = [s for s in nearest_to_vector(db, model, vector, k=11) if s.skill_id != skill_id][:10]
    with db.engine.connect() as conn:
        placed = {
            r.skill_id: r
            for r in conn.execute(
                text(
                    "SELECT skill_id, cluster, subcluster, x, y FROM cluster_assignments "
                    "WHERE run_id = :r AND skill_id = ANY(:ids)"
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
    # The sub-cluster: the same vote among the neighbours placed in the chosen cluster (when it was split).
    sub_votes: dict[int, float] = {}
    for s in neighbours:
        row = placed.get(s.skill_id)
        if row is not None and int(row.cluster) == cluster and row.subcluster is not None:
            sub_votes[int(row.subcluster)] = sub_votes.get(int(row.subcluster), 0.0) + max(s.similarity, 1e-6)
    subcluster = max(sub_votes, key=lambda c: (sub_votes[c], -c)) if sub_votes else None
    return {
        "run_id": run_id,
        "skill_id": skill_id,
        "cluster": cluster,
        "subcluster": subcluster,
        "probability": None,
        "x": x / weight_sum if weight_sum else None,
        "y": y / weight_sum if weight_sum else None,
    }


def _stored_labels(db: Database, run_id: int) -> list[ClusterLabel]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT cluster, label, size, central_skills, top_demanded_skills, parent FROM clusters "
                "WHERE run_id = :r ORDER BY cluster"
            ),
            {"r": run_id},
        ).all()
    return [
        ClusterLabel(r.cluster, r.label, r.size, list(r.central_skills), list(r.top_demanded_skills), r.parent)
        for r in rows
    ]


def cluster_map(db: Database, run_id: int | None = None, *, language: str = "es") -> list[dict[str, Any]]:
    """Skills of a run (default: the newest current one) with x, y, cluster and cluster label, for charts.

    ``subcluster`` / ``subcluster_label`` give the second level (``None`` where the cluster was not split).
    """
    column = {"es": "name_es", "en": "name_en"}.get(language, "name_es")
    sql = f"""
        SELECT a.skill_id, COALESCE(NULLIF(cs.{column}, ''), cs.name) AS skill, a.cluster, a.x, a.y,
               COALESCE(c.label, 'noise') AS cluster_label, a.subcluster,
               CASE WHEN a.subcluster IS NULL THEN NULL ELSE COALESCE(sc.label, 'noise') END AS subcluster_label
        FROM cluster_assignments a
        JOIN canonical_skills cs ON cs.id = a.skill_id
        LEFT JOIN clusters c ON c.run_id = a.run_id AND c.cluster = a.cluster
        LEFT JOIN clusters sc ON sc.run_id = a.run_id AND sc.cluster = a.subcluster
        WHERE a.run_id = COALESCE(:r, (SELECT max(id) FROM analysis_runs WHERE kind = :kind AND is_current))
        ORDER BY a.skill_id
    """
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), {"r": run_id, "kind": KIND})]
