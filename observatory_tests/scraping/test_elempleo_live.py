"""ElEmpleo's current site on a loopback mirror: offer ids on a browser-rendered listing, the JSON detail
endpoint, the 2025 HTML detail page as fallback (shapes from ../shared/sites/elempleo.md, written here by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from typer.testing import CliRunner

from observatory.config import Settings, get_settings
from observatory.scraping.runner import fast_test_overrides, run_crawl
from observatory.scraping.spiders import elempleo
from observatory_tests.scraping.loopback import ROBOTS_ALLOW, html, serve

# Today's listing: the cards are a Handlebars template filled in the browser, but the ids are on the page.
LISTING = """<!DOCTYPE html><html><body>
<script id="hbtpl-jobOffers-list-result" type="text/x-handlebars-template">{{#each offers}}…{{/each}}</script>
<div class="result-list">
  <a href="/co/ofertas-trabajo/ingeniero-comercial-de-proyectos-bogota-825424">Ingeniero comercial de proyectos</a>
  <button class="js-quick-view" data-joboffer="825424">Vista rápida</button>
  <a href="/co/ofertas-trabajo/analista-de-datos-medellin-825425">Analista de datos</a>
  <button class="js-quick-view" data-joboffer="825500">Vista rápida</button>
  <a href="/co/ofertas-trabajo/">Todas las ofertas</a>
</div></body></html>"""

OFFER_825424 = {
    "id": 825424,
    "title": "Ingeniero comercial de proyectos",
    "companyName": "Constructora Andina S.A.S.",
    "city": "Bogotá",
    "salaryInfo": "$4,5 a $5,5 millones",
    "publishDateInfo": "2026-11-27T09:30:00",
    "description": "<p>Gestión comercial de proyectos de infraestructura. Manejo de <b>Excel</b> y CRM.</p>",
    "jobOfferUrl": "/co/ofertas-trabajo/ingeniero-comercial-de-proyectos-bogota-825424",
}
OFFER_825500 = {
    "id": 825500,
    "title": "Auxiliar contable",
    "companyName": "Servicios Contables del Caribe",
    "city": "Barranquilla",
    "salaryInfo": "$1,8 a $2 millones",
    "publishDateInfo": "2026-11-26T08:00:00",
    "description": "<p>Registro de facturas y conciliaciones bancarias con SIIGO.</p>",
    "jobOfferUrl": "/co/ofertas-trabajo/auxiliar-contable-barranquilla-825500",
}
# The 2025 detail page, for the offer whose JSON endpoint fails.
DETAIL_2025 = """<!DOCTYPE html><html><head><script>
  window.offerData = { salary: '$3 a $3,5 millones', location: 'Medellín' };
</script></head><body>
<h1 class="ee-offer-title"><span class="js-jobOffer-title">Analista de datos</span></h1>
<div class="ee-company-title"><span>Datos y Analítica S.A.</span></div>
<h2>Descripción general</h2>
<div><p>Modelos en Python y SQL, tableros en Power BI.</p></div>
<h3>Ciudades de la oferta</h3>
<ul><li>Medellín</li></ul>
</body></html>"""


def _json(payload: Any, status: int = 200) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(payload).encode()


def live_site_routes() -> dict[str, Any]:
    api = "/co/api/joboffers/getjoboffer?jobOfferId="
    return {
        "/robots.txt": ROBOTS_ALLOW,
        "/co/ofertas-empleo/": html(LISTING),  # every page of it (a site that ignores ``page``)
        f"{api}825424": _json(OFFER_825424),
        f"{api}825425": _json({"error": "not found"}, 404),
        f"{api}825500": _json({"data": OFFER_825500}),
        "/co/ofertas-trabajo/analista-de-datos-medellin-825425": html(DETAIL_2025),
    }


def _check_postings(postings: list[dict[str, Any]]) -> None:
    by_id = {p["native_id"]: p for p in postings}
    assert set(by_id) == {"825424", "825425", "825500"}
    api = by_id["825424"]
    assert api["page_type"] == "api" and by_id["825500"]["page_type"] == "api"
    assert by_id["825425"]["page_type"] == "detail"
    assert api["title"] == "Ingeniero comercial de proyectos" and api["company"] == "Constructora Andina S.A.S."
    assert "Excel" in api["description"] and api["salary_min"] == 4_500_000
    assert by_id["825500"]["company"] == "Servicios Contables del Caribe"  # the {"data": …} wrapping
    html_fallback = by_id["825425"]
    assert html_fallback["title"] == "Analista de datos" and html_fallback["company"] == "Datos y Analítica S.A."
    assert "Power BI" in html_fallback["description"]
    assert html_fallback["salary_min"] == 3_000_000 and "Medell" in (html_fallback["city"] or "")


def test_live_listing_ids_json_detail_and_html_fallback(settings: Settings, tmp_path: Path) -> None:
    with serve(live_site_routes()) as site:
        result = run_crawl(
            "co-elempleo",
            base_url=site.base,
            output=tmp_path / "elempleo.jsonl",
            settings=settings,
            max_pages=5,
            overrides=fast_test_overrides(),
        )
    postings = list(result.postings())
    _check_postings(postings)
    summary = result.summary
    assert result.ok and summary["client_rendered"] == 0
    # Page 2 repeated page 1 (the mirror ignores ``page``): pagination stopped there.
    assert summary["pages"] == 2 and len([p for p in site.paths() if p.startswith("/co/ofertas-empleo/")]) == 2
    stats = json.loads(result.stats_path.read_text())["stats"]
    assert stats["observatory/detail_json"] == 2 and stats["observatory/detail_json_failed"] == 1


def test_scrape_command_reads_elempleo_through_the_json_path(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from observatory.cli import app

    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("OBSERVATORY_CRAWL__DOWNLOAD_DELAY", "0")
    monkeypatch.setenv("OBSERVATORY_CRAWL__AUTOTHROTTLE", "false")
    get_settings.cache_clear()
    output = tmp_path / "cli.jsonl"
    try:
        with serve(live_site_routes()) as site:
            args = ["scrape", "--source", "co-elempleo", "--base-url", site.base, "--no-load", "--output", str(output)]
            result = CliRunner().invoke(app, args)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    postings = [json.loads(line) for line in output.read_text().splitlines() if line.strip()]
    _check_postings(postings)


def test_a_listing_without_cards_or_ids_is_still_client_rendered() -> None:
    template = b'<script id="hbtpl-jobOffers-list-result" type="text/x-handlebars-template"></script>'
    page = b"<html><body>" + template + b"</body></html>"
    response = HtmlResponse(url="https://www.elempleo.com/co/ofertas-empleo/", body=page)
    cards, state = elempleo.parse_listing_page(response)
    assert cards == [] and elempleo.listing_offers(response) == [] and state["client_rendered"]


def test_offer_json_fields_fall_back_to_the_listing() -> None:
    card = {
        "native_id": "825424",
        "url": "https://www.elempleo.com/co/ofertas-trabajo/x-825424",
        "title": "Del listado",
    }
    item = elempleo.parse_offer_json({"title": "Desde JSON", "cities": [{"name": "Cali"}]}, "https://x.test", card)
    assert item["native_id"] == "825424" and item["title"] == "Desde JSON"
    assert item["url"] == card["url"] and item["location_raw"] == "Cali"
    assert elempleo.offer_record({"error": "x"}) is None


# ElEmpleo Costa Rica: the same site under ``/cr/``, salaries in colones.
LISTING_CR = """<!DOCTYPE html><html><body>
<div class="result-list">
  <a href="/cr/ofertas-trabajo/cajero-bancario-san-jose-931001">Cajero bancario</a>
  <button class="js-quick-view" data-joboffer="931001">Vista rápida</button>
</div></body></html>"""
OFFER_931001 = {
    "id": 931001,
    "title": "Cajero bancario",
    "companyName": "Banco Central de Servicios S.A.",
    "city": "San José",
    "salaryInfo": "₡650.000 a ₡750.000",
    "publishDateInfo": "2026-11-25T10:00:00",
    "description": "<p>Atención al cliente, manejo de efectivo y arqueo de caja. Inglés intermedio.</p>",
    "jobOfferUrl": "/cr/ofertas-trabajo/cajero-bancario-san-jose-931001",
}


def test_costa_rica_is_crawled_under_its_own_country_path(settings: Settings, tmp_path: Path) -> None:
    from observatory.sources import get_source

    source = get_source("cr-elempleo")
    assert (source.country, source.portal, source.currency) == ("cr", "elempleo", "CRC")
    routes = {
        "/robots.txt": ROBOTS_ALLOW,
        "/cr/ofertas-empleo/": html(LISTING_CR),
        "/cr/api/joboffers/getjoboffer?jobOfferId=931001": _json(OFFER_931001),
    }
    with serve(routes) as site:
        result = run_crawl(
            "cr-elempleo",
            base_url=site.base,
            output=tmp_path / "cr.jsonl",
            settings=settings,
            max_pages=2,
            overrides=fast_test_overrides(),
        )
    postings = list(result.postings())
    assert result.ok and [p["native_id"] for p in postings] == ["931001"]
    offer = postings[0]
    assert offer["title"] == "Cajero bancario" and offer["company"] == "Banco Central de Servicios S.A."
    assert offer["url"].endswith("/cr/ofertas-trabajo/cajero-bancario-san-jose-931001")
    assert (offer["salary_min"], offer["salary_max"], offer["salary_currency"]) == (650_000, 750_000, "CRC")
    # Every request stayed under the Costa Rican path: none went to Colombia's listing or API.
    assert not [p for p in site.paths() if p.startswith("/co/")]
