"""A report speaks one language: every text exists in Spanish and English, and a rendered Spanish report holds no
English interface text (and the reverse): headings, notes ("Observaciones"), chart labels, PDF and warnings."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from observatory.config import Settings
from observatory.reporting import build_report
from observatory.reporting.i18n import TEXTS
from observatory.reporting.privacy import PRIVATE_LABEL
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder, realistic_postings

# The same word in both languages.
SHARED_WORDS = {"lift", "portal_col"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_text_exists_in_both_languages() -> None:
    es, en = TEXTS["es"], TEXTS["en"]
    assert set(es) == set(en), set(es) ^ set(en)
    for key in es:
        assert set(PLACEHOLDER.findall(es[key])) == set(PLACEHOLDER.findall(en[key])), key
    assert {key for key in es if es[key] == en[key]} <= SHARED_WORDS
    assert (es["private_employer"], en["private_employer"]) == (PRIVATE_LABEL["es"], PRIVATE_LABEL["en"])


def fragments(language: str) -> tuple[set[str], set[str]]:
    """The other language's telltales: phrases of two words or more, and single words (keys not shared)."""
    phrases, words = set(), set()
    for key, value in TEXTS[language].items():
        if key in SHARED_WORDS:
            continue
        for piece in PLACEHOLDER.split(value)[::2]:  # the text between placeholders
            piece = piece.strip(" .,;:()«»—–-")
            if len(piece.split()) >= 2 and len(piece) >= 10:
                phrases.add(piece)
            elif len(piece.split()) == 1 and len(piece) >= 4:
                words.add(piece)
    other = "es" if language == "en" else "en"
    shared = {v for v in TEXTS[other].values()}
    return phrases - shared, words - shared


def visible_text(page: str) -> str:
    """The interface text a reader sees in the HTML: no scripts or styles, no rows of posting data (titles and
    employers are the postings' own words), tags removed, entities decoded."""
    page = re.sub(r"<(script|style|tbody)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def chart_strings(spec: Any) -> Iterator[str]:
    """Every string of a chart spec (titles, axis and legend labels, tooltip titles, data labels)."""
    if isinstance(spec, dict):
        for value in spec.values():
            yield from chart_strings(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from chart_strings(value)
    elif isinstance(spec, str):
        yield spec


def foreign_text(texts_seen: list[str], visible: str, foreign: str) -> list[str]:
    phrases, words = fragments(foreign)
    found = [p for p in phrases if any(p.lower() in t.lower() for t in texts_seen)]
    found += [w for w in words if re.search(rf"(?<![\w/_.-]){re.escape(w)}(?![\w/_.-])", visible)]
    return sorted(found)


@pytest.fixture()
def noisy_data(db: Database) -> Database:
    """A small month with every kind of warning: few postings, title-only ones, unreadable salaries, grey cells."""
    b = DataBuilder(db)
    realistic_postings(b, months=("2026-09", "2026-10"), per_month=24)
    b.posting(month="2026-10", day=3, description=None, title="Vendedor")
    b.posting(month="2026-10", day=4, skills={"ventas": None}, salary_raw="según experiencia", title="Asesor")
    b.save()
    return db


@pytest.mark.parametrize(("language", "foreign"), [("es", "en"), ("en", "es")])
def test_rendered_report_has_no_text_of_the_other_language(
    noisy_data: Database, settings: Settings, tmp_path: Path, language: str, foreign: str
) -> None:
    paths = build_report(
        noisy_data, settings, country="co", period="2026-10", out_dir=tmp_path, language=language,
        pdf=language == "es",
    )  # fmt: skip
    assert len(paths.notes) >= 4  # small sample, title-only, unreadable salary, grey regions, demand not stored
    page = paths.html.read_text(encoding="utf-8")
    visible = visible_text(page)
    assert TEXTS[language]["notes"] in visible and all(note in visible for note in paths.notes)
    seen = [visible, *paths.notes, *(s for spec in paths.charts.values() for s in chart_strings(spec))]
    if paths.pdf is not None and shutil.which("pdftotext"):
        pdf_text = subprocess.run(["pdftotext", str(paths.pdf), "-"], capture_output=True, text=True, check=True)
        seen.append(pdf_text.stdout)
        assert TEXTS[language]["notes"] in pdf_text.stdout
    assert foreign_text(seen, visible, foreign) == []
    # The check does catch the other language: the same page with one English note added is refused.
    planted = visible + " " + TEXTS[foreign]["note_title_only"].format(n=1, period="2026-10")
    assert foreign_text([planted], planted, foreign)
