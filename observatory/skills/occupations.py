"""Occupation of a posting: an ISCO-08 unit group (and the nearest ESCO occupation in it) from the job title.

Titles are read the way a labour statistician codes them: Latin American job words first (a table of titles
and heads: "vendedor", "asesor comercial", "repositor", "chofer", "mozo"…), the head of the title before its
modifiers ("representante comercial" is a sales representative, not a chief executive), seniority and rank
words ("Sr", "líder", "jefe de equipo", "supervisor") never pulling a job into the management groups (the
head of a department, "jefe de producción", "jefe de compras", manages an organisation unit and is coded so), the
description (and extracted skills) as evidence where the title is vague ("asesor", "operador de call center")
or says nothing, the title's own tail or parenthesis where it places a generic head ("Vendedor para provincias",
"SUPERVISORES (Industria del Packaging)", "Ejecutivo de ventas - Agencia de viajes"), and an honest "unknown" with
the reason when nothing names the job. Titles the table does not know are compared with the ~3,000 ESCO
occupations' Spanish labels by character n-gram TF-IDF, sharing the title's head word and leaving the management
groups to titles that say "gerente" or "director"; a role word alone ("Gestor Sr") is never matched to a label.
Two roles named together ("Técnico/Ingeniero Eléctrico") are the technician named first; a part naming the unit
the job sits in ("Jefe de Eventos - Gerencia de Marca") is no manager's title; a "técnico" of a professional field
is its associate professional; what any posting offers ("beneficios", "capacitación") names no job's domain. A title
that names no job ("Asesora", "Atención al público") is read by what its description says the job does, its tasks
and its place (a shop floor, a telephone line, a front desk), and only when several of them agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from observatory.skills.char_tfidf import CharNgramIndex
from observatory.skills.esco_bundle import EscoBundle, bundled_esco
from observatory.skills.gazetteer import place_names
from observatory.skills.normalize import fold_key

OCCUPATION_CODER_VERSION = "2026.12.17"
MIN_CONFIDENCE = 0.6  # below it an ESCO label is another job (read on real titles): the title is "unknown"
UNKNOWN = "unknown"
TITLE = "title"
DESCRIPTION = "description"

# Latin American titles and title heads -> ISCO-08 unit group. Each line: a unit group, then alternatives
# (regular expressions over the folded, lower-case title, matched on word boundaries). Where several match,
# the one starting first wins (Spanish titles put the head first: "analista de marketing", "técnico en
# refrigeración"), and the longest of those (the head with its qualifier: "vendedor externo" over "vendedor").
# Rank words (encargado, supervisor, líder, responsable, coordinador, jefe of a team or a shift) are no rule of their
# own: the job they rank is coded, in its own group. The head of a department ("jefe de compras") runs an
# organisation unit: ISCO-08 codes it as a manager; only that, "gerente", "director" and C-level titles reach
# ISCO major group 1.
_TITLE_RULES = r"""
1120: gerente general | director general | ceo | country manager | director ejecutivo | chief executive officer |
      general manager
1211: gerente (?:de )?(?:administracion|finanzas|adm)\b.* | gerente administrativ[oa] |
      (?:responsable|encargad[oa]) de (?:administracion y finanzas|contabilidad y administracion|
      administracion y contabilidad|finanzas y administracion) |
      jefe de (?:administracion|finanzas|contabilidad|impuestos|tesoreria|cuentas por pagar|control de gestion) |
      director (?:de )?(?:administracion|finanzas|financiero) | cfo | jefe administrativ[oa](?: y)?(?: financier[oa])?
1212: gerente (?:de )?(?:recursos humanos|rrhh|rr hh|personas|capital humano) | jefe de relaciones laborales |
      (?:responsable|encargad[oa]) de (?:recursos humanos|rrhh|rr hh|capital humano) |
      jefe de (?:recursos humanos|rrhh|rr hh|personal|talento humano|capital humano) |
      director de (?:recursos humanos|rrhh)
1219: gerente | director (?:de )?(?:operaciones|proyectos?) | project manager | gerente de proyectos? |
      (?:jefe|jefa|responsable|gerente) de (?:la )?delegacion
1221: gerente (?:de )?(?:comercial|ventas|marketing|negocios) |
      jefe (?:de )?(?:ventas|comercial|marketing|comercio electronico|ecommerce|e commerce) |
      director(?:a)? (?:comercial|de ventas|de marketing) | cmo | chief marketing officer
1311: (?:gerente|responsable|jefe|administrador(?:a)?) (?:de )?(?:gestion |produccion |explotacion )?(?:agropecuari[oa]|
      agricola|ganader[oa]|estancia|establecimiento agropecuario)
1321: gerente (?:de )?(?:planta|produccion|fabrica|industrial) | jefe de (?:produccion|planta|fabrica|manufactura) |
      jefe de operaciones (?:de )?(?:planta|produccion|fabrica|industriales)
1323: jefe de obras? | director de obras? | jefe de obra civil | gerente de obras?
1322: (?:gerente|jefe|responsable|superintendente|director(?:a)?) (?:de )?(?:servicios |operaciones )?(?:mina|minas|
      mineri[ao]|mineros|mineras)
1324: gerente (?:de )?(?:logistica|supply chain|cadena de suministro|distribucion|compras|abastecimiento) |
      (?:gerente|jefe) (?:de(?:l)? )?centros? de distribucion |
      jefe de (?:transporte|trafico|flota|expedicion) |
      jefe de (?:compras|abastecimiento|logistica|supply chain|almacen|deposito|distribucion) |
      responsable de (?:logistica|supply chain|cadena de suministro)
1342: jefe de (?:medicina \w+|servicio medico|servicios medicos) |
      (?:(?:coordinador(?:a)?|supervisor(?:a)?|gerente|responsable|administrador(?:a)?|
      director(?:a)?)(?: de operaciones)?|jefe de operaciones)(?: (?:para|de|del|en)(?: un| una| el| la)?)?
      (?:centros? medicos?|clinicas?(?! medica)|sanatorios?|policlinic[oa]s?|centros? de salud|hospital(?:es)?) |
      gerente de (?:operaciones )?(?:odontologic[oa]s?|medic[oa]s?)
1330: gerente (?:de )?(?:sistemas|it|tecnologia|ti) | (?:encargad[oa]|responsable) de (?:sistemas|it|tecnologia) |
      cto | cio | jefe de (?:sistemas|it|tecnologia|infraestructura)
1411: gerente (?:de )?hotel | administrador(?:a)? de (?:hotel|hostal|hosteria)
1412: gerente (?:de )?(?:restaurante|restaurant|gastronomico) |
      (?:encargad[oa]|jefe|gerente|responsable) de (?:bar|bares|restaurantes?|cafeteria|confiteria|local gastronomico) |
      (?:encargad[oa]|jefe|jede|responsable) (?:de )?(?:operaciones )?gastronomic[oa]s? |
      administrador(?:a)? de (?:restaurante|local gastronomico|bar|cafeteria)
1420: gerente (?:de )?(?:sucursal|tienda|local|retail|agencia) | jefe de agencia
2131: bioquimic[oa] | biolog[oa]
2113: quimic[oa] | (?:analista|especialista|jefe|responsable|coordinador(?:a)?) de desarrollo analitico
2120: actuari[oa] | actuarial
2141: ingenier[oa] industrial | ingenieria industrial |
      ingenier[oa] de (?:procesos|produccion|calidad|planificacion|planeamiento|planta|mejora continua) |
      (?:ingenier[oa]|especialista|analista) (?:en |de )?(?:automatizacion (?:y control|industrial)|
      control de procesos) |
      ingenier[oa] (?:en |de )?automatizacion(?! de (?:qa|pruebas|tests?|software)| e inteligencia)
2142: ingenier[oa] civil | ingenieria civil
2144: ingenier[oa] en mecanic[oa] | ingenier[oa] de (?:desarrollo|diseno) | ingenier[oa] electromecanic[oa]
2145: ingenier[oa] en quimic[oa]
2151: ingenier[oa] electric[oa]|ingenier[oa] electricista | estudios electricos
2152: ingenier[oa] en electronic[oa]
2132: ingenier[oa] agronom[oa] | agronom[oa]
2149: ingenier[oa] | oficina tecnica
2141: planificador(?:a)? de (?:la )?(?:produccion|planta) | planner de produccion |
      (?:planeamiento|planificacion)(?: y control)? de (?:la )?produccion | pcp
2161: arquitect[oa]
2165: topograf[oa] | agrimensor(?:a)?
2163: disenador(?:a)? industrial | disenador(?:a)? de (?:productos?|indumentaria|modas?|calzados?|accesorios|joyas)
2166: disenador(?:a)? (?:grafic[oa]|ux|ui|web|multimedia) | comunicacion visual | disenador(?:a)? | ux ui | ux |
      renderista |
      (?:creador(?:a)?|generador(?:a)?) de contenidos?(?: \w+)? |
      ui designer |
      motion graphics?
2250: ^veterinari[oa] | medic[oa] veterinari[oa]
2211: medic[oa] (?:clinic[oa]|general|de familia|generalista) | auditor(?:a)? medic[oa] |
      (?<!centro )(?<!centros |equipos |insumos )(?<!liquidacion |institucion )(?<!prestaciones |equipamiento )medic[oa]
2212: medic[oa] (?:especialista|\w+olog[oa]|pediatra|cirujan[oa]|geriatra|fisiatra) |
      medic[oa]s? (?:laboral(?:es)?|del trabajo|ecografistas?|esp|especialistas?) | clinica medica | medicina interna |
      psiquiatra | psiquiatria |
      especialista en (?:dermat|oftalm|neum|ginec|anestesi|neur|cardi|ur|endocrin|gastroenter|oncol|reumat|nefr|
      hemat|infect|neonat|diabet|flebol|alerg|traumat)ologia |
      (?:dermat|oftalm|neum|ginec|anestesi|neur|cardi|ur|endocrin|gastroenter|oncol|otorrinolaring|reumat|nefr|
      hemat|infect|neonat|diabet|flebol|alerg)olog[oa] | pediatra | geriatra | fisiatra | cirujan[oa]
2221: enfermer[oa] | licenciad[oa] en enfermeria | lic en enfermeria |
      (?:jefe|supervisor(?:a)?|coordinador(?:a)?|responsable) de enfermeria
2261: odontolog[oa] | dentista
2262: farmaceutic[oa] | (?:bio)?quimic[oa] farmaceutic[oa] | director(?:a)? tecnic[oa]
2264: kinesiolog[oa] | fisioterapeuta | kinesiologia | licenciad[oa] en kinesiologia
3255: masajista | masoterapeuta
2265: nutricionista | licenciad[oa] en nutricion
2222: obstetriz | obstetra | partera | licenciad[oa] en obstetricia
2266: fonoaudiolog[oa] | fonoaudiologia | logopeda
2269: profesional(?:es)? de (?:la )?salud |
      terapista ocupacional | terapeuta ocupacional | estimulacion temprana | estimulador(?:a)? temprana
2320: docente de (?:formacion profesional|oficios)
2330: profesor(?:a)? de (?:secundaria|nivel medio) | docente de (?:secundaria|nivel medio)
2341: maestr[oa] | docente de (?:primaria|nivel primario) | docente | profesor(?:a)? | teacher
2342: maestra jardinera | docente de nivel inicial | parvulari[oa] | docente de educacion inicial | docente inicial
2356: instructor(?:a)? de (?:informatica|computacion|programacion|robotica)
2354: (?:profesor(?:a)?|instructor(?:a)?|maestr[oa]|docente|tallerista) de (?:musica|canto|guitarra|piano|
      violin|bateria)
2355: (?:profesor(?:a)?|instructor(?:a)?|maestr[oa]|docente|tallerista) de (?:artes?(?: plasticas| visuales)?|dibujo|
      pintura|teatro|danza|ceramica|baile|tango)
2359: tutor(?:a)? | acompanante pedagogic[oa]
2411: contador(?:a)?(?: public[oa])? | ^auditoria(?: interna| externa| contable)? | accounting advisor | tesorer[oa] |
      (?:planeamiento|planificacion) y control de gestion | control de gestion |
      auditor(?:a)? | senior de auditoria | (?:asistente|auxiliar|ayudante) de auditoria
2412: asesor(?:a)? financier[oa] | planificador(?:a)? financier[oa] |
      (?:asesor(?:a)?|especialista) (?:en |de )?planificacion financiera
2413: analista (?:de )?(?:planeamiento|planificacion) financier[oa] | analista financier[oa] | analista de finanzas |
      fp ?a | middle office(?:r)?
2421: analista de procesos | mejora continua | consultor(?:a)? de (?:gestion|procesos|negocios)
2423: hrbp | business partner | recruiter | reclutador(?:a)? | hr generalista |
      generalista (?:de )?(?:rrhh|rr hh|recursos humanos|hr) |
      analista de (?:recursos humanos|rrhh|rr hh|seleccion|reclutamiento|talento) | talent acquisition | selectora?
2424: analista de (?:formacion|capacitacion)
2431: mercadeo | marketing | paid media | media buyer | performance marketing | trafficker |
      analista comercial | analista (?:de )?ventas | analista de precios | pricing |
      growth | social media | ecommerce | e commerce | investigacion de mercados? | market research
2432: relaciones (?:publicas|institucionales) | prensa y comunicacion | analista de comunicacion | community manager
2433: especialista en aplicaciones | (?:agente|visitador(?:a)?) de propaganda medica | propaganda medica |
      asesor(?:a)? de ventas? tecnic[oa] | visitador(?:a)? medic[oa] |
      (?:representante|profesional|promotor(?:a)?) tecnic[oa] comercial |
      ingenier[oa] de ventas | asesor(?:a)? tecnic[oa] comercial | product specialist
2511: arquitect[oa] (?:ti|it|cloud|de datos|de sistemas|de infraestructura|de nube|tecnologic[oa]|rpa|java|net|sap|
      salesforce|de integracion|de aplicaciones|node|backend|back end|frontend|front end|python) |
      implementador(?:a)? | architect (?:it|ti|cloud|de datos|de sistemas|de software|de soluciones) |
      analista (?:de )?sistemas | analista de negocios | analista (?:tecnico )?funcional | data science |
      (?:consultor(?:a)? )?funcional (?:sap|erp|oracle)\w* | consultor(?:a)? (?:sap|erp) |
      product owner | business analyst | analista de datos | data analyst |
      data scientist | cientific[oa] de datos | data engineer | ingenier[oa] de datos |
      (?:ingenier[oa]|desarrollador(?:a)?|analista|especialista) (?:de |en )?etl |
      arquitect[oa] (?:\w+ )?de (?:software|soluciones) | bi | business intelligence |
      ingenier[oa] de plataformas? de datos
2512: tech lead | lider tecnico | desarrollador(?:a)?(?: de software)? | programador(?:a)?(?: de software)? |
      developer | desarrollo de software | full ?stack | front ?end | back ?end | software engineer |
      ingenier[oa] de software | ingenier[oa] en sistemas | ingenier[oa] informatic[oa] |
      (?:java|python|net|php|react|angular|node|mobile|android|ios) (?:developer|dev|sr|ssr|jr) |
      analista (?:tecnico |programador(?:a)? )?(?:java|python|php|net|node|react|angular|cobol|abap) |
      ingenier[oa] (?:golang|java|python|net|php|react|node|backend|frontend|full ?stack)
2513: desarrollador(?:a)? web | programador(?:a)? web | wordpress
2519: qa | tester | quality assurance | (?:analista|ingenier[oa]) de calidad de software |
      automatizador(?:a)? de pruebas | analista de (?:testing|pruebas)
2521: dba | administrador(?:a)? de bases? de datos
2522: administrador(?:a)? de (?:sistemas|redes) | ingenier[oa] de infraestructura(?: it| ti| cloud)? |
      coordinador(?:a)? de (?:sistemas|it|tecnologia|infraestructura) | sysadmin |
      devops | sre | infraestructura it | especialista en infraestructura | ingenier[oa] de fiabilidad
2522: (?:analista|especialista|administrador(?:a)?|consultor(?:a)?) de soporte (?:it|ti|informatico)
      (?:e |y )?infraestructura
2511: (?:especialista|consultor(?:a)?|referente|lider|experto|experta) (?:tecnico )?funcional
2523: ingenier[oa] de redes | network engineer
1343: director(?:a)? (?:de(?:l)? )?(?:hogar|geriatrico|residencia geriatrica|residencia de adultos mayores)
1345: director(?:a)? (?:pedagogic[oa]|academic[oa]|de escuela|de colegio|de estudios|de nivel|nivel) |
      director(?:a)? (?:de )?(?:primaria|primario|secundaria|secundario|inicial|jardin) | rector(?:a)? |
      vice ?director(?:a)?
5419: guardavidas | salvavidas | socorrista
2529: seguridad informatica | ciberseguridad | cybersecurity | seguridad de la informacion
2611: abogad[oa] | ^abogacia | ^derecho | asesor(?:a)? legal | legal | paralegal abogad[oa]
3411: asistente legal | asistente juridic[oa] | procurador(?:a)? | paralegal | mandatari[oa](?: del? automotor)? |
      gestor(?:a)? (?:del? )?automotor | gestoria (?:del? )?automotor
2634: psicolog[oa] | psicopedagog[oa] | licenciad[oa] en (?:psicologia|psicopedagogia)
2635: trabajador(?:a)? social | asistente social
2642: periodista | redactor(?:a)? | content writer | copywriter | editor(?:a)? de (?:contenidos?|textos|libros)
2643: traductor(?:a)? | interprete
2654: editor(?:a)? (?:de )?(?:videos?|audiovisual) | video editor | videografo
2656: streamer | locutor(?:a)? | presentador(?:a)? de (?:radio|television|tv|streaming)
3111: tecnic[oa] (?:quimic[oa]|de laboratorio) | laboratorista | analista de laboratorio
3112: tecnic[oa] en construccion | maestro mayor de obras? | mmo
3113: tecnic[oa] en electricidad
3114: tecnic[oa] electronic[oa] de (?:desarrollo|diseno) | instrumentista | tecnic[oa] (?:en |de )?instrumentacion |
      (?:especialista|analista|tecnic[oa]|programador(?:a)?) (?:en |de )?(?:plc|scada)
3115: tecnic[oa] mecanic[oa] | jefe de mantenimiento | supervisor(?:a)? de mantenimiento |
      inspector(?:a)? de mantenimiento |
      planificador(?:a)? de mantenimiento |
      responsable de mantenimiento
3118: dibujante | proyectista | cadista | autocad
3119: tecnic[oa] de (?:calidad|procesos|produccion) | inspector(?:a)? end | ensayos no destructivos |
      particulas magneticas | inspector(?:a)? de soldadura |
      inspector(?:a)? de (?:medicion|medicion de (?:dureza|espesores?)|ensayos?|dureza|espesores?|ultrasonido) |
      auditor(?:a)? (?:\w+ )?de calidad |
      analista de calidad | control de calidad | calidad |
      inspector(?:a)? de calidad | tecnic[oa] de alimentos
3122: supervisor(?:a)? de (?:produccion|planta|turno|linea) | jefe de (?:turno|linea) |
      responsable de (?:produccion|planta) | encargad[oa] de (?:produccion|planta|turno)
3123: capataz | supervisor(?:a)? de obras? | sobrestante | superintendente de obras?
3211: tecnic[oa] radiolog[oa] | ecografista | tecnic[oa] en (?:imagenes|radiologia|diagnostico por imagenes)
3212: laboratorista clinic[oa] | tecnic[oa] (?:de|en) laboratorio (?:de )?(?:analisis )?clinic[oa]s? | bioanalista |
      hemoterapista |
      tecnic[oa] (?:en |de )?hemoterapia
