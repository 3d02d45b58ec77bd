"""Occupation coding: job titles to ESCO occupations and ISCO-08 groups, stored beside the posting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from observatory.skills.normalize import fold_key
from observatory.skills.occupation_evaluation import (
    DEV_ASIDE,
    OCCUPATION_SETS,
    dev_split,
    evaluate_occupation_set,
    read_occupation_set,
)
from observatory.skills.occupations import (
    _CHANNELS,
    _EVIDENCE_RULES,
    _MANAGER_SECTORS,
    _TITLE_CONTEXT,
    DOMAINS,
    ENGLISH_HEADS,
    TITLE_RULES,
    UNKNOWN,
    OccupationCoder,
    agrees_with_area,
    clean_title,
    default_occupation_coder,
)
from observatory.skills.store import extract_postings
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import Posting, SkillMention


def _insert(db: Database, native_id: str, title: str, description: str, tags: list[str] | None = None) -> None:
    row = {
        "id": posting_id("computrabajo", native_id), "source_key": "co-computrabajo", "portal": "computrabajo",
        "country": "CO", "native_id": native_id, "title": title, "description": description,
        "content_hash": native_id, "raw": {"skills_tags": tags} if tags is not None else {},
    }  # fmt: skip
    with db.session() as session:
        upsert(session, Posting, [row], conflict=["id"])


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Vendedor/a Sr. para empresa de alimentos - Zona Norte", "vendedor"),
        ("Mesero (a) turno noche", "mesero"),
        ("Ejecutivo/a Comercial (KAM)", "ejecutivo comercial"),
        ("722SI Ingeniero de Desarrollo - copia", "ingeniero de desarrollo"),
        ("Jefatura de Transporte", "jefe de transporte"),  # a "jefatura" is a "jefe"
        ("Gerente de Sucursal", "gerente de sucursal"),  # the unit a job heads is part of it, not a place
        ("", ""),
    ],
)
def test_clean_title_keeps_the_occupation(title: str, cleaned: str) -> None:
    assert clean_title(title) == cleaned


def test_titles_are_coded_to_esco_occupations_and_isco_groups() -> None:
    coder = default_occupation_coder()
    seller = coder.code("Vendedor/a Full Time")
    assert seller.method == "title" and seller.isco_code == "5223"
    assert seller.isco_code is not None and seller.isco_code.startswith("52") and seller.isco_label
    assert seller.uri is not None and seller.uri.startswith("http://data.europa.eu/esco/occupation/")
    nurse = coder.code("Auxiliar de Enfermería")
    assert nurse.isco_code is not None and nurse.isco_code[:2] in {"32", "53"}
    accountant = coder.code("Contador Público")
    assert accountant.isco_code is not None and accountant.isco_code.startswith("241")
    # A title that names no occupation is "unknown" with the reason, never a guess.
    nothing = coder.code("Oportunidad única!!!")
    assert nothing.method == UNKNOWN and nothing.isco_code is None and "no occupation" in (nothing.reason or "")
    assert nothing.stored_method.startswith("unknown: ")
    assert coder.code(None).reason == "no title"
    # The description helps when the title does not say: an occupation named after a hiring cue.
    helped = coder.code("Oportunidad única!!!", "Buscamos un conductor de autobús para la ruta norte.")
    assert helped.method == "description" and helped.isco_code is not None


def test_batch_coding_keeps_order() -> None:
    coder = OccupationCoder()
    titles = ["Cocinero", "Chofer", "Abogado", "Xyzzy"]
    codes = list(coder.code_many([(t, None) for t in titles], chunk=2))
    assert [c.method for c in codes] == ["title", "title", "title", UNKNOWN]
    assert codes[0].isco_code and codes[0].isco_code[:2] in {"51", "34", "94"}
    assert codes[1].isco_code and codes[1].isco_code.startswith("83")


def test_agreement_with_portal_area() -> None:
    coder = default_occupation_coder()
    assert agrees_with_area("Ventas", coder.code("Vendedor")) is True
    assert agrees_with_area("Docencia", coder.code("Vendedor")) is False
    assert agrees_with_area("Otros", coder.code("Vendedor")) is None
    assert agrees_with_area("Ventas", coder.code("Xyzzy")) is None


def test_extraction_stores_occupation_and_employer_tags(db: Database) -> None:
    _insert(db, "cocinero-1", "Cocinero/a", "Requisitos: manipulación de alimentos.", ["Trabajo en equipo", "Zzyzx"])
    _insert(db, "raro-1", "Xyzzy", "Texto sin oficio.")
    stats = extract_postings(db)
    assert stats.occupations_coded == 1 and stats.occupations_unknown == 1
    with db.session() as session:
        rows = {p.native_id: p for p in session.scalars(select(Posting))}
        tags = session.execute(
            select(SkillMention.skill_id, SkillMention.section).where(SkillMention.method == "portal_tag")
        ).all()
    cook = rows["cocinero-1"]
    assert cook.isco_code and cook.occupation_uri and cook.occupation_method == "title"
    assert cook.occupation_version == default_occupation_coder().version
    assert rows["raro-1"].isco_code is None and (rows["raro-1"].occupation_method or "").startswith("unknown: ")
    assert {t.skill_id for t in tags} == {"teamwork", "tag:zzyzx"} and {t.section for t in tags} == {"portal_tags"}
    # Idempotent: a second pass extracts nothing new.
    assert extract_postings(db).postings == 0


# Real-looking Argentine and Ecuadorian titles (with the description or skills that decide, where they do) and the
# unit group a labour statistician gives them: (title, description, skills, expected ISCO-08 unit group).
LATAM_TITLES = [
    # Coded wrongly (or "unknown") by the first coder, which matched the title's letters against Spain's labels.
    ("Asesora comercial", "Visitas a empresas clientes de la zona asignada.", (), "3322"),
    ("Representante de ventas", "", (), "3322"),
    ("Ejecutivo/a de cuentas", "", (), "3322"),
    ("Recepcionista/Administrativa", "Atención de la recepción de un consultorio, agenda de turnos.", (), "4226"),
    ("Ejecutivo ventas", "Venta de servicios a empresas.", (), "3322"),
    ("Operario de depósito", "", (), "4321"),
    ("Bodeguero/a", "Control de ingresos y egresos de mercadería en bodega.", (), "4321"),
    ("Asistente Contable", "Conciliaciones bancarias, carga de facturas.", (), "4311"),
    ("Chofer profesional licencia tipo C", "Reparto de mercadería en camión.", (), "8332"),
    ("Liquidador de sueldos y jornales", "", (), "4313"),
    ("Mozos y camareras para evento", "", (), "5131"),
    ("Chofer", "", (), "8322"),
    ("Operario/a de producción - Turno noche", "", (), "9329"),
    ("Promotora para supermercados", "Degustaciones de productos.", (), "5242"),
    ("Telemarketer - Home office", "", (), "5244"),
    ("Auxiliar contable", "", (), "4311"),
    ("Auxiliar administrativo", "Tareas generales de oficina.", (), "4110"),
    ("Analista de Marketing JR - BELGRANO", "", (), "2431"),
    # The head of the title outweighs its modifiers: "ejecutivo" is no chief executive (1120), a receptionist no
    # secretary (4120); an analyst of purchases buys; a technician of refrigeration repairs cold rooms.
    ("Representante comercial", "", (), "3322"),
    ("Analista de Compras", "", (), "3323"),
    ("Técnico en refrigeración", "", (), "7127"),
    ("Tecnólogo en Refrigeración", "", (), "7127"),
    ("Ayudante de cocina", "", (), "9412"),
    ("Jefe de cocina", "", (), "3434"),
    # Management only for a title that says it, or for the head of a department (an organisation unit).
    ("Gerente Comercial", "", (), "1221"),
    ("Jefe de Compras", "", (), "1324"),
    ("Jefe/a de Producción - Planta Pilar", "", (), "1321"),
    ("Gerente General", "", (), "1120"),
    ("Gerente de Recursos Humanos", "", (), "1212"),
    ("Asistente de Director General", "", (), "3343"),
    # Description and skills as evidence where the title is vague.
    ("Operador de call center", "Atención de consultas de clientes de una prepaga.", (), "4222"),
    ("Operador de call center", "Gestión telefónica de cobranzas a clientes en mora.", (), "4214"),
    ("Asesor comercial", "Venta telefónica de planes de internet desde nuestro call center.", (), "5244"),
    ("Operador telefónico", "", (), "4222"),
    ("Operador telefónico", "", ("Gestión de cobranzas",), "4214"),
    ("Analista Sr", "Sumate al área de impuestos de una empresa líder.", (), "2411"),
    # The readers code what the title names: an office clerk who reconciles accounts stays one.
    ("Administrativo/a", "Tareas: conciliaciones bancarias, cuentas a pagar, carga de facturas.", (), "4110"),
    ("Administrativo/a", "Tareas generales de oficina y facturación.", (), "4110"),
    # Remote-work prefixes, English and feminine role words.
    ("Trabajo Desde Casa Analista de RH", "", (), "2423"),
    ("Work From Home Benefits Analyst", "", (), "2423"),
    ("Coordinadora de Reclutamiento y Selección", "", (), "2423"),
    ("Analista de mercadeo y tecnología", "", (), "2431"),
]

# Titles the coder of 2026.12.1 (the 162-title table) got wrong, each coded by the generalised reading: the number
# and "de" a title drops, the seller's channel, the sector of a branch or operations head, English head-last
# titles, the trainee's and the department head's rules, the title's own context.
GENERALISED_TITLES = [
    ("Operarios/as de Maestranza - Jornada Completa", "", (), "9112"),  # the singular reading is more specific
    ("Operario Depósito zona Ezeiza", "", (), "4321"),  # "de" dropped
    ("Programador de CNC – Centro de Mecanizado", "", (), "7223"),
    ("Vendedor/a para local de ropa", "Salón de ventas y caja. Dirección: Calle Florida 500.", (), "5223"),
    ("Vendedor/a de mostrador para mayorista", "Atención al público y a clientes B2B en el mostrador.", (), "5223"),
    ("Asesor/a call center ventas", "", (), "5244"),
    ("Gerente de Sucursal", "Banco regional: 9 personas a cargo, créditos y depósitos.", (), "1346"),
    ("Jefe de Sucursal", "Empresa de logística: coordinar los depósitos y la distribución de la zona.", (), "1324"),
    ("Gerente de Operaciones Gastronómicas", "Gestión de las unidades de negocio del grupo.", (), "1412"),
    ("Supervisor de Operaciones", "Seguridad privada: recorrida de objetivos, vigiladores.", (), "5414"),
    ("Remote Opportunity: Bilingual Graphic Designer", "", (), "2166"),
    ("Work From Home IT Support Analyst", "", (), "3512"),
    ("Programa Jóvenes Profesionales para Ingenieros Agrónomos", "", (), "2132"),
    ("Cajero bancario", "", (), "4211"),
    ("Cajero/a", "Cuadre de caja, depósitos y retiros en ventanilla de la institución financiera.", (), "4211"),
    ("Auxiliar de enfermería", "", (), "5321"),
    ("Auxiliar de enfermería a domicilio", "", (), "5322"),
    ("Playero/a - Estación de servicio", "", (), "5245"),
    ("Matricero", "", (), "7222"),
    ("Asistente Administrativo Contable", "", (), "4311"),
    ("Administración y contabilidad", "", (), "4311"),
    ("Atención al cliente para cafetería", "", (), "5131"),
    ("Técnico de mantenimiento - Electricidad", "", (), "7412"),
    ("Técnico de Mantenimiento de Sistemas de Refrigeración Industrial", "", (), "7127"),
    ("Responsable de Cocina - Cadena de Restaurantes", "", (), "3434"),
    ("Jefatura de Transporte", "", (), "1324"),
    ("Responsable de Contabilidad y Administración", "", (), "1211"),
    ("Licenciado/a en Seguridad e Higiene", "", (), "2263"),
    ("Fonoaudióloga", "", (), "2266"),
    ("Cosmiatra", "", (), "5142"),
    ("Valet Parking", "", (), "8322"),
    ("Procurador/a - Asistente Legal", "", (), "3411"),
    ("Despachante Junior", "", (), "3331"),
    ("Investigador de Siniestros Freelance", "", (), "3315"),
    ("Agente profesional seguros", "", (), "3321"),
    ("Secretaria", "Atención de pacientes del consultorio odontológico y agenda de la clínica.", (), "3344"),
    ("Maquinista con experiencia", "Operación de retroexcavadora y pala cargadora en obra vial.", (), "8342"),
    ("Analista de Producción", "", (), "2141"),
    ("Encargado/a Hotel Temporada Verano", "", (), "1411"),
    ("Customer Service", "Coordinación de embarques de importación y exportación con despachantes.", (), "3331"),
    ("Operador de Contact Center (Representante Comercial Telefónico)", "", (), "5244"),
    ("Paid Media Junior", "", (), "2431"),
]


# Titles of the second long-tail draw's kind that the coder of 2026.12.9 got wrong (or "unknown"), coded by the
# rules of 2026.12.10: head nouns and fields it lacked, heads of a department or an outlet, planners, and the
# title's other words or the description deciding between neighbouring groups.
LONG_TAIL_TITLES = [
    # Head nouns and fields the table lacked.
    ("Martillero y Corredor Público", "", (), "3334"),
    ("Masajista para spa de hotel", "", (), "3255"),
    ("Preceptora turno tarde - Colegio secundario", "", (), "5312"),
    ("Médico veterinario de guardia", "", (), "2250"),
    ("Editor de Videos para redes sociales", "", (), "2654"),
    ("Mandatario del Automotor", "", (), "3411"),
    ("Instrumentista de planta compresora", "", (), "3114"),
    ("Especialista en Fonoaudiología infantil", "", (), "2266"),
    ("Funcional SAP MM - Proyecto de implementación", "", (), "2511"),
    ("Foguista con carnet habilitante", "", (), "8182"),
    ("Tractorista para campo agrícola", "", (), "8341"),
    ("Técnico en Hemoterapia", "", (), "3212"),
    ("Machine Learning Engineer", "", (), "2511"),
    ("LIQUIDADOR/A DE SUELDOS Y JORNALES", "", (), "4313"),  # gender forms in capitals
    ("Oficial de Empresas", "", (), "3312"),
    # Heads of a department or an outlet, and planners (not production supervisors).
    ("Responsable de Logística - Industria alimenticia", "", (), "1324"),
    ("Encargado/a de Cafetería de especialidad", "", (), "1412"),
    ("Jefe de Operaciones de Planta - Metalúrgica", "", (), "1321"),
    ("Responsable de Planeamiento y Control de Producción", "", (), "2141"),
    ("Analista de Ventas Jr", "", (), "2431"),
    # The title's other words or the description decide between neighbouring groups.
    ("Ejecutivo/a de Ventas - Agencia de Viajes", "", (), "4221"),
    ("Vendedor técnico de equipos médicos", "", (), "2433"),
    ("Asesor comercial - Laboratorio veterinario", "", (), "2433"),
    ("Médico Veterinario - Promotor comercial", "", (), "2433"),
    ("Operarios con experiencia en soldadura MIG", "", (), "7212"),
    ("Operario metalúrgico para planta de autopartes", "", (), "7214"),
    ("Vendedor para provincias del NOA", "", (), "3322"),
    ("Técnico electrónico - Automatización industrial PLC", "", (), "3114"),
    ("Carpintero", "Fabricación de muebles de melamina a medida para cocinas y placares.", (), "7522"),
    ("Mensajero", "Retiro y entrega de documentación en motocicleta propia.", (), "8321"),
    ("Capataz", "Supervisar al personal de los galpones de la granja avícola, zona rural.", (), "6121"),
    ("Gerente de Desarrollo de Software", "", (), "1330"),
    ("Gestor/a Sr", "Desarrollar estrategias de ventas y mantener relaciones con clientes clave.", (), "3322"),
    # Words that name another job in another place: a clinic's "guardia" is its emergency ward.
    ("Administrativo/a de Guardia", "Admisión de pacientes en la guardia de la clínica.", (), "4110"),
    ("Mecánico de motos", "", (), "7231"),  # ISCO-08 puts motorcycle mechanics with motor vehicle mechanics
    ("Mecánico de compresores", "", (), "7233"),
    ("Técnico Soporte Ssr", "", (), "3512"),
    ("Analista de Planeamiento y Control de Gestión", "", (), "2411"),
    ("Administrativo/a de Liquidación Médica", "", (), "4312"),
    ("Bobinador de motores eléctricos", "", (), "7412"),
    ("Empleado de mostrador / atención al cliente", "", (), "5223"),
    ("Repartidor", "Reparto de paquetería con vehículo propio (auto o utilitario).", (), "8322"),
    ("Atención al asociado", "", (), "4222"),
    ("Administrador/a de local - Cadena de almacenes", "", (), "5222"),
    ("Atención al público en panadería - turno tarde", "", (), "5223"),
    ("Senior Mechanical Engineer", "", (), "2144"),
    ("Maquinista de autoelevadores", "", (), "8344"),
    ("Instalador de Seguridad Electrónica", "", (), "7422"),
    ("Operario con experiencia en gomería y mecánica general", "", (), "7231"),
    # Heads of the unlabelled long tail (read on postings outside every set).
    ("Operador/a de autoelevador", "", (), "8344"),  # "autoelevadores?" missed the singular
    ("Personal para Fiambrería", "", (), "5223"),
    ("Empleados/as para kiosco - turno noche", "", (), "5223"),
    ("Auxiliar de vuelo", "", (), "5111"),
    ("Sommelier para restaurante de bodega", "", (), "5131"),
    ("Rotulista", "", (), "7316"),
    ("Oficial para construcción en seco (durlock)", "", (), "7123"),
    ("Chief Executive Officer", "", (), "1120"),
    ("Mucamo/a para hotel", "", (), "9112"),
    ("Telecobranzas part time", "", (), "4214"),
    ("Alineador/a - Gomería", "", (), "7231"),
    ("Operador/a de venta telefónica", "", (), "5244"),
    ("Asesor de servicio - Taller de concesionario", "", (), "4229"),
    ("Dermatóloga", "", (), "2212"),
    ("Administrativo/a de taller", "", (), "4110"),
    ("Vendedor/a para estación de servicio", "", (), "5245"),
    ("Técnico de Networking", "", (), "3513"),
    ("Gerente de Restaurant", "", (), "1412"),
    ("Operarios para exploración minera", "", (), "9311"),
    ("Suscriptor/a de riesgos - Broker de seguros", "", (), "3321"),
    ("Ejecutivo de ventas - Real Estate", "", (), "3334"),
    ("Asesor/a de ventas", "Venta de seguros de vida y pólizas de retiro de una aseguradora líder.", (), "3321"),
    ("Responsable de Mantenimiento de Flota", "", (), "7231"),
    ("Arquitecto TI", "", (), "2511"),
    ("Agente de Propaganda Médica", "", (), "2433"),
    ("Programador y Operador CNC", "", (), "7223"),
    # Feeding the lines from the store is a stock clerk's work: the dev set's readers code it 4321, as "Operario de
    # depósito" (was 9329 here, before the readers' sets).
    ("Operarios/as de abastecimiento a producción", "", (), "4321"),
    ("Analista de Planificación de Compras", "", (), "3323"),
    ("Líder de Planeamiento", "", (), "2141"),
    ("Electricista automotor", "", (), "7412"),
    ("Pasante de Compras para Laboratorio Farmacéutico", "", (), "3323"),
    ("Pintor especializado en cabina de pintura", "", (), "7132"),
    ("Lic. en Medio Ambiente", "", (), "2133"),
    ("Jefa de Administración y Finanzas - Pyme", "", (), "1211"),
    ("Jefe/a de Enfermería", "", (), "2221"),
    ("Médico/a Neurólogo/a", "", (), "2212"),
    ("Estudiante avanzado en Derecho", "", (), "2611"),
    ("Profesor/a de colonia de verano", "", (), "3423"),
    ("Técnico en instalaciones (HFC / FTTH)", "", (), "7422"),
    ("Operario/a de lavadero", "", (), "9121"),
    ("Empaquetador/a E-commerce", "", (), "9321"),
    ("Asesor en planificación financiera", "", (), "2412"),
    ("Gerente Administrativo Financiero", "", (), "1211"),
    ("Gerente de Obra", "", (), "1323"),
]


# Classes of error read on the 70 % part of the third dev draw (random3, uniform by posting); every title here was
# coded wrong by coder 2026.12.10.
RANDOM3_TITLES: list[tuple[str, str, tuple[str, ...], str]] = [
    ("Gerente de Compras - Industria alimenticia", "", (), "1324"),
    ("Jefe Administrativo y Financiero", "", (), "1211"),
    ("Encargado de Bar - Cervecería artesanal", "", (), "1412"),
    ("Asistente de Auditoría Externa", "", (), "2411"),
    ("Enterprise Solution Architect", "", (), "2511"),
    ("Ingeniero de Plataforma de Datos Sr", "", (), "2511"),
    ("Site Reliability Engineer", "", (), "2522"),
    ("Técnica de Laboratorio de Análisis Clínicos - Turno mañana", "", (), "3212"),
    ("Asesora de Venta de Seguros de Vida", "", (), "3321"),
    ("Analista de Conciliaciones Bancarias", "", (), "4311"),
    ("Técnico de Mantenimiento Electromecánico - Planta Pilar", "", (), "7412"),
    ("Colocador de porcelanato", "", (), "7122"),
    ("Técnico con experiencia en tendido de fibra óptica", "", (), "7422"),
    ("Vendedor de Maquinaria Agrícola", "", (), "3322"),
    ("Vendedor Internacional - Exportación de vinos", "", (), "3322"),
    ("Vendedor/a de insumos para panaderías", "", (), "3322"),
    ("Coordinador de Eventos - Gerencia de Comunicación", "", (), "3332"),
    ("Secretaria Contable - Estudio", "", (), "4311"),
    ("Analista de Back Office - Mercado de Capitales", "", (), "4312"),
    ("Maquinista - Centro logístico de contenedores", "", (), "8344"),
    ("Analista hard de RRHH", "", (), "4313"),
    (
        "Analista de Recursos Humanos",
        "Empresa de servicios busca analista de nómina para liquidar sueldos.",
        (),
        "4313",
    ),
    ("Despachador/a", "Se necesita personal para despacho de combustible en estación de servicio.", (), "5245"),
    ("Soporte técnico", "Seleccionamos técnico electrónico para reparación de equipos de alarmas y CCTV.", (), "7421"),
    ("Supervisión de ventas - Zona Sur", "", (), "3322"),
    ("Asistente de contratación pública", "", (), "3323"),
    ("Encargada de Punto de Venta - Shopping", "", (), "5222"),
    ("Streamer para Twitch", "", (), "2656"),
    ("Técnico/Licenciado en Higiene y Seguridad - Obra", "", (), "3257"),
    ("Técnico / Ingeniero Electrónico", "", (), "7421"),
    ("Chef cocinero para restaurante", "", (), "5120"),
    ("Ayudante de maquinista - Planta", "", (), "9329"),
    ("Vendedor/a de seguros de autos - concesionaria", "", (), "3321"),
    ("Planificador de Mantenimiento Mecánico", "", (), "3115"),
    # A seller by telephone sells by telephone whatever the trade (the guard of the trade-before-channel order).
    ("Vendedor telefónico de seguros", "", (), "5244"),
    # Heads that left postings outside every set unknown.
    ("Creadora de Contenido para Instagram", "", (), "2166"),
    ("UGC Content Creator", "", (), "2166"),
    ("Tesorero/a - Cooperativa", "", (), "2411"),
    ("Implementador/a de ERP", "", (), "2511"),
    ("Salesforce Architect", "", (), "2511"),
    ("Tec. de Laboratorio Químico", "", (), "3111"),
    ("Analista de Desarrollo Analítico - Laboratorio", "", (), "2113"),
    ("Ejecutivos telefónicos para campaña", "", (), "5244"),
    ("Analista Generalista People Ssr", "", (), "2423"),
    ("Java Architect - Remoto", "", (), "2511"),
    ("Técnico IT de campo", "", (), "3512"),
    ("Gerente de Operaciones - Gastronomía", "", (), "1412"),
    # "Médica" after "institución" qualifies the employer: an office job, not a physician.
    ("Administrativa para Institución Médica", "", (), "4110"),
    ("Generalistas de RRHH para selección", "", (), "2423"),
    ("Operador/a de Data Center - turno noche", "", (), "3511"),
    ("SDR - Representante de Desarrollo de Ventas", "", (), "3322"),
    ("Analista de Investigación de Mercados", "", (), "2431"),
    ("Atención al cliente y gastronomía (mozos)", "", (), "5131"),
    ("Atención al cliente - Punto de Venta", "", (), "5223"),
    ("Profe de Ed. Física para gimnasio", "", (), "3423"),
    ("Gerente de Centro de Distribución", "", (), "1324"),
    ("Arquitecto RPA", "", (), "2511"),
    # A trainee is coded to the field he trains in.
    ("Pasante de RRHH", "", (), "2423"),
    ("HR Trainee", "", (), "2423"),
    ("Especialista en PLC", "", (), "3114"),
    ("Demand Planner Sr", "", (), "2141"),
    ("Captador/a de clientes B2B", "", (), "3322"),
    ("Proyect Manager", "", (), "1219"),
    # A manager the table leaves generic manages the field his title names.
    ("Gerente de Talento y Cultura", "", (), "1212"),
    ("Gerente y asesores comerciales - Sucursal", "", (), "1221"),
    ("Gerente de Operaciones - Empresa de viandas", "", (), "1412"),
    ("Supervisor de seguridad higiene y medio ambiente", "", (), "2263"),
    ("Medio oficial de mantenimiento", "", (), "7233"),
    ("Modelista de indumentaria", "", (), "7532"),
    # The ESCO fallback's near misses on unlabelled postings (a milk receiver, a sysadmin, an equine dentist).
    ("Jefe de Recepción para Hotel", "", (), "4224"),
    ("Generalista HR", "", (), "2423"),
    ("Administrador de consorcio", "", (), "3334"),
    ("Directora de Hogar de ancianos", "", (), "1343"),
    ("Técnico dental", "", (), "3214"),
    ("Promoter para eventos", "", (), "5242"),
    ("Arquitecto Node Backend", "", (), "2511"),
    ("Analista de Calidad de Software", "", (), "2519"),
    ("Técnico de mantenimiento de computadoras e impresoras", "", (), "7422"),
    (
        "Ejecutivo call center ventas",
        "Venta de planes de telefonía por call center; apoyo eventual en cobranzas.",
        (),
        "5244",
    ),
    # An IT support analyst whose description speaks of access control and alarms still supports users.
    (
        "Analista de Soporte IT",
        "Soporte a usuarios, gestión de accesos, alarmas de monitoreo y control de accesos.",
        (),
        "3512",
    ),
]

# Titles that name no job ("Asesora", "Atención al público", "Supervisor") or a job no table knows, read by what the
# description says the job does: its tasks and its place. Coder 2026.12.11 coded each of these wrongly or unknown.
VAGUE_TITLES: list[tuple[str, str, tuple[str, ...], str]] = [
    (
        "Asesora",
        "Buena presencia. Cumplir con el presupuesto de venta del mes. Manejar la cartera de clientes. Brindar una "
        "experiencia única de compra en nuestra tienda del centro comercial.",
        (),
        "5223",
    ),
    (
        "Atención al público",
        "Clínica privada de zona oeste busca personal para la recepción de pacientes, asignación de turnos y "
        "atención de llamados en la central telefónica.",
        (),
        "4226",
    ),
    (
        "Asesores Telefónicos",
        "Responder los mensajes de los clientes por WhatsApp y correo, coordinar citas de valoración y acompañar a "
        "los pacientes del centro estético.",
        (),
        "4222",
    ),
    (
        "Supervisor",
        "Visita a clientes de la zona. Reunión y seguimiento de los recorredores. Toma de pedidos y cobranza en "
        "comercios asignados.",
        (),
        "3322",
    ),
    (
        "Encargada Part Time Boutique",
        "Atención al cliente en el local, armado de vidrieras, manejo de caja y reposición de mercadería.",
        (),
        "5222",
    ),
    (
        "Áreas Públicas - Hotel 4 estrellas",
        "Limpieza de áreas públicas del hotel: lobby, pasillos y baños.",
        (),
        "9112",
    ),
    (
        "Colaboradora para centro de estética",
        "Se solicita profesional con experiencia en estética facial y corporal: limpiezas faciales, depilación y "
        "tratamientos corporales con aparatología.",
        (),
        "5142",
    ),
]


# Classes of head nouns, modifiers and description evidence read off the dev errors of coder 2026.12.11, each tried
# here on titles the dev set does not hold.
CLASS_TITLES: list[tuple[str, str, tuple[str, ...], str]] = [
    ("Oficial de construcción", "", (), "7112"),
    ("Oficiales y medio oficiales", "Obra de edificio en Palermo, bajo convenio UOCRA.", (), "7112"),
    ("Especialista en Cardiología", "", (), "2212"),
    ("Regente de farmacia - Guayaquil", "", (), "3213"),
    ("Superintendente de Obras Viales", "", (), "3123"),
    ("Instructora de Yoga", "", (), "3423"),
    ("Profesor de Spinning", "", (), "3423"),
    ("Coordinador de Call Center", "", (), "3341"),
    ("Mystery Shopper para supermercados", "", (), "4227"),
    ("Auxiliar de Prevención de Pérdidas - Supermercado", "", (), "5414"),
    ("Ingeniero en Automatización y Control", "", (), "2141"),
    ("Ejecutivo de Cuenta Sr", "", (), "3322"),
    ("Coordinador - Ventas Mayoristas", "", (), "3322"),
    ("Encargado/a de Bazar", "", (), "5222"),
    ("Ingeniera de Infraestructura Cloud", "", (), "2522"),
    ("Desarrollador ETL", "", (), "2511"),
    ("Inspectora de Mantenimiento", "", (), "3115"),
    ("Auxiliar de Facturación", "", (), "4311"),
    ("Asesor Telefónico", "Atención de consultas de clientes por WhatsApp y teléfono.", (), "4222"),
    ("Vendedora de servicios de salud", "", (), "3321"),
    ("Técnico de mantenimiento de sprinklers", "", (), "7126"),
    ("Técnico de mantenimiento de redes de fibra óptica", "", (), "7422"),
    ("Técnico Mecánico de Motocicletas", "", (), "7231"),
    ("Ingeniera Química comercial", "Venta de equipos de laboratorio a industrias.", (), "2433"),
    ("Promotor técnico zona oeste", "Visitas a ferreterías de la zona, toma de pedidos.", (), "3322"),
    ("Promotora", "Visitas a clientes de la cartera de clientes, toma de pedidos y cotizaciones.", (), "3322"),
    ("Técnico Mecánico", "Buscamos un técnico electricista de mantenimiento para planta de alimentos.", (), "7412"),
    (
        "Operador de call center",
        "Se buscan asesores comerciales para call center: excelentes comisiones y bonos.",
        (),
        "5244",
    ),
    # Read on unlabelled postings after the classes above: automation of software tests or with AI is no process
    # control, and a technician giving remote support by telephone and chat is no contact-centre agent.
    ("Personal de ventas para local de indumentaria", "", (), "5223"),
    ("Empleada de Ventas y Caja - Turno tarde", "", (), "5223"),
    ("4410AB | COORDINADOR DE OPERACIONES PARA EMPRESA DE SEGURIDAD | ZONA SUR", "", (), "5414"),
    ("Gastronómicos - Patio de comidas", "Atención al cliente en mostrador, manejo de caja y freidoras.", (), "5246"),
    ("Personal gastronómico", "Limpieza de cocina, lavado de vajilla y ayuda al cocinero.", (), "9412"),
    ("Ayudante de cocina", "Preparación de guarniciones; eventualmente atención al cliente y caja.", (), "9412"),
    ("Bioquímica - Especialista en Aplicaciones", "", (), "2433"),
    ("Experta en sistemas", "", (), "2511"),
    ("Administrador Sucursal", "Distribuidora de consumo masivo: depósito, logística y reparto.", (), "1324"),
    ("Ingeniero de Automatización de QA", "", (), "2519"),
    ("Especialista en Automatización e Inteligencia Artificial", "", (), "2511"),
    (
        "Técnico de campo",
        "Soporte remoto: asistencia telefónica a usuarios, chat, gestión de incidentes, instalación de Windows y "
        "mantenimiento de notebooks.",
        (),
        "3512",
    ),
]


@pytest.mark.parametrize(
    ("title", "description", "skills", "expected"),
    LATAM_TITLES + GENERALISED_TITLES + LONG_TAIL_TITLES + RANDOM3_TITLES + VAGUE_TITLES + CLASS_TITLES,
)
def test_latin_american_titles_get_the_unit_group_a_statistician_gives(
    title: str, description: str, skills: tuple[str, ...], expected: str
) -> None:
    code = default_occupation_coder().code(title, description, skills)
    assert code.isco_code == expected, (title, code)
    # The code names an ESCO occupation of that unit group where the bundle has one.
    if code.uri is not None:
        occupation = next(o for o in default_occupation_coder().bundle.occupations if o.uri == code.uri)
        assert occupation.isco_code == expected


@pytest.mark.parametrize(
    "title",
    [
        "Vendedor Sr", "Ejecutivo de cuentas Senior", "Líder de equipo de ventas", "Jefe de turno",
        "Supervisor de producción", "Encargado de depósito", "Subencargado/a de tienda", "Coordinador de logística",
        "Team Leader Call Center", "Supervisor Senior de Cobranzas", "Encargado/a de local de indumentaria",
    ],
)  # fmt: skip
def test_seniority_and_rank_words_never_pull_to_management(title: str) -> None:
    code = default_occupation_coder().code(title)
    assert code.isco_code is not None and not code.isco_code.startswith("1"), (title, code)


@pytest.mark.parametrize(
    "title", ["Oportunidad única!!!", "Personal", "Búsqueda laboral - Zona Norte", "Sumate a nuestro equipo", ""]
)
def test_unknown_is_honest(title: str) -> None:
    code = default_occupation_coder().code(title, "Excelente clima laboral y obra social.")
    assert code.method == UNKNOWN and code.isco_code is None and code.uri is None, (title, code)
    assert code.reason


@pytest.mark.parametrize(
    ("title", "description"),
    [
        (
            "Encargado de turno noche",
            "Sumate a nuestro equipo. Ofrecemos excelentes beneficios y capacitación a cargo.",
        ),
        ("Responsable de campo", "Importante empresa. Ofrecemos beneficios y buen clima laboral."),
    ],
)
def test_what_a_posting_offers_names_no_domain(title: str, description: str) -> None:
    """A rank word alone read with a description that only offers benefits and training: no HR job (coder
    2026.12.10 coded both 2423), an honest unknown."""
    code = default_occupation_coder().code(title, description)
    assert code.method == UNKNOWN and code.isco_code is None, (title, code)


@pytest.mark.parametrize(
    ("title", "wrong"),
    [("Auxiliar de Servicios", "3343"), ("Jefe de Servicio Técnico", "5131"), ("Director", "2166")],
)
def test_service_names_no_job_for_the_esco_fallback(title: str, wrong: str) -> None:
    """A service, like services, or a director of nothing named, names no job: coder 2026.12.11 made these a court
    stenographer, a sommelier and a theatre's technical director."""
    code = default_occupation_coder().code(title)
    assert code.isco_code != wrong, (title, code)


