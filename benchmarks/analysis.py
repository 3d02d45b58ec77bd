"""Benchmark of the analysis stage: embedding rate, clustering 20,000 real skill names, incremental re-run.

Runs on a private embedded database in a temporary folder:

1. a vocabulary of ``--skills`` distinct skill names: the ESCO preferred labels of
   ``../shared/esco/v1.0/skills_es.csv`` then ``skills_en-us.csv`` (13,485 concepts in each language;
   the script stops with a message when ``../shared`` is absent), and ``--postings`` invented postings
   (4 skills each, Zipf-like popularity) over three months;
2. full run: embed every skill with the configured model (default: multilingual USE v3), cluster (UMAP +
   HDBSCAN, two levels), compute demand tables (and a report); print the clusters' count, noise share,
   DBCV and silhouette, the largest clusters' labels, a cross-language check (the English label of a
   concept as nearest neighbour of its Spanish label among all 20,000) and ``similar "análisis de datos"``;
3. add 1 % new postings (a few of them with new skills), then re-run the same steps and print the
   re-run time as a share of the full run (target ≤ 5 %).

Usage: ``python benchmarks/analysis.py [--skills 20000] [--postings 20000] [--no-report]``
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from observatory.analysis.clusters import cluster_skills
from observatory.analysis.trends import compute_demand
from observatory.config import load_settings
from observatory.embeddings import embed_skills, get_encoder, load_vectors, similar_skills
from observatory.reporting import build_report
from observatory.skills.normalize import fold_key
from observatory.storage import Database, posting_id, upsert
from observatory.storage.bootstrap import open_database
from observatory.storage.models import CanonicalSkill, ExtractionRun, Posting, SkillMention

ESCO_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "esco" / "v1.0"


def skill_names(n: int) -> list[tuple[str, str, str]]:
    """``n`` distinct (id, Spanish name, English name) triples from ESCO labels, Spanish ones first.

    A Spanish label gives a skill with only a Spanish name, an English label one with only an English
    name: both forms of a concept are in the vocabulary, as when postings in both languages are read.
    """
    if not ESCO_DIR.is_dir():
        raise SystemExit(f"skipped: {ESCO_DIR} is absent (the ESCO CSVs of ../shared give the 20,000 names)")
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for language in ("es", "en-us"):
        with (ESCO_DIR / f"skills_{language}.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                label = row["preferredLabel"].strip()
                if not label or fold_key(label) in seen:
                    continue
                seen.add(fold_key(label))
                concept = row["conceptUri"].rsplit("/", 1)[-1]
                lang = language[:2]
                out.append((f"esco-{lang}-{concept}", label if lang == "es" else "", label if lang == "en" else ""))
                if len(out) == n:
                    return out
    raise SystemExit(f"at most {len(out)} distinct ESCO labels")


def skill_rows(skills: list[tuple[str, str, str]]) -> list[dict[str, str | None]]:
    return [{"id": i, "name": es or en, "name_es": es or None, "name_en": en or None} for i, es, en in skills]


def write_postings(db: Database, skills: list[str], n: int, start: int, rng: random.Random) -> None:
    """``n`` postings (ids from ``start``) with 4 skills each, Zipf-like popularity, three months."""
    weights = [1 / (i + 1) ** 0.8 for i in range(len(skills))]
    postings, mentions, runs = [], [], []
    for k in range(start, start + n):
        pid = posting_id("computrabajo", f"b{k}")
        month = 8 + k % 3
        postings.append(
            {
                "id": pid, "source_key": "co-computrabajo", "portal": "computrabajo", "country": "co",
                "native_id": f"b{k}", "title": f"Cargo {k}", "region": ["Bogotá D.C.", "Antioquia", "Valle"][k % 3],
                "date_posted": datetime(2026, month, 1 + k % 28, tzinfo=UTC), "content_hash": f"{k:064d}", "raw": {},
            }
        )  # fmt: skip
        for j, skill in enumerate(dict.fromkeys(rng.choices(skills, weights=weights, k=4))):
            mentions.append(
                {
                    "posting_id": pid, "skill_id": skill, "start": j * 20, "end": j * 20 + 10, "surface": skill,
                    "method": "bench", "importance": "required" if j == 0 else None, "confidence": 1.0,
                    "extractor_version": "bench-1",
                }
            )  # fmt: skip
        runs.append({"posting_id": pid, "extractor_version": "bench-1", "mentions": 4})
    with db.session() as session:
        upsert(session, Posting, postings, conflict=["id"])
        upsert(
            session, SkillMention, mentions, conflict=["posting_id", "skill_id", "start", "end", "extractor_version"]
        )
        upsert(session, ExtractionRun, runs, conflict=["posting_id", "extractor_version"])


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def cross_language(db: Database, model: str, skills: list[tuple[str, str, str]]) -> None:
    """Concepts with both labels in the vocabulary: is the English label the Spanish one's nearest neighbour?"""
    ids, vectors = load_vectors(db, model)
    row = {skill_id: i for i, skill_id in enumerate(ids)}
    pairs = [
        (row[f"esco-es-{concept}"], row[f"esco-en-{concept}"])
        for concept in (s[0].removeprefix("esco-es-") for s in skills if s[0].startswith("esco-es-"))
        if f"esco-en-{concept}" in row and f"esco-es-{concept}" in row
    ]
    if not pairs:
        print("  cross-language: no concept with both labels in the vocabulary")
        return
    sample = random.Random(11).sample(pairs, min(1000, len(pairs)))
    spanish = np.array([p[0] for p in sample])
    similarity = vectors[spanish] @ vectors.T
    similarity[np.arange(len(sample)), spanish] = -np.inf
    top = np.argsort(-similarity, axis=1)[:, :5]
    english = np.array([p[1] for p in sample])
    top1 = float(np.mean(top[:, 0] == english))
    top5 = float(np.mean((top == english[:, None]).any(axis=1)))
    print(
        f"  cross-language ESCO: English label is the Spanish label's nearest neighbour among {len(ids)} skills "
        f"in {top1:.1%} of {len(sample)} concepts (top 5: {top5:.1%})"
    )


