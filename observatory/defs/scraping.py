"""Dagster layer of the scraping stage: ``raw_postings`` (source × day), its checks, schedule and landing sensor.

The crawl runs in a child process (:func:`observatory.scraping.runner.run_crawl`): Twisted's reactor
cannot restart inside the run worker. Crawls started elsewhere (``scrapy crawl``, Scrapyd) drop JSON lines
in ``<data_dir>/landing/<source>/``; :data:`new_scrape_sensor` loads them, records the partitions they
fill as materialisations of ``raw_postings`` and starts the downstream assets for those partitions.
"""

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
from sqlalchemy import select

from observatory.defs.partitions import PARTITIONS_START, source_daily_partitions, split_key
from observatory.defs.resources import ObservatoryDatabase
from observatory.scraping.load import landing_files, landing_key, load_landing_file, load_postings, read_jsonl
from observatory.scraping.runner import CrawlError, fast_test_overrides, run_crawl
from observatory.storage.models import Posting

GROUP = "scraping"
MIN_VALID_RATIO = 0.9
MIN_DESCRIBED_SHARE = 0.8
MIN_IN_WINDOW_SHARE = 0.9

VALID_RATIO = "valid_ratio"
DESCRIPTIONS = "descriptions_present"
DATES_IN_WINDOW = "dates_in_window"


class RawPostingsConfig(dg.Config):
    """How one partition is crawled."""

    query: str | None = None
    max_pages: int | None = None
    lookback_days: int = 1  # the window is [day - lookback_days, day + 1)
    incremental: bool = True
    base_url: str | None = None  # else OBSERVATORY_CRAWL__BASE_URLS, else the real site
    polite: bool = True  # False only for the loopback snapshot: no delays


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
    low = since.isoformat() if since else PARTITIONS_START
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
    group_name=GROUP,
    kinds={"scrapy", "postgres"},
    check_specs=[
        dg.AssetCheckSpec(VALID_RATIO, asset="raw_postings", description="Share of scraped items that validate."),
        dg.AssetCheckSpec(DESCRIPTIONS, asset="raw_postings", description="Postings with a non-empty description."),
        dg.AssetCheckSpec(DATES_IN_WINDOW, asset="raw_postings", description="Posting dates inside the window."),
    ],
    description="Postings of one source crawled on one day (child-process Scrapy crawl, batch upsert).",
)
def raw_postings(
    context: dg.AssetExecutionContext, config: RawPostingsConfig, database: ObservatoryDatabase
) -> dg.MaterializeResult:
    source_key, day = split_key(context)
    until = date.fromisoformat(day)
    since = until - timedelta(days=config.lookback_days) if config.incremental else None
    settings = database.settings()
    output = Path(settings.data_dir) / "crawls" / source_key / f"{day}.jsonl"
    try:
        result = run_crawl(
            source_key,
            query=config.query,
            max_pages=config.max_pages,
            base_url=config.base_url,
            output=output,
            settings=settings,
            since=since,
            known_ids=_known_ids(database, source_key, since) if since else None,
            overrides=None if config.polite else fast_test_overrides(),
        )
    except CrawlError as exc:
        raise dg.Failure(description=str(exc)[:2000]) from exc
    postings = list(result.postings())
    run_key = f"dagster:{context.run_id}:{source_key}:{day}"
    stats = load_postings(database.get(), postings, source_key, run_key, crawl_summary=result.summary)
    summary = result.summary
    context.log.info(
        f"{source_key} {day}: {summary.get('pages')} pages, {len(postings)} postings, {stats.new} new, "
        f"{stats.updated} updated, {stats.duplicates} near-duplicates, {summary.get('invalid')} invalid"
    )
    posted_days = Counter(p["date_posted"][:10] for p in postings if p.get("date_posted"))
    return dg.MaterializeResult(
        metadata={
            "pages": summary.get("pages", 0),
            "items": len(postings),
            "new": stats.new,
            "updated": stats.updated,
            "unchanged": stats.unchanged,
            "duplicates": stats.duplicates,
            "invalid": int(summary.get("invalid", 0)) + stats.invalid,
            "invalid_reasons": dg.MetadataValue.json({**summary.get("invalid_reasons", {}), **stats.invalid_reasons}),
            "missing_fields": _md(summary.get("missing", {})),
            "retries": summary.get("retries", 0),
            "incremental_stop": bool(summary.get("incremental_stop")),
            "posted_days": dg.MetadataValue.json(dict(sorted(posted_days.items()))),
            "seconds": result.seconds,
            "output": dg.MetadataValue.path(str(result.output)),
        },
        check_results=partition_checks(
            postings, int(summary.get("valid", 0)), int(summary.get("invalid", 0)), since, until
        ),
    )


raw_postings_job = dg.define_asset_job(
    "raw_postings_job",
    selection=dg.AssetSelection.assets(raw_postings),
    partitions_def=source_daily_partitions,
    description="Daily crawl of every source.",
)
# Once a day, for the day that just ended, one run per source (Dagster fills the static dimension).
raw_postings_schedule = dg.build_schedule_from_partitioned_job(raw_postings_job, hour_of_day=2, minute_of_hour=30)


def _partition_days(path: Path) -> Counter[str]:
    """Posting days of a landed file (those inside the partitions' range), counted."""
    today = datetime.now(UTC).date().isoformat()
    days: Counter[str] = Counter()
    for record in read_jsonl(path):
        posted = str(record.get("date_posted") or record.get("scraped_at") or "")[:10]
        if PARTITIONS_START <= posted <= today:
            days[posted] += 1
    return days


@dg.sensor(
    minimum_interval_seconds=60,
    # The assets right below raw_postings share its partitions; further ones follow by automation.
    asset_selection=dg.AssetSelection.keys("raw_postings").downstream(depth=1, include_self=False),
    description="Loads JSON lines landed by crawls run outside Dagster and starts the downstream partitions.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_scrape_sensor(context: dg.SensorEvaluationContext, database: ObservatoryDatabase) -> dg.SensorResult:
    seen: list[str] = json.loads(context.cursor) if context.cursor else []
    done = set(seen)
    settings = database.settings()
    events: list[dg.AssetMaterialization] = []
    requests: list[dg.RunRequest] = []
    for source_key, path in landing_files(Path(settings.data_dir)):
        key = landing_key(path)
        if key in done:
            continue
        stats = load_landing_file(database.get(), path, source_key)
        context.log.info(f"loaded {path}: {stats.new} new, {stats.updated} updated, {stats.invalid} invalid")
        for day, count in sorted(_partition_days(path).items()):
            partition = dg.MultiPartitionKey({"source": source_key, "date": day})
            events.append(
                dg.AssetMaterialization(
                    asset_key="raw_postings",
                    partition=partition,
                    metadata={"file": str(path), "postings": count, "new": stats.new, "invalid": stats.invalid},
                )
            )
            requests.append(dg.RunRequest(run_key=f"{key}|{day}", partition_key=partition))
        done.add(key)
        seen.append(key)
    # The cursor keeps the last few thousand files: enough to never load one twice in practice.
    return dg.SensorResult(run_requests=requests, asset_events=events, cursor=json.dumps(seen[-5000:]))


assets = [raw_postings]
asset_checks: list[dg.AssetChecksDefinition] = []
sensors = [new_scrape_sensor]
schedules = [raw_postings_schedule]
jobs = [raw_postings_job]
