"""Skills recall in education postings and others like them (issue 16, part 1): list bullets whose line break the
portal lost (" * "), and a teacher's qualification and subject ("Profesorado de Educación Primaria", "Docente de
Castellano", "Profesor/a de Educación Física")."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor(esco_labels="bundled")


def _surfaces(extractor: SkillExtractor, text: str, title: str | None = None) -> list[str]:
    return [m.surface for m in extractor.extract(text, title=title).mentions]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        (
            "Sus principales funciones son: * La planificación y dictado de las clases * Evaluar el aprendizaje de "
            "los alumnos. * Participar de salidas educativas",
            "dictado de las clases",
        ),
        (
            "Buscamos operarios eventuales.Tareas: * Picking con RF * Carga y descarga de camiones. * Conteo de "
            "productos * Armado de pedidosRequisitos: * Experiencia comprobable",
            "Conteo de productos",
        ),
    ],
)
def test_an_inline_star_bullet_ends_the_item(extractor: SkillExtractor, text: str, surface: str) -> None:
    assert surface in _surfaces(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Conocimientos de C* y de sistemas de archivos.",
        "Requisitos: Excel avanzado ** excluyente ** y manejo de SAP.",
    ],
)
def test_stars_that_are_no_bullet_change_nothing(extractor: SkillExtractor, text: str) -> None:
    # Only a star between spaces is a lost bullet: the text is extracted as it was.
    from observatory.skills import extractor as module

    assert module._without_inline_stars(text) == text


def test_inline_star_bullets_keep_offsets(extractor: SkillExtractor) -> None:
    text = "Funciones: * Atención al cliente * Manejo de caja"
    for mention in extractor.extract(text).mentions:
        assert text[mention.start : mention.end] == mention.surface
