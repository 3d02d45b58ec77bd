"""Skills recall (issue 16, parts 1-3): a label glued to its first item once the portal dropped the line break
("Requisitos:Manejo de…", "mecanizado CNC.Realizar…"), the subject a teacher teaches, CamelCase product names, the
acronyms of an example list ("marco legal argentino (CCCN, LCT, …)"), and bullets run into their line."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor, _blank_pipeline, token_text
from observatory.skills.normalize import fold


def _names(built_extractor: SkillExtractor, text: str, title: str | None = None) -> set[str]:
    return {m.name for m in built_extractor.extract(text, title=title).mentions}


# -- a label glued to its first item: "Requisitos:X" (807 of 8,172 real postings glue a word to a colon) and a
# sentence glued after an acronym, "CNC.Realizar" (400 postings)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Perfil buscado:Experiencia en ventas del canal industrial comprobable (mínimo 3 años).", "Ventas"),
        ("Principales responsabilidades:Liquidación de prestaciones médicas ambulatorias e internación.",
         "Facturación médica"),
        ("Responsabilidades principales:Elaborar informes de gestión para la Dirección.", "Redacción de informes"),
        ("Las principales tareas serán:Facturación en sistema Tango, armado de recibos.", "Facturación"),
        ("Requisitos:Ingles avanzado conversacional. Disponibilidad horaria.", "Inglés"),
        ("Requisitos:REGISTRO DE CONDUCIR AL DIA.Edad: 25 a 40 años.", "Licencia de conducir"),
        ("Tareas: implementar procedimientos de normas ISO.Controlar el stock del depósito.",
         "Sistemas de gestión de calidad"),
        ("Requisitos: experiencia operando SCADA.Asegurar la continuidad operativa.", "Automatización industrial"),
        ("Excluyente: manejo de EXCEL.Perfil analítico y ordenado.", "Pensamiento analítico"),
        ("Requisitos: manejo de herramientas ERP.Conocimientos contables sólidos.", "Contabilidad"),
    ],
)  # fmt: skip
def test_a_glued_label_or_sentence_does_not_hide_the_skill(
    built_extractor: SkillExtractor, text: str, name: str
) -> None:
    assert name in _names(built_extractor, text)


@pytest.mark.parametrize(
    ("glued", "spaced"),
    [
        ("Requisitos:Manejo de SAP y Excel avanzado.", "Requisitos: Manejo de SAP y Excel avanzado."),
        ("Tareas:Atención al cliente y manejo de caja.", "Tareas: Atención al cliente y manejo de caja."),
        ("Conocimientos de mecanizado CNC.Lectura de planos.", "Conocimientos de mecanizado CNC. Lectura de planos."),
    ],
)
def test_a_glued_label_reads_as_the_spaced_one(built_extractor: SkillExtractor, glued: str, spaced: str) -> None:
    found = [(m.name, m.surface, m.method) for m in built_extractor.extract(glued).mentions]
    assert found == [(m.name, m.surface, m.method) for m in built_extractor.extract(spaced).mentions]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("Certificación ISO 9001:2015", "9001:2015"),  # a standard's year
        ("Horario de 9:00 a 18:00hs", "18:00hs"),  # times
        ("Python 3.11 y Angular v2.0", "v2.0"),  # versions
        ("Sueldo de 1.500.000 mensuales", "1.500.000"),  # thousands
        ("Enviar CV a rrhh@empresa.com.ar", "rrhh@empresa.com.ar"),  # e-mails
        ("Más información en www.empresa.com", "www.empresa.com"),  # web addresses
        ("Empresa Constructora S.A. busca", "S.A"),  # abbreviations
        ("Experiencia en Node.js y Vue.js", "Node.js"),
    ],
)
def test_numbers_addresses_and_abbreviations_stay_one_token(text: str, token: str) -> None:
    tokens = [t.text for t in _blank_pipeline().tokenizer(token_text(fold(text)))]
    assert fold(token) in tokens, tokens


def test_a_standard_with_its_year_is_still_found(built_extractor: SkillExtractor) -> None:
    assert "ISO 9001" in _names(
        built_extractor, "Requisitos:Conocimiento de la norma ISO 9001:2015 y auditorías internas."
    )


def test_glued_text_keeps_offsets(built_extractor: SkillExtractor) -> None:
    text = "Requisitos:Manejo de Excel avanzado.Conocimientos de SAP.Tareas:Facturación y cobranzas."
    mentions = built_extractor.extract(text).mentions
    assert mentions
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface


# -- the subject a teacher teaches, where no vocabulary entry names it ("Docente de Química", "Profesor/a de Tenis")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Colegio secundario busca Docente de Química para 4to y 5to año. Requisitos: título habilitante.", "Química"),
        ("Club de Nordelta busca Profesor/a de Tenis para escuelita de menores.", "Tenis"),
        ("Se requiere docente de Ciencias Naturales para trabajar desde 2do a 7mo de básica.", "Ciencias Naturales"),
        ("Estudio de Pilates busca profesora de Pilates (Mat & Reformer) para zona norte.", "Pilates"),
        ("Instituto busca Instructores de Informática con experiencia para dictar clases presenciales.",
         "Informática"),
        ("Universidad privada busca Docente en Ciencias de la Educación para la carrera de grado.",
         "Ciencias de la Educación"),
        ("Escuela de manejo busca Instructor de Conducción con movilidad propia.", "Conducción"),
    ],
)  # fmt: skip
def test_the_subject_a_teacher_teaches_is_a_skill(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    assert surface in [m.surface for m in built_extractor.extract(text).mentions]


@pytest.mark.parametrize(
    ("text", "not_surface"),
    [
        ("Un docente de calidad es aquel que acompaña a cada alumno.", "calidad"),  # how good, not what
        ("Buscamos Docente de Nivel Inicial para jardín maternal.", "Inicial"),  # a school level
        ("Buscamos profesor de primaria entusiasta y con experiencia.", "primaria entusiasta"),
        ("Tareas: asesorar a los docentes en políticas inclusivas del colegio.", "políticas inclusivas"),
        ("Requisitos: experiencia docente en escuelas secundarias de la zona.", "escuelas secundarias"),
        ("Buscamos Profesor/a de Educación Física responsable, proactivo/a y puntual.", "responsable"),
        ("Colegio busca Docentes de Educación Básica de 2do a 7mo.", "Educación"),
        ("Como Profesor/a de Informática, tendrás la responsabilidad de diseñar actividades.",
         "tendrás la responsabilidad de diseñar"),
    ],
)  # fmt: skip
def test_what_is_no_subject_taught_is_left_out(built_extractor: SkillExtractor, text: str, not_surface: str) -> None:
    assert not_surface not in [m.surface for m in built_extractor.extract(text).mentions]


# -- a CamelCase product name is not cut to a word of it ("ThousandEyes" is not "Thousand", "CloudWatch" not "Cloud")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Requisitos: observabilidad con Grafana, Prometheus, CloudWatch, ELK, etc.", "Cloud"),
        ("Requisitos: conectividad híbrida en Azure implementando ExpressRoute, VPN y firewalls.", "Express"),
        ("Requisitos: frameworks de pruebas (Selenium, PyTest, PerlTest, JUnit).", "Perl"),
        ("Responsabilidades: aplicar prácticas de GitOps y ArgoCD en los despliegues.", "Git"),
        ("Requisitos: despliegues en AWS empleando CloudFront y CloudFormation.", "Cloud"),
    ],
)
def test_a_product_name_is_not_cut_to_a_word_of_it(built_extractor: SkillExtractor, text: str, part: str) -> None:
    assert part not in [m.surface for m in built_extractor.extract(text).mentions]


def test_a_listed_product_name_is_kept_whole(built_extractor: SkillExtractor) -> None:
    text = (
        "Requisitos: Conocimientos en observabilidad y monitoreo de red (NetFlow, sFlow, SNMP, syslog, ThousandEyes, "
        "PRTG, SolarWinds, Azure Monitor). Experiencia en diseños activo-activo."
    )
    surfaces = [m.surface for m in built_extractor.extract(text).mentions]
    assert "ThousandEyes" in surfaces and "Thousand" not in surfaces, surfaces


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # Glued line breaks are still two words: the first is the skill.
        ("Requisitos: conocimientos de ExcelContar con 1 año de experiencia en el área.", "Excel"),
        ("Requisitos: manejo de Autocad/SolidworksDominio de inglés.", "SolidWorks"),
        ("Analista Sr. de Contabilidad e ImpuestosSolida industria de zona sur busca analista.", "Tributación"),
        ("Acerca del área de AuditoríaEn Auditoría brindamos confiabilidad.", "Auditoría"),
        # A three-part name keeps the two-part name inside it.
        ("Tareas: pruebas de integración con SpringBootTest y WireMock.", "Spring Boot"),
    ],
)
def test_a_glued_line_break_is_no_product_name(built_extractor: SkillExtractor, text: str, name: str) -> None:
    assert name in _names(built_extractor, text)


# -- the acronyms of an example list after a cue's object ("marco legal argentino (CCCN, LCT, leyes societarias…)")


@pytest.mark.parametrize(
    ("text", "acronyms"),
    [
        ("Requisitos: Amplio conocimiento del marco legal argentino (CCCN, LCT, leyes societarias y convenios "
         "laborales). Inglés avanzado.", ["CCCN", "LCT"]),
        ("Requisitos: Experiencia en protocolos de ruteo dinámico (BGP, OSPF, MPLS) y redes LAN.", ["BGP", "OSPF"]),
        ("Requisitos: Conocimiento de normativas regulatorias (FDA, EMA, ICH) para productos farmacéuticos.",
         ["FDA", "EMA", "ICH"]),
    ],
)  # fmt: skip
def test_the_acronyms_of_an_example_list_are_skills(
    built_extractor: SkillExtractor, text: str, acronyms: list[str]
) -> None:
    surfaces = [m.surface for m in built_extractor.extract(text).mentions]
    assert all(acronym in surfaces for acronym in acronyms), surfaces


@pytest.mark.parametrize(
    ("text", "not_surface"),
    [
        # Two-letter acronyms and the other items of the list are left to the usual rules.
        ("Requisitos: Experiencia previa en ventas (preferentemente en telecomunicaciones, IT o electrónica).", "IT"),
        ("Requisitos: Experiencia en atención al público en rubros de tecnología (celulares, audio, TV).", "audio"),
        ("Requisitos: Experiencia en venta de intangibles (salud, seguros, etc.) y venta telefónica.", "salud"),
    ],
)
def test_other_items_of_an_example_list_are_not_added(
    built_extractor: SkillExtractor, text: str, not_surface: str
) -> None:
    assert not_surface not in [m.surface for m in built_extractor.extract(text).mentions]


# -- a bullet run into its line ends the item before it; a meeting with the people the job serves is a task


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Funciones: * La planificación de clases * Reuniones con las familias * Participar de salidas educativas",
         "Reuniones con las familias"),
        ("Responsabilidades: Elaborar reportes. Corregir errores en módulos. Reuniones con clientes. Revisión de "
         "avances.", "Reuniones con clientes"),
        ("Responsabilidades: • Reunión con potenciales clientes • Presentación de propuestas",
         "Reunión con potenciales clientes"),
        ("Competencias: • Comunicaciones internas • Orientación al resultado • Trabajo en equipo",
         "Orientación a resultados"),
        ("Tareas: • Cierre de cajas • Realizar cocción de productos • Atención al cliente", "cocción de productos"),
    ],
)  # fmt: skip
def test_a_bullet_run_into_its_line_ends_the_item(built_extractor: SkillExtractor, text: str, name: str) -> None:
    assert name in _names(built_extractor, text)


def test_a_folded_slash_is_no_bullet(built_extractor: SkillExtractor) -> None:
    # Folding blanks "/" as it blanks "•": "Importación / exportación" stays one item.
    assert "Comercio exterior" in _names(built_extractor, "Requisitos: Importación / exportación. Manejo de Excel.")