3254: contactolog[oa]
3344: (?:administrativ[oa]|asistente|auxiliar|secretari[oa]) de auditoria medica
3213: tecnic[oa] en farmacia | auxiliar de farmacia | ayudante de farmacia | regente de farmacia
3214: tecnic[oa] dental | protesista dental | mecanic[oa] dental | laboratorista dental
3221: instrumentador(?:a)? quirurgic[oa] | instrumentacion quirurgica | tecnic[oa] en enfermeria
3251: asistente dental | auxiliar odontologic[oa] | asistente odontologic[oa]
2263: licenciad[oa] (?:en |de )?(?:higiene y seguridad|seguridad e higiene) |
      jefe de (?:medio ambiente|seguridad e higiene|higiene y seguridad|hse|ehs|sso) |
      ingenier[oa] (?:en |de )?(?:seguridad e higiene|higiene y seguridad)
3257: tecnic[oa] en higiene y seguridad | tecnic[oa] en seguridad | higiene y seguridad | seguridad e higiene | hse |
      seguridad ocupacional | seguridad y salud ocupacional | seguridad industrial |
      ehs
3315: (?:investigador|liquidador|analista|perito|inspector|verificador)(?:a)? de siniestros | tasador(?:a)?
4312: liquidador(?:a)? de (?:prestaciones|reintegros|facturacion medica) | analista de prestaciones |
      liquidacion (?:de )?(?:prestaciones|reintegros|medica)
3431: fotograf[oa]
3312: analista de creditos? | (?:asesor(?:a)?|gestor(?:a)?) de (?:creditos?|microcreditos?) |
      oficial de microcreditos? | oficial de (?:creditos?|cuentas|negocios|empresas|banca \w+)
2411: analista contable | analista de contabilidad
3313: analista de costos
3321: asesor(?:a)? de seguros | suscriptor(?:a)?(?: de (?:seguros|riesgos))? |
      (?:agente|asesor(?:a)?|ejecutiv[oa]|vendedor(?:a)?)(?: \w+){0,3} (?:de )?seguros |
      (?:asesor(?:a)?|ejecutiv[oa]|vendedor(?:a)?)(?: \w+)? (?:de )?(?:prepagas?|medicina prepaga|planes de salud|
      servicios de salud|cobertura medica) |
      productor(?:a)? (?:asesor(?:a)? )?de seguros |
      ejecutiv[oa] (?:comercial )?(?:de )?seguros | agente de seguros
3322: asesor(?:a)? comercial | lider(?:es)? (?:de )?(?:equipo de )?(?:ventas|comercial) | rtv | sdr | bdr |
      captador(?:a)? de clientes | cotizador(?:a)? |
      ejecutiv[oa] (?:de )?(?:fidelizacion|retencion)(?: (?:de )?(?:cuentas|clientes|cartera))? |
      representante de desarrollo de (?:ventas|negocios) | sales development |
      vendedor(?:a|es)? (?:externo|de campo|preventista|tecnic[oa]|b2b|industrial) |
      vendedor(?:a|es)? (?:corporativ[oa]|mayorista|de calle|viajante|para empresas) | preventista | viajante |
      representante (?:tecnic[oa] )?(?:comercial|de ventas) |
      ejecutiv[oa] (?:comercial|de ventas|de cuentas?|de negocios|ventas|corporativ[oa]) | key account(?: manager)? |
      ventas? (?:mayoristas?|corporativas?|b2b|industrial(?:es)?) |
      kam | account (?:executive|manager) | asesor(?:a)? comercial externo | comercial | closers? |
      cerrador(?:es)? de ventas | agente comercial | agentes? de ventas? | desarrollador(?:a)? de negocios |
      business development |
      subdistribuidor(?:a)? | inside sales | sales (?:executive|representative|manager) | supervisor(?:a)? de ventas |
      lider comercial | coordinador(?:a)? comercial | asesor(?:a)? de inversiones |
      asesor(?:a)? comisionista
3323: (?:planificacion|planeamiento|planificador(?:a)?|analista de planificacion) de compras |
      abastecimiento | comprador(?:a)? | analista de compras | asistente de compras | compras
3331: administrativ[oa] de (?:importaciones|exportaciones|comercio exterior) | (?:agente|operador(?:a)?) maritim[oa] |
      despachante | agente de carga | freight forwarder | forwarder | comercio exterior |
      analista de importaciones | asistente de importaciones | importaciones | exportaciones |
      despachante de aduanas?
3334: (?:broker|asesor(?:a)?|asistente|agente|corredor(?:a)?|martiller[oa]) inmobiliari[oa] | inmobiliaria |
      martiller[oa] | administrador(?:a)? de consorcios?
3341: team leader | lider de equipo de (?:call|contact) center |
      (?:responsable|coordinador(?:a)?|jefe|encargad[oa]) de (?:call center|contact center|centro de llamadas) |
      supervisor(?:a)? de (?:call center|contact center|atencion al cliente|cobranzas?|facturacion|data entry) |
      (?:supervisor(?:a)?|lider) (?:de )?(?:administracion|administrativ[oa])
3343: asistente (?:ejecutiv[oa]|de gerencia|de direccion|bilingue) | asistente de (?:director|gerente)\w* |
      secretari[oa] (?:de )?(?:direccion|gerencia|ejecutiv[oa])
3422: coach(?:ing)? (?:de )?deportes? | entrenador(?:a)? deportiv[oa]
3332: organizador(?:a)? de eventos | (?:coordinador(?:a)?|productor(?:a)?) de eventos | event planner
3423: personal trainer | profesor(?:a)? de educacion fisica | entrenador(?:a)? |
      (?:profesor(?:a)?|instructor(?:a)?) de (?:pilates|yoga|zumba|spinning|gimnasia|crossfit|funcional|natacion) |
      instructor(?:a)? de (?:gimnasio|fitness)
3434: (?:jefe|jefa|encargad[oa]|responsable|supervisor(?:a)?|lider) de cocina | chef | sous chef | jefe de partida
3513: tecnic[oa] (?:de |en )?(?:redes(?: informaticas)?|networking) |
      monitoreo (?:de )?(?:infraestructura|redes(?! sociales)|servidores|plataformas|sistemas informaticos|
      it|ti|zabbix?|nagios)
3512: soporte (?:tecnico|it|informatico) | help ?desk | mesa de ayuda | service desk |
      tecnic[oa] (?:de soporte|informatic[oa]|en computacion|pc) | tecnic[oa] soporte | soporte
3521: operador(?:a)? de camaras? de (?:television|video) | camarografo
4110: administrativ[oa] | auxiliar administrativ[oa] | (?:auxiliar|asistente) operativ[oa] |
      administrativ[oa] de ventas | administracion de ventas |
      asistente (?:administrativ[oa]|de administracion|administracion) | empleado administrativ[oa] | back office |
      administracion | gestor(?:a)? administrativ[oa] | data entry administrativ[oa]
4120: secretari[oa]
4132: data entry | digitador(?:a)? | carga de datos
3511: operador(?:a)? (?:de )?(?:data center|centro de (?:computos|datos)|noc) | noc
4225: (?:agentes?|operador(?:a)?|emplead[oa]|personal) (?:de |del )?(?:centro de )?informes?
4227: encuestador(?:a)? | m[iy]st[ea]ry shopper | cliente incognito | (?:tomador|relevador)(?:a)? de precios
4211: cajer[oa] de banco | caja de banco | cajer[oa] bancari[oa] | cajer[oa] de (?:entidad financiera|cooperativa)
4214: cobrador(?:a)? | telecobranzas? |
      (?:ejecutiv[oa]|asesor(?:a)?|gestor(?:a)?|agente|operador(?:a)?) de (?:cobranzas?|cobros?|recupero) |
      negociador(?:a)? | mora (?:temprana|tardia) | recaudador(?:a)? | asesor(?:a)? de cobranzas? |
      gestor(?:a)? de cobro | gestor(?:a)? de cobranzas? | cobranzas? | recupero de creditos
4221: agente de viajes | agente (?:de |al )?servicio (?:al |del )?pasajero | agente de check in |
      asesor(?:a)? de viajes | vendedor(?:a)? de viajes | vendedor(?:a)? turistic[oa] |
      (?:vendedor|asesor)(?:a)? de (?:turismo|pasajes|paquetes turisticos) | agente de turismo |
      travel (?:designer|agent|consultant) | emisor(?:a)? (?:de )?(?:aereos|pasajes|boletos)
4221: emision (?:de )?(?:aere[oa]s?|pasajes|boletos|tickets) | emisor(?:a)? aere[oa]
5244: (?:operador(?:a)?|agente|asesor(?:a)?|ejecutiv[oa]|vendedor(?:a)?) (?:de )?ventas? telefonicas? |
      ejecutiv[oa] telefonic[oa]
5244: (?:appointment |digital |sales )?setters? |
      (?:agendador(?:a)?|concertador(?:a)?) de (?:reuniones|citas comerciales)
4222: (?:operador(?:a)?|agente|asesor(?:a)?|representante|ejecutiv[oa]) (?:de )?(?:call center|contact center) |
      (?:operador(?:a)?|agente|asesor(?:a)?|representante) (?:de )?(?:centro de llamadas|atencion telefonica) |
      call center | contact center | atencion (?:al|a|a los) (?:clientes?|pacientes?|usuarios?) |
      customer (?:service|support|care) |
      atencion al (?:asociado|socio|afiliado) |
      (?:operador(?:a)?|agente|asesor(?:a)?) telefonic[oa] | ^call$ |
      agendamiento (?:de )?(?:citas|turnos|reuniones|visitas) | agendador(?:a)? (?:de )?(?:citas|turnos)
4224: recepcionista de hotel | front desk | conserje de hotel | recepcion de hotel
4226: recepcionista | ^recepcion(?:$| y ) | office host |
      (?:jefe|encargad[oa]|supervisor(?:a)?|responsable) de recepcion
4229: asesor(?:a)? de servicio(?: (?:de )?(?:taller|posventa|postventa|automotor))? | recepcionista de taller
4311: analista de (?:cobranzas?|cuentas a cobrar|creditos y cobranzas) | auxiliar contable | asistente contable |
      (?:asistente|auxiliar|administrativ[oa]) administrativ[oa] contable |
      administrativ[oa] contable | empleado contable | contable |
      analista de (?:pago a proveedores|cuentas a pagar|cuentas por pagar|facturacion|tesoreria|cuentas corrientes|
      conciliaciones) |
      (?:administrativ[oa]|auxiliar|asistente|empleado) de facturacion | cuentas a pagar |
      facturacion | facturista | tesoreria | contabilidad | liquidador(?:a)? de impuestos | pagos? a proveedores
4313: liquidador(?:a)? de sueldos | liquidacion de sueldos | analista de (?:sueldos|liquidacion|nomina|payroll) |
      payroll | nominas?
4321: bodeguer[oa] | almacenista | operari[oa] de (?:deposito|almacen|bodega|abastecimiento) |
      auxiliar de (?:deposito|bodega|almacen) | encargad[oa] de (?:deposito|almacen|bodega|stock) | deposito |
      panoler[oa] | control de stock | inventarios |
      (?:(?:operari[oa]|auxiliar|encargad[oa]) de )?control de (?:cargas|despachos?) |
      controlador(?:a)? de (?:cargas|despachos?)
4322: programador(?:a)? de (?:produccion|planta)
4323: programador(?:a)? de recorridos | analista de logistica | asistente de logistica |
      coordinador(?:a)? de (?:logistica|transporte|trafico) | despachador(?:a)? de (?:transporte|flota) | logistica
4416: administracion de personal | analista de personal | asistente de (?:recursos humanos|rrhh|personal) |
      auxiliar de (?:recursos humanos|rrhh|personal)
5120: maestr[oa] (?:pizzer[oa]|cociner[oa]|parrillero) | cociner[oa] | chef cociner[oa] | pizzer[oa] |
      parrill?ero | sushiman | cocina
5111: auxiliar de (?:vuelo|a bordo) | azafat[oa] | tripulante de cabina
5131: salonero | sommelier | sumiller | host(?:ess)? (?:de )?(?:gastronomia|restaurante|salon) | anfitrion(?:a)? |
      mozo | moza | mozos | meser[oa] | camarer[oa] de (?:salon|restaurante|mesa) | camarer[oa] | runner |
      camarera
5132: bartender | barman | barista | cantinero
5141: peluquer[oa] | estilista | barbero
5142: cosmetolog[oa] | esteticista | manicur[oa] | manicurista | cosmiatra | cosmeatra | depiladora
5151: (?:supervisor(?:a)?|jefe|encargad[oa]|responsable|coordinador(?:a)?) de (?:hoteleria y )?(?:limpieza|
      housekeeping) |
      gobernanta | ama de llaves
5153: encargad[oa] de edificio | portero de edificio | conserje | intendente
5222: (?:encargad[oa]|subencargad[oa]|jefe|supervisor(?:a)?|responsable|administrador(?:a)?|coordinador(?:a)?) de
      (?:tiendas?|local|locales|store|sucursal|salon|boutique|regaleria|bazar|jugueteria|libreria|perfumeria|optica) |
      (?:encargad[oa]|subencargad[oa]|jefe|supervisor(?:a)?|responsable) de (?:sala de ventas|caja|cajas) |
      (?:encargad[oa]|subencargad[oa]|supervisor(?:a)?|responsable) de (?:punto de venta|pdv) |
      subencargad[oa] | store manager | jefe de seccion
5223: vendedor(?:a|es)? | vendedores | repuester[oa] |
      (?:empleado|personal|mostrador|vendedor)(?:a|as|os|es)? (?:de |en )?farmacia |
      atencion (?:al publico )?en farmacia |
      asesor(?:a)? de ventas | asesor(?:a)? de (?:salon|tienda|local) |
      atencion en (?:salon|local|mostrador) | vendedor(?:a)? de salon | venta en (?:salon|mostrador) | dependiente |
      empleado de comercio | emplead[oa] (?:de )?mostrador | ventas | venta |
      (?:personal|emplead[oa]) (?:de |para )?(?:ventas?|salon de ventas)(?: y caja)? |
      atencion al publico (?:en |de )?(?:panaderia|confiteria|local(?:es)?|tienda|comercio|kiosco|heladeria|fiambreria|
      ferreteria|libreria|optica|perfumeria|mostrador|salon)
5230: cajer[oa] | caja
5242: promotor(?:a)? | promotoras? | promoter | mercaimpulsador(?:a)? | promovendedor(?:a)? | demovendedor(?:a)? |
      impulsador(?:a)? | demostrador(?:a)? | degustador(?:a)?
5243: captador(?:a)? de (?:fondos|socios|donantes)
5244: telemarketer | telemarketing |
      (?:ejecutiv[oa]|asesor(?:a)?|agente|operador(?:a)?|representante) (?:de )?(?:telemarketing|televentas?|
      telemercadeo) |
      televendedor(?:a)? | teleoperador(?:a)? | ventas telefonicas | venta telefonica |
      representante comercial telefonic[oa] | telefonista de ventas | (?:call|contact) center (?:de )?ventas? |
      ventas? (?:en |por |de )?(?:call|contact) center |
      (?:asesor(?:a)?|agente|operador(?:a)?|ejecutiv[oa]) (?:de )?(?:call|contact) center (?:de )?ventas?
5245: despachante de combustible | player[oa] | expendedor(?:a)? de combustible | vendedor(?:a|es)? de playa
5246: despachante de (?:helados|comidas|mostrador) | helader[oa]
5312: preceptor(?:a)? | auxiliar docente | ayudante de aula
5311: ninera | niñera | baby sitter | cuidador(?:a)? de ninos
5321: auxiliar de enfermeria | asistente (?:de )?geriatric[oa] | (?:auxiliar|asistente) gerontologic[oa]
5322: cuidador(?:a)? | auxiliar de enfermeria (?:domiciliaria|a domicilio|domiciliari[oa]) |
      acompanante terapeutic[oa] | acompanante de adultos mayores | cuidado de adultos mayores
5414: vigilador(?:a)? | guardaespaldas | vigilante | sereno | serena | serenos | ^guardia | guardia de seguridad |
      prevencion de perdidas |
      custodi[oa]s? |
      seguridad(?! (?:e |y )?(?:higiene|industrial|ocupacional|alimentaria|salud|medio ambiente|ambiental)) |
      monitoreo de camaras |
      operador(?:a)? de monitoreo | personal de seguridad
6113: jardiner[oa] | parquista
7112: albanil | albaniles | oficial (?:albanil|de obras?) | medio oficial | oficial de obras? |
      cuadrilla de obras?(?: civil)? |
      oficial (?:de (?:la )?)?construccion | oficial(?:es)? y (?:medio oficial(?:es)?|ayudantes?) |
      trabajador(?:a)? de (?:la )?construccion | obrer[oa] de (?:la )?construccion
7115: carpinter[oa]
7113: marmoler[oa] | marmoleria
7122: colocador(?:a)?(?: de (?:ceramicos?|porcelanatos?|pisos|revestimientos?))?
7123: construccion en seco | durlock(?:ero)? | (?:colocador(?:a)?|instalador(?:a)?) de (?:durlock|placas de yeso)
7126: plomer[oa] | gasista | sanitarista | calefaccionista
7127: tecnic[oa] (?:en |de )?refrigeracion | frigorista | tecnic[oa] de (?:aire acondicionado|climatizacion) |
      (?:tecnic[oa]|oficial|operari[oa]) de mantenimiento de (?:sistemas de )?(?:refrigeracion|climatizacion|
      aire acondicionado|frio)
7131: pintor(?:a)?
7132: pintor(?:a)? (?:automotor|de autos|industrial)
7214: metalmecanic[oa] | operari[oa] metalurgic[oa]
7212: soldador(?:a)? | soldadura | herrer[oa] | oficial multiple herrer[oa]
7213: chapista
7222: matricer[oa] | herramentista | moldista | tecnic[oa] de mantenimiento de (?:moldes|matrices)
7221: forjador
7223: tornero | fresador(?:a)? | operador(?:a)? (?:de )?cnc | programador(?:a)? (?:de )?cnc | cnc | ajustador(?:a)? |
      operari[oa] de (?:prensas?|balancin(?:es)?|plegadora|punzonadora) | prensista | balancinero
7231: mecanic[oa](?: (?:automotor|automotriz|de autos|de vehiculos|de motores|de flota|diesel))? | gomer[oa] |
      alineador(?:a)? | alineacion y balanceo |
      tecnic[oa] (?:mecanic[oa] )?automotriz |
      asistente mecanic[oa] | ayudante (?:de )?mecanic[oa] |
      mecanic[oa] para mantenimiento y servicio de motores
7233: mecanic[oa] (?:industrial|de mantenimiento|de maquinaria|de equipos pesados|de mecanica pesada) |
      tecnic[oa] (?:en |de )?mecanica pesada |
      tecnic[oa] de mantenimiento(?: industrial)? | (?:medio )?oficial (?:de )?mantenimiento | oficial mecanic[oa] |
      oficial mecanica pesada | mantenimiento industrial | mantenimiento
7234: mecanic[oa] de bicicletas | bicicleter[oa]
7412: electricista (?:automotor|automotriz|de autos|del automotor|de vehiculos)
7411: electricista | oficial electricista | instalador(?:a)? electricista
7412: electromecanic[oa] | electrotecnic[oa] | bobinador(?:a)? |
      tecnic[oa] (?:en |de )?(?:linea blanca|electrodomesticos) |
      reparador(?:a)? de electrodomesticos |
      (?:tecnic[oa]|reparador(?:a)?) (?:de |en )?(?:reparacion (?:de )?)?(?:lavarropas|heladeras?|lavavajillas|
      linea blanca) |
      electricista industrial | tecnic[oa] electricista | tecnic[oa] electric[oa](?! y mecanic) |
      tecnic[oa] de mantenimiento electrico | tecnic[oa] (?:de )?mantenimiento electromecanic[oa] |
      tecnic[oa] de mantenimiento electricidad
7421: tecnic[oa] electronic[oa] | tecnic[oa] en electronica | reparador(?:a)? de (?:equipos|electronica) |
      tecnic[oa] de (?:sistemas de )?(?:deteccion de incendios|alarmas|seguridad electronica|cctv|videovigilancia)
7422: tecnic[oa] (?:en |de )?(?:instalador(?:a)?|instalaciones) |
      instalador(?:a)? de (?:redes|fibra|camaras|alarmas|telefonia|seguridad electronica|sistemas de seguridad) |
      tecnic[oa] (?:en |de )?(?:tendido (?:de )?)?fibra(?: optica)? | tendido de fibra(?: optica)?
