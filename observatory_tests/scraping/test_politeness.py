"""Polite defaults and the pieces of the retry policy that do not need a crawl."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from observatory.config import CrawlSettings
from observatory.scraping import settings as scrapy_project
from observatory.scraping.middlewares import retry_after_seconds
from observatory.scraping.settings import scrapy_settings


def test_defaults_are_polite() -> None:
    values = scrapy_settings(CrawlSettings())
    assert values["ROBOTSTXT_OBEY"] is True
    assert values["AUTOTHROTTLE_ENABLED"] is True
    assert values["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert values["DOWNLOAD_DELAY"] >= 1
    assert "observatory-bot" in values["USER_AGENT"]
    assert scrapy_project.RETRY_HTTP_CODES and 429 in scrapy_project.RETRY_HTTP_CODES
    assert scrapy_project.HTTPCACHE_ENABLED is False


def test_configuration_reaches_scrapy() -> None:
    crawl = CrawlSettings(user_agents=["a/1", "b/2"], proxies=["http://proxy:3128"], http_cache=True)
    values = scrapy_settings(crawl)
    assert json.loads(values["OBSERVATORY_USER_AGENTS"]) == ["a/1", "b/2"]
    assert json.loads(values["OBSERVATORY_PROXIES"]) == ["http://proxy:3128"]
    assert values["HTTPCACHE_ENABLED"] is True


def test_retry_after_header_forms() -> None:
    now = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7
    assert retry_after_seconds("Sun, 29 Nov 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Sun, 29 Nov 2026 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
