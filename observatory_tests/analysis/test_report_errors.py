"""``observatory report``: the errors a user can meet read in the report's language (``--lang``), configuration
errors included, and never print a secret."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.reporting.i18n import foreign_words
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder, realistic_postings

runner = CliRunner()
SECRET = "Zq7-s3cret-V4lue-x9"
NOWHERE = "postgresql://nobody:Nowhere-Pw7@127.0.0.1:9/none"  # reaching the database would be another error


def one_line(output: str) -> str:
    return " ".join(output.split())


def assert_in_language(output: str, language: str, *fragments: str) -> None:
    message = one_line(output)
    assert message.startswith("error: "), output
    for fragment in fragments:
        assert fragment in message, message
    assert foreign_words(message, language) == [], message
    assert "Traceback" not in output and SECRET not in output and "Nowhere-Pw7" not in output


@pytest.fixture()
def nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", NOWHERE)
    monkeypatch.delenv("OBSERVATORY_REPORT_LANGUAGE", raising=False)
    monkeypatch.delenv("OBSERVATORY_CONFIG", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


CONFIG_ERRORS = {
    "es": [
        "configuración no válida:",
        "OBSERVATORY_CRAWL__DOWNLOAD_DELAY: debe ser mayor o igual que 0; valor recibido: '-1'",
        "OBSERVATORY_PARTITIONS_START: debe ser una fecha AAAA-MM-DD; valor recibido: 'junio'",
        "OBSERVATORY_DATABASE_URL: debe ser una URL de PostgreSQL",
        "valor recibido: mysql://db.example/… (el resto no se muestra)",
    ],
    "en": [
        "invalid configuration:",
        "OBSERVATORY_CRAWL__DOWNLOAD_DELAY: must be greater than or equal to 0; got '-1'",
        "OBSERVATORY_PARTITIONS_START: must be a date YYYY-MM-DD; got 'junio'",
        "OBSERVATORY_DATABASE_URL: must be a PostgreSQL URL",
        "got mysql://db.example/… (the rest is not shown)",
    ],
}


def test_configuration_errors_read_in_the_language_asked_for(nowhere: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_CRAWL__DOWNLOAD_DELAY", "-1")
    monkeypatch.setenv("OBSERVATORY_PARTITIONS_START", "junio")
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", f"mysql://observatory:{SECRET}@db.example/lmo")
    runs = {"es": [["report"], ["report", "--lang", "es"]], "en": [["report", "--language", "en"]]}
    for language, commands in runs.items():
        for args in commands:
            result = runner.invoke(app, args)
            assert result.exit_code == 2, result.output
            assert_in_language(result.output, language, *CONFIG_ERRORS[language])
    # Without the option, the language the (otherwise invalid) configuration asks for.
    monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "en")
    assert_in_language(runner.invoke(app, ["report"]).output, "en", *CONFIG_ERRORS["en"])
    assert_in_language(runner.invoke(app, ["report", "--lang", "es"]).output, "es", *CONFIG_ERRORS["es"])


def test_invalid_report_language_setting_is_explained_in_the_default_language(
    nowhere: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "fr")
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 2
    assert_in_language(result.output, "es", "OBSERVATORY_REPORT_LANGUAGE: debe ser 'es' o 'en'; valor recibido: 'fr'")
    monkeypatch.delenv("OBSERVATORY_REPORT_LANGUAGE")
    config = tmp_path / "observatory.toml"  # the language of the file, when the file's other settings are bad
    config.write_text(f'report_language = "en"\nhash_key = ["{SECRET}"]\n[alerts]\nsmtp_pasword = "{SECRET}"\n')
    monkeypatch.setenv("OBSERVATORY_CONFIG", str(config))
    get_settings.cache_clear()
    result = runner.invoke(app, ["report"])
    assert_in_language(
        result.output,
        "en",
        "OBSERVATORY_HASH_KEY: must be a text; got a list (not shown)",
        "OBSERVATORY_ALERTS__SMTP_PASWORD: is not a known setting",
    )
    result = runner.invoke(app, ["report", "--lang", "es"])
    assert_in_language(
        result.output,
        "es",
        "OBSERVATORY_HASH_KEY: debe ser un texto; valor recibido: una lista (no se muestra)",
        "OBSERVATORY_ALERTS__SMTP_PASWORD: no es un ajuste conocido",
    )


OUT_FOLDER = {"es": "no se puede escribir el informe en la carpeta", "en": "cannot write the report to the folder"}


@pytest.mark.parametrize("language", ["es", "en"])
def test_output_folder_that_cannot_be_made_is_refused_before_the_database(
    nowhere: None, tmp_path: Path, language: str
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    reasons = {
        "es": ("ya existe y no es una carpeta", "una parte de la ruta no es una carpeta"),
        "en": ("exists and is not a folder", "part of the path is not a folder"),
    }[language]
    for out, reason in zip((a_file, a_file / "reports"), reasons, strict=True):
        result = runner.invoke(app, ["report", "--out", str(out), "--lang", language])
        assert result.exit_code == 1, result.output
        assert_in_language(result.output, language, OUT_FOLDER[language], f"({reason})")


@pytest.fixture()
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A folder in which no run folder can be made: mode 0555, or for root (whom modes do not stop) immutable."""
    folder = tmp_path / "shared-reports"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder, {"es": "permiso denegado", "en": "permission denied"}
        folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without immutable folders: modes cannot refuse root")
    try:
        yield folder, {"es": "operación no permitida", "en": "operation not permitted"}
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_output_folder_without_permission(nowhere: None, read_only_folder: tuple[Path, dict[str, str]]) -> None:
    folder, reasons = read_only_folder
    for language in ("es", "en"):
        result = runner.invoke(app, ["report", "--out", str(folder), "--lang", language])
        assert result.exit_code == 1, result.output
        assert_in_language(result.output, language, OUT_FOLDER[language], f"({reasons[language]})")
    assert list(folder.iterdir()) == []


