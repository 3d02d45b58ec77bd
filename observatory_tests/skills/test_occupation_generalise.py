"""Occupation coding of titles no rule was read on (issue 16, part 4): classes of titles found wrong on a fresh
sample of unlabelled Argentine and Ecuadorian postings, each title here coded wrong (or not at all) before the
reading it tests, and guards that the codings right before stay right."""

from __future__ import annotations

import pytest

from observatory.skills.occupations import OccupationCoder

# A description that names no job: the title alone decides.
NEUTRAL = "Sumate a nuestro equipo. Ofrecemos buen clima laboral y estabilidad. Enviá tu CV."


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # English titles name the job last: a manager there heads the title, whatever modifies it.
        ("Venue Project Manager - Productora de Espectáculos", "1219"),
        ("Localization Project Manager", "1219"),
        # An English rank word before a professional's job ranks that job.
        ("Team Leader Full Stack - Fintech", "2512"),
        ("Team Leader Soporte Técnico", "3512"),
        # "Full stack" is a developer, never a full-time one with the "full" dropped.
        ("Full Stack SR", "2512"),
        ("Full Stack Dev (React - Node)", "2512"),
    ],
)
def test_an_english_title_is_read_head_last(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # A manager named after a Spanish role and its linker is the role's principal, not the job.
        ("Asistente de Director General", "3343"),
        # The rank word alone, or over clerks and sellers, is the contact centre's supervisor.
        ("Team leader", "3341"),
        ("Team Leader Cobranzas", "3341"),
        ("Team Leader Atención al Cliente", "3341"),
        ("Vendedor Full Time", "5223"),
        ("Desarrollador/a Full Stack - Full Time", "2512"),
        ("Lead Data Engineer", "2511"),
        # A Spanish "gerencia" after a trainee's field is the unit the job sits in.
        ("Pasante de Sistemas - Gerencia General", "2511"),
    ],
)
def test_right_codings_stay(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


def test_a_manager_after_a_spanish_role_is_no_manager(coder: OccupationCoder) -> None:
    code = coder.code("Asistente de Project Manager", NEUTRAL)
    assert code.isco_code is None or not code.isco_code.startswith("1"), code


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # A pool of candidates or a programme names the field its trainees work in, in any part of the title.
        ("Base de Talentos Contables", "2411"),
        ("Programa de Pasantías - Área Sistemas", "2511"),
        # A dash spaced on one side parts the title as a spaced one does.
        ("Pasantía para Estudiantes– Gestión de Proyectos", "2421"),
        ("Rosario -Gerente de Ventas para Concesionario", "1221"),
    ],
)
def test_a_trainee_is_coded_to_the_field_the_title_names(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("description", "group"),
    [
        ("Requisitos: Cursando últimos años de la carrera de Recursos Humanos. Disponibilidad de 6 horas.", "2423"),
        ("Estudiantes de las carreras de Sistemas, Informática o afines. Carta de pasantía de la universidad.", "2511"),
        ("Alumnos de 3er año de la carrera de Contador Público. Horario de 9 a 15 hs.", "2411"),
    ],
)
def test_a_bare_trainee_title_takes_the_studies_the_description_names(
    coder: OccupationCoder, description: str, group: str
) -> None:
    code = coder.code("Pasante", description)
    assert (code.isco_code, code.branch) == (group, "career in description"), code


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Pasante de Marketing", "2431"),
        ("Desarrollador Trainee", "2512"),
        ("Administrativo/a IT (Pasante)", "3512"),
        # A dash inside a word joins it.
        ("Vendedor/a E-commerce", "5223"),
        ("Analista Físico-Químico", "2113"),
        ("Asesor Comercial -Zona Norte", "3322"),
    ],
)
def test_trainee_and_dash_codings_that_were_right_stay(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


def test_a_trainee_posting_naming_no_studies_stays_unknown(coder: OccupationCoder) -> None:
    assert coder.code("Pasante", NEUTRAL).isco_code is None
    # Studies named by a posting whose title is a job ("Asesora") do not replace what the tasks say.
    code = coder.code("Asesora", "Cursando la carrera de Recursos Humanos. Atención en el local y manejo de caja.")
    assert code.isco_code == "5223", code


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # Latin American job words: a "gestor del automotor" registers cars (a "mandatario"), whatever is glued
        # before it; a car park's staff park cars, whatever rank they hold.
        ("Gestoría del Automotor - Zona Oeste", "3411"),
        ("San Justo-Gestor Automotor para Concesionario Oficial", "3411"),
        ("Encargado de Estacionamiento - Zona Centro", "8322"),
        ("Supervisor de Operaciones de Estacionamientos", "8322"),
        ("Operario/a de Estacionamiento", "8322"),
    ],
)
def test_latin_american_job_words(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Cajero/a para estacionamiento", "5230"),
        ("Valet Parking", "8322"),
        ("Mecánico para garage", "7231"),
        ("Gestor de Cobranzas", "4214"),
    ],
)
def test_car_park_and_gestor_codings_that_were_right_stay(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # A field after a slash is one more field of the role named first.
        ("Jefe de Operaciones/Logística", "1324"),
        ("Jefe de Planeamiento/Logística - Zona Norte", "1324"),
    ],
)
def test_a_field_after_a_slash_belongs_to_the_role_named_first(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Vendedor/Repositor", "5223"),
        ("Operario/Chofer", "8322"),
        ("Analista de Compras/Comercio Exterior", "3323"),
        ("Encargado de COMEX y Gestión de Stock/Compras", "3323"),
    ],
)
def test_slash_codings_that_were_right_stay(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # The head sets the level: an engineer whose later noun the tables code below the professionals is an
        # engineer of the field a later word names, one who sells technical goods, else one not elsewhere classified.
        ("Ingeniero Proyectista Mecánico", "2144"),
        ("Ingeniero/a Asesor/a Comercial - Maquinaria Agrícola", "2433"),
        ("Ingeniero de Servicio de Campo (Electrónica/Mecánica)", "2144"),
        ("Ingeniero o Técnico Electromecánico", "2144"),
    ],
)
def test_an_engineer_stays_an_engineer(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Técnico/Ingeniero Electromecánico", "7412"),
        ("Ingeniero Civil - Para empresa Constructora", "2142"),
        ("Ingeniero de Ventas", "2433"),
        ("Ingeniero Agrónomo", "2132"),
        ("Proyectista Mecánico", "3118"),
    ],
)
def test_engineer_codings_that_were_right_stay(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # Planning followed by another field plans that field: it is production planning only when it says so.
        ("Analista de Planificación Logística", "4323"),
        ("Analista de Planeamiento Logístico | Supply Chain | Ezeiza", "4323"),
        ("Analista de Planificación Abastecimiento SSR", "3323"),
        ("Analista de Planificación Académica", "2359"),
        # A planner is a role word over the field it plans.
        ("Planificador/a de Inventario", "4321"),
    ],
)
def test_planning_is_read_as_the_field_it_plans(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Analista de Planificación", "2141"),
        ("Analista de planificación de la producción", "2141"),
        ("Planificador de Producción", "2141"),
        ("Analista de Planificación Comercial", "2431"),
        ("Analista de Planificación y Coordinación de Tráfico", "4323"),
        ("Planificador de Mantenimiento Eléctrico", "3115"),
    ],
)
def test_planning_codings_that_were_right_stay(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # Occupational safety is no guarding: its professionals (2263) and technicians (3257), however the
        # department is written.
        ("Coordinador/a de Seguridad, Higiene, Medio ambiente", "2263"),
        ("Jefatura de Seguridad, Higiene y Medio Ambiente", "2263"),
        ("Responsable de Seguridad y Salud Ocupacional", "2263"),
        ("Seguridad Ocupacional - Planta Pilar", "3257"),
        ("Asistente de Seguridad Alimentaria", "3257"),
    ],
)
def test_occupational_safety_is_no_security_guard(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Seguridad", "5414"),
        ("Encargado de Seguridad", "5414"),
        ("Personal de Seguridad", "5414"),
        ("Técnico en Seguridad e Higiene", "3257"),
        ("Analista en Seguridad e Higiene", "2263"),
    ],
)
def test_safety_and_security_codings_that_were_right_stay(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)
