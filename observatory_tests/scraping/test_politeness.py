"""Polite defaults and the pieces of the retry policy that do not need a crawl."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from observatory.config import CrawlSettings
from observatory.scraping import settings as scrapy_project
from observatory.scraping.middlewares import retry_after_seconds
from observatory.scraping.settings import PROXIES_ENV, crawl_secrets, scrapy_settings


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
    assert values["HTTPCACHE_ENABLED"] is True
    # Proxy URLs carry credentials: they travel in the child's environment, never as a -s setting.
    assert "OBSERVATORY_PROXIES" not in values
    assert json.loads(crawl_secrets(crawl)[PROXIES_ENV]) == ["http://proxy:3128"]
    assert crawl_secrets(CrawlSettings()) == {}


def test_limits_are_sized_for_real_pages() -> None:
    values = scrapy_settings(CrawlSettings())
    # The largest saved real page is 560 kB; a few MB leaves room and refuses bombs early.
    assert 1 << 20 <= values["DOWNLOAD_WARNSIZE"] < values["DOWNLOAD_MAXSIZE"] <= 16 << 20
    assert values["CLOSESPIDER_PAGECOUNT"] > 0 and values["CLOSESPIDER_TIMEOUT"] > 0
    assert values["OBSERVATORY_BAN_AFTER"] >= 2 and values["OBSERVATORY_RETRY_AFTER_MAX"] >= 60
    tight = scrapy_settings(CrawlSettings(max_download_mb=1, max_responses=10, max_seconds=60))
    assert tight["DOWNLOAD_MAXSIZE"] == 1 << 20 and tight["CLOSESPIDER_PAGECOUNT"] == 10
    assert tight["CLOSESPIDER_TIMEOUT"] == 60


def test_retry_after_header_forms() -> None:
    now = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7
    assert retry_after_seconds("Sun, 29 Nov 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Sun, 29 Nov 2026 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
