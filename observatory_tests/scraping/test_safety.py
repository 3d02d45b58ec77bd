"""Crawling safely and honestly: confinement, size limits, Retry-After, bans, failures that say so, secrets, orphans.

Every test runs a real crawl (Scrapy in a child process) against scriptable sites on loopback addresses.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from collections.abc import Callable
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from observatory.config import Settings, get_settings
from observatory.defs.resources import ObservatoryDatabase, PostingsCrawler
from observatory.scraping.child import PARENT_PID_ENV
from observatory.scraping.runner import CrawlError, CrawlResult, crawl_command, fast_test_overrides, run_crawl
from observatory.scraping.snapshot import serve_snapshot
from observatory.storage import Database
from observatory_tests.scraping.loopback import (
    ROBOTS_ALLOW,
    computrabajo_detail,
    computrabajo_listing,
    html,
    offer_id,
    serve,
)

Crawl = Callable[..., CrawlResult]
# One request at a time with a small delay, as in a real crawl (with no delay at all, Scrapy 2.19's downloader
# starts every queued request of a slot at once, whatever CONCURRENT_REQUESTS_PER_DOMAIN says).
ONE_AT_A_TIME = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 0.05}
DETAIL = "/ofertas-de-trabajo/oferta-de-trabajo-de-analista-{}"


@pytest.fixture()
def crawl(settings: Settings, tmp_path: Path) -> Crawl:
    counter = iter(range(1000))

    def run(source: str, base_url: str, **kwargs: Any) -> CrawlResult:
        return run_crawl(
            source,
            base_url=base_url,
            output=tmp_path / f"{source}-{next(counter)}.jsonl",
            settings=kwargs.pop("settings", settings),
            max_pages=kwargs.pop("max_pages", 3),
            overrides={**fast_test_overrides(), **kwargs.pop("overrides", {})},
            timeout_s=120,
            **kwargs,
        )

    return run


def _listing_site(n_cards: int, detail: Any = None) -> dict[str, Any]:
    ids = [offer_id(i + 1) for i in range(n_cards)]
    routes: dict[str, Any] = {
        "/robots.txt": ROBOTS_ALLOW,
        "/trabajo-de-python": html(computrabajo_listing([(i, f"Analista {i[-2:]}", DETAIL.format(i)) for i in ids])),
    }
    for i in ids:
        routes[DETAIL.format(i)] = detail if detail is not None else html(computrabajo_detail(f"Analista {i[-2:]}"))
    return routes


# -- 1. confinement ---------------------------------------------------------------------------------------


def test_a_hostile_listing_cannot_make_the_crawler_fetch_another_host(crawl: Crawl) -> None:
    with serve(host="127.0.0.2") as other_host, serve() as other_port, serve(_listing_site(1)) as site:
        good = offer_id(1)
        hostile = [
            (offer_id(2), "Otro host", f"{other_host.base}{DETAIL.format(offer_id(2))}"),
            (offer_id(3), "Otro puerto", f"{other_port.base}/admin/{offer_id(3)}"),
            (offer_id(4), "Otro nombre", f"http://localhost:{other_port.base.rsplit(':', 1)[1]}/x/{offer_id(4)}"),
        ]
        cards = [(good, "Analista 01", DETAIL.format(good)), *hostile]
        site.routes["/trabajo-de-python"] = html(computrabajo_listing(cards))
        result = crawl("co-computrabajo", site.base, query="python")
    assert other_host.requests == [] and other_port.requests == []
    # Only the on-site card became a posting; the others were dropped and counted.
    assert [p["native_id"] for p in result.postings()] == [good]
    assert result.summary["offsite"] == {"card": 3}


@pytest.mark.parametrize("source", ["co-computrabajo", "ar-bumeran"])
def test_redirects_to_another_host_are_not_followed(crawl: Crawl, source: str) -> None:
    # Bumeran's first request is dont_filter (Scrapy's own offsite filter lets those through).
    first = "/trabajo-de-python" if source == "co-computrabajo" else "/empleos.html"
    with serve(host="127.0.0.2") as other, serve({"/robots.txt": ROBOTS_ALLOW}) as site:
        site.routes[first] = html("", 302, Location=f"{other.base}{first}")
        with pytest.raises(CrawlError) as failed:
            crawl(source, site.base, query="python")
    assert other.requests == []
    assert failed.value.result is not None and failed.value.result.summary["offsite"] == {"redirect": 1}
    assert "off-site" in failed.value.reason


def test_elempleo_next_link_to_another_host_is_dropped(crawl: Crawl) -> None:
    card = (
        '<div class="result-item"><a class="js-offer-title" href="/co/ofertas-trabajo/analista-de-datos/1884700141">'
        "Analista de datos</a><span class='js-offer-company'>Acme</span></div>"
    )
    with serve(host="127.0.0.2") as other:
        next_link = f'<ul><li><a class="js-btn-next" href="{other.base}/co/p2">›</a></li></ul>'
        page = f"<html><body>{card}{next_link}</body></html>"
        detail = (
            '<html><body><h1 class="js-jobOffer-title">Analista de datos</h1>'
            '<div class="description-block"><p>SQL y Python.</p></div></body></html>'
        )
        routes = {
            "/robots.txt": ROBOTS_ALLOW,
            "/co/ofertas-empleo/": html(page),
            "/co/ofertas-trabajo/analista-de-datos/1884700141": html(detail),
        }
        with serve(routes) as site:
            result = crawl("co-elempleo", site.base, spider_args={"detail_json": "false"})
    assert other.requests == []
    assert result.items == 1 and result.summary["offsite"] == {"next": 1}


# -- 2. limits --------------------------------------------------------------------------------------------


def gzip_bomb(mib: int) -> bytes:
    """``mib`` MiB of zeros, gzipped (about 1 kB per MiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(mib)) + packer.flush()


