"""Client of the public ESCO REST API: search concepts and fetch skills, politely (rate limit, retries, cache).

Used to look up concepts that are not in the imported CSV release; the CSV import stays the source of truth.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:  # imported by the client itself: the CLI imports this module for DEFAULT_BASE_URL at every start
    import httpx

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://ec.europa.eu/esco/api"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class EscoApiError(RuntimeError):
    """The ESCO API could not answer a request; the message names the URL and what went wrong."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


@dataclass(frozen=True)
class EscoSearchResult:
    """One hit of ``/search``: the concept's URI, its title and preferred labels by language."""

    uri: str
    title: str
    class_name: str | None
    preferred_label: dict[str, str] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


class RateLimiter:
    """At most ``per_second`` requests per second, spaced evenly, shared by threads."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("the rate limit must be a positive number of requests per second")
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next request may go."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


class ResponseCache:
    """JSON responses keyed by URL and parameters: in memory, or as files in ``directory``.

    ``ttl`` (seconds) makes entries expire; on disk the file's modification time is the entry's age.
    """

    def __init__(self, directory: Path | None = None, ttl: float | None = None) -> None:
        self.directory = directory
        self.ttl = ttl
        self._memory: dict[str, tuple[float, Any]] = {}
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(url: str, params: Mapping[str, Any]) -> str:
        """A stable key: the URL and its parameters in sorted order."""
        canonical = json.dumps([url, sorted((k, str(v)) for k, v in params.items())], ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def _fresh(self, stored_at: float) -> bool:
        return self.ttl is None or time.time() - stored_at <= self.ttl

    def get(self, key: str) -> Any | None:
        """The cached JSON for ``key``, or ``None``."""
        if self.directory is None:
            entry = self._memory.get(key)
            return entry[1] if entry and self._fresh(entry[0]) else None
        path = self.directory / f"{key}.json"
        try:
            if not self._fresh(path.stat().st_mtime):
                return None
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing or damaged entry: fetch again
            return None

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``."""
        if self.directory is None:
            self._memory[key] = (time.time(), value)
            return
        path = self.directory / f"{key}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)  # atomic: a reader never sees half a file


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class EscoApiClient:
    """Synchronous client of the ESCO API with timeouts, retries, a rate limit and a response cache."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 15.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 120.0,
        requests_per_second: float = 5.0,
        cache: ResponseCache | None = None,
        user_agent: str = "observatory-esco-client/0.1",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.cache = cache if cache is not None else ResponseCache()
        self._sleep = sleep
        self.limiter = RateLimiter(requests_per_second, sleep=sleep)
        import httpx

        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"Accept": "application/json", "User-Agent": user_agent},
            follow_redirects=True,
        )

    def __enter__(self) -> EscoApiClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    # -- requests ------------------------------------------------------------------------------------------

    def get_json(self, path: str, params: Mapping[str, Any]) -> Any:
        """GET ``base_url + path`` and decode its JSON, from the cache when it has the answer."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        key = ResponseCache.key(url, params)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        value = self._fetch(url, params)
        self.cache.put(key, value)
        return value

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        asked = _retry_after(response.headers.get("Retry-After")) if response is not None else None
        if asked is not None:
            if asked > self.max_retry_after:
                raise EscoApiError(
                    f"the ESCO API asks to wait {asked:.0f} s before retrying {response.url if response else ''} "
                    f"(more than the {self.max_retry_after:.0f} s allowed); try again later",
                    url=str(response.url) if response else "",
                    status=response.status_code if response else None,
                )
            return asked
        return min(self.max_backoff, self.backoff * 2**attempt)

    def _fetch(self, url: str, params: Mapping[str, Any]) -> Any:
        import httpx

        last_problem = ""
        last_status: int | None = None
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            response: httpx.Response | None = None
            try:
                response = self._http.get(url, params=dict(params))
            except httpx.TransportError as exc:
                last_problem, last_status = f"{type(exc).__name__}: {exc}", None
            else:
                if response.status_code < 400:
                    return self._decode(response)
                if response.status_code not in RETRY_STATUSES:
                    raise EscoApiError(
                        f"the ESCO API refused {response.url}: HTTP {response.status_code}{self._reason(response)}",
                        url=str(response.url),
                        status=response.status_code,
                    )
                last_problem, last_status = f"HTTP {response.status_code}{self._reason(response)}", response.status_code
            if attempt == self.retries:
                break
            delay = self._delay(attempt, response)
            log.warning("ESCO API %s: %s; retry %d/%d in %.1f s", url, last_problem, attempt + 1, self.retries, delay)
            self._sleep(delay)
        raise EscoApiError(
            f"the ESCO API failed on {url} {dict(params)} after {self.retries + 1} attempts: {last_problem}",
            url=url,
            status=last_status,
        )

    @staticmethod
    def _reason(response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            text = response.text.strip()[:200]
            return f" ({text})" if text else ""
        message = body.get("message") or body.get("error") if isinstance(body, dict) else None
        return f" ({message})" if message else ""

    @staticmethod
    def _decode(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            excerpt = response.text[:120].replace("\n", " ")
            raise EscoApiError(
                f"the ESCO API answered {response.url} with something that is not JSON "
                f"(content-type {response.headers.get('content-type', '?')!r}): {excerpt!r}",
                url=str(response.url),
                status=response.status_code,
            ) from None

    # -- the API -------------------------------------------------------------------------------------------

    def search(
        self,
        text: str,
        type: str = "skill",
        language: str = "es",
        limit: int = 20,
        offset: int = 0,
        max_results: int | None = None,
    ) -> Iterator[EscoSearchResult]:
        """Every hit of ``/search`` for ``text``, page after page (``limit`` per page) from ``offset``."""
        yielded = 0
        while True:
            params = {"text": text, "type": type, "language": language, "offset": offset, "limit": limit}
            page = self.get_json("search", params)
            url = f"{self.base_url}/search"
            if not isinstance(page, dict):
                raise EscoApiError(f"the ESCO API search page at offset {offset} is not a JSON object", url=url)
            results = (page.get("_embedded") or {}).get("results")
            if results is None:
                results = []
            if not isinstance(results, list):
                raise EscoApiError(f"_embedded.results of the search page at offset {offset} is not a list", url=url)
            for hit in results:
                if max_results is not None and yielded >= max_results:
                    return
                yield self._result(hit, url)
                yielded += 1
            if max_results is not None and yielded >= max_results:
                return  # do not fetch a page nobody will read
            total = page.get("total")
            next_offset = self._next_offset(page, offset, len(results))
            # Stop on the last page, on an empty page (a server that keeps linking to more) or at ``total``.
            if next_offset is None or not results or (isinstance(total, int) and next_offset >= total):
                return
            offset = next_offset

    @staticmethod
    def _next_offset(page: Mapping[str, Any], offset: int, count: int) -> int | None:
        link = (page.get("_links") or {}).get("next")
        if not link:
            return None
        href = link.get("href") if isinstance(link, dict) else None
        if href:
            values = parse_qs(urlsplit(href).query).get("offset")
            if values and values[0].isdigit() and int(values[0]) > offset:
                return int(values[0])
        return offset + count

    @staticmethod
    def _result(hit: Any, url: str) -> EscoSearchResult:
        if not isinstance(hit, dict) or not isinstance(hit.get("uri"), str):
            raise EscoApiError(f"a search result without a uri: {str(hit)[:120]}", url=url)
        preferred = hit.get("preferredLabel")
        return EscoSearchResult(
            uri=hit["uri"],
            title=str(hit.get("title") or ""),
            class_name=hit.get("className"),
            preferred_label=dict(preferred) if isinstance(preferred, dict) else {},
            raw=hit,
        )

    def get_skill(self, uri: str, language: str = "es") -> dict[str, Any]:
        """The ``/resource/skill`` document of a skill URI."""
        return self._resource("skill", uri, language)

    def get_concept(self, uri: str, language: str = "es") -> dict[str, Any]:
        """The ``/resource/concept`` document of any ESCO concept URI."""
        return self._resource("concept", uri, language)

    def _resource(self, kind: str, uri: str, language: str) -> dict[str, Any]:
        body = self.get_json(f"resource/{kind}", {"uri": uri, "language": language})
        if not isinstance(body, dict):
            raise EscoApiError(
                f"/resource/{kind} for {uri} is not a JSON object", url=f"{self.base_url}/resource/{kind}"
            )
        return body
