"""ElEmpleo (``www.elempleo.com/co/``): server-rendered listing cards, then each detail page.

Newer listings are rendered in the browser from Handlebars templates (``#hbtpl-jobOffers-list-result``)
fed by an XHR; such a page has no ``div.result-item`` cards. The spider counts it as
``observatory/client_rendered`` and stops instead of reporting an empty but "successful" crawl.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_plus, urljoin

import scrapy
from parsel import Selector
from scrapy.http import Response

from observatory.scraping.normalize import fold, squash
from observatory.scraping.spiders.base import DetailPagesSpider, first, json_ld, text_of

LISTING_PATH = "/co/ofertas-empleo/"
_OFFER_ID = re.compile(r"/(\d{5,12})(?:[/?#]|$)")


def _datalayer(sel: Selector) -> dict[str, Any]:
    """The analytics payload each card carries (name, company, salary, city, date as DD/MM/YYYY)."""
    raw = sel.css("[datalayertag]::attr(datalayertag)").get()
    if not raw:
        return {}
    try:
        products = json.loads(raw)["ecommerce"]["click"]["products"]
        return dict(products[0])
    except (ValueError, KeyError, IndexError, TypeError):
        return {}


def offer_id(url: str | None) -> str | None:
    match = _OFFER_ID.search(url or "")
    return match.group(1) if match else None


def parse_card(card: Selector, page_url: str) -> dict[str, Any]:
    """Fields of one ``div.result-item`` card."""
    layer = _datalayer(card)
    url = first(
        lambda: card.css("div.js-area-bind::attr(data-url)").get(),
        lambda: card.css("a.js-offer-title::attr(href)").get(),
    )
    url = urljoin(page_url, url) if url else None
    return {
        "native_id": first(
            lambda: offer_id(url),
            lambda: card.css("[data-joboffer]::attr(data-joboffer)").get(),
            lambda: str(layer["id"]),
        ),
        "url": url.split("?")[0] if url else None,
        "title": first(lambda: text_of(card, ".js-offer-title"), lambda: layer["name"]),
        "company": first(
            lambda: text_of(card, ".js-offer-company"),
            lambda: layer["dimension7"],
            lambda: card.css("img::attr(title)").get(),
        ),
        "salary_raw": first(lambda: text_of(card, ".js-offer-salary"), lambda: layer["dimension21"]),
        "location_raw": first(lambda: text_of(card, ".js-offer-city"), lambda: layer["dimension11"]),
        "date_posted_raw": first(lambda: text_of(card, ".js-offer-date"), lambda: layer["dimension13"]),
        "page_type": "listing",
    }


def parse_listing_page(response: Response) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Cards and the pagination state (``pageIndex``, ``totalPages``, ``next`` link when it is a real one)."""
    cards = [parse_card(card, response.url) for card in response.css("div.result-item")]
    state: dict[str, Any] = {}
    raw = response.css("[data-pagination]::attr(data-pagination)").get()
    if raw:
        try:
            state = json.loads(raw)
        except ValueError:
            state = {}
    href = response.css("a.js-btn-next::attr(href)").get()
    parent_disabled = "disabled" in (response.css("a.js-btn-next").xpath("..").attrib.get("class") or "")
    if href and not href.endswith("#") and not parent_disabled:
        state["next"] = urljoin(response.url, href)
    state["client_rendered"] = not cards and bool(response.css("#hbtpl-jobOffers-list-result"))
    return cards, state


def _labelled(response: Response, *labels: str) -> str | None:
    """The value next to a label such as ``Nivel de estudios`` (markup varies between redesigns)."""
    for node in response.css(".js-joboffer-data li, .offer-data li, ul.list-unstyled li, p"):
        text = squash(" ".join(node.css("::text").getall())) or ""
        low = fold(text)
        for label in labels:
            if low.startswith(label):
                value = text.split(":", 1)[1] if ":" in text else text[len(label) :]
                return squash(value)
    return None