7316: rotulista | letrista
7512: maestr[oa] (?:panader[oa]|pasteler[oa]|heladero) | horner[oa] | panader[oa] | pasteler[oa] | confiter[oa]
7511: carnicer[oa] | despostador(?:a)? | desorillador(?:a)? | faenador(?:a)? | matarife | triper[oa]
7522: ebanista
7531: modista | sastre
7532: cortador(?:a)? | (?:auxiliar|operari[oa]|ayudante) de corte | patronista | moldista de (?:ropa|indumentaria) |
      modelista | tizador(?:a)?
7533: maquinista de costura | operari[oa] de costura | costurer[oa]
8142: extrusor(?:a)? | operador(?:a)? de (?:extrusora|inyectora) |
      operari[oa] de (?:inyeccion|inyectora|extrusion|extrusora|termoformado|soplado) | inyector(?:a)? | extrusion |
      termoformado |
      inyeccion de plasticos
7543: operari[oa] de (?:control de )?calidad | inspector(?:a)? de (?:linea|produccion) | controlador(?:a)? de calidad
8160: operari[oa] de (?:alimentos|elaboracion)
8131: operari[oa] (?:de )?(?:laboratorio |industria |planta )?farmaceutic[oa]
8183: operari[oa] de (?:acondicionamiento|envasado|fraccionamiento) |
      (?:operador(?:a)?|operari[oa]|maquinista) de (?:maquinas? )?(?:envasadora|etiquetadora|blistera|estuchadora)s?
8189: operador(?:a)? de (?:maquinas?|linea|planta|produccion|proceso) | maquinista
7321: preimpresion | pre ?prensa
7322: maquinista (?:\w+ ){0,2}offset | offset |
      (?:maquinista|operador(?:a)?|operari[oa]) (?:de )?(?:impresion|impresora|imprenta)s? |
      impresor(?:a)? (?:offset|flexografic[oa]|grafic[oa]) |
      operador(?:a)? de (?:offset|flexografica|impresora|rotativa)
8219: armador(?:a)? | ensamblador(?:a)?
8321: repartidor(?:a)? en moto | motoquero | motorizad[oa] | mensajer[oa] motorizad[oa] | cadete en moto |
      delivery en moto
8322: valet parking | valet | chofer | chofer de (?:auto|utilitario|camioneta|reparto) | conductor(?:a)? | remisero |
      driver
8331: chofer de (?:colectivo|omnibus|bus|micro|autobus) | conductor(?:a)? de (?:colectivo|omnibus|bus|autobus)
8332: chofer (?:profesional|de camion|de carga) | chofer con licencia (?:profesional|tipo [cde]) |
      chofer licencia (?:profesional|tipo [cde]|[cde]\d?) | camioner[oa] | chofer de semi |
      conductor(?:a)? de camion
3132: (?:operador(?:a)?|operari[oa]) (?:de )?(?:planta )?(?:de )?tratamiento de (?:efluentes|aguas?|residuos)
8182: foguista | calderista | operador(?:a)? de calderas?
8341: tractorista
8342: maquinista vial | operador(?:a)? de (?:maquinaria pesada|retroexcavadora|pala cargadora|maquina vial)
8344: (?:(?:operador(?:a)?|maquinista) de )?(?:autoelevador(?:es)?|montacargas|clark|zampi) | clarkista |
      autoelevadorista | montacarguista
9111: empleada domestica | personal domestico | casero
9112: operari[oa] de maestranza | limpieza | personal de limpieza | operari[oa] de limpieza | auxiliar de limpieza |
      maestranza | mucam[oa] | camarera de piso | housekeeping | limpiador(?:a)?
9121: lavander[oa] | planchador(?:a)? | (?:operari[oa]|auxiliar|personal) de lavadero
9122: lavador(?:a)? de (?:autos|vehiculos|camiones) | lavadero de (?:autos|vehiculos) | lavacoches
9214: peon rural | peon de campo | ayudante de jardineria
9212: operari[oa] (?:de )?(?:granja|avicola|galpon(?:es)?) | peon (?:de )?(?:granja|avicola)
9313: ayudante de albanil | peon de (?:obra|albanil|construccion) | ayudante de obra
9321: empacador(?:a)? | embalador(?:a)? | envasador(?:a)? | empaquetador(?:a)?
9329: operari[oa] de (?:produccion|fabrica|planta|linea|industria|manufactura) | operari[oa]s? |
      ayudante de produccion | ayudante de maquinista | peon(?: general)? | operari[oa] general |
      personal de (?:produccion|planta|fabrica)
9333: estibador(?:a)? | (?:operador(?:a)?|agente|auxiliar) (?:de )?(?:servicio de )?rampa | rampa aeroportuaria |
      ayudante de (?:carga|camion|reparto|distribucion|logistica|deposito|almacen|chofer|despacho) |
      peon de carga | carga y descarga | picker |
      preparador(?:a)? de pedidos | armador(?:a)? de pedidos | camarista | auxiliar de logistica |
      operari[oa] logistic[oa] | operari[oa] de logistica | operari[oa] de (?:expedicion|despacho)
9334: (?:emplead[oa]|personal|auxiliar|operari[oa]) de reposicion |
      repositor(?:a)?(?:es)? | reponedor(?:a)? | repositora | mercaderista | perchador(?:a)?
9412: ayudante (?:de )?cociner[oa] | (?:personal de )?limpieza (?:de )?cocina | comis |
      ayudante de (?:pasteleria|panaderia) | ayudante de cocina | auxiliar de cocina |
      bacher[oa]s? | steward | lavacopas | pociller[oa] | lavaplatos | personal (?:general )?de gastronomia |
      gastronomic[oa]s?
