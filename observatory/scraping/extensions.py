"""The crawl report: Scrapy's stats plus the observatory's counters, written as JSON when the spider closes.

The report also says whether the crawl *worked* (:func:`crawl_outcome`): a crawl that fetched no page, only
errors, or was stopped by the site is a failure with a reason, and ``python -m observatory.scraping.child``
exits non-zero for it (:data:`FAILED_EXIT_CODE`).
"""

from __future__ import annotations

import json
import resource
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

FAILED_EXIT_CODE = 3  # the crawl ran but fetched nothing usable; the report's summary says why

#: The outcome of the crawl that ran in this process (read by ``observatory.scraping.child`` for its exit code).
last_outcome: dict[str, Any] | None = None

# Finish reasons that mean "the site stopped us" or "we were interrupted": never a success.
_FAILED_FINISH = {
    "banned": "the site refused the crawler (repeated 403/429)",
    "retry_after_too_long": "the site asked for a longer pause than crawl.retry_after_max",
    "shutdown": "the crawl was interrupted (signal)",
    "cancelled": "the crawl was cancelled",
}
_BUDGET_FINISH = {"closespider_pagecount", "closespider_timeout"}
# Downloader exceptions in words, by a part of the class name (Scrapy wraps Twisted's: DownloadConnectionRefusedError).
_NETWORK_REASONS = (
    ("DNSLookup", "DNS lookup failed"),
    ("ConnectionRefused", "connection refused"),
    ("NoRoute", "no route to host"),
    ("Timeout", "timed out"),
    ("TimedOut", "timed out"),
    ("Tunnel", "proxy tunnel failed"),
    ("ConnectionLost", "connection lost"),
    ("ResponseNeverReceived", "no response received"),
    ("Connect", "could not connect"),
    ("Cancelled", "download cancelled (body over DOWNLOAD_MAXSIZE?)"),
)


def _in_words(exception_name: str) -> str:
    return next((words for part, words in _NETWORK_REASONS if part in exception_name), exception_name)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    ``VmHWM`` where Linux has it: ``ru_maxrss`` survives ``exec``, so a crawl child started by a big parent
    (a test session, a Dagster worker) would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _exception_counts(stats: dict[str, Any]) -> dict[str, int]:
    prefix = "downloader/exception_type_count/"
    return {k[len(prefix) :].rsplit(".", 1)[-1]: int(v) for k, v in stats.items() if k.startswith(prefix)}


def crawl_outcome(stats: dict[str, Any]) -> dict[str, Any]:
    """``{"ok": bool, "reason": str | None}``: did the crawl fetch something usable, and if not, why not.

    A failure is a crawl that parsed no listing page (DNS, refused connection, robots.txt, HTTP errors, a page
    rendered in the browser, responses over the size limit, off-site redirects), or that the site stopped
    (ban, an over-long Retry-After). Reaching the page or time budget is a success: it is what was asked.
    """
    finish = str(stats.get("finish_reason") or "")
    prefix = "observatory/"
    pages = int(stats.get(prefix + "pages", 0))
    if finish in _FAILED_FINISH:
        message = stats.get(prefix + "stop_message")
        return {"ok": False, "reason": f"{finish}: {_FAILED_FINISH[finish]}" + (f" ({message})" if message else "")}
    if pages > 0:
        return {"ok": True, "reason": "budget reached" if finish in _BUDGET_FINISH else None}
    causes: list[str] = []
    if stats.get(prefix + "client_rendered"):
        causes.append("client-rendered page: the listing has no offers in its HTML")
    if stats.get("robotstxt/forbidden"):
        causes.append(f"robots.txt forbids it ({stats['robotstxt/forbidden']} requests)")
    for name, n in sorted(_exception_counts(stats).items(), key=lambda kv: -kv[1]):
        if name in ("IgnoreRequest",):
            continue
        causes.append(f"{_in_words(name)} ({n} attempts: {name})")
    statuses = {
        k.rsplit("/", 1)[-1]: int(v)
        for k, v in stats.items()
        if k.startswith("downloader/response_status_count/") and not k.endswith(("/200", "/301", "/302"))
    }
    if statuses:
        causes.append("HTTP " + ", ".join(f"{code} x{n}" for code, n in sorted(statuses.items())))
    if stats.get(prefix + "too_large") or stats.get("httpcompression/max_size_exceeded"):
        causes.append("responses over DOWNLOAD_MAXSIZE")
    offsite = int(stats.get(prefix + "offsite/redirect", 0)) + int(stats.get(prefix + "offsite/request", 0))
    if offsite:
        causes.append(f"{offsite} off-site requests or redirects dropped")
    if not causes:
        causes.append(f"no listing page parsed (finish reason {finish or 'unknown'})")
    return {"ok": False, "reason": "no page fetched: " + "; ".join(causes)}


def summarise_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Pages, items, invalid (by reason), duplicates and missing-field counts from raw crawl stats."""
    prefix = "observatory/"
    ours = {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
    return {
        "pages": int(ours.get("pages", 0)),
        "responses": int(stats.get("response_received_count", 0)),
        "items": int(ours.get("items", 0)),
        "valid": int(ours.get("valid", 0)),
        "invalid": int(ours.get("invalid", 0)),
        "invalid_reasons": {k[len("invalid/") :]: v for k, v in ours.items() if k.startswith("invalid/")},
        "duplicates_exact": int(ours.get("duplicate_exact", 0)),
        "duplicates_near": int(ours.get("duplicate_near", 0)),
        "missing": {k[len("missing/") :]: v for k, v in ours.items() if k.startswith("missing/")},
        "skipped_old": int(ours.get("skipped_old", 0)),
        "incremental_stop": int(ours.get("incremental_stop", 0)),
        "detail_missing": int(ours.get("detail_missing", 0)),
        "detail_failed": int(ours.get("detail_failed", 0)),
        "client_rendered": int(ours.get("client_rendered", 0)),
        "empty_listing": int(ours.get("empty_listing", 0)),
        "retries": int(stats.get("retry/count", 0)),
        "retry_after_honoured": int(ours.get("retry_after_honoured", 0)),
        "http_errors": {
            k.rsplit("/", 1)[-1]: v
            for k, v in stats.items()
            if k.startswith("downloader/response_status_count/") and not k.endswith(("/200", "/301", "/302"))
        },
        "robots_forbidden": int(stats.get("robotstxt/forbidden", 0)),
        "offsite": {k[len("offsite/") :]: v for k, v in ours.items() if k.startswith("offsite/")},
        "paused_requests": int(ours.get("paused_requests", 0)),
        "peak_rss_mb": ours.get("peak_rss_mb"),
        "finish_reason": stats.get("finish_reason"),
        "outcome": crawl_outcome(stats),
    }


class CrawlReport:
    """Writes ``OBSERVATORY_STATS_FILE`` (JSON: summary, invalid postings, raw stats) at spider close."""

    def __init__(self, crawler: Crawler, path: str | None) -> None:
        self.crawler = crawler
        self.path = Path(path) if path else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        # Always on: the outcome decides the exit code of a crawl child even when no report file is asked for.
        ext = cls(crawler, crawler.settings.get("OBSERVATORY_STATS_FILE") or None)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        stats["observatory/peak_rss_mb"] = peak_rss_mb()
        summary = summarise_stats(stats)
        report: dict[str, Any] = {
            "summary": summary,
            "invalid_postings": getattr(spider, "invalid_postings", []),
            "stats": {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()},
        }
        global last_outcome
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        last_outcome = summary["outcome"]
