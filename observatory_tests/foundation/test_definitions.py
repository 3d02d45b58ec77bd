"""The Dagster code location loads, and partitions come from the source registry."""

from __future__ import annotations

import dagster as dg

from observatory.defs.partitions import source_daily_partitions, source_partitions
from observatory.sources import SOURCES


def test_definitions_load() -> None:
    from observatory.definitions import defs

    assert isinstance(defs, dg.Definitions)
    repo = defs.get_repository_def()
    assert "database" in repo.get_top_level_resources()
    for key in repo.asset_graph.get_all_asset_keys():
        assert key.path  # every asset resolves
    # Runs launched by the daemon execute their steps in the run's process (the extractor is built once per run).
    assert repo.get_job("raw_postings_job").executor_def.name == "in_process"
    assert repo.get_implicit_global_asset_job_def().executor_def.name == "in_process"


def test_partitions_from_registry() -> None:
    assert set(source_partitions.get_partition_keys()) == set(SOURCES)
    key = dg.MultiPartitionKey({"source": "co-elempleo", "date": "2026-10-01"})
    assert key.keys_by_dimension["source"] == "co-elempleo"
    dims = {d.name for d in source_daily_partitions.partitions_defs}
    assert dims == {"source", "date"}


def test_automation_on_by_default_schedules_off() -> None:
    """A new install runs the eager assets and loads landed files by itself; crawls of the live portals and the
    monthly report wait until someone turns their schedules on (``observatory ui`` says so)."""
    from observatory.definitions import defs

    repo = defs.get_repository_def()
    sensors = {s.name: s for s in repo.sensor_defs}
    assert sensors["automation_sensor"].default_status == dg.DefaultSensorStatus.RUNNING
    assert sensors["new_scrape_sensor"].default_status == dg.DefaultSensorStatus.RUNNING
    # The automation sensor covers every automated asset (Dagster's own default sensor, stopped, is not created).
    assert "default_automation_condition_sensor" not in sensors
    targeted = sensors["automation_sensor"].asset_selection.resolve(repo.asset_graph)
    automated = {k for k in repo.asset_graph.get_all_asset_keys() if repo.asset_graph.get(k).automation_condition}
    assert automated and automated <= targeted
    schedules = {s.name: s.default_status for s in repo.schedule_defs}
    assert schedules == {
        "raw_postings_schedule": dg.DefaultScheduleStatus.STOPPED,
        "monthly_report_schedule": dg.DefaultScheduleStatus.STOPPED,
    }
