"""Precision on real-looking postings: what a careful reader would not list as a skill the posting asks for
(the company's mission and values, perks, one-fact headers, job titles, departments, trade words)."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor
from observatory.skills.normalize import fold
from observatory.skills.sections import PostingStructure


def _section(text: str, word: str, nth: int = 0) -> str:
    structure = PostingStructure.parse(fold(text))
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return structure.section_at(start)[0]


# (posting text, {words: the section they fall in}): what each case shows is in its comment.
SECTION_CASES = [
    pytest.param(
        "Misión: Brindar a nuestros clientes soluciones de logística integral.\n"
        "Visión: Ser la empresa líder en comercio exterior de la región.\n"
        "Nuestros valores:\n- Vocación de servicio\n- Actitud innovadora\n"
        "Requisitos:\n- Experiencia en Python\n- Visión de negocio",
        # "Visión de negocio" inside a list is a competence asked of the candidate, not a header.
        {"logística": "company", "comercio exterior": "company", "Vocación de servicio": "company",
         "Python": "requirements", "negocio": "requirements"},
        id="mission-vision-and-values-are-the-company",
    ),
    pytest.param(
        "Misión: Detectar, categorizar y responder incidentes de seguridad con Splunk y Python.\nBeneficios: prepaga",
        {"Splunk": "other"},
        id="the-role-s-own-mission-stays-demand",
    ),
    pytest.param(
        "Somos una cadena líder con 40 sucursales.MISIÓN DEL PUESTOLiderar la contabilidad con Tango.",
        {"Tango": "responsibilities"},
        id="the-role-s-own-mission-in-capitals",
    ),
    pytest.param(
        "Somos Ecosistemas, una compañía global de tecnología que crea software con inteligencia artificial. "
        "En Acme nuestra misión es acompañar a personas y empresas con servicios de auditoría. "
        "Buscamos un desarrollador con Kotlin.",
        {"inteligencia artificial": "company", "auditoría": "company", "Kotlin": "other"},
        id="company-presented-by-name-and-its-mission-sentence",
    ),
    pytest.param(
        "What you'll do\n- Build APIs in Go\n"
        "What's in it for you\n- Health insurance\n- Hardware and software setup for you to work from home\n"
        "Perks & Benefits:\n- English classes\n- Learning budget for Coursera",
        {"Go": "responsibilities", "Hardware": "benefits", "English classes": "benefits"},
        id="english-benefit-headers",
    ),
    pytest.param(
        "Requisitos:\n- Java\n- Clases de inglés in company\n- Reintegro por guardería y cuidado de niños\n"
        "- Docker\n- Experiencia en venta de seguros de vida\n"
        "Requirements: Python. Health insurance and gym membership. Strong SQL skills.",
        # A clause that asks for something keeps its section even when it names a perk ("seguros de vida").
        {"Java": "requirements", "inglés": "benefits", "cuidado de niños": "benefits", "Docker": "requirements",
         "seguros de vida": "requirements", "Health insurance": "benefits", "SQL": "requirements"},
        id="perks-inside-a-requirements-list-are-benefits",
    ),
    pytest.param(
        # Portals strip newlines: the requirements after "Horarios: …." are not part of the schedule.
        "Requisitos: Secundario completo. Modalidad de trabajo: 100% presencial. Horarios: L a V de 8 a 17 hs. "
        "Experiencia previa en tareas administrativas y Excel. Zona de trabajo: Congreso, CABA.Si te gusta "
        "trabajar en equipo, postulate.",
        {"presencial": "benefits", "L a V": "benefits", "Excel": "requirements", "trabajar en equipo": "requirements"},
        id="a-one-fact-header-covers-its-sentence-only",
    ),
    pytest.param(
        "Trabajamos con Sancor y HominisRequisitos Experiencia comprobable en ventas. "
        "Base provista por la empresa.Beneficios Prepaga y bono. "
        "Somos líderes en el rubro. PRINCIPALES RESPONSABILIDADES • Liquidación de impuestos • Uso de Tango. "
        "¿Qué ofrecemos? Capacitación en Salesforce. "
        "¿A quién buscamos? Personas con manejo de Excel. "
        "Trabajamos según la demanda de la empresa ¿Qué buscamos? Profesional con SAP.",
        {"ventas": "requirements", "Prepaga": "benefits", "impuestos": "responsibilities", "Salesforce": "benefits",
         "Excel": "requirements", "SAP": "requirements"},
        id="headers-glued-without-colon-in-capitals-and-as-questions",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "sections"), SECTION_CASES)
def test_words_fall_in_the_section_a_reader_sees(text: str, sections: dict[str, str]) -> None:
    assert {word: _section(text, word) for word in sections} == sections


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


@pytest.fixture(scope="module")
def matcher() -> SkillExtractor:
    """Vocabulary and ESCO matching alone: the rules under test, without open-vocabulary candidates."""
    return SkillExtractor(open_vocabulary=False)


def _names(extractor: SkillExtractor, text: str, title: str | None = None) -> set[str]:
    return set(extractor.extract(text, title).skill_names)


def test_job_title_words_are_not_skills(matcher: SkillExtractor) -> None:
    teacher = "Nos encontramos en la búsqueda de Docente de Nivel Inicial para colegio bilingüe."
    assert "Docencia" not in _names(matcher, teacher, "Docente / auxiliar docente")
    driver = "Importante distribuidora busca Chofer de reparto para la zona sur."
    assert "Licencia de conducir" not in _names(matcher, driver, "Chófer 3.5 toneladas")
    account = "The Key Account Manager will oversee the portfolio. Familiarity with Salesforce."
    assert _names(matcher, account, "Key Account Manager") == {"Salesforce"}
    developer = "Buscamos Programador Fullstack SSR con experiencia en React."
    assert "Desarrollo full stack" not in _names(matcher, developer, "Programador Fullstack SSR")
    assert "React" in _names(matcher, developer)
    # A job title counts where the posting names the trade itself, holds it as a degree or asks for experience
    # in the occupation.
    assert "Ventas" in _names(matcher, "Experiencia previa de 2 años en ventas.", "Vendedor polifuncional")
    assert "Contabilidad" in _names(matcher, "Estudiante avanzado de Contador Público, manejo de Excel.")
    assert "Contabilidad" in _names(matcher, "Formación académica en Administración, Contador o afines.")
    assert "Barismo" in _names(matcher, "Requisitos: experiencia previa como barista en cafeterías.")
    assert "Electricidad" in _names(matcher, "Requisitos: Título de Técnico Electricista o equivalente.")


def test_departments_the_job_works_with_are_not_skills(matcher: SkillExtractor) -> None:
    text = (
        "Elaborar reportes de producción. Coordinar con Logística, Abastecimiento y Mantenimiento para asegurar "
        "materiales. Coordinación con el área de tesorería para pagos. Collaborate with Product Management "
        "to define the roadmap."
    )
    names = _names(matcher, text)
    assert not names & {"Logística", "Cadena de suministro", "Mantenimiento", "Tesorería", "Gestión de producto"}
    asked = "Experiencia en logística y abastecimiento. Colaborar con tareas administrativas."
    assert {"Logística", "Cadena de suministro", "Gestión administrativa"} <= _names(matcher, asked)


def test_trade_lists_company_names_and_industries_are_the_employer(matcher: SkillExtractor) -> None:
    clinic = (
        "Empresa especializada en Ginecología, Gastroenterología y Urología busca enfermera con experiencia en "
        "enfermería y atención al paciente."
    )
    names = _names(matcher, clinic)
    assert {"Enfermería", "Atención al paciente"} <= names
    assert not {n for n in names if "gineco" in n.lower() or "digestivo" in n.lower() or "urolog" in n.lower()}
    bakery = "Oferta de empleo: vendedor polifuncional para Panadería California Pancali S.A. Atención al cliente."
    assert "Panadería" not in _names(matcher, bakery)
    industry = "Requirements: Excel reporting. Familiarity with the Entertainment Industry is preferred."
    assert not {n for n in _names(matcher, industry) if "entreten" in n.lower() or "entertain" in n.lower()}


def test_an_umbrella_word_before_the_tools_it_names_is_not_a_skill(matcher: SkillExtractor) -> None:
    assert _names(matcher, "Experiencia con bases de datos SQL y NoSQL.") == {"SQL", "NoSQL"}
    assert _names(matcher, "Experiencia en sistemas de gestión SAP.") == {"SAP"}
    assert _names(matcher, "Dominio de tecnologías backend como Kafka y NestJS.") == {"Kafka", "NestJS"}
    # A named list of examples keeps its head, and tools in a list are never umbrellas of each other.
    names = _names(matcher, "Hands-on experience with relational databases (MySQL, PostgreSQL, Oracle).")
    assert {"MySQL", "PostgreSQL"} <= names and len(names) == 4
    assert "Bases de datos" in _names(matcher, "Experiencia en bases de datos y Python.")


def test_false_friends_and_product_qualities(matcher: SkillExtractor) -> None:
    text = (
        "Diseñar soluciones escalables. Apoyar integraciones con servicios de terceros (Payment Rails, SMS). "
        "Experience in monitoring digital and social crises. Revisar documentación para instrumentación de "
        "garantías. Participate in the development, enhancement, and maintenance of web applications."
    )
    names = _names(matcher, text)
    assert not names & {
        "Escalabilidad",
        "Ruby on Rails",
        "Observabilidad",
        "Instrumentación industrial",
        "Mantenimiento",
    }
    asked = "Ruby on Rails y PostgreSQL. Observabilidad con Prometheus y Grafana. Mantenimiento industrial."
    assert {"Ruby on Rails", "Observabilidad", "Mantenimiento"} <= _names(matcher, asked)


def test_a_short_item_between_perks_is_a_perk(matcher: SkillExtractor) -> None:
    text = (
        "Requisitos:\n- Python\n- Excelente compensación en USD, muy por encima de la media del mercado.\n"
        "- Hardware y software.\n- Horarios flexibles\n- Licencias por maternidad extendidas"
    )
    assert _names(matcher, text) == {"Python"}
    payroll = "Requisitos: experiencia en liquidación de sueldos. Excel avanzado."
    assert {"Nómina", "Excel"} <= _names(matcher, payroll)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (None, None),
        ("", ""),
        (" \n\t ", "  "),
        ("python" * 350_000, None),  # 2 MB of one word
        ("ventas " * 300_000, None),
        (bytes(range(256)).decode("latin-1") * 80, None),  # binary junk read as Latin-1
        ("Python \ud800 Java", "Dev \udcff"),  # lone surrogates (surrogateescape)
    ],
)
def test_bad_or_empty_postings_give_a_clear_result(
    matcher: SkillExtractor, text: str | None, title: str | None
) -> None:
    result = matcher.extract(text, title)
    if text is not None and "Java" in text:
        assert set(result.skill_names) == {"Python", "Java"}
    else:
        assert result.mentions == [] and result.language == "und"


def test_only_a_title(matcher: SkillExtractor) -> None:
    result = matcher.extract(None, "Desarrollador Python")
    assert [(m.name, m.section) for m in result.mentions] == [("Python", "title")]
    assert matcher.extract("", "Vendedor").mentions == []  # a job title alone asks for nothing


def test_esco_labels_of_another_sense_are_not_matched(matcher: SkillExtractor) -> None:
    text = (
        "Conocimiento avanzado en diseño de patrones y código limpio. Asistir a los clientes en la selección de "
        "productos. Realizar charlas sobre los equipos médicos que ofrece la empresa."
    )
    esco = {m.name for m in matcher.extract(text).mentions if m.method == "esco"}
    assert not esco & {"fabricación de patrones", "asistir a visitantes", "productos sanitarios"}
