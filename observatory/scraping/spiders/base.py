"""What the three portal spiders share: arguments, the source they crawl, incremental stopping, field fallbacks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import scrapy

from observatory.scraping.middlewares import origin_of
from observatory.scraping.normalize import parse_date, squash
from observatory.sources import SOURCES, Source, UnknownSourceError


def first(*candidates: Callable[[], Any]) -> Any:
    """The first non-empty value of a fallback chain (each candidate is a thunk; errors count as empty)."""
    for candidate in candidates:
        try:
            value = candidate()
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            continue
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, "", [], {}):
            return value
    return None


def text_of(sel: Any, css: str) -> str | None:
    """All text under the first match of ``css`` in a response, selector or selector list, collapsed."""
    found = sel.css(css)
    if not found:
        return None
    return squash(" ".join(found[0].css("::text").getall()))


def json_ld(sel: Any, type_name: str) -> dict[str, Any] | None:
    """The first JSON-LD object of ``@type`` ``type_name`` (top level, list or ``@graph``)."""
    for block in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(block, strict=False)
        except json.JSONDecodeError:
            continue
        stack: list[Any] = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if node.get("@type") == type_name:
                    return node
                if "@graph" in node:
                    stack.append(node["@graph"])
    return None


class PortalSpider(scrapy.Spider):
    """Base of the portal spiders.

    Arguments (``-a name=value``): ``country`` or ``source`` (a source key), ``query``, ``max_pages``,
    ``base_url`` (a mirror such as the loopback snapshot), ``since`` (ISO date: stop paginating at
    older postings and skip them), ``known_ids_file`` (one native id a line: stop paginating at a
    page of postings already stored), ``crawl_time`` (ISO datetime relative dates resolve against).
    """

    portal: str = ""
    #: Other hosts of the live site the spider calls (a JSON API host); a mirror serves everything itself.
    live_hosts: tuple[str, ...] = ()

    def __init__(
        self,
        country: str | None = None,
        source: str | None = None,
        query: str | None = None,
        max_pages: int | str = 50,
        base_url: str | None = None,
        since: str | None = None,
        known_ids_file: str | None = None,
        crawl_time: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.source = self._resolve_source(country, source)
        self.query = query or None
        self.max_pages = int(max_pages)
        self.base_url = (base_url or self.source.base_url).rstrip("/")
        if not origin_of(self.base_url):
            raise ValueError(f"base_url {self.base_url!r} is not an http(s) URL with a host")
        self.mirror = origin_of(self.base_url) != origin_of(self.source.base_url)
        # Confinement (ConfinementMiddleware): the crawl only ever talks to these host:port pairs.
        self.allowed_origins: set[str] = {origin_of(self.base_url)}
        if not self.mirror:
            self.allowed_origins |= {origin_of(url) for url in self.live_hosts}
        self.allowed_domains = sorted({origin.rsplit(":", 1)[0] for origin in self.allowed_origins})
        self.since: date | None = date.fromisoformat(since) if since else None
        self.known_ids: set[str] = set()
        if known_ids_file:
            self.known_ids = {line.strip() for line in Path(known_ids_file).read_text().splitlines() if line.strip()}
        self.crawl_time = datetime.fromisoformat(crawl_time) if crawl_time else datetime.now(UTC)

    def _resolve_source(self, country: str | None, source: str | None) -> Source:
        if source:
            found = SOURCES.get(source)
            if found is None or found.portal != self.portal:
                raise UnknownSourceError(f"{source!r} is not a {self.portal} source")
            return found
        country = (country or "").lower()
        for candidate in SOURCES.values():
            if candidate.portal == self.portal and candidate.country == country and candidate.brand is None:
                return candidate
        valid = sorted(s.country for s in SOURCES.values() if s.portal == self.portal)
        raise UnknownSourceError(f"{self.portal} does not serve country {country!r}; it serves {valid}")

    # -- helpers for subclasses ------------------------------------------------------------------

    def base_item(self, **fields: Any) -> dict[str, Any]:
        """A raw posting dict stamped with source and crawl time."""
        return {
            "source_key": self.source.key,
            "portal": self.portal,
            "country": self.source.country,
            "scraped_at": self.crawl_time.isoformat(),
            **fields,
        }

    def is_stale(self, native_id: str | None, date_raw: str | None) -> bool:
        """True for a posting already stored or older than ``since`` (an incremental crawl stops there)."""
        if native_id and native_id in self.known_ids:
            return True
        return self.is_old(date_raw)

    def is_old(self, date_raw: str | None) -> bool:
        if self.since is None or not date_raw:
            return False
        posted = parse_date(date_raw, self.source.timezone, self.crawl_time)
        return posted is not None and posted.date() < self.since

    def stop_paginating(self, stale_flags: Iterable[bool]) -> bool:
        """Whether a listing page is all stale (then the next page is not requested)."""
        flags = list(stale_flags)
        if flags and all(flags) and (self.since is not None or self.known_ids):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("observatory/incremental_stop")
            return True
        return False

    def on_site(self, url: str | None, kind: str) -> bool:
        """Whether ``url`` is on the crawl's own site; an off-site one is counted as ``offsite/<kind>`` and logged."""
        if url and origin_of(url) in self.allowed_origins:
            return True
        self.count(f"offsite/{kind}")
        self.logger.warning("dropped off-site %s link: %s", kind, (url or "")[:200])
        return False

    def count(self, key: str, n: int = 1) -> None:
        if getattr(self, "crawler", None) is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"observatory/{key}", n)


