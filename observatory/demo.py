"""The offline demo: every stage of the pipeline on the bundled snapshot, on the configured database.

crawl (real spiders against the snapshot served on 127.0.0.1) → load → extract → embed → cluster →
trends → HTML + PDF + CSV/Parquet report. Re-running is safe: each stage only adds what is new.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.table import Table

from observatory.config import Settings
from observatory.storage import Database
from observatory.storage.migrate import current_revision

T = TypeVar("T")


def _timed(console: Console, name: str, timings: dict[str, float], work: Callable[[], T]) -> T:
    started = time.perf_counter()
    with console.status(f"[bold]{name}[/] …"):
        result = work()
    timings[name] = round(time.perf_counter() - started, 1)
    return result


def run_demo(db: Database, settings: Settings, console: Console, output: Path | None = None) -> dict[str, Any]:
    """Run the whole pipeline on the bundled snapshot, print what each stage did, return a summary."""
    from observatory.analysis.clusters import cluster_skills
    from observatory.embeddings import embed_skills
    from observatory.reporting import build_report
    from observatory.scraping.demo import crawl_snapshot
    from observatory.skills.store import extract_postings

    started = time.perf_counter()
    timings: dict[str, float] = {}
    summary: dict[str, Any] = {"schema": current_revision(db), "database": db.safe_url}
    console.print(f"[bold]database[/] {db.safe_url} (schema {summary['schema']})")

    loads = _timed(console, "crawl + load", timings, lambda: crawl_snapshot(db, settings))
    crawl = Table("source", "received", "new", "updated", "unchanged", "near-duplicates", "invalid", title="crawl")
    for key, s in loads.items():
        crawl.add_row(key, *(str(v) for v in (s.received, s.new, s.updated, s.unchanged, s.duplicates, s.invalid)))
    console.print(crawl)
    summary["crawl"] = {k: s.as_dict() for k, s in loads.items()}

    extraction = _timed(console, "extract skills", timings, lambda: extract_postings(db))
    top = ", ".join(f"{name} ({n})" for name, n in extraction.top_skills.most_common(8))
    console.print(
        f"[bold]extract[/] {extraction.postings} new postings, {extraction.mentions} skill mentions "
        f"({extraction.mentions_per_posting:.1f} per posting); top: {top or '—'}"
    )
    summary["extract"] = {"postings": extraction.postings, "mentions": extraction.mentions}

    embedded = _timed(console, "embed skills", timings, lambda: embed_skills(db, settings))
    console.print(
        f"[bold]embed[/] {embedded.encoded} skills encoded, {embedded.cached} cached, model {embedded.model}"
        + (" (offline fallback)" if embedded.fallback else "")
    )
    summary["embed"] = {"encoded": embedded.encoded, "cached": embedded.cached, "model": embedded.model}

    clusters = _timed(console, "cluster skills", timings, lambda: cluster_skills(db, settings))
    console.print(
        f"[bold]cluster[/] {clusters.skills} skills → {clusters.clusters} clusters, "
        f"noise {clusters.noise_share:.0%} ({clusters.mode})"
    )
    summary["cluster"] = {"clusters": clusters.clusters, "noise_share": clusters.noise_share}

    report = _timed(console, "trends + report", timings, lambda: build_report(db, settings, out_dir=output))
    console.print(f"[bold]report[/] {report.html}")
    console.print(f"[bold]      [/] {report.pdf}")
    console.print(f"[bold]      [/] {len(report.data)} CSV/Parquet tables in {report.folder / 'data'}")
    summary["report"] = {"html": str(report.html), "pdf": str(report.pdf) if report.pdf else None}

    summary["timings"] = timings
    summary["seconds"] = round(time.perf_counter() - started, 1)
    steps = ", ".join(f"{k} {v} s" for k, v in timings.items())
    console.print(f"[green]demo finished[/] in {summary['seconds']} s ({steps})")
    console.print("Explore the lineage with [bold]observatory ui[/] (Dagster on http://127.0.0.1:3000).")
    return summary
