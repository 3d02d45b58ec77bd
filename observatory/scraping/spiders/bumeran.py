"""Bumeran and its sister brands (ZonaJobs, Multitrabajos, Konzerta): the site's own JSON API.

The site is a single-page app, so the spider speaks the API it calls: ``POST /api/avisos/searchV2``
with the brand's ``x-site-id``, after a first ``GET /empleos.html`` that sets the session cookies.
Rendered listing pages (hashed class names) are only parsed by ``observatory parse`` through their
stable hooks: the JSON-LD ``ItemList`` and ``#listado-avisos a[href^="/empleos/"]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response

from observatory.scraping.normalize import fold, restore_breaks, squash
from observatory.scraping.spiders.base import PortalSpider, first, json_ld, text_of

SEARCH_PATH = "/api/avisos/searchV2"
FICHA_PATH = "/api/candidates/fichaAvisoNormalizada/{id}"
PAGE_SIZE = 20
_AD_ID = re.compile(r"-(\d{4,12})\.html")


def slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text or "")).strip("-")


def ad_url(base_url: str, record: dict[str, Any]) -> str:
    """The public page of an ad, built the way the site builds it."""
    company = "" if record.get("confidencial") else record.get("empresa")
    name = "-".join(x for x in (slug(record.get("titulo")), slug(company)) if x)
    return f"{base_url}/empleos/{name}-{record['id']}.html"


def api_records(payload: Any) -> list[dict[str, Any]]:
    """The ads of a search response (``content`` in searchV2, ``avisos`` in searchHomeV2) or a single ficha."""
    if isinstance(payload, list):
        return [r for r in payload if isinstance(r, dict)]
    if not isinstance(payload, dict):
        return []
    for key in ("content", "avisos"):
        if isinstance(payload.get(key), list):
            return [r for r in payload[key] if isinstance(r, dict)]
    if "aviso" in payload and isinstance(payload["aviso"], dict):
        return [payload["aviso"]]
    if "id" in payload and "titulo" in payload:
        return [payload]
    return []


def parse_api_record(record: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Raw posting fields of one API ad (no salary: the API does not publish it)."""
    confidential = bool(record.get("confidencial"))
    company = first(
        lambda: None if confidential else record["empresa"],
        lambda: record["empresa"]["denominacion"],
    )
    return {
        "native_id": str(record["id"]) if record.get("id") is not None else None,
        "url": ad_url(base_url, record) if record.get("id") is not None else None,
        "title": first(lambda: record["titulo"]),
        "company": company,
        "description_text": restore_breaks(first(lambda: record["detalle"], lambda: record["descripcion"])),
        "location_raw": first(lambda: record["localizacion"], lambda: record["ubicacion"]),
        "work_mode_raw": first(lambda: record["modalidadTrabajo"]),
        "contract_raw": first(lambda: record["tipoContratacion"], lambda: record["tipoContrato"]),
        "date_posted_raw": first(lambda: record["fechaHoraPublicacion"], lambda: record["fechaPublicacion"]),
        "raw": {
            "confidential": confidential,
            "schedule": record.get("tipoTrabajo"),
            "area_id": record.get("idArea"),
            "subarea_id": record.get("idSubarea"),
            "vacancies": record.get("cantidadVacantes"),
            "brand": record.get("portal"),
            "state": record.get("estado"),
            "modified": record.get("fechaModificado"),
        },
        "page_type": "api",
    }


def parse_rendered_listing(response: Response) -> list[dict[str, Any]]:
    """Cards of a browser-rendered listing page, through the hooks that survive class-name hashing."""
    items: dict[str, dict[str, Any]] = {}
    listing = json_ld(response, "ItemList") or {}
    for entry in listing.get("itemListElement") or []:
        url = entry.get("url") or (entry.get("item") or {}).get("@id")
        match = _AD_ID.search(url or "")
        if match:
            items[match.group(1)] = {"native_id": match.group(1), "url": url, "title": squash(entry.get("name"))}
    for card in response.css('#listado-avisos a[href^="/empleos/"]'):
        href = card.attrib["href"]
        match = _AD_ID.search(href)
        if not match:
            continue
        headings = [squash(" ".join(h.css("::text").getall())) for h in card.css("h3")]
        date_raw = next((h for h in headings if h and re.search(r"publicad|actualizad|hace|ayer|hoy", fold(h))), None)

        def after_icon(name: str, card: Any = card) -> str | None:
            return text_of(card.xpath(f".//i[@name='{name}']/following-sibling::*[1]"), "*")

        location = after_icon("icon-light-location-pin")
        mode = after_icon("icon-light-office")
        company = next((h for h in headings if h and h not in (date_raw, location, mode)), None)
        item = items.setdefault(match.group(1), {"native_id": match.group(1)})
        item.update(
            {
                "url": urljoin(response.url, href) if response.url.startswith("http") else item.get("url"),
                "title": text_of(card, "h2") or item.get("title"),
                "company": None if company and fold(company) == "confidencial" else company,
                "description_text": text_of(card, "p"),
                "location_raw": location,
                "work_mode_raw": mode,
                "date_posted_raw": date_raw,
                "page_type": "listing",
            }
        )
        if not item.get("url"):
            item["url"] = f"https://www.bumeran.com.ar{href}"
    return list(items.values())


