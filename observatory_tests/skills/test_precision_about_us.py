"""Precision (issue 16, part 3): the employer's "about us" sentence, the recruiter the candidate will meet, a seller's
quotes read as budgeting, and technical drawing read as blueprint reading."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _names(extractor: SkillExtractor, text: str) -> list[str]:
    return [m.name for m in extractor.extract(text).mentions]


@pytest.mark.parametrize(
    ("text", "not_named"),
    [
        (
            "Somos una empresa innovadora en constante crecimiento, enfocada en la mejora continua de procesos.",
            "Mejora continua",
        ),
        (
            "Somos una empresa de industria textil, nos dedicamos a la venta mayorista de indumentaria femenina y "
            "estamos en la búsqueda de una administrativa.",
            "Ventas",
        ),
        (
            "Somos una agencia de investigación de mercados y requerimos incorporar a nuestro equipo una "
            "recepcionista.",
            "Investigación de mercados",
        ),
        (
            "Somos una Empresa PYME muy joven que se dedica a la Organización de Eventos Sociales y Corporativos e "
            "INCORPORAREMOS a un chofer.",
            "Organización de eventos",
        ),
    ],
)
def test_about_us_sentence_names_no_skill(built_extractor: SkillExtractor, text: str, not_named: str) -> None:
    assert not_named not in _names(built_extractor, text)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # The sentence turns to the job: what follows is asked.
        (
            "Empresa líder en servicios de catering, nos encontramos en la búsqueda de una persona con experiencia "
            "en atención al cliente.",
            "Atención al cliente",
        ),
        # Asked in another sentence of the same posting.
        (
            "Somos una empresa enfocada en la mejora continua. Buscamos analista con experiencia en mejora continua.",
            "Mejora continua",
        ),
        # Glued lines: the blurb ends where the next line starts.
        (
            "Para Empresa Líder en Obras de Construcción y Proyectos de IngenieríaComo líder del equipo deberás "
            "liderar la gestión de proyectos.",
            "Gestión de proyectos",
        ),
        ("Experiencia en ventas y atención al cliente.", "Ventas"),
    ],
)
def test_skills_outside_the_blurb_stay(built_extractor: SkillExtractor, text: str, named: str) -> None:
    assert named in _names(built_extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "¿De qué fases consta el proceso de selección? Tendrás una primera entrevista con nuestra Recruiter, "
        "Carla Carrizo, para conocer tus experiencias laborales.",
        "La primera instancia del proceso consta de una entrevista con nuestra reclutadora Mariana Herrero.",
    ],
)
def test_recruiter_met_in_the_hiring_process_is_no_skill(built_extractor: SkillExtractor, text: str) -> None:
    assert "Reclutamiento y selección" not in _names(built_extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Experiencia como recruiter IT en consultoras.",
        "Requisitos: experiencia en reclutamiento y selección de personal.",
    ],
)
def test_recruiting_asked_stays(built_extractor: SkillExtractor, text: str) -> None:
    assert "Reclutamiento y selección" in _names(built_extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Responsabilidades: Elaborar presupuestos y propuestas comerciales para clientes.",
        "Tareas: visitas comerciales, elaboración de presupuestos y seguimiento de clientes.",
        "Elaborar presupuestos o cotizaciones.",
    ],
)
def test_sellers_presupuestos_are_quotes(built_extractor: SkillExtractor, text: str) -> None:
    names = _names(built_extractor, text)
    assert "Elaboración de cotizaciones" in names
    assert "Presupuestos" not in names


@pytest.mark.parametrize(
    "text",
    [
        "Funciones: elaboración de presupuestos anuales del área y control presupuestario.",
        "Requisitos: experiencia en control de presupuesto de obra.",
    ],
)
def test_budgeting_stays_budgeting(built_extractor: SkillExtractor, text: str) -> None:
    assert "Presupuestos" in _names(built_extractor, text)


def test_technical_drawing_is_not_blueprint_reading(built_extractor: SkillExtractor) -> None:
    result = built_extractor.extract("Requisitos: conocimientos de dibujo técnico y AutoCAD.")
    drawing = [m for m in result.mentions if m.surface == "dibujo técnico"]
    assert drawing
    assert all(m.name != "Lectura de planos" for m in drawing)


def test_blueprint_reading_stays(built_extractor: SkillExtractor) -> None:
    assert "Lectura de planos" in _names(built_extractor, "Excluyente: lectura e interpretación de planos.")