9621: cadete | mensajer[oa] | repartidor(?:a)? | delivery
"""

# Where a vague title head ("operador de call center", "asesor comercial", "vendedor") meets a description or
# skills that say more, the evidence decides between neighbouring groups.
# Each rule: the groups it refines, the group the evidence points to, the evidence, and how many different
# evidence terms it takes (one accounting word in an office job's task list is not yet a bookkeeper).
_EVIDENCE_RULES: tuple[tuple[frozenset[str], str, re.Pattern[str], int], ...] = tuple(
    (frozenset(codes.split()), target, re.compile(pattern), distinct)
    for codes, target, pattern, distinct in (
        ("4222", "4214", r"\b(?:cobranzas?|cobros? de deuda|morosos?|mora|recupero de deuda|deudores)\b", 1),
        # A seller by telephone whose description mentions collecting once still sells.
        ("5244", "4214", r"\b(?:cobranzas?|cobros? de deuda|morosos?|mora|recupero de deuda|deudores)\b", 2),
        # A contact-centre agent hired as a commercial adviser sells.
        ("4222", "5244", r"\b(?:venta telefonica|ventas telefonicas|televenta|cierre de ventas|objetivos de ventas|"
         r"captacion de clientes|comisiones por ventas?|"
         r"asesor(?:es|as)? comercial(?:es)? (?:para|de|en) (?:el )?(?:call|contact) center)\b", 1),
        ("5230", "4211", r"\b(?:institucion financiera|entidad financiera|bancos?|bancari[oa]s?|cooperativa de ahorro|"
         r"ventanilla|depositos y retiros|billetes falsos)\b", 2),
        ("4110", "4312", r"\b(?:polizas?|siniestros?|aseguradoras?|endosos?|productor(?:es)? de seguros|"
         r"broker de seguros|companias de seguros)\b", 2),
        ("4120 3343", "3344", r"\b(?:consultorios?|clinicas?|odontologic[oa]s?|sanatorio|centro medico|"
         r"pacientes)\b", 2),
        ("4120 3343 4110", "3342", r"\b(?:estudio juridico|abogados|juzgados?|escritos judiciales|expedientes)\b", 2),
        ("4222 4229", "3331", r"\b(?:forwarders?|freight|comercio exterior|importacion(?:es)?|exportacion(?:es)?|"
         r"impo|expo|"
         r"aduanas?|embarques?|despachantes?|navieras?)\b", 2),
        ("8189", "8342", r"\b(?:retroexcavadoras?|palas? cargadoras?|motoniveladoras?|excavadoras?|topadoras?|"
         r"maquinaria vial|maquinas viales)\b", 1),
        ("9329", "7223", r"\b(?:prensas? hidraulicas?|balancin(?:es)?|plegadoras?|punzonadoras?|estampado)\b", 1),
        # An office clerk whose tasks include bookkeeping stays an office clerk: the readers code what the title
        # names ("Analista Administrativo" who reconciles accounts, 4110); payroll work makes a payroll clerk.
        ("4110", "4313", r"\b(?:liquidacion de (?:sueldos|haberes)|recibos de sueldo|nominas?|payroll|cargas sociales|"
         r"f ?931)\b", 2),
        # An HR analyst the description hires as a payroll analyst is a payroll clerk.
        ("2423", "4313", r"\b(?:analista de (?:nominas?|payroll|sueldos|liquidacion de sueldos)|"
         r"liquidador(?:a)? de (?:sueldos|haberes))\b", 1),
        # A "despachador" of fuel serves at a service station; a support technician of electronics is no IT help.
        ("4323", "5245", r"\b(?:combustibles?|surtidor(?:es)?|estacion(?:es)? de servicio|gasolinera)\b", 1),
        # A systems analyst the description hires for users' incidents, their hardware and printers is user support.
        ("2511", "3512", r"\b(?:incidencias? (?:de|a) (?:los )?usuarios|soporte (?:tecnico )?a usuarios|"
         r"atencion a usuarios|impresoras|perifericos|mesa de ayuda|help ?desk|service desk|soporte it|"
         r"soporte tecnico|instalacion y configuracion de (?:equipos|pcs?|sistemas operativos))\b", 3),
        ("3512", "7421", r"\b(?:tecnic[oa] electronic[oa]|seguridad electronica|cctv)\b", 1),
        ("7532", "7214", r"\b(?:chapas?|acero|metal\w*|laser|plasma|oxicorte|perfiles)\b", 1),
        # What a seller of no named product sells, when the evidence names it twice over.
        ("3322", "3334", r"\b(?:inmobiliari[oa]s?|real estate|proyectos en pozo|emprendimientos inmobiliarios|"
         r"desarrollos inmobiliarios|compraventa de inmuebles)\b", 2),
        ("3322 5223", "3321", r"\b(?:seguros? de vida|polizas?|aseguradoras?|medicina (?:privada|prepaga)|"
         r"planes de salud|seguros? de retiro)\b", 2),
        ("9621", "8322", r"\b(?:vehiculo propio|auto propio|utilitario|camioneta|furgon)\b", 1),
        # A promoter who keeps a client portfolio and visits shops for orders is a travelling seller.
        ("5242", "3322", r"\b(?:visitas? (?:a|de) (?:\w+ )?clientes|visitar (?:a )?(?:\w+ )?clientes|"
         r"cartera de clientes|toma de pedidos|zona asignada|cotizaciones|objetivos (?:mensuales )?de ventas?)\b", 2),
        # A mechanical technician the description hires as a maintenance electrician is one.
        ("3115", "7412", r"\btecnic[oa](?:/a)?s? electricistas?\b|\belectricistas? de mantenimiento\b", 1),
        ("9621", "8321", r"\b(?:motocicletas?|motos?|motorizad[oa]s?)\b", 1),
        # One furniture word is no cabinet-maker: a building carpenter also fits furniture now and then.
        ("7115", "7522", r"\b(?:melamina|muebles?|mobiliario|amoblamientos?|placares|lacado|laqueado)\b", 2),
        ("3123", "6121", r"\b(?:galpon(?:es)?|avicola|granjas?|rural|ganaderia|ganado|tambo|hacienda|feedlot)\b", 2),
        # A laundry hand who loads and runs a washing tunnel or industrial washers and dryers operates laundry machines
        # (ISCO-08 8157); 9121 washes and presses by hand.
        ("9121", "8157", r"\b(?:tunel(?: de lavado)?|lavadoras? industriales?|secadoras? industriales?|calandras?|"
         r"lavanderia industrial|lavadero industrial|laundry)\b", 1),
    )
)  # fmt: skip

# A title that names only a sector ("Gastronómicos", "Personal de gastronomía") is the sector's helper unless the
# description names a more precise job twice over: counter service and the till of a fast-food outlet or food stall.
# Each rule: the groups it refines, the sector title, the group, the evidence, how many different terms it takes.
_SECTOR_TITLE_EVIDENCE: tuple[tuple[frozenset[str], re.Pattern[str], str, re.Pattern[str], int], ...] = tuple(
    (frozenset(codes.split()), re.compile(sector), target, re.compile(pattern), distinct)
    for codes, sector, target, pattern, distinct in (
        ("9412", r"^(?:personal (?:general )?(?:de )?gastronomi[ac]\w*|gastronomic[oa]s?)$", "5246",
         r"\b(?:atencion al cliente|caja|cajer[oa]s?|mostrador|comidas rapidas|fast food|freidoras?|frituras?|"
         r"patio de comidas|puestos? de comidas?)\b", 2),
        # The staff of a "salón" who take orders, or of a bar or a restaurant, wait at its tables (ISCO-08 5131:
        # waiters take orders and serve food and beverages), as the readers code them; a shop's salón stays 5223.
        ("5223", r"^(?:personal|emplead[oa]s?|ayudantes?)(?: (?:de|del|para))? salon\b", "5131",
         r"\b(?:toma de pedidos|tomar pedidos|mesas|bar|restaurant(?:e|es)?|comensales|moz[oa]s?|gastronomi\w*)\b",
         1),
    )
)  # fmt: skip

# The whole title's other words (its tail, its parenthesis) place a generic job: customer service in a café or a
# shop, maintenance of electrical plant, a contact-centre operator who sells, office work that is bookkeeping.
_TITLE_CONTEXT: tuple[tuple[frozenset[str], str, re.Pattern[str]], ...] = tuple(
    (frozenset(codes.split()), target, re.compile(pattern))
    for codes, target, pattern in (
        # Counter service of an ice-cream shop, or of a bakery that is also a café, is a food counter
        # attendant's (5246: serves food and drink over a counter), not a waiter's or a shop seller's.
        ("4222 5223", "5246", r"\bheladerias?\b|\bpanaderias?\b.*\bcafeterias?\b|\bcafeterias?\b.*\bpanaderias?\b"),
        ("4222", "5131", r"\b(?:cafeterias?|restaurantes?|restaurant|confiterias?|bar|parrillas?|pizzerias?|"
         r"gastronomia|gastronomic[oa]s?|mozos?|mozas?)\b"),
        ("4222", "5223", r"\b(?:local(?:es)?|tiendas?|salon de ventas|punto de venta|supermercados?|farmacias?|"
         r"shopping|"
         r"charcuteria|"
         r"vinoteca|fiambreria|almacen|kiosco|libreria|ferreteria|optica|perfumeria|jugueteria|dietetica)\b"),
        ("4120 3343", "3344", r"\b(?:kinesiologia|consultorios?|clinicas?|odontologic[oa]s?|medic[oa]s?|sanatorio|"
         r"centro de salud|policlinic[oa]|centro medico|laboratorio de analisis)\b"),
        # Maintenance of fire-protection piping is a pipe fitter's; of fibre networks, a telecom installer's.
        ("7233 3115", "7126", r"\b(?:contra incendios|sprinklers?|rociadores|hidrantes)\b"),
        ("7233 3115", "7422", r"\b(?:fibra optica|fibras? opticas?|redes de fibra)\b"),
        ("7233 3115", "7231", r"\b(?:motos|motocicletas|flotas?(?: pesada| de camiones| de vehiculos| vehicular)?|"
         r"camiones|colectivos|"
         r"omnibus|automotor|automotriz|vehiculos|autos|concesionari[oa]|toyota|ford|renault|volkswagen|chevrolet|"
         r"fiat|peugeot|citroen|nissan|honda|hyundai|kia|mercedes benz|scania|iveco)\b"),
        # Customer service at the till is a cashier's job.
        ("4222", "5230", r"\b(?:caja|cajer[oa]s?)\b"),
        ("4222", "5244", r"\b(?:comercial telefonic[oa]|vendedor(?:a)? telefonic[oa]|televentas?|ventas? telefonicas?|"
         r"representante comercial)\b"),
        # Sales by WhatsApp or chat are a contact centre's (ISCO-08 5244: by telephone or other electronic media).
        ("4222 5223", "5244", r"\bventas? (?:por |via |de )?(?:whatsapp|chats?)\b"),
        ("7233", "7412", r"\belectric(?:idad|[oa]s?|ista)\b"),
        # The cashier or clerk of a bill-payment or money-transfer agency (Pago Fácil, Rapipago, Western Union) takes
        # payments and pays out transfers: bank tellers and related clerks (ISCO-08 4211), as the readers code him.
        ("4110 5230 4222 5223", "4211", r"\b(?:pago ?facil|rapipago|western union|moneygram|cobro ?express|"
         r"provincia ?net)\b"),
        # A mechanic the title also names a boiler man ("Mecánico Foguista") runs and tends the boilers: steam engine
        # and boiler operators (ISCO-08 8182), as the readers code him.
        ("7231 7233 3115", "8182", r"\b(?:foguistas?|calderistas?)\b"),
        # A mystery shopper ("Auditor Comercial - Mystery Shopper") visits shops as a customer and reports on them:
        # survey and market research interviewers (ISCO-08 4227), as the readers code him, not an auditor (2411).
        ("2411", "4227", r"\bmystery shoppers?\b|\bclientes? (?:incognit[oa]|ocult[oa])s?\b"),
        # On a poultry farm "parrilleros" are broiler chickens, not grill cooks: its staff raise poultry (6122).
        ("5120", "6122", r"\bparrilleros?\b.*\b(?:granjas?|gallinas?|ponedoras?|avicol[ao]s?|galpon(?:es)?)\b|"
         r"\b(?:granjas?|avicol[ao]s?|galpon(?:es)?) de (?:pollos )?parrilleros?\b"),
        # A coordinator or supervisor "general" of the works or of a plant directs its heads and all its staff: the
        # construction or production manager (ISCO-08 1323, 1321), as the readers code him, not a site supervisor.
        ("3123", "1323", r"^(?:coordinador|supervisor|jefe|encargad)\w*(?: a| o)? general\b"),
        ("3122", "1321", r"^(?:coordinador|supervisor|jefe|encargad)\w*(?: a| o)? general\b"),
        # A technician named with an electrical engineer ("Técnico/Ingeniero Eléctrico") is an engineering
        # technician, as the readers code him; a technician alone installs and repairs (7412).
        ("7412", "3113", r"\btecnic[oa]s? (?:o |u |y )?ingenier[oa]s? electric"),
        # A chemist, biochemist or chemical engineer in a commercial post sells technical products to professionals;
        # a promoter named technical, or an adviser, sells to firms.
        ("2145 2131 2113 2132", "2433", r"\b(?:comercial(?:es)?|ejecutiv[oa]s? de cuentas?|ventas|visitador(?:a)?|"
         r"especialista en aplicaciones)\b"),
        ("5242", "3322", r"\b(?:tecnic[oa]s?|asesor(?:a)? de ventas?|gestor(?:a)?)\b"),
        # A mechanic of gas compression or of plant machinery is no vehicle mechanic.
        ("7231", "7233", r"\b(?:compresion|compresor(?:es)?|industrial|planta|maquinaria|maquinas?|inyector\w*|"
         r"inyeccion)\b"),
        ("7233", "7127", r"\b(?:refrigeracion|climatizacion|aire acondicionado)\b"),
        ("4226", "4224", r"\b(?:hotel(?:es)?|hostel|hosteria|apart|hospedaje)\b"),
        ("7233 3115", "7422", r"\b(?:computadoras?|impresoras?|equipos informaticos|pcs?|notebooks?)\b"),
        ("4110 4120 4132", "4311", r"\bcontab(?:le|ilidad)\b"),
        # An office clerk of a legal department does a paralegal's work; of a medical practice, a medical secretary's.
        ("4110", "3411", r"\blegales\b"),
        # A checker of loads at a security firm's gate is its guard.
        ("4321", "5414", r"\b(?:seguridad(?! e higiene)|vigilancia|portero)\b"),
        ("4110 4311", "3344", r"\b(?:auditoria medica|consultorios? medicos?|clinicas?|sanatorios?|centro medico|"
         r"pacientes)\b"),
        # A sales assistant in a shopping centre sells on its floor; a shelf-filler of a warehouse keeps its stock.
        ("4110", "5223", r"\b(?:shopping|salon de ventas)\b"),
        ("9334", "4321", r"\b(?:deposito|centro de distribucion)\b"),
        # Supplying a production plant with its materials is a production clerk's planning, not purchasing.
        ("3323", "4322", r"\babastecimiento (?:\w+ )?(?:de|para|a) (?:la )?(?:plantas?|produccion|fabrica|lineas?)\b"),
        # The technical director of an optician's is an optician; a project manager of building works runs them.
        ("2262", "3254", r"\b(?:optica|contactolog\w*|optometr\w*)\b"),
        ("1219", "1412", r"\b(?:gastronomi\w*|restaurantes?|comedores|catering)\b"),
        ("5222", "1412", r"\b(?:restaurantes?|restaurant|gastronomic[oa]s?)\b"),
        ("1219", "1323", r"\b(?:ingenieria civil|obras? civil(?:es)?|construccion|constructora)\b"),
        # An account executive of a tour operator books travel; a seller of business software sells ICT.
        ("3322", "4221", r"\b(?:tour operador|operador(?:es)? (?:mayorista )?receptiv[oa]|mayorista de turismo)\b"),
        ("3322", "2434", r"\b(?:erp|software|saas|licencias|cloud|it|sistemas de gestion)\b"),
        # A shop seller of insurance ("Asesor/a de Ventas - Seguros de Vida") sells insurance.
        ("5223", "3321", r"\bseguros?\b"),
        # A foreman of a plant or a workshop supervises production (the readers' 3122), not a building site.
        ("3123", "3122", r"\bcapataz\b.*\b(?:planta|fabrica|mecanizado|produccion|taller|industrial)\b"),
        # A driver whose title names a lorry or its load drives a heavy truck (the readers' 8332); of a forklift, lifts.
        ("8322", "8332", r"\b(?:camion(?:es)?|semi ?rremolques?|semis|trailers?|bateas?|volcadoras?|carga peligrosa|"
         r"toneladas|acoplados?|chasis)\b"),
        ("8322", "8344", r"\b(?:autoelevador(?:es)?|montacargas|clark)\b"),
        # An electrician who maintains a plant's or a fleet's equipment is an electrical mechanic (the readers' 7412).
        ("7411", "7412", r"\b(?:mantenimiento|industrial(?:es)?|flotas?)\b"),
        # A shop seller whose title also makes him the shop's (deputy) head supervises it (the readers' 5222).
        ("5223", "5222", r"\b(?:subencargad[oa]s?|sub encargad[oa]s?|encargad[oa]s? de (?:locales|local|tiendas?))\b"),
        # So does a commercial adviser whose title names insurance or health plans (the readers' 3321).
        ("3322", "3321", r"\b(?:seguros?|prepagas?|obras? sociales?)\b"),
        # Maintenance of a building (several trades: plumbing, painting, air conditioning) is a builder's.
        ("7233", "7119", r"\b(?:edilici[oa]|edificios?|albanil\w*|pintor(?:a|es|as)?|plomer[oa]s?)\b"),
        # The "hard" side of HR is payroll and personnel records.
        ("2423", "4313", r"\b(?:hard|nominas?|payroll|sueldos)\b"),
        ("4110", "4312", r"\b(?:mercado de capitales|bursatil|titulos valores|fondos comunes)\b"),
        # A "maquinista" of a logistics firm drives its forklifts and container handlers.
        ("8189", "8344", r"\b(?:logistic[oa]s?|depositos?|contenedores|autoelevador\w*|montacargas)\b"),
        # A seller for a travel agency sells travel; one of medical equipment, laboratory instruments or a
        # veterinary laboratory's products is a technical and medical sales professional.
        ("3322 5223 5244 5242", "4221", r"\b(?:agencias? de viajes?|viajes|turismo|turistic[oa]s?|pasajes)\b"),
        ("3322 5223 5242", "2433", r"\b(?:equipos? medicos?|equipamiento medico|insumos medicos|tecnologia medica|"
         r"laboratorios?|lab|veterinari[oa]s?|industria farmaceutica|medicamentos|instrumental|instrumentos|"
         r"espectroscopia|quimica analitica|"
         r"energias? (?:renovables?|solar)|fotovoltaic[oa]s?|paneles solares)\b"),
        # An electronics technician of industrial automation (PLC, SCADA) is an engineering technician.
        ("7421", "3114", r"\b(?:automatizacion|plc|scada|instrumentacion)\b"),
        ("2250", "2433", r"\b(?:promotor(?:a)?|promocion|comercial|ventas?|visitador(?:a)?)\b"),
        # A factory hand named by the trade he knows ("Operarios con conocimiento en soldadora MIG").
        ("9329", "7212", r"\bsold(?:adura|ador|adora|adores)\b"),
        ("9329", "7223", r"\b(?:torno|tornero|cnc|fresadora|fresador)\b"),
        ("9329", "7231", r"\b(?:gomeria|mecanica (?:general|ligera|automotor|automotriz))\b"),
        ("2512", "7223", r"\b(?:cnc|torno|tornos|mecanizado|fresadora)\b"),
        ("7131", "7132", r"\b(?:cabina|automotor|automotriz|carrocerias?|industrial|soplete|autos)\b"),
        # A "profesor" of a summer day camp ("colonia") leads recreation, not a class.
        ("2341", "3423", r"\bcolonias?\b"),
        ("9329", "9311", r"\b(?:mineria|minera|mina|minas|exploracion)\b"),
        # A seller at a service station serves fuel and the shop; one of property sells real estate.
        ("3322 5223", "5245", r"\b(?:estacion(?:es)? de servicio)\b"),
        ("3322 5223", "3334", r"\b(?:real estate|inmobiliari[oa]s?|alquileres|propiedades)\b"),
        ("3115", "7233", r"\b(?:autoelevador(?:es)?|montacargas)\b"),
        # A laboratory or quality analyst of research and development develops products and methods: a chemist.
        ("3111 3119", "2113", r"^(?!.*\btecnic[oa]s?\b).*\b(?:investigacion y desarrollo|i\+d|i&d|desarrollo analitico|"
         r"analistas? (?:de )?desarrollo)\b"),
        ("1219", "1330", r"\b(?:desarrollo de software|software|tecnologia|sistemas|it|ti|procesamiento de datos)\b"),
        # A manager the table leaves generic manages the field the title names.
        ("1219", "1212", r"\b(?:recursos humanos|rrhh|rr hh|talentos?|capital humano|people|cultura organizacional)\b"),
        ("1219", "1221", r"\b(?:comercial(?:es)?|ventas|marketing|vendedor(?:es)?)\b"),
        ("1219", "1211", r"\b(?:finanzas|contabilidad|tesoreria)\b"),
        ("1219", "1324", r"\b(?:logistica|compras|abastecimiento|supply chain)\b"),
        # A seller the title also names a visitador ("Ejecutivo de Ventas/Visitador") calls on doctors and
        # professionals with the products he presents, and one named an agronomist sells farm inputs and machines with
        # his technical knowledge: technical and medical sales professionals (ISCO-08 2433), as the readers code them.
        ("3322 5223 5244 5242 2211", "2433", r"\bvisitador(?:a|es|as)?\b"),
        ("3322 5223 5244 5242", "2433", r"\b(?:tecnic[oa]s?|ingenier[oa]s?|ing\.?) agronom[oa]s?\b"),
        # The general manager of a restaurant or a hotel manages that establishment (ISCO-08 1412, 1411), not an
        # enterprise as its chief executive (1120).
        ("1120", "1412", r"\b(?:gerente general|general manager)\W+(?:(?:de|del|para|en) )?(?:(?:un|una|el|la) )?"
         r"(?:restaurantes?|restaurant|parrilla|cafeteria|bar|local gastronomico)\b"),
        ("1120", "1411", r"\b(?:gerente general|general manager)\W+(?:(?:de|del|para|en) )?(?:(?:un|una|el) )?"
         r"(?:hotel(?:es)?|hosteria|apart hotel|resort)\b"),
        # A logistics operative ("Operario/a de Logística") receives, stores, picks and dispatches a warehouse's goods:
        # a stock clerk (4321), as the readers code him and as the table codes "operario de depósito".
        ("9333", "4321", r"^(?:\w+ )?operari[oa]s?(?: as?)?(?: de)? logistic[oa]s?\b|"
         r"^(?:\w+ )?operari[oa]s?(?: as?)? de logistica\b"),
        # The laundry hand of a car wash washes vehicles (ISCO-08 9122, vehicle cleaners).
        ("9121", "9122", r"\blavaderos? de (?:autos|vehiculos|camiones|motos)\b|\blavado de (?:autos|vehiculos)\b"),
        # An administrative of HR or labour relations ("Administrativo/a Legal - RRLL", "Coordinador/a Administrativo/a
        # de RRHH") keeps personnel records, files and payroll news: a personnel clerk (ISCO-08 4416), as the readers
        # code him, whatever rank or other word the title adds.
        ("4110 2423 3411", "4416", r"\badministrativ[oa]s?\b.*\b(?:rrhh|rr ?hh|recursos humanos|rrll|rr ?ll|"
         r"relaciones laborales|administracion del? personal)\b"),
        # An administrative whose title names billing, collections or accounts payable or receivable beside another
        # field ("Administrativo/a de Ventas y Facturación") handles those transactions: an accounting clerk (ISCO-08
        # 4311), as the readers code him and as the table codes "Administrativa de Facturación".
        ("4110", "4311", r"\badministrativ[oa]s?\b.*\b(?:facturacion|cobranzas?|cuentas (?:a|por) (?:pagar|cobrar)|"
         r"pagos a proveedores)\b"),
        # The supervisor of managed buildings or gated neighbourhoods oversees their cleaning, upkeep and security
        # staff: a housekeeping supervisor (ISCO-08 5151), as the readers code him and the table codes "servicios
        # generales"; a building site's supervisor names the works ("obra", "construcción").
        ("3123", "5151", r"^(?:supervisor|coordinador|jef[ea]|responsable)(?:es|as|a)? (?:de )?(?:barrios?|"
         r"edificios|consorcios|countries|condominios)\b(?!.*\b(?:obras?|construccion)\b)"),
    )
)  # fmt: skip

# Sellers whose title says how they sell are coded so; a title that does not ("vendedor", "asesor comercial")
# takes the channel the evidence names most. Each line: a unit group, strong terms (two points), weak terms.
_SELLER_GROUPS = frozenset("5223 3322 5244 5243 3321".split())
_SELLER_HEAD = re.compile(
    r"(?:vendedor(?:a|es|as)?|asesor(?:a|es|as)?(?: comercial(?:es)?| de ventas?| ventas?)?|comercial|"
    r"ejecutiv[oa]s? (?:comercial|(?:de )?ventas?)|agentes? (?:comercial|(?:de )?ventas?)|"
    r"representantes? (?:comercial|(?:de )?ventas?)|asesor(?:a)? comisionista)\b"
)
# Title words that name the channel themselves ("vendedor de mostrador", "vendedor de repuestos viajante"); a
# title naming a trade the table codes on its own (real estate, insurance, cars) keeps that code.
_TITLE_CHANNELS = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("5244", r"\b(?:telefonic[oa]s?|call ?center|contact ?center|telemarketing|home office|whatsapp|chats?)\b"),
        ("", r"\b(?:inmobiliari[oa]|seguros?|playa)\b"),
        ("5223", r"\b(?:mostrador|salon|local|tienda|sucursal|shopping|convencional)\b"),
        ("5243", r"\b(?:terreno|puerta a puerta|via publica)\b"),
        ("3322", r"\b(?:calle|externo|externa|campo|viajante|provincias|preventista|corporativ[oa]s?|b2b|mayorista|"
         r"industrial|tecnic[oa]s?|intangibles?|consultiv[oa]s?|hunter|closer|empresas|gastronomic[oa]|horeca|"
         r"internacional|maquinarias?|maquinas|equipos?|equipamientos?|aditivos|insumos|materias primas|"
         r"exportacion)\b"),
        ("3322", r"\bplan(?:es)? de ahorro\b"),
        ("5223", r"\b(?:autos|vehiculos|0 ?km|okm|usados|concesionari[oa]s?|motos)\b"),
    )
)  # fmt: skip
_CHANNELS: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (code, re.compile(strong), re.compile(weak) if weak else None)
    for code, strong, weak in (
        ("5223", r"\b(?:salon de ventas|atencion en (?:el )?(?:salon|local|mostrador|tienda)|"
         r"venta en (?:salon|mostrador)|local comercial|mostrador|vidrieras?|probadores|gondolas?|showroom)\b",
         r"\b(?:tienda|local|sucursal|salon|caja|clientes que ingresan|stock del local|shopping)\b"),
        ("3322", r"\b(?:visitas? (?:a|de) (?:\w+ )?clientes|visitar (?:a )?(?:\w+ )?clientes|zona asignada|preventa|"
         r"b2b|distribuidores|"
         r"clientes corporativos|empresas clientes|cartera de clientes propia|recorridos?|vehiculo propio|"
         r"movilidad propia|trabajo de campo|en campo|venta corporativa|licitaciones)\b",
         r"\b(?:cartera de clientes|comercios|empresas|prospeccion|nuevos clientes|negociacion|"
         r"registro de conducir)\b"),
        ("5244", r"\b(?:call ?center|contact ?center|telemarketing|televentas?|llamadas salientes|venta telefonica|"
         r"ventas telefonicas|outbound|por telefono|telefonicamente|bases de datos de clientes|llamados?|"
         r"cierre telefonico|telemercadeo|llamadas (?:a clientes|telefonicas|salientes))\b", None),
        ("5243", r"\b(?:puerta a puerta|casa por casa|venta ambulante|via publica|vendedor(?:es)? de terreno|"
         r"en terreno)\b", None),
    )
)  # fmt: skip

# A branch, operations or general manager runs a unit of some firm: the sector says which management group.
# A production operative of no named machine ("Operario de Producción") in a plant whose process the evidence
# names twice over operates that plant (the readers' 81xx): chemicals and medicines, plastics, food. The
# plant's general hands, helpers and labourers stay labourers (9329).
_PLANT_OPERATIVE = re.compile(r"^(?:operari[oa]s?|personal)\b")
_PLANT_HAND = re.compile(r"\b(?:generales?|ayudantes?|peon(?:es)?|deposito|pesada)\b")
_PLANT_PROCESSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("8131", r"\b(?:plantas? quimicas?|industrias? quimicas?|productos quimicos|farmoquimic[oa]s?|"
         r"farmaceutic[oa]s?|principios activos|solventes|reactor(?:es)?|gmp)\b"),
        ("8142", r"\b(?:plasticos?|extrusion|extrusoras?|termoformad[oa]|inyeccion de plasticos?|inyectoras?|"
         r"sopladoras?|polietileno|polipropileno|pvc)\b"),
        ("8160", r"\b(?:alimentos|alimentici[oa]s?|industria alimentaria|recetas?|panificados|lacteos|golosinas|"
         r"chocolates?|pailas|embutidos|conservas|bebidas)\b"),
    )
)  # fmt: skip


def plant_process(evidence: str) -> str | None:
    """The plant operators' unit group of the process the evidence names with two distinct words, the most (a
    chemical plant, a plastics extrusion plant, a food factory), or None."""
    counts = sorted(
        ((len({m.group() for m in p.finditer(evidence)}), code) for code, p in _PLANT_PROCESSES), reverse=True
    )
    if counts[0][0] >= 2 and counts[0][0] > counts[1][0]:
        return counts[0][1]
    return None


# A construction worker of no named trade ("Personal de obra", "Trabajador de la construcción") is read by the
# readers as a builder (7112), never a labourer: only a helper or a peon of the building site is one (9313).
_SITE_HELPER = re.compile(r"\b(?:ayudantes?|peon(?:es)?|auxiliar(?:es)?|peonaje)\b")


# A professional the description hires for a head's position ("Ingeniero Civil … que llevará adelante la posición de
# Jefe de Obra", "Buscamos Ingeniero/a o Arquitecto/a para cubrir el puesto de Jefe de Obra") is coded by that
# position, as the readers do: the head of a unit is a manager.
_HEAD_POSITION = re.compile(
    r"\b(?:puesto|posicion|cargo|rol) de ((?:jefe|jefa|gerente|director|directora|responsable) de [a-z ]{3,40})"
)

# An office messenger ("Cadete administrativo") runs the office's errands (papers, banks, parcels): the readers keep
# him a messenger (9621) whatever vehicle he is given, as ISCO-08 9621 carries messages and packages by any means; a
# messenger the title names a rider ("motoquero", "motorizado") drives for the job (8321).
_OFFICE_ERRANDS = re.compile(r"^cadetes? administrativ[oa]s?\b")
_RIDER = re.compile(r"\b(?:motoquer[oa]s?|motorizad[oa]s?|repartidor(?:a|es|as)?|chofer(?:es)?)\b")

_REPORTS_TO = re.compile(r"\b(?:report\w*|depend\w*|a cargo del?|bajo la supervision del?)\b")

_SECTOR_MANAGED = frozenset("1219 1420 5222".split())
_VAGUE_UNIT = re.compile(r"\b(?:sucursal|operaciones|delegacion|agencia)\b")
_MANAGER_SECTORS = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("1346", r"\b(?:banco|bancari[oa]s?|entidad financiera|financiera|seguros|aseguradora|prestamos|creditos|"
         r"productos financieros|servicios financieros|credito de consumo|tarjetas? de credito)\b"),
        ("1324", r"\b(?:logistica|logistico|depositos?|almacenes|distribucion|transporte|centro de distribucion|"
         r"flota|correo|paqueteria)\b"),
        ("1412", r"\b(?:gastronomic[oa]s?|gastronomia|restaurantes?|comedores|catering|servicios de alimentacion|"
         r"cocina|bar(?:es)?|viandas)\b"),
        ("1411", r"\b(?:hotel|hoteles|hoteleria|hotelera)\b"),
        ("1321", r"\b(?:planta|fabrica|produccion|manufactura|industrial)\b"),
        ("1420", r"\b(?:tienda|tiendas|retail|supermercados?|local comercial|locales)\b"),
    )
)  # fmt: skip

# The head of a health facility's operations ("Coordinador/a de Operaciones para Centro Médico", "Jefe de
# Operaciones - Sanatorio") is its manager, as the readers code him: ISCO-08 1342, health services managers, plan,
# direct and coordinate the services of hospitals and clinics. Only the title's own words count.
_OPERATIONS_HEAD = re.compile(
    r"^(?:coordinador(?:a)?|supervisor(?:a)?|jefe|jefa|responsable|gerente|director(?:a)?)(?:es|as)? "
    r"(?:de )?operaciones\b"
)
_HEALTH_FACILITY = re.compile(
    r"\b(?:centros? medicos?|clinicas?(?! medica)|sanatorios?|policlinic[oa]s?|centros? de salud|hospital(?:es)?)\b"
)


def operations_manager(title: str) -> str | None:
    """1342 (health services managers) for a head of operations whose title (folded, gender endings cut) names a
    clinic, a medical centre or a hospital; else None. Other sectors' operations coordinators are left to the
    tables: the readers code a logistics coordinator a transport clerk (4323)."""
    return "1342" if _OPERATIONS_HEAD.match(title) and _HEALTH_FACILITY.search(title) else None


# Titles the table does not name ("analista de impuestos", "asistente de almacenes", "jefe de rrhh") are read as a
# role word and a domain: each domain has the unit group of its professionals and specialists (analista,
# coordinador, jefe, responsable, supervisor…: rank words stay out of the management groups) and the unit group
# of its clerks and helpers (asistente, auxiliar, administrativo, empleado, operador, ayudante…).
# A third group, where given, is its analysts': an analyst of a transaction (payments, collections, billing,
# accounts, treasury) processes it, as its clerks do (the readers' 4311), while one of taxes or costs is a professional.
_DOMAINS = r"""
2424 4416: capacitacion | formacion | entrenamiento | e ?learning
2423 4416: recursos humanos | rrhh | rr hh | rh | hr | talentos? | talent | benefits | compensations? | recruit\w* |
      people | generalista |
      seleccion | reclutamiento | compensaciones | beneficios | desarrollo organizacional | capacitacion | formacion |
      relaciones laborales | empleabilidad
