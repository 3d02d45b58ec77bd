"""Open-vocabulary recall outside IT (issue 16): the classes of skills that readers of real postings list and the
extractor missed, on real-looking Spanish and English postings of cleaning, kitchens, logistics, offices and
health, each beside the near misses that must stay out."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _surfaces(extractor: SkillExtractor, text: str, title: str = "") -> set[str]:
    return {m.surface.lower() for m in extractor.extract(text, title).mentions}


def _missed(extractor: SkillExtractor, text: str, title: str, phrases: tuple[str, ...]) -> list[str]:
    """The phrases of ``text`` that no mention overlaps (the scorer of the real sets credits any overlap)."""
    spans = [(m.start, m.end) for m in extractor.extract(text, title).mentions if m.section != "title"]
    lower = text.lower()
    missed = []
    for phrase in phrases:
        start = lower.index(phrase)
        if not any(s < start + len(phrase) and start < e for s, e in spans):
            missed.append(phrase)
    return missed


_FOUND = [
    pytest.param(
        "Soporte Comercial: Apoyo en la elaboración de propuestas comerciales. gestión de clientes. seguimiento de "
        "ventas y coordinación con el equipo de ventas.\nTareas:\n- Control de mermas.\n- Reposición de insumos en "
        "góndola.\n- Mantenimiento de herramientas del taller.",
        "Asistente comercial",
        ("elaboración de propuestas comerciales", "gestión de clientes", "seguimiento de ventas",
         "control de mermas", "reposición de insumos", "mantenimiento de herramientas"),
        (),
        id="action nouns in task lists",
    ),
    pytest.param(
        "Buscamos cocinero para restaurante de Palermo. Será responsable de la limpieza del área de cocina y del "
        "seguimiento de recetas estandarizadas. Farmacéutico: supervisar la destrucción de los medicamentos vencidos.",
        "Cocinero",
        ("limpieza del área de cocina", "seguimiento de recetas", "destrucción de los medicamentos vencidos"),
        (),
        id="action nouns in running text",
    ),
    pytest.param(
        "Funciones:\n- Revisar la documentación legal de los créditos.\n- Filetear el pescado para la barra de "
        "sushi.\n- Velar por el cumplimiento de normativas internas.\n- Alcanzar los objetivos de venta mensuales."
        "\n- Asegurar la correcta imputación de los cobros.\n- Identificar posibles retos del área.",
        "Analista",
        ("documentación legal", "filetear el pescado", "normativas internas", "objetivos de venta"),
        ("correcta", "posibles"),  # a goal set is not a skill
        id="task verbs of real task lines",
    ),
    pytest.param(
        "Requisitos:\n- Título universitario en Ingeniería de Alimentos o campo relacionado.\n- Licenciatura en "
        "Economía (excluyente).\n- Estudios superiores de Derecho.\n- Bachelor's degree in Hospitality Management, "
        "or a related field, or equivalent.",
        "Analista",
        ("ingeniería de alimentos", "economía", "derecho", "hospitality management"),
        ("related", "relacionado", "equivalent"),
        id="the field of a degree",
    ),
    pytest.param(
        "Operario/a de limpieza. Valoramos la puntualidad, la responsabilidad y el compromiso con la calidad. Se "
        "valorará experiencia previa y perfiles proactivos.\nRequisitos:\nFacilidad de expresión oral y escrita\n"
        "Facilidad de aprendizaje",
        "Operario de limpieza",
        ("puntualidad", "responsabilidad", "expresión oral y escrita", "aprendizaje"),
        ("previa", "perfiles"),
        id="what the employer values",
    ),
    pytest.param(
        "Requisitos:\n- Equipos y plataformas SIP (Cisco, Asterisk, Polycom, 3CX, etc.).\n- Horario (lunes a "
        "viernes, 9 a 18 hs).",
        "Técnico de telefonía",
        ("asterisk", "3cx"),
        ("lunes", "18 hs", "etc"),
        id="example lists beside known skills",
    ),
    pytest.param(
        "Responsibilities:\n- Review vendor invoices for accuracy.\n- Generate and send invoices to clients.\n- "
        "Restock shelves as needed.\n- Documenting customer interactions and keeping accurate records.",
        "Store Assistant",
        ("review vendor invoices", "send invoices", "restock shelves", "customer interactions", "accurate records"),
        ("as needed", "accuracy"),
        id="English task lines",
    ),
    pytest.param(
        "Requisitos:\n* Experiencia mínima un año\n*Puntual . honesto y responsable\n*Disponibilidad tiempo "
        "completo\nRequirements: Must be proactive. patient. responsible.",
        "Bodeguero",
        ("puntual", "honesto", "responsable", "patient"),
        ("disponibilidad", "tiempo completo"),
        id="personal qualities in a list",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "title", "phrases", "unwanted"), _FOUND)
def test_skills_readers_list_are_found(
    built_extractor: SkillExtractor, text: str, title: str, phrases: tuple[str, ...], unwanted: tuple[str, ...]
) -> None:
    assert _missed(built_extractor, text, title, phrases) == []
    surfaces = _surfaces(built_extractor, text, title)
    assert not [s for s in surfaces if any(word in s for word in unwanted)], surfaces


def test_action_nouns_of_the_employers_own_business_are_not_skills(built_extractor: SkillExtractor) -> None:
    text = (
        "Responsabilidades: desarrollo de software en BairesDev para clientes de EE.UU. Coordinación de equipo "
        "Residir en Casilda. Control de stock de los mismos. Capacitación de nuestro programa educativo. "
        "Venta a nivel nacional. Cargar las novedades de asistencia del personal. Control en el Sistema Financiero.\n"
        "Trabajarás en una planta dedicada a la fabricación de fiambres. Tareas: elaboración de embutidos."
    )
    surfaces = _surfaces(built_extractor, text, "Coordinador")
    unwanted = (
        "bairesdev",
        "residir",
        "nuestro",
        "nivel nacional",
        "mismos",
        "asistencia del personal",
        "control en el",
        "fiambres",  # what the company does
    )
    assert not [s for s in surfaces if any(word in s for word in unwanted)], surfaces
    assert "elaboración de embutidos" in surfaces


def test_action_nouns_in_benefits_are_not_demand(built_extractor: SkillExtractor) -> None:
    text = (
        "Requisitos: manejo de autoelevador.\nBeneficios: capacitación de seguridad vial, gestión de turnos flexibles."
    )
    surfaces = _surfaces(built_extractor, text, "Operario de depósito")
    assert not [s for s in surfaces if "vial" in s or "turnos" in s], surfaces


def test_a_lone_generic_noun_is_extended_to_its_phrase_or_dropped(built_extractor: SkillExtractor) -> None:
    text = (
        "Requisitos:\n- Manejo de herramientas de gestión y métricas.\n- Capacidad de gestión.\n- Experiencia en "
        "gestión, deseable.\n- Licenciatura en Administración, Economía o afines."
    )
    mentions = built_extractor.extract(text, "Analista administrativo").mentions
    surfaces = {m.surface.lower() for m in mentions}
    assert {"herramientas de gestión", "capacidad de gestión"} <= surfaces, surfaces
    assert not [m for m in mentions if m.skill_id == "new:gestion"], surfaces
    # A degree's field is no lone generic word: "Licenciatura en Administración".
    assert "new:administracion" in {m.skill_id for m in mentions}
