"""ESCO concepts of vocabulary skills that ESCO words differently (no label matches exactly): frequent soft, trade
and office skills of real postings carry the URI of the ESCO concept a careful reader would map them to."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor
from observatory.skills.vocabulary import default_vocabulary


def _english_label(extractor: SkillExtractor, uri: str | None) -> str | None:
    return extractor._esco_index.preferred.get(uri or "", {}).get("en")


# (posting text, vocabulary id, English preferred label of the ESCO concept its mentions must carry)
LINKED = [
    (
        "Buscamos personas proactivas, con ganas de aprender y crecer.",
        "learning_agility",
        "demonstrate willingness to learn",
    ),
    ("Tareas: control de calidad de productos terminados.", "quality_control", "conduct quality control analysis"),
    ("Funciones: envasado y etiquetado de productos en línea de producción.", "packaging", "pack goods"),
    (
        "Experiencia en cumplimiento normativo y prevención de lavado de activos.",
        "compliance",
        "ensure compliance with legal requirements",
    ),
    ("Valoramos una actitud colaborativa y el trabajo en equipo.", "collaboration", "cooperate with colleagues"),
    ("Responsable de la creación de contenido para redes sociales.", "content_creation", "develop digital content"),
    ("Experiencia en tesorería y flujo de caja.", "treasury", "handle cash flow"),
    ("Experiencia con servicios en la nube y cloud computing.", "cloud_computing", "cloud technologies"),
    ("Atención telefónica y presencial a clientes.", "phone_handling", "communicate by telephone"),
    ("Diseñar programas de capacitación del personal.", "training_development", "train employees"),
    ("Manejo de herramientas manuales y eléctricas.", "hand_tools", "use hand tools"),
    (
        "Armado de tableros de control y visualización de datos.",
        "data_visualization",
        "deliver visual presentation of data",
    ),
    ("Valoramos la innovación y la creatividad.", "innovation", "seek innovation in current practices"),
    ("Gestión de cuentas por cobrar y cobranzas.", "accounts_receivable", "follow up accounts receivables"),
    ("Coordinar la evaluación de desempeño anual.", "performance_management", "evaluate employees"),
    ("Desarrollo de identidad de marca y branding.", "branding", "define brand identity"),
    (
        "Excluyente: carnet de manipulación de alimentos vigente.",
        "food_handling",
        "comply with food safety and hygiene",
    ),
    ("Realizar cotizaciones a clientes y seguimiento de pedidos.", "quotations", "answer requests for quotation"),
    ("Experiencia en costura con máquina overlock y collareta.", "sewing", "sew pieces of fabric"),
    ("Oficios: plomería, electricidad y pintura.", "plumbing", "install plumbing systems"),
    ("Ejecutar casos de prueba y pruebas funcionales.", "manual_testing", "execute software tests"),
    (
        "Operador de retroexcavadora con experiencia en maquinaria pesada.",
        "heavy_machinery_operation",
        "drive mobile heavy construction equipment",
    ),
    ("Brindar mentoría a los desarrolladores junior.", "mentoring", "mentor individuals"),
    ("Brindar asesoramiento legal a las distintas áreas.", "legal_advice", "provide legal advice"),
    (
        "Elaboración de presupuestos de obra y cómputos métricos.",
        "cost_estimating",
        "estimate cost of building materials",
    ),
    ("Gestión de contratos con proveedores.", "contract_drafting", "manage contracts"),
    ("Buscamos barista con experiencia en café de especialidad.", "barista", "prepare specialized  coffee"),
    ("Monitoreo de cámaras de seguridad y CCTV.", "cctv", "monitor surveillance equipment"),
    ("Bartender con conocimientos de coctelería clásica.", "bartending", "prepare mixed beverages"),
    ("Esterilización de instrumental y manejo de autoclave.", "sterilization", "sterilization techniques"),
    ("Técnico en instrumentación industrial.", "instrumentation", "instrumentation engineering"),
    ("Debugging y corrección de errores en producción.", "debugging", "debug software"),
    ("Experiencia en diseño de interfaces de usuario.", "ui", "design user interface"),
]


@pytest.mark.parametrize(("text", "skill_id", "label"), LINKED, ids=[row[1] for row in LINKED])
def test_linked_skill_carries_the_esco_concept(extractor: SkillExtractor, text: str, skill_id: str, label: str) -> None:
    mentions = [m for m in extractor.extract(text).mentions if m.skill_id == skill_id]
    assert mentions, f"{skill_id} not found in {text!r}"
    assert {_english_label(extractor, m.esco_uri) for m in mentions} == {label}


def test_an_esco_label_of_a_linked_concept_names_the_vocabulary_skill(extractor: SkillExtractor) -> None:
    # ESCO's own wording of a linked concept is the same skill, not a second id beside it.
    text = "Tareas: empaquetar productos, preparar café y colaborar con los compañeros."
    ids = {m.skill_id for m in extractor.extract(text).mentions}
    assert {"packaging", "barista", "collaboration"} <= ids
    assert not any(i.startswith("esco:") for i in ids)


def test_every_written_esco_uri_is_a_skill_of_the_bundled_release_held_once(extractor: SkillExtractor) -> None:
    written = [(e.id, e.esco_uri) for e in default_vocabulary() if e.esco_uri]
    unknown = [sid for sid, uri in written if uri not in extractor._esco_index.types]
    assert not unknown, f"URIs not in the bundled ESCO release: {unknown}"
    uris = [uri for _, uri in written]
    assert len(uris) == len(set(uris)), "one ESCO concept written on two vocabulary skills"


def test_skills_without_an_esco_concept_stay_unlinked(extractor: SkillExtractor) -> None:
    # ESCO v1.0 has no concept for these; the nearest labels ("meet commitments", "think proactively" held by
    # proactivity, "manage accounts" of bookkeeping) name other things, and a wrong link is worse than none.
    text = "Orientación a resultados, iniciativa, manejo de cartera de clientes y conciliaciones bancarias."
    found = {m.skill_id: m for m in extractor.extract(text).mentions}
    for skill_id in ("results_orientation", "initiative", "key_account_management", "bank_reconciliation"):
        assert skill_id in found
        assert found[skill_id].esco_uri is None


def test_sporting_events_a_company_hosts_are_not_knowledge(extractor: SkillExtractor) -> None:
    text = (
        "Plan and deliver Key Account events with the Hospitality Team, including hospitality at sporting events, "
        "concerts and luxury dinners."
    )
    names = {m.name for m in extractor.extract(text).mentions}
    assert "acontecimientos deportivos" not in names


def test_heavy_machinery_a_worker_maintains_is_not_its_operation(extractor: SkillExtractor) -> None:
    # The bare machine is the object of maintenance, repair, painting or tyre work; operating it needs its own
    # words ("operador de maquinaria pesada") or a cue ("experiencia en maquinaria pesada").
    maintained = (
        "Jefe de Taller para garantizar el óptimo estado de la flota de maquinaria pesada.\n"
        "Requisitos: Ingeniero Mecánico o Técnico en Mantenimiento de Maquinarias pesadas.\n"
        "Gomero con experiencia en reparación de neumáticos de maquinaria pesada."
    )
    ids = {m.skill_id for m in extractor.extract(maintained).mentions}
    assert "heavy_machinery_operation" not in ids
    assert "heavy_machinery_mechanics" in ids
    operated = "Buscamos operador de maquinaria pesada con experiencia en maquinaria pesada y retroexcavadora."
    assert "heavy_machinery_operation" in {m.skill_id for m in extractor.extract(operated).mentions}
