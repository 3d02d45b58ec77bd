"""Precision on real-looking postings: what a careful reader would not list as a skill the posting asks for
(the company's mission and values, perks, one-fact headers, job titles, departments, trade words)."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor, default_extractor
from observatory.skills.normalize import fold
from observatory.skills.sections import PostingStructure


def _section(text: str, word: str, nth: int = 0) -> str:
    structure = PostingStructure.parse(fold(text))
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return structure.section_at(start)[0]


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return default_extractor()


def test_mission_vision_and_values_are_the_company() -> None:
    text = (
        "Misión: Brindar a nuestros clientes soluciones de logística integral.\n"
        "Visión: Ser la empresa líder en comercio exterior de la región.\n"
        "Nuestros valores:\n- Vocación de servicio\n- Actitud innovadora\n"
        "Requisitos:\n- Experiencia en Python\n- Visión de negocio"
    )
    assert _section(text, "logística") == "company"
    assert _section(text, "comercio exterior") == "company"
    assert _section(text, "Vocación de servicio") == "company"
    assert _section(text, "Python") == "requirements"
    # "Visión de negocio" inside a list is a competence asked of the candidate, not a header.
    assert _section(text, "negocio") == "requirements"


def test_the_role_s_own_mission_stays_demand() -> None:
    text = "Misión: Detectar, categorizar y responder incidentes de seguridad con Splunk y Python.\nBeneficios: prepaga"
    assert _section(text, "Splunk") == "other"
    capitals = "Somos una cadena líder con 40 sucursales.MISIÓN DEL PUESTOLiderar la contabilidad con Tango."
    assert _section(capitals, "Tango") == "responsibilities"


def test_company_presented_by_name_and_its_mission_sentence() -> None:
    text = (
        "Somos Ecosistemas, una compañía global de tecnología que crea software con inteligencia artificial. "
        "En Acme nuestra misión es acompañar a personas y empresas con servicios de auditoría. "
        "Buscamos un desarrollador con Kotlin."
    )
    assert _section(text, "inteligencia artificial") == "company"
    assert _section(text, "auditoría") == "company"
    assert _section(text, "Kotlin") == "other"


def test_english_benefit_headers() -> None:
    text = (
        "What you'll do\n- Build APIs in Go\n"
        "What's in it for you\n- Health insurance\n- Hardware and software setup for you to work from home\n"
        "Perks & Benefits:\n- English classes\n- Learning budget for Coursera"
    )
    assert _section(text, "Go") == "responsibilities"
    assert _section(text, "Hardware") == "benefits"
    assert _section(text, "English classes") == "benefits"


def test_perks_inside_a_requirements_list_are_benefits() -> None:
    text = (
        "Requisitos:\n- Java\n- Clases de inglés in company\n- Reintegro por guardería y cuidado de niños\n"
        "- Docker\n- Experiencia en venta de seguros de vida\n"
        "Requirements: Python. Health insurance and gym membership. Strong SQL skills."
    )
    assert _section(text, "Java") == "requirements"
    assert _section(text, "inglés") == "benefits"
    assert _section(text, "cuidado de niños") == "benefits"
    assert _section(text, "Docker") == "requirements"
    # A clause that asks for something keeps its section even when it names a perk.
    assert _section(text, "seguros de vida") == "requirements"
    assert _section(text, "Health insurance") == "benefits"
    assert _section(text, "SQL") == "requirements"


def test_a_one_fact_header_covers_its_sentence_only() -> None:
    # Portals strip newlines: the requirements after "Horarios: …." are not part of the schedule.
    text = (
        "Requisitos: Secundario completo. Modalidad de trabajo: 100% presencial. Horarios: L a V de 8 a 17 hs. "
        "Experiencia previa en tareas administrativas y Excel. Zona de trabajo: Congreso, CABA.Si te gusta "
        "trabajar en equipo, postulate."
    )
    assert _section(text, "presencial") == "benefits"
    assert _section(text, "L a V") == "benefits"
    assert _section(text, "Excel") == "requirements"
    assert _section(text, "trabajar en equipo") == "requirements"


def test_headers_glued_without_colon_in_capitals_and_as_questions() -> None:
    text = (
        "Trabajamos con Sancor y HominisRequisitos Experiencia comprobable en ventas. "
        "Base provista por la empresa.Beneficios Prepaga y bono. "
        "Somos líderes en el rubro. PRINCIPALES RESPONSABILIDADES • Liquidación de impuestos • Uso de Tango. "
        "¿Qué ofrecemos? Capacitación en Salesforce. "
        "¿A quién buscamos? Personas con manejo de Excel. "
        "Trabajamos según la demanda de la empresa ¿Qué buscamos? Profesional con SAP."
    )
    assert _section(text, "ventas") == "requirements"
    assert _section(text, "Prepaga") == "benefits"
    assert _section(text, "impuestos") == "responsibilities"
    assert _section(text, "Salesforce") == "benefits"
    assert _section(text, "Excel") == "requirements"
    assert _section(text, "SAP") == "requirements"


def test_extractor_drops_english_and_spanish_perks(extractor: SkillExtractor) -> None:
    english = (
        "Requirements\n- 3+ years with React and TypeScript\n"
        "- Excellent compensation in USD\n- Hardware and software setup for you to work from home\n"
        "- Health insurance\n- English classes"
    )
    names = set(extractor.extract(english).skill_names)
    assert {"React", "TypeScript"} <= names
    assert "Hardware" not in names and "Inglés" not in names
    spanish = "Requisitos: manejo de Excel. Ofrecemos prepaga OSDE, clases de inglés y descuentos en gimnasios."
    names = set(extractor.extract(spanish).skill_names)
    assert "Excel" in names and "Inglés" not in names
