"""Occupation coding by the readers' conventions, round 3 (issue 16, part 4): classes of jobs the validated sets'
readers code one way and the coder read another (the counter staff of an ice-cream shop as baristas or waiters).
Each convention's cases were coded otherwise before its rule; its guards are neighbouring titles that keep their
groups. Titles and descriptions are written for these tests, in the style of the postings."""

from __future__ import annotations

import pytest

from observatory.skills.occupations import OccupationCoder

# A description that names no job: the title alone decides.
NEUTRAL = "Sumate a nuestro equipo. Ofrecemos buen clima laboral y estabilidad. Enviá tu CV."
ICE_CREAM_SHOP = (
    "Heladería artesanal de Caballito busca personal para atención al público, despacho de helados y cafetería, "
    "limpieza de la vitrina y cobro en caja. Turnos rotativos."
)
ONLINE_SHOP = (
    "Tienda online de indumentaria busca persona para responder consultas de clientes, cerrar ventas y cargar los "
    "pedidos en Tienda Nube. Trabajo remoto."
)
CLINIC = (
    "Clínica con internación de Palermo busca profesional para organizar los procesos operativos, coordinar a los "
    "equipos de admisión, enfermería y mantenimiento y controlar los indicadores de gestión del centro."
)
ERRANDS_BY_MOTORBIKE = (
    "Estudio contable busca cadete para trámites bancarios, AFIP y entrega de documentación a clientes. La empresa "
    "provee la moto; registro de moto excluyente."
)
DELIVERIES_BY_MOTORBIKE = "Repartos a domicilio con moto propia en zona sur. Pago semanal."
ELECTRICAL_WORK = (
    "Empresa de servicios busca técnico para montaje y mantenimiento de tableros eléctricos, instalaciones de baja "
    "tensión y diagnóstico de fallas en obras e industrias."
)
OPENS_WITH_SHELF_FILLER = (
    "Repositor/a para autoservicio mayorista - Zona Oeste. Tareas: reposición de góndolas y heladeras, control de "
    "vencimientos y orden del salón."
)
OPENS_WITH_CUSTOMER_SERVICE = (
    "Buscamos operadores de atención al cliente para responder consultas por teléfono, chat y mail de los usuarios "
    "de una billetera virtual."
)
WORKS = (
    "Constructora busca profesional para dirigir y coordinar a los jefes de obra y al personal en terreno de sus "
    "obras de vivienda: planificación, presupuesto y plazos. Ingeniero civil o arquitecto."
)
PHARMA_OPERATIVES = (
    "Laboratorio farmoquímico de Pilar incorpora personal. Estamos en la búsqueda de Operarios/as de Producción para "
    "su planta de principios activos: elaborar lotes según guías de manufactura, normas GMP, registro de tareas."
)
FOOD_OPERATIVES = (
    "Fábrica de alimentos busca Operarios/as de Producción para sus líneas de panificados y golosinas: elaboración de "
    "recetas, envasado y limpieza de equipos."
)
BAR_FLOOR = (
    "Bar de Palermo busca personal para el turno noche: atención de mesas, toma de pedidos y limpieza del salón. "
    "No se requiere experiencia."
)
SHOP_FLOOR = "Tienda de indumentaria busca personal para atención al cliente en el local, reposición y probadores."
BROKER = (
    "Broker de seguros con 30 años en el mercado asegurador busca ejecutivo para mantener y desarrollar la cartera "
    "de empresas clientes: pólizas de vida, ART y medicina prepaga, renovaciones y visitas."
)
CAFE_TABLES = "Cafetería de Palermo busca personal: atención de mesas, preparación de cafés y limpieza del salón."


def cases(name: str, rows: list[tuple[str, str, str | None]]) -> list[object]:
    """One convention's rows (title, description, expected group), each with an id naming the convention."""
    return [
        pytest.param(title, description, group, id=f"{name}: {title} -> {group}") for title, description, group in rows
    ]


