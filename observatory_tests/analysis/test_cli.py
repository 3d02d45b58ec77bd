"""``observatory embed``, ``cluster``, ``similar`` and ``report`` on the test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder, realistic_postings

runner = CliRunner()


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[None]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_embed_similar_cluster_report(env: None, db: Database, tmp_path: Path) -> None:
    assert "no skill embeddings" in runner.invoke(app, ["similar", "ventas"]).output
    b = DataBuilder(db)
    realistic_postings(b, per_month=40)
    b.save()

    embedded = runner.invoke(app, ["embed"])
    assert embedded.exit_code == 0, embedded.output
    assert "25 encoded" in embedded.output and "offline fallback" in embedded.output
    assert "0 encoded" in runner.invoke(app, ["embed"]).output

    similar = runner.invoke(app, ["similar", "análisis de datos", "-k", "3"])
    assert similar.exit_code == 0, similar.output
    rows = [line for line in similar.output.splitlines() if "│" in line and "skill id" not in line]
    assert len(rows) == 3 and "analisis-datos" in rows[0]

    clustered = runner.invoke(app, ["cluster"])
    assert clustered.exit_code == 0, clustered.output
    assert "25 skills" in clustered.output

    report = runner.invoke(
        app, ["report", "--country", "co", "--period", "2026-10", "--out", str(tmp_path), "--no-pdf"]
    )
    assert report.exit_code == 0, report.output
    assert (tmp_path / "co" / "2026-10").is_dir() and "report.html" in report.output

    bad = runner.invoke(app, ["report", "--period", "octubre"])
    assert bad.exit_code == 1 and "YYYY-MM" in bad.output
