"""Hostile input to `observatory ingest`: every bad row is refused by itself with its line and reason, the good
rows load, a gzip bomb stops with a clear error in bounded memory, undated rows never land on today by surprise,
and an oversize posting stored earlier does not block extraction of its day.

Every fixture is generated here; the limits that would need huge files are lowered through the module's own
attributes, the others (131,072-character CSV fields, 5,000,000-character descriptions) are exercised for real.
"""

from __future__ import annotations

import csv
import gzip
import json
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.limits import MAX_POSTING_CHARS
from observatory.scraping import readers
from observatory.scraping.ingest import IngestError, UndatedRowsError, ingest_file, parse_field_map
from observatory.scraping.load import load_postings
from observatory.scraping.synthetic import write_gzip_bomb, write_json_lines
from observatory.storage import Database
from observatory.storage.models import Posting, ScrapeRun

MAP = [
    "native_id=id",
    "title=titulo",
    "date_posted=fecha",
    "description=texto",
    "company=empresa",
    "salary=sueldo",
    "url=https://x.test/empleos/{id}.html",
]
FIELDS = parse_field_map(MAP)


def row(native_id: int, **values: Any) -> dict[str, Any]:
    base = {
        "id": str(native_id),
        "titulo": f"Analista de datos {native_id}",
        "fecha": "2025-11-10",
        "texto": f"Buscamos analista {native_id} con SQL, Python y Excel avanzado.",
        "empresa": "Datos SA",
        "sueldo": "$ 900.000",
    }
    return {**base, **values}


def postings(db: Database) -> dict[str, Posting]:
    with db.session() as s:
        return {p.native_id: p for p in s.scalars(select(Posting))}


def scrape_runs(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(ScrapeRun)) or 0)


