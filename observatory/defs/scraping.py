"""Dagster layer of the scraping stage: ``raw_postings`` (source × posting day), its checks, schedule and sensor.

A partition holds the postings of one source *posted* on one day (else first seen that day): the same rule
for the crawl, the landing sensor, ``observatory ingest`` and extraction. The crawl runs in a child process
through the ``crawler`` resource (live portals or the offline snapshot). Crawls started elsewhere (``scrapy
crawl``, Scrapyd) drop JSON lines, CSV or JSON (gzipped or not) in ``<data_dir>/landing/<source>/``;
:data:`new_scrape_sensor` loads each file, records the days it filled as materialisations of ``raw_postings`` and
starts one extraction run per file.
"""

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
from sqlalchemy import select

from observatory.defs.partitions import (
    PARTITIONS_START,
    day_key,
    partition_range_tags,
    partition_slices,
    source_daily_partitions,
)
from observatory.defs.resources import ObservatoryDatabase, PostingsCrawler
from observatory.scraping.load import (
    LoadStats,
    landing_files,
    landing_key,
    load_landing_file,
    load_postings,
    unreadable_key,
)
from observatory.scraping.readers import IngestError
from observatory.scraping.runner import CrawlError
from observatory.sources import SOURCES
from observatory.storage.models import Posting

GROUP = "scraping"
MIN_VALID_RATIO = 0.9
MIN_DESCRIBED_SHARE = 0.8
MIN_IN_WINDOW_SHARE = 0.9

VALID_RATIO = "valid_ratio"
DESCRIPTIONS = "descriptions_present"
DATES_IN_WINDOW = "dates_in_window"


class RawPostingsConfig(dg.Config):
    """How the run's partitions are crawled."""

    query: str | None = None
    max_pages: int | None = None
    lookback_days: int = 1  # the window is [first day - lookback_days, last day + 1)
    incremental: bool = True


def _md(counts: dict[str, Any]) -> dg.MetadataValue:
    if not counts:
        return dg.MetadataValue.md("_none_")
    lines = ["| field | postings |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in sorted(counts.items())]
    return dg.MetadataValue.md("\n".join(lines))


def partition_checks(
    postings: list[dict[str, Any]], valid: int, invalid: int, since: date | None, until: date
) -> list[dg.AssetCheckResult]:
    """Valid ratio, non-empty descriptions and posting dates inside the crawl window."""
    checked = valid + invalid
    ratio = valid / checked if checked else 0.0
    described = sum(bool(p.get("description")) for p in postings)
    described_share = described / len(postings) if postings else 0.0
    dated = [p["date_posted"][:10] for p in postings if p.get("date_posted")]
    low = (since or PARTITIONS_START).isoformat()
    high = (until + timedelta(days=1)).isoformat()  # a day of slack for time zones
    inside = sum(low <= d <= high for d in dated)
    in_window = inside / len(dated) if dated else 1.0
    return [
        dg.AssetCheckResult(
            check_name=VALID_RATIO,
            passed=bool(checked and ratio >= MIN_VALID_RATIO),
            metadata={"valid": valid, "invalid": invalid, "ratio": dg.MetadataValue.float(round(ratio, 3))},
        ),
        dg.AssetCheckResult(
            check_name=DESCRIPTIONS,
            passed=bool(postings) and described_share >= MIN_DESCRIBED_SHARE,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"postings": len(postings), "with_description": described},
        ),
        dg.AssetCheckResult(
            check_name=DATES_IN_WINDOW,
            passed=in_window >= MIN_IN_WINDOW_SHARE,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "window": f"{low} .. {until.isoformat()}",
                "dated": len(dated),
                "inside": inside,
                "share": dg.MetadataValue.float(round(in_window, 3)),
            },
        ),
    ]


def _known_ids(database: ObservatoryDatabase, source_key: str, since: date) -> set[str]:
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    with database.get().session() as session:
        rows = session.execute(
            select(Posting.native_id).where(Posting.source_key == source_key, Posting.date_posted >= start)
        )
        return {r[0] for r in rows}


