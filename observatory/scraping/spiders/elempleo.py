"""ElEmpleo (``www.elempleo.com/co/``, ``/cr/``): listing pages, then each offer (JSON detail endpoint, HTML fallback).

Two listing shapes:

* the old server-rendered cards (``div.result-item``, pagination ``?trabajo=…&pagina=N``), each followed to its
  HTML detail page;
* today's listing (2025), whose cards are rendered in the browser but whose offer ids are on the page: detail
  links ``/co/ofertas-trabajo/{slug}-{id}`` and quick-view buttons ``[data-joboffer]``. Each id is fetched from
  the JSON endpoint ``/{cc}/api/joboffers/getjoboffer?jobOfferId={id}``; when that fails, from the offer's
  HTML page (2025 selectors: ``h1.ee-offer-title``, "Descripción general", "Ciudades de la oferta", inline
  ``salary:``/``location:`` script data). Pagination ``?q=…&page=N``.

A listing that has neither cards nor ids (only the Handlebars template ``#hbtpl-jobOffers-list-result``) is
counted as ``observatory/client_rendered``; the crawl then fails with that reason instead of an empty success.
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

# One site, one path prefix per country (``/co/``, ``/cr/``).
LISTING_PATH = "/{cc}/ofertas-empleo/"
JSON_DETAIL_PATH = "/{cc}/api/joboffers/getjoboffer?jobOfferId={id}"
# ``/co/ofertas-trabajo/{slug}/{id}`` (old) or ``/co/ofertas-trabajo/{slug}-{id}`` (2025)
_OFFER_ID = re.compile(r"[/-](\d{5,12})/?(?:[?#].*)?$")


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


def listing_offers(response: Response) -> list[dict[str, Any]]:
    """Offers on today's listing: ids from detail links and quick-view buttons (the cards themselves are drawn
    in the browser). Each is a card dict with what the link says (id, URL, title)."""
    offers: dict[str, dict[str, Any]] = {}
    for link in response.css('a[href*="/ofertas-trabajo/"]'):
        href = link.attrib.get("href") or ""
        oid = offer_id(href)
        if oid and oid not in offers:
            offers[oid] = _card(
                oid, urljoin(response.url, href.split("?")[0]), squash(" ".join(link.css("::text").getall()))
            )
    for button in response.css("[data-joboffer]"):
        oid = (button.attrib.get("data-joboffer") or "").strip()
        if oid.isdigit() and oid not in offers:
            offers[oid] = _card(oid, None, None)
    return list(offers.values())


def _card(native_id: str, url: str | None, title: str | None) -> dict[str, Any]:
    return {
        "native_id": native_id,
        "url": url,
        "title": title or None,
        "company": None,
        "salary_raw": None,
        "location_raw": None,
        "date_posted_raw": None,
        "page_type": "listing",
    }


def offer_record(payload: Any) -> dict[str, Any] | None:
    """The offer of a JSON detail answer (bare, or wrapped in ``data``/``jobOffer``); ``None`` without a title."""
    for candidate in (payload, *(payload.get(k) for k in ("data", "jobOffer", "result") if isinstance(payload, dict))):
        if isinstance(candidate, dict) and candidate.get("title"):
            return candidate
    return None


def parse_offer_json(record: dict[str, Any], base_url: str, card: dict[str, Any] | None = None) -> dict[str, Any]:
    """Raw posting fields of one JSON detail record (``id``, ``title``, ``companyName``, ``city``, ``salaryInfo``,
    ``publishDateInfo``, ``description``, ``jobOfferUrl``), each falling back to what the listing said."""
    card = card or {}
    url = first(lambda: record["jobOfferUrl"], lambda: card["url"])
    return {
        "native_id": first(lambda: str(record["id"]), lambda: card["native_id"]),
        "url": urljoin(base_url + "/", url) if url else None,
        "title": first(lambda: squash(record["title"]), lambda: card["title"]),
        "company": first(
            lambda: squash(record["companyName"]), lambda: record["company"]["name"], lambda: card["company"]
        ),
        "description_html": first(lambda: record["description"], lambda: record["descriptionHtml"]),
        "salary_raw": first(lambda: squash(record["salaryInfo"]), lambda: squash(record["salary"])),
        "location_raw": first(
            lambda: squash(record["city"]),
            lambda: ", ".join(c["name"] if isinstance(c, dict) else str(c) for c in record["cities"]),
            lambda: card["location_raw"],
        ),
        "date_posted_raw": first(
            lambda: squash(record["publishDateInfo"]), lambda: record["publishDate"], lambda: card["date_posted_raw"]
        ),
        "education": first(lambda: squash(record["educationLevel"]), lambda: squash(record["studiesLevel"])),
        "experience_raw": first(lambda: squash(record["experience"]), lambda: squash(record["experienceInfo"])),
        "contract_raw": first(lambda: squash(record["contractType"]), lambda: squash(record["contractTypeInfo"])),
        "raw": {
            "sector": first(lambda: squash(record["sector"]), lambda: squash(record["area"])),
            "vacancies": record.get("vacancies"),
            "listing_date": card.get("date_posted_raw"),
        },
        "page_type": "api",
    }


_SCRIPT_VALUE = {name: re.compile(rf"\b{name}\s*:\s*'([^']*)'") for name in ("salary", "location")}


def _script_value(response: Response, name: str) -> str | None:
    """``salary: '…'`` / ``location: '…'`` from the detail page's inline script data (2025)."""
    for script in response.css("script:not([src])::text").getall():
        match = _SCRIPT_VALUE[name].search(script)
        if match and match.group(1).strip():
            return squash(match.group(1))
    return None


