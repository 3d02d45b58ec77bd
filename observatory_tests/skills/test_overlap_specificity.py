"""Overlapping matches on real-looking requirement lines: the match that names the skill most specifically wins.
A frame-led alias ("Conocimientos de computación", "Experiencia en mantenimiento") gives way to a match that
carries its object further; an ESCO label that carries a vocabulary phrase further from its first word wins; skills
of their own ("Vocación de servicio", "Manejo de personal") and technical names keep theirs."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _skills(extractor: SkillExtractor, text: str) -> dict[str, str]:
    """Surface -> skill id of the mentions of ``text``."""
    return {m.surface: m.skill_id for m in extractor.extract(text).mentions}


@pytest.mark.parametrize(
    ("line", "surface", "skill_id", "not_id"),
    [
        ("Conocimientos de computación en la nube (AWS o Azure).", "computación en la nube", "cloud_computing",
         "computer_literacy"),
        ("Experiencia en mantenimiento preventivo y correctivo de autoelevadores.", "mantenimiento preventivo",
         "preventive_maintenance", "maintenance"),
        ("Conocimientos en Marketing Digital y manejo de redes sociales.", "Marketing Digital", "digital_marketing",
         "marketing"),
        ("Conocimiento y experiencia con Normas ISO 9001.", "ISO 9001", "iso_9001", "quality_management"),
        ("Capacidad de planificación estratégica y de trabajo en campo.", "planificación estratégica",
         "strategic_planning", "planning"),
        ("Conocimientos en logística internacional, Incoterms y procesos de importación.",
         "logística internacional", "foreign_trade", "logistics"),
    ],
)  # fmt: skip
def test_a_frame_led_alias_gives_way_to_the_longer_object(
    extractor: SkillExtractor, line: str, surface: str, skill_id: str, not_id: str
) -> None:
    found = _skills(extractor, "Requisitos:\n- " + line)
    assert found.get(surface) == skill_id, found
    assert not_id not in found.values(), found


@pytest.mark.parametrize(
    ("line", "surface", "skill_id"),
    [
        ("Vocación de servicio al cliente y buena presencia.", "Vocación de servicio", "customer_orientation"),
        ("Manejo de personal de ventas y de depósito.", "Manejo de personal", "team_management"),
        ("Experiencia en ventas.", "Experiencia en ventas", "sales"),
    ],
)
def test_skills_of_their_own_keep_their_span(extractor: SkillExtractor, line: str, surface: str, skill_id: str) -> None:
    assert _skills(extractor, "Requisitos:\n- " + line).get(surface) == skill_id


def test_an_esco_label_carrying_a_vocabulary_phrase_further_wins(extractor: SkillExtractor) -> None:
    text = "Tareas:\n- Diagnosticar y resolver problemas técnicos reportados por los usuarios."
    found = {m.surface: m for m in extractor.extract(text).mentions}
    mention = found.get("resolver problemas técnicos")
    assert mention is not None and mention.esco_uri is not None, found
    assert "resolver problemas" not in found


def test_digital_communication_is_not_communication_studies(extractor: SkillExtractor) -> None:
    """An alternative label of ESCO's 'communication studies' read as the channels a marketing role works with."""
    text = "Requisitos:\n- Pasión por las redes sociales y la comunicación digital.\n- Manejo de Canva."
    names = {m.name for m in extractor.extract(text).mentions}
    assert "ciencias de la comunicación" not in names
    assert "Canva" in names
