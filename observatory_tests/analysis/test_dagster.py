"""The analysis and reporting assets materialised with Dagster on the test database."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from observatory.config import Settings
from observatory.defs import analysis, reporting
from observatory.defs.resources import ObservatoryDatabase
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder, realistic_postings


def test_assets_materialise_with_metadata_and_checks(db: Database, settings: Settings, tmp_path: Path) -> None:
    b = DataBuilder(db)
    realistic_postings(b, per_month=40)
    b.save()
    resources = {"database": ObservatoryDatabase(data_dir=str(settings.data_dir))}
    result = dg.materialize([*analysis.assets, reporting.latest_report], resources=resources, raise_on_error=True)
    assert result.success
    meta = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert meta["skill_embeddings"]["encoded"].value == 25
    assert meta["skill_embeddings"]["fallback_model"].value is True
    assert meta["skill_clusters"]["skills"].value == 25
    assert "| skill |" in meta["skill_trends"]["top_skills"].value
    assert meta["skill_trends"]["period"].value == "2026-10"
    assert "Power BI" in meta["skill_trends"]["emerging"].value
    assert meta["latest_report"]["reports"].value == 2  # all countries + Colombia
    assert Path(meta["latest_report"]["html"].value).exists()
    assert meta["latest_report"]["preview"].value.startswith("![top skills](data:image/png;base64,")
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["no_empty_months"].passed
    assert "noise_share_acceptable" in checks

    # Re-materialising encodes nothing new and reuses the clustering run.
    again = dg.materialize(analysis.assets[:2], resources=resources)
    meta = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in again.get_asset_materialization_events()
    }
    assert meta["skill_embeddings"]["encoded"].value == 0
    assert meta["skill_clusters"]["mode"].value == "unchanged"

    monthly = dg.materialize(
        [reporting.monthly_report], resources=resources, partition_key="2026-09-01", raise_on_error=True
    )
    (event,) = monthly.get_asset_materialization_events()
    assert event.step_materialization_data.materialization.metadata["period"].value == "2026-09"
    empty = dg.materialize([reporting.monthly_report], resources=resources, partition_key="2025-07-01")
    (check,) = empty.get_asset_check_evaluations()
    assert not check.passed and check.check_name == "period_has_postings"


def test_definitions_include_schedule_and_automation() -> None:
    from observatory.defs.resources import default_resources

    # Only this stage's modules: the other stages are tested by their own suites.
    defs = dg.Definitions(
        assets=[*analysis.assets, *reporting.assets],
        schedules=[*analysis.schedules, *reporting.schedules],
        jobs=[*analysis.jobs, *reporting.jobs],
        resources=default_resources(),
    )
    assert defs.resolve_schedule_def("monthly_report_job_schedule") is not None
    graph = defs.resolve_asset_graph()
    for key in ("skill_embeddings", "skill_clusters", "skill_trends", "latest_report"):
        assert graph.get(dg.AssetKey(key)).automation_condition is not None
    assert dg.AssetKey("extracted_skills") in graph.get(dg.AssetKey("skill_embeddings")).parent_keys


def test_new_extraction_flows_to_refreshed_report() -> None:
    """Declarative automation: a new extracted_skills partition requests embeddings, clusters, trends, report."""
    from observatory.defs.partitions import source_daily_partitions

    @dg.asset(partitions_def=source_daily_partitions, name="extracted_skills")
    def extracted_skills() -> None:
        """Stand-in for the skills stage's asset (same key and partitions)."""

    @dg.asset(name="skill_embeddings", deps=[extracted_skills], automation_condition=analysis.on_new_data())
    def embeddings_stub() -> None: ...

    @dg.asset(name="skill_clusters", deps=[embeddings_stub], automation_condition=analysis.on_new_data())
    def clusters_stub() -> None: ...

    @dg.asset(name="skill_trends", deps=[extracted_skills], automation_condition=analysis.on_new_data())
    def trends_stub() -> None: ...

    @dg.asset(name="latest_report", deps=[clusters_stub, trends_stub], automation_condition=analysis.on_new_data())
    def report_stub() -> None: ...

    # The stubs carry the real automation conditions; the real assets need a database to run.
    stubs = [extracted_skills, embeddings_stub, clusters_stub, trends_stub, report_stub]
    downstream = ["skill_embeddings", "skill_clusters", "skill_trends", "latest_report"]
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize(stubs[1:], instance=instance).success
    quiet = dg.evaluate_automation_conditions(defs=stubs, instance=instance)
    quiet = dg.evaluate_automation_conditions(defs=stubs, instance=instance, cursor=quiet.cursor)
    assert quiet.total_requested == 0  # nothing new upstream, nothing to do

    key = dg.MultiPartitionKey({"source": "co-computrabajo", "date": "2026-10-15"})
    assert dg.materialize([extracted_skills], instance=instance, partition_key=key).success
    after = dg.evaluate_automation_conditions(defs=stubs, instance=instance, cursor=quiet.cursor)
    for name in downstream:
        assert after.get_num_requested(dg.AssetKey(name)) == 1, name