@dg.asset(
    partitions_def=source_daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name=GROUP,
    kinds={"scrapy", "postgres"},
    check_specs=[
        dg.AssetCheckSpec(VALID_RATIO, asset="raw_postings", description="Share of scraped items that validate."),
        dg.AssetCheckSpec(DESCRIPTIONS, asset="raw_postings", description="Postings with a non-empty description."),
        dg.AssetCheckSpec(DATES_IN_WINDOW, asset="raw_postings", description="Posting dates inside the window."),
    ],
    description="Postings of one source posted on one day (child-process Scrapy crawl, batch upsert). "
    "A crawl that fetches nothing fails.",
)
def raw_postings(
    context: dg.AssetExecutionContext,
    config: RawPostingsConfig,
    database: ObservatoryDatabase,
    crawler: PostingsCrawler,
) -> dg.MaterializeResult:
    settings = database.settings()
    db = database.get()
    all_postings: list[dict[str, Any]] = []
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    valid = invalid = 0
    days: Counter[str] = Counter()
    first = last = date.today()
    for source_key, (start, end) in partition_slices(context).items():
        first, last = start.date(), end.date() - timedelta(days=1)
        since = first - timedelta(days=config.lookback_days) if config.incremental else None
        label = first.isoformat() if first == last else f"{first}..{last}"
        output = Path(settings.data_dir) / "crawls" / source_key / f"{label}.jsonl"
        try:
            result = crawler.crawl(
                source_key,
                output=output,
                settings=settings,
                since=since,
                known_ids=_known_ids(database, source_key, since) if since else None,
                query=config.query,
                max_pages=config.max_pages,
            )
        except CrawlError as exc:
            # Unreachable, robots.txt, banned, client-rendered...: the partition fails with the reason in its metadata.
            failed = exc.result.summary if exc.result is not None else {}
            raise dg.Failure(
                description=str(exc)[:2000],
                metadata={
                    "source": source_key,
                    "reason": exc.reason,
                    "pages": int(failed.get("pages", 0)),
                    "finish_reason": str(failed.get("finish_reason")),
                },
            ) from exc
        postings = list(result.postings())
        summary = result.summary
        if not postings and not summary.get("incremental_stop"):
            # Nothing fetched (blocked, layout change, empty site): not a success that downstream would build on.
            raise dg.Failure(
                description=f"the crawl of {source_key} for {label} fetched no postings "
                f"({summary.get('pages', 0)} pages, finish reason {summary.get('finish_reason')!r})",
                metadata={"pages": summary.get("pages", 0), "log": dg.MetadataValue.path(str(result.log_path))},
            )
        run_key = f"dagster:{context.run_id}:{source_key}:{label}"
        stats = load_postings(db, postings, source_key, run_key, crawl_summary=summary)
        context.log.info(
            f"{source_key} {label}: {summary.get('pages')} pages, {len(postings)} postings, {stats.new} new, "
            f"{stats.updated} updated, {stats.duplicates} near-duplicates, {summary.get('invalid')} invalid"
        )
        _announce_other_days(context, source_key, stats, first, last)
        all_postings += postings
        days.update(stats.days)
        valid += int(summary.get("valid", 0))
        invalid += int(summary.get("invalid", 0))
        reasons.update({**summary.get("invalid_reasons", {}), **stats.invalid_reasons})
        missing.update(summary.get("missing", {}))
        totals.update(
            pages=int(summary.get("pages", 0)),
            new=stats.new,
            updated=stats.updated,
            unchanged=stats.unchanged,
            duplicates=stats.duplicates,
            invalid=int(summary.get("invalid", 0)) + stats.invalid,
            retries=int(summary.get("retries", 0)),
        )
    window_start = first - timedelta(days=config.lookback_days) if config.incremental else None
    return dg.MaterializeResult(
        metadata={
            "pages": totals["pages"],
            "items": len(all_postings),
            "new": totals["new"],
            "updated": totals["updated"],
            "unchanged": totals["unchanged"],
            "duplicates": totals["duplicates"],
            "invalid": totals["invalid"],
            "invalid_reasons": dg.MetadataValue.json(dict(reasons)),
            "missing_fields": _md(dict(missing)),
            "retries": totals["retries"],
            "posted_days": dg.MetadataValue.json(dict(sorted(days.items()))),
        },
        check_results=partition_checks(all_postings, valid, invalid, window_start, last),
    )


def _announce_other_days(
    context: dg.AssetExecutionContext, source_key: str, stats: LoadStats, first: date, last: date
) -> None:
    """Record the partitions of postings that fell outside the run's days (late or early), so extraction sees them."""
    today = datetime.now(UTC).date().isoformat()
    for day, count in stats.days.items():
        if (first.isoformat() <= day <= last.isoformat()) or not (PARTITIONS_START.isoformat() <= day <= today):
            continue
        context.log_event(
            dg.AssetMaterialization(
                asset_key="raw_postings", partition=str(day_key(source_key, day)), metadata={"postings": count}
            )
        )


