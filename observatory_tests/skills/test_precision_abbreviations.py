"""Skills precision (issue 16, parts 1-3): a Spanish plural abbreviation ("EE. UU.", "RR.HH.") is one word, not two
sentence ends; a phrase that ends in a place after a preposition is where, not what; a surface keeps the ")" that
closes the parenthesis it opened ("Profesor(a)", "inglés (intermedio-avanzado)")."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor
from observatory.skills.open_vocab import initials_end, joined_initials


def _mentions(extractor: SkillExtractor, text: str, title: str | None = None) -> list[tuple[str, str]]:
    return [(m.name, m.surface) for m in extractor.extract(text, title=title).mentions]


# -- plural abbreviations: 21 of 8,172 real postings hold one; 'UU', 'HH', 'subsistemas de RR' were new skills


@pytest.mark.parametrize(
    ("text", "not_name"),
    [
        ("Nivel de inglés intermedio/avanzado, capaz de mantener conversaciones con EE. UU. (excluyente).", "UU"),
        ("Requisitos: Buen conocimiento de las NIIF/GAAP de EE. UU. y Reino Unido.", "UU"),
        ("Mantener conversaciones con EE.UU. (excluyente).", "conversaciones con EE"),
        ("Conocimiento de las normas de EE.UU. y Reino Unido.", "normas de EE"),
        ("Brindar soporte a todos los subsistemas de RR. HH.: reclutamiento y selección, capacitación.", "HH"),
        ("Requisitos: Buen conocimiento de las NIIF/GAAP de EE. UU. y Reino Unido.", "Reino Unido"),
    ],
)  # fmt: skip
def test_a_plural_abbreviation_is_not_cut_into_skills(extractor: SkillExtractor, text: str, not_name: str) -> None:
    names = [name for name, _ in _mentions(extractor, text)]
    assert not_name not in names
    assert not any(name.endswith((" EE", " RR", " UU")) for name in names), names


def test_a_subject_named_by_an_abbreviation_keeps_it_whole(extractor: SkillExtractor) -> None:
    text = "Tareas: Participar en la ejecución de los subsistemas de RR.HH. y reportes."
    found = _mentions(extractor, text)
    assert ("ejecución de los subsistemas de RR.HH", "ejecución de los subsistemas de RR.HH.") in found


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Experiencia en RR.HH. y liquidación de sueldos.", "Experiencia en RR.HH."),
        ("Experiencia en RR. HH. y liquidación de sueldos.", "Experiencia en RR. HH."),
    ],
)
def test_the_abbreviation_reads_as_its_one_word(extractor: SkillExtractor, text: str, surface: str) -> None:
    assert ("Recursos humanos", surface) in _mentions(extractor, text)


def test_the_abbreviation_still_ends_a_sentence(extractor: SkillExtractor) -> None:
    text = "Requisitos: Título universitario en Contabilidad, Finanzas o RR.HH. Inglés avanzado (oral y escrito)."
    names = [name for name, _ in _mentions(extractor, text)]
    assert "Finanzas" in names and "Inglés" in names


@pytest.mark.parametrize(
    ("folded", "joined"),
    [
        ("con EE. UU. (excluyente)", "con EEUU.   (excluyente)"),
        ("nomina de EE.UU., incluyendo", "nomina de EEUU. , incluyendo"),
        ("Lic. en RR.HH, Lic. en", "Lic. en RRHH , Lic. en"),
        ("Empresa S.A. busca", "Empresa S.A. busca"),  # single initials: a company's form stays
        ("Mecanizado CNC.Realizar tareas", "Mecanizado CNC.Realizar tareas"),
        ("ASP.NET y VB.NET", "ASP.NET y VB.NET"),
    ],
)
def test_joined_initials_keeps_the_length(folded: str, joined: str) -> None:
    assert joined_initials(folded) == joined
    assert len(joined_initials(folded)) == len(folded)


def test_a_span_ending_inside_an_abbreviation_ends_after_it() -> None:
    text = "los subsistemas de RR. HH.: reclutamiento"
    assert initials_end(text, 4, text.index("RR") + 4) == text.index(":")
    assert initials_end(text, 4, text.index(" de")) == text.index(" de")


# -- a phrase ending in a place after a preposition: 19 real new skills ("domiciliado en Canning", "costa del Ecuador")


@pytest.mark.parametrize(
    ("text", "not_name"),
    [
        ("Requisitos: Persona domiciliado en Canning o alrededores. Secundario completo.", "domiciliado en Canning"),
        ("Tareas: Realizar visitas en Quito a clientes de la cartera.", "visitas en Quito"),
        ("Requisitos: Experiencia en accesos de CABA y zona sur.", "accesos de CABA"),
    ],
)
def test_a_phrase_ending_in_a_place_is_no_skill(extractor: SkillExtractor, text: str, not_name: str) -> None:
    assert not_name not in [name for name, _ in _mentions(extractor, text)]


def test_a_glued_word_before_a_place_is_still_read(extractor: SkillExtractor) -> None:
    text = "Deseables conocimientos en contabilidad y finanzasResidencia en CABA (excluyente)."
    assert "Finanzas" in [name for name, _ in _mentions(extractor, text)]


# -- a parenthesis the surface opened: its ")" closes it (14 real surfaces ended at "(GCP", "(intermedio-avanzado")


@pytest.mark.parametrize(
    ("text", "title", "surface"),
    [
        ("Colegio busca Profesor(a) de Matemática para nivel secundario.", None, "Profesor(a)"),
        ("Colegio busca docente para nivel secundario.", "Profesor(a) de Matemática", "Profesor(a)"),
        ("Manejo de idioma inglés (intermedio-avanzado).", None, "idioma inglés (intermedio-avanzado)"),
        ("Experiencia en Google Cloud Platform (GCP), AWS o Azure.", None, "Google Cloud Platform (GCP)"),
    ],
)
def test_a_surface_closes_its_parenthesis(
    extractor: SkillExtractor, text: str, title: str | None, surface: str
) -> None:
    result = extractor.extract(text, title=title)
    surfaces = [m.surface for m in result.mentions]
    assert surface in surfaces
    assert all(s.count("(") == s.count(")") for s in surfaces), surfaces
    for mention in result.mentions:
        if mention.method != "title":
            assert text[mention.start : mention.end] == mention.surface


def test_a_parenthesis_closed_later_is_left_alone(extractor: SkillExtractor) -> None:
    text = "Conocimientos de Excel (tablas dinámicas) y SAP."
    assert ("Excel", "Excel") in _mentions(extractor, text)


# -- a CamelCase name made of a known skill and a suffix, where the vocabulary names it (3 real postings)


@pytest.mark.parametrize(
    ("text", "name", "surface"),
    [
        ("Metodologías Ágiles (Scrum, Kanban, ScrumBan, otros marcos de Agilidad).", "Scrum", "ScrumBan"),
        ("Experiencia en desarrollo de tiendas ShopifyPlus y Klaviyo.", "Shopify", "ShopifyPlus"),
        ("Integración de análisis de código estático (SonarQube / SonarCloud).", "SonarQube", "SonarCloud"),
        ("Análisis de código estático con Sonar Cloud y GitHub Actions.", "SonarQube", "Sonar Cloud"),
    ],
)
def test_a_product_name_of_a_known_skill_gives_it(
    built_extractor: SkillExtractor, text: str, name: str, surface: str
) -> None:
    found = _mentions(built_extractor, text)
    assert (name, surface) in found
    assert not {"ScrumBan", "ShopifyPlus", "SonarCloud", "Cloud", "Plus", "Ban"} & {n for n, _ in found}, found


@pytest.mark.parametrize(
    ("text", "not_name"),
    [
        ("Monitoreo con CloudWatch y ThousandEyes.", "Cloud"),
        ("Monitoreo con CloudWatch y ThousandEyes.", "Thousand"),
        ("Gestión de sitios en WordPress y HubSpot.", "Word"),
    ],
)
def test_a_part_of_a_product_name_is_no_skill(built_extractor: SkillExtractor, text: str, not_name: str) -> None:
    assert not_name not in [name for name, _ in _mentions(built_extractor, text)]


# -- an abbreviation written with a dot: 'Lic' (48 real mentions), 'Ing' (18), 'Cs', 'Adm' (7 each) were new skills


@pytest.mark.parametrize(
    ("text", "not_name"),
    [
        ("Requisitos: Graduados en Lic. En Psicología, RRHH o carreras afines.", "Lic"),
        ("NIVEL ACADÉMICO: 1er año de carrera de Administración de empresas. Ing. comercial. Pedagogía.", "Ing"),
        ("Requisitos: Estudiante de las carreras de Cs. Económicas, Administración de empresas o afines.", "Cs"),
        ("Requisitos:\n• Estudios en Adm. de Empresas. Marketing o afines.", "Adm"),
        ("Requisitos: Estudiante y/o Graduado de Tec., Lic. en Sistemas.", "Tec"),
        ("Se valorará experiencia en cías. de Agro Industria.", "cías"),
        ("Requisitos: manejo de sistemas de gestión agropecuaria, ej. Finnegan (deseable).", "ej"),
    ],
)
def test_an_abbreviation_cut_at_its_dot_is_no_skill(extractor: SkillExtractor, text: str, not_name: str) -> None:
    assert not_name not in [name for name, _ in _mentions(extractor, text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Requisitos: Graduados en Lic. En Psicología o carreras afines.", "Psicología"),
        ("Requisitos: manejo de contenido y Mkt. Manejo de redes sociales.", "Redes sociales"),
    ],
)
def test_what_follows_an_abbreviation_is_still_read(extractor: SkillExtractor, text: str, name: str) -> None:
    assert name in [found for found, _ in _mentions(extractor, text)]
