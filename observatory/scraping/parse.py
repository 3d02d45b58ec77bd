"""Run a spider's own parsing on one saved page (listing, detail or API JSON) without crawling.

The tool a maintainer needs the day a portal changes its markup: ``observatory parse PORTAL FILE_OR_URL``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, Response, TextResponse

from observatory.scraping.items import normalise_posting
from observatory.scraping.spiders import bumeran, computrabajo, elempleo
from observatory.sources import PORTALS, SOURCES, Source

_SAVED_FROM = re.compile(rb"<!-- saved from url=\(\d+\)(\S+?) -->")


class ParseError(ValueError):
    """A page that the named portal's parser cannot read at all."""


def page_response(body: bytes, url: str, content_type: str | None = None) -> Response:
    """A Scrapy response for saved bytes (encoding from headers, BOM or ``<meta charset>``)."""
    saved = _SAVED_FROM.search(body[:2000])
    if saved and not url.startswith("http"):
        url = saved.group(1).decode("ascii", "replace")
    headers = {"Content-Type": content_type} if content_type else {}
    stripped = body.lstrip()
    if stripped[:1] in (b"{", b"[") and b"<html" not in body[:500].lower():
        return TextResponse(url=url, body=body, headers=headers, encoding="utf-8")
    return HtmlResponse(url=url, body=body, headers=headers)


def guess_source(portal: str, response: Response, payload: Any = None) -> Source:
    """The source a page belongs to, from its host, its ``lang`` attribute or the API's brand field."""
    host = urlsplit(response.url).hostname or ""
    for source in SOURCES.values():
        if source.portal == portal and urlsplit(source.base_url).hostname == host:
            return source
    if portal == "computrabajo":
        match = re.match(r"([a-z]{2})\.computrabajo\.com", host)
        lang = response.xpath("/html/@lang").get() if isinstance(response, HtmlResponse) else None
        country = match.group(1) if match else (lang or "es-co")[-2:].lower()
        return SOURCES.get(f"{country}-computrabajo", SOURCES["co-computrabajo"])
    if portal == "bumeran":
        brand = None
        records = bumeran.api_records(payload) if payload is not None else []
        if records:
            brand = records[0].get("portal")
        if brand == "zonajobs":
            return SOURCES["ar-zonajobs"]
        return SOURCES["ar-bumeran"]
    return SOURCES["co-elempleo"]


def parse_page(
    portal: str, body: bytes, url: str = "file:///page.html", now: datetime | None = None
) -> list[dict[str, Any]]:
    """Normalised postings on one page of ``portal``; raises :class:`ParseError` for an unreadable page."""
    if portal not in PORTALS:
        raise ParseError(f"unknown portal {portal!r}; portals: {', '.join(PORTALS)}")
    now = now or datetime.now(UTC)
    response = page_response(body, url)
    raw: list[dict[str, Any]] = []
    payload: Any = None
    if portal == "computrabajo":
        if response.css("article.box_offer"):
            raw, _ = computrabajo.parse_listing_page(response)
        else:
            detail = computrabajo.parse_detail_page(response)
            raw = [detail] if detail else []
    elif portal == "bumeran":
        if not isinstance(response, HtmlResponse):
            try:
                payload = json.loads(response.text)
            except ValueError as exc:
                raise ParseError(f"not JSON: {exc}") from None
            source = guess_source(portal, response, payload)
            raw = [bumeran.parse_api_record(r, source.base_url) for r in bumeran.api_records(payload)]
        else:
            raw = bumeran.parse_rendered_listing(response)
    else:
        if response.css("div.result-item"):
            raw, _ = elempleo.parse_listing_page(response)
        else:
            detail = elempleo.parse_detail_page(response)
            raw = [detail] if detail else []
    if not raw:
        raise ParseError(f"no {portal} postings found on {url} (is this a listing, detail or API page of {portal}?)")
    source = guess_source(portal, response, payload)
    for item in raw:
        # Links on a saved page resolve against the file; put them back on the portal's host.
        if str(item.get("url") or "").startswith("file:"):
            item["url"] = source.base_url + urlsplit(item["url"]).path
    return [
        normalise_posting({**item, "source_key": source.key, "portal": portal}, now=now, source=source) for item in raw
    ]


def fetch(target: str, timeout_s: float = 30.0) -> tuple[bytes, str]:
    """Bytes and URL of a local file or an http(s) URL."""
    if re.match(r"https?://", target):
        import httpx

        from observatory.config import get_settings

        agent = get_settings().crawl.user_agent
        reply = httpx.get(target, timeout=timeout_s, follow_redirects=True, headers={"User-Agent": agent})
        reply.raise_for_status()
        return reply.content, str(reply.url)
    path = Path(target)
    if not path.is_file():
        raise ParseError(f"{target} is neither a file nor an http(s) URL")
    return path.read_bytes(), path.resolve().as_uri()