@pytest.mark.parametrize("title", ["Pasante de comunicaciones", "Instructor de conducción"])
def test_civilian_titles_never_reach_the_armed_forces(title: str) -> None:
    """Armed-forces ESCO labels are near many civilian words (coder 2026.12.10 made both of these soldiers)."""
    code = default_occupation_coder().code(title)
    assert not (code.isco_code or "").startswith("0"), (title, code)
    assert default_occupation_coder().code("Suboficial del Ejército").isco_code == "0210"


@pytest.mark.parametrize(
    ("title", "description"),
    [
        # One stray word of a field is no field: a "caja" in the benefits, "clientes" in a company blurb.
        ("Asesora", "Empresa con 20 años en el mercado y miles de clientes. Ofrecemos caja de ahorro y obra social."),
        ("Atención al público", "Horario de lunes a viernes. Buen clima laboral. Enviar CV."),
        # A project coordinator whose description speaks of clients' calls and messages is no contact-centre agent.
        ("Project Coordinator", "Seguimiento de proyectos; responder consultas de clientes por teléfono y mensajes."),
    ],
)
def test_a_vague_title_needs_clear_task_evidence(title: str, description: str) -> None:
    code = default_occupation_coder().code(title, description)
    assert code.method == UNKNOWN and code.isco_code is None, (title, code)


