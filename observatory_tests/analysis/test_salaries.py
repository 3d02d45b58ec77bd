"""Salaries: portal number formats, pay periods to monthly, plausibility bounds, counts of what is left out."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.analysis.salaries import (
    MONTHLY_FACTOR,
    SalaryParseError,
    classify_salaries,
    parse_salary_text,
    salaries_by_skill,
    to_monthly,
)
from observatory.config import Settings
from observatory.reporting.charts import format_money
from observatory.scraping.snapshot.build import ct_salary, ee_salary
from observatory.scraping.snapshot.data import build_postings
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder

WAGES = {"co": {"COP": 1_423_500.0}, "ec": {"USD": 470.0}}


@pytest.mark.parametrize(
    ("raw", "low", "high", "currency"),
    [
        ("1.000.00 US$ (Mensual)", 1000, 1000, "USD"),  # Computrabajo Ecuador, decimal comma turned into a dot
        ("12.500.00 US$ (Mensual)", 12_500, 12_500, "USD"),
        ("$2,5 a $3 millones", 2_500_000, 3_000_000, "COP"),  # ElEmpleo
        ("1.200.000", 1_200_000, 1_200_000, "COP"),
        ("$ 2.400.000,00 (Mensual)", 2_400_000, 2_400_000, "COP"),
        ("$ 1.800.000,00 a $ 2.200.000,00 (Mensual)", 1_800_000, 2_200_000, "COP"),
        ("USD 1,500 - 2,000", 1500, 2000, "USD"),
        ("S/. 3.000,00 (Mensual) + Comisiones", 3000, 3000, "PEN"),
        ("Entre $2.000.000 y $2.500.000", 2_000_000, 2_500_000, "COP"),
        ("$ 1 200 000", 1_200_000, 1_200_000, "COP"),
        ("$900 mil", 900_000, 900_000, "COP"),
    ],
)
def test_portal_number_formats(raw: str, low: float, high: float, currency: str) -> None:
    quote = parse_salary_text(raw, "COP")
    assert quote is not None
    assert (quote.low, quote.high, quote.currency) == (pytest.approx(low), pytest.approx(high), currency)


@pytest.mark.parametrize(
    ("raw", "period", "monthly"),
    [
        ("$ 10.000 por hora", "hour", 10_000 * 44 * 52 / 12),
        ("$ 90.000 diario", "day", 90_000 * 6 * 52 / 12),
        ("$ 350.000 semanal", "week", 350_000 * 52 / 12),
        ("$ 700.000 quincenal", "fortnight", 1_400_000),
        ("$ 2.000.000 (Mensual)", "month", 2_000_000),
        ("$ 36.000.000 anual", "year", 3_000_000),
    ],
)
def test_each_pay_period_to_monthly(raw: str, period: str, monthly: float) -> None:
    quote = parse_salary_text(raw, "COP")
    assert quote is not None and quote.period == period and not quote.period_assumed
    assert quote.monthly_midpoint == pytest.approx(monthly)
    assert set(MONTHLY_FACTOR) == {"hour", "day", "week", "fortnight", "month", "year"}


def test_no_salary_unreadable_and_bad_input() -> None:
    assert parse_salary_text("A convenir") is None and parse_salary_text(None) is None
    assert parse_salary_text("Salario confidencial") is None
    with pytest.raises(SalaryParseError):
        parse_salary_text("según experiencia")
    with pytest.raises(SalaryParseError, match="irregular digit groups"):
        parse_salary_text("$ 1.23.4", "COP")
    with pytest.raises(ValueError, match="pay period"):
        to_monthly(10, "lunar")
    assert parse_salary_text("$ 2.000.000", "COP").period_assumed  # type: ignore[union-attr]


def test_implausible_values_flagged_per_country() -> None:
    postings = pd.DataFrame(
        [
            {"country": "co", "source": "co-computrabajo", "salary_raw": "$ 2.400.000 (Mensual)"},
            {"country": "co", "source": "co-elempleo", "salary_raw": "$2400 a $3000 millones"},  # the 1000x bug
            {"country": "co", "source": "co-computrabajo", "salary_raw": "$ 500.000 (Mensual)"},  # < half the minimum
            {"country": "co", "source": "co-computrabajo", "salary_raw": "$ 10.000 por hora"},  # 1.9M a month: fine
            {"country": "ec", "source": "ec-computrabajo", "salary_raw": "1.000.00 US$ (Mensual)"},
            {"country": "ec", "source": "ec-computrabajo", "salary_raw": "47.001 US$ (Mensual)"},  # > 100x 470
            {"country": "co", "source": "co-computrabajo", "salary_raw": "EUR 3000"},  # no yardstick for EUR in co
            {"country": "co", "source": "co-computrabajo", "salary_raw": "según experiencia"},
            {"country": "co", "source": "co-computrabajo", "salary_raw": "A convenir"},
        ]
    ).assign(salary_min=None, salary_max=None, salary_currency=None, salary_period=None)
    out = classify_salaries(postings, WAGES, (0.5, 100.0))
    assert out["status"].tolist() == [
        "parsed", "implausible", "implausible", "parsed", "parsed", "implausible", "unchecked", "unparsed", "none",
    ]  # fmt: skip
    assert out.loc[0, "monthly"] == pytest.approx(2_400_000)


def test_snapshot_salaries_are_plausible_monthly_pesos() -> None:
    # The ElEmpleo snapshot used to write "$2400 a $3000 millones" for 2.4–3 million pesos.
    settings = Settings()
    rows = [
        {
            "country": p.country,
            "source": p.source,
            "salary_raw": ee_salary(p) if "elempleo" in p.source else ct_salary(p),
        }
        for p in build_postings()
        if p.salary and p.source in ("co-elempleo", "co-computrabajo")
    ]
    postings = pd.DataFrame(rows).assign(salary_min=None, salary_max=None, salary_currency=None, salary_period=None)
    out = classify_salaries(postings, settings.salary_minimum_wage, settings.salary_plausible_range)
    elempleo = out[postings["source"] == "co-elempleo"]
    assert len(elempleo) >= 3 and (out["status"] == "parsed").all(), out[out["status"] != "parsed"]
    assert elempleo["monthly"].between(1_000_000, 20_000_000).all()


def test_money_follows_the_report_language() -> None:
    assert format_money(2_400_000, "COP", "es") == "2.400.000 COP"
    assert format_money(2_400_000, "COP", "en") == "2,400,000 COP"


def test_salary_tables_count_what_is_left_out(db: Database) -> None:
    b = DataBuilder(db)
    b.skill("sql", "SQL")
    raws = ["$ 2.000.000 (Mensual)", "$ 3.000.000 (Mensual)", "$ 4.000.000 (Mensual)", "$ 700.000 quincenal"]
    raws += ["$2000 a $3000 millones", "según experiencia", "A convenir", None]
    for raw in raws:
        b.posting("co-computrabajo", "2026-10", {"sql": "required"}, salary_raw=raw)
    b.save()
    tables = salaries_by_skill(db, country="co", period="2026-10", minimum_wage=WAGES, min_cell=3)
    quality = tables.quality.set_index("status")["n_with_skill"]
    assert quality.to_dict() == {"none": 2, "parsed": 4, "unparsed": 1, "implausible": 1, "unchecked": 0}
    assert (tables.quality["n_postings"] == 8).all()
    row = tables.by_skill.set_index("skill_id").loc["sql"]
    # 2M, 3M, 4M and 1.4M a month (700k a fortnight); the 2.4 billion is out.
    assert (row["n_postings"], row["n_with_skill"], row["currency"]) == (8, 4, "COP")
    assert row["median"] == pytest.approx(2_500_000) and row["share"] == pytest.approx(0.5)
    assert 0 < row["ci_low"] < 0.5 < row["ci_high"] < 1 and not row["suppressed"]
