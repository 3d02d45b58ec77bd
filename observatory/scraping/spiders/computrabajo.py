"""Computrabajo (``{cc}.computrabajo.com``): listing cards, then each offer (detail JSON, else the detail page).

Listings: ``/trabajo-de-{keyword}[-en-{place}]?p=N`` (20 cards), ``/empleos-en-{place}`` or
``/ofertas-de-trabajo/``; the next page is ``span[title="Siguiente"][data-path]``. Detail pages carry a
JSON-LD ``JobPosting`` (older ones schema.org microdata) and an HTML body in ``div[div-link="oferta"]``.

The site's detail JSON (``oferta.computrabajo.com/offer/{ID}/d/j``, ``{"o": offer, "c": company}``) carries what
the employer entered as structured fields: skill tags, minimum education, years of experience, category,
salary text, contract, workday, languages. The first offer of a crawl probes it; when it answers, every offer
is read from it, otherwise (a mirror without it, a changed API) every offer is read from its HTML page, which
stays the fallback of any offer whose JSON fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from observatory.scraping.normalize import fold, squash
from observatory.scraping.spiders.base import DetailPagesSpider, first, json_ld, text_of

JSON_HOST = "https://oferta.computrabajo.com"
JSON_PATH = "/offer/{id}/d/j?ipo=6&iapo=1"
_WORK_MODES = {1: "Presencial", 2: "Remoto", 3: "Híbrido"}
OFFER_ID = re.compile(r"([0-9A-F]{32})(?:[#?].*)?$")
ANY_OFFER_ID = re.compile(r"\b([0-9A-F]{32})\b")


def slug(text: str) -> str:
    """Computrabajo's URL slug: ``Analista de Datos`` → ``analista-de-datos``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _chip_kind(classes: str, text: str) -> str:
    low = fold(text)
    if "i_salary" in classes or re.search(r"\$|s/\.|\d", low):
        return "salary"
    if "i_home" in classes or re.search(r"remot|presencial|hibrid", low):
        return "work_mode"
    return "other"


def parse_card(card: Selector, page_url: str) -> dict[str, Any]:
    """Fields of one ``article.box_offer`` card (raw strings)."""
    native_id = first(lambda: card.attrib["data-id"], lambda: card.attrib["id"])
    href = first(lambda: card.css("h2 a.js-o-link::attr(href)").get(), lambda: card.css("h2 a::attr(href)").get())
    url = urljoin(page_url, href.split("#")[0]) if href else None
    company = first(
        lambda: text_of(card.xpath("./p[.//a][1]"), "a"),
        lambda: squash(" ".join(card.css("p.dFlex::text").getall())),
        lambda: squash(" ".join(card.xpath("./p[1]/text()").getall())),
    )
    location = first(
        lambda: text_of(card, "p.fs16:not(.dFlex) span.mr10"),
        lambda: card.xpath("./p[contains(@class,'fs16')]/span[contains(@class,'mr10')]/text()").get(),
    )
    chips: dict[str, str] = {}
    for chip in card.css("div.fs13 span.dIB"):
        text = squash(" ".join(chip.css("::text").getall())) or ""
        classes = " ".join(chip.css("span.icon::attr(class)").getall())
        chips.setdefault(_chip_kind(classes, text), text)
    return {
        "native_id": native_id,
        "url": url,
        "title": first(
            lambda: text_of(card, "h2 a.js-o-link"), lambda: text_of(card, "h2 a"), lambda: text_of(card, "h2")
        ),
        "company": company,
        "location_raw": location,
        "salary_raw": chips.get("salary"),
        "work_mode_raw": chips.get("work_mode"),
        "date_posted_raw": first(lambda: text_of(card, "p.fc_aux"), lambda: text_of(card, "p.fs13")),
        "page_type": "listing",
    }


def parse_listing_page(response: Response) -> tuple[list[dict[str, Any]], str | None]:
    """The cards of a listing page and the next page's URL (as printed by the site)."""
    cards = [parse_card(card, response.url) for card in response.css("article.box_offer")]
    next_url = first(
        lambda: response.css('span[title="Siguiente"]::attr(data-path)').get(),
        lambda: response.css('a[title="Siguiente"]::attr(href)').get(),
    )
    return cards, next_url


