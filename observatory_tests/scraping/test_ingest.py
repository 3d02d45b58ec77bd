"""`observatory ingest`: a postings export is validated, loaded by posting day, and extracted in one run."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.scraping.ingest import IngestError, ingest_file, parse_field_map
from observatory.storage import Database
from observatory.storage.models import ExtractionRun, Posting

ROWS = [
    {"id": "2167866", "titulo": "Desarrollador Python", "fecha": "2025-11-10", "texto": "Python, SQL y Docker."},
    {"id": "2167867", "titulo": "Analista contable", "fecha": "2025-11-12", "texto": "Excel avanzado."},
    {"id": "x-bad", "titulo": "Id roto", "fecha": "2025-11-12", "texto": "Nada."},
    {"id": "2167868", "titulo": "Vendedor", "fecha": "2024-07-01", "texto": "Ventas y atención al cliente."},
]
MAP = ["native_id=id", "title=titulo", "date_posted=fecha", "description=texto", "url=https://x.test/empleos/{id}.html"]


@pytest.fixture()
def cli_env(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def test_ingest_loads_by_posting_day_and_extracts_in_one_run(cli_env: Database, tmp_path: Path) -> None:
    path = tmp_path / "dump.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump({"version": "1", "ofertas": ROWS}, fh)
    args = ["ingest", str(path), "--source", "ar-bumeran", *[x for m in MAP for x in ("--map", m)]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output and "1 rejected" in result.output
    assert "malformed native_id (records 3)" in result.output
    assert "before the first partition day" in result.output  # the 2024 posting
    assert "1 run" in result.output
    with cli_env.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 3
        # Extraction found the postings by their own day: both in-range postings extracted, not the 2024 one.
        assert s.scalar(select(func.count()).select_from(ExtractionRun)) == 2


def test_csv_and_field_map_errors(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    report = ingest_file(db, path, "ar-bumeran", field_map=parse_field_map(MAP))
    assert (report.rows, report.load.new, report.rejected) == (4, 3, 1)
    assert report.load.days == {"2024-07-01": 1, "2025-11-10": 1, "2025-11-12": 1}
    again = ingest_file(db, path, "ar-bumeran", field_map=parse_field_map(MAP))
    assert again.load.new == 0 and again.load.unchanged == 3  # re-running is safe
    with pytest.raises(IngestError, match="unknown field 'titel'"):
        parse_field_map(["titel=titulo"])
    with pytest.raises(IngestError, match="expected field=column"):
        parse_field_map(["title"])
    missing = ingest_file(db, path, "ar-bumeran", field_map={"title": "nope"})
    assert not missing.loads and all("not in the row" in r for r in missing.reasons)