def parse_detail_page(response: Response, card: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Fields of ``/co/ofertas-trabajo/{slug}/{id}``; ``None`` when the page is not an offer."""
    card = card or {}
    ld = json_ld(response, "JobPosting") or {}
    title = first(lambda: text_of(response, ".js-jobOffer-title"), lambda: ld["title"])
    if not title and not response.css("div.description-block"):
        return None
    description = first(
        lambda: "".join(response.css("div.description-block > *").getall()) or None,
        lambda: response.css("div.description-block").get(),
        lambda: ld["description"],
    )
    return {
        "native_id": first(
            lambda: card["native_id"],
            lambda: offer_id(response.url),
            lambda: response.css("[data-joboffer]::attr(data-joboffer)").get(),
        ),
        "url": first(
            lambda: card["url"], lambda: response.url.split("?")[0] if response.url.startswith("http") else None
        ),
        "title": first(lambda: title, lambda: card["title"]),
        "company": first(
            lambda: text_of(response, ".js-company-name"),
            lambda: ld["hiringOrganization"]["name"],
            lambda: card["company"],
        ),
        "description_html": description,
        "salary_raw": first(lambda: text_of(response, ".js-joboffer-salary"), lambda: card["salary_raw"]),
        "location_raw": first(lambda: text_of(response, ".js-joboffer-city"), lambda: card["location_raw"]),
        "date_posted_raw": first(
            lambda: text_of(response, ".js-publish-date"), lambda: ld["datePosted"], lambda: card["date_posted_raw"]
        ),
        "valid_through_raw": first(lambda: ld["validThrough"], lambda: _labelled(response, "fecha de cierre", "vence")),
        "education": first(
            lambda: text_of(response, ".js-joboffer-education"),
            lambda: _labelled(response, "nivel de estudios", "nivel educativo", "educacion"),
        ),
        "experience_raw": first(
            lambda: text_of(response, ".js-joboffer-experience"),
            lambda: _labelled(response, "experiencia"),
        ),
        "contract_raw": first(
            lambda: text_of(response, ".js-joboffer-contract"),
            lambda: _labelled(response, "tipo de contrato", "contrato"),
            lambda: ld["employmentType"],
        ),
        "work_mode_raw": first(
            lambda: text_of(response, ".js-joboffer-workmode"), lambda: _labelled(response, "modalidad")
        ),
        "raw": {
            "sector": first(lambda: text_of(response, ".js-joboffer-sector"), lambda: _labelled(response, "sector")),
            "vacancies": _labelled(response, "vacantes", "numero de vacantes"),
            "listing_date": card.get("date_posted_raw"),
        },
        "page_type": "detail",
    }


class ElEmpleoSpider(DetailPagesSpider):
    """Crawls ElEmpleo's Colombian search results and each offer's detail page."""

    name = "elempleo"
    portal = "elempleo"
    parse_detail_page = staticmethod(parse_detail_page)

    def listing_url(self, page: int) -> str:
        query = f"?trabajo={quote_plus(self.query)}" if self.query else "?trabajo="
        return f"{self.base_url}{LISTING_PATH}{query}" + (f"&pagina={page}" if page > 1 else "")

    async def start(self) -> Any:
        yield scrapy.Request(self.listing_url(1), callback=self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1, **_: Any) -> Iterator[Any]:
        cards, state = parse_listing_page(response)
        self.count("pages")
        if state.get("client_rendered"):
            self.count("client_rendered")
            self.logger.error("listing %s is rendered in the browser: no cards in the HTML", response.url)
            return
        if not cards:
            self.count("empty_listing")
        stale: list[bool] = []
        yield from self.follow_cards(response, cards, stale)
        total = state.get("totalPages")
        next_url = state.get("next")
        if next_url and not self.on_site(next_url, "next"):
            next_url = None
        if not next_url and total and int(state.get("pageIndex", page)) < int(total):
            next_url = self.listing_url(page + 1)
        if next_url and cards and page < self.max_pages and not self.stop_paginating(stale):
            yield scrapy.Request(next_url, callback=self.parse, cb_kwargs={"page": page + 1})
