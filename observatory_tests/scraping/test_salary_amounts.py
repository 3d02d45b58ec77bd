"""One amount reader for the ingest (``scraping.normalize.parse_salary``) and the analysis
(``analysis.salaries.parse_salary_text``): salary text as Argentine, Ecuadorian and Colombian postings write it,
in Spanish and English number formats, reads to the same numbers, or to the same reason why not, in both."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.analysis.salaries import SalaryParseError, parse_salary_text
from observatory.scraping import normalize as nz
from observatory.scraping.items import normalise_posting

AMBIGUOUS, IRREGULAR = "ambiguous amount", "amount with irregular digit groups"


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
        ("$ 0,00 (Mensual)", "zero amount"),  # a form left blank
        ("Sueldo: -5000", "negative amount"),
        ("$ 1e308", "amount in exponent notation"),
        ("$ 1.500.000 M", AMBIGUOUS),  # 1,500 million or a million million: no wage either way
        ("$ 150000 M", AMBIGUOUS),
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


# Salary text in the shapes of real postings (phrases written for this table, not copied from any posting): what
# both readers make of it. Hours, days, years, percentages, times, dates and counts are no amounts; a rate keeps its
# period; the currency is the one written at the amount or in its clause, never one named elsewhere.
READINGS = [
    # (text, country currency, low, high, currency, period)
    # Argentina (Bumeran, ZonaJobs, Computrabajo): dots for thousands, comma for decimals
    ("$ 850.000 (Mensual)", "ARS", 850_000, 850_000, "ARS", "month"),
    ("$ 1.200.000,00 brutos mensuales", "ARS", 1_200_000, 1_200_000, "ARS", "month"),
    ("Entre $ 900.000 y $ 1.100.000", "ARS", 900_000, 1_100_000, "ARS", "month"),
    ("$ 1.500.000", "ARS", 1_500_000, 1_500_000, "ARS", "month"),
    ("$ 800 mil a 1 millón", "ARS", 800_000, 1_000_000, "ARS", "month"),  # each amount with its own scale word
    ("$ 900.000 a 1,2 millones", "ARS", 900_000, 1_200_000, "ARS", "month"),  # 900 thousand already makes a range
    ("1.250 mil pesos", "ARS", 1_250_000, 1_250_000, "ARS", "month"),  # a thousand thousands: the dot groups
    ("USD 2K - 3K", "USD", 2_000, 3_000, "USD", "month"),
    # ... inside Bumeran/ZonaJobs descriptions
    ("$ 1.200 por 8 horas", "ARS", 1_200, 1_200, "ARS", "day"),  # a shift's pay, not the range 8 to 1,200
    ("$ 35.000 por jornada de 8 hs", "ARS", 35_000, 35_000, "ARS", "day"),
    ("Remuneraciones diarias: Oficial $55.000 Ayudante: $40.000", "ARS", 55_000, 55_000, "ARS", "day"),
    ("de lunes a viernes 9 a 18 hs, $ 650.000", "ARS", 650_000, 650_000, "ARS", "month"),
    ("lunes a sábados de 10 a 14hs $450.000 mensuales", "ARS", 450_000, 450_000, "ARS", "month"),
    ("lunes a viernes de 9 a 18, 650.000", "ARS", 650_000, 650_000, "ARS", "month"),  # no sign: hours of the day
    ("Horario 09:00 a 18:00 hs. Sueldo neto: $1.100.000", "ARS", 1_100_000, 1_100_000, "ARS", "month"),
    ("Sueldo inicial neto $ 1.000.000, convenio UOM (45hs semanales)", "ARS", 1_000_000, 1_000_000, "ARS", "month"),
    ("$ 900.000 mensuales, jornada de 8 horas", "ARS", 900_000, 900_000, "ARS", "month"),
    ("$ 500.000 por 4 horas diarias", "ARS", 500_000, 500_000, "ARS", "month"),  # the working day's length
    ("Salario $ 1.400.000, 6 días x 1 franco semanal", "ARS", 1_400_000, 1_400_000, "ARS", "month"),
    ("Modalidad 5x2. Remuneración mensual: $2.800.000", "ARS", 2_800_000, 2_800_000, "ARS", "month"),
    ("Inicio 20/10/2025. Sueldo $ 1.250.000 bruto", "ARS", 1_250_000, 1_250_000, "ARS", "month"),
    ("salario según convenio ($1.004.013,95 brutos agosto 2025)", "ARS", 1_004_013.95, 1_004_013.95, "ARS", "month"),
    ("Full Time $1.089.600, Part Time $544.800", "ARS", 1_089_600, 1_089_600, "ARS", "month"),  # two offers
    ("Rango salarial entre $400.000 y $500.000 brutos mensuales", "ARS", 400_000, 500_000, "ARS", "month"),
    ("SUELDO PROMEDIO $1.000.000 /$2.500.000", "ARS", 1_000_000, 2_500_000, "ARS", "month"),
    ("$ 2. 0 0 0. 0 0 0", "ARS", 2_000_000, 2_000_000, "ARS", "month"),  # letter-spaced digits
    ("Pago: $ 1 5. 0 0 0 por hora", "ARS", 15_000, 15_000, "ARS", "hour"),
    ("$ 4.500 por hora (20 hs semanales)", "ARS", 4_500, 4_500, "ARS", "hour"),
    ("$ 15.000 la hora, 4 horas diarias", "ARS", 15_000, 15_000, "ARS", "hour"),
    ("$ 760 mil (básico)", "ARS", 760_000, 760_000, "ARS", "month"),
    ("Más de $1.200.000", "ARS", 1_200_000, 1_200_000, "ARS", "month"),  # Computrabajo's salary filter
    # "M": a million after a decimal or a small number; thousands ("miles") where only that makes a wage
    ("$1,5 M brutos", "ARS", 1_500_000, 1_500_000, "ARS", "month"),
    ("$ 3 M", "ARS", 3_000_000, 3_000_000, "ARS", "month"),
    ("$ 2 a 3 M", "ARS", 2_000_000, 3_000_000, "ARS", "month"),
    ("$ 800M", "COP", 800_000, 800_000, "COP", "month"),  # 800 million is no monthly wage
    ("$ 2000 M", "COP", 2_000_000, 2_000_000, "COP", "month"),
    ("$ 2.000M", "COP", 2_000_000, 2_000_000, "COP", "month"),  # 2,000 thousand and 2.000 million agree
    ("$ 800 a 900 M", "COP", 800_000, 900_000, "COP", "month"),
    ("$ 120 M anuales", "COP", 120_000_000, 120_000_000, "COP", "year"),  # a year's pay: millions
    ("$ 15 M por hora", "ARS", 15_000, 15_000, "ARS", "hour"),
    ("u$s 2,5 M anuales", "ARS", 2_500_000, 2_500_000, "USD", "year"),
    # The currency at the amount: signs, codes and words in its clause; nothing named elsewhere relabels it
    ("Compensación: USD 7 0 0 (dólar blue)", "ARS", 700, 700, "USD", "month"),
    ("Pago: USD $50–100 por tarea", "ARS", 50, 100, "USD", "month"),
    ("USD 2.000 (a convenir según experiencia 3 años)", "ARS", 2_000, 2_000, "USD", "month"),
    ("Sueldo $ 1.500.000 (aprox. USD 1.000)", "ARS", 1_500_000, 1_500_000, "ARS", "month"),  # the first amount's
    ("Salario en dólares: $ 1.500", "ARS", 1_500, 1_500, "USD", "month"),
    ("$ 1.500 (dólares)", "ARS", 1_500, 1_500, "USD", "month"),
    ("Sueldo: $ 1.200.000 mensuales pagaderos en dólares", "ARS", 1_200_000, 1_200_000, "USD", "month"),
    ("Comisiones en dólares. Sueldo $ 700.000", "ARS", 700_000, 700_000, "ARS", "month"),
    ("Sueldo $ 900.000, comisiones en dólares", "ARS", 900_000, 900_000, "ARS", "month"),
    ("Sueldo $ 700.000 en Bs. As.", "ARS", 700_000, 700_000, "ARS", "month"),  # Buenos Aires, not bolívares
    ("Como ves, pagamos $ 700.000", "ARS", 700_000, 700_000, "ARS", "month"),  # a verb, not bolívares
    ("$ 700.000 s/ experiencia", "ARS", 700_000, 700_000, "ARS", "month"),  # "sin", not soles
    # ... and so is the pay period: the one written in the amount's clause
    ("Sueldo $ 900.000. Bono anual en dólares", "ARS", 900_000, 900_000, "ARS", "month"),
    ("Horas extra pagas por hora. Sueldo bruto $ 1.500.000", "ARS", 1_500_000, 1_500_000, "ARS", "month"),
    # What follows "+" is not base pay, whatever its currency or amount (see test_pay_on_top_of_the_base_is_noted)
    ("USD 2k + bonos", "USD", 2_000, 2_000, "USD", "month"),
    ("sueldo $ 900.000 + 20% presentismo", "ARS", 900_000, 900_000, "ARS", "month"),
    ("$ 900.000 + bono USD 200", "ARS", 900_000, 900_000, "ARS", "month"),
    ("$ 730.000 pesos + comisiones", "ARS", 730_000, 730_000, "ARS", "month"),
    ("Sueldo $ 840.000.- + viáticos", "ARS", 840_000, 840_000, "ARS", "month"),
    ("$ 1.200.000 + comisiones de 2 millones", "COP", 1_200_000, 1_200_000, "COP", "month"),
    ("$ 1.300.000 + 40% de comisiones", "COP", 1_300_000, 1_300_000, "COP", "month"),
    ("$ 1.423.500 (1 SMMLV) + prestaciones", "COP", 1_423_500, 1_423_500, "COP", "month"),
    ("Programador C++: $ 900.000 + bono", "ARS", 900_000, 900_000, "ARS", "month"),  # "C++" is no "+"
    # Ecuador (Computrabajo's salarioDescripcion, US dollars; "1.000.00" is a decimal comma turned into a dot)
    ("460.00 US$ (Mensual)", "USD", 460, 460, "USD", "month"),
    ("1.000.00 US$ (Mensual)", "USD", 1_000, 1_000, "USD", "month"),
    ("1.200.00 US$ (Mensual)", "USD", 1_200, 1_200, "USD", "month"),
    ("12.500.00 US$ (Mensual)", "USD", 12_500, 12_500, "USD", "month"),
    ("$ 1,500.00", "USD", 1_500, 1_500, "USD", "month"),  # English format
    ("USD 1,200 - 1,500", "USD", 1_200, 1_500, "USD", "month"),
    ("$ 2.5k mensuales", "USD", 2_500, 2_500, "USD", "month"),
    ("$1,234.56", "USD", 1_234.56, 1_234.56, "USD", "month"),
    ("1.234,56 US$", "USD", 1_234.56, 1_234.56, "USD", "month"),
    ("$ 500 mensuales, 8 horas diarias", "USD", 500, 500, "USD", "month"),
    ("$ 3,50 por hora", "USD", 3.5, 3.5, "USD", "hour"),
    ("USD 40/h", "USD", 40, 40, "USD", "hour"),
    ("$ 25 diarios", "USD", 25, 25, "USD", "day"),
    # Colombia (Computrabajo, ElEmpleo): pesos in millions, the apostrophe of handwritten ads
    ("$ 2.400.000,00 (Mensual)", "COP", 2_400_000, 2_400_000, "COP", "month"),
    ("$2,5 a $3 millones", "COP", 2_500_000, 3_000_000, "COP", "month"),  # the bare "3" takes the word after it
    ("$4 a $4,5 millones", "COP", 4_000_000, 4_500_000, "COP", "month"),
    ("$ 2,500 millones", "COP", 2_500_000, 2_500_000, "COP", "month"),  # before a million word a mark is decimal
    ("$ 2.500 millones", "COP", 2_500_000, 2_500_000, "COP", "month"),
    ("$ 2,5 MM", "COP", 2_500_000, 2_500_000, "COP", "month"),
    ("$ 1'800.000", "COP", 1_800_000, 1_800_000, "COP", "month"),
    ("$ 2.500.000 a $ 3.000.000", "COP", 2_500_000, 3_000_000, "COP", "month"),
    ("$900 mil", "COP", 900_000, 900_000, "COP", "month"),
    ("2.500 a 3 millones", "COP", 2_500_000, 3_000_000, "COP", "month"),  # the scale word covers the bare "2.500"
    ("Entre 1 y 1,5 millones", "COP", 1_000_000, 1_500_000, "COP", "month"),
    ("2.500 a 3 mil", "COP", 2_500, 3_000, "COP", "month"),
    ("$ 1.800.000,00 a $ 2.200.000,00 (Mensual)", "COP", 1_800_000, 2_200_000, "COP", "month"),
    ("$ 700.000 quincenal", "COP", 700_000, 700_000, "COP", "fortnight"),
    ("Salario $ 2.000.000, 2 años de experiencia", "COP", 2_000_000, 2_000_000, "COP", "month"),
    ("$ 36.000.000 anual", "COP", 36_000_000, 36_000_000, "COP", "year"),
    ("$4,5 a $5,5 millones", "COP", 4_500_000, 5_500_000, "COP", "month"),  # ElEmpleo's salary buckets
    ("$6 a $8 millones", "COP", 6_000_000, 8_000_000, "COP", "month"),
]


@pytest.mark.parametrize(("raw", "default", "low", "high", "currency", "period"), READINGS)
def test_both_readers_read_real_salary_text_alike(
    raw: str, default: str, low: float, high: float, currency: str, period: str
) -> None:
    ingest = nz.parse_salary(raw, default)
    stored_period = "biweekly" if period == "fortnight" else period  # the ingest's stored name for a fortnight
    assert "salary_issue" not in ingest, ingest
    assert (ingest["salary_min"], ingest["salary_max"]) == (pytest.approx(low), pytest.approx(high)), ingest
    assert (ingest["salary_currency"], ingest["salary_period"]) == (currency, stored_period)
    quote = parse_salary_text(raw, default)
    assert quote is not None
    assert (quote.low, quote.high) == (pytest.approx(low), pytest.approx(high))
    assert (quote.currency, quote.period) == (currency, period)


@pytest.mark.parametrize(
    ("raw", "base", "extra"),
    [
        ("$ 500.000 + $ 200.000 de bono", 500_000, "$ 200.000 de bono"),
        ("$ 800.000 + comisiones", 800_000, "comisiones"),
        ("Básico $ 700.000+premios por objetivos", 700_000, "premios por objetivos"),
        ("S/. 3.000,00 (Mensual) + Comisiones", 3_000, "Comisiones"),
        ("Programador C++: $ 900.000 + bono", 900_000, "bono"),
        ("$ 900.000 (Mensual)", 900_000, None),
    ],
)
def test_pay_on_top_of_the_base_is_noted_beside_the_base(raw: str, base: float, extra: str | None) -> None:
    """An analyst compares base pay: the bounds are the base alone, and what is paid on top is kept as written,
    on the stored posting (``raw.salary_extra``) and on the analysis's quote."""
    record = normalise_posting({"source_key": "ar-bumeran", "native_id": "2300001", "salary_raw": raw})
    assert (record["salary_min"], record["salary_max"]) == (base, base)
    assert record["raw"].get("salary_extra") == extra
    quote = parse_salary_text(raw, "ARS")
    assert quote is not None and (quote.low, quote.high, quote.extra) == (base, base, extra)


