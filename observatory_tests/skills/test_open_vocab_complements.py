"""Open-vocabulary spans (issue 16, part 3): a task's long object is cut to its head noun, and a head noun that names
nothing alone keeps its complement ("Confección de Estado de Pago mensual", not "Confección de Estado")."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _surfaces(extractor: SkillExtractor, text: str) -> list[str]:
    return [m.surface for m in extractor.extract(text).mentions]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        (
            "Funciones: Confección de Estado de Pago mensual de subcontratos. Control de avance de obra.",
            "Confección de Estado de Pago",
        ),
        (
            "Responsabilidades: Supervisar las tareas cotidianas del centro de atención telefónica.- Optimización de "
            "la fuerza de trabajo integrando tecnologías y automatizando los procesos.",
            "Optimización de la fuerza de trabajo",
        ),
        (
            "Responsabilidades: • Armado de marcos para puertas. • Armado de hojas de puertas con bastidores macizos. "
            "• Colocación de herrajes.",
            "Armado de hojas de puertas",
        ),
        (
            "Responsabilidades: Implementación del sistema de gestión integrado. Seguimiento de planes de acción "
            "referidas a medio ambiente y su concientización.",
            "Seguimiento de planes de acción",
        ),
    ],
)
def test_a_head_noun_keeps_the_complement_it_needs(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    assert surface in _surfaces(built_extractor, text)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # Other long objects are still cut to their head noun phrase.
        (
            "Responsabilidades: Resolución de incidencias de diversos sistemas del cliente en tiempo y forma.",
            "Resolución de incidencias",
        ),
        (
            "Tareas: Control de fechas de vencimiento de los productos del local y reposición de góndolas.",
            "Control de fechas de vencimiento",
        ),
    ],
)
def test_other_long_objects_are_still_cut(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    assert surface in _surfaces(built_extractor, text)
