"""The extracted_skills asset materialises one source × day partition through Dagster."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg
from sqlalchemy import func, select

from observatory.config import Settings
from observatory.defs import skills as skill_defs
from observatory.defs.partitions import partition_range_tags
from observatory.defs.resources import ObservatoryDatabase
from observatory.storage import Database
from observatory.storage.models import ExtractionRun
from observatory_tests.skills.test_skill_store import insert_postings

# The asset as the code location defines it (its upstream raw_postings and esco_taxonomy are not run here).
ASSETS = [skill_defs.extracted_skills]


def test_extracted_skills_partition(db: Database, settings: Settings) -> None:
    day = datetime(2025, 8, 3, 10, tzinfo=UTC)
    insert_postings(
        db,
        [
            ("co-computrabajo", "a1", "Desarrollador .NET", "Requisitos: C#, SQL Server y Azure DevOps.", day),
            ("co-computrabajo", "a2", "Analista", "Excel avanzado y trabajo en equipo.", day),
            ("co-computrabajo", "a3", "Auxiliar de bodega", "Disponibilidad inmediata.", day),
            ("co-computrabajo", "a4", "Otro día", "Python.", datetime(2025, 8, 4, 1, tzinfo=UTC)),
        ],
    )
    resources = {"database": ObservatoryDatabase(data_dir=str(settings.data_dir))}
    key = dg.MultiPartitionKey({"date": "2025-08-03", "source": "co-computrabajo"})
    result = dg.materialize(ASSETS, resources=resources, partition_key=key, selection=["extracted_skills"])
    assert result.success
    meta = result.asset_materializations_for_node("extracted_skills")[0].metadata
    assert meta["postings"].value == 3 and meta["new_postings"].value == 3
    assert meta["mentions_per_posting"].value > 1
    assert "C#" in meta["top_skills"].value and "Python" not in meta["top_skills"].value
    checks = result.get_asset_check_evaluations()
    assert len(checks) == 1 and checks[0].passed  # 1 of 3 without skills is below the threshold

    # A second run extracts nothing new; the check still sees the whole partition.
    again = dg.materialize(ASSETS, resources=resources, partition_key=key)
    meta = again.asset_materializations_for_node("extracted_skills")[0].metadata
    assert meta["new_postings"].value == 0 and meta["postings"].value == 3
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ExtractionRun)) == 3

    # Two days as one run (a single-run backfill): the day already done is not extracted again.
    days = dg.materialize(
        ASSETS, resources=resources, tags=partition_range_tags("co-computrabajo", "2025-08-03", "2025-08-04")
    )
    assert days.success
    events = days.get_asset_materialization_events()
    assert {str(e.partition) for e in events} == {"2025-08-03|co-computrabajo", "2025-08-04|co-computrabajo"}
    range_meta = events[0].step_materialization_data.materialization.metadata
    assert range_meta["postings"].value == 4 and range_meta["new_postings"].value == 1
    assert "Python" in range_meta["top_skills"].value

    empty_key = dg.MultiPartitionKey({"date": "2025-08-05", "source": "ar-bumeran"})
    empty = dg.materialize(ASSETS, resources=resources, partition_key=empty_key)
    assert empty.success and empty.get_asset_check_evaluations()[0].passed


def test_check_fails_when_most_postings_have_no_skill(db: Database, settings: Settings) -> None:
    day = datetime(2025, 8, 6, 10, tzinfo=UTC)
    insert_postings(db, [("ar-zonajobs", f"z{i}", "Puesto", "Disponibilidad horaria.", day) for i in range(3)])
    resources = {"database": ObservatoryDatabase(data_dir=str(settings.data_dir))}
    key = dg.MultiPartitionKey({"date": "2025-08-06", "source": "ar-zonajobs"})
    result = dg.materialize(ASSETS, resources=resources, partition_key=key)
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    deps = skill_defs.extracted_skills.asset_deps[dg.AssetKey("extracted_skills")]
    assert {dg.AssetKey("raw_postings"), dg.AssetKey("esco_taxonomy")} <= deps
