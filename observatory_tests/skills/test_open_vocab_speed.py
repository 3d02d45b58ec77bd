"""The open vocabulary's shortcuts give the results of the full work they skip, on real-looking postings: answers
remembered per item text and per key, clauses outside requirement lists judged by their first word only."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest

from observatory.skills import open_vocab
from observatory.skills.extractor import ExtractionResult, SkillExtractor
from observatory.skills.normalize import trie_pattern

POSTINGS = [
    (
        "Empresa líder en consumo masivo busca Vendedor.\nRequisitos:\n- Experiencia en ventas (excluyente)\n"
        "- Manejo de Excel, Word y SAP\n- Conocimientos de control de inventarios y trazabilidad\n"
        "- Proactividad, compañerismo y puntualidad\nTareas:\n- Atender a clientes del mostrador\n"
        "- Preparar pedidos y despachar mercadería\n- Registrar tareas de mantenimiento\n"
        "Ofrecemos: prepaga, capacitación en ventas.",
        "Vendedor",
    ),
    (
        "Sobre nosotros: somos una cadena de restaurantes. Coordinar la cocina es clave. Lavado de vajilla.\n"
        "Funciones: preparar alimentos, lavar la vajilla y mantener el orden; Supervisar al personal de salón\n"
        "Requisitos: 2 años de experiencia en cocina; manejo de cuchillos (deseable); nociones de HACCP. "
        "FTTH. Televisión digital e IPTV.",
        "Cocinero",
    ),
    (
        "Requirements:\n- Strong knowledge of SQL, Python and Airflow\n- Experience with research and development "
        "and design and implementation of APIs\n- 3+ years of experience in data engineering\n"
        "Responsibilities: Manage budgets and coordinate vendors. Build dashboards for the sales team.\n"
        "Benefits: health and safety training, remote work.",
        "Data Engineer",
    ),
    (
        "Buscamos Auxiliar contable con experiencia comprobable en conciliaciones bancarias, liquidación de "
        "sueldos e IVA. Se valorará dominio de Tango Gestión\u00a0y\u2003Excel avanzado. Requisitos excluyentes "
        "\u2022 Título de contador \u2022 Residir en zona norte \u2022 NIIF 9, leasing\n1) Facturar 2) Cobrar\n"
        "Te ofrecemos: buen clima laboral.",
        "Auxiliar contable",
    ),
    (
        "Requisitos:\n- Operación de CNC\n- Interpretación de planos\n- Trazabilidad de lotes\n- Control de calidad\n"
        "- Lectura de instrumentos de medición\n- Licencia de conducir\nTareas:\n- Mantenimiento preventivo de tornos\n"
        "- Limpiar el área de trabajo\n- Registro de producción diaria",
        "Operario CNC",
    ),
]


def _rows(result: ExtractionResult) -> list[tuple[object, ...]]:
    return [
        (m.skill_id, m.name, m.surface, m.start, m.end, m.method, m.section, m.importance, m.confidence)
        for m in result.mentions
    ]


class _Forgetful(dict[str, Any]):
    """A memo that never remembers: every look-up is computed in full (the shortcut off)."""

    def __setitem__(self, key: str, value: Any) -> None:
        pass


@pytest.mark.parametrize(("text", "title"), POSTINGS)
def test_remembered_items_and_keys_give_the_full_result(
    extractor: SkillExtractor, text: str, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert extractor.open_vocabulary is not None
    first = _rows(extractor.extract(text, title))
    again = _rows(extractor.extract(text, title))  # every item and key answered from the memos now
    for memo in ("_CLEANED", "_ACCEPTED", "_ITEM_KEYS", "_FOLD_KEYS", "_STEM_KEYS", "_STEMS"):
        monkeypatch.setattr(open_vocab, memo, _Forgetful())
    monkeypatch.setattr(extractor.open_vocabulary, "_lexical_memo", _Forgetful())
    computed = _rows(extractor.extract(text, title))
    assert first == again == computed


@pytest.mark.parametrize(("text", "title"), POSTINGS)
def test_an_item_without_separators_gives_what_the_item_loop_gives(
    extractor: SkillExtractor, text: str, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A separator that matches nothing but the end of each item sends every item through the loop (the lone
    item is then followed by an empty one, which the loop skips)."""
    fast = _rows(extractor.extract(text, title))
    monkeypatch.setattr(open_vocab, "_ITEM_SPLIT", re.compile(f"(?:{open_vocab._ITEM_SPLIT.pattern})|\\Z"))
    assert _rows(extractor.extract(text, title)) == fast


