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
from observatory.reporting.i18n import FUNCTION_WORDS, TEXTS, fill, foreign_words, texts
from observatory.reporting.privacy import PRIVATE_LABEL
from observatory.reporting.report import ReportPaths
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder, realistic_postings

# The same word in both languages.
SHARED_WORDS = {"lift", "portal_col"}
PLACEHOLDER = re.compile(r"\{(\w+)(?::[^{}]*)?\}")
PLURAL = re.compile(r"\{\w+:([^{}|]*)\|([^{}]*)\}")
# Texts that name the language codes themselves.
CODES_NAMED = {"error_bad_language"}


def forms(value: str) -> list[str]:
    """The text with every plural form chosen singular, then plural."""
    return [PLURAL.sub(r"\1", value), PLURAL.sub(r"\2", value)]


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
        for piece in (p for form in forms(value) for p in PLACEHOLDER.split(form)[::2]):  # between placeholders
            piece = piece.strip(" .,;:()«»—–-")
            if len(piece.split()) >= 2 and len(piece) >= 10:
                phrases.add(piece)
            elif len(piece.split()) == 1 and len(piece) >= 4:
                words.add(piece)
    other = "es" if language == "en" else "en"
    shared = {form for v in TEXTS[other].values() for form in forms(v)}
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


# Keys of a chart spec that hold data (skill names, regions, employers' words) or code, not interface text.
DATA_KEYS = {"datasets", "data", "sort", "domain", "values", "field", "expr", "test", "calculate", "filter", "format"}


def interface_strings(spec: Any) -> Iterator[str]:
    """The strings of a chart spec a reader sees as interface: titles and labels, not the data drawn."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key not in DATA_KEYS and not key.startswith("$"):
                yield from interface_strings(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from interface_strings(value)
    elif isinstance(spec, str):
        yield spec


def pdf_interface(pdf_text: str, language: str) -> str:
    """The PDF's text without the example postings (the postings' own words): before their heading, and from the
    method section on."""
    t = TEXTS[language]
    examples, method = pdf_text.find(t["examples"]), pdf_text.rfind(t["method_title"])
    return pdf_text[:examples] + pdf_text[method:] if 0 <= examples < method else pdf_text


def language_problems(paths: ReportPaths, language: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Everything of the other language a rendered report (HTML, notes, charts, PDF, ``extra`` texts such as the
    command's output) shows: the tables' phrases and words, and the other language's function words."""
    foreign = "en" if language == "es" else "es"
    visible = visible_text(paths.html.read_text(encoding="utf-8"))
    interface = [visible, *paths.notes, *(s for spec in paths.charts.values() for s in interface_strings(spec))]
    seen = [visible, *paths.notes, *(s for spec in paths.charts.values() for s in chart_strings(spec)), *extra]
    if paths.pdf is not None and shutil.which("pdftotext"):
        pdf_text = subprocess.run(["pdftotext", str(paths.pdf), "-"], capture_output=True, text=True, check=True)
        seen.append(pdf_text.stdout)
        interface.append(pdf_interface(pdf_text.stdout, language))
    problems = foreign_text(seen, visible, foreign)
    problems += sorted({word for text in [*interface, *extra] for word in foreign_words(text, language)})
    return problems


@pytest.mark.parametrize(("language", "foreign"), [("es", "en"), ("en", "es")])
def test_rendered_report_has_no_text_of_the_other_language(
    noisy_data: Database, settings: Settings, tmp_path: Path, language: str, foreign: str
) -> None:
    paths = build_report(
        noisy_data, settings, country="co", period="2026-10", out_dir=tmp_path, language=language,
        pdf=language == "es",
    )  # fmt: skip
    assert len(paths.notes) >= 4  # small sample, title-only, unreadable salary, grey regions, demand not stored
    visible = visible_text(paths.html.read_text(encoding="utf-8"))
    assert TEXTS[language]["notes"] in visible and all(note in visible for note in paths.notes)
    assert not PLACEHOLDER.search(visible)  # every placeholder and plural form filled
    if paths.pdf is not None and shutil.which("pdftotext"):
        pdf_text = subprocess.run(["pdftotext", str(paths.pdf), "-"], capture_output=True, text=True, check=True)
        assert TEXTS[language]["notes"] in pdf_text.stdout
    assert language_problems(paths, language) == []
    # The check does catch the other language: the same page with one note of the other language added is refused.
    planted = visible + " " + fill(TEXTS[foreign]["note_title_only"], n=1, period="2026-10")
    assert foreign_text([planted], planted, foreign)
    # And a sentence that is in no table, written in the other language, is caught by its function words.
    sentence = {
        "en": "The shares of these skills are uncertain when the sample is small.",
        "es": "Las participaciones de estas habilidades son inciertas cuando la muestra es pequeña.",
    }[foreign]
    assert foreign_text([visible + " " + sentence], visible + " " + sentence, foreign) == []  # no table phrase
    assert len(foreign_words(visible + " " + sentence, language)) >= 3
    assert language_problems(paths, language, extra=(sentence,))