2411 4311: finance | accounting | tax | impuestos | impositiv[oa] | tributari[oa] | fiscal | auditoria |
      control interno | control de gestion | costos | contabilidad | contable | finanzas | financier[oa] |
      presupuestos?
2411 4311 4311: conciliaciones | cuentas corrientes | cuentas por (?:cobrar|pagar) | cuentas a (?:cobrar|pagar) |
      tesoreria | pagos? a proveedores | medios de pago | pagos | payments? | billing | collections? |
      accounts (?:payable|receivable)
4313 4313: payroll | nominas? | sueldos | liquidacion de haberes | remuneraciones
3331 3331: comercio exterior | importacion(?:es)? | exportacion(?:es)? | aduanas? | aduaner[oa]s? | impo | expo |
      forwarding |
      freight | maritim[oa]s?
2133 3257: medio ambiente | ambiental
2263 3257: seguridad e higiene | seguridad higiene | higiene y seguridad | hys | hse | ehs | sso |
      seguridad industrial | (?:salud y )?seguridad (?:y salud )?(?:ocupacional|laboral|en el trabajo) |
      seguridad alimentaria
2529 2529: seguridad informatica | ciberseguridad | seguridad de la informacion | cybersecurity
3512 3512: mesa de ayuda | help ?desk | service desk | soporte tecnico | soporte a usuarios
2523 3513: telecomunicaciones | telecom | networking | redes (?:de datos|informaticas|lan|wan)
2262 3213: farmacia | farmaceutic[oa]
2619 4110: legales | legal | compliance | cumplimiento normativo | regulatori[oa]s? | normativ[oa]s? | contratos
2432 4110: comunicacion | prensa | contenidos? | redes sociales | relaciones publicas | eventos corporativos
2431 2431: mercadeo | marketing | mkt | publicidad | publicitari[oa] | promocion |
      producto | marca | trade | crm | leads | fidelizacion | remarketing |
      ecommerce | e commerce | comercio electronico | digital | pricing | precios | medios | paid media |
      performance | seo | sem
2166 2166: diseno | grafic[oa] | creativ[oa] | audiovisual
3322 4110: sales | comercial | comerciales | ventas | negocios | captaciones | franquicias | clientes corporativos
4222 4222: atencion al cliente | servicio al cliente | sac | atencion al socio | customer | retencion | reclamos |
      experiencia del cliente
5223 5223: mostrador | atencion al publico | salon | tienda | store | repuestos | retail | kiosco | heladeria |
      fiambreria | panaderia | pet shop | wine shop
3323 3323: procurement | purchasing | compras | abastecimiento | licitaciones | cotizaciones | contrataciones |
      contratacion publica | compras publicas
4323 4323: logistics | logistica | logistic[oa] | distribucion | supply chain | transporte | trafico | flota |
      (?<!service )delivery |
      entregas | ultima milla |
      despacho
4321 4321: almacen | almacenes | deposito | bodega | stock | inventarios? | panol | perecederos
4323 4323: (?:planificacion|planeamiento) (?:y coordinacion )?de (?:trafico|transporte|distribucion|rutas|flota)
2431 4110: (?:planificacion|planeamiento) (?:comercial|de ventas)
2141 4322 2141: pcp | planeamiento | planificacion
2141 4322: desarrollo de (?:packaging|envases|empaques)
3122 4322 2141: produccion | planta | fabrica | manufactura | industria | packaging | inyeccion | extrusion |
      termoformado | envasado
2131 3141 3141: microbiologi[ac]\w*
3111 3111: laboratorio
3119 3119: calidad | validaciones | cultivo celular | control de procesos | inspeccion |
      sistemas? integrados? de gestion | sgi | normas iso | iso
3115 7233: mantenimiento | confiabilidad | metalmecanic[oa] | mecanic[oa]
7233 7233: taller
3113 7411: electric[oa] | electricidad | instrumentos
3114 7421: electronic[oa] | electromedicina
3123 9313: obras? | construccion | caminos | edificios
2421 4110: proyectos? | procesos | organizacion | mejora
5414 5414: seguridad privada | vigilancia | vigiladores | custodia | empresas? de seguridad
8322 8322: estacionamientos? | garages? | garajes? | cocheras? | parking
2511 4132: datos | data | bi | base de datos | analitica
2511 3512: sistemas | it | tecnologia | soporte | infraestructura | redes | networking | data center | erp | sap |
      inteligencia artificial | ia | ai |
      ti
3315 4312: siniestros
3321 4312: seguros | polizas | emision
4214 4214 4311: cobros | cobranzas? | recobro | recupero | morosidad | creditos
2359 4110: educacion | academic[oa]s? | admisiones | matriculas | curricular | estudios(?! electric| tecnic) | escolar |
      colegio
1411 4224: hotel | hoteleria | hostel | hosteria | apart hotel
4221 4221: turismo | viajes | reservas | pasajes | excursiones | vuelos | aereos
3332 3332: eventos | mice | congresos
5132 5132: bar | barra | cafeteria
3434 9412: cocina | alimentacion | gastronomia
5151 9112: limpieza | servicios generales | maestranza | higiene
6130 9211: agropecuari[oa] | ganaderia | ganader[oa] | cultivos? | vinedos? | agricola
"""
_PROFESSIONAL_ROLES = re.compile(
    r"^(?:analista|especialista|expert[oa]|consultora?|coordinadora?|jefe|jefa|jefatura|responsable|supervisora?|lider|"
    r"planificadora?|"
    r"ejecutiv[oa]|gestora?|inspectora?|asesora?|referente|administradora?|encargad[oa]|tecnic[oa]|licenciad[oa]|"
    # "Profesionales Contable e Impositivo": the field's professionals, not its clerks.
    r"profesional(?:es)?)\b"
    # English titles put the role last ("Benefits Analyst").
    r"|\b(?:analyst|specialist|coordinator|consultant|lead|supervisor|advisor|partner)\b"
)
_CLERICAL_ROLES = re.compile(
    r"^(?:asistente|auxiliar|administrativ[oa]|emplead[oa]|operadora?|ayudante|personal|colaboradora?|operari[oa]|"
    r"agente|recepcionista|cadete|representante|promotora?)\b|\b(?:assistant|representative|agent|clerk)\b"
)

_GENDER = re.compile(
    # Upper-case titles write the forms in capitals too ("LIQUIDADOR/A"); the "x" form stays lower-case only.
    r"(?<=\w)(?:(?i:\s?/\s?(?:a|as|es|o|os|or|ra|ras|ora|oras|da|das)\b|\s?\((?:a|as|es|o|os)\))|@|\(?x\)?(?=\s|$))"
)
# Words that do not name the job: seniority, contract, schedule, place, urgency, codes of the employer's own.
_NOISE = re.compile(
    r"\b(?:sr|ssr|jr|senior|becari[oa]s?|jubilad[oa]s?|"
    r"semi ?senior|semisenior|junior|trainee|interns?|internships?|"
    r"(?:pasante|pasantia|practica)s? universitari[oa]s?|pasantes?|pasantias?|"
    r"practicantes?|^ ?practicas?(?: (?:pre ?)?profesionales| laborales)?|urgente|importante|"
    r"nivel|i{1,3}|iv|tiempo completo|medio tiempo|part ?time|full ?time|remoto|hibrido|presencial|home office|"
    # A "full stack" developer is no full-time one.
    r"zona \w+|con experiencia|sin experiencia|eventual|temporal|jornada|turno \w+|full(?! ?stack)|part|"
    # A bilingual assistant assists an executive (3343): "bilingüe" stays after "asistente" alone.
    r"time|copia|(?<!asistente )bilingue|"
    r"se busca|buscamos|busqueda|se necesita|necesitamos|solicito|incorporamos|estudiante avanzado de|"
    r"estudiantes? avanzados? de|estudiantes? de|estudiante avanzado|estudiantes?|graduados? de|"
    r"trabajo desde casa|desde casa|work from home|teletrabajo|remote|head of|sub|req\w*|(?!b2[bc]\b)[a-z]*\d+[a-z\d]*|"
    r"bilingual|opportunity|oportunidad|freelance|free lance|permanente|efectiv[oa])\b"
)
# The unit a job heads is part of it ("jefe de sucursal"); a branch named after the job is a place.
# "Técnico con experiencia en tendido de fibra" names its job's field after "con experiencia en": no cut there.
_CUT = re.compile(
    r"\s(?:para|en zona|-|–|\||sector|zona|area|con(?!\sexperiencia\s(?:en|de)\s))\s|"
    # "Architect IT Senior- Contratación Directa- Cobertura Médica": the terms of the offer after a dash.
    r"(?<=\w)-\s(?=(?:contratacion|cobertura|obra social|prepaga|beneficios|sueldo|salario|remuneracion|comisiones|"
    r"relacion de dependencia|efectivizacion)\b)|"
    # ... unless a rank or role word heads it ("Administrador Sucursal", "Encargado sucursal Centro").
    r"(?<!\sde)(?<!administrador)(?<!administradora)(?<!encargado)(?<!encargada)(?<!responsable)(?<!jefe)(?<!gerente)"
    r"\ssucursal\s|[(\[|,:;]"
)
_TOKEN = re.compile(r"[a-z0-9ñ]+")
_MILITARY = re.compile(r"\b(?:militar(?:es)?|ejercito|armada|fuerza aerea|fuerzas armadas|suboficial)\b")
_MANAGER = re.compile(r"\b(?:gerente|director|directora|ceo|cfo|cto|cio|coo|country manager|managing director)\b")
# ESCO unit groups whose labels share words with everyday jobs ("revisor" of a train, "jefe de ingeniería" of a ship,
# "técnica de vuelo", "fact checker", "consultor de TIC", "preparador de pan"): a label of one of them codes a title
# only when the title names that group's own domain, somewhere in it.
_DOMAIN_BOUND: tuple[tuple[frozenset[str], re.Pattern[str]], ...] = tuple(
    (frozenset(codes.split()), re.compile(rf"\b(?:{words})"))
    for codes, words in (
        ("3151 3152 8350 5111", r"naval|buques?\b|barcos?\b|embarcacion|maritim|marin|navier|nautic|pesquer|"
         r"timonel|contramaestre|cubierta|tripulante|azafat|sobrecargo|cabina|aerolinea"),
        ("3153 3154", r"pilot|copiloto|aviador|aeronave|avion|helicoptero|aviacion|aeronautic|aeroportuari|"
         r"trafico aereo|controlador aereo"),
        ("5112 8311", r"tren|ferrocarril|ferroviari|colectivo|autobus|omnibus|tranvia|subte|pasajes?\b|boleto|"
         r"transporte (?:publico|de pasajeros)"),
        ("2146 3117 3121 8111", r"mina\b|minas\b|miner|cantera|yacimiento|metalurg|perforacion|subterrane"),
        ("2642", r"periodis|prensa|noticia|redacc|reporter|editorial|corrector|cronista|columnista|locutor|revista|"
         r"diario"),
        ("2636 3413", r"religi|iglesia|pastoral|parroq|catequ|teolog|capellan"),
        ("2250 3240", r"veterinari|animal|mascota|zootecn|equin|bovin|porcin|avicol"),
        ("3331", r"aduan|import|export|comercio exterior|comercio internacional|comex|despachante|forwarder"),
        ("2635 3412", r"social|discapacidad|comunitari|vulnerab|infancia|acogimiento|residencia|tutor"),
        ("3230", r"natural|alternativ|tradicional|homeopat|acupunt|herbal|fitoterap|naturopat"),
        ("7512", r"pan\b|panader|pasteler|confiter|reposter|masas?\b|harina|pastas?\b|chocolat|facturas?\b"),
        ("3344", r"medic|clinic|salud|sanatori|hospital|consultori|pacientes|odontolog|quiropract"),
        ("2511 2512 2513 2514 2519 2521 2522 2523 2529 3511 3512 3513 3514",
         r"tic\b|ti\b|it\b|sistemas|software|datos|data|informatic|tecnolog|tech|digital|redes|web|program|desarroll|"
         r"cloud|sap\b|erp\b|crm\b|zabbix|infraestructura|aplicacion|ciber|computa|hardware|soporte|servidor"),
    )
)  # fmt: skip
# Title words that do not name the occupation on their own: the head is the next content word.
_GENERIC_HEADS = frozenset(
    "personal profesional trabajador trabajadora empleado empleada oficial ayudante auxiliar asistente analista "
    "especialista asesor asesora ejecutivo ejecutiva agente operador operadora tecnico tecnica encargado encargada "
    "responsable jefe jefa supervisor supervisora coordinador coordinadora colaborador colaboradora lider lead".split()
)
# A "gestor" alone ("Gestor Senior") is a role too; "gestor de aplicaciones" still names its job by ESCO's labels.
_ROLE_WORDS = _GENERIC_HEADS | {"gestor", "gestora", "director", "directora", "experto", "experta"}
# Words that leave the domain open ("supervisor de operaciones" of a security firm or of a warehouse).
_VAGUE_WORDS = frozenset(
    "operaciones operacion general generales polivalente multiple tareas varias campo regional zonal servicios "
    "servicio".split()
)
_STOP = frozenset("de del la el los las y e en a al con para por un una o u".split())
_HIRING_CUE = re.compile(
    r"\b(?:buscamos|busca|buscando|solicita|solicitamos|requiere|requerimos|seleccionamos|selecciona|seleccionar|"
    r"incorporar|incorporamos|contratar|necesitamos|necesita|busqueda de|en busca de|sumar a|sumamos)\b"
)
_ARTICLES = re.compile(r"^\s*(?:a|al|un|una|unos|unas|el|la|los|las|nuestro|nuestra|equipo|personas?)\s+")
TOP_CANDIDATES = 25


@dataclass(frozen=True)
class OccupationCode:
    """The occupation a posting was coded to, or ``method == "unknown"`` with the reason."""

    uri: str | None
    label: str | None
    isco_code: str | None
    isco_label: str | None
    confidence: float
    method: str  # "title", "description" or "unknown"
    reason: str | None = None
    # Which reading coded it (rule, domain, field rule, esco exact, esco nearest, description cue, role in
    # description, field of role, unknown): for reading the coder's errors by path, never compared.
    branch: str = field(default="", compare=False)

    @property
    def stored_method(self) -> str:
        """What the ``postings.occupation_method`` column keeps: the method, with the reason when unknown."""
        return f"{UNKNOWN}: {self.reason}" if self.method == UNKNOWN else self.method


# Table alternatives that name a field, not a person: they name the job only as the title's first words
# ("Ventas", "Logística – Zona Norte"); after a role word ("asistente de ventas") the role and domain decide.
# Role words the table codes alone ("Administrativo", "Operarios"): followed by a field, role + domain decide
# ("administrativo de atención al cliente", "operario de mantenimiento"); they are tried after that reading.
_ROLE_DEFAULTS = frozenset(["administrativ[oa]", "operari[oa]s?", "ingenier[oa]"])
_FIELD_ONLY = frozenset(
    field.strip()
    for field in """ventas|venta|caja|deposito|logistica|calidad|control de calidad|compras|abastecimiento|
    importaciones|
    exportaciones|comercio exterior|mantenimiento|mantenimiento industrial|limpieza|cocina|soporte|administracion|
    marketing|mercadeo|seguridad|legal|contabilidad|tesoreria|facturacion|cobranzas?|payroll|nominas?|inventarios|
    control de stock|mejora continua|extrusion|termoformado|inyeccion de plasticos|
    ecommerce|e commerce|growth|social media|pricing|bi|business intelligence|
    desarrollo de software|infraestructura it|seguridad informatica|ciberseguridad|higiene y seguridad|
    seguridad e higiene|seguridad ocupacional|seguridad y salud ocupacional|seguridad industrial|
    hse|ehs|back office|data entry|carga de datos|prensa y comunicacion|liquidacion de sueldos|
    administracion de personal|monitoreo de camaras|maestranza|housekeeping|soldadura|cnc|autocad|inmobiliaria|
    comercial|delivery|help ?desk|mesa de ayuda|service desk|call center|contact center|atencion al cliente|
    recupero de creditos|cuentas a pagar|seguridad de la informacion|ventas telefonicas|venta telefonica|
    telemarketing|carga y descarga|contable|gastronomic[oa]s?|comis""".split("|")
)


def _plural_forms(pattern: str) -> str:
    """A table alternative that also takes its plurals ("asesor(?:a)?" -> asesores, asesoras; "tecnic[oa]" ->
    tecnicos): titles name jobs in the plural as often as in the singular."""
    pattern = pattern.replace("(?:a)?", "(?:a|as|es)?").replace("[oa] ", "[oa]s? ").replace("[oa])", "[oa]s?)")
    if pattern.endswith("[oa]"):  # "operaciones logisticas", "ingenieros agronomos"
        pattern += "s?"
    return re.sub(r"\bventas\b(?!\?)", "ventas?", pattern)


def _parse_rules(text: str, fields_first_only: bool = False) -> list[tuple[str, re.Pattern[str]]]:
    """``code: alternative | alternative |`` lines; an indented line continues the alternatives above it. With
    ``fields_first_only``, the ``_FIELD_ONLY`` alternatives match only at the start of the title and the
    ``_ROLE_DEFAULTS`` are left out."""
    entries: list[tuple[str, str]] = []
    for line in text.strip().splitlines():
        if line.startswith(" ") and entries:
            # A line broken inside a group ("(?:a|b|" + "c)") continues it without a space.
            glue = "" if entries[-1][1].endswith("|") and not entries[-1][1].endswith(" |") else " "
            entries[-1] = (entries[-1][0], entries[-1][1] + glue + line.strip())
        else:
            code, _, alternatives = line.partition(":")
            entries.append((code.strip(), alternatives.strip()))
    rules = []
    for code, alternatives in entries:
        # Titles drop or vary the "de" ("Operario Depósito", "Técnico en mantenimiento"): any linker, or none.
        parts = [
            # A field may say what it is not ("seguridad" that is no "seguridad e higiene"): a field still.
            ("^" if fields_first_only and re.sub(r"\(\?!.*\)$", "", part.strip()) in _FIELD_ONLY else "")
            + _plural_forms(re.sub(r" (?:de|en) ", " (?:(?:de|del|en|de la|de los) )?", part.strip()))
            for part in alternatives.split(" | ")
            if part.strip() and not (fields_first_only and part.strip() in _ROLE_DEFAULTS)
        ]
        if parts:
            rules.append((code, re.compile(r"\b(?:" + "|".join(parts) + r")\b")))
    return rules


TITLE_RULES = _parse_rules(_TITLE_RULES, fields_first_only=True)
# The same table with fields matched anywhere: tried after the role + domain reading.
FIELD_RULES = _parse_rules(_TITLE_RULES)
# Each domain: the unit group of its professionals, of its clerks, and (when a third is given) of its analysts.
DOMAINS = [
    (codes.split()[0], codes.split()[1], (codes.split()[2:] or codes.split()[:1])[0], pattern)
    for codes, pattern in _parse_rules(_DOMAINS)
]
_ANALYST_ROLES = re.compile(r"^(?:analista|especialista|consultora?)\b|\b(?:analyst|specialist|consultant)\b")

# English titles name the job last ("Bilingual Graphic Designer", "IT Support Analyst"); first match wins.
_ENGLISH_HEADS = r"""
3512: (?:it |technical |tech |customer |desktop )?support (?:analyst|specialist|technician|engineer|agent) |
      help ?desk
2519: qa (?:analyst|engineer|automation) | test (?:analyst|engineer) | tester | quality engineer |
      performance (?:tester|engineer)
