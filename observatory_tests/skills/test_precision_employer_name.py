"""Precision (issue 16, part 3): the employer's name opening the sentence that turns to the job ("Desde Panadería La
Celeste nos encontramos en la búsqueda de…") names no skill; the trade asked later in the posting still does."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _names(extractor: SkillExtractor, text: str) -> list[str]:
    return [m.name for m in extractor.extract(text, "Operario de producción").mentions]


@pytest.mark.parametrize(
    "text",
    [
        "Somos familia, somos La Celeste. ¡Te estamos buscando!Desde Panadería La Celeste nos encontramos en la "
        "búsqueda de un operario de producción para sumarse al equipo. Requisitos: secundario completo.",
        '¡Sumate para ser parte de esta gran familia! Desde panadería "La Celeste" estamos en búsqueda de agentes '
        "para el equipo de Atención al Cliente.",
        "Desde Carpintería El Roble buscamos un ayudante con ganas de aprender. Disponibilidad full time.",
    ],
)
def test_employer_name_names_no_skill(built_extractor: SkillExtractor, text: str) -> None:
    names = _names(built_extractor, text)
    assert "Panadería" not in names and "Carpintería" not in names


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "Desde Panadería La Celeste nos encontramos en la búsqueda de un operario. Requisitos: experiencia en "
            "panadería industrial.",
            "Panadería",
        ),
        ("Requisitos: Experiencia en ventas desde hace 2 años. Trabajo desde casa.", "Ventas"),
        ("Funciones: atención al cliente desde el mostrador. Buscamos personas proactivas.", "Atención al cliente"),
        ("Requisitos: Experiencia en carpintería. Desde el primer día te sumás a un equipo estable.", "Carpintería"),
    ],
)
def test_skills_outside_the_name_stay(built_extractor: SkillExtractor, text: str, named: str) -> None:
    assert named in _names(built_extractor, text)
