"""``observatory doctor`` on a real instance: a healthy installation, a stopped daemon, an old schema."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from dagster._daemon.types import DaemonHeartbeat
from typer.testing import CliRunner

from observatory.cli import app
from observatory.commands.doctor import diagnose
from observatory.config import Settings, get_settings, load_settings
from observatory.defs.runs import project_instance
from observatory.storage import Database
from observatory.storage.bootstrap import open_database

runner = CliRunner()


def beat(settings: Settings, db: Database, age: float) -> None:
    """Heartbeats as a daemon writes them, ``age`` seconds old (what a stopped daemon leaves behind)."""
    with project_instance(settings, db.url) as instance:
        for kind in instance.get_required_daemon_types():
            instance.add_daemon_heartbeat(DaemonHeartbeat(time.time() - age, kind, "test-daemon"))


@pytest.fixture()
def cli_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[None]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def by_check(settings: Settings) -> dict[str, tuple[str, str, str]]:
    return {f.check: (f.status, f.detail, f.fix) for f in diagnose(settings)}


def test_healthy_installation(settings: Settings, db: Database) -> None:
    beat(settings, db, age=1)
    found = by_check(settings)
    assert {name: status for name, (status, _, _) in found.items()} == {
        "database": "ok",
        "pgvector": "ok",
        "migrations": "ok",
        "dagster daemon": "ok",
        "embedding model": "ok",
        "ESCO bundle": "ok",
        "spaCy": "ok",
        "disk space": "ok",
    }


def test_stopped_daemon_is_reported_with_the_fix(settings: Settings, db: Database, cli_env: None) -> None:
    beat(settings, db, age=600)
    status, detail, fix = by_check(settings)["dagster daemon"]
    assert status == "fail"
    assert detail.startswith("stopped: last heartbeat 6")
    assert "observatory ui" in fix
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "stopped: last heartbeat" in result.output
    assert "1 problem(s): dagster daemon" in result.output
    beat(settings, db, age=0)
    assert runner.invoke(app, ["doctor"]).exit_code == 0


def test_empty_schema_low_disk_and_unreachable_server(tmp_path: pytest.TempPathFactory) -> None:
    fresh = load_settings(data_dir=tmp_path / "fresh", database_url=None, alerts={"disk_min_free_gb": 1e9})
    open_database(fresh, migrate=False).close()
    found = by_check(fresh)
    assert found["migrations"][0] == "fail" and found["migrations"][2] == "observatory db upgrade"
    assert found["dagster daemon"][1] == "no daemon has ever run on this instance"
    assert found["disk space"][0] == "fail"

    unreachable = load_settings(data_dir=tmp_path / "x", database_url="postgresql://u:hunter2@127.0.0.1:9/db")
    found = by_check(unreachable)
    assert found["database"][0] == "fail" and "hunter2" not in found["database"][1]
    assert found["pgvector"][0] == found["migrations"][0] == "skip"
