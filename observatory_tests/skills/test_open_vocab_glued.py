"""Open-vocabulary spans (issue 16, part 1): a line break the scraper lost inside a word ("control de
plagasColaborar en…", "termodinamiaExperiencia") ends the candidate there; camel-case tool names stay whole."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _surfaces(extractor: SkillExtractor, text: str) -> list[str]:
    return [m.surface for m in extractor.extract(text).mentions]


@pytest.mark.parametrize(
    ("text", "surface", "glued"),
    [
        (
            "Funciones a realizar:Data entry & revisión de proyectosCoordinación de proyectos entre clientes y equipo "
            "interno.",
            "revisión de proyectos",
            "Coordinación",
        ),
        (
            "Requisitos: Ingeniero mecánico. Experiencia en combustion o termodinamiaExperiencia en puesto "
            "similarManejo de Autocad.",
            "termodinamia",
            "Experiencia",
        ),
        (
            "Funciones: Liquidación de sueldos. Depósitos y apertura de cuentas bancariasDenuncias y seguimiento ART.",
            "apertura de cuentas bancarias",
            "Denuncias",
        ),
        (
            "Funciones: Análisis, resolución y liquidación de siniestrosAnálisis de coberturas, antecedentes y "
            "cláusulas.",
            "liquidación de siniestros",
            "Análisis de coberturas",
        ),
    ],
)
def test_glued_line_break_ends_the_candidate(
    built_extractor: SkillExtractor, text: str, surface: str, glued: str
) -> None:
    surfaces = _surfaces(built_extractor, text)
    assert surface in surfaces, surfaces
    assert not any(glued in s for s in surfaces if s != glued)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Requisitos: Manejo avanzado de PowerPivot y tablas dinámicas.", "PowerPivot"),
        ("Requisitos: Experiencia con LangGraph para agentes conversacionales.", "LangGraph"),
    ],
)
def test_camel_case_tool_names_stay_whole(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    assert surface in _surfaces(built_extractor, text)
