"""Skill families by vocabulary size: the skills of the real postings of ../shared, clustered as the pipeline does.

The postings of ``../shared/postings`` go through the extractor; the skills named in most postings are taken at each
of ``--sizes`` (default 100, 500 and 3,000; ``0`` means all of them, about 19,000), embedded by the packaged
multilingual model (:func:`observatory.embeddings.encode_skills`, the mean of each skill's names) and clustered by
:func:`observatory.analysis.clusters.search_partitions` with the default grid of that size. For each size it prints
the parameters, every trial (clusters, noise share, largest cluster's share, DBCV, silhouette, score) and the
largest families with their most demanded skills. ``--joined`` embeds each skill's names joined ("ventas / sales"),
the vectors used before the mean, for comparison.

Needs ../shared (reference material); the project's own tests never do. UMAP on 20,000 skills takes minutes.
Usage: ``python benchmarks/clusters.py [--sizes 100 500 3000] [--joined]``
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import warnings
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def posting_skills() -> list[tuple[str, list[str], int]]:
    """(skill id, names, postings naming it) of each skill found in the real postings, most named first."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from extract import load_postings

    from observatory.embeddings import skill_names
    from observatory.skills.extractor import SkillExtractor
    from observatory.skills.real_postings import shared_postings_dir
    from observatory.skills.vocabulary import default_vocabulary

    postings = load_postings(shared_postings_dir())
    started = time.perf_counter()
    counts: dict[str, int] = {}
    found: dict[str, tuple[str, str | None]] = {}
    for result in SkillExtractor().extract_many([(p["description"], p["title"]) for p in postings], batch_size=256):
        for skill_id, name, uri in {(m.skill_id, m.name, m.esco_uri) for m in result.mentions}:
            found.setdefault(skill_id, (name, uri))
            counts[skill_id] = counts.get(skill_id, 0) + 1
    print(f"{len(postings):,} postings: {len(found):,} distinct skills in {time.perf_counter() - started:.0f} s")
    vocabulary = {entry.id: entry for entry in default_vocabulary()}
    with open(SHARED / "esco" / "v1.0" / "skills_en-us.csv", encoding="utf-8") as f:
        english = {row["conceptUri"]: row["preferredLabel"] for row in csv.DictReader(f)}
    out = []
    for skill_id, (name, uri) in found.items():
        entry = vocabulary.get(skill_id)
        name_es = entry.name_es if entry else None
        name_en = (entry.name_en if entry else None) or english.get(uri or "")
        out.append((skill_id, skill_names(name, name_es, name_en), counts[skill_id]))
    return sorted(out, key=lambda s: (-s[2], s[0]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 3000])
    parser.add_argument("--joined", action="store_true", help="embed the names joined, as before the mean")
    parser.add_argument("--families", type=int, default=10, help="largest families printed per size")
    args = parser.parse_args()
    from observatory.skills.real_postings import MissingPostingsError, shared_postings_files

    try:
        shared_postings_files(required=True)
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None
    warnings.simplefilter("ignore")
    from observatory.analysis.clusters import min_cluster_sizes, min_samples, neighbour_count, search_partitions
    from observatory.embeddings import encode_skills
    from observatory.embeddings.model import load_encoder, use_choice

    skills = posting_skills()
    encoder = load_encoder(use_choice("packaged multilingual model"))
    for size in args.sizes:
        chosen = skills[:size] if size > 0 else skills
        n = len(chosen)
        started = time.perf_counter()
        names = [s[1] for s in chosen]
        vectors = encoder.encode([" / ".join(x) for x in names]) if args.joined else encode_skills(encoder, names)
        encoded = time.perf_counter() - started
        grid = min_cluster_sizes(n)
        best, _, search = search_partitions(vectors, n_neighbors=(neighbour_count(n),), min_cluster_size=grid)
        seconds = time.perf_counter() - started - encoded
        print(
            f"\n{n:,} skills (each in {chosen[-1][2]}+ postings), {'joined names' if args.joined else 'mean'}: "
            f"encoded in {encoded:.0f} s, clustered in {seconds:.0f} s; n_neighbors {neighbour_count(n)}, "
            f"min_cluster_size {list(grid)}, min_samples {[min_samples(m) for m in grid]}"
        )
        for trial in search:
            mark = "*" if trial["min_cluster_size"] == best["min_cluster_size"] else " "
            print(
                f" {mark} min_cluster_size {trial['min_cluster_size']:4d}: {trial['clusters']:4d} clusters, "
                f"noise {trial['noise_share']:.2f}, largest {trial['largest_share']:.2f}, DBCV {trial['dbcv']:.3f}, "
                f"silhouette {trial['silhouette']:.3f}, score {trial['score']:.3f}"
                + ("" if trial["admissible"] else " (outside the target range)")
            )
        labels = best["labels"]
        sizes = np.bincount(labels[labels >= 0])
        for cluster in np.argsort(-sizes)[: args.families]:
            members = np.flatnonzero(labels == cluster)[:8]  # most demanded first: the list is sorted by postings
            print(f"   {sizes[cluster]:4d}: " + ", ".join(chosen[i][1][0] for i in members))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