def test_open_vocabulary_finds_what_the_postings_hold(extractor: SkillExtractor) -> None:
    names = {m.name.lower() for m in extractor.extract(*POSTINGS[0]).mentions}
    assert {"trazabilidad", "compañerismo", "atención de clientes del mostrador"} <= names, names
    assert "registro de tareas de mantenimiento" in names and "prepaga" not in names
    # A cue's object, then a list whose commas became dots.
    cooking = {m.name.lower() for m in extractor.extract(*POSTINGS[1]).mentions}
    assert {"cuchillos", "televisión digital", "iptv"} <= cooking, cooking


def test_a_short_key_is_accepted_after_a_cue_only() -> None:
    # The memo holds one answer per key; the kind still decides for one- and two-letter words.
    for key in ("go", "c", "r"):
        after_cue = open_vocab._acceptable(key, open_vocab.CUE)
        assert open_vocab._acceptable(key, open_vocab.ITEM) is False
        assert open_vocab._acceptable(key, open_vocab.CUE) == after_cue
    assert open_vocab._acceptable("go", open_vocab.CUE) is True
    assert open_vocab._acceptable("excel avanzado", open_vocab.ITEM) is True


# Every character str.split() and str.lstrip() treat specially, and some they do not.
_WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
_CLAUSES = [
    "- 2) Atender clientes",
    "·\t*>  Controlar stock",
    "12. Gestionar",
    "Coordinar",
    ")-Facturar\u00a0y cobrar",
    "   ",
    "\u2003Atender",
    *(f"Atender{space}clientes" for space in _WHITESPACE),
    *(f"{space}Atender" for space in _WHITESPACE),
]


@pytest.mark.parametrize("clause", _CLAUSES)
def test_first_word_of_a_clause_is_what_lstrip_and_split_give(clause: str) -> None:
    stripped = clause.lstrip(" \t-*>·0123456789)")
    bullet = open_vocab._CLAUSE_BULLET.match(clause)
    assert bullet is not None and bullet.end() == len(clause) - len(stripped)
    word = open_vocab._FIRST_WORD.match(clause, bullet.end())
    if stripped.split() and not stripped[0].isspace():
        assert word is not None and word.group() == stripped.split()[0]


def _branches(pattern: str) -> list[str]:
    """Top-level alternatives of ``(?:a|b|…)`` at the start of ``pattern``."""
    assert pattern.startswith("(?:")
    depth, branch, branches = 0, "", []
    for char in pattern[3:]:
        if char == ")" and depth == 0:
            return [*branches, branch]
        if char == "|" and depth == 0:
            branches.append(branch)
            branch = ""
            continue
        depth += (char == "(") - (char == ")")
        branch += char
    raise AssertionError(pattern)


def _first_word(branch: str) -> str:
    word = ""
    for char in branch:
        if not (char.isalpha() or char == "-"):
            break
        word += char
    return word[:-1] if branch[len(word) : len(word) + 1] == "?" else word


def test_every_cue_starts_with_one_of_the_openers_searched_for() -> None:
    """A branch added to _CUE without its first word in _CUE_OPENERS would never be tried."""
    branches = _branches(open_vocab._CUE.pattern.removeprefix("\\b"))
    firsts = []
    for branch in branches:
        if branch.startswith("(?:"):  # optional adjectives before the noun: either may start the cue
            firsts += [_first_word(b) for b in _branches(branch)]
            branch = branch[branch.index(")?") + 2 :]
        firsts.append(_first_word(branch))
    assert len(firsts) > 20 and all(firsts), firsts
    for word in firsts:
        assert any(word.startswith(opener) for opener in open_vocab._CUE_OPENERS), word


def _folded_lower(text: str) -> str:
    from observatory.skills.normalize import fold
    from observatory.skills.sections import lower_same_length

    return lower_same_length(fold(text))


_TEXTS = [
    text
    for posting, title in POSTINGS
    for text in (f"{title}\n\n{posting}", posting.upper(), posting.replace(" ", "\u00a0 "), posting[17:])
] + [
    "Buenos conocimientos de Excel; buen manejo de SAP. Sólidos   conocimientos\tsólidos en SQL y amplios x",
    "manejode Excel, manejo  de  caja y experiencia experiencia en ventas, domina dominar inglés, capacidades para",
    "Hands-on experience with AWS; hands-on   experience in GCP. Skills in Python, skill in R; abilities to",
    "Qué ofrecemos: prepaga. Te  ofrecemos\nbuen clima; what   we\u00a0offer: perks. Beneficios: la empresa ofrece",
    "condiciones laborales: coffer offered; laofrece, que ofrecemos? (what we offer) BENEFITS benefit",
    "(what we offer) ¿que\u2003ofrecemos? aqueofrecemos, te\nofrecemos; laempresa ofrece - la  empresa\tofrece",
    "what we we offer what what we offer; qué ofrecemos, que que ofrecemos. beneficiosos beneficios perks.",
    "",
    "ofrecemos",
]


