"""Scrapy settings of the observatory crawler: polite by default (robots.txt, AutoThrottle, one request
at a time per domain, retries honouring ``Retry-After``).

``scrapy crawl`` reads this module through ``SCRAPY_SETTINGS_MODULE``; :func:`scrapy_settings` maps the
project's :class:`~observatory.config.CrawlSettings` onto it for :mod:`observatory.scraping.runner`.
"""

from __future__ import annotations

import json
from typing import Any

BOT_NAME = "observatory"
SPIDER_MODULES = ["observatory.scraping.spiders"]
NEWSPIDER_MODULE = "observatory.scraping.spiders"

USER_AGENT = "observatory-bot/0.1 (+https://github.com/observatory-lmo/observatory; labour-market research)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50 % around DOWNLOAD_DELAY
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
OBSERVATORY_RETRY_BACKOFF = 2.0  # seconds, doubled at every retry (Retry-After wins when the site sends it)
OBSERVATORY_RETRY_AFTER_MAX = 120.0

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "observatory.scraping.middlewares.RotatingUserAgentMiddleware": 400,
    "observatory.scraping.middlewares.ProxyMiddleware": 410,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "observatory.scraping.middlewares.RetryAfterMiddleware": 550,
}
ITEM_PIPELINES = {
    "observatory.scraping.pipelines.NormalisationPipeline": 100,
    "observatory.scraping.pipelines.ValidationPipeline": 200,
    "observatory.scraping.pipelines.DuplicatesPipeline": 300,
    "observatory.scraping.pipelines.CompletenessPipeline": 400,
}
EXTENSIONS = {"observatory.scraping.extensions.CrawlReport": 500}

# Development: ``-s HTTPCACHE_ENABLED=1`` keeps every response on disk (``.scrapy/httpcache``).
HTTPCACHE_ENABLED = False
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]


def scrapy_settings(crawl: Any) -> dict[str, Any]:
    """Scrapy settings from the project's crawl configuration (``OBSERVATORY_CRAWL__*``)."""
    return {
        "USER_AGENT": crawl.user_agent,
        "OBSERVATORY_USER_AGENTS": json.dumps(list(crawl.user_agents)),
        "OBSERVATORY_PROXIES": json.dumps(list(crawl.proxies)),
        "ROBOTSTXT_OBEY": bool(crawl.obey_robots_txt),
        "DOWNLOAD_DELAY": float(crawl.download_delay),
        "AUTOTHROTTLE_ENABLED": bool(crawl.autothrottle),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(crawl.concurrent_requests_per_domain),
        "HTTPCACHE_ENABLED": bool(crawl.http_cache),
    }