2529: security engineer | cybersecurity (?:analyst|engineer|specialist) | governance risk and compliance
2523: (?:voip|network|networking|telecom|telecommunications) (?:engineer|analyst|specialist)
2153: (?:dwdm|rf|transmission|radio frequency) engineer
1330: (?:engineering|software|analytics|data|technology|it) manager | engineering director
2522: devops | sre | site reliability | cloud(?: ?ops)? engineer |
      (?:openshift|kubernetes|linux|azure|aws|platform) engineer |
      infrastructure (?:leader|lead|engineer|specialist) |
      (?:system|systems|network) administrator | platform engineer
2511: data (?:scientist|analyst|engineer|strategy|governance|visualization) |
      (?:machine learning|ml|ai|computer vision|integration) engineer | (?:bi|business|systems|functional) analyst |
      product owner | (?:solutions?|software|enterprise|salesforce|cloud|data|it|technical|java|net|python|aws|azure|
      integration|security|systems?|platform) architect
2512: (?:software|backend|back end|frontend|front end|full ?stack|mobile|java|python|net|ai|ml) (?:developer|engineer) |
      developer | programmer
2166: designer | illustrator | animator | content creator
2431: marketing (?:specialist|analyst|manager|coordinator) | growth (?:specialist|analyst|manager) | seo | sem
4222: customer (?:service|support|success|care)(?: representative| agent| specialist)?
5223: sales associate
1411: hotel (?:operations )?manager
3322: sales (?:executive|representative|rep|specialist|manager|leader|lead) | corporate sales |
      account (?:executive|manager) | business developer
2423: recruiter | talent acquisition | hr (?:analyst|generalist|specialist|business partner) |
      people (?:operations|partner|analyst|specialist)
2411: accountant | auditor
3343: executive assistant | personal assistant
4110: (?:office|administrative|admin) assistant
2142: civil engineer
2149: project engineer
2144: mechanical engineer
2151: electrical engineer
2145: chemical engineer
2141: industrial engineer
4311: billing (?:analyst|specialist) | accounts (?:payable|receivable) | invoice (?:processor|clerk|analyst|specialist)
2413: financial (?:planning|analyst|controlling) | fp ?a (?:analyst|specialist) | controlling analyst
3313: cost analyst
3341: office manager
2611: lawyer | attorney
2619: regulatory (?:affairs )?(?:manager|specialist|analyst|officer|lead|associate|coordinator) | regulatory affairs
2643: translator | interpreter
3323: buyer | purchasing (?:analyst|specialist) | procurement (?:analyst|specialist) | spend analyst
4323: logistics (?:analyst|coordinator) | supply chain analyst | dispatch(?:er)?(?: \w+)? (?:coordinator|analyst) |
      dispatcher
2141: (?:demand|supply|production) planner
"""
ENGLISH_HEADS = _parse_rules(_ENGLISH_HEADS)


def _singular(text: str) -> str:
    """Each word in its singular ("vigiladores" -> "vigilador", "camareras" -> "camarera"): the tables name jobs
    in the singular."""
    words = []
    for word in text.split():
        if len(word) > 4 and (word.endswith("ores") or (word.endswith("es") and word[-3] in "lnrdz")):
            word = word[:-2]
        elif len(word) > 3 and (word.endswith(("as", "es", "os")) or word.endswith("ers")):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


# Misspelt title words ("Coordinardor", "Analista en Tsoreria", "INEVSTIGADOR DE SINIESTROS", "Tarapistas"): a word
# of six letters or more that no ESCO label (occupation or skill, Spanish or English) nor any table of this module
# writes is read as the job word one edit away (a letter left out, added, changed, or two letters swapped), when
# exactly one job word is that near; a known word is never respelt into another job.
_TYPO_MIN = 6
_TYPO_MAX = 24  # longer "words" are no job's name (and their edits would be millions of strings)
_TYPO_WORD = re.compile(r"[^\W\d_]{6,}")
_LETTERS = "abcdefghijklmnopqrstuvwxyzñ"
# Words of employers' trades and places that postings spell right and no ESCO label writes, one edit from a job word
# (read on the unlabelled pool postings): a "panificadora" is a bakery, no "planificadora"; "edilicio", "gestoría".
_NOT_TYPOS = frozenset(
    "panificadora panificadoras edilicio edilicia gestoria plomeria entrenado entrenada ganadora multimedial "
    "multimedios programado programada closer trailer driven eventa".split()
)


def _table_words(*tables: str) -> frozenset[str]:
    """The words the title tables write, their [oa] and (?:a)? alternatives spelt out both ways."""
    text = " ".join(tables)
    spelt = (
        text.replace("[oa]", "o").replace("(?:a)?", "").replace("s?", "").replace("(?:es)?", ""),
        text.replace("[oa]", "a").replace("(?:a)?", "a").replace("s?", "s").replace("(?:es)?", "es"),
    )
    return frozenset(w for t in spelt for w in re.findall(r"[a-zñ]+", t) if len(w) >= _TYPO_MIN - 1)


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, change or insertion of a letter away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
    )


@lru_cache(maxsize=16384)
def respelt(word: str, job_words: frozenset[str], known: frozenset[str]) -> str | None:
    """The job word a misspelt title word (folded) stands for, or None: the word is one of six letters or more
    that ``known`` lacks (in the singular too), and exactly one word of ``job_words`` (singular or plural forms) is
    one edit away, past the first letter: a misspelling keeps it ("Programdor", "Adminsitrativo"), and "Lustrador"
    is no "ilustrador"."""
    if not _TYPO_MIN <= len(word) <= _TYPO_MAX or word in known or _singular(word) in known:
        return None
    near: dict[str, str] = {}
    for candidate in (word[0] + edit for edit in _one_edit(word[1:])):
        if candidate in job_words:
            base = candidate
            for ending in ("es", "s"):
                if candidate.endswith(ending) and candidate[: -len(ending)] in job_words:
                    base = candidate[: -len(ending)]
                    break
            near.setdefault(base, candidate)
    return next(iter(near.values())) if len(near) == 1 else None


def _is_role_only(key: str) -> bool:
    """Whether a cleaned title is only rank, role and vague words ("asistente", "supervisor de operaciones")."""
    return all(w in _ROLE_WORDS or w in _STOP or w in _VAGUE_WORDS for w in _singular(key).split())


# What any posting offers or says of its hiring ("beneficios", "capacitación a cargo de la empresa", "proceso de
# selección") names no domain of the job.
_OFFER_WORDS = re.compile(r"\b(?:beneficios|capacitacion(?:es)?|formacion|seleccion|proceso de seleccion)\b")


# What a job does, in the words its description uses for the tasks and the place (a shop floor, a telephone line,
# a front desk, a warehouse dock…): read when the title names no job ("Asesora", "Atención al público", "Personal").
# Each field: a unit group, task phrases (two points each) and place or object words (one point each).
_TASK_FIELDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (code, re.compile(strong), re.compile(weak))
    for code, strong, weak in (
        ("5223", r"\b(?:experiencia (?:\w+ )?de compra|presupuesto de ventas?|"
         r"(?:atender|atencion) (?:a (?:los )?clientes |al cliente |al publico )?en "
         r"(?:el |la |los |nuestr[oa]s? )?(?:local(?:es)?|tiendas?|salon|mostrador|stands?|sucursal(?:es)?)|"
         r"salon de ventas|reposicion de (?:productos|mercaderia)|armado de vidrieras?|vidrieras?|"
         r"probadores|exhibicion de productos|manejo de caja|cobro en caja|cierre de caja)\b",
         r"\b(?:local(?:es)?|tiendas?|boutique|shoppings?|stands?|mostrador|caja|vendedor(?:a)?)\b"),
        ("3322", r"\b(?:visitas? (?:a|de) (?:\w+ )?clientes|visitar (?:a )?(?:\w+ )?clientes|zona asignada|preventa|"
         r"toma de pedidos|recorredores|cartera de clientes|prospeccion|clientes corporativos|vehiculo propio|"
         r"movilidad propia)\b",
         r"\b(?:comercios|empresas|nuevos clientes|negociacion|cotizaciones|distribuidores)\b"),
        ("5244", r"\b(?:ventas? telefonicas?|televentas?|llamadas salientes|outbound|telemarketing|telemercadeo|"
         r"venta por telefono|cierre telefonico)\b", r"\b(?:llamadas|telefono|telefonic[oa]s?|comisiones)\b"),
        ("4222", r"\b(?:llamadas entrantes|inbound|atencion telefonica|"
         r"responder (?:los |las )?(?:mensajes|consultas|llamadas)|whatsapp|consultas de (?:los )?clientes|"
         r"call center|contact center|(?:coordinar|agendar|programar|agendamiento de) (?:las )?citas)\b",
         r"\b(?:llamadas|telefono|telefonic[oa]s?|mensajes|correo electronico|clientes|chat|reclamos)\b"),
        ("4226", r"\b(?:recepcion de (?:clientes|pacientes|visitas|proveedores|huespedes|llamad\w+)|"
         r"recibir (?:a )?(?:los |las )?(?:pacientes|visitas|visitantes|clientes|huespedes)|"
         r"atencion de (?:llamad\w+|pacientes)|central telefonica|conmutador|admision de pacientes|"
         r"(?:asignacion|otorgamiento|gestion) de turnos|tareas en recepcion|recepcionista)\b",
         r"\b(?:pacientes|turnos|sanatorio|clinica|consultorios?|recepcion|visitas|salas de reuniones)\b"),
        ("9112", r"\b(?:limpieza de (?:\w+ )?(?:areas|espacios|oficinas|habitaciones|banos|pisos|instalaciones)|"
         r"productos de limpieza|tareas de limpieza|desinfeccion|areas publicas)\b",
         r"\b(?:limpieza|higiene|orden|banos|pisos|residuos)\b"),
        ("9333", r"\b(?:carga y descarga|preparacion de pedidos|armado de pedidos|picking|estiba|paletizado|"
         r"movimiento de mercaderia)\b", r"\b(?:deposito|mercaderia|pallets?|camiones|bultos)\b"),
        ("5414", r"\b(?:vigilancia|control de accesos?|rondas|prevencion de perdidas|custodia|seguridad patrimonial)\b",
         r"\b(?:seguridad|vigilador(?:es)?|camaras|ingreso y egreso)\b"),
        ("5142", r"\b(?:estetica (?:facial|corporal)|limpiezas? facial(?:es)?|tratamientos (?:faciales|corporales)|"
         r"depilacion|cosmetologia|cosmiatria)\b", r"\b(?:estetica|faciales|corporales|piel|aparatologia)\b"),
    )
)  # fmt: skip


# A rank word over a field's workers: a shop's supervisor (5222), a contact centre's (3341), cleaning staff's (5151);
# sales and security supervisors are coded with the sellers and the guards. Over the other fields (a clinic's front
# desk, a warehouse dock) a rank word heads operations no task list names.
_RANK_WORDS = re.compile(
    r"^(?:supervisor(?:a)?|jefe|encargad[oa]|subencargad[oa]|coordinador(?:a)?|responsable|lider)\b"
)
_RANKED_FIELDS = {"5223": "5222", "4222": "3341", "5244": "3341", "9112": "5151", "3322": "3322", "5414": "5414"}
# The fields are service, clerical and manual jobs: an analyst, an engineer or a technician is none of them ("Técnico
# de campo" giving remote support by telephone and chat is no contact-centre agent).
_NOT_A_FIELD_ROLE = re.compile(
    r"^(?:analista|especialista|consultora?|tecnic[oa]|ingenier[oa]|licenciad[oa]|profesional)\b"
    r"|\b(?:analyst|specialist|consultant|engineer|technician|manager|coordinator|lead|leader|officer|director)\b"
)


def field_of_role(key: str, text: str, margin: int = 2, least: int = 4) -> str | None:
    """The unit group of the job a title's role word (``key``: "asesora", "supervisor", "atencion al publico") does,
    by the tasks ``text`` names (``task_field``): a rank word heads its field's workers; None where the role
    cannot do the field's job or the tasks name none."""
    if _NOT_A_FIELD_ROLE.search(key):
        return None
    field = task_field(text, margin, least)
    if field is None or not _RANK_WORDS.match(key):
        return field
    return _RANKED_FIELDS.get(field)


def task_field(text: str, margin: int = 2, least: int = 4) -> str | None:
    """The unit group whose tasks and places ``text`` (folded) names most, or None: the winner needs ``least``
    points (two task phrases, or a task phrase and two place words: a stray "caja" or "clientes" is no field) and
    ``margin`` points over the runner-up."""
    points = sorted(
        ((2 * len({m.group() for m in strong.finditer(text)}) + len({m.group() for m in weak.finditer(text)}), code)
         for code, strong, weak in _TASK_FIELDS),
        reverse=True,
    )  # fmt: skip
    (best, code), (second, _) = points[0], points[1]
    return code if best >= least and best - second >= margin else None


def _domain_vote(role: str, text: str) -> str | None:
    """The unit group of ``role`` in the domain ``text`` names with the most distinct words (None on a tie)."""
    professional = _PROFESSIONAL_ROLES.search(role) is not None
    if not professional and _CLERICAL_ROLES.search(role) is None:
        return None
    counts = sorted(
        ((len({m.group() for m in pattern.finditer(text)}), prof if professional else clerical)
         for prof, clerical, _, pattern in DOMAINS),
        reverse=True,
    )  # fmt: skip
    # One word is no domain: "beneficios", "capacitación", "proceso de selección" open any posting.
    if counts[0][0] < 2 or counts[0][0] == counts[1][0]:
        return None
    return counts[0][1]


# A sentence presenting the employer ("Importante empresa del sector telecomunicaciones", "Somos una consultora…").
_EMPLOYER = re.compile(
    r"^\W*(?:(?:importante|reconocida|prestigiosa|destacada|gran|una|la|nuestra|nuestro)\s+)*"
    r"(?:empresa|compania|organizacion|firma|grupo|consultora|multinacional|institucion|estudio)\b|^\W*somos\b"
)


def _job_part(sentence: str, role: str) -> str:
    """The part of a description's first sentence that speaks of the job, without what any posting offers ("Beca
    de Formación"): after the hiring cue or the role word ("Importante empresa del sector telecomunicaciones
    requiere: supervisor…" names the employer's trade before it, not the job's); a sentence with neither that
    presents the employer names no job's domain, one that lists tasks ("funciones: reclutamiento…") does."""
    cue = _HIRING_CUE.search(sentence)
    named = re.search(rf"\b{re.escape(role.split()[0])}", sentence) if role.split() else None
    starts = [m.end() for m in (cue, named) if m is not None]
    if starts:
        sentence = sentence[min(starts) :]
    elif _EMPLOYER.search(sentence):
        return ""
    return _OFFER_WORDS.sub(" ", sentence)


# Words of an activity that serves a field ("soporte comercial", "proyectos de ERP"): followed by one, they name it.
# Planning is one too ("planificación logística", "planeamiento de abastecimiento", "planificación académica").
_SUPPORT_WORDS = frozenset({"soporte", "support", "proyecto", "proyectos", "planificacion", "planeamiento"})
_LINKER = re.compile(r"\s+(?:(?:de|del|a|al|en)\s+)?")


def _supports_a_field(text: str, match: re.Match[str]) -> bool:
    """Whether ``match`` is a support word right before another domain's word ("soporte comercial")."""
    if match.group() not in _SUPPORT_WORDS:
        return False
    linker = _LINKER.match(text, match.end())
    after = linker.end() if linker is not None else match.end()
    return any(pattern.match(text, after) for *_, pattern in DOMAINS if pattern is not match.re)


def domain_code(text: str) -> str | None:
    """The unit group of a title read as role + domain ("analista de impuestos" -> 2411), or None."""
    # An "analista administrativo" is an office clerk by a grander name ("Analista Administrativo de Seguros").
    text = re.sub(r"^analista (?=administrativ)", "", text)
    professional = _PROFESSIONAL_ROLES.search(text)
    clerical = _CLERICAL_ROLES.search(text) if professional is None else None
    if professional is None and clerical is None:
        return None
    analyst = professional is not None and _ANALYST_ROLES.search(text) is not None
    # An "operario" of production or of logistics works on the floor: the domain's clerk code (4322 production
    # clerk, 4323 transport clerk) is not his job, and the table's own readings of the title decide.
    hand = clerical is not None and clerical.group().startswith("operari")
    # An office clerk of a workshop or a kitchen ("administrativo de taller") is still an office clerk.
    office = clerical is not None and clerical.group().startswith("administrativ")
    # A "técnico" of a professional field is its associate professional ("técnico IT" supports users: 3512).
    technician = professional is not None and professional.group().startswith("tecnic")
    best: tuple[int, str] | None = None
    for professional_code, clerical_code, analyst_code, pattern in DOMAINS:
        # A support word followed by a field supports that field ("soporte comercial", "soporte de capacitación").
        starts = [m.start() + (len(text) if _supports_a_field(text, m) else 0) for m in pattern.finditer(text)]
        if starts and (best is None or min(starts) < best[0]):
            code = analyst_code if analyst else professional_code if professional is not None else clerical_code
            if technician and professional_code[:1] == "2" and clerical_code[:1] == "3":
                code = clerical_code
            best = (min(starts), code)
    if best is not None and hand and best[1][:1] in "234":
        return None
    # An analyst, specialist or consultant of a shop's or a kitchen's trade ("Analista de operaciones" of a parts
    # importer, "repuestos") analyses it: he is no shop assistant or cook, and the title names no job.
    if best is not None and analyst and best[1][:1] in "56789":
        return None
    if best is not None and office and best[1][:1] in "56789":
        return "4110"
    return best[1] if best is not None else None


_WORD_SYNONYMS = {
    "tecnologo": "tecnico", "tecnologa": "tecnico", "jefatura": "jefe", "jefa": "jefe", "lic": "licenciado",
    "adm": "administrativo", "admin": "administrativo", "aux": "auxiliar", "asist": "asistente", "gerencia": "gerente",
    "supervision": "supervisor", "tec": "tecnico", "profe": "profesor", "profes": "profesor", "ed": "educacion",
    "proyect": "project", "subgerente": "gerente",
}  # fmt: skip


_TRAINEE_AREA = re.compile(
    r"^((?:pasantes?|pasantias?|practicantes?|practicas?)(?: (?:pre ?)?profesionales| universitari[oa]s?)?)\s+"
    r"(?:(?:en|de|del)\s+)?(?:(?:el|la)\s+)?(?:area|sector)\s+(?:(?:de|del)\s+)?"
)


def clean_title(title: str) -> str:
    """The part of a job title that names the occupation, folded ("Vendedor/a Sr. para empresa…" -> "vendedor")."""
    text = _GENDER.sub("", title)
    text = fold_key(text).replace(".", " ")
    # "Seguridad, Higiene y Medio Ambiente" is one department, however it is written.
    text = re.sub(r"\bseguridad\s*,\s*(?=higiene\b)", "seguridad e ", text)
    # "Pasantías en el Área de Mercadeo": a trainee's area is the field he trains in, not a place to cut at.
    text = _TRAINEE_AREA.sub(r"\1 de ", text)
    match = _CUT.search(f" {text} ")
    if match is not None and match.start() > 3:
        text = text[: match.start() - 1]
    text = _NOISE.sub(" ", text)
    # "Pasante de compras", "Sr de Growth Marketing": the linker left before the job once the rank word is gone.
    text = re.sub(r"^\W*(?:(?:de|del|en|para|la|el|y)\W+)+", "", text)
    # Ecuador's and Colombia's "tecnólogo" is a technician with a tertiary degree; a "jefatura" is a "jefe".
    return " ".join(_WORD_SYNONYMS.get(w, w) for w in _TOKEN.findall(text))


