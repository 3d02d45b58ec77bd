"""Crawl the bundled snapshot with the real spiders (child processes) and load it: the demo's scraping stage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from observatory.config import Settings
from observatory.scraping.load import LoadStats, load_postings
from observatory.scraping.runner import fast_test_overrides, run_crawl
from observatory.scraping.snapshot import SNAPSHOT_SOURCES, serve_snapshot
from observatory.storage import Database


def crawl_snapshot(
    db: Database,
    settings: Settings,
    sources: tuple[str, ...] = SNAPSHOT_SOURCES,
    progress: Callable[[str, LoadStats], None] | None = None,
) -> dict[str, LoadStats]:
    """Serve the snapshot on 127.0.0.1, crawl each of its sources, load the postings; stats per source."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    results: dict[str, LoadStats] = {}
    with serve_snapshot(sources) as snapshot:
        for key in sources:
            output = Path(settings.data_dir) / "crawls" / key / f"snapshot-{stamp}.jsonl"
            result = run_crawl(
                key,
                max_pages=10,
                base_url=snapshot.base_url(key),
                output=output,
                settings=settings,
                overrides=fast_test_overrides(),
            )
            stats = load_postings(db, result.postings(), key, f"snapshot:{key}:{stamp}", crawl_summary=result.summary)
            results[key] = stats
            if progress:
                progress(key, stats)
    return results
