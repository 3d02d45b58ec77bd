"""The sections' fast scans find what the plain forms they replace find, on random texts made of the characters
and words that matter (a scan that skipped a colon or a cue word would change sections and importance)."""

from __future__ import annotations

import random

from observatory.skills import sections
from observatory.skills.normalize import fold
from observatory.skills.sections import PostingStructure, lower_same_length


def test_header_ends_are_every_colon_and_question_mark() -> None:
    rng = random.Random(16)
    pieces = ["Requisitos", ":", "?", "¿Qué ofrecemos", " ", "\n", "9:00", "a", "é", "::", "??"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        start = rng.randint(0, len(text))
        expected = [m.start() for m in sections._HEADER_END.finditer(text, start)]
        assert sections._header_ends(text, start) == expected, (text, start)


def test_cue_word_places_answer_as_a_plain_search() -> None:
    rng = random.Random(6)
    words = [*sections._PREFERRED_WORDS, *sections._REQUIRED_WORDS, "excluyentes", "sumamente", "de", " ", ", ", "\n"]
    found = 0
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(("", " ")) for _ in range(rng.randint(0, 20)))
        structure = PostingStructure.parse(text)
        for cue_words in (sections._PREFERRED_WORDS, sections._REQUIRED_WORDS):
            for _ in range(10):
                start = rng.randint(0, len(text))
                end = rng.randint(start, len(text))
                plain = any(text.find(w, at) == at for w in cue_words for at in range(start, end))
                assert structure._holds(cue_words, start, end) == plain, (text, start, end)
                found += plain
    assert found > 500


def test_importance_of_a_real_looking_posting() -> None:
    text = fold(
        "¿Qué buscamos?\nRequisitos: Excel avanzado (excluyente), SAP (deseable).\n"
        "Se valorará experiencia en Power BI y Tableau.\nFunciones: conciliaciones bancarias; liquidación de IVA."
    )
    structure = PostingStructure.parse(text, 0, lower_same_length(text))

    def importance(word: str) -> str:
        at = text.index(word)
        return structure.importance(at, at + len(word))

    assert importance("Excel") == "required" and importance("SAP") == "preferred"
    assert importance("Power BI") == "preferred" and importance("Tableau") == "preferred"
    assert importance("conciliaciones") == "required"
    assert structure.section_at(text.index("Excel"))[0] == "requirements"
    assert structure.section_at(text.index("conciliaciones"))[0] == "responsibilities"
