"""Precision classes seen on real postings: one skill under two ids, place names as new skills, the posting's own
language, purpose clauses, fields of study in a degree list, and English objects cut at "and"."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import ExtractionResult, SkillExtractor
from observatory.skills.gazetteer import is_place
from observatory.skills.open_vocab import stem_key


def _ids_by_name(result: ExtractionResult) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for mention in result.mentions:
        found.setdefault(stem_key(mention.name), set()).add(mention.skill_id)
    return found


@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        # The cue's object "ventas" is the vocabulary's Ventas, a name too generic to be a pattern on its own.
        ("Requisitos:\n- Experiencia en atención al cliente y ventas.\n- Manejo de Excel.", "sales"),
        ("Requisitos: experiencia previa en ventas. Conocimientos de ventas y cobranzas.", "sales"),
        ("Tareas: mantenimiento de equipos. Requisitos: conocimientos de mantenimiento y electricidad.", None),
        ("Requirements: knowledge of sales and marketing. Experience in sales.", "sales"),
    ],
)
def test_one_skill_one_id_in_a_posting(extractor: SkillExtractor, text: str, skill_id: str | None) -> None:
    result = extractor.extract(text, "Vendedor / Técnico")
    doubled = {name: ids for name, ids in _ids_by_name(result).items() if len(ids) > 1}
    assert doubled == {}
    ids = {m.skill_id for m in result.mentions}
    assert not {i for i in ids if i.startswith("new:") and stem_key(i[4:]) in ("vent", "mantenimient", "sal")}
    if skill_id is not None:
        assert skill_id in ids


def test_new_phrases_with_the_same_stem_share_one_id(extractor: SkillExtractor) -> None:
    text = "Requisitos: conocimientos mecánicos y puesta a punto de motores. Manejo de conocimiento mecánico."
    new_ids = [m.skill_id for m in extractor.extract(text).mentions if m.skill_id.startswith("new:")]
    by_stem: dict[str, set[str]] = {}
    for skill_id in new_ids:
        by_stem.setdefault(stem_key(skill_id[4:]), set()).add(skill_id)
    assert new_ids and all(len(ids) == 1 for ids in by_stem.values())


@pytest.mark.parametrize(
    "place", ["CABA", "GBA", "Zona Norte", "Quito", "Bogotá", "Bogotá D.C.", "sur de Quito", "Nuevo León", "Heredia"]
)
def test_gazetteer_knows_latin_american_places(place: str) -> None:
    assert is_place(place)


@pytest.mark.parametrize("words", ["Excel", "atención al cliente", "ventas en zona norte", "zona", "la capital"])
def test_gazetteer_keeps_other_words(words: str) -> None:
    assert not is_place(words)


def test_places_are_never_new_skills(extractor: SkillExtractor) -> None:
    text = (
        "Requisitos:\n- Experiencia en Quito y Guayaquil.\n- Conocimiento de CABA, GBA y Zona Norte.\n"
        "- Experiencia en ventas en Bogotá, Medellín y Cali.\n- Manejo de Excel."
    )
    names = {m.name for m in extractor.extract(text, "Ejecutivo comercial").mentions}
    assert "Excel" in names
    assert not names & {"Quito", "Guayaquil", "CABA", "GBA", "Zona Norte", "Bogotá", "Medellín", "Cali"}


SPANISH_BODY = (
    "Importante empresa de consumo masivo busca asistente administrativo para su planta. "
    "Requisitos: experiencia en atención al cliente, manejo de Excel y facturación. "
)


def test_the_posting_s_own_language_is_not_a_skill(extractor: SkillExtractor) -> None:
    own = extractor.extract(SPANISH_BODY + "Idioma: Español.")
    assert own.language == "es"
    assert "lang_spanish" not in {m.skill_id for m in own.mentions}
    assert "excel" in {m.skill_id for m in own.mentions}
    # Another language, or one with a level, is a requirement.
    asked = extractor.extract(SPANISH_BODY + "Idiomas: Español, Inglés. Inglés avanzado.")
    ids = [m.skill_id for m in asked.mentions]
    assert "lang_english" in ids and "lang_spanish" not in ids
    native = extractor.extract(SPANISH_BODY + "Idioma: Español nativo e Inglés intermedio.")
    assert {"lang_spanish", "lang_english"} <= {m.skill_id for m in native.mentions}


def test_a_purpose_clause_is_not_a_skill(extractor: SkillExtractor) -> None:
    purpose = "Funciones: elaborar reportes de ventas y análisis de datos para la toma de decisiones de la gerencia."
    assert "decision_making" not in {m.skill_id for m in extractor.extract(purpose).mentions}
    asked = "Requisitos: capacidad para la toma de decisiones, liderazgo y trabajo en equipo."
    assert "decision_making" in {m.skill_id for m in extractor.extract(asked).mentions}
    teamwork = "Requisitos: facilidad para trabajar en equipo. Predisposición para el trabajo en equipo."
    assert [m.skill_id for m in extractor.extract(teamwork).mentions] == ["teamwork", "teamwork"]
    # A tool after "para" is still asked for.
    tool = "Requisitos: experiencia en reportes para la gerencia y conocimientos para el uso de Power BI."
    assert "power_bi" in {m.skill_id for m in extractor.extract(tool).mentions}


def test_fields_of_study_in_a_degree_list_are_not_skills(extractor: SkillExtractor) -> None:
    degree = (
        "Requisitos: Ingeniería en Sistemas, Ciencias de Datos, Inteligencia Artificial o afines. "
        "Experiencia con Python y SQL."
    )
    ids = {m.skill_id for m in extractor.extract(degree).mentions}
    assert {"python", "sql"} <= ids
    assert not ids & {"artificial_intelligence", "data_science", "machine_learning"}
    asked = "Requisitos: conocimientos de inteligencia artificial y machine learning. Experiencia con Python."
    assert {"artificial_intelligence", "machine_learning"} <= {m.skill_id for m in extractor.extract(asked).mentions}


def test_english_objects_split_at_and_only_into_skills(extractor: SkillExtractor) -> None:
    text = (
        "Requirements:\n- Knowledge of sales and marketing.\n- Experience in research and development.\n"
        "- Experience with design and implementation of APIs.\n- Knowledge of Python, Docker and Kubernetes."
    )
    result = extractor.extract(text)
    names = {m.surface.lower(): m.skill_id for m in result.mentions}
    assert names.get("sales") == "sales" and names.get("marketing") == "marketing"
    assert "research and development" in names
    assert not {"research", "development", "design"} & set(names)
    assert {"python", "docker", "kubernetes"} <= set(names.values())


def test_telecommunications_plural_is_not_the_soft_skill(extractor: SkillExtractor) -> None:
    telecom = (
        "Requisitos: Conocimientos de software de base, networking, comunicaciones, virtualización, herramientas de "
        "monitoreo y ciberseguridad."
    )
    ids = {m.skill_id for m in extractor.extract(telecom, "Técnico de infraestructura IT").mentions}
    assert "networking" in ids and "communication" not in ids
    mail = (
        "Responsabilidades:\n1. Gestión de documentación y archivos.\n2. Manejo de correos electrónicos y "
        "comunicaciones."
    )
    assert "communication" not in {m.skill_id for m in extractor.extract(mail, "Asistente administrativa").mentions}
    soft = "Requisitos: buena comunicación, trabajo en equipo y manejo de Excel."
    assert "communication" in {m.skill_id for m in extractor.extract(soft).mentions}
    # Beside the soft skill itself, the plural still keeps its own id.
    both = extractor.extract(soft + " Conocimientos de networking, comunicaciones y virtualización.")
    assert {m.skill_id for m in both.mentions if m.surface == "comunicaciones"} == {"new:comunicaciones"}


def test_own_language_of_a_posting_whose_language_is_not_told(extractor: SkillExtractor) -> None:
    bare = extractor.extract("Cajero.\nIdioma: Español.\nExcel.")
    assert bare.language == "und"
    assert [m.skill_id for m in bare.mentions] == ["excel"]
    # The header word tells the posting's language: under "Languages:" Spanish is a requirement.
    english = extractor.extract("Cashier.\nLanguages: Spanish.\nExcel.")
    assert "lang_spanish" in {m.skill_id for m in english.mentions}
    asked = extractor.extract("Cajero.\nIdiomas: Español, Inglés.\nExcel.")
    assert {"lang_english", "excel"} <= {m.skill_id for m in asked.mentions}


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Requirements:\n- Experience with Salesforce.\n- Knowledge of terms and conditions.\n"
            "By applying you accept our terms and conditions and privacy policy.",
            {"salesforce"},
        ),
        (
            "Requisitos:\n- Manejo de Excel.\n- Conocimiento de políticas de privacidad.\n"
            "Somos una empresa que promueve la igualdad de oportunidades. ¡Esperamos tu postulación!",
            {"excel"},
        ),
        (
            "Responsabilidades: atención al cliente, facturación, cobranzas, entre otros. ¿Sos esa persona? "
            "Requisitos: experiencia en atención al cliente, trabajo en equipo y esta oportunidad.",
            {"customer_service", "invoicing", "debt_collection", "teamwork"},
        ),
        (
            "Buscamos analista con experiencia en liquidación de impuestos, así como conocimientos en SAP. Manejo de "
            "herramientas manuales, tanto para componentes mecánicos como eléctricos.",
            None,
        ),
    ],
)
def test_boilerplate_and_fillers_are_not_new_skills(
    extractor: SkillExtractor, text: str, kept: set[str] | None
) -> None:
    ids = {m.skill_id for m in extractor.extract(text).mentions}
    new = {i for i in ids if i.startswith("new:")}
    assert not {
        "new:terms and conditions", "new:politicas de privacidad", "new:igualdad de oportunidades",
        "new:esperamos tu postulacion", "new:entre otros", "new:esa persona", "new:esta oportunidad", "new:asi",
        "new:tanto",
    } & new  # fmt: skip
    if kept is not None:
        assert kept <= ids


def test_a_conjunct_sharing_the_skill_s_words_is_that_skill(extractor: SkillExtractor) -> None:
    text = (
        "Requisitos:\n- Capacidad para trabajar en equipo y bajo presión.\n- Excelente comunicación verbal y escrita."
        "\n- Auditorías internas y externas.\n- Conocimiento sobre soldadura autógena y eléctrica."
    )
    ids = {m.skill_id for m in extractor.extract(text, "Técnico de mantenimiento").mentions}
    assert {"teamwork", "work_under_pressure", "communication", "welding"} <= ids
    assert not {i for i in ids if i.startswith("new:")}
    # Two skills of their own are left alone.
    both = extractor.extract("Requisitos: experiencia en ventas y cobranzas. Manejo de Excel y Word.")
    assert {"sales", "debt_collection", "excel", "word"} <= {m.skill_id for m in both.mentions}


def test_de_forma_and_de_manera_name_one_skill(extractor: SkillExtractor) -> None:
    text = "Requisitos: capacidad para trabajar de forma independiente y como parte de un equipo."
    mentions = extractor.extract(text).mentions
    assert "autonomy" in {m.skill_id for m in mentions}
    assert all(m.esco_uri for m in mentions if m.skill_id == "autonomy")


def test_vocabulary_skills_worded_as_esco_tasks_carry_their_uri(extractor: SkillExtractor) -> None:
    # ESCO words these as tasks ("show empathy", "listen actively", "make decisions"): no exact label links them.
    text = (
        "Requisitos: empatía, escucha activa, toma de decisiones y pensamiento estratégico. Manejo de computadora. "
        "Conocimientos de mecánica automotriz y comercio electrónico. Tareas: carga y descarga de mercadería, "
        "recepción de mercadería, toma de muestras y organización de eventos. Dominio de AutoCAD."
    )
    mentions = extractor.extract(text).mentions
    wanted = {
        "empathy", "active_listening", "decision_making", "strategic_thinking", "computer_literacy",
        "automotive_mechanics", "ecommerce", "loading_unloading", "goods_receiving", "sample_collection",
        "event_planning", "autocad",
    }  # fmt: skip
    assert wanted <= {m.skill_id for m in mentions}
    assert all(m.esco_uri for m in mentions if m.skill_id in wanted)


_TASK_LEFTOVERS = [
    pytest.param(
        "Responsabilidades:\n- Mantener el espacio de trabajo limpio y ordenado.\n- Mantener actualizada la nómina."
        "\n- Mantener a los clientes informados sobre sus pedidos.\n- Mantener relaciones con los clientes.\n"
        "- Mantener el inventario de productos.",
        "Encargado de local",
        "name",
        ("limpio", "actualizada", "informados"),
        {"relaciones con los clientes", "inventario de productos"},
        id="a state kept",
    ),
    pytest.param(
        "What You Will Do:\n- Manage small, medium, and large projects around business processes.\n"
        "- Prepare client and accounting reports.\n- Design and implement efficient, scalable systems.\n"
        "- Resolve product or service inquiries.\n- Maintain KPIs.\n- Manage budgets.",
        "Operations Analyst",
        "surface",
        ("manage small", "prepare client", "implement efficient", "resolve product"),
        # A plural object is whole: "maintain KPIs", "manage budgets".
        {"maintain kpis", "manage budgets"},
        id="an English task cut before its object",
    ),
]


@pytest.mark.parametrize(("text", "title", "field", "unwanted", "wanted"), _TASK_LEFTOVERS)
def test_what_a_task_leaves_behind_is_not_a_skill(
    extractor: SkillExtractor, text: str, title: str, field: str, unwanted: tuple[str, ...], wanted: set[str]
) -> None:
    """A state kept ("mantener … limpio") and an English verb before a lone adjective ("Manage small, …") are
    not skills; the whole tasks beside them are."""
    found = {getattr(m, field).lower() for m in extractor.extract(text, title).mentions}
    assert not [value for value in found if any(word in value for word in unwanted)], found
    assert wanted <= found, found
