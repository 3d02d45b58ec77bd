"""One amount reader for the ingest (``scraping.normalize.parse_salary``) and the analysis
(``analysis.salaries.parse_salary_text``): salary text as Argentine, Ecuadorian and Colombian postings write it,
in Spanish and English number formats, reads to the same numbers, or to the same reason why not, in both."""

from __future__ import annotations

import pytest

from observatory.analysis.salaries import SalaryParseError, parse_salary_text
from observatory.scraping import normalize as nz

AMBIGUOUS, IRREGULAR = "ambiguous amount", "amount with irregular digit groups"


@pytest.mark.parametrize(
    ("raw", "currency", "low", "high"),
    [
        # Argentina (Bumeran, ZonaJobs, Computrabajo): dots for thousands, comma for decimals
        ("$ 850.000 (Mensual)", "ARS", 850_000, 850_000),
        ("$ 1.200.000,00 brutos mensuales", "ARS", 1_200_000, 1_200_000),
        ("Entre $ 900.000 y $ 1.100.000", "ARS", 900_000, 1_100_000),
        ("$ 1.500.000", "ARS", 1_500_000, 1_500_000),
        ("$1,5 M brutos", "ARS", 1_500_000, 1_500_000),  # "M": millions
        ("$ 800 mil a 1 millón", "ARS", 800_000, 1_000_000),  # each amount with its own scale word
        ("$ 900.000 a 1,2 millones", "ARS", 900_000, 1_200_000),  # a grouped amount keeps its value
        ("1.250 mil pesos", "ARS", 1_250_000, 1_250_000),  # a thousand thousands: the dot groups
        ("USD 2k + bonos", "USD", 2_000, 2_000),
        ("USD 2K - 3K", "USD", 2_000, 3_000),
        # Ecuador (Computrabajo, US dollars; "1.000.00" is a decimal comma a scraper turned into a dot)
        ("460.00 US$ (Mensual)", "USD", 460, 460),
        ("1.000.00 US$ (Mensual)", "USD", 1_000, 1_000),
        ("12.500.00 US$ (Mensual)", "USD", 12_500, 12_500),
        ("$ 1,500.00", "USD", 1_500, 1_500),  # English format
        ("USD 1,200 - 1,500", "USD", 1_200, 1_500),
        ("$ 2.5k mensuales", "USD", 2_500, 2_500),
        ("$1,234.56", "USD", 1_234.56, 1_234.56),
        ("1.234,56 US$", "USD", 1_234.56, 1_234.56),
        # Colombia (Computrabajo, ElEmpleo): pesos in millions, the apostrophe of handwritten ads
        ("$ 2.400.000,00 (Mensual)", "COP", 2_400_000, 2_400_000),
        ("$2,5 a $3 millones", "COP", 2_500_000, 3_000_000),  # the bare "3" takes the word after it
        ("$4 a $4,5 millones", "COP", 4_000_000, 4_500_000),
        ("$ 2,500 millones", "COP", 2_500_000, 2_500_000),  # before a million word a lone mark is decimal
        ("$ 2.500 millones", "COP", 2_500_000, 2_500_000),
        ("$ 2,5 MM", "COP", 2_500_000, 2_500_000),
        ("$ 1'800.000", "COP", 1_800_000, 1_800_000),
        ("$ 2.500.000 a $ 3.000.000", "COP", 2_500_000, 3_000_000),
        ("$900 mil", "COP", 900_000, 900_000),
        ("$ 1.200.000 + comisiones de 2 millones", "COP", 1_200_000, 1_200_000),
    ],
)
def test_both_readers_read_the_same_amounts(raw: str, currency: str, low: float, high: float) -> None:
    ingest = nz.parse_salary(raw, currency)
    assert "salary_issue" not in ingest, ingest
    assert (ingest["salary_min"], ingest["salary_max"], ingest["salary_currency"]) == (low, high, currency)
    quote = parse_salary_text(raw, currency)
    assert quote is not None
    assert (quote.low, quote.high, quote.currency) == (pytest.approx(low), pytest.approx(high), currency)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("$ 1,2345", AMBIGUOUS),  # four decimals are no price, and no thousands group either
        ("$ 1,234.567", AMBIGUOUS),  # three decimals, or thousands written with two marks?
        ("$ 1.234.567,891", AMBIGUOUS),
        ("$ 1.23.456", IRREGULAR),
        ("$ 1.000,000,00", IRREGULAR),
        ("$ 10000,000", IRREGULAR),  # thousands are grouped from the first mark on
        ("$ 1.000.0", IRREGULAR),
    ],
)
def test_both_readers_refuse_the_same_amounts_for_the_same_reason(raw: str, reason: str) -> None:
    ingest = nz.parse_salary(raw, "ARS")
    assert ingest["salary_issue"] == reason and ingest["salary_min"] is None
    with pytest.raises(SalaryParseError, match=reason):
        parse_salary_text(raw, "ARS")


@pytest.mark.parametrize(
    ("token", "scale", "value"),
    [
        ("1.500", 1, 1_500),
        ("1,500", 1, 1_500),
        ("1.500", 1e3, 1_500_000),
        ("1.500", 1e6, 1_500_000),
        ("1,2345", 1e6, 1_234_500),  # decimals are fine once a scale word says what they are of
        ("4,5", 1, 4.5),
        ("650 000", 1, 650_000),
        ("1'200.000", 1, 1_200_000),
        ("3000.50", 1, 3_000.5),
    ],
)
def test_parse_amount(token: str, scale: float, value: float) -> None:
    assert nz.parse_amount(token, scale) == pytest.approx(value)
