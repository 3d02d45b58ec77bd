"""The bundled vocabulary: well-formed, broad for tech, and strict about one spelling meaning one skill."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observatory.skills.extractor import SkillExtractor
from observatory.skills.vocabulary import (
    SKILL_TYPES,
    VocabularyError,
    default_vocabulary,
    load_vocabulary,
    parse_entries,
)


def test_bundled_vocabulary_is_broad_and_well_formed() -> None:
    vocabulary = default_vocabulary()
    assert len(vocabulary) >= 400
    categories = {e.category for e in vocabulary}
    assert {
        "programming_language",
        "framework",
        "database",
        "cloud",
        "erp",
        "soft_skill",
        "spoken_language",
    } <= categories
    for entry in vocabulary:
        assert entry.skill_type in SKILL_TYPES
        assert entry.aliases or entry.case_sensitive, entry.id
        assert re.fullmatch(r"[a-z0-9_]+", entry.id), entry.id
        if entry.esco_uri:
            assert entry.esco_uri.startswith("http://data.europa.eu/esco/skill/"), entry.id


def test_canonical_names_as_people_write_them() -> None:
    vocabulary = default_vocabulary()
    for spelling, name in [
        ("python", "Python"), ("nodejs", "Node.js"), ("ms sql server", "SQL Server"), ("powerbi", "Power BI"),
        ("reactjs", "React"), ("inglés", "Inglés"), ("trabajo en equipo", "Trabajo en equipo"), ("k8s", "Kubernetes"),
    ]:  # fmt: skip
        entry = vocabulary.lookup(spelling)
        assert entry is not None and entry.name == name, spelling
    english = vocabulary.lookup("english")
    assert english is not None and english.display_name("en") == "English" and english.display_name("es") == "Inglés"
    assert vocabulary.lookup("python").esco_uri  # type: ignore[union-attr]
    assert vocabulary.lookup("kubernetes").esco_uri is None  # type: ignore[union-attr]  # ESCO lacks it


def test_an_alias_claimed_by_two_skills_is_rejected() -> None:
    with pytest.raises(VocabularyError, match="belongs to both"):
        parse_entries(
            [{"id": "a", "name": "Alpha", "aliases": ["x y"]}, {"id": "b", "name": "Beta", "aliases": ["X Y"]}]
        )
    with pytest.raises(VocabularyError, match="appears twice"):
        parse_entries([{"id": "a", "name": "Alpha"}, {"id": "a", "name": "Beta"}])
    with pytest.raises(VocabularyError, match="unknown skill type"):
        parse_entries([{"id": "a", "name": "Alpha", "type": "vibes"}])


def test_unreadable_vocabulary_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("skills: {not: a list}\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="no 'skills' list"):
        load_vocabulary(bad)
    with pytest.raises(VocabularyError, match="cannot read"):
        load_vocabulary(tmp_path / "missing.yaml")


def test_every_skill_has_one_name_per_reader_language() -> None:
    vocabulary = default_vocabulary()
    for entry in vocabulary:
        assert entry.name_es and entry.name_en, entry.id
        assert entry.display_name("es") == entry.name_es and entry.display_name("en") == entry.name_en
    # One canonical skill whatever the spelling or language of the posting.
    for spellings, es, en in [
        (["teamwork", "trabajo en equipo", "capacidad de trabajo en equipo"], "Trabajo en equipo", "Teamwork"),
        (
            ["communication skills", "habilidades de comunicación", "comunicación efectiva"],
            "Comunicación",
            "Communication",
        ),
        (["customer service", "servicio al cliente", "atención al cliente"], "Atención al cliente", "Customer service"),
        (["Ventas", "gestión de ventas", "televentas"], "Ventas", "Sales"),
    ]:
        entries = {vocabulary.lookup(s) for s in spellings}
        assert len(entries) == 1, spellings
        entry = entries.pop()
        assert entry is not None and (entry.name_es, entry.name_en) == (es, en)


def test_generic_names_name_the_skill_without_matching_alone() -> None:
    vocabulary = parse_entries(
        [{"id": "sales", "name": "Ventas", "name_es": "Ventas", "name_en": "Sales", "match_name": False,
          "aliases": ["experiencia en ventas"]}]
    )  # fmt: skip
    entry = vocabulary["sales"]
    assert entry.aliases == ("experiencia en ventas",)
    assert vocabulary.lookup("sales") is entry and vocabulary.lookup("VENTAS") is entry  # tags still map


def test_trade_skills_are_linked_to_esco_where_esco_has_them() -> None:
    vocabulary = default_vocabulary()
    for skill_id in ("nursing", "first_aid", "forklift", "welding", "accounting", "customer_service", "cooking"):
        assert vocabulary[skill_id].esco_uri, skill_id
    uris = [e.esco_uri for e in vocabulary if e.esco_uri]
    assert len(uris) == len(set(uris))  # one concept, one skill


# Postings written for these tests, one per sector, as Latin American portals word them. A job title alone
# ("Cocinero/a", "Docente de Matemáticas") names no skill: a reader lists the trade where the text asks for it.
SECTOR_POSTINGS = [
    (
        "Ejecutivo/a de Ventas",
        "Requisitos: experiencia comprobable en ventas de intangibles, prospección de clientes y cierre de ventas.\n"
        "Manejo de CRM. Buena dicción. Ofrecemos: sueldo básico + comisiones por ventas.",
        {"sales", "prospecting", "crm", "diction"},
    ),
    (
        "Agente de Call Center",
        "Requisitos: experiencia en call center, atención telefónica y servicio al cliente. Digitación rápida.",
        {"call_center", "phone_handling", "customer_service", "data_entry"},
    ),
    (
        "Asistente Contable",
        "Requisitos: conocimientos de NIIF, conciliaciones bancarias, cuentas por pagar, declaraciones de impuestos "
        "al SRI y elaboración de roles de pago. Manejo de Excel avanzado.",
        {"ifrs", "bank_reconciliation", "accounts_payable", "taxation", "payroll", "excel"},
    ),
    (
        "Auxiliar de Bodega",
        "Funciones: recepción de mercadería, despacho de pedidos, picking y control de inventarios.\n"
        "Requisitos: licencia de conducir tipo B, manejo de montacargas. Conocimientos de WMS.",
        {"goods_receiving", "dispatch", "picking", "inventory_management", "driving_license", "forklift", "wms"},
    ),
    (
        "Cocinero/a",
        "Requisitos: carnet de manipulación de alimentos, conocimientos de BPM y HACCP, repostería básica.",
        {"food_handling", "gmp", "haccp", "pastry"},
    ),
    (
        "Licenciada en Enfermería",
        "Requisitos: atención al paciente, soporte vital básico (BLS), administración de medicamentos, "
        "manejo de historia clínica electrónica y toma de muestras.",
        {"nursing", "patient_care", "basic_life_support", "medication_administration", "medical_records",
         "sample_collection"},
    ),
    (
        "Técnico de Mantenimiento",
        "Requisitos: mantenimiento preventivo y correctivo, electricidad industrial, soldadura MIG, oxicorte, "
        "refrigeración, lectura e interpretación de planos, hidráulica y neumática.",
        {"preventive_maintenance", "electricity", "welding", "oxyfuel_cutting", "refrigeration",
         "blueprint_reading", "hydraulics", "pneumatics"},
    ),
    (
        "Docente de Matemáticas",
        "Requisitos: planificación de clases, manejo de grupo, estrategias pedagógicas y plataformas virtuales como "
        "Moodle.",
        {"lesson_planning", "classroom_management", "pedagogy", "lms"},
    ),
    (
        "Guardia de Seguridad",
        "Requisitos: curso de vigilancia aprobado, monitoreo de cámaras, primeros auxilios y manejo de extintores.",
        {"security_guarding", "cctv", "first_aid", "fire_prevention"},
    ),
    (
        "Desarrollador Full Stack",
        "Requirements: backend and frontend experience, API design, unit testing, code review, technical "
        "documentation, debugging and performance optimization. Teamwork and communication skills.",
        {"backend", "frontend", "apis", "unit_testing", "code_review", "technical_documentation",
         "debugging", "performance_optimization", "teamwork", "communication"},
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor(esco_labels=None)  # the vocabulary alone: what these tests are about


@pytest.mark.parametrize(("title", "text", "expected"), SECTOR_POSTINGS, ids=[p[0] for p in SECTOR_POSTINGS])
def test_sector_postings_give_the_skills_a_reader_lists(
    extractor: SkillExtractor, title: str, text: str, expected: set[str]
) -> None:
    found = set(extractor.extract(text, title).skill_ids)
    assert expected <= found, expected - found


def test_ordinary_words_are_not_skills(extractor: SkillExtractor) -> None:
    text = (
        "Somos una empresa líder en ventas de electrodomésticos con excelente clima laboral.\n"
        "Enviar hoja de vida con fotografía. Ofrecemos comisiones por ventas y capacitación continua.\n"
        "Requisitos: experiencia en atención al cliente."
    )
    found = set(extractor.extract(text, "Office Manager").skill_ids)
    assert "customer_service" in found
    assert not {"sales", "photography", "organizational_climate", "ms_office", "training_development"} & found


# More sectors, written for these tests from the gaps real postings showed (tasks and tools readers list).
MORE_SECTOR_POSTINGS = [
    (
        "Vendedor/a de Campo",
        "Responsabilidades: visitas a clientes, desarrollo de cartera de clientes, manejo de objeciones, "
        "elaborar cotizaciones y gestión de reclamos.",
        {"sales", "key_account_management", "objection_handling", "quotations", "complaints_handling"},
    ),
    (
        "Analista Contable",
        "Tareas: análisis de cuentas, control de cuentas corrientes de proveedores, carga de facturas y "
        "trámites bancarios.",
        {"account_analysis", "current_accounts", "invoicing", "administrative_procedures"},
    ),
    (
        "Operario de Depósito",
        "Tareas: carga y descarga de camiones, embalaje y etiquetado, reparto de mercadería, manejo de clark. "
        "Mantener el orden y limpieza del sector.",
        {"loading_unloading", "packaging", "goods_delivery", "forklift", "cleaning"},
    ),
    (
        "Enfermero/a para Terapia Intensiva",
        "Requisitos: experiencia en terapia intensiva e internación domiciliaria. Se valora facturación de "
        "prestaciones médicas y manejo del nomenclador.",
        {"intensive_care", "home_care", "medical_billing"},
    ),
    (
        "Técnico Electricista",
        "Requisitos: mantenimiento eléctrico, instrumentación industrial, trabajo en espacios confinados y "
        "manejo de herramientas manuales. Conocimientos de frenos y suspensión delantera (deseable).",
        {"electricity", "instrumentation", "confined_spaces", "hand_tools", "automotive_mechanics"},
    ),
    (
        "Procurador/a",
        "Tareas: procuración de expedientes, confección de escritos y asistencia a audiencias. Manejo de Lex Doctor.",
        {"court_procedure", "lex_doctor"},
    ),
    (
        "Encuestador/a de campo",
        "Realización de encuestas presenciales. Se valora experiencia como psicólogo o en fonoaudiología.",
        {"surveying_people", "psychology", "speech_therapy"},
    ),
    (
        "Costurera",
        "Se necesita costurera con conocimientos de patronaje, corte y confección, máquina recta y overlock.",
        {"sewing"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("title", "text", "expected"), MORE_SECTOR_POSTINGS, ids=[p[0] for p in MORE_SECTOR_POSTINGS])
def test_more_sector_postings_give_the_tasks_a_reader_lists(
    extractor: SkillExtractor, title: str, text: str, expected: set[str]
) -> None:
    found = set(extractor.extract(text, title).skill_ids)
    assert expected <= found, expected - found


def test_platforms_packaging_and_couriers_need_the_right_context(extractor: SkillExtractor) -> None:
    text = (
        "Seguinos en Instagram. Distribuimos gas envasado y electrodomésticos.\n"
        "Requisitos: manejo de plataformas de mensajería. Altas y bajas de impuestos."
    )
    found = set(extractor.extract(text, "Administrativo/a").skill_ids)
    assert not {"instagram", "packaging", "appliance_repair", "courier", "personnel_administration"} & found
    # The guard is the word right before the platform ("en Instagram" is the employer's account); a list of
    # platforms asked for still counts.
    asked = set(
        extractor.extract("Requisitos: manejo de redes sociales (Instagram, TikTok, Facebook).", None).skill_ids
    )
    assert {"social_media", "instagram", "tiktok", "facebook"} <= asked