class BumeranSpider(PortalSpider):
    """Crawls a Navent site (``-a source=ar-zonajobs`` for a sister brand) through its search API."""

    name = "bumeran"
    portal = "bumeran"

    def __init__(self, page_size: int | str = PAGE_SIZE, details: str | bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_size = max(20, min(100, int(page_size)))
        self.details = str(details).lower() in ("1", "true", "yes")

    async def start(self) -> Any:
        # The site sets its session cookies on the first HTML page; the API answers without them
        # on some days and not on others.
        yield scrapy.Request(f"{self.base_url}/empleos.html", callback=self.after_home, dont_filter=True)

    def search_request(self, page: int) -> scrapy.Request:
        body = {
            "filtros": [],
            "busquedaExtendida": False,
            "tipoDetalle": "full",
            "withHome": False,
            "internacional": False,
            "query": self.query,
        }
        return scrapy.Request(
            f"{self.base_url}{SEARCH_PATH}?pageSize={self.page_size}&page={page}&sort=RECIENTES",
            method="POST",
            body=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "x-site-id": self.source.site_id or "",
                "Referer": f"{self.base_url}/empleos.html",
            },
            callback=self.parse,
            cb_kwargs={"page": page},
            dont_filter=True,
        )

    def after_home(self, response: Response) -> Iterator[Any]:
        yield self.search_request(0)

    def parse(self, response: Response, page: int = 0, **_: Any) -> Iterator[Any]:
        self.count("pages")
        try:
            payload = json.loads(response.text)
        except (ValueError, AttributeError):
            self.count("invalid_api_response")
            self.logger.error("search page %d is not JSON: %s", page, response.text[:200])
            return
        records = api_records(payload)
        if not records:
            self.count("empty_listing")
        stale = []
        for record in records:
            item = parse_api_record(record, self.base_url)
            stale.append(self.is_stale(item["native_id"], item["date_posted_raw"]))
            if self.is_old(item["date_posted_raw"]):
                self.count("skipped_old")
                continue
            if self.details and item["native_id"]:
                yield scrapy.Request(
                    self.base_url + FICHA_PATH.format(id=item["native_id"]),
                    headers={"x-site-id": self.source.site_id or "", "Accept": "application/json"},
                    callback=self.parse_ficha,
                    errback=self.ficha_failed,
                    cb_kwargs={"item": item},
                )
            else:
                yield self.base_item(**item)
        total = payload.get("total") if isinstance(payload, dict) else None
        more = bool(records) and (total is None or (page + 1) * self.page_size < int(total))
        stop = self.stop_paginating(stale)
        if more and page + 1 < self.max_pages and not stop:
            yield self.search_request(page + 1)

    def parse_ficha(self, response: Response, item: dict[str, Any]) -> Iterator[Any]:
        """One ad's own record: fuller text and ``estado`` (whether it is still live)."""
        try:
            records = api_records(json.loads(response.text))
        except (ValueError, AttributeError):
            records = []
        if records:
            detail = parse_api_record(records[0], self.base_url)
            merged = {**item, **{k: v for k, v in detail.items() if v not in (None, "", {})}}
            merged["raw"] = {**item["raw"], **{k: v for k, v in detail["raw"].items() if v is not None}}
            merged["page_type"] = "detail"
            yield self.base_item(**merged)
        else:
            self.count("detail_missing")
            yield self.base_item(**item)

    def ficha_failed(self, failure: Any) -> Iterator[Any]:
        self.count("detail_failed")
        yield self.base_item(**failure.request.cb_kwargs["item"])
