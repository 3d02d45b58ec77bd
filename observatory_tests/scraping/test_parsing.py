"""Spider parsing on single pages: the bundled snapshot, missing fields, older markup, encodings, odd pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from observatory.scraping.items import missing_fields, normalise_posting, validate_posting
from observatory.scraping.parse import ParseError, parse_page
from observatory.scraping.snapshot.layout import SITES
from observatory.scraping.spiders import bumeran, computrabajo, elempleo

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _page(source: str, name: str) -> bytes:
    return (SITES / source / name).read_bytes()


def _detail_files(source: str) -> list[Path]:
    return sorted((SITES / source / "ofertas-de-trabajo").glob("oferta-de-trabajo-de-*.html"))


def test_computrabajo_listing_cards_and_next_page() -> None:
    response = HtmlResponse(
        url="https://co.computrabajo.com/ofertas-de-trabajo/",
        body=_page("co-computrabajo", "ofertas-de-trabajo/index.html"),
    )
    cards, next_url = computrabajo.parse_listing_page(response)
    assert len(cards) == 20
    assert next_url == "https://co.computrabajo.com/ofertas-de-trabajo/?p=2"
    assert all(len(c["native_id"]) == 32 and c["title"] and c["url"].startswith("https://") for c in cards)
    # Real cards omit the place now and then: the card says so instead of inventing one.
    assert any(c["location_raw"] is None for c in cards)
    assert any(c["salary_raw"] and c["salary_raw"].startswith("$") for c in cards)
    confidential = [c for c in cards if c["company"] == "Importante empresa del sector"]
    assert confidential, "cards without a company link keep the plain text"
    record = normalise_posting({**confidential[0], "source_key": "co-computrabajo"}, now=NOW)
    assert record["company"] is None and record["raw"]["company"] == "Importante empresa del sector"


def test_computrabajo_detail_prefers_json_ld() -> None:
    path = _detail_files("co-computrabajo")[0]
    response = HtmlResponse(url="https://co.computrabajo.com/ofertas-de-trabajo/" + path.stem, body=path.read_bytes())
    raw = computrabajo.parse_detail_page(response)
    assert raw is not None
    record = normalise_posting({**raw, "source_key": "co-computrabajo"}, now=NOW)
    assert validate_posting(record) is None
    assert record["date_posted"].startswith("2026-")
    assert record["description"] and "\n- " in record["description"]  # bullets kept
    assert record["education"] and record["experience_years"] is not None
    assert record["contract_type"] in ("permanent", "fixed_term", "temporary", "freelance")
    assert record["skills_tags"]


def test_older_microdata_detail_page_still_parses() -> None:
    pages = [
        p for p in _detail_files("mx-computrabajo") if b'itemtype="http://schema.org/JobPosting"' in p.read_bytes()
    ]
    assert len(pages) == 1
    response = HtmlResponse(
        url="https://mx.computrabajo.com/ofertas-de-trabajo/" + pages[0].stem, body=pages[0].read_bytes()
    )
    raw = computrabajo.parse_detail_page(response)
    assert raw is not None
    record = normalise_posting({**raw, "source_key": "mx-computrabajo"}, now=NOW)
    assert record["title"] and record["company"] and record["city"] and record["description"]
    assert record["date_posted"] is not None
    # The old template has no requirements list: the gap is reported, not filled.
    assert "education" in missing_fields(record)


def test_windows_1252_page_decodes() -> None:
    pages = [p for p in _detail_files("mx-computrabajo") if b"charset=windows-1252" in p.read_bytes()[:600]]
    assert len(pages) == 1
    body = pages[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    response = HtmlResponse(url="https://mx.computrabajo.com/ofertas-de-trabajo/" + pages[0].stem, body=body)
    raw = computrabajo.parse_detail_page(response)
    assert raw is not None
    assert "\ufffd" not in json.dumps(raw, ensure_ascii=False)
    assert any(ch in (raw["description_html"] or "") for ch in "áéíóúñ")


def test_missing_fields_are_none_not_empty_strings() -> None:
    html = b"""<html><body><article class="box_offer" data-id="0123456789ABCDEF0123456789ABCDEF">
    <h2><a class="js-o-link" href="/ofertas-de-trabajo/oferta-de-trabajo-de-x-0123456789ABCDEF0123456789ABCDEF">
    Cajero</a></h2>
    </article></body></html>"""
    cards, next_url = computrabajo.parse_listing_page(HtmlResponse(url="https://pe.computrabajo.com/x", body=html))
    assert next_url is None
    card = cards[0]
    assert card["title"] == "Cajero"
    assert card["company"] is None and card["location_raw"] is None and card["date_posted_raw"] is None
    record = normalise_posting({**card, "source_key": "pe-computrabajo"}, now=NOW)
    assert {"company", "city", "date_posted", "description"} <= set(missing_fields(record))


def test_empty_and_huge_pages() -> None:
    empty = HtmlResponse(url="https://co.computrabajo.com/trabajo-de-x", body=b"")
    assert computrabajo.parse_listing_page(empty) == ([], None)
    assert computrabajo.parse_detail_page(empty) is None
    card = (
        '<article class="box_offer" data-id="{id}"><h2><a class="js-o-link" href="/o-{id}">Oferta {n}</a></h2>'
        '<p class="fs13 fc_aux">Hace  2  horas</p><p class="fs16 fc_base mt5"><span class="mr10">Lima, Lima</span></p>'
        "</article>"
    )
    body = "<html><body>" + "".join(card.format(id=f"{n:032X}", n=n) for n in range(3000)) + "</body></html>"
    cards, _ = computrabajo.parse_listing_page(HtmlResponse(url="https://pe.computrabajo.com/x", body=body.encode()))
    assert len(cards) == 3000
    assert cards[-1]["title"] == "Oferta 2999" and cards[-1]["location_raw"] == "Lima, Lima"
    with pytest.raises(ParseError):
        parse_page("computrabajo", b"<html><body>nada</body></html>")


def test_bumeran_api_records() -> None:
    records = json.loads(_page("ar-bumeran", "api/avisos.json"))
    items = [bumeran.parse_api_record(r, "https://www.bumeran.com.ar") for r in records]
    confidential = [i for i in items if i["raw"]["confidential"]]
    assert confidential and all(i["company"] is None for i in confidential)
    record = normalise_posting({**items[0], "source_key": "ar-bumeran"}, now=NOW)
    assert record["url"].endswith(f"-{record['native_id']}.html")
    assert record["description"].count("\n- ") >= 3  # the lost line breaks are back
    assert record["work_mode"] in ("onsite", "hybrid", "remote")
    assert bumeran.api_records({"content": [], "total": 0}) == []


def test_elempleo_listing_and_detail() -> None:
    listing = HtmlResponse(
        url="https://www.elempleo.com/co/ofertas-empleo/?trabajo=",
        body=_page("co-elempleo", "co/ofertas-empleo/index.html"),
    )
    cards, state = elempleo.parse_listing_page(listing)
    assert len(cards) == 10 and state["totalPages"] == 2 and state["next"].endswith("pagina=2")
    assert all(c["native_id"].isdigit() and c["date_posted_raw"].startswith("Publicado") for c in cards)
    detail_file = next((SITES / "co-elempleo" / "co" / "ofertas-trabajo").rglob("*.html"))
    url = "https://www.elempleo.com/" + str(detail_file.relative_to(SITES / "co-elempleo"))[: -len(".html")]
    raw = elempleo.parse_detail_page(HtmlResponse(url=url, body=detail_file.read_bytes()))
    assert raw is not None
    record = normalise_posting({**raw, "source_key": "co-elempleo"}, now=NOW)
    assert not {"title", "company", "description", "city", "date_posted", "education", "experience_years"} & set(
        missing_fields(record)
    )


def test_elempleo_client_rendered_listing_is_reported() -> None:
    html = b"""<html><body><div class="js-results-container"></div>
    <script id="hbtpl-jobOffers-list-result" type="text/x-handlebars-template">{{#each offers}}{{/each}}</script>
    </body></html>"""
    cards, state = elempleo.parse_listing_page(
        HtmlResponse(url="https://www.elempleo.com/co/ofertas-empleo/", body=html)
    )
    assert cards == [] and state["client_rendered"] is True


def test_bundled_snapshot_matches_its_build_script(tmp_path: Path) -> None:
    from observatory.scraping.snapshot.build import build

    counts = build(tmp_path)
    assert sum(counts.values()) == 83
    built = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    bundled = {p.relative_to(SITES): p.read_bytes() for p in SITES.rglob("*") if p.is_file()}
    assert built.keys() == bundled.keys()
    stale = [str(k) for k in built if built[k] != bundled[k]]
    assert not stale, f"run `python -m observatory.scraping.snapshot.build`: {stale[:3]}"
