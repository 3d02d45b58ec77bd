"""No value of OBSERVATORY_DATABASE_URL reaches Dagster's storage: the resource gets an unresolved EnvVar."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, make_url, text

from observatory.config import Settings
from observatory.definitions import build_definitions
from observatory.defs.runs import dagster_environment, project_instance, run_assets
from observatory.storage import Database

SECRET = "s3cret-Pa55-value"


def test_database_password_never_stored_by_dagster(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The embedded server trusts local connections, so a password in the URL is accepted and must stay hidden.
    url = make_url(database.url).set(password=SECRET).render_as_string(hide_password=False)
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", url)
    defs = build_definitions()
    assert defs.resources is not None
    resource = defs.resources["database"]
    assert SECRET not in repr(resource.database_url)  # an EnvVar, not the value
    with project_instance(settings, database.url) as instance:
        summary = run_assets(defs, instance, ["esco_taxonomy"])
        assert summary.success, summary.failures
        run = instance.get_run_by_id(summary.run_id)
        assert run is not None and SECRET not in str(run.run_config)
    engine = create_engine(dagster_environment(settings, database.url)["DAGSTER_POSTGRES_URL"])
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        leaks = [
            t
            for t in tables
            if conn.execute(text(f'SELECT count(*) FROM "{t}" x WHERE x::text LIKE :s'), {"s": f"%{SECRET}%"}).scalar()
        ]
    engine.dispose()
    assert tables and not leaks