# Folded, "Técnico/Ingeniero" reads "tecnico ingeniero"; "Administrativo / Analista Contable" is an office clerk of
# accounts first, the analyst's level welcome.
_TWO_ROLES = re.compile(
    r"\s*(?:(tecnic[oa]s?)\s+(?:(?:y|o|u)\s+)?(?:ingenier[oa]s?|licenciad[oa]s?|administrador(?:a|es)?(?=\s+de\b))|"
    r"(administrativ[oa]s?|auxiliar(?:es)?)\s+(?:(?:y|o|u)\s+)?analistas?)\b"
)
# A role word (and its linker) heading fields ("jefe de operaciones", "analista de compras").
_ROLE_OF_FIELDS = re.compile(
    r"^(?:jefe|analista|supervisor(?:a)?|coordinador(?:a)?|responsable|encargad[oa]|asistente|auxiliar|especialista|"
    r"gerente|administrativ[oa]|ejecutiv[oa]|lider)(?: (?:de|del|en))?(?= \w)"
)
_TRAINEE = re.compile(
    r"\b(?:pasantes?|pasantias?|trainees?|interns?|internships?|practicantes?|becari[oa]s?)\b|^\W*practicas?\b"
)
_TALENT_POOL = re.compile(
    r"\b(?:base (?:de )?talentos?|jovenes (?:talentos|profesionales)|programas? (?:de )?(?:pasantias|trainees?|"
    r"jovenes profesionales))\b"
)
_UNIT_PART = re.compile(r"\s*(?:gerencia|departamento|direccion|division)\b")
# ... nor does one stating the terms ("- Contratación Directa- Cobertura Médica", "| Sueldo + comisiones").
_CONDITIONS_PART = re.compile(
    r"\s*(?:contratacion|cobertura|obra social|prepaga|beneficios|sueldo|salario|remuneracion|bonos?|comisiones|"
    r"relacion de dependencia|contrato|efectivizacion)\b"
)
_TITLE_HIRING = re.compile(r"\s(?:busca|buscamos|incorpora|incorporamos|selecciona|seleccionamos|solicita|necesita)\s")


@lru_cache(maxsize=1)
def _place_keys() -> frozenset[str]:
    """The gazetteer's place names, folded as titles are."""
    return frozenset(clean_title(name) for name in place_names())


def _title_variants(title: str) -> list[str]:
    """The cleaned title, then its parts: "Comercial Sr / Vendedor B2B" is tried whole, then part by part."""
    folded = _GENDER.sub("", title)
    # "Técnico/Ingeniero Eléctrico", "Técnico y/o Licenciado en Higiene y Seguridad": the post takes technicians,
    # graduates welcome; the technician named first is the job, in the field the title names after both.
    two_roles = _TWO_ROLES.match(fold_key(folded))
    if two_roles is not None:
        title = folded = (two_roles.group(1) or two_roles.group(2)) + fold_key(folded)[two_roles.end() :]
    # "Base Talentos Contables", "Programa de Pasantías - Área Sistemas": a pool of candidates or a programme names
    # the field its trainees work in, not a job of its own.
    trainee = _TRAINEE.search(fold_key(folded)) is not None or _TALENT_POOL.search(fold_key(folded)) is not None
    if _TALENT_POOL.search(fold_key(folded)):
        title = folded = _TALENT_POOL.sub(" ", fold_key(folded))
    # "… | GBA OESTE | CASEROS": a part that is only a place's name ("Caseros", a town) names no job ("casero").
    parts = re.split(r"(\s/\s|\s[-–]\s|\|)", title)
    if len(parts) > 1 and clean_title(parts[-1]) in _place_keys():
        title = "".join(parts[:-2])
    whole = clean_title(title)
    variants = [whole] if whole else []
    # "Estudio contable busca estudiante de abogacía": the job is what the employer "busca", first.
    hired = _TITLE_HIRING.split(fold_key(folded), maxsplit=1)
    if len(hired) == 2 and (cleaned := clean_title(hired[1])):
        variants.insert(0, cleaned)
    # A dash spaced on one side parts a title as one spaced on both does ("Pasantía para Estudiantes– Gestión de
    # Proyectos", "Asesor Comercial -Zona Norte"); a dash inside a word joins it ("e-commerce", "Part-Time").
    pieces = re.split(r"(\s/\s|/|\s[-–]\s?|[-–]\s|\||:)", folded)
    first_role = _ROLE_OF_FIELDS.match(clean_title(pieces[0]))
    for index, part in enumerate(pieces[::2]):
        # A later part naming the unit the job sits in ("Jefe de Eventos - Gerencia de Marca") is no job.
        if index and (_UNIT_PART.match(fold_key(part)) or _CONDITIONS_PART.match(fold_key(part))):
            continue
        cleaned = clean_title(part)
        if index and cleaned in _place_keys():
            continue
        # "Jefe de Operaciones/Logística", "Analista de Compras/Comercio Exterior": a field after a slash is one
        # more field of the role named first, read so before it is read alone.
        more = f"{first_role.group()} {cleaned}" if first_role is not None else ""
        if index and more and "/" in pieces[2 * index - 1] and cleaned in _FIELD_ONLY and more not in variants:
            variants.append(more)
        if cleaned and cleaned not in variants:
            variants.append(cleaned)
    # "Pasante de RRHH", "HR Trainee", "Pasantía Universitaria - Área Sistemas": a trainee is coded to the field he
    # trains in, read as its specialist, in whichever part of the title names it.
    if trainee:
        variants = [
            reading
            for variant in variants
            for reading in (
                (variant,)
                if _PROFESSIONAL_ROLES.search(variant) or _CLERICAL_ROLES.search(variant)
                else (f"especialista {variant}", variant)
            )
            if reading not in variants or reading == variant
        ]
    # "Team Leader Full Stack", "Lead Data Engineer": an English rank word over a job the tables name ranks that
    # job, coded in its own group (the rank word alone, "Team leader", stays a contact centre's)...
    ranked = []
    for variant in variants:
        rank = _ENGLISH_RANK_FIRST.match(variant)
        job = variant[rank.end() :] if rank is not None else ""
        ruled = rule_code_any_number(job) if job and job not in variants else None
        # ... a professional's or a technician's; a team of clerks or sellers is led by the contact centre's or the
        # sales floor's supervisor, as the table codes it.
        if ruled is not None and ruled[0][:1] in "23":
            ranked.append(job)
        ranked.append(variant)
    return ranked


# Where a posting for trainees names the studies it wants ("Cursando últimos semestres de la carrera de Recursos
# Humanos", "estudiantes avanzados de Ingeniería Industrial", "graduados en Ciencias de la Computación").
_CAREER = re.compile(
    r"\b(?:carreras?|estudiantes?|alumn[oa]s?|graduad[oa]s?|egresad[oa]s?|estudios|cursando|licenciatura|"
    r"tecnicatura)(?:\s+(?:avanzad[oa]s?|universitari[oa]s?|recientes?|recien|(?:el|la|los|las)|ultim[oa]s?|"
    r"\d+|anos?|semestres?|materias|de la carrera|(?:o|y|u) (?:recien )?graduad[oa]s?))*\s+(?:de|en)\s+"
    r"(?:(?:la|las|una)\s+)?(?:carreras?\s+(?:de|en)\s+)?(?:licenciatura\s+(?:de|en)\s+)?"
    r"([a-zñ ]{4,60}?)(?=\s*(?:[.,;:()\n]|\s(?:y|o|u|e|afines|con|para|que)\b|$))"
)


def career_in_description(description: str) -> tuple[str, str] | None:
    """The unit group of the field a trainee posting's studies name ("... de la carrera de Recursos Humanos" ->
    2423), read as that field's specialist (as "Pasante de RRHH" is), with the studies; None when none is named."""
    for match in _CAREER.finditer(fold_key(description[:2000])):
        studies = clean_title(match.group(1))
        if not studies:
            continue
        ruled = rule_code_any_number(studies)
        code = ruled[0] if ruled is not None and ruled[1] == 0 else domain_code(f"especialista {studies}")
        if code is not None:
            return code, studies
    return None


def _after_para(title: str) -> list[str]:
    """What follows "para", when a programme or a search names the job there ("Programa … para Ingenieros
    Agrónomos"): read by the title rules only, never compared with ESCO labels."""
    after = re.split(r"\bpara\b", fold_key(_GENDER.sub("", title)), maxsplit=1)
    cleaned = clean_title(after[1]) if len(after) == 2 else ""
    return [cleaned] if cleaned else []


# English titles name the job last ("Venue Project Manager", "Team Leader Full Stack" aside): what may stand
# before that head is its modifiers, never a Spanish role and its linker ("asistente de project manager").
_ENGLISH_HEAD_WORD = re.compile(r"\b(?:manager|officer|executive|lead|leader)$")
_ENGLISH_RANK_FIRST = re.compile(r"^(?:team leader|team lead|lead|leader)\s+(?!(?:de|del|y|e|para)\b)(?=\w)")


def _heads_an_english_title(text: str, match: re.Match[str]) -> bool:
    """Whether ``match`` (a table alternative in the folded ``text``) is the head of an English title: its last
    words, after modifiers that are no Spanish role word, linker or article."""
    if match.end() != len(text.rstrip()) or not _ENGLISH_HEAD_WORD.search(match.group()):
        return False
    before = text[: match.start()].split()
    return bool(before) and not any(
        w in _STOP or w in _ROLE_WORDS or _CLERICAL_ROLES.match(w) or _PROFESSIONAL_ROLES.match(w) for w in before
    )


def rule_code(text: str, rules: Sequence[tuple[str, re.Pattern[str]]] | None = None) -> tuple[str, int, int] | None:
    """The ISCO unit group the title rules give ``text`` (folded, cleaned), with the match's start and length:
    the earliest match wins, and the longest among those starting there."""
    best: tuple[int, int, str] | None = None
    for code, pattern in TITLE_RULES if rules is None else rules:
        for match in pattern.finditer(text):
            if not match.group().strip() or (
                code.startswith("1") and match.start() > 0 and not _heads_an_english_title(text, match)
            ):
                continue  # a manager named in a modifier ("asistente de director general") is not the job
            key = (match.start(), -(match.end() - match.start()), code)
            if best is None or key < best:
                best = key
            break  # the first match of a rule is its earliest
    if best is None:
        return None
    return best[2], best[0], -best[1]


def rule_code_any_number(
    text: str, rules: Sequence[tuple[str, re.Pattern[str]]] | None = None
) -> tuple[str, int, int] | None:
    """``rule_code`` of the title as written and in the singular, the more specific (longer) match of the two:
    "operarios de maestranza" is a cleaner ("operario de maestranza"), not a factory hand ("operarios")."""
    found = [ruled for ruled in (rule_code(text, rules), rule_code(_singular(text), rules)) if ruled is not None]
    return min(found, key=lambda ruled: (ruled[1], -ruled[2])) if found else None


_ENGINEER = re.compile(r"^ingenier[oa]s?\b")


def engineer_head(key: str, group: str) -> str:
    """The unit group of a title headed by "ingeniero" whose later noun the table codes below the professionals
    ("Ingeniero Proyectista Mecánico" 3118, "Ingeniero Asesor Comercial" 3322): the head sets the level, so an
    engineer of the field a later word names (2144), one who sells technical goods (2433), else an engineer not
    elsewhere classified (2149). Any other title keeps ``group``."""
    if not _ENGINEER.match(key) or group[:1] in "12":
        return group
    if group in _SELLER_GROUPS:
        return "2433"
    for word in key.split()[1:]:
        ruled = rule_code(f"ingeniero {word}")
        if ruled is not None and ruled[0][:1] == "2" and ruled[0] != "2149":
            return ruled[0]
    return "2149"


# The transactions of an office: paying, collecting, billing, reconciling and keeping accounts, the payroll.
_TRANSACTIONS = re.compile(
    r"\b(?:cobranzas?|cobros|cuentas (?:a|por) (?:cobrar|pagar)|pagos?(?: a proveedores)?|medios de pago|facturacion|"
    r"tesoreria|conciliaciones?|cuentas corrientes|collections?|billing|payments?|accounts (?:payable|receivable)|"
    r"(?P<payroll>nominas?|payroll|sueldos|liquidacion de (?:sueldos|haberes)))\b"
)

_OFFICE_CLERK = re.compile(r"^(?:administrativ[oa]s?|(?:auxiliar|asistente|emplead[oa]) administrativ[oa])\b")
_PROJECTS = re.compile(r"\b(?:proyectos?|projects?|management)\b")


def analyst_level(key: str, group: str) -> str:
    """The unit group of an analyst by what he handles, as the readers code it: the transactions of an office
    (payments, collections, billing, accounts, payroll) make him their clerk, whatever other field the title names
    ("Analista Contable y de Nómina" 4313, "Analista de Créditos y Cuentas por Cobrar" 4311); the projects or the
    management of a clerks' field make him an organisation analyst ("Analista de Proyectos Logísticos" 2421, not a
    transport clerk). An office clerk of collections keeps their accounts too (4311): only the collector who
    calls or visits debtors is a debt collector (4214). Any other title keeps ``group``."""
    if group == "4214" and _OFFICE_CLERK.match(key):
        return "4311"
    if not _ANALYST_ROLES.search(key):
        return group
    if group[:1] == "4" and _PROJECTS.search(key):
        return "2421"
    if group[:2] not in ("24", "33"):
        return group
    match = _TRANSACTIONS.search(key)
    if match is None:
        return group
    return "4313" if match.group("payroll") else "4311"


def in_its_domain(group: str, title: str, description: str = "") -> bool:
    """Whether ISCO unit group ``group`` may code ``title`` (folded): a domain-bound group (``_DOMAIN_BOUND``) only
    when the title names its domain ("revisor" is a train's or a bus's conductor only on a train or a bus), or the
    opening of the ``description`` (folded) does with two distinct words ("Consultor" hired for SAP and ERP work)."""
    return all(
        pattern.search(title) or len({m.group() for m in pattern.finditer(description)}) >= 2
        for codes, pattern in _DOMAIN_BOUND
        if group in codes
    )


def english_head_code(text: str) -> str | None:
    """English titles put the head last ("Bilingual Graphic Designer", "IT Support Analyst"): the unit group of
    the last head word that the English head table knows, read with its modifiers."""
    for code, pattern in ENGLISH_HEADS:
        if pattern.search(text):
            return code
    return None


def _label_variants(label: str) -> Iterator[str]:
    """An ESCO label and its gender forms ("vendedor/vendedora" -> both)."""
    for part in label.split("/"):
        key = fold_key(part)
        if key:
            yield key


def sales_channel(evidence: str) -> str | None:
    """The unit group of a seller whose title does not say how it sells, from the channel the evidence names
    most (a shop floor, visits to client firms, the telephone, door to door), or None when it does not clearly
    name one. Strong terms count twice; the winner needs two points and a lead over the runner-up."""
    points: dict[str, int] = {}
    for code, strong, weak in _CHANNELS:
        points[code] = 2 * len({m.group() for m in strong.finditer(evidence)})
        points[code] += len({m.group() for m in weak.finditer(evidence)}) if weak is not None else 0
    ranked = sorted(points.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 2 and ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return None


# A field technician ("Técnico de Campo", "Técnico Electromecánico de Campo") installs and services equipment at the
# clients' sites: a trades worker of ISCO-08 major group 7 whose unit group is the equipment's, as the readers code
# him (telecommunication networks 7422, electronic equipment 7421, compressors and machinery 7233, refrigeration
# 7127), or an ICT user-support technician (3512) when what he services is users' computers. The description
# decides, by the most distinct terms of one group; a tie or none leaves the title to the tables.
_FIELD_TECHNICIAN = re.compile(r"^tecnic[oa]s? (?:\w+ )?de campo\b|^field (?:service )?technicians?\b")
_FIELD_EQUIPMENT = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("7422", r"\b(?:redes? de (?:comunicaciones|telecomunicaciones|datos|internet)|telecomunicaciones|"
         r"fibra optica|radioenlaces?|enlaces? (?:de radio|satelitales?)|antenas?|satelital(?:es)?|cableado)\b"),
        ("7421", r"\b(?:electronic[oa]s?|equipos electronicos|placas electronicas|electronica)\b"),
        ("7233", r"\b(?:compresor(?:es)?|aire comprimido|neumatic[oa]s?|hidraulic[oa]s?|maquinaria|motores|"
         r"bombas|generadores|secadores de aire)\b"),
        ("7127", r"\b(?:aire acondicionado|climatizacion|camaras frigorificas|refrigeracion comercial)\b"),
        ("3512", r"\b(?:soporte (?:onsite|on site|remoto|a usuarios)|usuarios|windows|notebooks|desktops|pcs?|"
         r"mesa de ayuda|help ?desk|incidentes)\b"),
    )
)  # fmt: skip


def field_technician(title: str, evidence: str) -> str | None:
    """The unit group of a field technician (``title`` folded) by the equipment the evidence names; else None."""
    if not _FIELD_TECHNICIAN.match(title):
        return None
    counts = sorted(
        ((len({m.group() for m in pattern.finditer(evidence)}), code) for code, pattern in _FIELD_EQUIPMENT),
        reverse=True,
    )
    return counts[0][1] if counts[0][0] >= 1 and counts[0][0] > counts[1][0] else None


def manager_sector(evidence: str) -> str | None:
    """The management unit group of the sector the evidence names most (a bank's branch, a logistics firm's
    depot, a restaurant group's operations), or None."""
    counts = [(len({m.group() for m in pattern.finditer(evidence)}), code) for code, pattern in _MANAGER_SECTORS]
    best = max(counts)
    return best[1] if best[0] >= 1 and sum(1 for n, _ in counts if n == best[0]) == 1 else None


def refine_with_evidence(code: str, evidence: str, key: str = "", title: str = "") -> str:
    """A neighbouring unit group when the rest of the title, the description or the skills say which ("asesor
    comercial" who sells by phone, "operador de call center" who collects debts, a "gerente de sucursal" of a
    bank, "atención al cliente para cafetería"). ``key`` is the cleaned title: a seller's channel is read from the
    evidence only when the title does not name it; ``title`` is the whole title, folded."""
    code = analyst_level(key, code)
    position = _HEAD_POSITION.search(evidence) if code[:1] == "2" else None
    # "Reportando al puesto de Gerente de Planta" names his superior's position, not his.
    if position is not None and not _REPORTS_TO.search(evidence, max(0, position.start() - 30), position.start()):
        ruled = rule_code(position.group(1))
        if ruled is not None and ruled[0][:1] == "1" and ruled[1] == 0:
            return ruled[0]
    if code == "9313" and not _SITE_HELPER.search(f"{key} {title}"):
        code = "7112"
    if code == "9329" and _PLANT_OPERATIVE.match(key or title) and not _PLANT_HAND.search(f"{key} {title}"):
        code = plant_process(evidence) or code
    for codes, target, pattern in _TITLE_CONTEXT:
        if code in codes and pattern.search(title):
            return target
    if not evidence:
        return code
    if code in _SELLER_GROUPS and _SELLER_HEAD.match(key):
        # The part naming the job first, then the whole title ("Vendedor para provincias": the tail says how).
        named = next(
            ((c, m.start()) for text in (key, title) for c, pattern in _TITLE_CHANNELS if (m := pattern.search(text))),
            None,
        )
        if named is not None:
            return named[0] or code
        channel = sales_channel(evidence)
        if channel is not None:
            return channel
    if code in _SECTOR_MANAGED and _VAGUE_UNIT.search(key):
        sector = manager_sector(key) or manager_sector(evidence)
        # A shop's "jefe de sucursal" supervises the shop floor (5222); another sector's branch head manages it.
        if sector is not None and not (code == "5222" and sector == "1420"):
            return sector
    for codes, target, pattern, distinct in _EVIDENCE_RULES:
        if code in codes and len({m.group() for m in pattern.finditer(evidence)}) >= distinct:
            if target in ("8321", "8322") and _OFFICE_ERRANDS.match(key) and not _RIDER.search(title):
                continue
            return target
    for codes, sector_title, target, pattern, distinct in _SECTOR_TITLE_EVIDENCE:
        if (
            code in codes
            and sector_title.match(key)
            and len({m.group() for m in pattern.finditer(evidence)}) >= distinct
        ):
            return target
    return code


# Readings of the title by the tables and ESCO's labels word for word (``OccupationCode.branch``).
_TITLE_READINGS = frozenset({"rule", "domain", "field rule", "esco exact"})


