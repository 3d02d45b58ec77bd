"""Skills recall in education postings and others like them (issue 16, part 1): list bullets whose line break the
portal lost (" * "), and a teacher's qualification and subject ("Profesorado de Educación Primaria", "Docente de
Castellano", "Profesor/a de Educación Física")."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


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
def test_an_inline_star_bullet_ends_the_item(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    assert surface in _surfaces(built_extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Conocimientos de C* y de sistemas de archivos.",
        "Requisitos: Excel avanzado ** excluyente ** y manejo de SAP.",
    ],
)
def test_stars_that_are_no_bullet_change_nothing(built_extractor: SkillExtractor, text: str) -> None:
    # Only a star between spaces is a lost bullet: the text is extracted as it was.
    from observatory.skills import extractor as module

    assert module._without_inline_stars(text) == text


def test_inline_star_bullets_keep_offsets(built_extractor: SkillExtractor) -> None:
    text = "Funciones: * Atención al cliente * Manejo de caja"
    for mention in built_extractor.extract(text).mentions:
        assert text[mention.start : mention.end] == mention.surface


def _names(extractor: SkillExtractor, text: str, title: str | None = None) -> set[str]:
    return {m.name for m in extractor.extract(text, title=title).mentions}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # The subject a teacher teaches is the skill readers list, also where it names the job.
        ("Estamos en la búsqueda de un Docente de Castellano (Primer ciclo) para unirse a nuestro equipo.", "Español"),
        ("Buscamos Profesor/a de Educación Física para colegio secundario de Pilar.", "Educación física"),
        ("Importante instituto busca Profesora de contabilidad para cursos de nivel medio.", "Contabilidad"),
        ("Establecimiento privado: las clases tienen que ser en castellano. Título habilitante.", "Español"),
        # A teacher's qualification names the level taught.
        ("Requisitos: Profesorado de Educación Primaria o estudiantes avanzados de la carrera.", "Educación primaria"),
        ("Requisitos: Docente recibida y estudiante del profesorado de nivel inicial.", "Educación inicial"),
    ],
)
def test_a_teachers_subject_and_level_are_found(built_extractor: SkillExtractor, text: str, name: str) -> None:
    assert name in _names(built_extractor, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # The applicant's own schooling is no teaching level.
        ("Requisitos: Educación primaria completa. Disponibilidad horaria.", "Educación primaria"),
        ("Requisitos: estudios de educación primaria finalizados, ganas de trabajar.", "Educación primaria"),
    ],
)
def test_schooling_is_not_a_teaching_level(built_extractor: SkillExtractor, text: str, name: str) -> None:
    assert name not in _names(built_extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Buscamos Técnico de mantenimiento para planta industrial en Escobar.",
        "Buscamos Maestro de obras para obra en construcción en Tigre.",
    ],
)
def test_other_job_titles_still_name_no_skill(built_extractor: SkillExtractor, text: str) -> None:
    assert _names(built_extractor, text) == set()


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Asesores Comerciales",
            "Buscamos asesores con experiencia y alto rendimiento. Serán responsables de promover y vender nuestros "
            "programas de enseñanza de inglés a estudiantes de colegio y profesionales.",
        ),
        (
            "Asesora de Ventas",
            "Requisitos:\n- Habilidades de persuasión.\n- Proactividad.\n- Pasión por la enseñanza y el aprendizaje.",
        ),
        (
            "Ejecutivo de Ventas",
            "Perfil:\ntrabajo enfocado en el cumplimiento de cuotas\nfacilidad de aprendizaje y enseñanza\ncon o sin "
            "experiencia",
        ),
    ],
)
def test_teaching_sold_or_valued_by_a_seller_is_no_skill(
    built_extractor: SkillExtractor, title: str, text: str
) -> None:
    assert "Docencia" not in _names(built_extractor, text, title)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A teacher's posting, a task line, a required experience: teaching is asked.
        ("Profesor/a de Informática", "Valoramos la pasión por la enseñanza y la capacidad de transmitir."),
        ("Cosmetólogo/a", "Funciones:\nEnseñanza y Capacitación\nEvaluación y Seguimiento"),
        ("Cosmetóloga", "Requisitos:\nHabilidades pedagógicas y experiencia en enseñanza (deseable)."),
        ("Administrativo Académico", "Requisitos: experiencia en tareas de enseñanza. Inglés B2."),
    ],
)
def test_teaching_asked_stays(built_extractor: SkillExtractor, title: str, text: str) -> None:
    assert "Docencia" in _names(built_extractor, text, title)


def test_a_task_line_with_a_colon_under_a_header_is_a_task(built_extractor: SkillExtractor) -> None:
    text = (
        "PERFIL:\nAbogado con cinco años de experiencia.\n\nFUNCIONES DEL CARGO\nBrindar asesoría en materia legal: "
        "societaria. civil. laboral. tributaria.\nMonitorear el estado de los procesos judiciales."
    )
    assert "Brindar asesoría en materia legal" in _surfaces(built_extractor, text, "Asesor Legal")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # The part after a sub-header's colon stays a task; the header's own colon still ends the header.
        (
            "RESPONSABILIDADES\nDesarrollo de Estrategias de Pricing: Establecer y mantener estructuras de precios "
            "para servicios logísticos.",
            "mantener estructuras de precios",
        ),
        ("Funciones: Brindar asesoría en materia laboral a la gerencia.", "Brindar asesoría en materia laboral"),
    ],
)
def test_what_follows_a_colon_is_still_found(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    surfaces = _surfaces(built_extractor, text, "Analista")
    assert surface in surfaces
    assert not any(s.lower().startswith(("funciones", "responsabilidades")) for s in surfaces)


@pytest.mark.parametrize(
    "text",
    [
        "Las tareas comprenderán fundamentalmente asuntos de defensa del consumidor y litigios.",
        "Requisitos: experiencia en asuntos de Derecho a la Salud, Defensa del Consumidor y Contratos.",
        "Conocimiento del marco legal argentino relacionado a cobranzas, defensa del consumidor y derechos del deudor.",
    ],
)
def test_consumer_protection_law_is_a_legal_skill(built_extractor: SkillExtractor, text: str) -> None:
    assert "Derecho del consumidor" in _names(built_extractor, text)


def test_what_a_regulator_issued_is_not_part_of_the_item(built_extractor: SkillExtractor) -> None:
    text = (
        "Requisitos: conocimiento de marcos normativos (en especial, normativa emitida por el BCRA, CNV, Defensa del "
        "Consumidor y buenas prácticas de la industria)."
    )
    surfaces = [s.lower() for s in _surfaces(built_extractor, text)]
    assert not any("emitida" in s for s in surfaces)
    assert "defensa del consumidor" in surfaces
