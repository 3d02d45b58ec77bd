"""The crawl report: Scrapy's stats plus the observatory's counters, written as JSON when the spider closes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


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
        "finish_reason": stats.get("finish_reason"),
    }


class CrawlReport:
    """Writes ``OBSERVATORY_STATS_FILE`` (JSON: summary, invalid postings, raw stats) at spider close."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = Path(path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        path = crawler.settings.get("OBSERVATORY_STATS_FILE")
        if not path:
            raise NotConfigured
        ext = cls(crawler, path)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        report = {
            "summary": summarise_stats(stats),
            "invalid_postings": getattr(spider, "invalid_postings", []),
            "stats": {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
