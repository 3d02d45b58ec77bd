"""The summary of `observatory ingest` on a mixed file: each source's line gives that source's own row count
(it once printed "loaded ar-bumeran: 0 rows: 5294 new"), and the file's rows are split once by source."""

from __future__ import annotations

import re
from pathlib import Path

from observatory.scraping.ingest import ingest_file
from observatory.scraping.synthetic import write_json_lines
from observatory.storage import Database
from observatory_tests.scraping.test_hostile_input import FIELDS, cli_env, invoke, row

__all__ = ["cli_env"]  # the fixture, imported for the CLI test

SOURCE_MAP = {"bumeran": "ar-bumeran", "zonajobs": "ar-zonajobs"}


def mixed_file(tmp_path: Path) -> Path:
    """3 Bumeran rows (one repeated), 2 ZonaJobs rows and 1 row of a source not in the map: 6 rows."""
    return write_json_lines(
        tmp_path / "mixed.jsonl",
        [
            {**row(2200001), "fuente": "bumeran"},
            {**row(2200002), "fuente": "zonajobs"},
            {**row(2200003), "fuente": "bumeran"},
            {**row(2200004), "fuente": "computrabajo"},
            {**row(2200005), "fuente": "zonajobs"},
            {**row(2200001, titulo="Analista de datos senior"), "fuente": "bumeran"},
        ],
    )


def test_each_source_counts_its_own_rows(db: Database, tmp_path: Path) -> None:
    report = ingest_file(
        db, mixed_file(tmp_path), None, field_map=FIELDS, source_column="fuente", source_map=SOURCE_MAP
    )
    assert {k: (s.received, s.new, s.repeated) for k, s in report.loads.items()} == {
        "ar-bumeran": (3, 2, 1),
        "ar-zonajobs": (2, 2, 0),
    }
    assert (report.rows, report.rejected) == (6, 1)
    assert report.rows == sum(s.received for s in report.loads.values()) + report.rejected


def test_ingest_summary_lines_of_a_mixed_file(cli_env: Database, tmp_path: Path) -> None:
    args = ["--source-column", "fuente", *[x for k, v in SOURCE_MAP.items() for x in ("--source-map", f"{k}={v}")]]
    result = invoke(mixed_file(tmp_path), *args)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())  # rich may wrap long lines
    assert re.search(r"loaded ar-bumeran: 3 rows: 2 new, 0 updated, 0 unchanged, \d+ near-duplicates", out), out
    assert re.search(r"loaded ar-zonajobs: 2 rows: 2 new, 0 updated, 0 unchanged, \d+ near-duplicates", out), out
    assert "file mixed.jsonl: 6 rows: 3 ar-bumeran, 2 ar-zonajobs, 1 rejected" in out
    assert "rejected 1: fuente 'computrabajo' is not in --source-map (lines 4)" in out
