"""Open-vocabulary precision in the weakest sectors (issue 16, item 3): wrong classes found reading the mentions of
300 unlabelled real postings of hospitality, sales, construction, education and "other", on real-looking text.
Each case names what must go and, from the same posting, what must stay."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor


def _names(extractor: SkillExtractor, text: str, title: str) -> list[str]:
    """Names and surfaces of the posting's text mentions, lower-cased."""
    mentions = [m for m in extractor.extract(text, title).mentions if m.section != "title"]
    return [m.name.lower() for m in mentions] + [m.surface.lower() for m in mentions]


# (case, title, text, exact names or surfaces that must not be found, phrases some name or surface must hold)
CASES = [
    (
        "establishments one worked in",
        "Camarero/a",
        "Requisitos: Experiencia previa en restaurantes de categoría o en bodegas. Se valorará experiencia en hoteles, "
        "bares y confiterías. Conocimiento de coctelería clásica. Experiencia en hotelería y catering.",
        ("restaurantes de categoría", "bodegas", "hoteles", "bares", "confiterías"),
        ("coctelería", "hotelería", "catering"),
    ),
    (
        "the role, the setting and the people one works with",
        "Jefe de obra",
        "Requisitos: Experiencia previa en el rol (preferentemente 1 año). Sólida experiencia en entornos regulados. "
        "Capacidad de trabajo en equipo con personal operativo, contratistas y profesionales. Responsabilidades: "
        "Dirigir equipos de coordinadores y supervisores. Conocimientos en cómputo y presupuesto de obra.",
        ("rol", "entornos regulados", "contratistas", "profesionales", "supervisores"),
        ("presupuestos de obra", "trabajo en equipo"),
    ),
    (
        "a generic or action noun alone",
        "Cajero de cafetería",
        "Tareas: Atención al cliente. Manejo del sistema y caja. Manejo de plataformas como Rappi y Pedidos Ya. El "
        "candidato ideal tendrá experiencia en la preparación y expendio de alimentos. Experiencia laboral "
        "comprobable. Requisitos: Formación Excluyente: Licenciado en Turismo. Es preferible tener experiencia en "
        "ventas, o de lo contrario, buen manejo de las relaciones interpersonales.",
        ("sistema", "plataformas", "preparación", "laboral", "formación", "contrario"),
        ("caja", "pedidos ya", "expendio de alimentos", "turismo"),
    ),
    (
        "an adverb opens a piece of a sentence",
        "Cocinero",
        "Requisitos: Se valora positivamente contar con formación gastronómica. Capacidad para trabajar en equipo, "
        "tanto con el staff interno como con planificadores de eventos. Planificar y ejecutar actividades y eventos "
        "educativos tanto en clase como al aire libre. Manejo de programas de computación y específicamente Drive.",
        ("positivamente contar con formación gastronómica", "tanto con el staff interno", "eventos educativos tanto"),
        ("trabajar en equipo",),
    ),
    (
        "the second adjective of a shared noun",
        "Asesor comercial",
        "Requisitos: Conocimiento de coctelería clásica y moderna. Amplio perfil comercial y técnico. Vocación de "
        "servicio al cliente externo e interno. Carreras Universitarias o Terciarias. Excelentes habilidades para "
        "relacionarse con clientes activos y potenciales. Experiencia en entrenamientos personalizados o grupales. "
        "Perfil creativo, analítico y con orientación a resultados. Perfil proactivo y dinámico.\nTareas: Gestionar "
        "una agenda de visitas presenciales y virtuales con los clientes actuales. Control de materiales y "
        "herramientas manuales.",
        ("moderna", "técnico", "interno", "terciarias", "potenciales", "grupales", "virtuales con los clientes"),
        ("coctelería", "analítico", "dinámico", "control de materiales"),
    ),
    (
        "an equal-opportunity declaration",
        "Mozo/a para eventos",
        "Requisitos: Experiencia en montaje de eventos. Disponibilidad horaria.\nEl compromiso de Adecco, es promover "
        "y mantener la cultura del respeto e igualdad de oportunidades. No discriminamos por edad ni género.",
        ("cultura del respeto", "mantener la cultura del respeto"),
        ("montaje de eventos",),
    ),
    (
        "'se ofrecen' opens an offer, the law's 'se ofrece' does not",
        "Analista comercial",
        "Búsqueda laboral equitativa. El empleador solo podrá solicitarle la información estrictamente necesaria para "
        "el desempeño en el trabajo que se ofrece (Ley 6471). El perfil ideal tendrá habilidades para abrir nuevas "
        "oportunidades, aportar ideas innovadoras y asesorar sobre el mercado asegurador.\nRequisitos: Experiencia en "
        "ventas. Manejo de caja y cobros. Se ofrecen capacitación en atención al público, manejo de inventarios y "
        "posibilidades de crecimiento.",
        ("posibilidades de crecimiento",),
        ("aportar ideas innovadoras", "manejo de caja"),
    ),
    (
        "what a task is measured against or aimed at",
        "Vendedor técnico",
        "Responsabilidades: - Confeccionar presupuestos en función de las necesidades del cliente. - Gestionar "
        "presupuestos operativos y recursos con foco en rentabilidad. - Optimizar contenidos en función de métricas y "
        "tendencias actuales.",
        ("confección de presupuestos en función", "recursos con foco", "tendencias actuales"),
        ("confección de presupuestos", "optimización de contenidos"),
    ),
    (
        "the trades a list names after 'rubro' or 'sector'",
        "Vendedor técnico",
        "Requisitos: Experiencia comprobable en ventas dentro del rubro de maquinaria, construcción, repuestos, "
        "aceites, cubiertas, lubricantes o afines. Serán valorados los perfiles con experiencia en rubros bancarios "
        "o de seguros. Experiencia en el sector de telecomunicaciones o software. Conocimientos en rodamientos, "
        "transmisión de potencia y neumática.",
        ("construcción", "repuestos", "aceites", "cubiertas", "seguros", "software"),
        ("rodamientos", "transmisión de potencia"),
    ),
    (
        "a field after an adjective is no adjective",
        "Analista contable",
        "Requisitos: Conocimientos en contabilidad general y logística. Experiencia en mecánica general y "
        "electricidad. Formación técnica en mecánica y electrónica industrial.",
        ("general",),
        ("logística", "mecánica"),
    ),
]


@pytest.mark.parametrize(("title", "text", "absent", "present"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_wrong_classes_go_and_the_posting_keeps_its_skills(
    built_extractor: SkillExtractor, title: str, text: str, absent: tuple[str, ...], present: tuple[str, ...]
) -> None:
    names = _names(built_extractor, text, title)
    for phrase in absent:
        assert phrase not in names, (phrase, names)
    for phrase in present:
        assert any(phrase in name for name in names), (phrase, names)