def test_bad_input_gives_a_clear_result() -> None:
    coder = default_occupation_coder()
    assert coder.code("x" * 100_000, "y" * 1_000_000).method == UNKNOWN
    assert coder.code("\x00\x01 ### ///", None).method == UNKNOWN
    assert coder.code("Vendedor", "\x00" * 5000, ["", "\x00"]).isco_code == "5223"


def test_every_table_names_an_isco_group_of_the_bundle() -> None:
    groups = default_occupation_coder().bundle.isco_groups
    codes = {code for code, _ in TITLE_RULES} | {code for code, _ in ENGLISH_HEADS}
    codes |= {code for row in DOMAINS for code in row[:3]}
    codes |= {code for code, _, _ in _CHANNELS} | {code for code, _ in _MANAGER_SECTORS}
    codes |= {target for _, target, _ in _TITLE_CONTEXT} | {target for _, target, _, _ in _EVIDENCE_RULES}
    assert codes and not codes - set(groups)


def _norm(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9ñ]+", fold_key(title)))


def test_the_dev_titles_are_valid_isco_codes_kept_apart_from_the_test_set() -> None:
    groups = default_occupation_coder().bundle.isco_groups
    rows = [json.loads(line) for line in OCCUPATION_SETS["dev"].read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 1100 and sum(r["sample"] == "random" for r in rows) >= 400
    # The second long-tail draw, weighted to the sectors the coder knew least (health, industry, trades, hospitality).
    assert sum(r["sample"] == "random2" for r in rows) >= 250
    # The third draw, uniform by posting (frequent title shapes as often as in real use), measured before any rule.
    assert sum(r["sample"] == "random3" for r in rows) >= 300
    for row in rows:
        assert {"title", "country", "isco", "note", "sample", "file", "id"} <= row.keys(), row
        assert row["sample"] in {"frequent", "random", "random2", "random3"}, row
        assert row["country"] in {"AR", "EC"} and row["title"].strip() and isinstance(row["note"], str), row
        assert re.fullmatch(r"\d{2}|\d{4}", row["isco"]) and row["isco"] in groups, row
        assert row["file"].endswith(".gz"), row
    assert len({(r["title"], r["country"]) for r in rows}) == len(rows)  # one row per distinct title
    assert len({(r["file"], r["id"]) for r in rows}) == len(rows)
    aside = sum(dev_split(r["title"], r["country"]) == DEV_ASIDE for r in rows) / len(rows)
    assert 0.2 < aside < 0.4
    # Nothing of the held-out test set, nor of the tune set: neither their postings nor their titles (counted,
    # never shown).
    for name in ("test", "test-v2", "tune"):
        held = read_occupation_set(OCCUPATION_SETS[name])
        held_ids = {(t.file, t.id) for t in held}
        held_titles = {_norm(t.title) for t in held}
        assert sum((r["file"], r["id"]) in held_ids for r in rows) == 0, name
        # test-v2 was drawn after the first dev samples and shares a few frequent title shapes with them; the
        # draw made after it excludes its titles.
        later = [r for r in rows if r["sample"] == "random3"] if name == "test-v2" else rows
        assert sum(_norm(r["title"]) in held_titles for r in later) == 0, name
    # The evaluation reads it like the other sets, with its 70/30 split and its two samples.
    items = read_occupation_set(OCCUPATION_SETS["dev"])
    assert len(items) == len(rows) and all(i.split and i.sample for i in items)
    assert all(i.isco_2 == (i.isco_4 or i.isco_2)[:2] for i in items)


def test_the_coder_holds_its_level_on_the_dev_titles(shared_dir: Path) -> None:
    """On the real postings the dev set names (with their descriptions): a regression guard on the level measured
    when the rules were generalised (coder 2026.12.11 on 1,523 dev titles: 88.9 % overall, 81.0 % on the 30 % set
    aside, whose long-tail draws are the hard part: 80.1 %, 78.8 % and 74.0 %; the third draw, uniform by
    posting, 84.2 % in all). Coder 2026.12.12, whose classes were read off all of dev: 91.5 % overall, 87.8 % on
    the 30 % part, 86.4 % on the third draw; no longer a generalisation figure, still a regression guard."""
    scores = evaluate_occupation_set("dev")
    if not scores:
        pytest.skip("the postings the dev set names are absent")
    assert scores["all"].postings >= 400
    assert scores["all"].accuracy_2 >= 0.88 and scores["all"].unknown_share <= 0.05
    assert scores[DEV_ASIDE].accuracy_2 >= 0.75
    assert scores["sample: random2"].accuracy_2 >= 0.8 and scores["sample: random2"].unknown_share <= 0.05
    assert scores["sample: random3"].accuracy_2 >= 0.8 and scores["sample: random3"].unknown_share <= 0.05
