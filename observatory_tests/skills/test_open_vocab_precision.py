"""Open-vocabulary precision after the recall round (issue 16, item 3): the wrong classes found reading the new
mentions of 300 unlabelled real postings (hospitality, sales, construction, other), on real-looking text, each
beside a skill of the same posting that must stay."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _surfaces(extractor: SkillExtractor, text: str, title: str = "") -> list[str]:
    return [m.surface.lower() for m in extractor.extract(text, title).mentions if m.section != "title"]


def _has(surfaces: list[str], phrase: str) -> bool:
    return any(phrase in surface for surface in surfaces)


# (case, title, text, substrings no surface may hold, endings no surface may have, phrases that must stay)
CASES = [
    (
        "goal-framed action nouns",
        "Jefe de cocina",
        "Responsabilidades:\n- Supervisión del equipo de cocina.\n- Realizar ensayos de laboratorio orientados a la "
        "mejora de productos.\n- Atender a los socios garantizando una atención de calidad.\n- Proponer mejoras "
        "para lograr la optimización de los recursos utilizados.\n- Asegurar la correcta liquidación de facturas.",
        ("mejora de productos", "atención de calidad", "optimización de"),
        (),
        # "liquidación de facturas" is a task the posting asks for, not a goal.
        ("supervisión del equipo de cocina", "liquidación de facturas"),
    ),
    (
        "the company's second trade",
        "Encargado de turno",
        "Funciones y responsabilidades: Somos una empresa en pleno crecimiento dedicada a la producción de alimentos "
        "y operación de locales gastronómicos. Buscamos una persona organizada.\n- Control de mermas.\n- Reposición "
        "de insumos.",
        ("operación de locales", "producción de alimentos"),
        (),
        ("control de mermas", "reposición de insumos"),
    ),
    (
        "fragments cut mid-sentence",
        "Jefe de obra",
        "Principales responsabilidades: Seleccionar y evaluar a los subcontratistas. Cumplir con los procedimientos "
        "aplicables a sus procesos. Identificar los riesgos y oportunidades vinculados a su proceso. Colaborar en "
        "la solución de estos problemas. Control de calidad de los materiales. Generar reportes diarios sobre "
        "el avance de obra.",
        (),
        (" su", " sus", " estos", " sobre"),
        ("control de calidad",),
    ),
    (
        "a hyphen glued to the next line ends the task",
        "Encargado de cafetería",
        "Tareas:- Gestión de compras y relación con proveedores- Supervisión del personal y coordinación del "
        "turno- Cierres y reportes diarios.\nFunciones: Promueve las buenas prácticas.-Control de stock-Realización "
        "de pedidos-Elaboración de recetas y decoraciones",
        ("-",),
        (),
        ("coordinación del turno",),
    ),
    (
        "a glued task verb ends the line before",
        "Ejecutivo comercial",
        "Responsabilidades: Generar nuevos leads o prospects de clientes Colaborar y participar en propuestas, "
        "actividades y acciones de MKT Analizar y mantenerse actualizado sobre las disposiciones impositivas.",
        (),
        ("colaborar", "analizar"),
        (),
    ),
    (
        "what the employer values in you",
        "Vendedor",
        "Características que valoramos en vos: ser ágil y adaptarte a los cambios.\nValoraremos especialmente las "
        "siguientes condiciones: buena presencia, amabilidad, puntualidad.\nRequisitos: Manejo de CRM (p. ej., "
        "Salesforce, HubSpot, Zoho) y Excel.",
        ("siguientes condiciones", "p. ej"),
        (),
        ("salesforce", "hubspot"),
    ),
    (
        "an object that names no kind of thing",
        "Jefe de obra",
        "Responsabilidades: Planificación, organización y supervisión de todas las etapas de la obra. Control y "
        "seguimiento de las distintas instalaciones en obra. Participar en el desarrollo de diversos sistemas de la "
        "planta. Pastelero/a: con experiencia en la elaboración de una amplia variedad de productos de pastelería. "
        "Mantenimiento de grupos electrógenos.",
        ("distintas instalaciones", "diversos sistemas", "amplia variedad"),
        (),
        ("mantenimiento de grupos electrógenos",),
    ),
]


@pytest.mark.parametrize(
    ("title", "text", "absent", "endings", "present"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_wrong_classes_are_no_skill_and_the_posting_keeps_its_skills(
    built_extractor: SkillExtractor,
    title: str,
    text: str,
    absent: tuple[str, ...],
    endings: tuple[str, ...],
    present: tuple[str, ...],
) -> None:
    surfaces = _surfaces(built_extractor, text, title)
    for phrase in absent:
        assert not _has(surfaces, phrase), (phrase, surfaces)
    assert not [s for s in surfaces if endings and s.endswith(endings)], surfaces
    for phrase in present:
        assert _has(surfaces, phrase), (phrase, surfaces)


def test_the_word_vos_alone_is_no_skill(built_extractor: SkillExtractor) -> None:
    surfaces = _surfaces(built_extractor, CASES[5][2], CASES[5][1])
    assert "vos" not in surfaces, surfaces