def _microdata(sel: Any) -> dict[str, Any] | None:
    """An older detail page's schema.org ``JobPosting`` microdata as a JSON-LD-like dict."""
    scope = sel.css('[itemtype*="schema.org/JobPosting"]')
    if not scope:
        return None

    def prop(name: str, root: Any = scope) -> str | None:
        node = root.css(f'[itemprop="{name}"]')
        if not node:
            return None
        return first(lambda: node.attrib["content"], lambda: node.attrib["datetime"], lambda: text_of(node, "*"))

    org = scope.css('[itemprop="hiringOrganization"]')
    place = scope.css('[itemprop="jobLocation"]')
    return {
        "title": prop("title"),
        "datePosted": prop("datePosted"),
        "validThrough": prop("validThrough"),
        "employmentType": prop("employmentType"),
        "description_html": scope.css('[itemprop="description"]').get(),
        "hiringOrganization": {"name": prop("name", org) if org else None},
        "jobLocation": {
            "address": {
                "addressLocality": prop("addressLocality", place) if place else None,
                "addressRegion": prop("addressRegion", place) if place else None,
            }
        },
        "baseSalary": {"value": {"value": prop("value", scope.css('[itemprop="baseSalary"]'))}}
        if scope.css('[itemprop="baseSalary"]')
        else None,
    }


def _ld_salary(posting: dict[str, Any]) -> str | None:
    base = posting.get("baseSalary")
    if not isinstance(base, dict):
        return None
    value: dict[str, Any] = base["value"] if isinstance(base.get("value"), dict) else {"value": base.get("value")}
    currency = base.get("currency") or posting.get("salaryCurrency") or ""
    low, high = value.get("minValue"), value.get("maxValue")
    unit = {"MONTH": "Mensual", "YEAR": "Anual", "HOUR": "Hora", "DAY": "Diario", "WEEK": "Semanal"}.get(
        str(value.get("unitText", "")).upper(), ""
    )
    amount = value.get("value")
    try:
        if low and high and float(low) > 0:
            return f"{currency} {low} a {high} ({unit})".strip()
        if amount and float(str(amount).replace(",", ".")) > 0:
            return f"{currency} {amount} ({unit})".strip()
    except ValueError:
        return None
    return None  # the portal writes 0 for "A convenir"


