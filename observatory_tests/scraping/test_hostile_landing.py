"""Hostile files in the landing folder: every bad line is rejected by itself with its line and reason (never
repaired), the valid lines all load, a 50 MB line is refused without being held in memory, and the load says so
in one summary line.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from observatory.scraping.load import landing_dir, load_landing_file, read_jsonl
from observatory.scraping.readers import MAX_ROW_CHARS, IngestError
from observatory.scraping.synthetic import write_json_lines
from observatory.storage import Database
from observatory.storage.models import Posting, ScrapeRun


def item(native_id: int, **values: Any) -> dict[str, Any]:
    base = {
        "source_key": "ar-bumeran",
        "native_id": str(native_id),
        "url": f"https://www.bumeran.com.ar/empleos/{native_id}.html",
        "title": f"Analista contable {native_id}",
        "company": "Números SA",
        "description_text": "Liquidación de sueldos, Excel avanzado y Tango Gestión.",
        "date_posted_raw": "2025-11-10",
    }
    return {**base, **values}


def test_each_bad_line_is_rejected_alone_and_every_valid_line_loads(db: Database, tmp_path: Path) -> None:
    huge = 50 * 1024**2  # one 50 MB line, far over the row limit
    assert huge > MAX_ROW_CHARS
    path = landing_dir(tmp_path, "ar-bumeran") / "crawl-1.jsonl"
    write_json_lines(
        path,
        [
            item(2300001),  # 1
            json.dumps(item(2300101)).encode().replace(b"Analista", b"Anal\xedsta"),  # 2 Latin-1 í: not UTF-8
            item(2300102, company="ACME\x00 SA"),  # 3 NUL (escaped in JSON, a NUL once parsed)
            "",  # 4 blank: nothing
            '{"native_id": "2300103", "title": ',  # 5 cut short
            "[1, 2, 3]",  # 6 not an object
            '{"native_id": "2300104", "n": ' + "[" * 50_000 + "]" * 50_000 + "}",  # 7 nested too deeply
            '{"native_id": "2300105", "description_text": "' + "x" * huge + '"}',  # 8 oversize
            item(2300002),  # 9
            item(2300001, title="Analista contable senior"),  # 10 the same posting again: the last one kept
            item(2300003),  # 11
        ],
    )
    tracemalloc.start()
    try:
        stats = load_landing_file(db, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The 50 MB line is read in bounded pieces, not whole (that alone would be 100 MB: bytes, then text).
    assert peak < 48 * 1024**2, f"{peak / 1024**2:.0f} MB allocated loading a file with a 50 MB line"
    assert stats.invalid_lines == {
        "invalid UTF-8 in column 'title'": [2],
        "NUL byte in column 'company'": [3],
        "not JSON (Expecting value)": [5],
        "not a JSON object": [6],
        "JSON nested too deeply": [7],
        f"row longer than {MAX_ROW_CHARS:,} characters": [8],
    }
    assert (stats.received, stats.invalid, stats.new, stats.repeated) == (10, 6, 3, 1)
    assert stats.repeated_lines == [[10, 1]]
    with db.session() as session:
        stored = {p.native_id: p.title for p in session.scalars(select(Posting))}
        run = session.scalars(select(ScrapeRun)).one()
    assert stored == {
        "2300001": "Analista contable senior",
        "2300002": "Analista contable 2300002",
        "2300003": "Analista contable 2300003",
    }
    assert not any("\ufffd" in title for title in stored.values())  # nothing was "repaired"
    assert run.stats["load"]["invalid_lines"]["NUL byte in column 'company'"] == [3]
    summary = stats.summary("crawl-1.jsonl")
    assert "\n" not in summary
    assert summary.startswith("crawl-1.jsonl: 10 lines read, 3 new, 0 updated, 0 unchanged, 0 near-duplicates")
    assert "1 repeated (lines 10 (first seen at 1))" in summary
    assert "6 rejected: 1 invalid UTF-8 in column 'title' (lines 2); 1 NUL byte in column 'company' (lines 3)" in (
        summary
    )
    again = load_landing_file(db, path)  # re-running is safe: the same run, nothing new
    assert (again.new, again.unchanged, again.invalid) == (0, 3, 6)


def test_many_bad_lines_are_counted_in_full_with_the_first_lines_shown(db: Database, tmp_path: Path) -> None:
    lines: list[dict[str, Any] | str | bytes] = [item(2300001)]
    lines += [b'{"title": "\xff"}'] * 12
    stats = load_landing_file(db, write_json_lines(landing_dir(tmp_path, "ar-bumeran") / "bad.jsonl", lines))
    assert stats.invalid_reasons == {"invalid UTF-8 in column 'title'": 12}
    assert stats.invalid_lines == {"invalid UTF-8 in column 'title'": [2, 3, 4, 5, 6]}
    assert "12 invalid UTF-8 in column 'title' (lines 2, 3, 4, 5, 6…)" in stats.summary("bad.jsonl")


def test_gzipped_lines_are_read_and_a_truncated_gzip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for n in range(3_000):
            fh.write(json.dumps(item(2400000 + n, description_text=f"Texto {n} " * 20)) + "\n")
    assert [line for line, _ in read_jsonl(path)][-1] == 3_000
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IngestError, match=r"truncated\.jsonl\.gz is not a readable gzip file"):
        list(read_jsonl(truncated))
    missing = tmp_path / "gone.jsonl"
    with pytest.raises(IngestError, match="does not exist"):
        list(read_jsonl(missing))
