"""The offline demo: the real asset graph materialised on the project's Dagster instance, crawling the bundled
snapshot (served on 127.0.0.1) instead of the portals.

esco_taxonomy → raw_postings + extracted_skills (one run per source over the snapshot's days) → embeddings,
clusters, trends → reports. Each stage is printed from its run's events; ``observatory ui`` then shows every
asset materialised. Re-running is safe: each stage only adds what is new, and the demo says so.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import dagster as dg
from rich.console import Console
from rich.table import Table

from observatory.config import Settings
from observatory.storage import Database
from observatory.storage.migrate import current_revision


class DemoError(RuntimeError):
    """A stage of the demo failed; the message says which and why."""


def snapshot_days() -> dict[str, tuple[str, str]]:
    """Per snapshot source, its first and last posting day (a day of slack each side for time zones): the range
    of day partitions its crawl run covers. Every partition of a range costs Dagster events, so none is wider
    than the source's own postings."""
    from observatory.scraping.snapshot.data import build_postings

    today = datetime.now(UTC).date()
    posted: dict[str, list[datetime]] = {}
    for posting in build_postings():
        posted.setdefault(posting.source, []).append(posting.posted)
    return {
        source: (
            (min(days) - timedelta(days=1)).date().isoformat(),
            min((max(days) + timedelta(days=1)).date(), today).isoformat(),
        )
        for source, days in posted.items()
    }


def run_demo(db: Database, settings: Settings, console: Console) -> dict[str, Any]:
    """Materialise the asset graph on the snapshot, print what each stage did, return a summary."""
    from observatory.definitions import build_definitions
    from observatory.defs.partitions import ALL_SCOPE, PARTITIONS_START, day_key
    from observatory.defs.resources import SnapshotCrawler
    from observatory.defs.runs import RunSummary, project_instance, run_assets
    from observatory.scraping.snapshot import SNAPSHOT_SOURCES
    from observatory.sources import SOURCES

    started = time.perf_counter()
    timings: dict[str, float] = {}
    summary: dict[str, Any] = {"schema": current_revision(db), "database": db.safe_url, "runs": 0}
    console.print(f"[bold]database[/] {db.safe_url} (schema {summary['schema']})")
    defs = build_definitions(crawler=SnapshotCrawler())
    start = PARTITIONS_START.isoformat()
    days = {key: (max(first, start), last) for key, (first, last) in snapshot_days().items() if key in SNAPSHOT_SOURCES}
    first, last = min(d[0] for d in days.values()), max(d[1] for d in days.values())

    def stage(name: str, selection: list[str], **kwargs: Any) -> RunSummary:
        began = time.perf_counter()
        with console.status(f"[bold]{name}[/] …"):
            result = run_assets(defs, instance, selection, **kwargs)
        timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - began, 1)
        summary["runs"] += 1
        if not result.success:
            raise DemoError(f"{name} failed (run {result.run_id}): " + "; ".join(result.failures))
        return result

    def materialised(*assets: str) -> bool:
        return all(instance.get_latest_materialization_event(dg.AssetKey(a)) is not None for a in assets)

    with project_instance(settings, db.url) as instance:
        esco = stage("taxonomy", ["esco_taxonomy"])
        meta = esco.metadata.get("esco_taxonomy", {})
        console.print(f"[bold]taxonomy[/] ESCO {meta.get('esco_version') or '—'} ({meta.get('source', 'imported')})")

        crawl = Table(
            "source", "items", "new", "updated", "unchanged", "near-dup.", "invalid", "extracted", title="crawl"
        )
        new_total = extracted_total = mentions_total = 0
        for source_key, (source_first, source_last) in days.items():
            # One run per source over its days: crawl, load, extract and normalise (a single-run backfill).
            run = stage(
                "crawl + extract + normalise",
                ["raw_postings", "extracted_skills", "normalized_skills"],
                partition_range=(str(day_key(source_key, source_first)), str(day_key(source_key, source_last))),
            )
            raw, skills = run.metadata["raw_postings"], run.metadata["extracted_skills"]
            crawl.add_row(
                source_key,
                *(str(raw[k]) for k in ("items", "new", "updated", "unchanged", "duplicates", "invalid")),
                str(skills["new_postings"]),
            )
            new_total += int(raw["new"])
            extracted_total += int(skills["new_postings"])
            mentions_total += int(skills["mentions"]) if skills["new_postings"] else 0
        console.print(crawl)
        console.print(f"[bold]extract[/] {extracted_total} new postings, skill mentions in all: {mentions_total}")

        changed = bool(new_total or extracted_total)
        downstream = ("skill_embeddings", "skill_clusters", "skill_demand", "latest_report", "monthly_report")
        checked: list[RunSummary] = [esco]
        report: dict[str, Any] = {}
        if changed or not materialised(*downstream):
            analysis = stage("embed + cluster", ["skill_embeddings", "skill_clusters"])
            emb, clu = analysis.metadata["skill_embeddings"], analysis.metadata["skill_clusters"]
            console.print(
                f"[bold]embed[/] {emb['encoded']} skills encoded, {emb['cached']} cached, model {emb['model']}"
                + (" (offline fallback)" if emb["fallback_model"] else "")
            )
            console.print(
                f"[bold]cluster[/] {clu['skills']} skills → {clu['clusters']} clusters, "
                f"noise {clu['noise_share']:.0%} ({clu['mode']})"
            )
            # Every month × source in one run (a rectangle of partitions): sources without postings store empty cells.
            months = (first[:7] + "-01", last[:7] + "-01")
            sources = sorted(SOURCES)
            run = stage(
                "demand",
                ["skill_demand"],
                partition_range=(f"{months[0]}|{sources[0]}", f"{months[1]}|{sources[-1]}"),
            )
            demand_rows = int(run.metadata["skill_demand"]["demand_rows"])
            console.print(
                f"[bold]demand[/] {demand_rows} month × source × skill rows ({months[0][:7]}..{months[1][:7]})"
            )

            reports = stage("reports", ["latest_report"])
            report = reports.metadata["latest_report"]
            console.print(f"[bold]report[/] {report.get('html')} ({report.get('reports')} scopes)")
            period = str(report.get("period") or last[:7])
            # The monthly report of that month for all countries (each country is one more partition of it).
            monthly = stage("reports", ["monthly_report"], partition_key=f"{period}-01|{ALL_SCOPE}")
            checked += [analysis, reports, monthly]
        failed = [name for result in checked for name, ok in result.checks.items() if not ok]

    summary.update(
        new_postings=new_total,
        extracted=extracted_total,
        timings=timings,
        seconds=round(time.perf_counter() - started, 1),
        report=report.get("html"),
        failed_checks=failed,
    )
    steps = ", ".join(f"{k} {v} s" for k, v in timings.items())
    if not changed:
        console.print(
            "[yellow]nothing new[/]: the snapshot was already loaded and extracted; embeddings, clusters, demand "
            "and reports are up to date"
        )
    console.print(f"[green]demo finished[/] in {summary['seconds']} s, {summary['runs']} Dagster runs ({steps})")
    console.print("Every asset is materialised: [bold]observatory assets[/], or [bold]observatory ui[/] for the UI.")
    return summary