def test_a_gzip_bomb_is_refused_without_filling_memory(crawl: Crawl) -> None:
    bomb = gzip_bomb(300)
    assert len(bomb) < 400_000
    answer = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb)
    with serve(_listing_site(2)) as site:
        site.routes[DETAIL.format(offer_id(1))] = answer  # one detail page is a bomb, the other is fine
        result = crawl("co-computrabajo", site.base, query="python")
        # The listing page itself a bomb: nothing usable, and the crawl says so.
        site.routes["/trabajo-de-python"] = answer
        with pytest.raises(CrawlError) as failed:
            crawl("co-computrabajo", site.base, query="python")
    assert result.items == 2 and result.summary["detail_failed"] == 1  # the bomb's card kept from the listing
    assert result.summary["peak_rss_mb"] < 250, result.summary["peak_rss_mb"]  # 300 MiB never unpacked
    assert failed.value.result is not None and failed.value.result.summary["peak_rss_mb"] < 250
    assert "DOWNLOAD_MAXSIZE" in failed.value.reason


def test_a_huge_body_is_cut_off(crawl: Crawl) -> None:
    sent = {"bytes": 0}

    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(200 * 1024 * 1024))
        handler.end_headers()
        try:
            for _ in range(200 * 16):
                handler.wfile.write(b"x" * 65536)
                sent["bytes"] += 65536
        except (BrokenPipeError, ConnectionResetError):
            return

    routes = {"/robots.txt": ROBOTS_ALLOW, "/trabajo-de-python": endless}
    with serve(routes) as site, pytest.raises(CrawlError) as failed:
        crawl("co-computrabajo", site.base, query="python")
    assert sent["bytes"] < 50 * 1024 * 1024  # the crawler hung up long before 200 MB
    assert failed.value.result is not None and failed.value.result.summary["peak_rss_mb"] < 250


def test_page_budget_stops_the_crawl(crawl: Crawl) -> None:
    with serve(_listing_site(10)) as site:
        overrides = {"CLOSESPIDER_PAGECOUNT": 4, **ONE_AT_A_TIME}
        result = crawl("co-computrabajo", site.base, query="python", overrides=overrides)
    assert result.summary["finish_reason"] == "closespider_pagecount"
    assert result.ok and result.summary["outcome"]["reason"] == "budget reached"
    # 4 responses (robots.txt, the listing, 2 details), one more perhaps in flight; not all 10 details
    assert len([p for p in site.paths() if p.startswith("/ofertas-de-trabajo/")]) <= 3


# -- 3. Retry-After and bans ------------------------------------------------------------------------------


def test_retry_after_pauses_every_request_to_the_site(crawl: Crawl) -> None:
    refused: list[str] = []

    def busy_once(handler: BaseHTTPRequestHandler) -> None:
        """The first detail page asked for answers 429 Retry-After: 2, once; every other request is served."""
        if not refused:
            refused.append(handler.path)
            answer = html("busy", 429, **{"Retry-After": "2"})
        else:
            answer = html(computrabajo_detail("Analista " + handler.path[-2:]))
        assert not callable(answer)
        status, headers, body = answer
        handler.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)

    with serve(_listing_site(6, detail=busy_once)) as site:
        result = crawl("co-computrabajo", site.base, query="python", overrides=ONE_AT_A_TIME)
    refused_at = next(r["at"] for r in site.requests if r["path"] == refused[0])
    later = [r for r in site.requests if r["at"] > refused_at]
    assert len(later) >= 6  # the retry and the five other detail pages
    # Nothing reached the site during the pause it asked for: not the retry, not the other pages.
    assert min(r["at"] for r in later) - refused_at >= 1.9
    assert result.items == 6 and result.summary["retry_after_honoured"] == 1


