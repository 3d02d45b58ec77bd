"""Downloader middlewares: rotating user agents, proxies from configuration, retries that honour ``Retry-After``."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.response import response_status_message


def _json_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("[") else [v for v in value.split("\n") if v.strip()]
    return [str(v) for v in (value or []) if str(v).strip()]


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
    """Send requests through the proxies of ``OBSERVATORY_PROXIES`` in turn (none configured: disabled)."""

    def __init__(self, proxies: list[str]) -> None:
        if not proxies:
            raise NotConfigured
        self._cycle = itertools.cycle(proxies)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyMiddleware:
        return cls(_json_list(crawler.settings.get("OBSERVATORY_PROXIES")))

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
    """Retry 429/5xx and network errors with exponential backoff; wait what ``Retry-After`` asks on 429/503."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_retry_times = s.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in s.getlist("RETRY_HTTP_CODES")}
        self.backoff = s.getfloat("OBSERVATORY_RETRY_BACKOFF", 2.0)
        self.retry_after_max = s.getfloat("OBSERVATORY_RETRY_AFTER_MAX", 120.0)
        from scrapy.downloadermiddlewares.retry import RetryMiddleware

        self._exceptions = RetryMiddleware(s).exceptions_to_retry

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def _stats(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"observatory/{key}")

    async def _wait(self, request: Request, retry_after: float | None) -> None:
        attempt = int(request.meta.get("retry_times", 0))
        delay = retry_after if retry_after is not None else self.backoff * (2**attempt)
        delay = min(delay, self.retry_after_max)
        if delay > 0:
            await asyncio.sleep(delay)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry_request(request, response_status_message(response.status))
        if retry is None:
            return response
        retry_after = None
        if response.status in (429, 503):
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            if retry_after is not None:
                self._stats("retry_after_honoured")
        await self._wait(request, retry_after)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self._exceptions):
            return None
        retry = self._retry_request(request, exception)
        if retry is not None:
            await self._wait(request, None)
        return retry

    def _retry_request(self, request: Request, reason: Any) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
        )
