"""Section headers and importance cues, on folded posting text."""

from __future__ import annotations

from observatory.skills.language import detect_language
from observatory.skills.normalize import fold
from observatory.skills.sections import PostingStructure


def _at(text: str, word: str) -> tuple[str, str]:
    structure = PostingStructure.parse(fold(text))
    start = text.index(word)
    return structure.section_at(start)[0], structure.importance(start, start + len(word))


def test_headers_on_their_own_lines_and_glued() -> None:
    text = (
        "## Sobre nosotros\nSomos una consultora. Usamos Scala.\n"
        "Qué harás\n- Mantener Jenkins\n"
        "Lo que buscamos:\n- Python\n"
        "Nice to have\n- Rust\n"
        "Te ofrecemos\n- Cursos de Azure\n"
        "Horario flexibleRequisitos excluyentes: Java"
    )
    assert _at(text, "Scala") == ("company", "required")
    assert _at(text, "Jenkins")[0] == "responsibilities"
    assert _at(text, "Python") == ("requirements", "required")
    assert _at(text, "Rust") == ("requirements", "preferred")
    assert _at(text, "Azure")[0] == "benefits"
    assert _at(text, "Java") == ("requirements", "required")


def test_a_list_item_starting_with_a_header_word_stays_in_its_block() -> None:
    text = "Nice to have:\n- Kafka\n- Experience with Datadog\n- Experiencia en Rust\nBeneficios\n- Gimnasio"
    assert _at(text, "Datadog") == ("requirements", "preferred")
    assert _at(text, "Rust") == ("requirements", "preferred")
    assert _at(text, "Gimnasio")[0] == "benefits"


def test_company_blurb_ends_where_the_search_starts() -> None:
    text = "En Acme somos líderes en pagos. Nuestro stack es Go. Buscamos un dev con Kotlin."
    assert _at(text, "Go.")[0] == "company"
    assert _at(text, "Kotlin")[0] == "other"
    searching = "Importante empresa líder, fundada en 1990, busca analista con Excel."
    assert _at(searching, "Excel")[0] == "other"


def test_importance_cues_cover_their_item_or_their_clause() -> None:
    text = "Requisitos: Python (excluyente), Docker (deseable), Go.\nSe valorará experiencia en AWS y GCP.\nSQL"
    assert _at(text, "Python")[1] == "required"
    assert _at(text, "Docker")[1] == "preferred"
    assert _at(text, "Go.")[1] == "required"
    assert _at(text, "AWS")[1] == "preferred" and _at(text, "GCP")[1] == "preferred"
    assert _at(text, "SQL")[1] == "required"
    english = "Must have: Java. Kubernetes is a plus."
    assert _at(english, "Java")[1] == "required" and _at(english, "Kubernetes")[1] == "preferred"


def test_fold_keeps_offsets_and_language_detection() -> None:
    text = "Diseño UX/UI • inglés – <b>Node.js</b>\x00"
    assert len(fold(text)) == len(text)
    assert fold(text).index("Node.js") == text.index("Node.js")
    assert detect_language("Buscamos desarrollador con experiencia en Python") == "es"
    assert detect_language("We are looking for a developer with strong skills") == "en"
    assert detect_language("Vaga para desenvolvedor com experiência em Java, você vai atuar") == "pt"
    assert detect_language("12345 !!!") == "und"