def parse_detail_page(response: Response, card: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Fields of a detail page (JSON-LD, then microdata, then the HTML body, then the listing card).

    Returns ``None`` when the page is not a detail page (Computrabajo redirects unknown ids to a listing).
    """
    card = card or {}
    ld = json_ld(response, "JobPosting") or _microdata(response) or {}
    body = response.css('div[div-link="oferta"]')
    if not ld and not body:
        return None
    chips = [squash(" ".join(c.css("::text").getall())) or "" for c in body.css("span.tag.base")]
    requirements = [squash(" ".join(li.css("::text").getall())) or "" for li in body.css("ul li")]

    def requirement(prefix: str) -> str | None:
        for line in requirements:
            if fold(line).startswith(prefix):
                return squash(line.split(":", 1)[1]) if ":" in line else line
        return None

    experience = next((r for r in requirements if re.search(r"experiencia", fold(r))), None)
    knowledge = requirement("conocimientos")
    header = text_of(response, "h1 + p.fs16")
    address = (ld.get("jobLocation") or {}).get("address") or {} if isinstance(ld.get("jobLocation"), dict) else {}
    ld_place = ", ".join(dict.fromkeys(x for x in (address.get("addressLocality"), address.get("addressRegion")) if x))
    salary_chip = next((c for c in chips if re.search(r"\$|s/|\d", fold(c))), None)
    contract_chip = next((c for c in chips if "contrato" in fold(c) or "prestacion" in fold(c)), None)
    mode_chip = next((c for c in chips if re.search(r"remot|presencial|hibrid", fold(c))), None)
    org: dict[str, Any] = ld["hiringOrganization"] if isinstance(ld.get("hiringOrganization"), dict) else {}
    ids = [
        response.url,
        card.get("native_id") or "",
        ld.get("url") or "",
        response.css('link[rel="canonical"]::attr(href)').get() or "",
        " ".join(response.css("[data-oi]::attr(data-oi)").getall()),
    ]
    native_id = next((m.group(1) for s in ids if (m := ANY_OFFER_ID.search(s))), None)
    description_html = first(
        lambda: body.css("p.mbB").get(),
        lambda: ld["description_html"],
        lambda: ld["description"].replace("·", "\n·"),
    )
    return {
        "native_id": native_id,
        "url": first(lambda: ld["url"], lambda: response.url.split("#")[0] if response.url.startswith("http") else None)
        or card.get("url"),
        "title": first(lambda: ld["title"], lambda: text_of(response, "h1"), lambda: card["title"]),
        "company": first(
            lambda: org["name"],
            lambda: header.rsplit(" - ", 1)[0] if header and " - " in header else None,
            lambda: card["company"],
        ),
        "description_html": description_html,
        "location_raw": first(
            lambda: ld_place,
            lambda: header.rsplit(" - ", 1)[1] if header and " - " in header else None,
            lambda: card["location_raw"],
        ),
        "salary_raw": first(lambda: _ld_salary(ld), lambda: salary_chip, lambda: card["salary_raw"]),
        "contract_raw": first(lambda: contract_chip, lambda: ld["employmentType"]),
        "work_mode_raw": first(
            lambda: card["work_mode_raw"],
            lambda: mode_chip,
            lambda: "remoto" if ld.get("jobLocationType") == "TELECOMMUTE" else None,
        ),
        "education": requirement("educacion minima"),
        "experience_raw": experience,
        "date_posted_raw": first(
            lambda: ld["datePosted"],
            lambda: body.css("p.fc_aux::text").getall()[-1],
            lambda: card["date_posted_raw"],
        ),
        "valid_through_raw": ld.get("validThrough"),
        "skills_tags": [s.strip() for s in re.split(r",|;", knowledge) if s.strip()] if knowledge else [],
        "raw": {
            "chips": chips,
            "requirements": requirements,
            "languages": requirement("idiomas"),
            "schedule": next((c for c in chips if re.search(r"tiempo|medio|horario|turno", fold(c))), None),
            "industry": ld.get("industry"),
            "employment_type": ld.get("employmentType"),
            "listing_date": card.get("date_posted_raw"),
        },
        "page_type": "detail",
    }


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        names = [v.get("n") or v.get("name") or "" if isinstance(v, dict) else str(v) for v in value]
    else:
        names = re.split(r"[,;\n]", str(value or ""))
    return [squash(n) or "" for n in names if squash(n)]


def parse_offer_json(payload: Any, card: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Raw posting fields of a detail JSON answer (``o``: offer, ``c``: company); ``None`` when it is not one."""
    card = card or {}
    if not isinstance(payload, dict) or not isinstance(payload.get("o"), dict):
        return None
    o: dict[str, Any] = payload["o"]
    c: dict[str, Any] = payload["c"] if isinstance(payload.get("c"), dict) else {}
    if not o.get("ltr"):
        return None
    description = first(lambda: o["ld"])
    years = first(lambda: float(o["ey"]))
    mode = first(lambda: _WORK_MODES[int(o["iwt"])])
    place = ", ".join(dict.fromkeys(x for x in (squash(o.get("c")), squash(o.get("l"))) if x))
    return {
        "native_id": first(lambda: str(o["eoi"]).upper() if ANY_OFFER_ID.search(str(o["eoi"]).upper()) else None)
        or card.get("native_id"),
        "url": card.get("url"),
        "title": first(lambda: squash(o["ltr"]), lambda: card["title"]),
        "company": first(lambda: squash(c["cn"]), lambda: card["company"]),
        "description_html" if description and "<" in description else "description_text": description,
        "location_raw": first(lambda: place, lambda: card["location_raw"]),
        "salary_raw": first(lambda: squash(o["lss"]), lambda: card["salary_raw"]),
        "contract_raw": first(lambda: squash(o["lsj"])),
        "work_mode_raw": first(lambda: mode, lambda: card["work_mode_raw"]),
        "education": first(lambda: squash(o["me"])),
        # -1 means "not asked"; 0 "no experience".
        "experience_raw": None if years is None or years < 0 else f"{years:g} años de experiencia",
        "date_posted_raw": first(lambda: o["pt"], lambda: card["date_posted_raw"]),
        "valid_through_raw": first(lambda: o["st"]),
        "skills_tags": _tags(o.get("k")),
        "raw": {
            "category": first(lambda: squash(o["cat"])),
            "schedule": first(lambda: squash(o["lset"])),
            "languages": first(lambda: ", ".join(_tags(o["la"]))),
            "vacancies": o.get("v"),
            "updated": o.get("dlu"),
            "salary_value": o.get("s"),
            "age_range": [o.get("mina"), o.get("maxa")] if o.get("mina") or o.get("maxa") else None,
            "disability_friendly": o.get("dy"),
            "verified_company": o.get("icv"),
            "company_rating": c.get("ad"),
            "listing_date": card.get("date_posted_raw"),
        },
        "page_type": "api",
    }


class ComputrabajoSpider(DetailPagesSpider):
    """Crawls ``{cc}.computrabajo.com`` search results and each offer's detail page."""

    name = "computrabajo"
    portal = "computrabajo"
    parse_detail_page = staticmethod(parse_detail_page)

    live_hosts = (JSON_HOST,)

    def __init__(self, place: str | None = None, detail_json: str | bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.place = place
        # None: not tried yet (the first offer probes it); True: it answers; False: HTML pages only.
        self.json_works: bool | None = None if str(detail_json).lower() not in ("0", "false", "no") else False
        self.json_base = self.base_url if self.mirror else JSON_HOST
        self.probing = False
        self.waiting: list[dict[str, Any]] = []  # cards held back while the probe is in flight

    def detail_requests(self, card: dict[str, Any]) -> Iterator[Any]:
        if self.json_works is False or not OFFER_ID.match(card.get("native_id") or ""):
            yield self.html_detail_request(card)
        elif self.json_works:
            yield self.json_request(card)
        elif self.probing:
            self.waiting.append(card)
        else:
            self.probing = True
            yield self.json_request(card)

    def json_request(self, card: dict[str, Any]) -> scrapy.Request:
        return scrapy.Request(
            self.json_base + JSON_PATH.format(id=card["native_id"]),
            headers={"Accept": "application/json"},
            callback=self.parse_json,
            errback=self.json_failed,
            cb_kwargs={"card": card},
        )

    def _release(self, works: bool) -> Iterator[Any]:
        """The probe answered: send the held-back cards the way that works."""
        if self.json_works is None:
            self.json_works = works
            self.logger.info("detail JSON endpoint %s", "answers" if works else "does not answer: HTML pages only")
        waiting, self.waiting = self.waiting, []
        for card in waiting:
            yield from self.detail_requests(card)

    def parse_json(self, response: Response, card: dict[str, Any]) -> Iterator[Any]:
        try:
            item = parse_offer_json(json.loads(response.text), card)
        except (ValueError, AttributeError):
            item = None
        if item is None:
            yield from self._json_unusable(card)
            return
        self.count("detail_json")
        yield self.base_item(**item)
        yield from self._release(True)

    def json_failed(self, failure: Any) -> Iterator[Any]:
        yield from self._json_unusable(failure.request.cb_kwargs["card"])

    def _json_unusable(self, card: dict[str, Any]) -> Iterator[Any]:
        self.count("detail_json_failed")
        yield self.html_detail_request(card)
        yield from self._release(False)

    def start_url(self) -> str:
        if self.query:
            path = f"/trabajo-de-{slug(self.query)}" + (f"-en-{slug(self.place)}" if self.place else "")
        elif self.place:
            path = f"/empleos-en-{slug(self.place)}"
        else:
            path = "/ofertas-de-trabajo/"
        return self.base_url + path

    async def start(self) -> Any:
        yield scrapy.Request(self.start_url(), callback=self.parse, cb_kwargs={"page": 1})

    def rebase(self, url: str) -> str:
        """Keep pagination on the configured host (the site prints absolute URLs of its real host)."""
        parts = urlsplit(url)
        return self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")

    def parse(self, response: Response, page: int = 1, **_: Any) -> Iterator[Any]:
        cards, next_url = parse_listing_page(response)
        self.count("pages")
        if not cards:
            self.count("empty_listing")
            self.logger.warning("no offer cards on %s", response.url)
        stale: list[bool] = []
        yield from self.follow_cards(response, cards, stale)
        if next_url and page < self.max_pages and not self.stop_paginating(stale):
            yield scrapy.Request(self.rebase(next_url), callback=self.parse, cb_kwargs={"page": page + 1})
