"""Dagster's own storage (runs, events) lands in the same PostgreSQL through dagster-postgres."""

from __future__ import annotations

import os

import dagster as dg
import pytest
from sqlalchemy import create_engine, text

from observatory.config import Settings
from observatory.defs.runs import dagster_environment as _dagster_home
from observatory.storage import Database


@dg.asset
def tiny_asset() -> int:
    return 1


def test_runs_stored_in_postgres(database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _dagster_home(settings, database.url)
    monkeypatch.setenv("DAGSTER_POSTGRES_URL", env["DAGSTER_POSTGRES_URL"])
    instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
    try:
        result = dg.materialize([tiny_asset], instance=instance)
        assert result.success
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
    finally:
        instance.dispose()
    engine = create_engine(env["DAGSTER_POSTGRES_URL"])
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT count(*) FROM runs")).scalar()
        events = conn.execute(text("SELECT count(*) FROM event_logs WHERE asset_key IS NOT NULL")).scalar()
    engine.dispose()
    assert runs and runs >= 1
    assert events and events >= 1
    assert os.path.isfile(os.path.join(env["DAGSTER_HOME"], "dagster.yaml"))