def _after_heading(response: Response, tag: str, heading: str) -> Any:
    """The element right after the ``tag`` heading that reads ``heading`` (accents and case ignored)."""
    for node in response.css(tag):
        if fold(squash(" ".join(node.css("::text").getall())) or "").startswith(heading):
            following = node.xpath("following-sibling::*[1]")
            if following:
                return following[0]
    return None


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
    title = first(
        lambda: text_of(response, "h1.ee-offer-title .js-jobOffer-title"),
        lambda: text_of(response, ".js-jobOffer-title"),
        lambda: text_of(response, "h1.ee-offer-title"),
        lambda: ld["title"],
    )
    general = _after_heading(response, "h2", "descripcion general")
    if not title and not response.css("div.description-block") and general is None:
        return None
    description = first(
        lambda: "".join(response.css("div.description-block > *").getall()) or None,
        lambda: response.css("div.description-block").get(),
        lambda: general.get(),
        lambda: ld["description"],
    )
    cities = _after_heading(response, "h3", "ciudades de la oferta")
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
            lambda: text_of(response, ".js-company-name span"),
            lambda: text_of(response, ".js-company-name"),
            lambda: text_of(response, ".joboffer-companyname span"),
            lambda: text_of(response, ".ee-company-title span"),
            lambda: ld["hiringOrganization"]["name"],
            lambda: card["company"],
        ),
        "description_html": description,
        "salary_raw": first(
            lambda: text_of(response, ".js-joboffer-salary"),
            lambda: _script_value(response, "salary"),
            lambda: card["salary_raw"],
        ),
        "location_raw": first(
            lambda: text_of(response, ".js-joboffer-city"),
            lambda: squash(" ".join(cities.css("::text").getall())),
            lambda: text_of(response, ".joboffer__city"),
            lambda: _script_value(response, "location"),
            lambda: card["location_raw"],
        ),
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
    """Crawls ElEmpleo's search results of one country (Colombia or Costa Rica) and each offer (JSON detail
    endpoint, else its HTML page).

    ``-a detail_json=false`` skips the JSON endpoint and reads every offer from its HTML page.
    """

    name = "elempleo"
    portal = "elempleo"
    parse_detail_page = staticmethod(parse_detail_page)

    def __init__(self, detail_json: str | bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.detail_json = str(detail_json).lower() not in ("0", "false", "no")
        self.seen_offers: set[str] = set()

    def listing_url(self, page: int) -> str:
        query = f"?trabajo={quote_plus(self.query)}" if self.query else "?trabajo="
        path = LISTING_PATH.format(cc=self.source.country)
        return f"{self.base_url}{path}{query}" + (f"&pagina={page}" if page > 1 else "")

    def live_listing_url(self, page: int) -> str:
        """Today's listing pagination (``?q=…&page=N``)."""
        path = LISTING_PATH.format(cc=self.source.country)
        return f"{self.base_url}{path}?q={quote_plus(self.query or '')}&page={page}"

    async def start(self) -> Any:
        yield scrapy.Request(self.listing_url(1), callback=self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1, **_: Any) -> Iterator[Any]:
        cards, state = parse_listing_page(response)
        if not cards:
            offers = listing_offers(response)
            if offers:
                yield from self.parse_live_listing(response, offers, page)
                return
        self.count("pages")
        if state.get("client_rendered"):
            self.count("client_rendered")
            self.logger.error("listing %s is rendered in the browser: no cards and no offer ids", response.url)
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

    # -- today's listing: offer ids, then the JSON detail endpoint ---------------------------------------------

    def parse_live_listing(self, response: Response, offers: list[dict[str, Any]], page: int) -> Iterator[Any]:
        self.count("pages")
        self.count("live_listing")
        new = [offer for offer in offers if offer["native_id"] not in self.seen_offers]
        self.seen_offers.update(offer["native_id"] for offer in offers)
        stale: list[bool] = []
        for offer in new:
            stale.append(self.is_stale(offer["native_id"], None))
            if offer["native_id"] in self.known_ids:
                continue
            yield self.offer_request(offer) if self.detail_json else self.html_request(offer)
        # A page with nothing new (a site ignoring ``page``) ends the pagination.
        if new and page < self.max_pages and not self.stop_paginating(stale):
            yield scrapy.Request(self.live_listing_url(page + 1), callback=self.parse, cb_kwargs={"page": page + 1})

    def offer_request(self, offer: dict[str, Any]) -> scrapy.Request:
        path = JSON_DETAIL_PATH.format(cc=self.source.country, id=offer["native_id"])
        return scrapy.Request(
            self.base_url + path,
            headers={"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"},
            callback=self.parse_offer,
            errback=self.offer_failed,
            cb_kwargs={"card": offer},
        )

    def html_request(self, offer: dict[str, Any]) -> Any:
        """The offer's HTML page (the fallback of the JSON endpoint); the card alone when it has no usable link."""
        url = offer["url"] or None
        if url and self.on_site(url, "card"):
            return scrapy.Request(
                url,
                callback=self.parse_detail,
                errback=self.detail_failed,
                cb_kwargs={"card": offer},
                meta={"dont_redirect": True, "handle_httpstatus_list": [301, 302, 404, 410]},
            )
        self.count("detail_missing")
        return self.base_item(**offer)

    def parse_offer(self, response: Response, card: dict[str, Any]) -> Iterator[Any]:
        try:
            record = offer_record(json.loads(response.text))
        except (ValueError, AttributeError):
            record = None
        if record is None:
            self.count("detail_json_unusable")
            yield self.html_request(card)
            return
        self.count("detail_json")
        item = parse_offer_json(record, self.base_url, card)
        if item["url"] and not self.on_site(item["url"], "url"):
            item["url"] = card["url"]
        yield self.base_item(**item)

    def offer_failed(self, failure: Any) -> Iterator[Any]:
        card = failure.request.cb_kwargs["card"]
        self.count("detail_json_failed")
        yield self.html_request(card)
