"""The landing sensor takes every format ``observatory ingest`` reads (JSON lines, CSV, JSON; gzipped or not), and a
file it cannot read (permissions, a broken gzip, not JSON) is skipped with its reason, remembered until it changes,
and never stops the other files of the tick."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from sqlalchemy import select

from observatory.config import Settings
from observatory.defs import scraping
from observatory.defs.resources import ObservatoryDatabase
from observatory.scraping.load import is_landing_file, landing_dir, landing_files, load_landing_file, read_landing
from observatory.storage import Database
from observatory.storage.models import Posting
from observatory_tests.scraping.test_hostile_landing import item as landed_item

CSV_COLUMNS = ["source_key", "native_id", "url", "title", "company", "description_text", "date_posted_raw",
               "skills_tags"]  # fmt: skip


def item(native_id: int, day: str = "2025-11-10", **values: Any) -> dict[str, Any]:
    return landed_item(native_id, date_posted_raw=day, **values)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture()
def landing(settings: Settings) -> Iterator[Path]:
    folder = landing_dir(Path(settings.data_dir), "ar-bumeran")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder.parent)  # the data folder is the session's: the other sensor tests start empty


class _Messages(logging.Handler):
    """What the sensor logs (Dagster's sensor logger is a logger of its own, not one pytest listens to)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def skipped(self) -> list[str]:
        return [m for m in self.messages if "skipped, cannot be read" in m]


def _tick(settings: Settings, cursor: str | None = None, log: _Messages | None = None) -> dg.SensorResult:
    resources = {"database": ObservatoryDatabase(data_dir=str(settings.data_dir))}
    with dg.build_sensor_context(cursor=cursor, resources=resources) as context:
        if log is not None:
            context.log.addHandler(log)
        result = scraping.new_scrape_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def _stored(db: Database) -> dict[str, Posting]:
    with db.session() as session:
        return {p.native_id: p for p in session.scalars(select(Posting))}


def test_every_format_lands_and_an_unreadable_file_is_skipped_until_it_changes(
    db: Database,
    settings: Settings,
    landing: Path,
) -> None:
    (landing / "crawl-1.jsonl").write_text(json.dumps(item(2500001)) + "\n", encoding="utf-8")
    # The crawl's report beside its file is read with it, never loaded as postings.
    (landing / "crawl-1.stats.json").write_text(json.dumps({"summary": {"pages": 3}}), encoding="utf-8")
    with gzip.open(landing / "crawl-2.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(item(2500002, day="2025-11-11")) + "\n")
    # Scrapy's CSV feed: tags joined by commas, an empty cell for a missing value.
    (landing / "export-3.csv").write_text(_csv([item(2500003, company="", skills_tags="Excel, SAP")]), encoding="utf-8")
    with gzip.open(landing / "export-4.csv.gz", "wt", encoding="utf-8", newline="") as fh:
        fh.write(_csv([item(2500004, skills_tags="")]))
    (landing / "feed-5.json").write_text(json.dumps([item(2500005), item(2500006)]), encoding="utf-8")
    with gzip.open(landing / "dump-6.json.gz", "wt", encoding="utf-8") as fh:
        json.dump({"exported_at": "2025-11-12", "items": [item(2500007)]}, fh)
    # Unreadable: a gzip that is not one, a JSON file that is not JSON, a JSON object without postings.
    (landing / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    (landing / "notes.json").write_text("scraped by hand, see the csv", encoding="utf-8")
    (landing / "meta.json").write_text(json.dumps({"pages": 3}), encoding="utf-8")
    # Neither a regular file nor a postings name: a FIFO would block the reader, the rest is not ours to read.
    os.mkfifo(landing / "pipe.jsonl")
    (landing / "folder.jsonl").mkdir()
    (landing / "readme.txt").write_text("landing folder", encoding="utf-8")
    unreadable = {"broken.jsonl.gz", "notes.json", "meta.json"}

    log = _Messages()
    first = _tick(settings, log=log)
    stored = _stored(db)
    assert set(stored) == {f"250000{n}" for n in range(1, 8)}
    assert stored["2500003"].company is None and stored["2500003"].raw["skills_tags"] == ["Excel", "SAP"]
    assert "skills_tags" not in stored["2500004"].raw
    # One extraction run per readable file; the unreadable ones each said why, once.
    assert len(first.run_requests) == 6
    assert {Path(r.run_key.split(":")[0]).name for r in first.run_requests} == {
        "crawl-1.jsonl", "crawl-2.jsonl.gz", "export-3.csv", "export-4.csv.gz", "feed-5.json", "dump-6.json.gz",
    }  # fmt: skip
    warnings = log.skipped()
    assert sorted(Path(w.split(":")[0]).name for w in warnings) == sorted(unreadable)
    assert any("broken.jsonl.gz is not a readable gzip file" in w for w in warnings)
    assert any("notes.json is not valid JSON" in w for w in warnings)
    assert any("no list of postings found" in w for w in warnings)
    cursor = json.loads(first.cursor or "[]")
    remembered = [entry for entry in cursor if entry.startswith("unreadable:")]
    assert sorted(Path(e.split(":")[1]).name for e in remembered) == sorted(unreadable)

    # The next tick neither reloads the loaded files nor retries the unreadable ones.
    log = _Messages()
    again = _tick(settings, first.cursor, log)
    assert not again.run_requests and not again.asset_events
    assert json.loads(again.cursor or "[]") == cursor
    assert not [m for m in log.messages if "skipped" in m]

    # A change is noticed: new content loads; a chmod alone (same size and time) is a retry, logged again.
    (landing / "notes.json").write_text(json.dumps([item(2500008, day="2025-11-13")]), encoding="utf-8")
    os.chmod(landing / "meta.json", 0o600)
    log = _Messages()
    third = _tick(settings, again.cursor, log)
    assert [Path(r.run_key.split(":")[0]).name for r in third.run_requests] == ["notes.json"]
    assert "2500008" in _stored(db)
    retried = log.skipped()
    assert [Path(w.split(":")[0]).name for w in retried] == ["meta.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its permissions")
def test_a_file_without_read_permission_is_skipped_and_the_others_load(
    db: Database,
    settings: Settings,
    landing: Path,
) -> None:
    locked = landing / "locked.jsonl"
    locked.write_text(json.dumps(item(2600001)) + "\n", encoding="utf-8")
    locked.chmod(0)
    (landing / "open.jsonl").write_text(json.dumps(item(2600002)) + "\n", encoding="utf-8")
    log = _Messages()
    result = _tick(settings, log=log)
    assert set(_stored(db)) == {"2600002"} and len(result.run_requests) == 1
    assert any("locked.jsonl: skipped, cannot be read" in m for m in log.skipped())
    locked.chmod(0o600)


def test_landing_names_and_source_folders(tmp_path: Path) -> None:
    names = ["a.jsonl", "b.JSONL.GZ", "c.ndjson", "d.csv", "e.csv.gz", "f.json", "g.json.gz"]
    ignored = ["a.stats.json", "h.txt", ".partial.jsonl", "i.jsonl.part", "j.gz"]
    assert [n for n in names + ignored if is_landing_file(Path(n))] == names
    folder = landing_dir(tmp_path, "co-elempleo")
    folder.mkdir(parents=True)
    (folder / "b.JSONL.GZ").write_bytes(gzip.compress(json.dumps(item(1)).encode() + b"\n"))
    rows = list(read_landing(folder / "b.JSONL.GZ"))
    assert [(line, row["native_id"]) for line, row in rows] == [(1, "1")]
    problems: list[tuple[Path, str]] = []
    (tmp_path / "landing" / "pe-bumeran").write_text("a file where a source folder belongs", encoding="utf-8")
    assert landing_files(tmp_path, problems) == [("co-elempleo", folder / "b.JSONL.GZ")] and not problems
    assert landing_files(tmp_path / "nowhere", problems) == [] and not problems


def test_a_row_whose_extras_are_not_an_object_is_rejected_alone(db: Database, tmp_path: Path) -> None:
    path = landing_dir(tmp_path, "ar-bumeran") / "crawl.jsonl"
    path.parent.mkdir(parents=True)
    landed_normalised = {**item(2700003), "content_hash": "x", "portal": "bumeran", "raw": "text"}
    lines = [item(2700001), item(2700002, raw="portal extras as text"), landed_normalised, item(2700004)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    stats = load_landing_file(db, path)
    assert stats.invalid_lines == {
        "cannot normalise: raw is not an object (str)": [2],
        "raw is not an object (str)": [3],
    }
    assert set(_stored(db)) == {"2700001", "2700004"}
