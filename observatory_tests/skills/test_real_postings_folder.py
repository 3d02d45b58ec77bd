"""Where the real postings are read from: ``OBSERVATORY_REAL_POSTINGS_DIR`` when set, else ``../shared/postings``
beside the checkout; what needs them (``observatory eval --real``) fails with one line naming the folder and the
setting when they are absent, and so do the benchmarks that read them, instead of measuring nothing."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from observatory.skills.real_postings import (
    REAL_POSTINGS_ENV,
    SHARED_POSTINGS,
    MissingPostingsError,
    read_real_postings,
    shared_postings_dir,
    shared_postings_file,
    shared_postings_files,
)
from observatory_tests.skills.test_real_postings_reader import ec_row, offer, write_computrabajo, write_navent

PROJECT = Path(__file__).resolve().parents[2]


def _postings_folder(folder: Path) -> Path:
    """A folder of real postings files, the two formats, beside a file that is no postings file."""
    folder.mkdir()
    write_navent(folder / "bumeran_zonajobs_ar_2025-12.json.gz", [offer("1118017610", "Desarrollador Python Sr")])
    write_computrabajo(
        folder / "computrabajo_ec_2024.csv.gz",
        [ec_row("EC1", "Vendedor de Mostrador", "Ventas", "Requisitos: experiencia en ventas y manejo de caja.")],
    )
    (folder / "README.txt").write_text("Postings kept beside the project, never inside it.\n", encoding="utf-8")
    return folder


def test_the_setting_names_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _postings_folder(tmp_path / "postings")
    monkeypatch.setenv(REAL_POSTINGS_ENV, str(folder))
    assert shared_postings_dir() == folder
    files = shared_postings_files(required=True)
    assert [p.name for p in files] == ["bumeran_zonajobs_ar_2025-12.json.gz", "computrabajo_ec_2024.csv.gz"]
    titles = [posting.title for path in files for posting in read_real_postings(path)]
    assert titles == ["Desarrollador Python Sr", "Vendedor de Mostrador"]
    assert shared_postings_file("computrabajo_ec_2024.csv.gz") == folder / "computrabajo_ec_2024.csv.gz"


def test_without_the_setting_the_folder_is_shared_beside_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REAL_POSTINGS_ENV, raising=False)
    assert shared_postings_dir() == SHARED_POSTINGS == PROJECT.parent / "shared" / "postings"
    monkeypatch.setenv(REAL_POSTINGS_ENV, "")  # empty is unset
    assert shared_postings_dir() == SHARED_POSTINGS


@pytest.mark.parametrize("state", ["absent", "empty"])
def test_a_caller_that_needs_the_postings_is_told_the_folder_and_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    folder = tmp_path / "postings"
    if state == "empty":
        folder.mkdir()
        (folder / "README.txt").write_text("no postings here\n", encoding="utf-8")
    monkeypatch.setenv(REAL_POSTINGS_ENV, str(folder))
    assert shared_postings_files() == []  # tests that only use them when at hand still skip
    with pytest.raises(MissingPostingsError) as caught:
        shared_postings_files(required=True)
    message = str(caught.value)
    assert str(folder) in message and REAL_POSTINGS_ENV in message and "\n" not in message
    assert ("does not exist" if state == "absent" else "holds no postings files") in message
    with pytest.raises(MissingPostingsError, match=r"holds no computrabajo_ec_2024\.csv\.gz|does not exist"):
        shared_postings_file("computrabajo_ec_2024.csv.gz")


def test_eval_real_without_the_postings_fails_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from observatory.cli import app

    folder = tmp_path / "no-postings-here"
    monkeypatch.setenv(REAL_POSTINGS_ENV, str(folder))
    result = CliRunner().invoke(app, ["eval", "--real", "--set", "tune"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error:") and str(folder) in lines[0] and REAL_POSTINGS_ENV in lines[0]


def _benchmark(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", PROJECT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmarks_read_the_folder_the_setting_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "postings"
    folder.mkdir()
    write_navent(
        folder / "bumeran_zonajobs_ar_2025-12.json.gz",
        [offer("1118017610", "Desarrollador Python Sr", "Buscamos desarrollador con Python y SQL.", "zonajobs")],
    )
    write_computrabajo(
        folder / "computrabajo_ec_2024.csv.gz",
        [ec_row("EC1", "Vendedor de Mostrador", "Ventas", "Requisitos: experiencia en ventas y manejo de caja.")],
    )
    monkeypatch.setenv(REAL_POSTINGS_ENV, str(folder))
    scraping = _benchmark("scraping")
    assert [(i["source_key"], i["title"]) for i in scraping.bumeran_items()] == [
        ("ar-zonajobs", "Desarrollador Python Sr")
    ]
    extract = _benchmark("extract")
    assert [p["id"] for p in extract.load_postings(shared_postings_dir())] == ["ar-1118017610", "ec-EC1"]


@pytest.mark.parametrize(
    "argv",
    [
        ["extract_equivalence.py", "save", "rows.json"],
        ["duplicate_names.py"],
        ["extract.py", "--startup-runs", "0"],
        ["scraping.py", "--only", "duplicates"],
        ["clusters.py"],
        ["employer_privacy.py"],
        ["salaries.py"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_benchmark_without_the_postings_stops_with_one_line(tmp_path: Path, argv: list[str]) -> None:
    folder = tmp_path / "no-postings-here"
    env = {**os.environ, REAL_POSTINGS_ENV: str(folder)}
    script = [sys.executable, str(PROJECT / "benchmarks" / argv[0]), *argv[1:]]
    done = subprocess.run(script, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and str(folder) in lines[0] and REAL_POSTINGS_ENV in lines[0]
    assert not (tmp_path / "rows.json").exists()
