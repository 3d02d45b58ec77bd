"""Loading postings: validation, exact and near duplicates, the landing folder, the ``scrape`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from observatory.config import Settings
from observatory.scraping.load import landing_dir, landing_files, load_landing_file, load_postings
from observatory.scraping.snapshot import serve_snapshot
from observatory.storage import Database
from observatory.storage.models import Posting, ScrapeRun

RAW = {
    "source_key": "co-computrabajo",
    "portal": "computrabajo",
    "country": "co",
    "url": "https://co.computrabajo.com/ofertas-de-trabajo/oferta-de-trabajo-de-analista-0123456789ABCDEF0123456789ABCDEF",
    "title": "Analista de Datos",
    "company": "Nimbus Analytics",
    "description_html": "<p>Manejo de SQL, Excel y Python.</p><ul><li>Power BI</li></ul>",
    "location_raw": "Medellín, Antioquia",
    "salary_raw": "$ 4.500.000,00 (Mensual)",
    "date_posted_raw": "2026-10-01",
    "scraped_at": "2026-11-28T12:00:00+00:00",
}


def _raw(native_id: str, **changes: str) -> dict:
    return {**RAW, "native_id": native_id, **changes}


def test_raw_items_are_normalised_validated_and_stored(db: Database) -> None:
    items = [
        _raw("0123456789ABCDEF0123456789ABCDEF"),
        _raw("0123456789ABCDEF0123456789ABCDEF"),  # the same posting twice in one load
        _raw("not-an-id"),
        _raw("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", title=""),
        _raw("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", source_key="co-elempleo"),
    ]
    stats = load_postings(db, items, "co-computrabajo", "test:raw")
    assert (stats.received, stats.new, stats.repeated, stats.invalid) == (5, 1, 1, 3)
    # Lines are positions in the load here (a crawl's items have no file).
    assert stats.repeated_lines == [[2, 1]] and stats.invalid_lines["missing title"] == [4]
    assert set(stats.invalid_reasons) == {
        "malformed native_id",
        "missing title",
        "source 'co-elempleo' loaded as 'co-computrabajo'",
    }
    with db.session() as session:
        posting = session.scalars(select(Posting)).one()
        run = session.scalars(select(ScrapeRun)).one()
        assert posting.city == "Medellín" and float(posting.salary_min) == 4_500_000
        assert posting.description == "Manejo de SQL, Excel y Python.\n\n- Power BI"
        assert posting.language == "es" and posting.scrape_run_id == run.id
        assert run.status == "loaded" and run.stats["load"]["invalid"] == 3


def test_changed_posting_counts_as_updated(db: Database) -> None:
    load_postings(db, [_raw("0123456789ABCDEF0123456789ABCDEF")], "co-computrabajo", "test:u1")
    changed = _raw("0123456789ABCDEF0123456789ABCDEF", description_html="<p>Ahora también AWS.</p>")
    stats = load_postings(db, [changed], "co-computrabajo", "test:u2")
    assert (stats.new, stats.updated) == (0, 1)
    with db.session() as session:
        assert session.scalars(select(Posting.description)).one() == "Ahora también AWS."


def test_landing_file_loads_once_per_version(db: Database, settings: Settings, tmp_path: Path) -> None:
    folder = landing_dir(tmp_path, "co-computrabajo")
    folder.mkdir(parents=True)
    path = folder / "crawl-1.jsonl"
    path.write_text(json.dumps(_raw("0123456789ABCDEF0123456789ABCDEF")) + "\nnot json\n", encoding="utf-8")
    (folder.parent / "not-a-source").mkdir()
    assert landing_files(tmp_path) == [("co-computrabajo", path)]
    stats = load_landing_file(db, path)
    assert stats.new == 1 and stats.invalid_reasons == {"not JSON (Expecting value)": 1}
    assert stats.invalid_lines == {"not JSON (Expecting value)": [2]}
    again = load_landing_file(db, path)
    assert again.new == 0 and again.unchanged == 1
    with db.session() as session:
        assert session.scalars(select(ScrapeRun.run_key)).all() == [stats.run_key]  # same file version, same run


def test_scrape_command_crawls_a_mirror_and_loads(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from observatory import cli
    from observatory.config import get_settings

    # Through the environment, as a user would: every command helper reads the same settings.
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    monkeypatch.setenv("OBSERVATORY_CRAWL__DOWNLOAD_DELAY", "0")
    monkeypatch.setenv("OBSERVATORY_CRAWL__AUTOTHROTTLE", "false")
    get_settings.cache_clear()
    with serve_snapshot(("ar-computrabajo",)) as snap:
        result = CliRunner().invoke(
            cli.app,
            [
                "scrape",
                "--source",
                "ar-computrabajo",
                "--query",
                "python",
                "--max-pages",
                "2",
                "--base-url",
                snap.base_url("ar-computrabajo"),
            ],
        )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "new" in result.output
    with db.session() as session:
        titles = session.scalars(select(Posting.title).where(Posting.source_key == "ar-computrabajo")).all()
    assert titles and len(titles) <= 10
    bad = CliRunner().invoke(cli.app, ["scrape", "--source", "xx-nowhere"])
    assert bad.exit_code == 2 and "unknown source" in bad.output


def test_snapshot_crawl_for_the_demo(db: Database, settings: Settings) -> None:
    from observatory.scraping.demo import crawl_snapshot

    results = crawl_snapshot(db, settings)
    assert {k: v.new for k, v in results.items()} == {
        "co-computrabajo": 25,
        "mx-computrabajo": 10,
        "ar-computrabajo": 9,
        "ar-bumeran": 25,
        "co-elempleo": 13,
    }
    assert results["ar-computrabajo"].invalid == 0  # the crawl itself dropped (and reported) the bad card
    with db.session() as session:
        linked = session.execute(select(Posting.id, Posting.duplicate_of).where(Posting.duplicate_of.is_not(None)))
        pairs = {row.id.split(":")[0] + "->" + row.duplicate_of.split(":")[0] for row in linked}
        dates = session.scalars(select(Posting.date_posted)).all()
    # a repost on Computrabajo, and one ad each on ElEmpleo and Bumeran that Computrabajo also carries
    assert pairs == {"computrabajo->computrabajo", "elempleo->computrabajo", "bumeran->computrabajo"}
    months = {d.strftime("%Y-%m") for d in dates if d}
    assert {"2026-06", "2026-11"} <= months and len(months) >= 5
