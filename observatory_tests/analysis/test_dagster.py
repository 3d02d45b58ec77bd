"""The analysis and reporting assets materialised with Dagster on the test database, and their automation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pandas as pd

from observatory.config import Settings
from observatory.definitions import defs as code_location
from observatory.defs import analysis, reporting
from observatory.defs.resources import ObservatoryDatabase
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder, realistic_postings


def _metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, object]]:
    return {
        e.asset_key.to_user_string(): {
            k: v.value for k, v in e.step_materialization_data.materialization.metadata.items()
        }
        for e in result.get_asset_materialization_events()
    }


def test_assets_materialise_with_metadata_and_checks(db: Database, settings: Settings) -> None:
    b = DataBuilder(db)
    realistic_postings(b, per_month=40)
    b.save()
    resources = {"database": ObservatoryDatabase(data_dir=str(settings.data_dir))}
    result = dg.materialize(
        [analysis.skill_embeddings, analysis.skill_clusters, reporting.latest_report],
        resources=resources,
        raise_on_error=True,
    )
    meta = _metadata(result)
    assert meta["skill_embeddings"]["encoded"] == 25 and meta["skill_embeddings"]["cached"] == 0
    assert meta["skill_clusters"]["skills"] == 25
    assert meta["latest_report"]["reports"] == 2  # all countries + Colombia
    assert meta["latest_report"]["period"] == "2026-10"  # the latest month with postings
    assert Path(str(meta["latest_report"]["html"])).exists()
    assert str(meta["latest_report"]["preview"]).startswith("![top skills](data:image/png;base64,")
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert "noise_share_acceptable" in checks

    # Demand: three months × two sources in one run (a single-run backfill over a rectangle of partitions).
    demand = dg.materialize(
        [analysis.skill_demand],
        resources=resources,
        tags={
            "dagster/asset_partition_range_start": "2026-08-01|co-computrabajo",
            "dagster/asset_partition_range_end": "2026-10-01|co-elempleo",
        },
        raise_on_error=True,
    )
    partitions = {str(e.partition) for e in demand.get_asset_materialization_events()}
    assert partitions == {f"2026-{m:02d}-01|{s}" for m in (8, 9, 10) for s in ("co-computrabajo", "co-elempleo")}
    demand_meta = _metadata(demand)["skill_demand"]
    assert demand_meta["cells_with_postings"] == 6
    assert "| skill |" in str(demand_meta["top_skills"])
    october = pd.read_parquet(analysis.demand_path(settings.data_dir, "2026-10", "co-computrabajo"))
    assert set(october["month"]) == {"2026-10"} and set(october["source"]) == {"co-computrabajo"}
    # 40 postings a month, every fifth one on ElEmpleo: 32 on Computrabajo, the denominator of every share.
    assert set(october["n_postings"]) == {32}
    power_bi = october[october["skill"] == "Power BI"].iloc[0]
    assert 0 < power_bi["share"] <= 1 and power_bi["n_with_skill"] == round(power_bi["share"] * 32)
    september = pd.read_parquet(analysis.demand_path(settings.data_dir, "2026-09", "co-computrabajo"))
    assert "Power BI" not in set(september["skill"])  # the emerging skill was not asked for before October

    # Re-materialising encodes nothing new and reuses the clustering run.
    again = _metadata(dg.materialize([analysis.skill_embeddings, analysis.skill_clusters], resources=resources))
    assert again["skill_embeddings"]["encoded"] == 0
    assert again["skill_clusters"]["mode"] == "unchanged"

    # Monthly reports are month × scope: Colombia and all countries hold postings, Argentina none.
    monthly = dg.materialize(
        [reporting.monthly_report], resources=resources, partition_key="2026-09-01|co", raise_on_error=True
    )
    meta = _metadata(monthly)["monthly_report"]
    assert (meta["period"], meta["scope"], meta["reports"]) == ("2026-09", "co", 1)
    assert meta["postings"] == 40 and "/co/2026-09/" in str(meta["html"])
    assert monthly.get_asset_check_evaluations()[0].passed
    empty = dg.materialize([reporting.monthly_report], resources=resources, partition_key="2026-09-01|ar")
    (check,) = empty.get_asset_check_evaluations()
    assert not check.passed and check.check_name == "period_has_postings"
    assert _metadata(empty)["monthly_report"]["reports"] == 0


def test_code_location_wires_stages_schedules_and_automation() -> None:
    # The monthly schedule asks, on the 2nd, for the month that ended, every scope (not the month just begun).
    schedule = code_location.resolve_schedule_def("monthly_report_schedule")
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 2, 6, tzinfo=UTC), repository_def=code_location.get_repository_def()
    )
    requests = schedule.evaluate_tick(context).run_requests or []
    assert {str(r.partition_key) for r in requests} == {
        f"2026-10-01|{s}" for s in ("all", "ar", "cl", "co", "cr", "ec", "mx", "pe", "ve")
    }
    graph = code_location.resolve_asset_graph()
    automated = ("extracted_skills", "normalized_skills", "skill_embeddings", "skill_clusters", "skill_demand")
    for key in (*automated, "latest_report"):
        assert graph.get(dg.AssetKey(key)).automation_condition is not None, key
    parents = {key: graph.get(dg.AssetKey(key)).parent_keys for key in ("extracted_skills", "skill_embeddings")}
    assert {dg.AssetKey("raw_postings"), dg.AssetKey("esco_taxonomy")} <= parents["extracted_skills"]
    assert dg.AssetKey("extracted_skills") in parents["skill_embeddings"]
    assert dg.AssetKey("skill_demand") in graph.get(dg.AssetKey("latest_report")).parent_keys
    # A month of one source's demand is upstream of that month's report of its country and of all countries.
    mapping = graph.get_partition_mapping(dg.AssetKey("monthly_report"), dg.AssetKey("skill_demand"))
    subset = analysis.source_monthly_partitions.empty_subset().with_partition_keys(["2026-10-01|co-elempleo"])
    reports = mapping.get_downstream_partitions_for_partitions(
        subset, analysis.source_monthly_partitions, reporting.scope_monthly_partitions
    )
    assert set(reports.get_partition_keys()) == {"2026-10-01|co", "2026-10-01|all"}
    assert graph.get(dg.AssetKey("skill_demand")).partitions_def == analysis.source_monthly_partitions


def _requested(result: dg.EvaluateAutomationConditionsResult) -> dict[str, set[str | None]]:
    graph = code_location.resolve_asset_graph()
    by_asset = {key.to_user_string(): result.get_requested_partitions(key) for key in graph.get_all_asset_keys()}
    return {name: {str(k) if k else None for k in keys} for name, keys in by_asset.items() if keys}


def _land(instance: dg.DagsterInstance, asset: str, partition: str | None = None) -> None:
    instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=asset, partition=partition))


def test_new_postings_flow_through_the_real_automation_conditions() -> None:
    """Declarative automation on the code location's own assets: a new raw_postings partition requests its
    extraction; a new extraction requests normalisation, embeddings, clusters, that month's demand and the report."""
    instance = dg.DagsterInstance.ephemeral()
    day, other_day = "2026-10-15|co-computrabajo", "2026-10-16|co-computrabajo"
    for asset, partition in [
        ("esco_taxonomy", None),
        ("raw_postings", day),
        ("extracted_skills", day),
        ("normalized_skills", day),
        ("skill_embeddings", None),
        ("skill_clusters", None),
        ("skill_demand", "2026-10-01|co-computrabajo"),
        ("latest_report", None),
    ]:
        _land(instance, asset, partition)
    quiet = dg.evaluate_automation_conditions(defs=code_location, instance=instance)
    quiet = dg.evaluate_automation_conditions(defs=code_location, instance=instance, cursor=quiet.cursor)
    assert quiet.total_requested == 0  # nothing new upstream, nothing to do

    # A new taxonomy import does not re-run the history: the extractor's code version decides that.
    _land(instance, "esco_taxonomy")
    quiet = dg.evaluate_automation_conditions(defs=code_location, instance=instance, cursor=quiet.cursor)
    assert quiet.total_requested == 0

    # A day that is not the latest (yesterday's scheduled crawl, a landed file): extraction and normalisation
    # (same partitions: one run), then what aggregates over them once that run has materialised.
    _land(instance, "raw_postings", other_day)
    crawled = dg.evaluate_automation_conditions(defs=code_location, instance=instance, cursor=quiet.cursor)
    assert _requested(crawled) == {"extracted_skills": {other_day}, "normalized_skills": {other_day}}
    _land(instance, "extracted_skills", other_day)
    _land(instance, "normalized_skills", other_day)
    extracted = dg.evaluate_automation_conditions(defs=code_location, instance=instance, cursor=crawled.cursor)
    global_assets = {"skill_embeddings": {None}, "skill_clusters": {None}, "latest_report": {None}}
    # That month's demand of that source only; monthly_report is scheduled, not automated.
    assert _requested(extracted) == {"skill_demand": {"2026-10-01|co-computrabajo"}, **global_assets}

    for asset in global_assets:
        _land(instance, asset)
    _land(instance, "skill_demand", "2026-10-01|co-computrabajo")
    settled = dg.evaluate_automation_conditions(defs=code_location, instance=instance, cursor=extracted.cursor)
    assert settled.total_requested == 0  # the requested runs are done: nothing more until new data

    # Extraction run elsewhere (``observatory ingest``): what is below it follows, extraction is not repeated.
    _land(instance, "extracted_skills", "2026-09-03|co-elempleo")
    ingested = dg.evaluate_automation_conditions(defs=code_location, instance=instance, cursor=settled.cursor)
    assert _requested(ingested) == {
        "normalized_skills": {"2026-09-03|co-elempleo"},
        "skill_demand": {"2026-09-01|co-elempleo"},
        **global_assets,
    }