@pytest.mark.parametrize(
    ("raw", "stated"),
    [
        ("A convenir", False),
        ("Salario a convenir según experiencia (3 años)", False),  # "3" is years, and nothing else is pay
        ("Sueldo confidencial, jornada de 9 a 18 hs", False),
        ("según experiencia", True),
        ("Horario de 9 a 18 hs", True),
        ("20% de descuento en prendas", True),
        ("Salario: 2 SMMLV", True),  # two minimum wages: a multiple, not an amount in pesos
        ("20% + $ 500.000", True),  # what follows "+" is not base pay, and a percentage no amount
    ],
)
def test_text_without_an_amount_is_not_read(raw: str, stated: bool) -> None:
    """Undisclosed pay is no salary in both; other text without an amount is unreadable to the analysis."""
    ingest = nz.parse_salary(raw, "ARS")
    assert (ingest["salary_min"], ingest["salary_max"]) == (None, None)
    if stated:
        with pytest.raises(SalaryParseError, match="no amount"):
            parse_salary_text(raw, "ARS")
    else:
        assert parse_salary_text(raw, "ARS") is None


def test_read_salary_reads_currency_and_period_from_the_amounts_text() -> None:
    reading = nz.read_salary("$ 1.200 por 8 horas")
    assert (reading.amounts, reading.currency, reading.period) == ((1_200,), None, "day")
    assert nz.read_salary("1.000.00 US$ a 1.200.00 US$").amounts == (1_000, 1_200)
    assert nz.read_salary("A convenir").undisclosed
    with pytest.raises(nz.AmountError, match="negative amount"):
        nz.read_salary("Sueldo: -5000")


def test_both_readers_agree_on_every_ecuador_salary(shared_dir: Path) -> None:
    """Computrabajo Ecuador's 758 stated salaries read to the same numbers, currency and period in both readers."""
    import pandas as pd

    texts = pd.read_csv(shared_dir / "postings" / "computrabajo_ec_2024.csv.gz", usecols=["salarioDescripcion"])
    stated = 0
    for raw in texts["salarioDescripcion"].dropna():
        ingest = nz.parse_salary(raw, "USD")
        quote = parse_salary_text(raw, "USD")
        if quote is None:
            assert ingest["salary_min"] is None
            continue
        stated += 1
        assert (ingest["salary_min"], ingest["salary_max"]) == (quote.low, quote.high), raw
        assert (
            (ingest["salary_currency"], ingest["salary_period"]) == (quote.currency, quote.period) == ("USD", "month")
        )
    assert stated == 758