raw_postings_job = dg.define_asset_job(
    "raw_postings_job",
    selection=dg.AssetSelection.assets(raw_postings),
    partitions_def=source_daily_partitions,
    description="Daily crawl of every source.",
)


@dg.schedule(
    job=raw_postings_job,
    cron_schedule="30 2 * * *",
    execution_timezone="UTC",
    description="Once a day, the day that just ended: one run per source.",
)
def raw_postings_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
    day = (context.scheduled_execution_time - timedelta(days=1)).date().isoformat()
    return [
        # The portal tag lets dagster.yaml's QueuedRunCoordinator run one crawl per portal at a time.
        dg.RunRequest(
            run_key=f"{day}|{key}",
            partition_key=str(day_key(key, day)),
            tags={"observatory/portal": SOURCES[key].portal},
        )
        for key in sorted(SOURCES)
    ]


def partition_days(stats: LoadStats) -> tuple[dict[str, int], dict[str, int]]:
    """Split a load's posting days into those inside the partitions and those before/after them."""
    low, high = PARTITIONS_START.isoformat(), datetime.now(UTC).date().isoformat()
    inside = {d: n for d, n in stats.days.items() if low <= d <= high}
    outside = {d: n for d, n in stats.days.items() if d not in inside}
    return inside, outside


def landed_partitions(source_key: str, stats: LoadStats, origin: str) -> tuple[list[dg.AssetMaterialization], dict]:
    """Materialisations of the ``raw_postings`` partitions a load filled, and the range run's tags for extraction."""
    inside, _ = partition_days(stats)
    events = [
        dg.AssetMaterialization(
            asset_key="raw_postings",
            partition=str(day_key(source_key, day)),
            metadata={"origin": origin, "postings": count, "run_key": stats.run_key},
        )
        for day, count in inside.items()
    ]
    tags = partition_range_tags(source_key, min(inside), max(inside)) if inside else {}
    return events, tags


@dg.sensor(
    minimum_interval_seconds=60,
    # The assets right below raw_postings share its partitions; further ones follow by automation.
    asset_selection=dg.AssetSelection.keys("raw_postings").downstream(depth=1, include_self=False),
    description="Loads postings files (JSON lines, CSV, JSON; gzipped or not) landed by crawls run outside Dagster; "
    "one extraction run per landed file; a file that cannot be read is skipped with its reason until it changes.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_scrape_sensor(context: dg.SensorEvaluationContext, database: ObservatoryDatabase) -> dg.SensorResult:
    seen: list[str] = json.loads(context.cursor) if context.cursor else []
    done = set(seen)
    settings = database.settings()
    events: list[dg.AssetMaterialization] = []
    requests: list[dg.RunRequest] = []
    problems: list[tuple[Path, str]] = []
    for source_key, path in landing_files(Path(settings.data_dir), problems):
        try:
            key, unreadable = landing_key(path), unreadable_key(path)
        except OSError as exc:  # gone since it was listed
            context.log.warning(f"{path}: skipped ({exc.strerror or exc})")
            continue
        if key in done or unreadable in done:
            continue
        try:
            stats = load_landing_file(database.get(), path, source_key)
        except (IngestError, OSError) as exc:
            # One unreadable file (permissions, a broken gzip, not JSON) loads nothing and must not stop the others;
            # it is remembered, so it is tried again once it changes rather than every tick.
            context.log.warning(f"{path}: skipped, cannot be read: {exc}")
            done.add(unreadable)
            seen.append(unreadable)
            continue
        context.log.info(stats.summary(str(path)))
        file_events, tags = landed_partitions(source_key, stats, str(path))
        events += file_events
        if tags:
            # One run per file over the days it filled (a single-run range), not one run per day.
            requests.append(dg.RunRequest(run_key=key, tags=tags))
        done.add(key)
        seen.append(key)
    for path, reason in problems:
        context.log.warning(f"{path}: skipped, {reason}")
    # The cursor keeps the last few thousand files: enough to never load one twice in practice.
    return dg.SensorResult(run_requests=requests, asset_events=events, cursor=json.dumps(seen[-5000:]))


defs = dg.Definitions(
    assets=[raw_postings], sensors=[new_scrape_sensor], schedules=[raw_postings_schedule], jobs=[raw_postings_job]
)