def test_function_words_belong_to_one_language() -> None:
    assert not FUNCTION_WORDS["es"] & FUNCTION_WORDS["en"]
    for language in TEXTS:
        for key, value in TEXTS[language].items():
            if key not in CODES_NAMED:
                for form in forms(value):
                    assert foreign_words(PLACEHOLDER.sub(" ", form), language) == [], (language, key)
    # Skill names, file names and identifiers are not the report's sentences.
    assert foreign_words("data/by_region.csv skill_demand 1.234", "es") == []
    assert foreign_words("Habilidades por región: the", "es") == ["the"]


SINGULAR = "aviso habilidad salario celda grupo subgrupo empleador archivo posting skill salary cell cluster employer"
PLURAL_OF = {"salary": "salaries", "habilidad": "habilidades", "empleador": "empleadores"}
NOUNS = [(noun, PLURAL_OF.get(noun, noun + "s")) for noun in [*SINGULAR.split(), "sub-cluster", "file"]]
ONE_OR_TWO = r"(?<![\d.,]){count} (?:[\w-]+ )?(?:{nouns})\b"
# A count, at most one word (an adjective: analysable, title-only, region) and a noun in the wrong number.
ONE_WITH_PLURAL = re.compile(ONE_OR_TWO.format(count=1, nouns="|".join(re.escape(p) for _, p in NOUNS)))
TWO_WITH_SINGULAR = re.compile(ONE_OR_TWO.format(count=2, nouns="|".join(re.escape(s) for s, _ in NOUNS)))


@pytest.mark.parametrize("language", ["es", "en"])
def test_counts_take_their_plural_forms(language: str) -> None:
    for key, value in TEXTS[language].items():
        names = set(PLACEHOLDER.findall(value))
        one, two = fill(value, **dict.fromkeys(names, 1)), fill(value, **dict.fromkeys(names, 2))
        assert not ONE_WITH_PLURAL.search(one), (key, one)
        assert not TWO_WITH_SINGULAR.search(two), (key, two)
        assert "{" not in one + two and "|" not in one + two, key


def test_plural_sentences() -> None:
    es, en = TEXTS["es"], TEXTS["en"]
    assert fill(es["note_title_only"], n=1, period="2026-10") == (
        "1 aviso solo con título en 2026-10 se cuenta aparte y no entra en ninguna participación"
    )
    assert fill(es["note_title_only"], n="1.234", period="2026-10").startswith("1.234 avisos solo con título")
    assert fill(en["note_title_only"], n=1, period="2026-10").startswith("1 title-only posting in 2026-10 is counted")
    assert fill(en["note_title_only"], n="0", period="2026-10").startswith("0 title-only postings in 2026-10 are")
    assert fill(es["note_unparsed_salaries"], n=1) == "1 salario no se pudo leer y queda fuera"
    assert fill(en["note_implausible_salaries"], n=2).endswith("are left out")
    summary = fill(texts("en")["summary"], n_postings="1", portals="bumeran", first_date="2025-10-01",
                   last_date="2025-10-01", n_title_only="3")  # fmt: skip
    assert summary.startswith("1 analysable posting from bumeran") and "3 title-only postings are counted" in summary
    # Values given to ``texts`` early keep the plural forms of the others for later.
    method = texts("es", min_cell=1, employer_cap=3, min_count=5, min_employers=2, alpha="0,05")["method"]
    assert "menos de 1 aviso se muestran" in method and "limitado a 3 avisos por mes" in method
    assert "{" not in method
    assert fill(texts("es", min_cell=1)["note_greyed_regions"], n=2) == (
        "2 celdas de región con menos de 1 aviso se muestran en gris"
    )
    # ``str.format`` cannot choose a plural form: it refuses the text instead of printing it wrong.
    with pytest.raises(ValueError):
        es["note_title_only"].format(n=1, period="2026-10")
    with pytest.raises(KeyError):
        fill(es["note_title_only"], n=1)  # a missing value is an error, not a "{period}" left in a report
