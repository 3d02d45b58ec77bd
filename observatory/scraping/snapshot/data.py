"""The invented postings of the offline snapshot (realistic Spanish, fictitious companies and people).

:mod:`observatory.scraping.snapshot.build` renders them into each portal's page structure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

BUILD_NOW = datetime(2026, 11, 28, 9, 0)


@dataclass(frozen=True)
class Role:
    """A kind of job: title variants, an introduction, tasks, requirements and the skills it names."""

    titles: tuple[str, ...]
    intro: str
    tasks: tuple[str, ...]
    requirements: tuple[str, ...]
    skills: tuple[str, ...]
    education: str
    years: int
    salary: tuple[int, int]  # monthly, in COP thousands (scaled per country)


ROLES: dict[str, Role] = {
    "data_analyst": Role(
        ("Analista de Datos", "Analista de Datos Junior", "Analista de Inteligencia de Negocios"),
        "Buscamos una persona analítica que convierta datos de ventas y operaciones en decisiones.",
        (
            "Construir tableros de seguimiento en Power BI para las áreas comerciales.",
            "Escribir consultas SQL sobre el almacén de datos y validar la calidad de la información.",
            "Automatizar reportes recurrentes con Python (pandas) y Excel avanzado.",
            "Presentar hallazgos a gerencia de forma clara.",
        ),
        (
            "Manejo de SQL y Excel avanzado (tablas dinámicas, BUSCARV).",
            "Conocimientos de Python para análisis de datos.",
            "Inglés intermedio B1 o superior.",
        ),
        ("SQL", "Excel", "Python", "Power BI"),
        "Universitaria / Profesional",
        2,
        (4500, 6000),
    ),
    "backend_python": Role(
        ("Desarrollador Backend Python", "Desarrollador/a Python Senior", "Ingeniero de Software Python"),
        "Sumate a un equipo de producto que construye servicios de pagos usados por miles de comercios.",
        (
            "Diseñar y mantener APIs REST con Django y FastAPI.",
            "Modelar bases de datos PostgreSQL y optimizar consultas.",
            "Desplegar servicios en AWS (ECS, Lambda, S3) con Docker y Terraform.",
            "Escribir pruebas automatizadas y participar en revisiones de código.",
        ),
        (
            "Experiencia sólida en Python, Django o FastAPI.",
            "Conocimientos de Docker, Git y metodologías ágiles (Scrum).",
            "Inglés B2 para reuniones con equipos de Estados Unidos.",
        ),
        ("Python", "Django", "FastAPI", "PostgreSQL", "AWS", "Docker", "Git", "Scrum"),
        "Universitaria / Profesional",
        3,
        (9000, 13000),
    ),
    "frontend": Role(
        ("Desarrollador Frontend React", "Desarrollador/a Frontend", "Programador Web Frontend"),
        "Estamos creciendo y buscamos talento para nuestro equipo de experiencia de usuario.",
        (
            "Desarrollar interfaces web con React, TypeScript y Next.js.",
            "Maquetar componentes accesibles con HTML5 y CSS3.",
            "Integrar servicios REST y GraphQL.",
            "Colaborar con diseño UX/UI usando Figma.",
        ),
        ("Dominio de JavaScript y TypeScript.", "Experiencia con React y pruebas con Jest.", "Manejo de Git."),
        ("JavaScript", "TypeScript", "React", "HTML", "CSS", "Git"),
        "Técnico / Tecnólogo",
        2,
        (6000, 9000),
    ),
    "devops": Role(
        ("Ingeniero DevOps", "DevOps Engineer Semi Senior", "Especialista en Infraestructura Cloud"),
        "Nuestro cliente, una fintech regional, busca reforzar su equipo de plataforma.",
        (
            "Administrar clústeres de Kubernetes y pipelines de CI/CD en GitLab.",
            "Automatizar infraestructura en AWS y Azure con Terraform.",
            "Monitorear servicios con Prometheus y Grafana.",
            "Gestionar servidores Linux y redes.",
        ),
        ("Experiencia con Kubernetes, Docker y Linux.", "Certificación AWS deseable.", "Inglés técnico."),
        ("Kubernetes", "Docker", "AWS", "Azure", "Terraform", "Linux"),
        "Universitaria / Profesional",
        4,
        (10000, 15000),
    ),
    "sap": Role(
        ("Consultor SAP FI/CO", "Analista Funcional SAP", "Consultor SAP MM"),
        "Importante consultora multinacional requiere consultor para proyectos de implementación.",
        (
            "Levantar requerimientos con usuarios de finanzas y compras.",
            "Configurar módulos de SAP S/4HANA y documentar procesos.",
            "Acompañar pruebas integrales y la salida en vivo.",
        ),
        ("Experiencia en implementaciones SAP.", "Conocimientos de contabilidad y costos.", "Inglés intermedio."),
        ("SAP", "Contabilidad", "Inglés"),
        "Universitaria / Profesional",
        3,
        (8000, 12000),
    ),
    "customer_service": Role(
        ("Asesor de Servicio al Cliente", "Agente de Call Center Bilingüe", "Ejecutivo de Atención al Cliente"),
        "¿Te gusta ayudar a las personas? Únete a nuestro centro de contacto.",
        (
            "Brindar atención al cliente por teléfono, chat y correo electrónico.",
            "Registrar casos en el CRM (Salesforce) y hacer seguimiento hasta su cierre.",
            "Cumplir indicadores de calidad y tiempo de respuesta.",
        ),
        (
            "Bachiller o técnico con experiencia en atención al cliente.",
            "Manejo de herramientas ofimáticas (Word, Excel).",
            "Excelente comunicación verbal y escrita.",
        ),
        ("Atención al cliente", "Salesforce", "Excel", "Comunicación"),
        "Bachillerato / Educación Media",
        1,
        (1500, 2200),
    ),
    "accountant": Role(
        ("Contador Público", "Analista Contable", "Auxiliar Contable"),
        "Empresa del sector manufacturero requiere profesional para su área financiera.",
        (
            "Registrar operaciones contables y conciliaciones bancarias.",
            "Preparar declaraciones de impuestos y reportes bajo NIIF.",
            "Apoyar el cierre mensual en SAP Business One.",
        ),
        ("Título en Contaduría Pública.", "Manejo de Excel avanzado.", "Conocimiento de normas NIIF."),
        ("Contabilidad", "NIIF", "Excel", "SAP"),
        "Universitaria / Profesional",
        2,
        (3000, 4500),
    ),
    "sales": Role(
        ("Ejecutivo Comercial B2B", "Asesor Comercial", "Vendedor Externo"),
        "Buscamos un perfil comercial con hambre de resultados para crecer en la región.",
        (
            "Prospectar clientes empresariales y gestionar el embudo de ventas en HubSpot.",
            "Preparar propuestas y negociar condiciones.",
            "Cumplir metas mensuales de ventas.",
        ),
        ("Experiencia en ventas consultivas.", "Licencia de conducción vigente.", "Manejo de CRM."),
        ("Ventas", "Negociación", "HubSpot", "CRM"),
        "Técnico / Tecnólogo",
        1,
        (2000, 3500),
    ),
    "nurse": Role(
        ("Enfermera Jefe", "Auxiliar de Enfermería", "Enfermero/a Profesional"),
        "Clínica de alta complejidad requiere personal de enfermería para el servicio de urgencias.",
        (
            "Valorar y atender pacientes según protocolos institucionales.",
            "Administrar medicamentos y registrar la historia clínica.",
            "Coordinar al equipo auxiliar en el turno.",
        ),
        ("Tarjeta profesional vigente.", "Curso de soporte vital básico (BLS).", "Disponibilidad para turnos."),
        ("Enfermería", "Atención al paciente", "Soporte vital básico"),
        "Universitaria / Profesional",
        1,
        (3200, 4200),
    ),
    "logistics": Role(
        ("Coordinador de Logística", "Analista de Compras e Importaciones", "Jefe de Bodega"),
        "Compañía de consumo masivo busca líder para su centro de distribución.",
        (
            "Planificar inventarios y despachos con el ERP.",
            "Gestionar proveedores, importaciones y trámites de comercio exterior.",
            "Elaborar indicadores logísticos en Excel.",
        ),
        ("Experiencia en logística y cadena de abastecimiento.", "Excel intermedio.", "Inglés básico."),
        ("Logística", "Excel", "Comercio exterior", "Inventarios"),
        "Técnico / Tecnólogo",
        3,
        (3500, 5000),
    ),
    "data_scientist": Role(
        ("Científico de Datos", "Data Scientist Senior", "Ingeniero de Machine Learning"),
        "Nuestro equipo de analítica avanzada busca a alguien que lleve modelos a producción.",
        (
            "Entrenar modelos de machine learning con scikit-learn y PyTorch.",
            "Preparar datos con Python, SQL y Spark.",
            "Desplegar modelos en la nube (GCP o AWS) y monitorearlos.",
            "Comunicar resultados a áreas de negocio.",
        ),
        ("Maestría o especialización deseable.", "Estadística sólida.", "Inglés avanzado C1."),
        ("Python", "SQL", "Machine learning", "Spark", "Estadística", "GCP"),
        "Postgrado / Especialización",
        3,
        (11000, 16000),
    ),
    "teacher": Role(
        ("Docente de Inglés", "Profesor de Matemáticas", "Tutor Académico Virtual"),
        "Institución educativa bilingüe abre convocatoria para el próximo periodo académico.",
        (
            "Planear y dictar clases presenciales y virtuales.",
            "Evaluar el progreso de los estudiantes.",
            "Usar plataformas como Moodle y Google Classroom.",
        ),
        ("Licenciatura en el área.", "Inglés C1 certificado para la plaza de inglés.", "Vocación de servicio."),
        ("Docencia", "Inglés", "Moodle"),
        "Universitaria / Profesional",
        2,
        (2800, 3800),
    ),
}

COMPANIES = {
    "co": [
        "Nimbus Analytics S.A.S.",
        "Clínica Santa Lucía",
        "Grupo Andino de Alimentos",
        "Finanzas Cóndor",
        "Colegio Bilingüe Los Nogales",
        "Logística del Caribe S.A.S.",
        "Telecontacto BPO",
    ],
    "mx": [
        "Soluciones Quetzal",
        "Banco Popular del Bajío",
        "Distribuidora Azteca",
        "Hospital Ángeles del Norte",
        "Consultoría Maya IT",
    ],
    "ar": [
        "Pampa Pagos",
        "Tango Software Factory",
        "Consultora Río de la Plata",
        "Laboratorios Patagonia",
        "Nimbus Analytics S.A.S.",
    ],
}
PLACES = {
    "co": [
        ("Bogotá, D.C.", "Bogotá, D.C."),
        ("Medellín", "Antioquia"),
        ("Cali", "Valle del Cauca"),
        ("Barranquilla", "Atlántico"),
        ("Bucaramanga", "Santander"),
    ],
    "mx": [
        ("Ciudad de México", "CDMX"),
        ("Guadalajara", "Jalisco"),
        ("Monterrey", "Nuevo León"),
        ("Querétaro", "Querétaro"),
    ],
    "ar": [
        ("Capital Federal", "Buenos Aires"),
        ("Córdoba", "Córdoba"),
        ("Rosario", "Santa Fe"),
        ("La Plata", "Buenos Aires"),
    ],
}
SALARY_SCALE = {"co": ("$", 1000, "COP"), "mx": ("$", 4.5, "MXN"), "ar": ("$", 330, "ARS")}
CONTRACTS = [
    "Contrato a término indefinido",
    "Contrato a término fijo",
    "Contrato por obra o labor",
    "Contrato de prestación de servicios",
]
MODES = ["Presencial", "Presencial y remoto", "Remoto"]


@dataclass
class Posting:
    """One invented posting on one source."""

    source: str
    native_id: str
    role: str
    title: str
    company: str | None  # None: confidential
    city: str
    region: str
    posted: datetime
    salary: tuple[int, int] | None
    contract: str
    mode: str
    description: list[str]  # paragraphs; lines starting with "- " are bullets
    skills: tuple[str, ...]
    education: str
    years: int
    languages: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def country(self) -> str:
        return self.source.split("-")[0]


def _description(role: Role, rng: random.Random, company: str | None) -> list[str]:
    who = f"En {company} " if company else "Importante empresa del sector "
    paragraphs = [
        role.intro,
        who + "ofrece estabilidad, capacitación continua y un excelente ambiente laboral.",
        "Responsabilidades:",
        *("- " + t for t in role.tasks),
        "Requisitos:",
        *("- " + r for r in role.requirements),
        "Ofrecemos: "
        + rng.choice(
            [
                "medicina prepagada y bonos por desempeño.",
                "horario flexible y días de estudio.",
                "plan de carrera y seguro de vida.",
                "prestaciones superiores a las de ley.",
            ]
        ),
    ]
    return paragraphs


def _hex_id(rng: random.Random) -> str:
    # Computrabajo ids end with the same 16 hex digits per site generation, like the real ones.
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(16)) + "7A21C3E5D9B04F18"


def build_postings() -> list[Posting]:
    """The deterministic table of postings (seeded), near-duplicates and special cases included."""
    rng = random.Random(2026)
    postings: list[Posting] = []
    counts = {"co-computrabajo": 24, "mx-computrabajo": 10, "ar-computrabajo": 10, "ar-bumeran": 24, "co-elempleo": 12}
    role_keys = list(ROLES)
    start = datetime(2026, 6, 2, 8, 0)
    span_minutes = int((BUILD_NOW - timedelta(days=1) - start).total_seconds() // 60)
    bumeran_id = 1118200000
    elempleo_id = 1884700000
    for source, n in counts.items():
        country = source.split("-")[0]
        for i in range(n):
            role_key = role_keys[(i * 5 + len(source)) % len(role_keys)]
            role = ROLES[role_key]
            company = rng.choice(COMPANIES[country]) if i % 9 != 4 else None
            city, region = rng.choice(PLACES[country])
            posted = start + timedelta(minutes=rng.randrange(span_minutes))
            if i < 3:  # the freshest postings: the last days before the snapshot
                posted = BUILD_NOW - timedelta(hours=5 + 20 * i)
            _, scale, _ = SALARY_SCALE[country]
            salary = None
            if rng.random() < 0.55:
                low = round(role.salary[0] * scale / 100) * 100
                high = round(role.salary[1] * scale / 100) * 100
                salary = (low, high) if rng.random() < 0.5 else (low, low)
            if portal_of(source) == "bumeran":
                bumeran_id += rng.randrange(500, 9000)
                native = str(bumeran_id)
            elif portal_of(source) == "elempleo":
                elempleo_id += rng.randrange(50, 900)
                native = str(elempleo_id)
            else:
                native = _hex_id(rng)
            postings.append(
                Posting(
                    source=source,
                    native_id=native,
                    role=role_key,
                    title=rng.choice(role.titles),
                    company=company,
                    city=city,
                    region=region,
                    posted=posted,
                    salary=salary,
                    contract=rng.choice(CONTRACTS),
                    mode=rng.choice(MODES),
                    description=_description(role, rng, company),
                    skills=role.skills,
                    education=role.education,
                    years=role.years + rng.randrange(0, 3),
                    languages="Inglés"
                    if "Inglés" in " ".join(role.requirements) or "B2" in " ".join(role.requirements)
                    else None,
                )
            )
    _add_special_cases(postings, rng)
    return postings


def portal_of(source: str) -> str:
    return source.split("-", 1)[1].replace("zonajobs", "bumeran")


def _twin(original: Posting, source: str, native_id: str, posted: datetime, **changes: str) -> Posting:
    data = dict(original.__dict__)
    data.update(source=source, native_id=native_id, posted=min(posted, BUILD_NOW - timedelta(hours=2)), **changes)
    data["description"] = list(original.description)
    return Posting(**data)


def _add_special_cases(postings: list[Posting], rng: random.Random) -> None:
    by_source: dict[str, list[Posting]] = {}
    for p in postings:
        by_source.setdefault(p.source, []).append(p)
    # Cross-portal near-duplicate: the same Bogotá ad on Computrabajo and ElEmpleo
    # (the ElEmpleo copy ends with a call to apply).
    co = next(p for p in by_source["co-computrabajo"] if p.role == "data_analyst" and p.company)
    twin = _twin(co, "co-elempleo", "1884799901", co.posted + timedelta(days=1))
    twin.description[-1] = twin.description[-1] + " ¡Postúlate hoy!"
    postings.append(twin)
    # Cross-portal near-duplicate: an Argentine ad on Computrabajo and on Bumeran.
    ar = next(p for p in by_source["ar-computrabajo"] if p.company)
    postings.append(_twin(ar, "ar-bumeran", "1118299901", ar.posted + timedelta(hours=6)))
    # A repost on the same portal: new id, same text, a month later.
    repost = next(p for p in by_source["co-computrabajo"] if p.role == "customer_service")
    postings.append(_twin(repost, "co-computrabajo", _hex_id(rng), repost.posted + timedelta(days=30)))
    # A posting whose text quotes markup: it must stay text, never become markup.
    xss = by_source["co-computrabajo"][5]
    xss.description.insert(
        1, "Importante: nunca pegues código como <script>alert(1)</script> en el formulario de postulación."
    )
    # Older markup (schema.org microdata, no JSON-LD) and a windows-1252 page on Computrabajo México.
    by_source["mx-computrabajo"][3].extra["markup"] = "microdata"
    by_source["mx-computrabajo"][4].extra["encoding"] = "windows-1252"
    # A card whose detail page no longer exists (the site redirects to the listing).
    by_source["co-computrabajo"][7].extra["detail"] = "gone"
    # A card with a broken id (the validation pipeline must count it, with its reason).
    by_source["ar-computrabajo"][6].extra["bad_id"] = "NO-ES-UN-ID"
