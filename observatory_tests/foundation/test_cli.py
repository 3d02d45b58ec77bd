"""The command line: help, database commands, sources, and clear errors."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import get_settings

runner = CliRunner()


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))  # type: ignore[attr-defined]
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "sources", "ui", "demo"):
        assert command in result.output


def test_sources_list() -> None:
    result = runner.invoke(app, ["sources", "list"])
    assert result.exit_code == 0
    assert "co-elempleo" in result.output
    assert "ar-bumeran" in result.output


def test_db_upgrade_and_status(env: None, database: object) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    versions = Path(__file__).resolve().parents[2] / "observatory" / "storage" / "migrations" / "versions"
    head = max(p.name[:4] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert f"database at {head}" in result.output  # upgraded to the newest migration
    status = runner.invoke(app, ["db", "status"])
    assert status.exit_code == 0, status.output
    assert "postings" in status.output
    assert "up to date" in status.output


def test_bad_configuration_exits_with_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "fr")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["db", "status"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "OBSERVATORY_REPORT_LANGUAGE" in result.output


def test_wrong_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", "postgresql://u:hunter2@127.0.0.1:1/db")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["db", "status"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "cannot connect" in result.output
    assert "hunter2" not in result.output


def test_second_demo_refused_while_one_runs(env: None, settings: object) -> None:
    lock_path = Path(settings.data_dir) / "demo.lock"  # type: ignore[attr-defined]
    with lock_path.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        result = runner.invoke(app, ["demo"])
    assert result.exit_code == 1
    assert "another `observatory demo` is running" in result.output
