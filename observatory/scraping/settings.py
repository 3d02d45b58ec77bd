"""Scrapy settings of the observatory crawler: polite by default (robots.txt, AutoThrottle, one request
at a time per domain, retries honouring ``Retry-After``) and confined (only the source's own host, bounded
response sizes, page and time budgets, a stop when the site bans us).

``scrapy crawl`` reads this module through ``SCRAPY_SETTINGS_MODULE``; :func:`scrapy_settings` maps the
project's :class:`~observatory.config.CrawlSettings` onto it for :mod:`observatory.scraping.runner`.
"""

from __future__ import annotations

import json
from typing import Any

BOT_NAME = "observatory"
SPIDER_MODULES = ["observatory.scraping.spiders"]
NEWSPIDER_MODULE = "observatory.scraping.spiders"

# Proxy URLs may carry credentials: the runner passes them in this environment variable, not as ``-s``
# (a command line is visible to every user through ``ps``, and Scrapy logs its overridden settings).
PROXIES_ENV = "OBSERVATORY_SCRAPY_PROXIES"

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
OBSERVATORY_RETRY_AFTER_MAX = 600.0  # a site asking a longer pause stops the crawl (retry_after_too_long)
OBSERVATORY_BAN_AFTER = 5  # consecutive 403/429 answers: the crawl stops (finish reason banned)

# Real pages are well under 1 MiB (the largest saved listing is 560 kB); Scrapy applies the limit to the
# decompressed body too, so a gzip bomb is refused after 8 MiB instead of filling memory.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
CLOSESPIDER_PAGECOUNT = 5000  # responses per crawl
CLOSESPIDER_TIMEOUT = 3600  # seconds per crawl

DOWNLOADER_MIDDLEWARES = {
    # Only the source's own host (and port): cards, next links and redirects elsewhere are dropped and counted.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "observatory.scraping.middlewares.ConfinementMiddleware": 50,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "observatory.scraping.middlewares.CountedDecompressionMiddleware": 590,
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
        "ROBOTSTXT_OBEY": bool(crawl.obey_robots_txt),
        "DOWNLOAD_DELAY": float(crawl.download_delay),
        "AUTOTHROTTLE_ENABLED": bool(crawl.autothrottle),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(crawl.concurrent_requests_per_domain),
        "HTTPCACHE_ENABLED": bool(crawl.http_cache),
        "DOWNLOAD_MAXSIZE": int(crawl.max_download_mb * 1024 * 1024),
        "DOWNLOAD_WARNSIZE": int(crawl.warn_download_mb * 1024 * 1024),
        "CLOSESPIDER_PAGECOUNT": int(crawl.max_responses),
        "CLOSESPIDER_TIMEOUT": float(crawl.max_seconds),
        "OBSERVATORY_RETRY_AFTER_MAX": float(crawl.retry_after_max),
        "OBSERVATORY_BAN_AFTER": int(crawl.ban_after),
    }


def crawl_secrets(crawl: Any) -> dict[str, str]:
    """Environment variables of the crawler child that carry secrets (proxy credentials): never on its argv."""
    return {PROXIES_ENV: json.dumps(list(crawl.proxies))} if crawl.proxies else {}