# A title that names only a department ("Logística", "Ventas", "Compras") says where the job is, not what it is: the
# readers code the job the description names, when its opening line is a job title ("Repositor/a de Supermercado -
# …") or a hiring cue names one ("Buscamos vendedores para…").
_DEPARTMENT_ONLY = re.compile(
    r"^(?:logistica|ventas?|compras|administracion|deposito|almacen|produccion|comercial|atencion al cliente)$"
)


def opening_title(description: str) -> tuple[str, str] | None:
    """The unit group and the words of a job title the description opens with ("Repositor/a de Supermercado - Mi
    Cabaña Express…"): the table's reading of its first line, up to a dash, a colon or a full stop, when a job
    rule matches it from its first word; or None."""
    first = re.split(r"\s[-–|]\s|[.:;!?\n(]", description[:200])[0]
    key = clean_title(fold_key(_GENDER.sub("", first)))
    ruled = rule_code_any_number(key) if key and len(key.split()) <= 6 else None
    return (ruled[0], key) if ruled is not None and ruled[1] == 0 else None


class OccupationCoder:
    """Codes job titles (with description and skills as evidence) to ISCO-08 unit groups and ESCO occupations."""

    version = OCCUPATION_CODER_VERSION

    def __init__(self, bundle: EscoBundle | None = None, min_confidence: float = MIN_CONFIDENCE) -> None:
        bundle = bundle or bundled_esco()
        # The coder is pickled into the start-up cache: the ESCO skills it never reads would be a quarter of it.
        self.bundle = replace(bundle, skills=())
        self.min_confidence = min_confidence
        # The job words a misspelt title word may stand for, and every word that is spelt right (``respelt``).
        occupation_words = {
            w for o in bundle.occupations for label in (o.label_es, *o.alt_es) for w in _TOKEN.findall(fold_key(label))
        }
        skill_words = {
            w
            for skill in bundle.skills
            for label in (skill.label_es, *skill.alt_es, skill.label_en, *skill.alt_en)
            for w in _TOKEN.findall(fold_key(label))
        }
        tables = _table_words(_TITLE_RULES, _ENGLISH_HEADS, " ".join(_GENERIC_HEADS | set(_WORD_SYNONYMS.values())))
        self._job_words = frozenset(
            form for w in tables if len(w) >= _TYPO_MIN - 1 for form in (w, f"{w}s", f"{w}es", _singular(w))
        )
        other_words = _table_words(
            _DOMAINS, _NOISE.pattern, _CUT.pattern, _HIRING_CUE.pattern, " ".join(_WORD_SYNONYMS)
        )
        places = {w for name in place_names() for w in name.split()}
        self._known_words = frozenset(occupation_words | skill_words | tables | other_words | places | _NOT_TYPOS)
        labels: list[str] = []
        owners: list[int] = []
        self._exact: dict[str, int] = {}
        for index, occupation in enumerate(self.bundle.occupations):
            for label in (occupation.label_es, *occupation.alt_es):
                for variant in _label_variants(label):
                    labels.append(variant)
                    owners.append(index)
        # An exact title names the occupation whose preferred label it is, before any alternative label.
        for index, occupation in enumerate(self.bundle.occupations):
            for variant in _label_variants(occupation.label_es):
                self._exact.setdefault(variant, index)
        for label, index in zip(labels, owners, strict=True):
            self._exact.setdefault(label, index)
        if not labels:
            raise ValueError("the ESCO bundle has no occupations")
        # Character 3- and 4-gram TF-IDF (scikit-learn's char_wb analyzer, sublinear tf), in numpy: importing
        # scikit-learn and scipy cost a one-posting `extract --occupation` over a second.
        self._index = CharNgramIndex(labels, 3, 4)
        self._owner_array = np.asarray(owners)
        self._isco_major = np.asarray([self.bundle.occupations[i].isco_code[:1] for i in owners])
        self._label_stems = [frozenset(w[:5] for w in label.split() if w not in _STOP) for label in labels]
        self._label_groups = [self.bundle.occupations[i].isco_code for i in owners]
        self._labels_of_group: dict[str, list[int]] = {}
        for label_index, owner in enumerate(owners):
            self._labels_of_group.setdefault(self.bundle.occupations[owner].isco_code, []).append(label_index)

    # -- public ------------------------------------------------------------------------------------------

    def code(self, title: str | None, description: str | None = None, skills: Sequence[str] = ()) -> OccupationCode:
        """The occupation of one posting."""
        return next(self.code_many([(title, description, skills)]))

    def code_many(
        self,
        postings: Iterable[tuple[str | None, str | None] | tuple[str | None, str | None, Sequence[str]]],
        chunk: int = 512,
    ) -> Iterator[OccupationCode]:
        """Occupations of many ``(title, description)`` or ``(title, description, skill names)``, in order."""
        batch: list[tuple[str | None, str | None, Sequence[str]]] = []
        for posting in postings:
            title, description, *rest = posting
            batch.append((title, description, rest[0] if rest else ()))
            if len(batch) >= chunk:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    # -- steps -------------------------------------------------------------------------------------------

    def _code_batch(self, batch: Sequence[tuple[str | None, str | None, Sequence[str]]]) -> list[OccupationCode]:
        return [self._code_one(title or "", description or "", skills) for title, description, skills in batch]

    def _code_one(self, title: str, description: str, skills: Sequence[str]) -> OccupationCode:
        code = self._code_title(title, description, skills)
        if code.branch in _TITLE_READINGS:
            return code
        # A title the tables cannot read may be a misspelt one ("Adminsitrativo/a", "Coordinardor de Capacitación"):
        # its respelling is taken only when the tables read it; a title they read is never respelt.
        for other in self._other_readings(title, description):
            again = self._code_title(other, description, skills)
            # A field the title names somewhere in it ("Encargado en Comercio Gastronómico") is weaker evidence than
            # what the description says the job is: it codes only a title nothing else coded.
            if again.branch in _TITLE_READINGS and (again.branch != "field rule" or code.method == UNKNOWN):
                return again
        return code

    def _other_readings(self, title: str, description: str) -> Iterator[str]:
        """Other ways to read a title the tables could not: respelt; each part of a list of parts ("CHECKER DE
        LINEA, CONTROL DE CALIDAD, TÉCNICO QUÍMICO"); from the first role word on, past a place or an employer
        written before it ("HELADERIA FREDDO AUXILIAR MOSTRADOR", "Venado Tuerto Jefe de Taller")."""
        respelt_title = self.respell(title, description)
        if respelt_title != title:
            yield respelt_title
        if "," in respelt_title:
            yield from (part for part in respelt_title.split(",")[1:] if part.strip())
        words = respelt_title.split()
        for index, word in enumerate(words[1:], start=1):
            if fold_key(word) in _GENERIC_HEADS:
                yield " ".join(words[index:])
                break

    def _code_title(self, title: str, description: str, skills: Sequence[str]) -> OccupationCode:
        # The whole title is evidence too: its parenthesis and tail ("Operador (Representante Comercial
        # Telefónico)") are cut from the part that names the job but still say how it is done.
        evidence = fold_key(" ".join([title, description[:3000], *skills]))
        folded = fold_key(title)
        opening = fold_key(description[:1000])
        variants = _title_variants(title) if title.strip() else []
        variants += [s for s in (_singular(k) for k in variants) if s not in variants]
        if variants and _DEPARTMENT_ONLY.match(variants[0]):
            named = opening_title(description) or self._from_description(description)
            if named is not None:
                return self._result_in_group(
                    refine_with_evidence(named[0], evidence, named[1], folded),
                    named[1],
                    0.5,
                    DESCRIPTION,
                    branch="description cue",
                )
        field = field_technician(folded, evidence)
        if field is not None and variants:
            return self._result_in_group(field, variants[0], 0.8, TITLE, branch="rule")
        trainee = _TRAINEE.search(folded) is not None
        for key in variants + [k for k in _after_para(title) if k not in variants]:
            ruled = rule_code_any_number(key)
            # A trainee of a professional field ("Pasante de contabilidad") trains as its professional (2411), as
            # the readers code him: the field's specialist reading goes before the table's reading of the bare field
            # (4311, its clerks); a field with no professionals' domain ("administración") keeps the table's.
            if ruled is None and trainee and key.startswith("especialista "):
                field = domain_code(key)
                if field is not None:
                    return self._result_in_group(
                        refine_with_evidence(field, evidence, key, folded), key, 0.8, TITLE, branch="domain"
                    )
            if ruled is not None:
                # The head of the whole title sets the level of a job one of its parts names.
                group = engineer_head(key if _ENGINEER.match(key) or not variants else f"{variants[0]} {key}", ruled[0])
                return self._result_in_group(
                    refine_with_evidence(group, evidence, key, folded), key, 0.9, TITLE, branch="rule"
                )
        operations = operations_manager(fold_key(_GENDER.sub("", title)))
        if operations is not None and variants:
            return self._result_in_group(operations, variants[0], 0.8, TITLE, branch="rule")
        for key in variants:
            domain = english_head_code(key) or domain_code(key)
            if domain is not None:
                return self._result_in_group(
                    refine_with_evidence(domain, evidence, key, folded), key, 0.8, TITLE, branch="domain"
                )
        for key in variants:
            ruled = rule_code_any_number(key, FIELD_RULES)
            if ruled is not None:
                return self._result_in_group(
                    refine_with_evidence(ruled[0], evidence, key, folded), key, 0.85, TITLE, branch="field rule"
                )
        for key in variants:
            if _is_role_only(key):
                continue  # "técnico", "asistente", "supervisor de operaciones": a rank or a generic word names no job
            # An ESCO label word for word, but a management one only for a title that says gerente or director.
            if (
                key in self._exact
                and (_MANAGER.match(key) or not self._is_manager(self._exact[key]))
                and in_its_domain(self.bundle.occupations[self._exact[key]].isco_code, f"{key} {folded}", opening)
            ):
                occupation = self.bundle.occupations[self._exact[key]]
                isco = refine_with_evidence(occupation.isco_code, evidence, key, folded)
                return self._result_in_group(isco, key, 1.0, TITLE, self._exact[key], branch="esco exact")
        best = 0.0
        for key in variants:
            if _is_role_only(key):
                continue  # a role word alone ("gestor") is near many labels and names none of them
            label_index, score = self._nearest_label(key, folded, opening)
            best = max(best, score)
            if label_index is not None and score >= self.min_confidence:
                owner = int(self._owner_array[label_index])
                isco = refine_with_evidence(self.bundle.occupations[owner].isco_code, evidence, key, folded)
                return self._result_in_group(isco, key, round(score, 3), TITLE, owner, branch="esco nearest")
        from_text = self._from_description(description)
        branch = "description cue"
        if from_text is None and (_TRAINEE.search(folded) or _TALENT_POOL.search(folded)):
            from_text, branch = career_in_description(description), "career in description"
        if from_text is None:
            from_text, branch = self._role_in_description(variants, description, folded), "role in description"
        if from_text is not None:
            code, phrase = from_text
            return self._result_in_group(
                refine_with_evidence(code, evidence, phrase, folded), phrase, 0.5, DESCRIPTION, branch=branch
            )
        # A title that names no job the tables or ESCO know ("Atención al público", "Áreas públicas para hotel"):
        # what the description says the job does, a task phrase and a place word at least, with a clear lead.
        key = variants[0] if variants else ""
        field = None
        if title.strip() and not any(_NOT_A_FIELD_ROLE.search(k) for k in variants):
            field = field_of_role(key, fold_key(description[:3000]), least=3)
        if field is not None:
            return self._result_in_group(field, key or field, 0.4, DESCRIPTION, branch="field of role")
        reason = "no title" if not title.strip() else f"no occupation named by the title (best ESCO label {best:.2f})"
        return OccupationCode(None, None, None, None, round(best, 3), UNKNOWN, reason, branch="unknown")

    def respell(self, title: str, description: str = "") -> str:
        """``title`` with its misspelt words (``respelt``) written as the job words they stand for, folded; a word the
        description writes the same way is the employer's own (a brand, a place) and stays."""
        folded_description: list[str] = []

        def fix(match: re.Match[str]) -> str:
            word = fold_key(match.group())
            right = respelt(word, self._job_words, self._known_words)
            if right is None:
                return match.group()
            if not folded_description:
                folded_description.append(fold_key(description[:3000]))
            return match.group() if re.search(rf"\b{word}\b", folded_description[0]) else right

        return _TYPO_WORD.sub(fix, title)

    def _is_manager(self, occupation_index: int) -> bool:
        return self.bundle.occupations[occupation_index].isco_code.startswith("1")

    def _nearest_label(self, key: str, title: str = "", description: str = "") -> tuple[int | None, float]:
        """The closest ESCO label sharing the title's head word (its first content word by a 5-letter stem);
        management labels only for titles that say "gerente" or "director"; labels of a domain-bound group only
        for titles (``key`` or the whole folded ``title``, or the folded ``description``) that name its domain."""
        if not key:
            return None, 0.0
        scores = self._index.scores(key)
        if not _MANAGER.match(key):
            scores = np.where(self._isco_major == "1", 0.0, scores)
        # Armed-forces labels are near many civilian words ("comunicaciones", "instructor de conducción").
        if not _MILITARY.search(key):
            scores = np.where(self._isco_major == "0", 0.0, scores)
        words = [w for w in key.split() if w not in _STOP]
        heads = [w for w in words if w not in _GENERIC_HEADS and w not in _VAGUE_WORDS][:1]
        if not heads:  # "personal", "asistente": a rank or a generic word alone names no job
            return None, 0.0
        order = np.argsort(-scores)[:TOP_CANDIDATES]
        for position in order:
            label_index = int(position)
            if scores[label_index] <= 0:
                break
            if heads[0][:5] in self._label_stems[label_index]:
                # The nearest sense of the head is another domain's job: a label further down is a worse guess.
                if not in_its_domain(self._label_groups[label_index], f"{key} {title}", description):
                    return None, float(scores[label_index])
                return label_index, float(scores[label_index])
        return None, float(scores[order[0]]) if len(order) else 0.0

    def _from_description(self, description: str) -> tuple[str, str] | None:
        """A job the description names after a hiring cue ("Buscamos vendedor para…"): the title rules applied
        to the words that follow the cue in the opening of the text."""
        if not description:
            return None
        opening = fold_key(_GENDER.sub("", description[:1500]))
        for cue in _HIRING_CUE.finditer(opening):
            # "Buscamos un/a vendedor/a…": the gender forms go before the article does.
            window = _GENDER.sub("", opening[cue.end() : cue.end() + 80])
            window = _ARTICLES.sub(" ", window)
            window = clean_title(re.split(r"[.;:\n]", window)[0])
            ruled = rule_code_any_number(window)
            if ruled is not None and ruled[1] <= 12:
                return ruled[0], window
            domain = domain_code(window) if _PROFESSIONAL_ROLES.match(window) or _CLERICAL_ROLES.match(window) else None
            if domain is not None:
                return domain, window
        return None

    @staticmethod
    def _role_in_description(variants: Sequence[str], description: str, title: str = "") -> tuple[str, str] | None:
        """A title that is a role word alone ("Asesor/a", "Analista Sr") read with the domain the opening of the
        description names ("… asesor para la venta de planes de salud" -> a sales representative)."""
        role = next((key for key in variants if key and _is_role_only(key)), None)
        # The title's own tail or parenthesis names the domain too ("SUPERVISORES (Industria de Packaging)").
        if role is not None and title:
            rest = title.replace(role, " ", 1)
            # "1287CC | SUPERVISOR DE OPERACIONES PARA EMPRESA DE SEGURIDAD": the firm after "para" places it too.
            for tail in (clean_title(rest), *_after_para(rest)):
                code = domain_code(f"{_singular(role)} {tail}") if tail else None
                if code is not None:
                    return code, role
        if role is None or not description:
            return None
        # The first sentence, where the job is introduced; benefits come later ("obra social" is health cover).
        opening = fold_key(description[:600]).replace("obra social", " ")
        first = _job_part(re.split(r"[.!?\n]", opening[:300])[0], role)
        # What the job does, by its tasks ("cumplir el presupuesto de venta… experiencia de compra" -> shop sales),
        # the rank word heading the people who do it; else the domain the first sentence names.
        code = field_of_role(role, fold_key(description[:1500])) or (domain_code(f"{role} {first}") if first else None)
        if code is None:
            # Else the domain the opening names most often ("visita a clientes… motivar ventas" -> sales).
            code = _domain_vote(role, _OFFER_WORDS.sub(" ", opening))
        return (code, role) if code is not None else None

    def _result_in_group(
        self,
        isco: str,
        key: str,
        confidence: float,
        method: str,
        occupation_index: int | None = None,
        branch: str = "",
    ) -> OccupationCode:
        """The code of unit group ``isco``, named by the ESCO occupation of that group nearest to ``key``."""
        if occupation_index is None or self.bundle.occupations[occupation_index].isco_code != isco:
            occupation_index = self._nearest_in_group(isco, key)
        if occupation_index is None:
            return OccupationCode(None, None, isco, self.bundle.isco_groups.get(isco), confidence, method, None, branch)
        occupation = self.bundle.occupations[occupation_index]
        group = self.bundle.isco_groups.get(isco)
        return OccupationCode(occupation.uri, occupation.label_es, isco, group, confidence, method, None, branch)

    def _nearest_in_group(self, isco: str, key: str) -> int | None:
        labels = self._labels_of_group.get(isco)
        if not labels:
            return None
        scores = self._index.scores(key or isco)[labels]
        return int(self._owner_array[labels[int(np.argmax(scores))]])


@lru_cache(maxsize=1)
def default_occupation_coder() -> OccupationCoder:
    """The coder over the bundled ESCO occupations, built once per process (from the on-disk cache when built
    before)."""
    from observatory.skills.prebuilt import load_occupation_coder

    return load_occupation_coder()


# What each Computrabajo area expects, as ISCO-08 sub-major groups (2 digits), for measuring agreement. An area is
# a field of work, and the groups are those whose jobs are honestly done in it, helpers and technicians included:
# survey interviewers (4227) do research fieldwork, promoters (5242) do marketing, personnel clerks (4416) HR work,
# medical sales representatives (2433) and cosmetologists (5142) health work, receptionists (4226) office work.
AREA_ISCO: dict[str, frozenset[str]] = {
    area: frozenset(codes.split())
    for area, codes in {
        "Ventas": "52 33 24 12 14 42 41",
        "Informática / Telecomunicaciones": "25 35 21 13 74 24 31",
        "Medicina / Salud": "22 32 53 13 26 21 24 51",
        "Atención a clientes": "42 52 41 33",
        "CallCenter / Telemercadeo": "42 52",
        "Administración / Oficina": "41 43 33 12 44 24 42",
        "Contabilidad / Finanzas": "24 33 43 12 42",
        "Almacén / Logística / Transporte": "43 83 93 13 96 33 41",
        "Mantenimiento y Reparaciones Técnicas": "72 74 71 31 93 21 35",
        "Producción / Operarios / Manufactura": "81 82 93 75 72 31 13 21 73 43 74 83 22",
        "Hostelería / Turismo": "51 94 14 34 42 52 75 33",
        "Docencia": "23 53 26",
        "Ingeniería": "21 31 13 25 22 32 72 74",
        "Mercadotecnia / Publicidad / Comunicación": "24 26 12 33 21 34 52",
        "Construcción y obra": "71 93 21 31 13 72 74 83 32",
        "Recursos Humanos": "24 12 33 41 44 26",
        "Diseño / Artes gráficas": "21 26 34 73 24",
        "Servicios Generales. Aseo y Seguridad": "91 54 51 96",
        "Legal / Asesoría": "26 34 24 33 41",
        "Compras / Comercio Exterior": "33 24 12 43",
        "Investigación y Calidad": "21 31 22 75 42 24 26 32",
        "Dirección / Gerencia": "11 12 13 14",
    }.items()
}


def agrees_with_area(area: str | None, code: OccupationCode) -> bool | None:
    """Whether an occupation fits the portal's own area (None when the area says nothing or the code is unknown)."""
    expected = AREA_ISCO.get((area or "").strip())
    if expected is None or code.isco_code is None:
        return None
    return code.isco_code[:2] in expected
