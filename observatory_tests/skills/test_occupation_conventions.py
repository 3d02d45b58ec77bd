"""Occupation coding by the readers' conventions (issue 16, part 4): where the validated sets' readers code a class
of titles one way and the coder read it another (an analyst of payments as a professional, a plant operator as a
labourer), each title here coded otherwise before the convention it tests, and guards that titles the convention
does not cover keep their codes."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from observatory.skills.occupations import OccupationCoder, analyst_level, plant_process

# A description that names no job: the title alone decides.
NEUTRAL = "Sumate a nuestro equipo. Ofrecemos buen clima laboral y estabilidad. Enviá tu CV."
CONSTRUCTION = "Constructora busca personal para obra de viviendas en Merlo. CCT UOCRA."
PLASTICS = (
    "Fábrica de envases plásticos ubicada en Burzaco busca operarios para sus líneas de extrusión de polietileno."
)
CHEMICALS = (
    "Industria química busca operarios para su planta de productos químicos: carga de reactores, control de "
    "parámetros y registro de lotes."
)
FOOD = "Empresa alimenticia dedicada a la elaboración de galletitas, panificados y golosinas busca operarios de línea."
METAL = "Empresa metalúrgica busca operarios para armado de estructuras y uso de agujereadora y amoladora."
BOOKKEEPING = (
    "Tareas: conciliaciones bancarias, registraciones contables, análisis de cuentas por pagar y carga de facturas "
    "de proveedores; armado de legajos y atención de proveedores."
)
LAB_RD = (
    "Laboratorio farmacéutico nacional busca profesional para su área de investigación y desarrollo: formulación de "
    "nuevos productos, validación de técnicas analíticas por HPLC, informes de estabilidad. Requisitos: estudiante "
    "avanzado o graduado en Química, Farmacia o Bioquímica."
)
LAB_QC = (
    "Planta de alimentos incorpora personal para su laboratorio de control de calidad: análisis fisicoquímicos de "
    "materias primas y producto terminado, registro de resultados, turnos rotativos."
)
USER_SUPPORT = (
    "Sumate al área de sistemas de una empresa de logística. Tareas: atención de incidencias de usuarios, "
    "configuración de impresoras y periféricos, alta de usuarios y soporte IT en planta. Secundario completo."
)
SYSTEMS_ANALYSIS = (
    "Buscamos analista para relevar requerimientos, diseñar y documentar soluciones, participar del desarrollo y las "
    "pruebas del ERP y brindar soporte a usuarios clave. Conocimientos de SQL y hardware."
)


# A case is (title, group), coded with the convention's description, or (title, description, group).
Case = tuple[str, str | None] | tuple[str, str, str | None]


def _description_name(description: str) -> str | None:
    """The name of a module-level description (PLASTICS, LAB_RD, ...), or None for one written in a case."""
    names = [
        name for name, value in globals().items() if name.isupper() and isinstance(value, str) and value == description
    ]
    return names[0] if names else None


def convention(name: str, cases: Sequence[Case], description: str = NEUTRAL) -> list[object]:
    """The cases of one convention, each as (title, description, group) with an id that names the convention,
    the title, the description where it is not NEUTRAL, and the group it expects."""
    params: list[object] = []
    for case in cases:
        if len(case) == 2:
            title, group = case
            text = description
        else:
            title, text, group = case
        label = _description_name(text) if text != NEUTRAL else None
        shown = f"{title} ({label})" if label else title
        params.append(pytest.param(title, text, group, id=f"{name}: {shown} -> {group}"))
    return params


CASES = [
    *convention(
        "an_analyst_is_coded_by_what_he_handles",
        [
            # An analyst of a transaction processes it: its clerk, whatever other field the title names.
            ("Analista Impositivo y de Liquidación de Sueldos", "4313"),
            ("Analista Contable y de Cuentas a Pagar", "4311"),
            ("Analista de Créditos y Cuentas Corrientes", "4311"),
            ("Analista de Costos y Facturación", "4311"),
            ("Especialista en Medios de Pago", "4311"),
            ("Consultor de Medios de Pago", "4311"),
            # An office clerk of collections keeps their accounts; the collector who calls debtors collects.
            ("Administrativa de Cobranzas - Zona Sur", "4311"),
            ("Gestor de Cobranzas Telefónicas Mora Temprana", "4214"),
            # English titles too.
            ("Collections Analyst Sr", "4311"),
            ("Analista de Payments - Fintech", "4311"),
            # An analyst of a clerks' field's projects or management organises it.
            ("Analista de Proyectos de Distribución", "2421"),
            ("Analista Jr de Proyectos de Almacenes", "2421"),
            ("Analista de Proyectos de Transporte - Rosario", "2421"),
        ],
    ),
    *convention(
        "analysts_of_no_transaction_keep_their_codes",
        [
            # Analysts of taxes, costs, accounts and financial planning analyse: professionals or associates.
            ("Analista Contable Ssr - Pilar", "2411"),
            ("Analista de Impuestos Jr", "2411"),
            ("Analista de Costos Sr", "3313"),
            ("Analista de Planeamiento Financiero", "2413"),
            # A functional (IT) analyst of payment systems is an IT analyst.
            ("Analista Funcional de Medios de Pago", "2511"),
            # Heads of a transaction's team are no analysts.
            ("Coordinador de Tesorería", "2411"),
        ],
    ),
    *convention(
        "a_plant_operative_operates_the_process_the_plant_is_named_for",
        [
            # A production operative of a plant whose process the description names operates that plant.
            ("Operario de Producción - Turno Noche", PLASTICS, "8142"),
            ("Operarios para planta - Zona Garín", CHEMICALS, "8131"),
            ("Operario de Línea - Pilar", FOOD, "8160"),
            # A plant of no such process, and the plant's general hands, stay labourers.
            ("Operario de Producción", METAL, "9329"),
            ("Operario de tareas generales", CHEMICALS, "9329"),
            ("Operario de Producción", NEUTRAL, "9329"),
        ],
    ),
    *convention(
        "a_construction_worker_is_a_builder",
        [
            # A construction worker of no named trade is a builder; only the site's helpers and peons are labourers.
            ("Personal de obra - Zona Sur", "7112"),
            ("Obrero de la construcción", "7112"),
            ("Ayudante de obra", "9313"),
            ("Peón de albañil", "9313"),
        ],
        description=CONSTRUCTION,
    ),
    *convention(
        "an_office_clerk_is_coded_by_the_title",
        [
            # An office clerk whose tasks include bookkeeping is coded by the title: an office clerk.
            ("Administrativa/o - Zona Norte", BOOKKEEPING, "4110"),
            ("Analista Administrativo Jr", BOOKKEEPING, "4110"),
            # A title that names the accounts is their clerk; payroll work still makes a payroll clerk.
            ("Administrativo Contable", BOOKKEEPING, "4311"),
            ("Accounting Assistant", NEUTRAL, "4311"),
            (
                "Administrativo/a",
                "Liquidación de sueldos, recibos de sueldo y cargas sociales de 200 empleados.",
                "4313",
            ),
        ],
    ),
    *convention(
        "a_professional_hired_as_a_head_is_coded_as_the_head",
        [
            # A professional the description hires for a head's position is coded by that position.
            (
                "Ingeniero Civil Sr",
                "Constructora de Córdoba busca Ingeniero Civil para cubrir el puesto de Jefe de Obra en edificios.",
                "1323",
            ),
            (
                "Arquitecto/a",
                "Estudio de arquitectura incorpora arquitecto que asumirá la posición de Jefe de Obra de sus "
                "proyectos.",
                "1323",
            ),
            # His superior's position, or a position that is no head's, does not.
            (
                "Ingeniero Civil",
                "Constructora busca Ingeniero Civil para el área técnica, reportando al puesto de Jefe de Obra.",
                "2142",
            ),
            ("Ingeniero Industrial", "Buscamos ingeniero industrial para el puesto de analista de procesos.", "2141"),
        ],
    ),
    *convention(
        "a_commercial_adviser_of_insurance_sells_insurance",
        [
            # A commercial adviser whose title names insurance or health plans sells insurance.
            ("Ejecutivo/a Comercial - Seguros Patrimoniales", "3321"),
            ("Ejecutivo de Cuentas para Prepaga", "3321"),
            # Other products keep the commercial adviser, or their own sellers.
            ("Asesor Comercial - Maquinaria Agrícola", "3322"),
            ("Ejecutivo Comercial - Software de Gestión", "2434"),
        ],
    ),
    *convention(
        "a_driver_is_coded_by_the_vehicle_the_title_names",
        [
            # A driver whose title names a lorry or its load drives a heavy truck; of a forklift or a bus, those.
            ("Chofer Semirremolque larga distancia", "8332"),
            ("Chofer con experiencia en Batea - Zona Sur", "8332"),
            ("Chofer de Montacargas", "8344"),
            ("Conductor de Autobús", "8331"),
            # A car's or a van's driver stays one.
            ("Chofer de Utilitario para Reparto", "8322"),
            ("Chofer Ejecutivo", "8322"),
        ],
    ),
    *convention(
        "unit_groups_the_readers_give",
        [
            # Unit groups the readers give: a seamstress sews on machines, a fashion or footwear designer designs
            # products, an occupational or ultrasound physician is a specialist, a seller who is also the shop's
            # deputy head supervises it.
            ("Costurera Recta y Overlock", "7533"),
            ("Diseñadora de Accesorios y Calzados", "2163"),
            ("Médica Laboral - Zona Norte", "2212"),
            ("Médico Ecografista para Centro de Diagnóstico", "2212"),
            ("Vendedor/a y Subencargado/a - Palermo", "5222"),
            ("Responsable de Store - Unicenter", "5222"),
            # A bricklayer lays bricks (7112); an electrician of a plant's or fleet's maintenance is a mechanic (7412).
            ("Albañil con experiencia - Zona Oeste", "7112"),
            ("Electricista de Mantenimiento - Planta Campana", "7412"),
            ("Electricista Matriculado para obras", "7411"),
            # An engineer of a plant, its planning or its continuous improvement is an industrial engineer.
            ("Ingeniera de Mejora Continua - Planta Pilar", "2141"),
            ("Ingeniero de Planeamiento Sr", "2141"),
            # A networking analyst is a network professional; a foreman of a plant supervises production.
            ("Analista de Networking Ssr - Córdoba", "2523"),
            ("Capataz de Fábrica - Turno Noche", "3122"),
            # The head of a laboratory is a laboratory technician's rank: the readers' 3111, not quality (3119).
            ("Supervisora de Laboratorio - Planta Zárate", "3111"),
            # Guards: their neighbours keep their groups.
            ("Supervisor de Calidad", "3119"),
            ("Capataz de Obra", "3123"),
            ("Especialista en Redes Sociales", "2432"),
            ("Ingeniero de Proyectos Jr", "2149"),
            ("Modista", "7531"),
            ("Diseñadora Gráfica", "2166"),
            ("Médico Clínico", "2211"),
            ("Vendedor/a para Local - Palermo", "5223"),
        ],
    ),
    *convention(
        "a_monitoring_analyst_of_it_infrastructure_is_a_systems_technician",
        [
            # Who watches a company's servers, networks or infrastructure (Zabbix, Nagios) is a network and systems
            # technician, whatever rank the title gives him: the readers' 3513, not a systems analyst (2511).
            ("Analista de Monitoreo de Servidores - Turno Tarde", "3513"),
            ("Especialista en Monitoreo de Redes e Infraestructura", "3513"),
            ("Analista Monitoreo Nagios Jr", "3513"),
            # Guards: watching cameras or vehicles is security (5414); social networks are marketing.
            ("Operador de Monitoreo Satelital de Flota", "5414"),
            ("Monitoreo de Cámaras - Barrio Cerrado", "5414"),
            ("Analista de Monitoreo de Redes Sociales", "2432"),
            ("Analista de Infraestructura Cloud", "2511"),
        ],
    ),
    *convention(
        "a_laboratory_analyst_of_research_and_development_is_a_chemist",
        [
            # A laboratory analyst of research and development (I+D, analytical development) develops formulas and
            # methods: the readers code him a chemist (2113), not a laboratory technician (3111) or a quality one.
            ("Analista de Laboratorio I+D - Pinturas", LAB_RD, "2113"),
            ("Analista de Laboratorio - Desarrollo Analítico", LAB_RD, "2113"),
            ("Analista de Desarrollo para Laboratorio", LAB_RD, "2113"),
            ("Analista de Laboratorio de Investigación y Desarrollo - Cosmética", LAB_RD, "2113"),
            # Guards: quality-control analysts and technicians, even of an R&D laboratory, keep their groups.
            ("Analista de Laboratorio Fisicoquímico", LAB_QC, "3111"),
            ("Analista de Control de Calidad - Turno Noche", LAB_QC, "3119"),
            ("Técnico de Laboratorio I+D", LAB_RD, "3111"),
        ],
    ),
    *convention(
        "a_systems_analyst_hired_for_user_incidents_is_user_support",
        [
            # A systems analyst the description hires for users' incidents, their printers and peripherals is user
            # support: the readers' 3512, not a systems analyst (2511).
            ("Analista de Sistemas Jr - Planta Pacheco", USER_SUPPORT, "3512"),
            ("Analista en Sistemas - Turno Mañana", USER_SUPPORT, "3512"),
            # Guards: an analyst who analyses and develops, and supports key users now and then, stays one.
            ("Analista de Sistemas Jr - Planta Pacheco", SYSTEMS_ANALYSIS, "2511"),
            ("Analista en Sistemas - Turno Mañana", SYSTEMS_ANALYSIS, "2511"),
        ],
    ),
    *convention(
        "a_trainee_is_coded_to_the_field_he_trains_in",
        [
            # A trainee ("pasantes", "prácticas profesionales") is coded to the field he trains in, read as its
            # professional, the field written straight after the trainee word or after his area ("Área de ...").
            ("Prácticas Profesionales Arquitectura - Quito", "2161"),
            ("Pasantes Abogacía - Estudio Jurídico", "2611"),
            ("Pasantías en el Área de Marketing Digital", "2431"),
            ("Practicas pre profesionales Arquitectura", "2161"),
            # Guards: a trainee of no field stays unknown; good practices are no trainee.
            ("Pasantes", None),
            ("Pasante de Arquitectura", "2161"),
            ("Analista de Buenas Prácticas de Manufactura", "2141"),
        ],
    ),
    *convention(
        "a_bilingual_assistant_is_an_executive_secretary",
        [
            # An assistant the title qualifies only as bilingual assists an executive in two languages: the readers
            # code a secretary of the associate level (33), not an unknown.
            ("Asistente Bilingüe (Inglés - Español)", "3343"),
            ("ASISTENTE BILINGUE - Microcentro", "3343"),
            # Guards: an assistant of a named field keeps it; "bilingüe" after another job is still no job.
            ("Asistente Administrativa Bilingüe Portugués", "4110"),
            ("Asistente Contable Bilingüe", "4311"),
            ("Secretaria Bilingüe", "4120"),
            ("Asistente", None),
        ],
    ),
    *convention(
        "an_analyst_of_flights_is_a_travel_clerk",
        [
            # An analyst or assistant of flights or air tickets ("aéreos") books and quotes travel: a travel clerk.
            ("Analista de Vuelos - Agencia Mayorista", "4221"),
            ("Asistente de Aéreos para Tour Operador", "4221"),
            # Guards: a flight attendant keeps his group; a travel agent stays one.
            ("Auxiliar de Vuelo", "5111"),
            ("Agente de Viajes Corporativos", "4221"),
        ],
    ),
    *convention(
        "regulatory_affairs_in_english_is_a_regulations_specialist",
        [
            # A regulatory affairs manager, specialist or analyst in English is what "Analista de Asuntos Regulatorios"
            # is in Spanish: a specialist of regulations (2619), not an unknown.
            ("Regulatory Affairs Specialist - Medical Devices", "2619"),
            ("Regulatory Affairs Lead LATAM", "2619"),
            ("Senior Regulatory Analyst", "2619"),
            # Guards: the Spanish title and an English lawyer keep their groups.
            ("Analista de Asuntos Regulatorios Sr", "2619"),
            ("Corporate Lawyer", "2611"),
        ],
    ),
    *convention(
        "booking_appointments_is_contact_centre_work",
        [
            # A title that names only the task of booking appointments by phone is a contact-centre agent's job.
            ("Agendamiento de Citas - Medio Tiempo", "4222"),
            ("Agendadora de Turnos", "4222"),
            ("Agendamiento de Reuniones Comerciales", "4222"),
            # Guards: a receptionist and a telephone seller keep their groups.
            ("Recepcionista", "4226"),
            ("Vendedor Telefónico", "5244"),
        ],
    ),
    *convention(
        "an_intern_is_a_trainee_of_his_field",
        [
            # An English "intern" or "internship" is a trainee: coded to the field he trains in, as "Pasante de ..." is.
            ("Internship Finance", "2411"),
            ("Interns - Finanzas Corporativas", "2411"),
            ("Interns Recursos Humanos", "2423"),
            # Guards: an intern of no field stays unknown; an internist is a physician.
            ("Intern", None),
            ("Médico Internista", "2211"),
        ],
    ),
    *convention(
        "the_head_of_human_resources_is_its_manager",
        [
            # The "encargado" of human resources heads the department, as its "responsable" or "jefe" does: 1212.
            ("Encargada de Recursos Humanos - Planta Industrial", "1212"),
            ("Encargado de RRHH Pyme Zona Sur", "1212"),
            # Guards: an HR analyst and an assistant of the head keep their groups.
            ("Analista de RRHH", "2423"),
            ("Asistente de Encargado de RRHH", "4416"),
        ],
    ),
    *convention(
        "a_clerk_or_analyst_is_coded_the_clerk_named_first",
        [
            # "Administrativo / Analista Contable": a clerk named first, an analyst welcome; the readers code the clerk
            # of the field (as "Técnico/Ingeniero" is the technician).
            ("Auxiliar y Analista Contable - Pyme", "4311"),
            ("Administrativa / Analista Contable Jr", "4311"),
            # Guards: the analyst alone, and the analyst of an office's work, keep their groups.
            ("Analista Contable Jr", "2411"),
            ("Analista Administrativo", "4110"),
            ("Técnico/Ingeniero Eléctrico", "3113"),
        ],
    ),
    *convention(
        "a_measurement_inspector_is_a_testing_technician",
        [
            # An inspector who measures (hardness, wall thickness) or tests materials does what a non-destructive
            # testing inspector does: the readers' 3119, not an unknown.
            ("Inspector de Medición de Espesores - Yacimiento", "3119"),
            ("Inspector de Dureza Nivel II", "3119"),
            # Guards: building inspectors and production-line inspectors keep their groups.
            ("Inspector de Obras", "3123"),
            ("Inspector de Línea - Planta Envasadora", "7543"),
        ],
    ),
    *convention(
        "a_dispatcher_is_a_transport_clerk",
        [
            # An English dispatcher or dispatch coordinator schedules crews and vehicles: a transport clerk (4323).
            ("Dispatcher - Night Shift", "4323"),
            ("Dispatch Coordinator for Field Technicians", "4323"),
            # Guards: a customs broker and a logistics coordinator keep their groups.
            ("Despachante de Aduana", "3331"),
            ("Logistics Coordinator", "4323"),
        ],
    ),
]


@pytest.mark.parametrize(("title", "description", "group"), CASES)
def test_the_readers_convention_codes_the_title(
    coder: OccupationCoder, title: str, description: str, group: str | None
) -> None:
    code = coder.code(title, description)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    ("key", "group", "expected"),
    [
        ("analista contable y de nomina", "2411", "4313"),
        ("analista de creditos y cobranzas", "3312", "4311"),
        ("analista funcional de pagos", "2511", "2511"),  # not a business field's analyst
        ("coordinador de cobranzas", "2411", "2411"),  # not an analyst
        ("analista de impuestos", "2411", "2411"),  # no transaction
        ("analista de proyectos de distribucion", "4323", "2421"),
        ("analista de distribucion", "4323", "4323"),  # no project
        ("asistente de proyectos de logistica", "4323", "4323"),  # not an analyst
    ],
)
def test_analyst_level(key: str, group: str, expected: str) -> None:
    assert analyst_level(key, group) == expected


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ("envases plasticos en lineas de extrusion de polietileno", "8142"),
        ("planta quimica con reactores y solventes", "8131"),
        ("empresa de alimentos", None),  # one word is no process
        ("plasticos y alimentos", None),  # a tie names none
    ],
)
def test_plant_process(evidence: str, expected: str | None) -> None:
    assert plant_process(evidence) == expected
