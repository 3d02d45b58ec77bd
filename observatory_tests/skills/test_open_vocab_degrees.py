"""Open-vocabulary recall (issue 16, part 1): the field of a degree written "Titulado/a en …" (Ecuadorian postings)
is read like "Título en …" and "Licenciado en …"; "titulado" itself is no skill."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _surfaces(extractor: SkillExtractor, text: str) -> list[str]:
    return [m.surface for m in extractor.extract(text).mentions]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        (
            "Requisitos: Vehículo propio (indispensable) Titulado/a en Ingeniería Química. Ingeniería Ambiental e "
            "Ingeniería Industrial. Experiencia en ventas técnicas.",
            "Ingeniería Química",
        ),
        (
            "Requisitos Obligatorios:\n• Egresado o titulado en Mercadotecnia. Administración de Empresas. Economía o "
            "áreas afines.\n• Acceso a internet.",
            "Mercadotecnia",
        ),
        (
            "¿Qué buscamos?\nDocentes licenciados o titulados en educación.\nExperiencia docente en el área de tu "
            "especialidad.",
            "educación",
        ),
        (
            "Requisitos:\n- Egresada o titulada en comunicación. sistemas o marketing.\n- Mínimo 1 año de experiencia.",
            "marketing",
        ),
    ],
)
def test_field_after_titulado_is_read(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    assert surface in _surfaces(built_extractor, text)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Requisitos: Título en Ingeniería de Alimentos. Manejo de Excel.", "Ingeniería de Alimentos"),
        ("Requisitos: Titulado. Experiencia en ventas de seguros.", "Experiencia en ventas"),
    ],
)
def test_other_degree_readings_stay(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    surfaces = _surfaces(built_extractor, text)
    assert surface in surfaces
    assert not any(s.lower().startswith("titulad") for s in surfaces)
