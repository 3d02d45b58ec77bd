"""The esco_taxonomy asset imports a CSV download through Dagster."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from sqlalchemy import func, select

from observatory.config import Settings
from observatory.defs.esco import esco_taxonomy
from observatory.defs.resources import ObservatoryDatabase
from observatory.storage import Database
from observatory.storage.models import EscoSkill

FIXTURES = Path(__file__).resolve().parents[1] / "skills" / "fixtures" / "esco" / "v1.0"


def test_esco_asset_materialises(db: Database, settings: Settings) -> None:
    result = dg.materialize(
        [esco_taxonomy],
        resources={"database": ObservatoryDatabase(data_dir=str(settings.data_dir))},
        run_config={"ops": {"esco_taxonomy": {"config": {"path": str(FIXTURES)}}}},
    )
    assert result.success
    meta = result.asset_materializations_for_node("esco_taxonomy")[0].metadata
    assert meta["esco_version"].value == "v1.0"
    with db.session() as s:
        count = s.scalar(select(func.count()).select_from(EscoSkill))
    assert count and meta["rows_esco_skills"].value == count
