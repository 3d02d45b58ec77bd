"""Real crawls (Scrapy in a child process) of the bundled snapshot on 127.0.0.1, loaded into PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from observatory.scraping.load import load_postings
from observatory.scraping.runner import CrawlError, CrawlResult
from observatory.scraping.snapshot import serve_snapshot
from observatory.storage import Database
from observatory.storage.models import Posting, ScrapeRun

Crawl = Callable[..., CrawlResult]


def _postings(db: Database, source: str) -> list[Posting]:
    with db.session() as session:
        rows = session.scalars(select(Posting).where(Posting.source_key == source)).all()
        session.expunge_all()
        return list(rows)


def test_computrabajo_crawl_follows_pagination_and_details(db: Database, crawl: Crawl) -> None:
    with serve_snapshot(("co-computrabajo",)) as snap:
        result = crawl(snap, "co-computrabajo")
        paths = [r["path"] for r in snap.requests("co-computrabajo")]
    assert paths[0] == "/robots.txt"  # robots.txt is read before anything else
    assert "/ofertas-de-trabajo/?p=2" in paths
    assert result.pages == 2
    assert result.items == 25 and result.summary["invalid"] == 0
    assert result.summary["detail_missing"] == 1  # the withdrawn offer redirects to a listing
    stats = load_postings(db, result.postings(), "co-computrabajo", "test:ct")
    assert stats.new == 25 and stats.invalid == 0
    stored = _postings(db, "co-computrabajo")
    assert len(stored) == 25
    full = [p for p in stored if p.raw.get("page_type") == "detail"]
    assert len(full) == 24
    assert all(p.date_posted is not None and p.description and p.city for p in full)
    assert all(p.id == f"computrabajo:{p.native_id}" for p in stored)
    assert any(p.salary_min is not None and p.salary_currency == "COP" for p in stored)
    # A repost of the same ad a month later is linked to the first one, not dropped.
    reposts = [p for p in stored if p.duplicate_of]
    assert len(reposts) == 1 and reposts[0].duplicate_of in {p.id for p in stored}
    # Text that quotes markup stays text.
    assert any("<script>alert(1)</script>" in (p.description or "") for p in stored)


def test_query_crawl_reads_the_keyword_listing(db: Database, crawl: Crawl) -> None:
    with serve_snapshot(("co-computrabajo",)) as snap:
        result = crawl(snap, "co-computrabajo", query="Python", max_pages=3)
        paths = [r["path"] for r in snap.requests("co-computrabajo")]
    assert "/trabajo-de-python" in paths
    postings = list(result.postings())
    assert postings and all("python" in (p["description"] or "").lower() for p in postings)


def test_recrawl_adds_nothing_and_keeps_first_seen(db: Database, crawl: Crawl) -> None:
    with serve_snapshot(("co-elempleo",)) as snap:
        first = crawl(snap, "co-elempleo")
        second = crawl(snap, "co-elempleo")
    s1 = load_postings(db, first.postings(), "co-elempleo", "test:ee:1")
    before = {p.id: (p.first_seen, p.last_seen) for p in _postings(db, "co-elempleo")}
    s2 = load_postings(db, second.postings(), "co-elempleo", "test:ee:2")
    after = {p.id: (p.first_seen, p.last_seen) for p in _postings(db, "co-elempleo")}
    assert first.pages == 2 and s1.new == 13
    assert (s2.new, s2.updated, s2.unchanged) == (0, 0, 13)
    assert set(after) == set(before)
    assert all(after[k][0] == before[k][0] and after[k][1] > before[k][1] for k in after)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ScrapeRun)) == 2


def test_bumeran_speaks_the_api(db: Database, crawl: Crawl) -> None:
    with serve_snapshot(("ar-bumeran",)) as snap:
        result = crawl(snap, "ar-bumeran", overrides={"CONCURRENT_REQUESTS_PER_DOMAIN": 1})
        requests = snap.requests("ar-bumeran")
    posts = [r for r in requests if r["method"] == "POST"]
    assert [r["path"].split("page=")[1].split("&")[0] for r in posts] == ["0", "1"]  # 0-based pages
    assert all(r["site_id"] == "BMAR" for r in posts)
    assert all(r["cookie"] and "ABSESSION" in r["cookie"] for r in posts)  # cookies from /empleos.html
    assert result.items == 25
    load_postings(db, result.postings(), "ar-bumeran", "test:bm")
    stored = _postings(db, "ar-bumeran")
    assert len(stored) == 25
    assert all(p.date_posted and p.description and p.work_mode for p in stored)
    assert result.summary["missing"]["salary_min"] == 25  # the API publishes no salaries: visible, not hidden


def test_cross_portal_near_duplicates_are_linked(db: Database, crawl: Crawl) -> None:
    with serve_snapshot(("co-computrabajo", "co-elempleo")) as snap:
        ct = crawl(snap, "co-computrabajo")
        ee = crawl(snap, "co-elempleo")
    load_postings(db, ct.postings(), "co-computrabajo", "test:x:ct")
    stats = load_postings(db, ee.postings(), "co-elempleo", "test:x:ee")
    assert stats.duplicates == 1
    twins = [p for p in _postings(db, "co-elempleo") if p.duplicate_of]
    assert len(twins) == 1 and twins[0].duplicate_of.startswith("computrabajo:")
    assert len(_postings(db, "co-elempleo")) == 13  # linked, never deleted


def test_invalid_items_are_counted_with_their_reason(db: Database, crawl: Crawl) -> None:
    with serve_snapshot(("ar-computrabajo",)) as snap:
        result = crawl(snap, "ar-computrabajo")
    assert result.summary["invalid"] == 1
    assert result.summary["invalid_reasons"] == {"malformed_native_id": 1}
    assert result.invalid_postings[0]["native_id"] == "NO-ES-UN-ID"
    assert result.items == 9
    assert result.summary.get("missing")


def test_429_retry_after_500_and_timeouts(db: Database, crawl: Crawl) -> None:
    listing = "/ofertas-de-trabajo/"
    with serve_snapshot(("mx-computrabajo",), timeout_s=3) as snap:
        details = [r for r in _detail_paths(snap, "mx-computrabajo")]
        faults = snap.sites["mx-computrabajo"].faults
        faults[listing] = [429]
        faults[details[0]] = [500, 500, 500, 500, 500]  # beyond RETRY_TIMES: give up on that detail
        faults[details[1]] = ["timeout"]
        result = crawl(snap, "mx-computrabajo", overrides={"DOWNLOAD_TIMEOUT": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1})
        hits = [r for r in snap.requests("mx-computrabajo") if r["path"] == listing]
    assert len(hits) == 2 and hits[1]["at"] - hits[0]["at"] >= 0.9  # waited what Retry-After asked
    assert result.summary["retry_after_honoured"] == 1
    assert result.summary["detail_failed"] == 1
    assert result.items == 10  # the failed detail still yields its card, the timed-out one was retried
    assert result.summary["retries"] >= 4


def _detail_paths(snap: object, source: str) -> list[str]:
    from observatory.scraping.snapshot.layout import SITES

    return sorted(
        "/ofertas-de-trabajo/" + p.stem for p in (SITES / source / "ofertas-de-trabajo").glob("oferta-de-trabajo-de-*")
    )


def test_robots_txt_is_obeyed(crawl: Crawl) -> None:
    with serve_snapshot(("co-elempleo",), robots={"co-elempleo": "User-agent: *\nDisallow: /co/\n"}) as snap:
        with pytest.raises(CrawlError) as failed:
            crawl(snap, "co-elempleo")
        paths = [r["path"] for r in snap.requests("co-elempleo")]
    assert paths == ["/robots.txt"]
    # Nothing fetched is a failure that says why, not an empty success.
    assert "robots.txt" in failed.value.reason
    assert failed.value.result is not None and failed.value.result.summary["robots_forbidden"] >= 1


def test_incremental_crawl_stops_at_known_postings(crawl: Crawl) -> None:
    with serve_snapshot(("co-computrabajo", "ar-bumeran")) as snap:
        full = crawl(snap, "co-computrabajo")
        known = {p["native_id"] for p in full.postings()}
        again = crawl(snap, "co-computrabajo", known_ids=known)
        recent = crawl(snap, "ar-bumeran", since=__import__("datetime").date(2026, 11, 1))
    assert full.pages == 2
    assert again.pages == 1 and again.summary["incremental_stop"] == 1
    assert recent.summary["incremental_stop"] == 1 and recent.summary["skipped_old"] > 0
    assert all(p["date_posted"] >= "2026-11-01" for p in recent.postings())
    assert 0 < recent.items < 25


def test_user_agents_rotate_from_configuration(settings: object, crawl: Crawl) -> None:
    import json

    agents = ["obs-test-agent/1", "obs-test-agent/2"]
    with serve_snapshot(("ar-computrabajo",)) as snap:
        crawl(snap, "ar-computrabajo", overrides={"OBSERVATORY_USER_AGENTS": json.dumps(agents)})
        seen = {r["user_agent"] for r in snap.requests("ar-computrabajo") if r["path"] != "/robots.txt"}
    assert seen <= set(agents) and len(seen) == 2


def test_bumeran_detail_records_and_resumable_job_state(crawl: Crawl, settings: object) -> None:
    from pathlib import Path

    with serve_snapshot(("ar-bumeran",)) as snap:
        result = crawl(snap, "ar-bumeran", spider_args={"details": "true"}, resumable=True)
        fichas = [r for r in snap.requests("ar-bumeran") if "/fichaAvisoNormalizada/" in r["path"]]
    assert len(fichas) == 25 and all(r["site_id"] == "BMAR" for r in fichas)
    postings = list(result.postings())
    assert len(postings) == 25 and {p["page_type"] for p in postings} == {"detail"}
    assert {p["raw"]["state"] for p in postings} == {"ACTIVO"}
    # The job state (kept while the crawl runs, for resuming) is cleared once the crawl finished,
    # so that the next crawl does not skip everything it saw.
    jobs = Path(settings.data_dir) / "scrapy" / "jobs"  # type: ignore[attr-defined]
    # made by Scrapy for JOBDIR (the runner does not create it), then emptied by the runner
    assert jobs.is_dir() and not list(jobs.glob("ar-bumeran-*"))


def test_an_empty_page_is_reported_not_fatal(crawl: Crawl) -> None:
    with serve_snapshot(("co-elempleo",)) as snap:
        snap.sites["co-elempleo"].faults["/co/ofertas-empleo/?trabajo=&pagina=2"] = ["empty"]
        result = crawl(snap, "co-elempleo")
    assert result.summary["finish_reason"] == "finished"
    assert result.pages == 2 and result.summary["empty_listing"] == 1
    assert result.items == 10  # the first page's postings are kept


def test_requests_go_through_configured_proxies(crawl: Crawl) -> None:
    import json

    with serve_snapshot(("co-elempleo",)) as site, serve_snapshot(("co-elempleo",)) as proxy:
        result = crawl(
            site, "co-elempleo", overrides={"OBSERVATORY_PROXIES": json.dumps([proxy.base_url("co-elempleo")])}
        )
        direct = site.requests("co-elempleo")
        proxied = proxy.sites["co-elempleo"].proxied
    assert result.items == 13
    assert direct == [] and proxied == len(proxy.requests("co-elempleo")) > 13