@pytest.mark.parametrize("text", _TEXTS)
def test_cue_and_offer_searches_find_what_the_full_scans_find(text: str) -> None:
    lower = _folded_lower(text)
    for start in (0, 1, 5, len(lower) // 2, len(lower)):
        scanned = [(m.start(), m.end()) for m in open_vocab._CUE.finditer(lower, start)]
        assert [(m.start(), m.end()) for m in open_vocab._cues(lower, start)] == scanned
        offers = [m.start() for m in open_vocab._OFFER_CUE.finditer(lower, start)]
        assert open_vocab._offer_starts(lower, start) == offers
    if "ofrec" in lower or "offer" in lower or "benefi" in lower:
        assert open_vocab._offer_starts(lower, 0)


def test_stems_are_remembered_per_word_with_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = ["Control de Inventarios", "inventario control", "ventas y atención al cliente", "C++ / C#", "Ñandú"]
    remembered = [open_vocab.stem_key(key) for key in keys]
    monkeypatch.setattr(open_vocab, "_STEMS", _Forgetful())
    assert [open_vocab.stem_key(key) for key in keys] == remembered
    assert remembered[0] == remembered[1] == "control inventari"


def test_memos_stay_bounded_and_emptying_them_changes_nothing(
    extractor: SkillExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [_rows(extractor.extract(text, title)) for text, title in POSTINGS]
    monkeypatch.setattr(open_vocab, "_TEXT_MEMO_LIMIT", 3)
    memos = ("_CLEANED", "_ACCEPTED", "_ITEM_KEYS", "_FOLD_KEYS", "_STEM_KEYS", "_STEMS")
    for memo in memos:
        monkeypatch.setattr(open_vocab, memo, {})
    assert [_rows(extractor.extract(text, title)) for text, title in POSTINGS] == expected
    assert all(0 < len(getattr(open_vocab, memo)) <= 3 for memo in memos)


@pytest.mark.parametrize(("text", "title"), POSTINGS)
def test_item_trim_shortcuts_off_with_nothing_remembered(
    extractor: SkillExtractor, text: str, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trim's own shortcuts (the digit scan, the trailing-word look-up) off while no trim is remembered: a
    remembered trim would otherwise answer for the full checks (test_extractor_speed_paths turns them off too)."""

    class _Everything:
        def __contains__(self, item: object) -> bool:
            return True

    fast = _rows(extractor.extract(text, title))
    monkeypatch.setattr(open_vocab, "_CLEANED", _Forgetful())
    monkeypatch.setattr(open_vocab, "_TRAILING_WORDS", _Everything())
    monkeypatch.setattr(open_vocab, "_DIGIT", re.compile(""))
    assert _rows(extractor.extract(text, title)) == fast


@pytest.mark.parametrize(
    "words",
    [
        sorted(open_vocab._ACTION_NOUNS),
        ["a", "ab", "abc", "abd", "b", "ba"],
        ["control", "controles", "contratacion", "conteo", "cont"],
        ["x.y", "a+b", "c#"],
    ],
)
def test_a_prefix_factored_alternation_matches_what_the_flat_one_matches(words: list[str]) -> None:
    """The action-noun regex is built as a prefix tree; it must find what ``a|b|…`` (longest first) finds."""
    flat = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + r")\s+de\b")
    tree = re.compile(r"\b(" + trie_pattern(words) + r")\s+de\b")
    # With prefixes (what the sections' head finder uses) it matches where one of the words starts.
    flat_starts = re.compile("(?=" + "|".join(re.escape(w) for w in words) + ")")
    tree_starts = re.compile("(?=" + trie_pattern(words, prefixes=True) + ")")
    texts = [" ".join(f"{w} de {v} de" for w in words for v in words[:3]), *_TEXTS]
    texts += [" ".join(words) + " de", "abcd de ab de abc  de conteo de controlado de"]
    for text in texts:
        lower = _folded_lower(text)
        assert [m.span(1) for m in tree.finditer(lower)] == [m.span(1) for m in flat.finditer(lower)]
        assert [m.start() for m in tree_starts.finditer(lower)] == [m.start() for m in flat_starts.finditer(lower)]
    assert open_vocab._ACTION.pattern.startswith(r"\b(" + trie_pattern(open_vocab._ACTION_NOUNS) + ")")