def test_a_retry_after_past_the_maximum_stops_the_crawl(crawl: Crawl) -> None:
    with serve(_listing_site(3)) as site:
        site.routes["/trabajo-de-python"] = html("busy", 429, **{"Retry-After": "3600"})
        started = time.monotonic()
        with pytest.raises(CrawlError) as failed:
            crawl("co-computrabajo", site.base, query="python")
    assert time.monotonic() - started < 60  # it did not sleep an hour, nor retry
    assert "retry_after_too_long" in failed.value.reason and "3600" in failed.value.reason
    assert site.paths().count("/trabajo-de-python") == 1


def test_repeated_403_ends_the_crawl_as_banned(crawl: Crawl) -> None:
    with serve(_listing_site(12, detail=html("forbidden", 403))) as site, pytest.raises(CrawlError) as failed:
        crawl("co-computrabajo", site.base, query="python", overrides=ONE_AT_A_TIME)
    details = [p for p in site.paths() if p.startswith("/ofertas-de-trabajo/")]
    assert len(details) == 5  # stopped at the 5th refusal instead of asking for all 12
    assert failed.value.reason.startswith("banned")


# -- 4. honest outcomes -----------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_dead_host_fails_with_the_reason(crawl: Crawl) -> None:
    with pytest.raises(CrawlError) as failed:
        crawl("co-computrabajo", f"http://127.0.0.1:{_closed_port()}", query="python")
    assert "connection refused" in failed.value.reason
    assert failed.value.result is not None and failed.value.result.pages == 0


