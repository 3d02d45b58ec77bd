"""Normalisation of dates, salaries, places, vocabularies, text, and content fingerprints."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from observatory.scraping import normalize as nz
from observatory.scraping.fingerprint import FingerprintIndex, distance, simhash

CRAWL = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 21:00 on the 28th in Bogotá


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hace  3  horas", "2026-11-28T23:00:00+00:00"),
        ("Ayer", "2026-11-27T05:00:00+00:00"),  # yesterday in Bogotá is the 27th at crawl time
        ("Hace 2 días", "2026-11-26T05:00:00+00:00"),
        ("Publicado hace 3 días", "2026-11-25T05:00:00+00:00"),
        ("Hace  2  días (actualizada)", "2026-11-26T05:00:00+00:00"),
        ("Hoy", "2026-11-28T05:00:00+00:00"),
        ("2026-03-04", "2026-03-04T05:00:00+00:00"),
        ("2026-03-04T10:00:00Z", "2026-03-04T10:00:00+00:00"),
        ("15-10-2025 12:41:12", "2025-10-15T17:41:12+00:00"),
        ("Publicado 11 Dic 2020", "2020-12-11T05:00:00+00:00"),
        ("5 de octubre", "2026-10-05T05:00:00+00:00"),
        ("30 de diciembre", "2025-12-30T05:00:00+00:00"),  # without a year and in the future: last year
        ("11/12/2020", "2020-12-11T05:00:00+00:00"),
    ],
)
def test_dates_resolve_to_utc_against_the_crawl_time(raw: str, expected: str) -> None:
    assert nz.iso(nz.parse_date(raw, "America/Bogota", CRAWL)) == expected


def test_dates_use_the_site_time_zone() -> None:
    buenos_aires = nz.parse_date("15-10-2025 12:41:12", "America/Argentina/Buenos_Aires", CRAWL)
    assert nz.iso(buenos_aires) == "2025-10-15T15:41:12+00:00"
    assert nz.parse_date("pronto", "America/Bogota", CRAWL) is None
    assert nz.parse_date("31 Feb 2024", "America/Bogota", CRAWL) is None
    assert nz.parse_date("", "America/Bogota", CRAWL) is None


@pytest.mark.parametrize(
    ("raw", "low", "high", "currency", "period"),
    [
        ("$ 11.111,00 (Mensual)", 11111, 11111, "ARS", "month"),
        ("S/. 3.000,00 (Mensual) + Comisiones", 3000, 3000, "PEN", "month"),
        ("$4 a $4,5 millones", 4_000_000, 4_500_000, "ARS", "month"),
        ("$ 10.000.000,00 (Mensual)", 10_000_000, 10_000_000, "ARS", "month"),
        ("USD 1,500 - 2,000 anual", 1500, 2000, "USD", "year"),
        ("Entre $2.000.000 y $2.500.000 mensuales", 2_000_000, 2_500_000, "ARS", "month"),
    ],
)
def test_salary_text_to_range(raw: str, low: float, high: float, currency: str, period: str) -> None:
    parsed = nz.parse_salary(raw, "ARS")
    assert (parsed["salary_min"], parsed["salary_max"]) == (low, high)
    assert parsed["salary_currency"] == currency
    assert parsed["salary_period"] == period


NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("raw", "default", "low", "high", "currency"),
    [
        # Costa Rica: colones grouped by spaces, plain or no-break (as word processors and some portals write)
        ("CRC 650 000", "CRC", 650_000, 650_000, "CRC"),
        (f"₡650{NNBSP}000 mensuales", "CRC", 650_000, 650_000, "CRC"),
        (f"Salario: 650{NBSP}000 colones", "CRC", 650_000, 650_000, "CRC"),
        ("entre 650 000 y 800 000", "CRC", 650_000, 800_000, "CRC"),
        (f"Entre ₡1{NNBSP}250{NNBSP}000 y ₡1{NNBSP}500{NNBSP}000", "CRC", 1_250_000, 1_500_000, "CRC"),
        ("₡ 650 000,50", "CRC", 650_000.5, 650_000.5, "CRC"),
        # Colombia: dots for thousands, comma for decimals; the apostrophe for millions in handwritten ads
        ("$ 1.250.000,00 (Mensual)", "COP", 1_250_000, 1_250_000, "COP"),
        ("$ 1 200 000", "COP", 1_200_000, 1_200_000, "COP"),
        ("$ 1'200.000", "COP", 1_200_000, 1_200_000, "COP"),
        ("De $ 2.000.000 a $ 2.500.000", "COP", 2_000_000, 2_500_000, "COP"),
        # Argentina
        ("$ 650.000", "ARS", 650_000, 650_000, "ARS"),
        ("$ 900.000 - $ 1.100.000 brutos", "ARS", 900_000, 1_100_000, "ARS"),
        # Ecuador (US dollars; a scraper's "1.000.00" is a decimal comma turned into a dot)
        ("$ 800", "USD", 800, 800, "USD"),
        ("1.000.00 US$ (Mensual)", "USD", 1000, 1000, "USD"),
        ("$ 650,000.50", "USD", 650_000.5, 650_000.5, "USD"),
        # Mexico: commas for thousands, dot for decimals
        ("$15,000.00 MXN mensuales", "MXN", 15_000, 15_000, "MXN"),
        ("Sueldo: 25 000 - 30 000 MXN", "MXN", 25_000, 30_000, "MXN"),
        ("$12,500 a $14,000", "MXN", 12_500, 14_000, "MXN"),
    ],
)
def test_salary_grouping_of_the_region(raw: str, default: str, low: float, high: float, currency: str) -> None:
    parsed = nz.parse_salary(raw, default)
    assert (parsed["salary_min"], parsed["salary_max"]) == (low, high), parsed
    assert parsed["salary_currency"] == currency and "salary_issue" not in parsed


def test_salary_numbers_that_are_not_one_amount_are_not_joined() -> None:
    # A year then an amount: four digits never start a spaced group, so nothing reads 2,024,500.
    assert nz.parse_salary("2024 500", "ARS")["salary_max"] == 2024
    # Irregular groups are a typo: flagged, not read as some other number.
    assert nz.parse_salary("$ 1.23.456", "ARS")["salary_issue"] == "amount with irregular digit groups"
    assert nz.parse_salary("$ 1.000,000,00", "ARS")["salary_issue"] == "amount with irregular digit groups"
    # Spaced groups past the storable range are refused like any other overflow.
    assert nz.parse_salary("$ 12 345 678 901 234", "ARS")["salary_issue"] == "amount out of range"


@pytest.mark.parametrize("raw", ["A convenir", "Salario confidencial", "Salario a convenir", None, ""])
def test_undisclosed_salary_has_no_numbers(raw: str | None) -> None:
    assert nz.parse_salary(raw, "COP")["salary_min"] is None


def test_location_and_vocabularies() -> None:
    assert nz.parse_location("Monserrat, Capital Federal", "ar") == {
        "city": "Monserrat",
        "region": "Capital Federal",
        "country": "ar",
    }
    assert nz.parse_location("Bogotá, D.C.", "co")["city"] == "Bogotá, D.C."
    assert nz.parse_location("Remoto", "co")["city"] is None
    assert nz.contract_type("Contrato a término indefinido") == "permanent"
    assert nz.contract_type("Contrato de prestación de servicios") == "freelance"
    assert nz.contract_type("Contrato por obra o labor") == "temporary"
    assert nz.contract_type("Monotributo") == "freelance"
    assert nz.work_mode("Presencial y remoto") == "hybrid"
    assert nz.work_mode("Híbrido") == "hybrid"
    assert nz.work_mode("Remoto") == "remote"
    assert nz.work_mode("Presencial") == "onsite"
    assert nz.experience_years("3 años de experiencia") == 3
    assert nz.experience_years("6 meses de experiencia") == 0.5
    assert nz.experience_years("Sin experiencia") == 0


def test_html_to_text_keeps_paragraphs_and_bullets_and_drops_scripts() -> None:
    html = (
        "<p>Buscamos <b>analista</b>.</p><ul><li>Python</li><li>SQL</li></ul>"
        "<p>No pegues &lt;script&gt;alert(1)&lt;/script&gt;</p><script>steal()</script><style>p{}</style>"
    )
    text = nz.html_to_text(html)
    assert text == "Buscamos analista.\n\n- Python\n- SQL\n\nNo pegues <script>alert(1)</script>"


def test_lost_line_breaks_are_restored() -> None:
    text = nz.restore_breaks("Buscamos analista.Tareas:● Gestión de stock● Compras")
    assert text == "Buscamos analista.\nTareas:\n- Gestión de stock\n- Compras"


def test_simhash_links_reposts_but_not_different_jobs() -> None:
    body = "Responsabilidades: construir tableros en Power BI, escribir consultas SQL y automatizar reportes. " * 3
    a = simhash("Analista de Datos", "Nimbus", body)
    b = simhash("Analista de Datos", "Nimbus", body.replace("\n", " ") + " Ofrecemos bonos.")
    c = simhash("Enfermera Jefe", "Clínica", "Valorar pacientes en urgencias y administrar medicamentos " * 3)
    assert a is not None and b is not None and c is not None
    assert distance(a, b) <= 3 < distance(a, c)
    index = FingerprintIndex()
    index.add(a, "computrabajo:A")
    index.add(c, "computrabajo:C")
    assert index.nearest(b) == "computrabajo:A"
    assert index.nearest(a, exclude="computrabajo:A") is None
    assert -(2**63) <= a < 2**63  # fits BIGINT