CASES = [
    *cases(
        "counter_staff_of_ice_cream_shops_and_bakery_cafes",
        [
            # ISCO-08 5246: food service counter attendants serve food and drink over a counter. The readers code
            # the staff of an ice-cream shop, and customer service in a bakery that is also a café, so.
            ("Heladeras/os y cajeras/os - Turno tarde", ICE_CREAM_SHOP, "5246"),
            ("ENCARGADAS - HELADERAS - BARISTAS", ICE_CREAM_SHOP, "5246"),
            ("Atención al cliente para heladería en Flores", ICE_CREAM_SHOP, "5246"),
            ("Atención al público en Panadería y Cafetería - Zona Norte", NEUTRAL, "5246"),
            ("Personal para heladería artesanal", ICE_CREAM_SHOP, "5246"),
            # Guards: table service in a café is a waiter's; a bakery shop's seller and a fridge repairer keep theirs.
            ("Atención al cliente para cafetería de barrio", CAFE_TABLES, "5131"),
            ("Atención al público en panadería de Flores", NEUTRAL, "5223"),
            ("Técnico en reparación de heladeras y lavarropas", NEUTRAL, "7412"),
            ("Barista para cafetería de especialidad", CAFE_TABLES, "5132"),
        ],
    ),
    *cases(
        "sales_by_whatsapp_or_chat_are_a_contact_centres",
        [
            # ISCO-08 5244: contact centre salespersons sell by telephone or other electronic communications media.
            # The readers code a job that sells by WhatsApp or chat so, as they code one that sells by phone.
            ("Atención al cliente y ventas por WhatsApp - Remoto", ONLINE_SHOP, "5244"),
            ("Vendedora por WhatsApp - Part time", ONLINE_SHOP, "5244"),
            ("Asesor/a comercial vía chat", ONLINE_SHOP, "5244"),
            ("Ventas por WhatsApp e Instagram", ONLINE_SHOP, "5244"),
            # Guards: customer service by WhatsApp that sells nothing, and a shop floor's seller, keep theirs.
            ("Atención al cliente por WhatsApp", NEUTRAL, "4222"),
            ("Vendedora de salón para local de ropa", NEUTRAL, "5223"),
        ],
    ),
    *cases(
        "the_head_of_a_health_facility_is_its_manager",
        [
            # ISCO-08 1342: health services managers plan, direct and coordinate the services of clinics and
            # hospitals. The readers code the coordinator of a medical centre's operations so; "centro médico" in
            # a title names the place, not a physician (2211).
            ("Coordinadora de Operaciones para Centro Médico", CLINIC, "1342"),
            ("Jefe/a de Operaciones - Sanatorio de zona oeste", CLINIC, "1342"),
            ("Supervisor de Centro Médico", CLINIC, "1342"),
            ("Administrativa para centro médico", NEUTRAL, "3344"),
            # Guards: a physician, a clinic's nurse coordinator, a receptionist and another sector's operations
            # head keep their groups.
            ("Médico clínico para centro médico", NEUTRAL, "2211"),
            ("Coordinadora de enfermería del sanatorio", NEUTRAL, "2221"),
            ("Recepcionista para centro médico de Palermo", NEUTRAL, "4226"),
            ("Gerente de Operaciones Gastronómicas - Zona Norte", NEUTRAL, "1412"),
        ],
    ),
    *cases(
        "an_office_messenger_stays_a_messenger_whatever_his_vehicle",
        [
            # ISCO-08 9621: messengers carry messages, documents and packages. The readers code an office cadete
            # who does the firm's errands by motorbike 9621; the motorbike is his means, not his job.
            ("Cadete administrativo (con moto) - Microcentro", ERRANDS_BY_MOTORBIKE, "9621"),
            ("Cadetes administrativos con registro de moto", ERRANDS_BY_MOTORBIKE, "9621"),
            # Guards: a cadete or messenger whose job is riding (deliveries, a rider in the title) drives (8321).
            ("Cadete con moto", DELIVERIES_BY_MOTORBIKE, "8321"),
            ("Cadete administrativo / motoquero - Once", ERRANDS_BY_MOTORBIKE, "8321"),
            ("Mensajero en moto para repartos", DELIVERIES_BY_MOTORBIKE, "8321"),
        ],
    ),
    *cases(
        "an_electrical_technician_installs_and_repairs",
        [
            # ISCO-08 7412: electrical mechanics and fitters install, adjust and repair electrical equipment. The
            # readers code a 'técnico eléctrico' hired for that work 7412, as the table codes 'técnico electricista'
            # 7412 and 'técnico electrónico' 7421, not an electrical engineering technician (3113).
            ("Técnico Eléctrico", ELECTRICAL_WORK, "7412"),
            ("Técnicos eléctricos / electrónicos - Zona Pilar", ELECTRICAL_WORK, "7412"),
            ("Tecnico Electrico o Electronico - Zona Sur", ELECTRICAL_WORK, "7412"),
            # Guards: named with an engineer, or with a mechanic, or as 'técnico en electricidad', he keeps his group;
            # an electronics technician stays 7421.
            ("Técnico/Ingeniero Eléctrico Junior", ELECTRICAL_WORK, "3113"),
            ("Técnicos Eléctricos y Mecánicos para montaje industrial", ELECTRICAL_WORK, "7233"),
            ("Técnico en electricidad", NEUTRAL, "3113"),
            ("Técnico electrónico de reparaciones", NEUTRAL, "7421"),
        ],
    ),
    *cases(
        "a_department_alone_is_read_by_the_job_the_description_names",
        [
            # A title that names only a department says where the job is: the readers code the job the
            # description opens with or hires for (a shelf filler, 9334; a contact-centre clerk, 4222).
            ("LOGISTICA - Eventual", OPENS_WITH_SHELF_FILLER, "9334"),
            ("Ventas - Part time", OPENS_WITH_CUSTOMER_SERVICE, "4222"),
            # Guards: a department title whose description names no job keeps the table's reading, and a title
            # that names a job is never read from the description.
            ("LOGISTICA - Eventual", NEUTRAL, "4323"),
            ("Ventas - Part time", NEUTRAL, "5223"),
            ("Vendedor de salón", OPENS_WITH_SHELF_FILLER, "5223"),
        ],
    ),
    *cases(
        "a_general_coordinator_of_the_works_manages_them",
        [
            # ISCO-08 1323: construction managers plan, direct and coordinate construction; 1321 production managers
            # a plant's. The readers code a coordinator "general" of the works, who directs its heads, 1323.
            ("Coordinadora General de Obras - Zona Norte", WORKS, "1323"),
            ("Supervisor General de Obra", WORKS, "1323"),
            ("Jefe general de planta", NEUTRAL, "1321"),
            # Guards: a site supervisor, a foreman and a production supervisor keep their groups.
            ("Supervisor de obra", WORKS, "3123"),
            ("Capataz general", NEUTRAL, "3123"),
            ("Supervisor de producción turno noche", NEUTRAL, "3122"),
        ],
    ),
    *cases(
        "a_hiring_cue_reads_the_job_with_its_gender_forms_cut",
        [
            # A title the tables cannot read is coded by the job the description hires for; 'Operarios/as de
            # Producción' is read as 'operarios de producción' and placed by the plant's process (8131 chemical
            # and pharmaceutical plants, 8160 food), as the readers code production operatives.
            ("Elaborador/a - Planta Pilar", PHARMA_OPERATIVES, "8131"),
            ("Elaboradores turno noche", FOOD_OPERATIVES, "8160"),
            # Guard: with no job named in the description the title stays unknown.
            ("Elaborador/a - Planta Pilar", NEUTRAL, None),
        ],
    ),
    *cases(
        "the_staff_of_a_dining_room_wait_at_its_tables",
        [
            # ISCO-08 5131: waiters take orders and serve food and beverages. The readers code the "personal de
            # salón" of a bar or a restaurant, who takes orders, so; a shop's salón is its sales floor (5223).
            ("Personal de Salón - Turno Noche", BAR_FLOOR, "5131"),
            ("Empleados de salón para bar", NEUTRAL, "5131"),
            # Guards: a shop's salón staff and a shop-floor seller keep 5223.
            ("Personal de salón", SHOP_FLOOR, "5223"),
            ("Vendedor de salón", BAR_FLOOR, "5223"),
        ],
    ),
    *cases(
        "a_place_at_the_end_of_the_title_names_no_job",
        [
            # "Caseros" is a town of Greater Buenos Aires: written as the title's last part it places the job and
            # is no "casero" (9111); the job is the one the rest of the title names.
            ("ADMINISTRATIVO DE DESPACHO | REPUESTOS | GBA OESTE | CASEROS", NEUTRAL, "4323"),
            ("Administrativa de expedición | Caseros", NEUTRAL, "4110"),
            # Guards: a caretaker the title names keeps his group, and a place inside a title is not cut.
            ("Casero para quinta", NEUTRAL, "9111"),
            ("Vendedor - Pilar", NEUTRAL, "5223"),
        ],
    ),
    *cases(
        "broiler_chickens_are_no_grill_cooks",
        [
            # On a poultry farm "parrilleros" are broiler chickens: its staff are poultry producers (ISCO-08 6122),
            # as the readers code them, not grill cooks (5120).
            ("Encargado de granja de parrilleros y ponedoras", NEUTRAL, "6122"),
            ("Supervisor de granja avícola de parrilleros", NEUTRAL, "6122"),
            # Guards: a grill cook, and a cook of a school farm, stay cooks.
            ("Parrillero para restaurante", NEUTRAL, "5120"),
            ("Cocinero para granja educativa", NEUTRAL, "5120"),
        ],
    ),
    *cases(
        "a_trainee_of_a_professional_field_trains_as_its_professional",
        [
            # The readers code a trainee to the field he trains in, as its professional: a trainee in accounting is
            # an accountant in training (2411), not a bookkeeping clerk (4311), as 'Pasante de RRHH' is 2423.
            ("Pasante de Contabilidad - Estudio contable", NEUTRAL, "2411"),
            ("Pasante contable part time", NEUTRAL, "2411"),
            # Guards: an administration trainee stays an office clerk (no professionals' domain), an accounting
            # clerk stays 4311, and a telemarketing trainee sells by phone.
            ("Pasante de Administración", NEUTRAL, "4110"),
            ("Auxiliar contable Jr", NEUTRAL, "4311"),
            ("Pasante de Telemarketing", NEUTRAL, "5244"),
        ],
    ),
    *cases(
        "a_mystery_shopper_is_a_market_research_interviewer",
        [
            # ISCO-08 4227: survey and market research interviewers. A mystery shopper visits shops as a customer
            # and reports on them; the readers code him so, whatever "auditor" the title calls him.
            ("Auditor/a Comercial - Mystery Shopper", NEUTRAL, "4227"),
            ("Auditor de cliente incógnito para sucursales", NEUTRAL, "4227"),
            # Guards: accounting and internal auditors keep 2411.
            ("Auditor contable", NEUTRAL, "2411"),
            ("Auditor interno Sr", NEUTRAL, "2411"),
        ],
    ),
    *cases(
        "a_client_retention_executive_keeps_a_sales_portfolio",
        [
            # ISCO-08 3322: commercial sales representatives sell to businesses and keep their accounts; 3321
            # insurance representatives, for an insurer or a broker. The readers code an "ejecutivo de
            # fidelización" who keeps a client portfolio so, not as a marketing professional (2431).
            ("Ejecutiva de Fidelización de Clientes", NEUTRAL, "3322"),
            ("Ejecutivo/a de Fidelización y Desarrollo de Cartera", BROKER, "3321"),
            # Guards: a loyalty analyst stays in marketing, and a retention agent of a contact centre stays 4222.
            ("Analista de fidelización", NEUTRAL, "2431"),
            ("Gestor/a de retención de clientes - Call center", NEUTRAL, "4222"),
        ],
    ),
    *cases(
        "the_head_of_mining_services_manages_a_mine",
        [
            # ISCO-08 1322: mining managers plan, direct and coordinate mining operations. The readers code the head
            # of a mine's services or operations so; the title was unknown.
            ("Responsable de Servicios Mineros - Jujuy", NEUTRAL, "1322"),
            ("Superintendente de Operaciones Mineras", NEUTRAL, "1322"),
            ("Jefe de mina", NEUTRAL, "1322"),
            # Guards: a seller to mines and a mine's physician keep their groups.
            ("Vendedor minero", NEUTRAL, "5223"),
            ("Médico para yacimiento minero", NEUTRAL, "2211"),
        ],
    ),
    *cases(
        "a_mechanic_named_a_boiler_man_tends_the_boilers",
        [
            # ISCO-08 8182: steam engine and boiler operators. A title that names a mechanic and a "foguista" or
            # "calderista" hires the boiler man, as the readers code him, not a vehicle or machinery mechanic.
            ("Mecánico Foguista - Zona Norte", NEUTRAL, "8182"),
            ("Mecánico de mantenimiento / calderista", NEUTRAL, "8182"),
            # Guards: a motor mechanic and an engineer expert in boilers keep their groups.
            ("Mecánico automotor", NEUTRAL, "7231"),
            ("Ingeniero mecánico experto en calderas industriales", NEUTRAL, "2144"),
        ],
    ),
    *cases(
        "the_cashier_of_a_payment_agency_is_a_teller",
        [
            # ISCO-08 4211: bank tellers and related clerks take payments and pay out money transfers. The readers
            # code the cashier or clerk of a bill-payment or money-transfer agency so.
            ("Cajera para Rapipago - Zona Oeste", NEUTRAL, "4211"),
            ("Empleada con experiencia en manejo de caja y atención al público - Pago Fácil", NEUTRAL, "4211"),
            # Guards: a supermarket's cashier and an office clerk keep their groups.
            ("Cajera de supermercado", NEUTRAL, "5230"),
            ("Empleado administrativo", NEUTRAL, "4110"),
        ],
    ),
    *cases(
        "an_operative_feeding_the_lines_from_the_store_is_a_stock_clerk",
        [
            # ISCO-08 4321: stock clerks receive, store and issue materials. The readers code an operative who
            # supplies the production lines from the store so, as they code "Operario de depósito" 4321, not as a
            # manufacturing labourer (9329).
            ("Operarios de abastecimiento de líneas - Zona Oeste", NEUTRAL, "4321"),
            ("Operaria de abastecimiento", NEUTRAL, "4321"),
            # Guards: a production operative and a supply analyst keep their groups.
            ("Operario de producción - Pilar", NEUTRAL, "9329"),
            ("Analista de abastecimiento", NEUTRAL, "3323"),
        ],
    ),
    *cases(
        "the_head_of_a_delegation_manages_a_branch",
        [
            # ISCO-08 major group 1: managers plan, direct and coordinate an organisation's units. The readers code
            # the head ("jefe") of a delegation, a regional branch, as its manager, as the table codes "jefe de
            # agencia"; the title was unknown.
            ("Jefe de Delegación - Mar del Plata", NEUTRAL, "1219"),
            ("Responsable de la Delegación Bahía Blanca", NEUTRAL, "1219"),
            # Guards: the delegation's administrative and its receptionist keep their groups.
            ("Administrativa de Delegación", NEUTRAL, "4110"),
            ("Recepcionista para delegación", NEUTRAL, "4226"),
        ],
    ),
]


@pytest.mark.parametrize(("title", "description", "group"), CASES)
def test_the_readers_convention_codes_the_title(
    coder: OccupationCoder, title: str, description: str, group: str | None
) -> None:
    code = coder.code(title, description)
    assert code.isco_code == group, (title, code)
