"""The extractor's shortcuts give the results of the full checks they skip, on real-looking postings: cue words
looked up once per posting before the trade and department cues run."""

from __future__ import annotations

import pytest

from observatory.skills import extractor as extractor_module
from observatory.skills.extractor import ExtractionResult, SkillExtractor

POSTINGS = [
    (
        "Distribuidora dedicada a la logística y al transporte de cargas busca Vendedor.\n"
        "Requisitos:\n- Experiencia en ventas y logística (excluyente).\n- Manejo de Excel y SAP.",
        "Vendedor",
    ),
    (
        "Responsabilidades:\n- Coordinar con las áreas de Logística, Compras y Mantenimiento la planificación.\n"
        "- Reportar a Gerencia.\nRequisitos: experiencia en compras y en mantenimiento preventivo.",
        "Analista de abastecimiento",
    ),
    (
        "We are a company focused on payments and logistics. You will collaborate with Product Management and "
        "report to the Marketing team.\nRequirements:\n- SQL, Python and Airflow\n- Project management",
        "Data Analyst",
    ),
    # "ſ" (long s) is an "s" to a case-insensitive regex but not to str.lower(): no shortcut then.
    ("Empreſa dedicada a la logística busca chofer. Requisitos: licencia profesional, logística.", "Chofer"),
]


def _rows(result: ExtractionResult) -> list[tuple[object, ...]]:
    return [(m.skill_id, m.start, m.end, m.method, m.section, m.importance, m.confidence) for m in result.mentions]


