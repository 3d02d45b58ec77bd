"""``raw_postings`` materialised by Dagster against the loopback snapshot; the landing sensor; definitions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
from sqlalchemy import func, select

from observatory.config import Settings
from observatory.defs import scraping
from observatory.defs.resources import ObservatoryDatabase, SnapshotCrawler
from observatory.scraping.snapshot import serve_snapshot
from observatory.storage import Database
from observatory.storage.models import Posting


def _resources(settings: Settings) -> dict[str, object]:
    return {"database": ObservatoryDatabase(data_dir=str(settings.data_dir)), "crawler": SnapshotCrawler()}


def _metadata(result: dg.ExecuteInProcessResult) -> dict[str, object]:
    (event,) = result.get_asset_materialization_events()
    return {k: v.value for k, v in event.step_materialization_data.materialization.metadata.items()}


def test_raw_postings_range_crawls_the_snapshot_once_and_checks(db: Database, settings: Settings) -> None:
    tags = {
        "dagster/asset_partition_range_start": "2026-06-01|co-elempleo",
        "dagster/asset_partition_range_end": "2026-11-28|co-elempleo",
    }
    full = dg.materialize(
        [scraping.raw_postings],
        resources=_resources(settings),
        tags=tags,
        run_config={"ops": {"raw_postings": {"config": {"incremental": False}}}},
    )
    assert full.success
    events = full.get_asset_materialization_events()
    assert len(events) == 181  # one run, every day of the range materialised
    meta = {k: v.value for k, v in events[-1].step_materialization_data.materialization.metadata.items()}
    assert (meta["items"], meta["new"], meta["invalid"]) == (13, 13, 0)
    assert "salary_min" in meta["missing_fields"]
    checks = {c.check_name: c.passed for c in full.get_asset_check_evaluations()}
    assert checks == {"valid_ratio": True, "descriptions_present": True, "dates_in_window": True}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Posting)) == 13


def test_crawl_that_fetches_nothing_fails_its_partition(db: Database, settings: Settings) -> None:
    key = dg.MultiPartitionKey({"source": "pe-bumeran", "date": "2026-11-27"})  # no snapshot for it
    result = dg.materialize(
        [scraping.raw_postings], partition_key=key, resources=_resources(settings), raise_on_error=False
    )
    assert not result.success
    assert not result.get_asset_materialization_events()


def test_landing_sensor_loads_each_file_once(db: Database, settings: Settings, tmp_path: Path) -> None:
    from observatory.scraping.runner import fast_test_overrides, run_crawl

    with serve_snapshot(("ar-bumeran",)) as snap:
        crawled = run_crawl(
            "ar-bumeran",
            base_url=snap.base_url("ar-bumeran"),
            output=tmp_path / "scrapyd-job.jsonl",
            settings=settings,
            max_pages=5,
            overrides=fast_test_overrides(),
        )
    landing = Path(settings.data_dir) / "landing" / "ar-bumeran"
    landing.mkdir(parents=True, exist_ok=True)
    shutil.copy(crawled.output, landing / "scrapyd-job.jsonl")
    with dg.build_sensor_context(resources=_resources(settings)) as context:
        result = scraping.new_scrape_sensor(context)
    assert isinstance(result, dg.SensorResult)
    posted = {p["date_posted"][:10] for p in crawled.postings()}
    # One materialisation per posting day, one extraction run for the whole file (a single-run range).
    assert {str(e.partition) for e in result.asset_events} == {f"{day}|ar-bumeran" for day in posted}
    (request,) = result.run_requests
    assert request.tags["dagster/asset_partition_range_start"] == f"{min(posted)}|ar-bumeran"
    assert request.tags["dagster/asset_partition_range_end"] == f"{max(posted)}|ar-bumeran"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Posting)) == 25
    with dg.build_sensor_context(cursor=result.cursor, resources=_resources(settings)) as context:
        again = scraping.new_scrape_sensor(context)
    assert isinstance(again, dg.SensorResult) and not again.run_requests
    assert json.loads(again.cursor) == json.loads(result.cursor)
    shutil.rmtree(landing.parent)


def test_definitions_load_with_schedule_and_sensor() -> None:
    from datetime import UTC, datetime

    from observatory.definitions import build_definitions
    from observatory.sources import SOURCES

    defs = build_definitions()
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("raw_postings_job") is not None
    sensor = defs.resolve_sensor_def("new_scrape_sensor")
    assert sensor.asset_selection is not None
    targets = sensor.asset_selection.resolve(defs.resolve_asset_graph())
    assert dg.AssetKey("extracted_skills") in targets and dg.AssetKey("raw_postings") not in targets
    schedule = defs.resolve_schedule_def("raw_postings_schedule")
    with dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 28, 2, 30, tzinfo=UTC), repository_def=defs.get_repository_def()
    ) as context:
        requests = list(schedule.evaluate_tick(context).run_requests or [])
    # one run per source for the day that just ended
    assert {str(r.partition_key) for r in requests} == {f"2026-11-27|{key}" for key in SOURCES}


def test_partition_checks_fail_on_bad_crawls() -> None:
    from datetime import date

    good = {"description": "Python y SQL", "date_posted": "2026-11-27T05:00:00+00:00"}
    old = {"description": "", "date_posted": "2026-09-01T05:00:00+00:00"}
    checks = {
        c.check_name: c.passed
        for c in scraping.partition_checks([good, old, old], 3, 7, date(2026, 11, 26), date(2026, 11, 27))
    }
    assert checks == {"valid_ratio": False, "descriptions_present": False, "dates_in_window": False}
    ok = {c.check_name: c.passed for c in scraping.partition_checks([good], 1, 0, None, date(2026, 11, 27))}
    assert all(ok.values())
    empty = {c.check_name: c.passed for c in scraping.partition_checks([], 0, 0, None, date(2026, 11, 27))}
    assert not empty["valid_ratio"]  # a crawl that found nothing is not a success
