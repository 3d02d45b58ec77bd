"""Conformance with real portal pages saved in ``../shared/real_pages`` (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parsel import Selector
from typer.testing import CliRunner

from observatory.scraping.items import validate_posting
from observatory.scraping.parse import parse_page

pytestmark = pytest.mark.shared

CARD_FIELDS = ("native_id", "url", "title", "date_posted")
FULL_FIELDS = ("native_id", "url", "title", "company", "description", "city", "date_posted")


def _real(shared_dir: Path, portal: str, name: str) -> bytes:
    path = shared_dir / "real_pages" / portal / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path.read_bytes()


def _complete(items: list[dict], fields: tuple[str, ...]) -> None:
    for item in items:
        assert validate_posting(item) is None, item
        empty = [f for f in fields if item.get(f) in (None, "")]
        assert not empty, f"{item['native_id']}: {empty}"


@pytest.mark.parametrize("name", ["ar_listing_trabajo-de-python.html", "pe_listing_trabajo-de-software-en-lima.html"])
def test_computrabajo_listings_give_20_complete_cards(shared_dir: Path, name: str) -> None:
    body = _real(shared_dir, "computrabajo", name)
    items = parse_page("computrabajo", body)
    assert len(items) == 20
    _complete(items, CARD_FIELDS)
    # every card names its employer, or says it is confidential (then company is None, the text kept)
    assert all(i["company"] or i["raw"]["company"] for i in items)
    assert {i["source_key"] for i in items} == {f"{name[:2]}-computrabajo"}
    assert all(i["url"].startswith(f"https://{name[:2]}.computrabajo.com/ofertas-de-trabajo/") for i in items)
    # every salary / work-mode chip on the page is read
    cards = Selector(text=body.decode("utf-8")).css("article.box_offer")
    salaries = sum(bool(c.css("div.fs13 span.i_salary")) for c in cards)
    modes = sum(bool(c.css("div.fs13 span.i_home, div.fs13 span.i_home_office")) for c in cards)
    assert sum(i["salary_min"] is not None for i in items) == salaries > 0
    assert sum(i["work_mode"] is not None for i in items) == modes > 0


def test_computrabajo_detail_is_complete(shared_dir: Path) -> None:
    items = parse_page("computrabajo", _real(shared_dir, "computrabajo", "co_detail_lider-educativo.html"))
    assert len(items) == 1
    _complete(items, FULL_FIELDS)
    detail = items[0]
    assert detail["native_id"] == "B08ACE1CBFD43C2E61373E686DCF3405"
    assert detail["date_posted"].startswith("2026-03-04")
    assert detail["contract_type"] == "permanent" and detail["experience_years"] == 3
    assert detail["education"] == "Postgrado / Especialización"
    assert "Perfil que buscamos:" in detail["description"]


def test_bumeran_api_items_are_complete(shared_dir: Path) -> None:
    body = _real(shared_dir, "bumeran", "zonajobs_ar_searchHomeV2_response.json")
    items = parse_page("bumeran", body)
    assert len(items) == len(json.loads(body)["avisos"])
    _complete(items, ("native_id", "url", "title", "description", "city", "date_posted", "work_mode"))
    assert {i["source_key"] for i in items} == {"ar-zonajobs"}
    named = [i for i in items if not i["raw"]["confidential"]]
    assert named and all(i["company"] for i in named)


def test_bumeran_rendered_listing_uses_stable_hooks(shared_dir: Path) -> None:
    items = parse_page("bumeran", _real(shared_dir, "bumeran", "ar_listing_empleos-busqueda-desarrollador.html"))
    assert len(items) == 11
    _complete(items, ("native_id", "url", "title", "city", "date_posted", "work_mode"))
    # the cards of ZonaJobs ads (7-digit ids) carry no excerpt on this page; Bumeran's own ones do
    assert [bool(i["description"]) for i in items] == [len(i["native_id"]) == 10 for i in items]


def test_elempleo_listing_cards_are_complete(shared_dir: Path) -> None:
    items = parse_page("elempleo", _real(shared_dir, "elempleo", "co_listing_ofertas-empleo_desarrollador_2020.html"))
    assert len(items) == 100
    _complete(items, ("native_id", "url", "title", "location_raw", "date_posted"))
    unnamed = [i for i in items if i["company"] is None]
    assert unnamed and {i["raw"]["company"] for i in unnamed} == {"Empresa confidencial"}
    nationwide = [i for i in items if i["location_raw"] == "Toda Colombia"]
    assert nationwide and all(i["city"] is None for i in nationwide)  # not a city
    assert all(i["date_posted"].startswith("2020-") for i in items)
    assert sum(i["salary_min"] is not None for i in items) >= 40


def test_parse_command_prints_json_lines_for_every_real_page(shared_dir: Path) -> None:
    from observatory.cli import app

    runner = CliRunner()
    pages = sorted((shared_dir / "real_pages").glob("*/*"))
    assert pages
    for page in pages:
        result = runner.invoke(app, ["parse", page.parent.name, str(page)])
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        assert lines and all(line["native_id"] and line["title"] and line["url"] for line in lines)