def test_scrape_command_exits_non_zero_with_the_reason(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from observatory.cli import app

    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    robots = html("User-agent: *\nDisallow: /\n")
    try:
        with serve({"/robots.txt": robots}) as site:
            args = ["scrape", "--source", "co-computrabajo", "--base-url", site.base, "--no-load"]
            result = CliRunner().invoke(app, [*args, "--output", str(tmp_path / "out.jsonl")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 3, result.output
    assert "robots.txt" in result.output


def test_the_child_exits_non_zero_for_a_dead_host(settings: Settings, tmp_path: Path) -> None:
    """``python -m observatory.scraping.child crawl …`` (what cron or Scrapyd would run) is honest too."""
    command = crawl_command(
        "co-computrabajo",
        query="python",
        max_pages=1,
        base_url=f"http://127.0.0.1:{_closed_port()}",
        output=tmp_path / "out.jsonl",
        stats_path=tmp_path / "out.stats.json",
        log_path=tmp_path / "out.log",
        settings=settings,
        overrides={**fast_test_overrides(), "RETRY_TIMES": 0},
    )
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "observatory.scraping.settings"}
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "connection refused" in proc.stderr


# -- 5. secrets and processes -----------------------------------------------------------------------------


def _crawl_children(parent_pid: int) -> list[int]:
    """Crawler children started by ``parent_pid`` (found through the marker in their environment)."""
    found = []
    marker = f"{PARENT_PID_ENV}={parent_pid}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_proxy_credentials_reach_the_child_through_its_environment_not_argv(crawl: Crawl, settings: Settings) -> None:
    secret = "s3cret-proxy-pass"
    seen: dict[str, Any] = {}
    with serve_snapshot(("co-elempleo",), timeout_s=3) as site, serve_snapshot(("co-elempleo",)) as proxy:
        # A slow second page keeps the child alive long enough to be looked at.
        proxy.sites["co-elempleo"].faults["/co/ofertas-empleo/?trabajo=&pagina=2"] = ["timeout"]
        proxy_url = proxy.base_url("co-elempleo").replace("http://", f"http://crawler:{secret}@")
        configured = settings.model_copy(update={"crawl": settings.crawl.model_copy(update={"proxies": [proxy_url]})})

        def watch() -> None:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and "cmdline" not in seen:
                for pid in _crawl_children(os.getpid()):
                    seen["cmdline"] = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                    seen["environ"] = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        result = crawl("co-elempleo", site.base_url("co-elempleo"), settings=configured)
        watcher.join()
    assert "cmdline" in seen, "the crawler child was never seen"
    assert "scrapy" not in seen["cmdline"] or "crawl" in seen["cmdline"]
    assert secret not in seen["cmdline"]
    assert secret in seen["environ"]  # it did reach the child, the other way
    assert proxy.sites["co-elempleo"].proxied > 0 and result.items > 0
    for path in (result.log_path, result.stats_path):
        assert secret not in path.read_text(encoding="utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_the_crawler_child_dies_with_its_parent(settings: Settings, tmp_path: Path) -> None:
    def hang(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(60)

    with serve({"/robots.txt": ROBOTS_ALLOW, "/trabajo-de-python": hang}) as site:
        parent_code = textwrap.dedent(
            f"""
            from pathlib import Path
            from observatory.config import load_settings
            from observatory.scraping.runner import fast_test_overrides, run_crawl
            settings = load_settings(data_dir={str(settings.data_dir)!r}, database_url=None)
            overrides = {{**fast_test_overrides(), "DOWNLOAD_TIMEOUT": 120}}
            run_crawl("co-computrabajo", query="python", base_url={site.base!r},
                      output=Path({str(tmp_path / "out.jsonl")!r}), settings=settings, overrides=overrides)
            """
        )
        parent = subprocess.Popen([sys.executable, "-c", parent_code], cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            children: list[int] = []
            while time.monotonic() < deadline and not (children and "/trabajo-de-python" in site.paths()):
                children = _crawl_children(parent.pid)
                time.sleep(0.1)
            assert children, "the crawler child never started"
            parent.send_signal(signal.SIGKILL)
            parent.wait(timeout=10)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and any(_alive(pid) for pid in children):
                time.sleep(0.1)
            assert not any(_alive(pid) for pid in children), "the crawler outlived its parent"
        finally:
            if parent.poll() is None:
                parent.kill()
            for pid in _crawl_children(parent.pid):
                os.kill(pid, signal.SIGKILL)


def test_crawl_command_line_carries_no_proxy(settings: Settings, tmp_path: Path) -> None:
    configured = settings.model_copy(
        update={"crawl": settings.crawl.model_copy(update={"proxies": ["http://u:pw-xyz@10.0.0.1:3128"]})}
    )
    overrides = {"OBSERVATORY_PROXIES": json.dumps(["http://u:pw-abc@10.0.0.2:3128"])}
    args = crawl_command(
        "co-computrabajo",
        query=None,
        max_pages=1,
        base_url=None,
        output=tmp_path / "o.jsonl",
        stats_path=tmp_path / "o.stats.json",
        log_path=tmp_path / "o.log",
        settings=configured,
        overrides=overrides,
    )
    line = " ".join(args)
    assert "pw-xyz" not in line and "pw-abc" not in line and "10.0.0" not in line


# -- 4b. the Dagster partition fails with the reason ------------------------------------------------------


class RobotsForbiddenCrawler(PostingsCrawler):
    """A crawler resource aimed at a loopback site whose robots.txt forbids everything."""

    base_url: str

    def crawl(
        self,
        source_key: str,
        *,
        output: Path,
        settings: Settings,
        since: date | None = None,
        known_ids: set[str] | None = None,
        query: str | None = None,
        max_pages: int | None = None,
    ) -> CrawlResult:
        return run_crawl(
            source_key, base_url=self.base_url, output=output, settings=settings, overrides=fast_test_overrides()
        )


def test_a_refused_crawl_fails_its_partition_with_the_reason(db: Database, settings: Settings) -> None:
    import dagster as dg

    from observatory.defs import scraping

    key = dg.MultiPartitionKey({"source": "co-computrabajo", "date": "2026-11-27"})
    with serve({"/robots.txt": html("User-agent: *\nDisallow: /\n")}) as site:
        resources = {
            "database": ObservatoryDatabase(data_dir=str(settings.data_dir)),
            "crawler": RobotsForbiddenCrawler(base_url=site.base),
        }
        result = dg.materialize([scraping.raw_postings], partition_key=key, resources=resources, raise_on_error=False)
    assert not result.success and not result.get_asset_materialization_events()
    (failure,) = result.get_step_failure_events()
    user_failure = failure.step_failure_data.user_failure_data
    assert user_failure is not None
    metadata = {k: v.value for k, v in user_failure.metadata.items()}
    assert "robots.txt" in str(metadata["reason"]) and metadata["pages"] == 0
    assert metadata["source"] == "co-computrabajo"