def timed(label: str, fn: Callable[[], Any], times: dict[str, float]) -> Any:
    started = time.perf_counter()
    result = fn()
    times[label] = time.perf_counter() - started
    print(f"  {label:<28} {times[label]:8.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skills", type=int, default=20_000)
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--no-report", action="store_true", help="leave the report out of both runs")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="observatory-bench-") as tmp:
        settings = load_settings(data_dir=Path(tmp), database_url=None)
        db = open_database(settings)
        try:
            vocabulary = skill_names(args.skills + max(1, args.skills // 200))
            base, extra = vocabulary[: args.skills], vocabulary[args.skills :]
            with db.session() as session:
                upsert(session, CanonicalSkill, skill_rows(base), conflict=["id"])
            write_postings(db, [s[0] for s in base], args.postings, 0, rng)
            get_encoder(settings)  # model load is per process, not per run
            print(f"full run: {args.skills} skills, {args.postings} postings")
            full: dict[str, float] = {}
            stats = timed("embed", lambda: embed_skills(db, settings), full)
            result = timed("cluster (UMAP + HDBSCAN)", lambda: cluster_skills(db, settings), full)
            timed("demand and trends", lambda: compute_demand(db, country="co"), full)
            if not args.no_report:
                timed("report (HTML + PDF + data)", lambda: build_report(db, settings, country="co"), full)

            new_postings = max(1, args.postings // 100)
            with db.session() as session:
                upsert(session, CanonicalSkill, skill_rows(extra), conflict=["id"])
            write_postings(db, [s[0] for s in base[:2000]] + [s[0] for s in extra], new_postings, args.postings, rng)
            print(f"re-run after {new_postings} new postings (1 %) bringing {len(extra)} new skills")
            rerun: dict[str, float] = {}
            again = timed("embed", lambda: embed_skills(db, settings), rerun)
            inc = timed("cluster", lambda: cluster_skills(db, settings), rerun)
            timed("demand and trends", lambda: compute_demand(db, country="co"), rerun)
            if not args.no_report:
                timed("report (HTML + PDF + data)", lambda: build_report(db, settings, country="co"), rerun)

            print("\nfigures")
            print(
                f"  skills embedded per second    {stats.per_second:8.1f}  ({stats.encoded} in {stats.seconds:.1f} s)"
            )
            print(
                f"  UMAP+HDBSCAN, {result.skills} skills {full['cluster (UMAP + HDBSCAN)']:8.1f} s  "
                f"(grid of {len(result.metrics.get('search', []))}, chosen {result.params.get('chosen')})"
            )
            quality = result.quality
            print(
                f"  clusters {quality['clusters']} (target {result.params.get('target_clusters')}), "
                f"sub-clusters {quality['subclusters']}, noise share {result.noise_share:.1%}, "
                f"DBCV {_fmt(result.dbcv)}, silhouette {_fmt(result.silhouette)}, "
                f"largest cluster {_fmt(quality['largest_share'])} of the clustered skills"
            )
            for trial in result.metrics.get("search", []):
                print(
                    f"    min_cluster_size {trial['min_cluster_size']:>4}: {trial['clusters']:>4} clusters, "
                    f"noise {trial['noise_share']:.1%}, DBCV {trial['dbcv']:.3f}, "
                    f"silhouette {trial['silhouette']:.3f}, largest {trial['largest_share']:.2f}, "
                    f"score {trial['score']:.3f}, admissible {trial['admissible']}"
                )
            print("  largest clusters:")
            for label in sorted(result.labels, key=lambda c: -c.size)[:12]:
                subs = sum(1 for c in result.sublabels if c.parent == label.cluster)
                print(f"    {label.size:>5} skills, {subs:>2} sub-clusters: {label.label}")
            cross_language(db, stats.model, vocabulary[: args.skills])
            print('  similar "análisis de datos":')
            for hit in similar_skills(db, settings, "análisis de datos", k=10):
                print(f"    {hit.similarity:.3f}  {hit.name}")
            print(f"  re-run: {again.encoded} skills encoded, clustering {inc.mode}")
            pipeline = ("embed", "demand and trends")
            full_pipe = full["embed"] + full["cluster (UMAP + HDBSCAN)"] + full["demand and trends"]
            re_pipe = sum(rerun[k] for k in pipeline) + rerun["cluster"]
            print(f"  re-run / full (embed+cluster+trends) {100 * re_pipe / full_pipe:6.2f} %  (target ≤ 5 %)")
            if not args.no_report:
                print(f"  re-run / full (including report)     {100 * sum(rerun.values()) / sum(full.values()):6.2f} %")
        finally:
            db.close()


if __name__ == "__main__":
    main()
