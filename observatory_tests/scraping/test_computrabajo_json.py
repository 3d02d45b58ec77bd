"""Computrabajo's detail JSON (keys from ../shared/sites/computrabajo.md, values written here by hand) on a loopback
mirror: structured employer fields when it answers, the HTML detail page when it does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from observatory.config import Settings
from observatory.scraping.runner import CrawlResult, fast_test_overrides, run_crawl
from observatory.scraping.spiders.computrabajo import parse_offer_json
from observatory_tests.scraping.loopback import (
    ROBOTS_ALLOW,
    computrabajo_detail,
    computrabajo_listing,
    html,
    offer_id,
    serve,
)

DETAIL = "/ofertas-de-trabajo/oferta-de-trabajo-de-analista-{}"


def offer_json(oid: str, title: str) -> dict[str, Any]:
    return {
        "o": {
            "eoi": oid,
            "ltr": title,
            "ld": "Análisis de ventas.\nReportes en Power BI y consultas SQL.",
            "c": "Quito",
            "l": "Pichincha",
            "cat": "Tecnología, Sistemas y Telecomunicaciones",
            "pt": "2026-11-27T10:15:00",
            "st": "2026-12-27T00:00:00",
            "ey": 2,
            "k": "SQL, Python, Power BI",
            "la": "Inglés",
            "lset": "Tiempo Completo",
            "lsj": "Contrato por tiempo indefinido",
            "lss": "800.00 US$ (Mensual)",
            "s": 800,
            "me": "Universidad / Carrera técnica",
            "v": 2,
            "iwt": 3,
        },
        "c": {"cn": "Comercial Andina S.A.", "ad": 4.1},
    }


def _crawl(settings: Settings, tmp_path: Path, routes: dict[str, Any], name: str) -> tuple[CrawlResult, list[str]]:
    with serve(routes) as site:
        result = run_crawl(
            "ec-computrabajo",
            query="python",
            base_url=site.base,
            output=tmp_path / f"{name}.jsonl",
            settings=settings,
            max_pages=1,
            overrides=fast_test_overrides(),
        )
    return result, site.paths()


def _site(ids: list[str]) -> dict[str, Any]:
    cards = [(oid, f"Analista {n}", DETAIL.format(oid)) for n, oid in enumerate(ids)]
    routes: dict[str, Any] = {"/robots.txt": ROBOTS_ALLOW, "/trabajo-de-python": html(computrabajo_listing(cards))}
    for n, oid in enumerate(ids):
        routes[DETAIL.format(oid)] = html(computrabajo_detail(f"Analista {n} (HTML)"))
    return routes


def test_detail_json_gives_the_employer_fields(settings: Settings, tmp_path: Path) -> None:
    ids = [offer_id(n) for n in (1, 2, 3)]
    routes = _site(ids)
    for oid in ids[:2]:
        body = json.dumps(offer_json(oid, f"Analista de datos {oid[-1]}")).encode()
        routes[f"/offer/{oid}/d/j"] = (200, {"Content-Type": "application/json"}, body)
    # ids[2] has no JSON (404): its HTML page is the fallback.
    result, paths = _crawl(settings, tmp_path, routes, "json")
    by_id = {p["native_id"]: p for p in result.postings()}
    assert set(by_id) == set(ids)
    first = by_id[ids[0]]
    assert first["page_type"] == "api" and first["skills_tags"] == ["SQL", "Python", "Power BI"]
    assert first["experience_years"] == 2 and first["education"] == "Universidad / Carrera técnica"
    assert first["salary_min"] == 800 and first["company"] == "Comercial Andina S.A."
    assert first["raw"]["category"].startswith("Tecnología") and first["raw"]["schedule"] == "Tiempo Completo"
    assert "Power BI" in first["description"] and first["city"] == "Quito"
    assert by_id[ids[2]]["page_type"] == "detail" and by_id[ids[2]]["title"] == "Analista 2 (HTML)"
    # HTML pages were fetched only for the offer without JSON.
    assert [p for p in paths if p.startswith("/ofertas-de-trabajo/")] == [DETAIL.format(ids[2])]


def test_a_mirror_without_the_json_endpoint_costs_one_probe(settings: Settings, tmp_path: Path) -> None:
    ids = [offer_id(n) for n in range(1, 7)]
    result, paths = _crawl(settings, tmp_path, _site(ids), "html")
    assert len([p for p in paths if p.startswith("/offer/")]) == 1  # one probe, then HTML pages only
    assert len([p for p in paths if p.startswith("/ofertas-de-trabajo/")]) == 6
    assert {p["page_type"] for p in result.postings()} == {"detail"} and result.items == 6


def test_offer_json_edge_values() -> None:
    payload = offer_json(offer_id(9), "Cajero")
    payload["o"].update({"ey": -1, "k": [{"n": "Caja"}, {"n": "Atención al cliente"}], "iwt": 2})
    item = parse_offer_json(payload)
    assert item is not None
    assert item["experience_raw"] is None  # -1: not asked
    assert item["skills_tags"] == ["Caja", "Atención al cliente"] and item["work_mode_raw"] == "Remoto"
    assert parse_offer_json({"o": {}}) is None and parse_offer_json(["not", "an", "offer"]) is None