@pytest.fixture()
def with_postings(monkeypatch: pytest.MonkeyPatch, settings: Settings, db: Database) -> Iterator[Database]:
    b = DataBuilder(db)
    realistic_postings(b, months=("2026-09", "2026-10"), per_month=12)
    b.save()
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    monkeypatch.delenv("OBSERVATORY_REPORT_LANGUAGE", raising=False)
    monkeypatch.delenv("OBSERVATORY_CONFIG", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def test_errors_inside_the_report_run_read_in_its_language(
    with_postings: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    not_an_image = tmp_path / "logo.txt"
    not_an_image.write_text("a logo")
    cases = [
        ("OBSERVATORY_REPORT_LOGO", str(tmp_path / "missing.png"), {"es": "no es un archivo", "en": "is not a file"}),
        (
            "OBSERVATORY_REPORT_LOGO",
            str(not_an_image),
            {"es": "debe ser una imagen PNG, JPEG, GIF o SVG", "en": "must be a PNG, JPEG, GIF or SVG image"},
        ),
        (
            "OBSERVATORY_HASH_KEY",
            "k3y-Zq",  # too short, and a secret all the same
            {"es": "OBSERVATORY_HASH_KEY es demasiado corta (6 caracteres; al menos 16)", "en": "is too short (6"},
        ),
    ]
    for variable, value, expected in cases:
        monkeypatch.setenv(variable, value)
        get_settings.cache_clear()
        for language, args in (("es", []), ("es", ["--lang", "es"]), ("en", ["--lang", "en"])):
            result = runner.invoke(app, ["report", "--country", "co", "--no-pdf", "--out", str(out), *args])
            assert result.exit_code == 1, result.output
            assert_in_language(result.output, language, expected[language])
            assert "k3y-Zq" not in result.output
        monkeypatch.delenv(variable)
    assert not any(out.rglob("report.html"))  # refused before any run folder was made
