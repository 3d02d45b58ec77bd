"""Salary parse rate on real Computrabajo Ecuador postings (../shared), by the analysis and by the ingest (one reader).

Prints how many salary texts state a salary, how many parse, how many are plausible (per-country
bounds from settings) and the monthly quartiles; ``python benchmarks/salaries.py [path]``. Then salaries written
inside Argentine descriptions (Bumeran/ZonaJobs, ../shared): how many of the 100 characters around each "$ 1..."
read to an amount, and how many of those read a number that is no wage (under ARS 10,000: hours, counts, times).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from pathlib import Path

import pandas as pd

from observatory.analysis.salaries import classify_salaries
from observatory.config import Settings
from observatory.scraping.normalize import parse_salary
from observatory.skills.real_postings import MissingPostingsError, shared_postings_dir, shared_postings_file

# Files of the real postings folder (OBSERVATORY_REAL_POSTINGS_DIR, else ../shared/postings).
ECUADOR = "computrabajo_ec_2024.csv.gz"
ARGENTINA = "bumeran_zonajobs_ar_2025-12.json.gz"


def main(path: Path | None = None) -> None:
    if path is None:
        path = shared_postings_file(ECUADOR)
    elif not path.exists():
        raise SystemExit(f"error: {path} does not exist")
    raw = pd.read_csv(path, usecols=["salarioDescripcion"])["salarioDescripcion"]
    settings = Settings()
    postings = pd.DataFrame({"country": "ec", "source": "ec-computrabajo", "salary_raw": raw}).assign(
        salary_min=None, salary_max=None, salary_currency=None, salary_period=None
    )
    started = time.perf_counter()
    out = classify_salaries(postings, settings.salary_minimum_wage, settings.salary_plausible_range)
    seconds = time.perf_counter() - started
    counts = out["status"].value_counts()
    quoted = len(out) - int(counts.get("none", 0))
    usable = int(counts.get("parsed", 0) + counts.get("unchecked", 0))
    old = sum(parse_salary(text, "USD")["salary_min"] is not None for text in raw.dropna())
    print(f"file: {path.name}: {len(out)} postings, {quoted} quote a salary ({quoted / len(out):.1%})")
    print(f"parsed: {quoted - int(counts.get('unparsed', 0))}/{quoted} ({1 - counts.get('unparsed', 0) / quoted:.1%})")
    print(f"  parse_salary at ingest (scraping.normalize): {old}/{quoted} ({old / quoted:.1%})")
    print(f"plausible (0.5x-100x the minimum wage): {usable}; implausible: {int(counts.get('implausible', 0))}")
    monthly = out.loc[out["status"] == "parsed", "monthly"]
    p25, median, p75 = monthly.quantile([0.25, 0.5, 0.75])
    print(f"monthly USD p25/median/p75: {p25:.0f} / {median:.0f} / {p75:.0f}")
    print(f"  of which >= 1,000 USD: {(monthly >= 1000).sum()}")
    print(f"speed: {len(out) / seconds:,.0f} postings/s")
    argentine_mentions(shared_postings_dir() / ARGENTINA)


def argentine_mentions(path: Path) -> None:
    if not path.exists():
        print(f"skipped: {path} is absent")
        return
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        postings = json.load(handle)["ofertas"]
    windows = {
        text[max(0, m.start() - 50) : m.start() + 50]
        for p in postings
        for text in [p.get("descripcion_full") or ""]
        for m in re.finditer(r"(?i)(?:\$|usd|u\$s)\s?\d", text)
    }
    readings = [parse_salary(w, "ARS") for w in sorted(windows)]
    read = [r for r in readings if r["salary_min"] is not None]
    no_wage = sum(r["salary_currency"] == "ARS" and r["salary_min"] < 10_000 for r in read)
    ranges = sum(r["salary_min"] != r["salary_max"] for r in read)
    print(f"Argentine descriptions: {len(windows)} salary mentions, {len(read)} read to an amount")
    print(f"  of which a number that is no wage (under ARS 10,000): {no_wage}; ranges: {ranges}")


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None