@pytest.mark.parametrize(("text", "title"), POSTINGS)
def test_cue_word_lookup_gives_the_full_checks_result(
    extractor: SkillExtractor, text: str, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = extractor.extract(text, title)
    monkeypatch.setattr(extractor_module._CueWords, "near", lambda self, words, start: True)
    assert _rows(extractor.extract(text, title)) == _rows(fast)


def test_trade_and_department_cues_still_apply(extractor: SkillExtractor) -> None:
    trade = {m.surface.lower() for m in extractor.extract(*POSTINGS[0]).mentions}
    # The employer's trade before "busca" is not demand; the same word under Requisitos is.
    logistics = [m for m in extractor.extract(*POSTINGS[0]).mentions if m.surface.lower() == "logística"]
    assert logistics and all(m.start > POSTINGS[0][0].index("Requisitos") for m in logistics), trade
    departments = extractor.extract(*POSTINGS[1]).mentions
    assert not any(m.surface == "Logística" for m in departments)
    odd = [m for m in extractor.extract(*POSTINGS[3]).mentions if m.surface.lower() == "logística"]
    assert odd and all(m.start > POSTINGS[3][0].index("Requisitos") for m in odd)


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


HEADED = [
    "PresencialRequisitos:- Python y SQL\n- Inglés intermedio\nBeneficios\n- Prepaga",
    "Requisitos excluyentes\n- Excel avanzado 3 años\n- Manejo de SAP nivel intermedio y\nQué ofrecemos?\nBuen clima",
    "ResponsabilidadesPrincipales:\n* Atender a clientes de la zona 2+\n* Control de inventarios deseable\n"
    "Tu perfil\n- Conocimientos en trazabilidad de\n- Experiencia en cobranzas (excluyente)",
    "MISION DEL PUESTO\nGestionar la cartera.\nNice to have: Docker, Kubernetes years\nAbout us\nWe sell shoes.",
]


@pytest.mark.parametrize("text", HEADED)
def test_header_and_item_shortcuts_give_the_full_checks_result(
    extractor: SkillExtractor, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines whose first word opens no header keyword, items without a digit or a trailing level word: the
    skipped scans would have found nothing."""
    from observatory.skills import open_vocab, sections

    fast_headers = sections.find_headers(text)
    fast = _rows(extractor.extract(text, "Analista"))
    monkeypatch.setattr(sections, "_may_open_header", lambda content: True)
    monkeypatch.setattr(open_vocab, "_TRAILING_WORDS", _Everything())
    monkeypatch.setattr(open_vocab, "_DIGIT", open_vocab.re.compile(""))
    assert sections.find_headers(text) == fast_headers
    assert fast_headers  # every text has headers: the shortcut was exercised
    assert _rows(extractor.extract(text, "Analista")) == fast


def test_long_and_short_texts_fold_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long texts fold by a character-class scan, short ones by str.translate: the same characters either way."""
    from observatory.skills import normalize

    posting = (
        "Auxiliar de Depósito – Zona Norte\n• Recepción y control de mercadería\t● Manejo de “autoelevador”\n"
        "Requisitos: Educación secundaria completa; Ñandú S.A. ofrece <b>obra social</b> y capacitación · "
        "Conocimientos de Excel/Word, inglés básico\u00a0(deseable)\u200b — Lunes a viernes, Çağrı, Ørsted, ǅ "
    ) * 3
    assert len(posting) >= normalize._LONG_TEXT
    folded = normalize.fold(posting)
    assert len(folded) == len(posting)
    assert folded == "".join(normalize.fold(posting[i : i + 50]) for i in range(0, len(posting), 50))
    assert "Deposito" in folded and "Nandu" in folded and "“" not in folded and "•" not in folded
    assert "<b>" not in folded and "obra social" in folded
    monkeypatch.setattr(normalize, "_LONG_TEXT", len(posting) + 1)
    assert normalize.fold(posting) == folded


IMPORTANCE = [
    "Requisitos:\n- Python (excluyente)\n- Docker y Kubernetes deseable\n- Inglés: es un plus\n- SQL indispensable",
    "Nice to have: Terraform, AWS. Must have: Java and Spring. Preferably Kafka; would be great: Go.",
    "Se valorará experiencia en SAP y Excel avanzado. Sería ideal manejo de Power BI (no excluyente).",
    "Conocimientos en contabilidad, liquidación de sueldos y Tango requeridos; idealmente Bejerman.",
    # A mention that runs past a clause end ("t-D") shares its clause start with the one before it.
    "Requisitos:\nKafka y Event-Driven Architecture, Docker deseable",
]


@pytest.mark.parametrize("text", IMPORTANCE)
def test_importance_shortcut_gives_the_full_checks_result(
    extractor: SkillExtractor, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importance cues are searched only where one of their words stands: the same required/preferred marks."""
    from observatory.skills.sections import PostingStructure

    fast = _rows(extractor.extract(text, "Analista"))
    assert "preferred" in {row[5] for row in fast}
    monkeypatch.setattr(PostingStructure, "_holds", lambda self, words, start, end: True)
    assert _rows(extractor.extract(text, "Analista")) == fast


def test_key_of_folded_text_equals_fold_key() -> None:
    """Open-vocabulary keys of the already folded posting skip a second fold: the same keys, tags included."""
    import random

    from observatory.skills.normalize import fold, fold_key
    from observatory.skills.open_vocab import _folded_key

    alphabet = [chr(c) for c in range(0x300)] + list("•“”’\u200b\u2013Σσς<>/ ") * 5
    rng = random.Random(16)
    for _ in range(3000):
        text = fold("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200))))
        start, end = sorted(rng.randint(0, len(text)) for _ in range(2))
        assert _folded_key(text, start, end) == fold_key(text[start:end])
    tagged = fold("Manejo de <a <b>x</b> Excel> y SAP")
    assert _folded_key(tagged, 0, len(tagged)) == fold_key(tagged)


JOB_TITLES = [
    ("Buscamos Docente de nivel primario y Técnico de mantenimiento para la sede. Requisitos: docencia.", "Docente"),
    ("Key Account Manager para cuentas de retail. Experiencia en ventas consultivas y negociación.", "KAM"),
    ("Somos una cadena de farmacias. Vendedor/a de mostrador con experiencia en atención al cliente.", "Vendedor"),
    ("Programador Fullstack Sr. Title: Contador Público. Experiencia como barista y en logística.", "Dev"),
]


@pytest.mark.parametrize(("text", "title"), JOB_TITLES)
def test_role_word_lookup_gives_the_full_checks_result(
    extractor: SkillExtractor, text: str, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The role pattern before a mention runs only after a blank and a whole role word: the same mentions."""
    fast = _rows(extractor.extract(text, title))
    monkeypatch.setattr(extractor_module, "_may_follow_role", lambda lower, start: True)
    monkeypatch.setattr(
        extractor_module, "_role_surface", lambda surface: bool(extractor_module._ROLE_SURFACE.match(surface))
    )
    assert _rows(extractor.extract(text, title)) == fast


def test_role_word_gate_never_hides_a_role_pattern_match() -> None:
    """Wherever the role pattern matches before a position, the gate lets it run (random blends of role words)."""
    import random

    from observatory.skills.extractor import _ROLE_BEFORE, _may_follow_role

    pieces = ["analista", "tecnico", "vendedor/a", "jefe", "ingeniera", "de", "del", "ventas", "x", "programadores"]
    pieces += [" ", " ", "\t", "\n", " \n", "(a)", "/ a", "-", "2", "ñ", "."]
    rng = random.Random(12)
    hits = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) + "ventas"
        start = len(text) - len("ventas")
        if _ROLE_BEFORE.search(text, max(0, start - 40), start):
            hits += 1
            assert _may_follow_role(text, start), text
    assert hits > 100


def test_a_job_title_alone_is_still_no_skill(extractor: SkillExtractor) -> None:
    text = "Buscamos Docente de nivel primario para la sede. Requisitos: título habilitante y paciencia."
    body = {m.surface.lower() for m in extractor.extract(text, "Maestra").mentions if m.section != "title"}
    assert "docente" not in body
    # Where the posting names the trade itself, the title word counts.
    body = {m.surface.lower() for m in extractor.extract(*JOB_TITLES[0]).mentions if m.section != "title"}
    assert {"docente", "docencia"} <= body


def test_capitalised_header_runs_match_the_plain_pattern() -> None:
    """The capital-first form of the capitalised-header pattern finds the spans of its plain form."""
    import random
    import re

    from observatory.skills.sections import _CAPS_RUN

    plain = re.compile(r"(?<![A-Za-z])[A-Z]{3,}(?:[ \t]+[A-Z]{2,}){0,4}(?![a-z])(?![ \t]*[A-Z]{2,})")
    rng = random.Random(6)
    texts = ["del negocio. PRINCIPALES RESPONSABILIDADES • Coordinar", "aREQUISITOS", "XREQUISITOS Y BENEFICIOS x"]
    texts += ["".join(rng.choice("ABCRaeq \t.\n-É(") for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    for text in texts:
        for pos in (0, min(3, len(text))):
            assert [m.span() for m in _CAPS_RUN.finditer(text, pos)] == [m.span() for m in plain.finditer(text, pos)]


def test_glued_headers_are_what_the_pattern_finds_everywhere() -> None:
    """Glued headers found from capitals only are exactly the pattern's matches scanned at every position."""
    import random

    from observatory.skills.sections import _GLUED_HEADER, _glued_headers

    pieces = [*"aeqR.) \tF-*Tab", "Requisitos", "REQUISITOS", "Te ofrecemos", "Que buscamos", " principales"]
    rng = random.Random(9)
    texts = ["…Hominis.Requisitos Experiencia en ventas.Beneficios- Prepaga", "empresaTe ofrecemos Buen clima"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    found = 0
    for text in texts:
        start = rng.randint(0, len(text))
        expected = [m.span() for m in _GLUED_HEADER.finditer(text, start)]
        assert [m.span() for m in _glued_headers(text, start)] == expected, (text, start)
        found += len(expected)
    assert found > 100


def test_cue_word_floor_never_hides_a_trade_or_department_cue() -> None:
    """Wherever a trade or department cue stands before a position, a cue word lies between the clause floor
    and it (random blends of cue words, breaks and list glue)."""
    import random

    from observatory.skills import extractor as ex

    pieces = ["empresa", "dedicada", "lider", "sector", "coordinar con", "areas de", "report to", "de", "en", "la"]
    pieces += ["Logistica", "ventas", "y", ",", " ", " ", "\n", " \n", ".", ";", ":", "!", "x" * 30, "S.A."]
    rng = random.Random(13)
    hits = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) + "Ventas"
        start = len(text) - len("Ventas")
        cue_words = ex._CueWords(text, text.lower())
        if ex._ESCO_TRADE_CUE.search(text, max(0, start - 60), start) or ex._after_cue_or_its_list(
            ex._ESCO_TRADE_LIST_CUE, text, start
        ):
            hits += 1
            assert cue_words.near(ex._TRADE_WORD, start), text
        if ex._after_cue_or_its_list(ex._DEPARTMENT_CUE, text, start) or ex._after_cue_or_its_list(
            ex._DEPARTMENT_NAME_CUE, text, start
        ):
            hits += 1
            assert cue_words.near(ex._WORKS_WITH_WORD, start), text
    assert hits > 200


def _literal_heads(pattern: str) -> list[str]:
    """Letters that each alternative of a ``\\b(?:…)`` pattern starts with, read from the regex parser's tree."""
    from re import _constants as constants  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]

    def heads(items: list[tuple[object, object]]) -> list[str]:
        while items and items[0][0] is constants.AT:
            items = items[1:]
        prefix = ""
        for op, value in items:
            if op is constants.LITERAL:
                prefix += chr(value)  # type: ignore[call-overload]
            elif op is constants.SUBPATTERN:
                return [prefix + h for h in heads(list(value[-1]))]  # type: ignore[index]
            elif op is constants.BRANCH:
                return [prefix + h for alternative in value[1] for h in heads(list(alternative))]  # type: ignore[index]
            else:
                break
        assert prefix, f"an alternative of {pattern[:40]} starts with no letter"
        return [prefix]

    return heads(list(parser.parse(pattern)))


@pytest.mark.parametrize("name", ["BENEFIT", "COMPANY"])
def test_cue_heads_cover_every_alternative(name: str) -> None:
    """Every alternative of the cue pattern starts with a listed head, so the head scan misses no match."""
    from observatory.skills import sections

    pattern = getattr(sections, f"_{name}_CUE" if name == "BENEFIT" else f"_{name}_SENTENCE")
    listed = getattr(sections, f"_{name}_HEADS").heads
    for head in _literal_heads(pattern.pattern):
        assert any(head.startswith(h) for h in listed), head


@pytest.mark.parametrize("name", ["BENEFIT", "COMPANY"])
def test_cue_matches_are_what_the_pattern_finds_everywhere(name: str) -> None:
    import random

    from observatory.skills import sections

    pattern = getattr(sections, f"_{name}_CUE" if name == "BENEFIT" else f"_{name}_SENTENCE")
    heads = getattr(sections, f"_{name}_HEADS")
    pieces = [*heads.heads, "obra social", "somos una", "we are a", "es una empresa", "fundada en", "-based company"]
    pieces += ["vacations", "gym", "seguro de vida", "plan de salud", "our mission", " ", " ", "\n", "x", "_", "é", "2"]
    rng = random.Random(21)
    hits = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(("", " ", " ", ", ")) for _ in range(rng.randint(0, 12)))
        start = rng.randint(0, len(text) // 3)
        end = rng.choice((len(text), rng.randint(start, len(text))))
        expected = [m.span() for m in pattern.finditer(text, start, end)]
        assert [m.span() for m in sections._cue_matches(pattern, heads, text, start, end)] == expected, text
        hits += len(expected)
    assert hits > 500


def test_keyword_lookup_word_by_word_finds_the_longest_fitting_keyword() -> None:
    """Header keywords grown word by word give what trying every length, longest first, gives."""
    import random

    from observatory.skills import sections

    def every_length(words: list[tuple[str, int, int]], index: int, limit: int, max_tail: int) -> str | None:
        for size in range(min(sections._MAX_KEYWORD_WORDS, len(words) - index), 0, -1):
            key = " ".join(w for w, _, _ in words[index : index + size]).lower()
            section = sections._KEYWORD_SECTION.get(key)
            tail = limit - words[index + size - 1][2]
            if section is not None and tail <= (0 if key in sections._EXACT_KEYWORDS else max_tail):
                return section
        return None

    vocabulary = [w for k in sections._KEYWORD_SECTION for w in k.split()] + ["Requisitos", "QUE", "x", "de"]
    rng = random.Random(5)
    for _ in range(5000):
        words, at = [], 0
        for _ in range(rng.randint(1, 9)):
            word = rng.choice(vocabulary)
            words.append((word, at, at + len(word)))
            at += len(word) + rng.choice((1, 1, 3))
        index = rng.randrange(len(words))
        limit = at + rng.choice((-5, 0, 0, 10, 30))
        for max_tail in (0, sections._MAX_TAIL):
            assert sections._keyword_at(words, index, limit, max_tail) == every_length(words, index, limit, max_tail)


def test_light_vocabulary_gives_the_tokens_and_lowercase_forms_of_spacy(extractor: SkillExtractor) -> None:
    """The extractor's vocabulary computes LOWER only: the same tokens and lowercase forms as a stock blank
    pipeline with the same tokenizer rules, for words neither has seen."""
    import spacy
    from spacy.attrs import LOWER
    from spacy.tokenizer import Tokenizer

    stock = spacy.blank("es")
    stock.tokenizer = Tokenizer(
        stock.vocab,
        rules={},
        prefix_search=extractor_module._PREFIX.search,
        suffix_search=extractor_module._SUFFIX.search,
        infix_finditer=extractor_module._INFIX.finditer,
    )
    text = extractor_module.token_text(
        "Zyxwquí ÑANDÚ-Ölfabrik: C++ y node.js, 9001:2015; PresencialRequisitos ¿Qué? İstanbul"
    )
    ours = extractor.nlp.tokenizer(text)
    theirs = stock.tokenizer(text)
    assert [(t.text, t.lower_) for t in ours] == [(t.text, t.lower_) for t in theirs]
    assert set(extractor.nlp.vocab.lex_attr_getters) == {LOWER}  # type: ignore[attr-defined]
    assert len(stock.vocab.lex_attr_getters) > 10  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("_ITEM_END", r"[,(]|\b(?:y|and|o|or)\b"),
        ("_CLAUSE_END", r"[\n;]|\.(?=\s|[A-Z(]|$)|-(?=\s)|-(?<=[a-z.)]-)(?=[A-Z])|:(?=\s*-)"),
    ],
)
def test_first_character_forms_match_the_plain_patterns(name: str, plain: str) -> None:
    """Patterns rewritten so that every alternative opens with a character find the spans of their plain form."""
    import random
    import re

    from observatory.skills import sections

    fast, reference = getattr(sections, name), re.compile(plain)
    pieces = ["y", "and", "o", "or", "ory", "oy", "ya", "andy", " ", ",", "(", ".", "-", ":", ";", "\n", "A", "x", "_"]
    pieces += ["é", "2", ". ", " - ", "a-B", ".)"]
    rng = random.Random(8)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert [m.span() for m in fast.finditer(text, start, end)] == [
            m.span() for m in reference.finditer(text, start, end)
        ], text


def test_whole_name_pattern_matches_its_plain_form() -> None:
    import random
    import re

    from observatory.skills.extractor import _whole_name

    rng = random.Random(4)
    for name in ("ventas", "docencia", "c++", "atencion al cliente", "a", "r&d"):
        plain = re.compile(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])")
        pieces = [name, name[:-1], " ", "x", "2", "-", "\n", "é", name + name]
        for _ in range(3000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
            assert [m.span() for m in _whole_name(name).finditer(text)] == [m.span() for m in plain.finditer(text)]