@pytest.fixture()
def cli_env(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def invoke(path: Path, *extra: str) -> Any:
    args = ["ingest", str(path), *[x for m in MAP for x in ("--map", m)], *extra]
    return CliRunner().invoke(app, args)


# ------------------------------------------------------------------------------------- row by row


def test_every_bad_row_is_refused_alone_and_the_rest_loads(db: Database, tmp_path: Path) -> None:
    deep = '{"id": "2200109", "titulo": "x", "fecha": "2025-11-10", "texto": "t", "empresa": "e", "sueldo": "", "n": '
    deep += "[" * 100_000 + "]" * 100_000 + "}"
    lines: list[dict[str, Any] | str | bytes] = [
        row(2200001),  # 1 good
        row(2200101, empresa="ACME\x00 SA"),  # 2 NUL in a mapped field
        {**row(2200102), "notas": "a\x00b"},  # 3 NUL in an unmapped column (kept in raw)
        row(2200103, fecha="9999-12-31T23:59:59"),  # 4 past the end of time in UTC
        row(2200104, sueldo="10000000000000 USD"),  # 5 NUMERIC overflow
        row(2200105, fecha="ayer-ish 32/13/2024"),  # 6 not yesterday
        row(2200106, fecha="0001-01-01"),  # 7 implausible
        row(2200107, texto="x" * (MAX_POSTING_CHARS + 1)),  # 8 longer than extraction reads
        json.dumps(row(2200108)).encode().replace(b"Datos SA", b"Datos \xff\xfe SA"),  # 9 invalid UTF-8
        deep,  # 10 RecursionError
        '{"id": "2200110", "titulo": ',  # 11 one broken line
        row(2200002, sueldo="-5000"),  # 12 loaded, salary flagged
        row(2200003, sueldo="1e308"),  # 13 loaded, salary flagged
        row(2200004),  # 14 good
        row(2200004),  # 15 repeated
        '{"id": "2200111", "titulo": "x", "fecha": "2025-11-10", "texto": "t", "empresa": "e", "sueldo": 1e999}',
    ]
    path = write_json_lines(tmp_path / "hostile.jsonl", lines)
    report = ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    assert report.rows == 16
    expected = {
        "NUL byte in column 'empresa'": [2],
        "NUL byte in column 'notas'": [3],
        "unreadable date_posted": [4, 6],
        "salary out of range (1,000,000,000,000 or more)": [5],
        "implausible date_posted (before 1995-01-01)": [7],
        f"column 'texto' longer than {MAX_POSTING_CHARS:,} characters": [8],
        "invalid UTF-8 in column 'empresa'": [9],
        "JSON nested too deeply": [10],
        "not JSON (Expecting value)": [11],
        "number out of range in column 'sueldo'": [16],
    }
    assert report.lines == expected
    assert report.rejected == 11
    assert report.flags == {"salary not read: negative amount": 1, "salary not read: amount in exponent notation": 1}
    assert report.flag_lines["salary not read: negative amount"] == [12]
    assert report.repeated == 1 and report.repeated_lines == [[15, 14]]
    stored = postings(db)
    assert sorted(stored) == ["2200001", "2200002", "2200003", "2200004"]
    # Never silently changed: no 5000 from "-5000", no 1..308 from "1e308"; the raw text and the flag are kept.
    assert stored["2200002"].salary_min is None and stored["2200002"].salary_raw == "-5000"
    assert stored["2200002"].raw["salary_issue"] == "negative amount"
    assert stored["2200003"].salary_min is None and stored["2200003"].salary_max is None
    assert report.load.days == {"2025-11-10": 4}


def test_csv_fields_past_the_csv_module_limit_and_bad_csv_rows(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(readers, "MAX_FIELD_CHARS", 150_000)
    # The csv module's default limit, which some libraries raise process-wide on import (scipy's ARFF reader):
    # this test is about fields past the default, and about the reader leaving the limit as it found it.
    previous = csv.field_size_limit(131_072)
    request.addfinalizer(lambda: csv.field_size_limit(previous))
    path = tmp_path / "rows.csv"
    rows = [
        row(2200001, texto="Excel " * 40_000),  # a 240,000-character description: over csv's 131,072, loads
        {**row(2200002), "titulo": "T" * 200},
        row(2200003, empresa="x" * 150_001),  # over this file's per-field limit
        row(2200004, empresa="NUL\x00here"),
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        fh.write("2200005,a,b,c,d,e,f,g\n")
    report = ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    assert report.load.new == 2
    assert report.lines["column 'empresa' longer than 150,000 characters"] == [4]
    assert report.lines["NUL byte in column 'empresa'"] == [5]
    assert report.lines["8 fields where the header has 6"] == [6]
    assert len(postings(db)["2200001"].description or "") > 131_072
    assert csv.field_size_limit() == 131_072  # the process-wide csv limit is left as it was


def test_oversize_lines_and_json_records_are_refused_by_number(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_ROW_CHARS", 5_000)
    lines: list[dict[str, Any] | str | bytes] = [row(2200001), row(2200101, texto="y" * 6_000), row(2200002)]
    report = ingest_file(db, write_json_lines(tmp_path / "big.jsonl", lines), "ar-bumeran", field_map=FIELDS)
    assert report.lines == {"row longer than 5,000 characters": [2]} and report.load.new == 2
    # A CSV row over the limit across several lines of one quoted field is skipped to where its quotes close.
    path = tmp_path / "multiline.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row(0)))
        writer.writeheader()
        writer.writerows([row(2200011), row(2200111, texto="\n".join(["x" * 2_000] * 4)), row(2200012)])
    report = ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    assert report.lines == {"row longer than 5,000 characters": [3]} and report.rows == 3
    assert {"2200011", "2200012"} <= set(postings(db))
    # A JSON dump is cut into records by a scanner: an oversize, a deep and a malformed record are refused alone.
    document = (
        '{"version": "1", "snapshot_date": "2025-12-05", "ofertas": ['
        + json.dumps(row(2200003))
        + ","
        + json.dumps(row(2200102, texto="z" * 6_000))
        + ","
        + '{"id": "2200103", "n": '
        + "[" * 2_000
        + "]" * 2_000
        + "},"
        + '{"id": "2200104", "bad": tru},'
        + json.dumps(row(2200005, fecha=""))
        + '], "total": 5}'
    )
    path = tmp_path / "dump.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(document)
    report = ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    assert report.unit == "record"
    assert report.lines == {
        "row longer than 5,000 characters": [2],
        "JSON nested too deeply": [3],
        "not JSON (Expecting value)": [4],
    }
    # The dump's own export date is the day of its undated posting.
    assert report.undated == 1 and str(report.undated_day) == "2025-12-05"
    assert report.load.days == {"2025-11-10": 1, "2025-12-05": 1}
    broken = tmp_path / "broken.json"
    broken.write_text('{"ofertas": [' + json.dumps(row(2200006)) + " " + json.dumps(row(2200007)) + "]}")
    with pytest.raises(IngestError, match="not valid JSON: expected ',' or ']'"):
        ingest_file(db, broken, "ar-bumeran", field_map=FIELDS)
    assert "2200006" not in postings(db)  # all-or-nothing: a broken document loads nothing


def test_a_dump_written_on_lines_names_records_by_line_and_repeats_by_first_line(db: Database, tmp_path: Path) -> None:
    records = [row(2200001), row(2200002), {**row(2200103), "sueldo": float("inf")}, row(2200001, titulo="Otro")]
    document = json.dumps({"snapshot_date": "2025-12-05", "ofertas": records}, indent=2, allow_nan=True)
    starts = [n for n, text in enumerate(document.splitlines(), start=1) if text == "    {"]
    assert len(starts) == 4 and starts[0] > 1
    path = tmp_path / "pretty.json"
    path.write_text(document, encoding="utf-8")
    report = ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    assert report.unit == "line"
    assert report.lines == {"number out of range in column 'sueldo'": [starts[2]]}
    assert report.repeated_lines == [[starts[3], starts[0]]]
    assert report.repeated_text() == f"lines {starts[3]} (first seen at {starts[0]})"
    # The same dump on one line: every record is on line 1, so records are named by position.
    path.write_text(json.dumps({"ofertas": records}, allow_nan=True), encoding="utf-8")
    report = ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    assert report.unit == "record" and report.lines == {"number out of range in column 'sueldo'": [3]}
    assert report.repeated_text() == "records 4 (first seen at 1)"


def test_line_numbers_of_a_large_dump_hold_across_reads_and_skipped_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_ROW_CHARS", 50_000)
    records: list[dict[str, Any]] = [row(2500000 + n, texto="Excel y SQL. " * 40) for n in range(4_000)]
    # Written on 120,002 lines (2.6 MB, more than one of the reader's 1 MiB reads): over the row limit, skipped.
    records[1_500] = {f"k{n}": n for n in range(120_000)}
    document = json.dumps({"ofertas": records}, indent=1)
    starts = [n for n, text in enumerate(document.splitlines(), start=1) if text == "  {"]
    path = tmp_path / "large.json"
    path.write_text(document, encoding="utf-8")
    rows = readers.Rows(path)
    read = list(rows)
    assert rows.unit == "line" and [line for line, _ in read] == starts
    assert read[1_500][1] == "row longer than 50,000 characters"
    assert isinstance(read[-1][1], dict) and read[-1][1]["id"] == "2503999"


# ------------------------------------------------------------------------------------------ gzip


def test_gzip_bomb_stops_on_the_ratio_with_a_clear_error_in_bounded_memory(
    cli_env: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = write_gzip_bomb(tmp_path / "bomb.jsonl.gz", 1_000)  # ~1 MB expanding to 1 GB
    assert bomb.stat().st_size < 2_000_000
    monkeypatch.setattr(readers, "RATIO_GRACE_BYTES", 8 * 1024**2)
    result = invoke(bomb, "--source", "ar-bumeran")
    assert result.exit_code == 2, result.output
    assert "expands more than 100 times" in result.output and "gzip bomb" in result.output
    assert "Traceback" not in result.output
    assert scrape_runs(cli_env) == 0
    # The one JSON line of the bomb is read in bounded pieces: Python's heap stays small while it is refused.
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match="gzip bomb"):
            ingest_file(cli_env, bomb, "ar-bumeran", field_map=FIELDS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024**2, f"{peak / 1024**2:.0f} MB allocated reading a bomb"


def test_gzip_decompressed_size_limit(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "large.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for n in range(20_000):
            fh.write(json.dumps(row(2300000 + n)) + "\n")
    monkeypatch.setattr(readers, "MAX_DECOMPRESSED_BYTES", 1_000_000)
    with pytest.raises(IngestError, match="decompresses to more than 1,000,000 bytes"):
        ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    assert postings(db) == {} and scrape_runs(db) == 0
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(path.read_bytes()[:5_000])
    monkeypatch.setattr(readers, "MAX_DECOMPRESSED_BYTES", 10**9)
    with pytest.raises(IngestError, match="not a readable gzip file"):
        ingest_file(db, truncated, "ar-bumeran", field_map=FIELDS)


# ------------------------------------------------------------------------------ files and dates (CLI)


def test_empty_file_and_undated_rows_through_the_cli(cli_env: Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = invoke(empty, "--source", "ar-bumeran")
    assert result.exit_code == 1 and "holds no rows: nothing loaded, no run recorded" in result.output
    assert scrape_runs(cli_env) == 0

    undated = write_json_lines(tmp_path / "export-2025.jsonl", [row(2200001), row(2200002, fecha="")])
    result = invoke(undated, "--source", "ar-bumeran")
    assert result.exit_code == 2, result.output
    assert "1 rows have no date (lines 2)" in result.output and "--default-date" in result.output
    assert postings(cli_env) == {} and scrape_runs(cli_env) == 0

    bad = write_json_lines(tmp_path / "bad.jsonl", [row(2200101, fecha="0001-01-01"), "not json"])
    result = invoke(bad, "--source", "ar-bumeran")
    assert result.exit_code == 1 and "no valid row in bad.jsonl (2 rejected): nothing loaded" in result.output
    assert "implausible date_posted (before 1995-01-01) (lines 1)" in result.output
    assert "0001-01-01" not in result.output  # no advice to start the partitions in year 1
    assert scrape_runs(cli_env) == 0

    assert invoke(undated, "--source", "ar-bumeran", "--default-date", "2025-13-01").exit_code == 2


def test_a_hostile_file_loads_its_good_rows_through_the_cli(cli_env: Database, tmp_path: Path) -> None:
    lines: list[dict[str, Any] | str | bytes] = [
        row(2200001),
        row(2200101, empresa="ACME\x00"),
        json.dumps(row(2200102)).encode().replace(b"Datos SA", b"Datos \xe9 SA"),  # Latin-1 é
        row(2200002, sueldo="-5000"),
        row(2200001),
        row(2200003, fecha=""),
        row(2200103, fecha="ayer-ish 32/13/2024"),
    ]
    path = write_json_lines(tmp_path / "export-2025-11.jsonl", lines)
    result = invoke(path, "--source", "ar-bumeran", "--default-date", "2025-11-30")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "rejected 1: NUL byte in column 'empresa' (lines 2)" in out
    assert "rejected 1: invalid UTF-8 in column 'empresa' (lines 3)" in out
    assert "rejected 1: unreadable date_posted (lines 7)" in out
    assert "loaded, flagged 1: salary not read: negative amount (lines 4)" in out
    assert "1 repeated rows: the same posting id again, the last one kept (lines 5 (first seen at 1))" in out
    assert "1 undated rows given the day 2025-11-30" in out
    assert "3 new" in out and "file export-2025-11.jsonl: 7 rows: 4 ar-bumeran, 3 rejected" in out and "1 run(s)" in out
    assert {p.native_id: p.first_seen.date().isoformat() for p in postings(cli_env).values() if not p.date_posted} == {
        "2200003": "2025-11-30"
    }


def test_default_date_places_undated_rows_on_the_export_day(db: Database, tmp_path: Path) -> None:
    path = write_json_lines(tmp_path / "export.jsonl", [row(2200001), row(2200002, fecha=""), row(2200003, fecha="")])
    with pytest.raises(UndatedRowsError):
        ingest_file(db, path, "ar-bumeran", field_map=FIELDS)
    report = ingest_file(db, path, "ar-bumeran", field_map=FIELDS, default_date=datetime(2025, 11, 20).date())
    assert report.load.days == {"2025-11-10": 1, "2025-11-20": 2}
    stored = postings(db)
    # The posting date stays unknown; the day comes from when the export saw it.
    assert stored["2200002"].date_posted is None
    assert stored["2200002"].first_seen.astimezone(UTC).date().isoformat() == "2025-11-20"
    again = ingest_file(db, path, "ar-bumeran", field_map=FIELDS, default_date=datetime(2025, 11, 20).date())
    assert again.load.unchanged == 3 and again.load.days == report.load.days  # re-running is safe


def test_source_column_splits_a_mixed_file(db: Database, tmp_path: Path) -> None:
    path = write_json_lines(
        tmp_path / "mixed.jsonl",
        [
            {**row(2200001), "fuente": "bumeran"},
            {**row(2200002), "fuente": "zonajobs"},
            {**row(2200003), "fuente": "computrabajo"},
            {**row(2200004), "fuente": ""},
        ],
    )
    report = ingest_file(
        db,
        path,
        None,
        field_map=FIELDS,
        source_column="fuente",
        source_map={"bumeran": "ar-bumeran", "zonajobs": "ar-zonajobs"},
    )
    assert {k: s.new for k, s in report.loads.items()} == {"ar-bumeran": 1, "ar-zonajobs": 1}
    assert report.lines == {
        "fuente 'computrabajo' is not in --source-map": [3],
        "fuente empty is not in --source-map": [4],
    }
    assert {p.native_id: p.source_key for p in postings(db).values()} == {
        "2200001": "ar-bumeran",
        "2200002": "ar-zonajobs",
    }
    assert scrape_runs(db) == 2


# ------------------------------------------------------------------------------------ extraction


def test_an_oversize_posting_stored_earlier_does_not_block_its_day(db: Database) -> None:
    from observatory.skills.extractor import default_extractor
    from observatory.skills.store import extract_postings

    items = [
        {"source_key": "ar-bumeran", "native_id": str(n), "url": f"https://x.test/{n}", "title": "Analista",
         "description_text": "Excel y SQL.", "date_posted_raw": "2025-11-10"}
        for n in (2200001, 2200002)
    ]  # fmt: skip
    load_postings(db, items, "ar-bumeran", "test:oversize")
    with db.session() as s:  # what an older version of ingest let through
        s.execute(
            update(Posting).where(Posting.native_id == "2200002").values(description="x" * (MAX_POSTING_CHARS + 1))
        )
    start, end = datetime(2025, 11, 10, tzinfo=UTC), datetime(2025, 11, 11, tzinfo=UTC)
    stats = extract_postings(db, default_extractor(), source_key="ar-bumeran", start=start, end=end)
    assert (stats.postings, stats.oversize) == (1, 1)
    with db.session() as s:
        assert s.execute(text("SELECT count(*) FROM extraction_runs")).scalar_one() == 1
