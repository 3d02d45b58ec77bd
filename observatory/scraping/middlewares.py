"""Downloader middlewares: confinement to the source's host, rotating user agents, proxies from the environment,
retries that honour ``Retry-After`` for the whole site, and a stop when the site bans the crawler."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import random
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.response import response_status_message
from twisted.python.failure import Failure

from observatory.scraping.settings import PROXIES_ENV

logger = logging.getLogger(__name__)

BANNED = "banned"
RETRY_AFTER_TOO_LONG = "retry_after_too_long"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """``host:port`` of a URL (default port made explicit): the unit a crawl is confined to and pauses."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:  # a port that is not a number: never on site
        return ""
    return f"{host}:{port}" if host else ""


class ConfinementMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, made strict: host *and port* must be one of the spider's ``allowed_origins``.

    ``dont_filter`` does not open the gate (Scrapy's filter lets those through), redirects are checked like any
    request, and every drop is counted as ``observatory/offsite/redirect`` or ``observatory/offsite/request``.
    A spider without ``allowed_origins`` falls back to Scrapy's ``allowed_domains`` rule.
    """

    def process_request(self, request: Request) -> None:  # type: ignore[override]
        spider = self.crawler.spider
        assert spider is not None
        if request.meta.get("allow_offsite") and not getattr(spider, "allowed_origins", None):
            return
        if self.should_follow(request, spider):
            return
        kind = "redirect" if request.meta.get("redirect_urls") else "request"
        origin = origin_of(request.url) or request.url[:80]
        if origin not in self.domains_seen:
            self.domains_seen.add(origin)
            logger.warning("dropped off-site %s to %s: %s", kind, origin, request.url[:200])
            self.stats.inc_value("offsite/domains")
        self.stats.inc_value("offsite/filtered")
        self.stats.inc_value(f"observatory/offsite/{kind}")
        raise IgnoreRequest(f"off-site {kind} to {origin!r}")

    def should_follow(self, request: Request, spider: Spider) -> bool:
        origins = getattr(spider, "allowed_origins", None)
        if not origins:
            return super().should_follow(request, spider)
        return origin_of(request.url) in origins


def _json_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("[") else [v for v in value.split("\n") if v.strip()]
    return [str(v) for v in (value or []) if str(v).strip()]


class CountedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, which refuses bodies over ``DOWNLOAD_MAXSIZE`` once unpacked (gzip bombs), with the
    refusals counted as ``observatory/too_large`` so that a crawl failing on them says so."""

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            if self.stats is not None:
                self.stats.inc_value("observatory/too_large")
            raise


class RotatingUserAgentMiddleware:
    """Pick a user agent per request from ``OBSERVATORY_USER_AGENTS`` (else the single ``USER_AGENT``)."""

    def __init__(self, agents: list[str], default: str) -> None:
        self.agents = agents or [default]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RotatingUserAgentMiddleware:
        s = crawler.settings
        return cls(_json_list(s.get("OBSERVATORY_USER_AGENTS")), s.get("USER_AGENT"))

    def process_request(self, request: Request) -> None:
        request.headers["User-Agent"] = random.choice(self.agents)


class ProxyMiddleware:
    """Send requests through configured proxies in turn (none configured: disabled).

    The list comes from the ``OBSERVATORY_SCRAPY_PROXIES`` environment variable (what the runner sets: proxy
    URLs carry credentials, which must not be on the command line), else the ``OBSERVATORY_PROXIES`` setting.
    """

    def __init__(self, proxies: list[str]) -> None:
        if not proxies:
            raise NotConfigured
        self._cycle = itertools.cycle(proxies)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyMiddleware:
        return cls(_json_list(os.environ.get(PROXIES_ENV) or crawler.settings.get("OBSERVATORY_PROXIES")))

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("proxy", next(self._cycle))


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date); ``None`` when absent or unreadable."""
    if not value:
        return None
    text = value.decode() if isinstance(value, bytes) else value
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Retries with backoff, ``Retry-After`` for the whole site, and a stop when the site keeps refusing.

    * 429/5xx and network errors are retried with exponential backoff (``OBSERVATORY_RETRY_BACKOFF``).
    * A 429/503 with ``Retry-After`` pauses *every* request to that host and port for the time asked, not only
      the retried one; asking more than ``OBSERVATORY_RETRY_AFTER_MAX`` seconds stops the crawl
      (finish reason ``retry_after_too_long``).
    * ``OBSERVATORY_BAN_AFTER`` consecutive 403/429 answers from one site stop the crawl (finish reason
      ``banned``) instead of hammering a site that has said no.
    * When the crawl stops (ban, over-long pause, ``CLOSESPIDER_PAGECOUNT`` reached), requests already queued for
      download are dropped rather than sent.

    Site-level decisions are taken on ``response_downloaded``, which Scrapy sends before its downloader picks the
    next request of the site: on loopback, several more requests would otherwise leave before the response
    reaches ``process_response``.
    """

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_retry_times = s.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in s.getlist("RETRY_HTTP_CODES")}
        self.backoff = s.getfloat("OBSERVATORY_RETRY_BACKOFF", 2.0)
        self.retry_after_max = s.getfloat("OBSERVATORY_RETRY_AFTER_MAX", 600.0)
        self.ban_after = s.getint("OBSERVATORY_BAN_AFTER", 5)
        self.response_budget = s.getint("CLOSESPIDER_PAGECOUNT", 0)
        self.responses = 0
        self.paused_until: dict[str, float] = {}  # origin -> time.monotonic() at which requests may go again
        self.refusals: dict[str, int] = {}  # origin -> consecutive 403/429 answers
        self.stopping: str | None = None
        self._closing: asyncio.Future[Any] | None = None
        from scrapy.downloadermiddlewares.retry import RetryMiddleware

        self._exceptions = RetryMiddleware(s).exceptions_to_retry

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.response_downloaded, signal=signals.response_downloaded)
        return mw

    def _stats(self, key: str, value: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"observatory/{key}", value)

    def _stop(self, reason: str, message: str) -> None:
        if self.stopping is not None:
            return
        self.stopping = reason
        logger.error("stopping the crawl (%s): %s", reason, message)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("observatory/stop_message", message)
        assert self.crawler.engine is not None
        self._closing = asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=reason))
        self._drop_queued(reason)

    def _drop_queued(self, reason: str) -> None:
        """Drop the requests already waiting in the downloader's slots: nothing more goes out once we stop."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        for slot in list(getattr(downloader, "slots", {}).values()):
            queue = getattr(slot, "queue", None)
            while queue:
                _, waiting = queue.popleft()
                waiting.errback(Failure(IgnoreRequest(f"crawl stopping ({reason})")))
                self._stats("dropped_on_stop")

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        """Pause, ban and budget decisions, taken before the downloader sends the site's next request."""
        self.responses += 1
        origin = origin_of(request.url)
        status = response.status
        if status in (403, 429):
            self.refusals[origin] = self.refusals.get(origin, 0) + 1
            if self.refusals[origin] >= self.ban_after:
                self._stop(BANNED, f"{self.refusals[origin]} consecutive 403/429 answers from {origin}")
                return
        elif status < 400:
            self.refusals.pop(origin, None)
        if status in (429, 503) and not request.meta.get("dont_retry"):
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.retry_after_max:
                self._stop(
                    RETRY_AFTER_TOO_LONG,
                    f"{origin} asked to wait {retry_after:.0f} s (limit {self.retry_after_max:.0f} s)",
                )
                return
            if retry_after is not None and retry_after > 0:
                # The whole site waits, not only this request: process_request holds back requests not yet
                # queued for the site, and the downloader slot holds back those already queued.
                self.paused_until[origin] = max(self.paused_until.get(origin, 0.0), time.monotonic() + retry_after)
                self._pause_slot(request, retry_after)
                self._stats("retry_after_honoured")
        if self.response_budget and self.responses >= self.response_budget:
            # CloseSpider closes the crawl; drop what is queued so that the budget is a budget.
            self._drop_queued("budget")

    async def process_request(self, request: Request) -> None:
        if self.stopping is not None:
            raise IgnoreRequest(f"crawl stopping ({self.stopping})")
        until = self.paused_until.get(origin_of(request.url))
        if until is not None:
            remaining = until - time.monotonic()
            if remaining > 0:
                self._stats("paused_requests")
                await asyncio.sleep(remaining)

    def _pause_slot(self, request: Request, seconds: float) -> None:
        """Hold the site's downloader slot for ``seconds`` (Scrapy's own delay mechanism, its ``latercall``)."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        release = getattr(downloader, "_latercall", None)
        if downloader is None or release is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(seconds, release, slot)

    async def _wait(self, request: Request) -> None:
        attempt = int(request.meta.get("retry_times", 0))
        delay = min(self.backoff * (2**attempt), self.retry_after_max)
        if delay > 0:
            await asyncio.sleep(delay)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if self.stopping is not None:
            return response
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry_request(request, response_status_message(response.status))
        if retry is None:
            return response
        if response.status in (429, 503) and retry_after_seconds(response.headers.get("Retry-After")) is not None:
            return retry  # the site-wide pause (response_downloaded) already holds it back
        await self._wait(request)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self._exceptions):
            return None
        retry = self._retry_request(request, exception)
        if retry is not None:
            await self._wait(request)
        return retry

    def _retry_request(self, request: Request, reason: Any) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
        )
