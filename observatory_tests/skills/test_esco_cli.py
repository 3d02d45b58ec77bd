"""``observatory esco`` commands through Typer's runner, on the embedded database and a loopback ESCO API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.storage import Database
from observatory_tests.skills.test_esco_api import EscoServer, esco_server  # noqa: F401  (loopback ESCO API fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "esco"
runner = CliRunner()


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, settings: Settings, db: Database) -> Iterator[Database]:
    """The CLI pointed at the test database (emptied)."""
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def test_import_status_and_search(env: Database) -> None:
    result = runner.invoke(app, ["esco", "import", str(FIXTURES / "v1.2")])
    assert result.exit_code == 0, result.output
    assert "ESCO v1.2" in result.output and "esco_skills" in result.output
    again = runner.invoke(app, ["esco", "import", str(FIXTURES / "v1.0"), "--version", "v1.0"])
    assert again.exit_code == 0, again.output

    status = runner.invoke(app, ["esco", "status"])
    assert status.exit_code == 0, status.output
    lines = [line for line in status.output.splitlines() if "esco_skills" in line]
    # The last import wins: v1.0 rewrote a1–a2 and added a3–a4; a5–a6 exist only in the v1.2 fixtures.
    assert any("v1.0" in line and " 4 " in line for line in lines), status.output
    assert any("v1.2" in line and " 2 " in line for line in lines), status.output

    found = runner.invoke(app, ["esco", "search", "python"])
    assert found.exit_code == 0, found.output
    assert "Python" in found.output and "digital" in found.output
    by_alt = runner.invoke(app, ["esco", "search", "K8s"])  # only an alternative label matches
    assert "Kubernetes" in by_alt.output
    english = runner.invoke(app, ["esco", "search", "teamwork", "--lang", "en"])
    assert "work in teams" in english.output
    nothing = runner.invoke(app, ["esco", "search", "100%_"])
    assert nothing.exit_code == 0 and "no ESCO skill label" in nothing.output


def test_import_of_malformed_folder_fails_cleanly(env: Database, tmp_path: Path) -> None:
    folder = tmp_path / "v1.1"
    folder.mkdir()
    (folder / "skills_es.csv").write_text("conceptUri;preferredLabel\nhttp://x/1;Excel\n", encoding="utf-8")
    result = runner.invoke(app, ["esco", "import", str(folder)])
    assert result.exit_code == 1
    assert "skills_es.csv, line 1" in result.output and "semicolon" in result.output
    assert "nothing was imported" in result.output
    status = runner.invoke(app, ["esco", "status"])
    assert "no ESCO skills yet" in status.output


def test_search_through_the_api(
    esco_server: EscoServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("OBSERVATORY_ESCO_API_BASE", esco_server.url)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["esco", "search", "datos", "--api", "--limit", "5"])
        assert result.exit_code == 0, result.output
        assert "analizar datos" in result.output and "proteger datos personales" in result.output
        assert "limpiar datos" not in result.output  # sixth hit, beyond --limit
        cached = runner.invoke(app, ["esco", "search", "datos", "--api", "--limit", "5"])
        assert cached.output == result.output
        assert esco_server.hits("/search") == 1  # the second run came from the on-disk cache
        esco_server.scripts["/search"] = [lambda h: h.send_error(400, "bad query")]
        failed = runner.invoke(app, ["esco", "search", "minería", "--api"])
        assert failed.exit_code == 1 and "HTTP 400" in failed.output
    finally:
        get_settings.cache_clear()
