"""Occupation coding of titles no rule was written for: the general readings a new title goes through (ESCO labels,
role + domain, the description) refuse a job of another domain rather than guess it."""

from __future__ import annotations

import pytest

from observatory.skills.occupations import UNKNOWN, OccupationCoder, in_its_domain


@pytest.mark.parametrize(
    ("title", "not_group"),
    [
        # An ESCO label whose job lives in a domain the title never names: a tour operator's flight analyst is no
        # pilot or flight engineer, a reviewer of folios no train conductor, a head of engineering no ship's officer.
        ("Analista de Vuelos para Importante Operador Mayorista Receptivo", "3153"),
        ("Revisor de folios", "5112"),
        ("Jefe de ingeniería", "3151"),
        ("Checker para Control de Procesos (Temporario por vacaciones)", "2642"),
        ("Consultor/a Trainee", "2511"),
        ("Preparador / Lustrador para Concesionario Oficial", "7512"),
        ("Comisionista para Matricular estudiantes", "3331"),
        ("Profesionales de la Salud", "2250"),
        ("Científico", "2511"),
        ("Responsable de prevencion de riesgos", "3117"),
        ("Terapias para niños con NEE", "3230"),
    ],
)
def test_an_esco_label_of_another_domain_does_not_code_the_title(
    coder: OccupationCoder, title: str, not_group: str
) -> None:
    code = coder.code(title, "Buscamos una persona responsable, con ganas de crecer, para sumarse a nuestro equipo.")
    assert code.isco_code != not_group, (title, code)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # The same groups stay open to titles that name their domain.
        ("Revisor de tren", "5112"),
        ("Copiloto", "3153"),
        ("Piloto de helicóptero", "3153"),
        ("Marinero de cubierta", "8350"),
        ("Técnico veterinario", "3240"),
        ("Analista de importación", "3331"),
        ("Corrector editorial", "2642"),
        ("Supervisor de mina", "3121"),
        ("Administrador de Servidores", "2522"),
    ],
)
def test_a_title_naming_the_domain_keeps_its_esco_label(coder: OccupationCoder, title: str, group: str) -> None:
    assert coder.code(title).isco_code == group


def test_the_description_can_name_the_domain_of_a_bare_title(coder: OccupationCoder) -> None:
    # "Consultor" alone is no IT consultant; one hired to implement SAP modules and support the ERP's users is.
    bare = coder.code("Consultor (Vicente López)", "Buscamos una persona proactiva para nuestro equipo.")
    it = coder.code(
        "Consultor (Vicente López)",
        "Buscamos consultor funcional SAP para implementación de módulos del ERP y soporte a usuarios clave.",
    )
    assert bare.isco_code != "2511"
    assert it.isco_code is not None and it.isco_code.startswith("25")


def test_in_its_domain_reads_title_then_description() -> None:
    assert in_its_domain("5112", "revisor de tren")
    assert not in_its_domain("5112", "revisor de folios")
    # One stray word in a description is no domain; two distinct ones are.
    assert not in_its_domain("2511", "consultor", "experiencia en software")
    assert in_its_domain("2511", "consultor", "implementacion de software y soporte a usuarios")
    # Groups that are not domain-bound are open to any title.
    assert in_its_domain("5223", "vendedor")


def test_the_coder_says_which_reading_coded_a_title(coder: OccupationCoder) -> None:
    assert coder.code("Vendedor de salón").branch == "rule"
    assert coder.code("Analista de impuestos").branch == "domain"
    assert coder.code("Vidriero/a de obra").branch == "esco nearest"
    unknown = coder.code("Revisor de folios")
    assert unknown.method == UNKNOWN and unknown.branch == "unknown"


@pytest.mark.parametrize(
    ("title", "description", "not_group"),
    [
        # A role word alone, read with its description: the employer's trade before the hiring cue is not the job's
        # domain (a telecom firm's field supervisor of sellers is no network planner) ...
        (
            "Supervisor de Campo",
            "Importante empresa del sector telecomunicaciones requiere: Supervisor de campo en la ciudad de Guayaquil. "
            "Requisitos: experiencia en ventas como supervisor de vendedores, manejo de equipos comerciales y "
            "cumplimiento de metas de ventas.",
            "2523",
        ),
        # ... nor is a training grant an HR job ...
        ("Técnico", "¡Sumate a nuestra Beca de Formación para técnicos! Tareas en redes de media tensión.", "2423"),
        # ... and an analyst of a parts importer is no shop assistant.
        (
            "Analista Sr de Operaciones",
            "Empresa importadora de repuestos y accesorios para celulares con fuerte presencia en el canal digital.",
            "5223",
        ),
    ],
)
def test_the_employer_presented_first_names_no_job(
    coder: OccupationCoder, title: str, description: str, not_group: str
) -> None:
    assert coder.code(title, description).isco_code != not_group


def test_a_description_that_opens_with_the_tasks_still_places_a_role_word(coder: OccupationCoder) -> None:
    code = coder.code(
        "Asistente",
        "Funciones principales: reclutamiento y selección de personal, entrevistas a candidatos, seguimiento de "
        "procesos de selección y tareas administrativas.",
    )
    assert code.isco_code == "4416"
    sellers = coder.code(
        "Supervisor de Campo",
        "Importante empresa del sector telecomunicaciones requiere: Supervisor de campo. Requisitos: experiencia en "
        "ventas como supervisor de vendedores, manejo de equipos comerciales y cumplimiento de metas de ventas.",
    )
    assert sellers.isco_code == "3322"


@pytest.mark.parametrize(
    "title", ["Analista de Repuestos", "ANALISTA DE OPERACIONES DE TALLER", "Analista de mostrador"]
)
def test_an_analyst_is_never_coded_to_the_trade_he_analyses(coder: OccupationCoder, title: str) -> None:
    code = coder.code(title)
    assert code.isco_code is None or code.isco_code[:1] not in "56789", code


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # A support word names the field it supports; alone (or with IT words) it is IT support.
        ("Especialista de Soporte Comercial (Portugués)", "3322"),
        ("Trabajo Desde Casa Asistente de Soporte de Capacitación de Talento", "4416"),
        ("Técnico de soporte", "3512"),
        ("Analista de Soporte SAP", "2511"),
        # ... and so does a project word ("Líder de Proyecto ERP/POS" was a management analyst).
        ("Lider de Proyecto ERP/POS", "2511"),
        ("Coordinador/a de Proyecto Logístico", "4323"),
        # "Ingeniero en X" is the engineer of X, as "Ingeniero X" is ("Ingeniero en Mecánica" was a car mechanic).
        ("Ingeniero en Electrónica Digital", "2152"),
        ("Ingeniero en Mecánica", "2144"),
        ("Ingeniero Electrónico", "2152"),
        # A "profesional" of a field is its professional, not its clerk ("Profesionales Contable e Impositivo" was
        # an accounting clerk).
        ("Profesionales Contable e Impositivo", "2411"),
        ("PROFESIONAL EN HIGIENE Y SEGURIDAD EN EL TRABAJO", "2263"),
        # The terms of the offer after a dash name no job ("Cobertura Médica" was a physician).
        ("Architect IT Senior- Contratación Directa- Cobertura Médica", "2511"),
    ],
)
def test_general_readings_of_new_titles(coder: OccupationCoder, title: str, group: str) -> None:
    assert coder.code(title).isco_code == group
