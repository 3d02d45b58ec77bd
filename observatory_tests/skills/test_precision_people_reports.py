"""Precision (issue 16, part 3): the people a job deals with read as a trade ("comunicación con padres y docentes" ->
Docencia, "vendedores, choferes, operarios" -> Licencia de conducir), and report writing read as copywriting."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _names(extractor: SkillExtractor, text: str, title: str = "") -> list[str]:
    return [m.name for m in extractor.extract(text, title).mentions]


@pytest.mark.parametrize(
    ("text", "not_named"),
    [
        (
            "Funciones: Supervisar la convivencia escolar. Requisitos: Excelente dominio de comunicación con "
            "representantes y docentes. Experiencia mínima de 2 años.",
            "Docencia",
        ),
        (
            "Responsabilidades: Gestión de archivos académicos. Atender consultas de alumnos y docentes, garantizando "
            "una comunicación fluida y eficiente.",
            "Docencia",
        ),
        (
            "Requisitos: Conocimiento de actividades de gimnasio, tanto como profesor o como usuario. Con experiencia "
            "comercial y orientación a resultados.",
            "Docencia",
        ),
        (
            "Responsabilidades: Reclutamiento y selección de personal operativo (vendedores, choferes, operarios, "
            "administrativos). Coordinar con otras áreas.",
            "Licencia de conducir",
        ),
        (
            "Responsabilidades: Planificar los despachos optimizando los recursos disponibles (cargas, unidades y "
            "choferes) para cumplir con los objetivos de servicio.",
            "Licencia de conducir",
        ),
        # A report is written, not copy: its own skill.
        (
            "Requisitos: Comunicación efectiva y habilidades para la redacción de informes técnicos. Compromiso con "
            "la seguridad.",
            "Redacción",
        ),
        ("Responsabilidades: Asistir en la redacción de informes de auditoría.", "Redacción"),
    ],
)
def test_people_and_reports_are_not_misread(built_extractor: SkillExtractor, text: str, not_named: str) -> None:
    assert not_named not in _names(built_extractor, text)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # The posting names the trade elsewhere, so the job-title check lets the word through: it is still people.
        (
            "Requisitos: Experiencia en docencia de nivel primario. Responsabilidades: Mantener el aula limpia y en "
            "orden. Colaborar con otros profesores. padres y partes interesadas y participar en las reuniones.",
            "profesores",
        ),
        (
            "Somos un colegio con vocación por la docencia. Responsabilidades: Atender consultas de alumnos y "
            "docentes, garantizando una comunicación fluida.",
            "docentes",
        ),
        (
            "Requisitos: Licencia de conducir vigente. Responsabilidades: Controlar documentación habilitante de "
            "choferes y vehículos.",
            "choferes",
        ),
    ],
)
def test_people_the_job_deals_with_are_no_skill(built_extractor: SkillExtractor, text: str, people: str) -> None:
    assert people not in [m.surface.lower() for m in built_extractor.extract(text).mentions]


@pytest.mark.parametrize(
    "text",
    [
        "Requisitos: Comunicación efectiva y habilidades para la redacción de informes técnicos.",
        "Responsabilidades: Asistir en la redacción de informes de auditoría. Participar en la verificación.",
        "Funciones: Control de caja diaria. Elaboración de informes.",
        "Tareas: Elaborar informes mensuales de avance de obra.",
    ],
)
def test_report_writing_is_its_own_skill(built_extractor: SkillExtractor, text: str) -> None:
    assert "Redacción de informes" in _names(built_extractor, text)


@pytest.mark.parametrize(
    ("text", "title", "named"),
    [
        # The trade itself, and a job the candidate must have practised, stay.
        ("Requisitos: Experiencia docente comprobable en nivel secundario.", "Profesor de Historia", "Docencia"),
        ("Responsabilidades: Dictado de clases de matemática en primer año.", "Docente", "Docencia"),
        ("Requisitos: Licencia de conducir vigente. Disponibilidad horaria.", "Repartidor", "Licencia de conducir"),
        ("Requisitos: Buena redacción y ortografía. Manejo de Excel.", "Administrativo", "Redacción"),
        ("Funciones: Redacción de contenidos para redes sociales.", "Community Manager", "Redacción"),
    ],
)
def test_right_readings_stay(built_extractor: SkillExtractor, text: str, title: str, named: str) -> None:
    assert named in _names(built_extractor, text, title)


@pytest.mark.parametrize(
    "text",
    [
        # The job sought and a co-worker: "operador de máquina" is a job title, not the trade.
        "Desde CONA Consultores nos encontramos en la búsqueda de un Operador de Máquina Extrusora para incorporarse "
        "a una importante industria de productos plásticos.",
        "Responsabilidades: Reportar productos no conformes al operador de máquina. Asegurar el correcto embalaje "
        "del producto terminado.",
    ],
)
def test_machine_operator_job_title_is_no_skill(built_extractor: SkillExtractor, text: str) -> None:
    assert "Operación de maquinaria" not in _names(built_extractor, text, "Operario Extrusor de Plástico")


@pytest.mark.parametrize(
    "text",
    [
        "Requisitos: Experiencia en operación de máquinas inyectoras.",
        "Requisitos: Manejo de maquinaria industrial y herramientas de mano.",
    ],
)
def test_machine_operation_stays(built_extractor: SkillExtractor, text: str) -> None:
    assert "Operación de maquinaria" in _names(built_extractor, text, "Operario de producción")
