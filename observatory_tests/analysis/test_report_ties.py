"""A report gives the same figures in Spanish and English: where skills tie, a ranked list is cut by skill id,
never by the translated name (which once put title 9 / tags 36 in a Spanish report, title 5 / tags 39 in English).
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pandas as pd
import pytest

from observatory.config import Settings
from observatory.reporting import build_report
from observatory.reporting.i18n import TEXTS
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder

N_SKILLS = 20  # more than a report's top 15, all tied: the cut falls inside the tie
PER_MONTH = 40
# Columns that hold names in the report's language (or a label such as "particular"); the figures are the rest.
LABEL_COLUMNS = {"skill", "skill_a", "skill_b", "skills", "company", "cluster_label", "subcluster_label"}


def tied_postings(b: DataBuilder) -> None:
    """Every skill in 10 of the 40 postings of each month; Spanish names sort in the reverse order of English
    ones, even-numbered skills are found in the title, odd ones in the text; every posting has the same salary."""
    for k in range(N_SKILLS):
        b.skill(f"s{k:02d}", f"{chr(ord('a') + k)} habilidad", f"{chr(ord('z') - k)} skill")
    for month in ("2026-09", "2026-10"):
        for i in range(PER_MONTH):
            chosen = {f"s{k:02d}": "required" for k in range(N_SKILLS) if (i + k) % 4 == 0}
            first = len(b.mentions)
            b.posting(
                "co-computrabajo",
                month,
                chosen,
                day=1 + i % 27,
                region=("Antioquia", "Santander")[i % 2],
                title=f"Analista {i}",
                company=f"Empresa {i % 10} S.A.S.",
                salary_min=2_000_000,
                salary_max=2_500_000,
                salary_currency="COP",
                salary_period="month",
            )
            for mention in b.mentions[first:]:
                if int(mention["skill_id"][1:]) % 2 == 0:
                    mention["method"] = "title"
    b.save()


def methods_line(html: str, language: str) -> tuple[str, str, str]:
    """The (text, title, tag) figures of the report's methods line."""
    pattern = re.escape(TEXTS[language]["methods_summary"])
    for name in ("text", "title", "tag"):
        pattern = pattern.replace(re.escape("{" + name + "}"), r"([\d.,]+)")
    found = re.search(pattern, html_lib.unescape(html))
    assert found, f"no methods line in the {language} report"
    return found.group(1), found.group(2), found.group(3)


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in frame.columns if c in LABEL_COLUMNS]).reset_index(drop=True)


@pytest.fixture()
def tied_data(db: Database) -> Database:
    tied_postings(DataBuilder(db))
    return db


def test_spanish_and_english_reports_give_the_same_figures(
    tied_data: Database, settings: Settings, tmp_path: Path
) -> None:
    paths = {
        language: build_report(
            tied_data,
            settings,
            country="co",
            period="2026-10",
            out_dir=tmp_path / language,
            language=language,
            pdf=False,
        )
        for language in ("es", "en")
    }
    es, en = (methods_line(paths[lang].html.read_text(encoding="utf-8"), lang) for lang in ("es", "en"))
    # Numbers are written per language (2.400 / 2,400); these are small enough to compare as written.
    assert es == en
    assert int(es[1]) > 0 and int(es[0]) > 0  # both methods are in the list: the split is really tested
    top = pd.read_parquet(paths["es"].folder / "data" / "top_skills.parquet")
    assert len(top) == 15 and top["n_with_skill"].nunique() == 1  # the cut falls inside a tie

    compared = 0
    for file in sorted((paths["es"].folder / "data").glob("*.parquet")):
        other = paths["en"].folder / "data" / file.name
        left, right = pd.read_parquet(file), pd.read_parquet(other)
        pd.testing.assert_frame_equal(figures(left), figures(right), obj=file.name)
        compared += 1
        if file.stem in ("top_skills", "demand", "by_region", "salaries", "cooccurrence", "trends"):
            assert not left.empty, file.name
    for file in sorted((paths["es"].folder / "data").glob("*.csv")):
        left, right = pd.read_csv(file), pd.read_csv(paths["en"].folder / "data" / file.name)
        pd.testing.assert_frame_equal(figures(left), figures(right), obj=file.name)
    assert compared >= 10