class DetailPagesSpider(PortalSpider):
    """A portal whose listing cards link to detail pages (Computrabajo, ElEmpleo).

    Subclasses set ``parse_detail_page(response, card) -> dict | None`` as a static method.
    """

    parse_detail_page: staticmethod  # type: ignore[type-arg]

    def follow_cards(self, response: Any, cards: list[dict[str, Any]], stale: list[bool]) -> Iterator[Any]:
        """Request each card's detail page (or yield the card when it has no link); note staleness."""
        for card in cards:
            stale.append(self.is_stale(card["native_id"], card["date_posted_raw"]))
            if self.is_old(card["date_posted_raw"]):
                self.count("skipped_old")
                continue
            if not card["url"]:
                yield self.base_item(**card)
                continue
            if not self.on_site(card["url"], "card"):
                # A card pointing elsewhere is not this source's posting (and its host is not ours to fetch).
                continue
            yield from self.detail_requests(card)

    def detail_requests(self, card: dict[str, Any]) -> Iterator[Any]:
        """What to fetch for one on-site card; by default its HTML detail page (subclasses add JSON endpoints)."""
        yield self.html_detail_request(card)

    def html_detail_request(self, card: dict[str, Any]) -> scrapy.Request:
        return scrapy.Request(
            card["url"],
            callback=self.parse_detail,
            errback=self.detail_failed,
            cb_kwargs={"card": card},
            # A withdrawn offer redirects to a listing: see that instead of following it.
            meta={"dont_redirect": True, "handle_httpstatus_list": [301, 302, 404, 410]},
        )

    def parse_detail(self, response: Any, card: dict[str, Any]) -> Iterator[Any]:
        detail = self.parse_detail_page(response, card) if response.status == 200 else None
        if detail is None:
            # Unknown ids redirect to a listing: keep what the card said, and say so in the stats.
            self.count("detail_missing")
            yield self.base_item(**card)
            return
        yield self.base_item(**detail)

    def detail_failed(self, failure: Any) -> Iterator[Any]:
        card = failure.request.cb_kwargs.get("card") or {}
        self.count("detail_failed")
        self.logger.warning("detail page failed (%s): %s", failure.value, failure.request.url)
        if card:
            yield self.base_item(**card)
