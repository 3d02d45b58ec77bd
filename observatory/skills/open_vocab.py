"""Open-vocabulary skills: spans that no list holds, found by cue patterns, requirement and task items and
enumerations, then normalised to a vocabulary or ESCO skill (lexically, then by multilingual USE vectors) or
kept as a new skill under their cleaned name.

Everything works on the extractor's length-preserving folded text, so a candidate keeps the offsets of the
original posting. Candidates come only from demand text: never from benefits or the company's blurb.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from observatory.skills.derivation import Derivations, Synonyms
from observatory.skills.gazetteer import is_place_key
from observatory.skills.normalize import fold, fold_key, positions, trie_pattern
from observatory.skills.sections import (
    NON_DEMAND_SECTIONS,
    REQUIREMENTS,
    RESPONSIBILITIES,
    TITLE,
    PostingStructure,
)

if TYPE_CHECKING:
    from observatory.skills.esco import EscoLabel
    from observatory.skills.vocabulary import Vocabulary

LEXICAL = "open_vocab_lexical"  # named a vocabulary or ESCO skill by its folded or stemmed words
VECTOR = "open_vocab_vector"  # nearest vocabulary or ESCO label by USE vectors, above VECTOR_THRESHOLD
NEW = "open_vocab_new"  # a skill no list holds, kept under its cleaned name
NEW_PREFIX = "new:"
# Cosine similarity (normalised USE v3 vectors) from which the nearest label names a candidate. On the tuning
# set (`observatory eval --real --set tune`) F1 stayed at 0.688-0.690 from 0.7 to 0.9 (an unnamed candidate
# still counts as a new skill) while vector-named skills went from 208 (precision 0.53) at 0.7 to 53 (0.64) at
# 0.8 and 7 at 0.9; 0.8 names paraphrases ("lavado de vajilla" -> "lavar la vajilla") without most drifts
# ("customers" -> "satisfacer a los clientes").
VECTOR_THRESHOLD = 0.8
MAX_WORDS = 5
ITEM = "item"  # an item of a requirement or task list
TASK = "task"  # a task phrase ("atender a clientes") or an object of one
LISTED = "listed"  # an item of an enumeration that names known skills too ("Proactividad, compañerismo y …")
CUE = "cue"  # the object of a cue ("manejo de X")
NEW_KINDS = (CUE, TASK, LISTED)  # which candidates may become new skills (see OpenVocabulary.resolve)
MAX_CHARS = 60
_MEMO_LIMIT = 200_000
# The module's memos of pure per-text answers (below): 3,000 real postings leave 5-35 thousand entries in each
# (15 MB in all); at 200,000 entries each they would hold about 200 MB, too much beside the 1 GB budget.
_TEXT_MEMO_LIMIT = 50_000
# Phrase lengths worth a vector look-up: single words drifted to other meanings on the tuning set
# ("materiales" -> "tallar materiales") and five-word phrases never came near a label; each look-up costs
# a USE encoding, the slowest step of extraction.
_VECTOR_WORDS = (2, 4)

# Cues that introduce a skill in Spanish and English postings, matched on the lowercased folded text.
_CUE = re.compile(
    r"\b(?:(?:solidos?\s+|buenos?\s+|amplios?\s+)?conocimientos?\s+(?:(?:solidos|basicos|avanzados|tecnicos|"
    r"practicos|previos|comprobables)\s+)?(?:en|de|sobre|del)|manejo\s+(?:de|del|en)|"
    r"experiencia\s+(?:(?:comprobable|previa|minima|demostrable|solida|laboral)\s+)?(?:en|con)|"
    r"dominio\s+(?:de|del|en)|capacidad(?:es)?\s+(?:de|para)|habilidad(?:es)?\s+(?:de|para|en)|"
    r"nociones\s+(?:de|en)|formacion\s+en|especializacion\s+en|manejar|dominar|"
    r"knowledge\s+(?:of|in)|experience\s+(?:with|in)|proficiency\s+(?:in|with)|proficient\s+(?:in|with)|"
    r"familiarity\s+with|familiar\s+with|expertise\s+in|skills?\s+in|understanding\s+of|ability\s+to|"
    r"hands-on\s+experience\s+(?:with|in)|"
    # The field of a degree: readers of the tuning set listed it in 33 of 34 places ("Título en Ingeniería de
    # Alimentos", "Licenciatura en Economía", "carrera de Recursos Humanos", "degree in Marketing", "Titulado/a en
    # Ingeniería Química").
    r"titulos?\s+(?:(?:universitari[oa]s?|profesional(?:es)?|terciario|de\s+(?:tercer|cuarto)\s+nivel|de\s+grado)\s+)?"
    r"(?:en|de)|titulad[oa]s?(?:\s+as?)?\s+en|licenciatura\s+en|licenciad[oa]s?\s+en|"
    r"carreras?\s+(?:universitarias?\s+)?de|"
    r"estudios\s+(?:en|(?:superiores|universitarios|terciarios)\s+(?:en|de))|egresad[oa]s?\s+(?:de|en)|"
    r"graduad[oa]s?\s+(?:de|en)|tecnolog[oa]\s+en|degree\s+in|bachelor'?s?\s+(?:degree\s+)?in|"
    # What the employer values or puts in the hire's charge ("Valoramos la puntualidad, la responsabilidad y…",
    # "facilidad de expresión oral", "será responsable de la dirección técnica", "encargado de la limpieza de…").
    r"facilidad(?:es)?\s+(?:de|para)|vocacion\s+(?:de|para|por)|valoramos|valoraremos|valorara|valora|"
    # What a teacher teaches is the skill readers list ("Docente de Química", "Profesor/a de Tenis", "Instructores de
    # Informática"; folding made "Profesor/a" "Profesor a"): see OpenVocabulary._teaches.
    r"docentes?\s+(?:de|del|en)|profesor(?:es|as?)?(?:\s(?:as|a)|\(as?\))?\s+(?:de|del|en)|"
    r"instructor(?:es|as?)?(?:\s(?:as|a)|\(as?\))?\s+(?:de|del|en)|teachers?\s+of)\s+"
)
_TEACHER_WORDS = ("docente", "profesor", "instructor", "teacher")  # the first words of a teacher's cue
# The first word of each alternative of _CUE (its optional adjectives included): a cue starts only where one of
# these does, and a few substring searches find those places far sooner than the regex tried at every word.
_CUE_OPENERS = (
    "solido", "bueno", "amplio", "conocimiento", "manej", "experien", "domin", "capacidad", "habilidad", "nociones",
    "formacion", "especializacion", "knowledge", "proficien", "familiar", "expertise", "skill", "understanding",
    "ability", "hands-on", "titul", "licencia", "carrer", "estudios", "egresad", "graduad", "tecnolog", "degree",
    "bachelor", "facilidad", "vocacion", "valora", *_TEACHER_WORDS,
)  # fmt: skip
# A teacher's word used as an adjective of the noun before it ("experiencia docente en…", "cuerpo docente de…").
_TEACHER_ADJECTIVE_OF = frozenset(
    """experiencia apoyo equipo equipos cuerpo personal plantel trabajo trabajos practica practicas carrera formacion
    labor funcion funciones tarea tareas rol perfil actividad actividades gestion staff vocacion auxiliar asistente
    ayudante residencia calidad""".split()
)
# A school level after a teacher's word ("Docente de Nivel Inicial", "profesor de primaria") is no subject: alone its
# words are the candidate's own schooling ("primaria completa"), so it is left to the vocabulary's aliases.
_SCHOOL_LEVEL = frozenset(
    """nivel inicial primaria primario basica basico secundaria secundario media medio grado jardin sala ciclo primer
    segundo tercer polimodal superior""".split()
)
# Where a subject taught ends: a comma, a word with a digit ("de Inglés, 2do ciclo") or the words that go on to say
# where, for whom or how ("Docente de Química para 4to año", "Instructores de Informática con experiencia").
_SUBJECT_END = re.compile(r"\s*,|\s\S*\d|\s(?:con|en|para|a|al|que|desde|hasta|por|sin|segun|from|to|for|with|in|at)\b")
# Where a cue's object ends: punctuation, a new line, a glued capitalised word after a lower-case one.
_TAIL_END = re.compile(r"[\n.;:()!?¿¡\"]|\s-\s|\s{2,}")
_TAIL_CHARS = 90
_DOT_PIECE = re.compile(r"\.[ \t]+([^\s.;:()!?¿¡\n](?:[^.;:()!?¿¡\n]{0,40}?))(?=\.(?:\s|$))")
_DOT_ITEMS = 6
# A list of examples in parentheses right after a cue's object: "conocimiento del marco legal argentino (CCCN, LCT,
# leyes societarias y convenios laborales)", "protocolos de ruteo (BGP, OSPF, MPLS)", "normativas (FDA, EMA, ICH)".
# Its acronyms of three letters or more are what readers list (CCCN, LCT on the tuning set); on 8,172 real postings
# all its items made 745 new skills, mostly things and places ("auto, moto", "oral y escrita"), and two-letter
# acronyms were half wrong ("IT", "TV", "PC").
_CUE_EXAMPLES = re.compile(r"\(([^()\n]{3,120})\)")
_ACRONYM_ITEM = re.compile(r"(?<![\w/.-])[A-Z]{3,6}(?![\w/.-])")
# Enumeration separators inside one cue object or list item.
_ITEM_SPLIT = re.compile(r"\s*,\s*|\s+(?:y|e|o|u|and|or|y/o|as\s+well\s+as)\s+|\s*/\s*")
# Words after which an item is no longer the skill ("Excel para reportes", "ventas en zona norte").
_ITEM_STOP = re.compile(
    r"\s(?:para|que|como|a\s+nivel|al\s+menos|de\s+al\s+menos|minimo|min|no\s+menor|no\s+inferior|mayor|"
    r"excluyente|deseable|indispensable|preferentemente|preferible|preferiblemente|valorable|sera|es|"
    r"with|for|that|to|is|are|preferred|required|a\s+plus|plus|including|such|within|desde|hasta|durante|"
    r"segun|mediante|a\s+traves|por|dentro|adquirida|comprobable|demostrable|emitid[oa]s?|en\s+el\s+(?:area|rubro|puesto|"
    r"sector|cargo)|en\s+(?:puestos?|posiciones|roles?|cargos?|empresas?|el\s+rubro|rubros?|areas?)\b|"
    # What the task is measured against or aimed at ("presupuestos en función de las necesidades del cliente",
    # "recursos con foco en rentabilidad"; 300 unlabelled real postings).
    r"en\s+funcion|con\s+(?:foco|enfasis))\b"
)
_LEADING = re.compile(
    r"^(?:(?:el|la|los|las|un|una|unos|unas|lo|del|al|de|en|con|sobre|the|a|an|of|in|with|and|or|y|e|o|"
    r"sus|su|tus|tu|nuestro|nuestra|nuestros|nuestras|buen|buena|buenos|buenas|excelente|excelentes|"
    r"solido|solida|solidos|solidas|amplio|amplia|amplios|amplias|alto|alta|altos|altas|gran|fuerte|fuertes|"
    r"strong|solid|good|excellent|great|deep|proven|basic|advanced|"
    r"avanzado|avanzada|avanzados|avanzadas|intermedio|intermedia|basico|basica|basicos|basicas|"
    r"nivel|minimo|minima|comprobable|previa|previo|manejo|uso|dominio|conocimientos?|experiencia|"
    r"tecnicas?\s+de|herramientas?\s+de|nociones|excluyente|indispensable|deseable|ideal|deseables)\s+)+"
)
_TRAILING_WORDS = frozenset(
    """avanzado avanzada avanzados intermedio intermedia basico basica excluyente deseable indispensable comprobable
    requerido requerida preferentemente nivel advanced intermediate basic ano anos year years de del la el los las en
    y o a con the of and or in etc sobre entre respecto""".split()
)
_TRAILING_NUMBER = re.compile(r"\d+\+?")
_TRAILING = re.compile(
    rf"(?:\s+(?:{'|'.join(sorted(_TRAILING_WORDS, key=lambda w: (-len(w), w)))}|{_TRAILING_NUMBER.pattern}))+$"
)
_DIGIT = re.compile(r"\d")
_YEARS = re.compile(r"\b\d+\s*\+?\s*(?:anos?|years?|meses|months)\b.*$")
_LETTER = re.compile(r"[a-z]")
_STEM_WORD = re.compile(r"[a-z0-9+#ñ]+")
_SKILL_CHARS = re.compile(r"[a-z0-9ñ][a-z0-9ñ +#.\-&']*")
# What no reader lists as a skill, though requirement lists are full of it (decided by reading postings).
_NOT_SKILL_FIRST = frozenset(
    """disponibilidad residir residencia residente vivir edad sexo genero secundario secundaria estudiantes
    estudiante titulo titulos graduado graduada egresado egresada bachiller bachillerato universitario
    universitaria titulado titulada titulados tituladas horario horarios jornada lunes sueldo salario remuneracion
    beneficios modalidad presencial remoto hibrido zona ubicacion lugar contrato incorporacion vacante vacantes
    puesto puestos posicion posiciones cargo
    cargos empresa empresas somos ofrecemos buscamos requisitos requisito experiencia anos meses minimo
    excluyente deseable indispensable movilidad vehiculo licencia carnet documentacion referencias buena buen
    excelente personas persona candidatos candidato postulantes perfil area areas rubro rubros sector sectores
    tareas funciones similares similar trabajo ganas predisposicion presencia
    mayor menor full part turno turnos dias semana hs horas mes salud prepaga obra zonas alrededores cercania
    tener contar poseer ser estar haber si que porque como cuando donde quien quienes te nos les se queres
    querés postulate postulese enviar envia envianos interesados interesadas capacidad habilidad habilidades
    ofrecemos brindamos valoramos sumate unite importante nuestro nuestra nuestros su sus cada todo toda
    mas muy bien nuevo nueva nuevos nuevas otro otra otros otras ademas tambien etc y o
    years year degree bachelor bachelors experience ability must plus availability location remote office
    salary benefits esa ese esta este estas estos esperamos entre perfiles podes puedes tercer cuarto 3er grado
    carrera carreras tengan vos aquellas aquellos aquel aquella especialmente siguientes siguiente p. ej. e.g.
    i.e.""".split()
)
# A phrase ending in a possessive, a demonstrative or a dangling word was cut in the middle of a sentence
# ("procedimientos aplicables a sus", "representación de empresa en todas", "solución de estos").
_DANGLING_LAST = frozenset(
    """su sus tu tus nuestro nuestra nuestros nuestras todas todos toda cada respecto mismo misma mismos mismas
    este esta estos estas dicho dicha dichos dichas aquellos aquellas tanto""".split()
)
# Words that make a phrase the setting of the work, not a skill ("start-up companies", "fast-paced environment").
_NOT_SKILL_LAST = frozenset(
    """industry industries company companies environment environments sector sectores empresa empresas
    compania companias stakeholders efforts opportunities oportunidades teams equipo equipos rubro rubros
    afines relacionado relacionada relacionados similares similar""".split()
)
# Where one worked, not what one can do ("experiencia en hoteles o restaurantes de categoría", "en bares y
# confiterías", "experiencia previa en el rol"), and the people one works with or leads ("Coordinar con ingenieros,
# contratistas y otros profesionales", "Dirigir equipos de coordinadores y supervisores", "consultas de alumnos y
# docentes", "cargas, unidades y choferes"): read on 300 unlabelled real postings of hospitality, sales,
# construction, education and "other". The singular names a trade that readers list ("experiencia en hotelería",
# "cafetería"), the plural the establishments.
_NOT_SKILL_HEAD = frozenset(
    """hoteles restaurantes restaurants bares confiterias cafeterias bodegas comercios supermercados tiendas
    agencias concesionarias concesionarios clinicas sanatorios hospitales colegios escuelas fabricas gimnasios
    consorcios oficinas locales rol entorno entornos jefes supervisores supervisoras coordinadores coordinadoras
    vendedores desarrolladores disenadores operarios empleados colaboradores contratistas subcontratistas
    ingenieros profesionales incluidos incluidas docentes profesores profesoras maestros maestras alumnos alumnas
    choferes""".split()
)
_VAGUE_FIRST = frozenset(
    """different various varied modern relevant related multiple several diverse other new high same any all some
    diferentes diversos diversas distintos distintas varios varias otros otras multiples nuevos nuevas mismo
    misma cualquier algun alguna vasta vasto amplia amplio""".split()
)
# A task whose object opens with one of these sets a goal, not a skill ("asegurar la correcta imputación",
# "identificar posibles retos técnicos").
_GOAL_FIRST = frozenset("posibles correcto correcta correctos correctas adecuado adecuada adecuados adecuadas".split())
_NOT_SKILL = frozenset(
    """experiencia comprobable|experiencia previa|experiencia|buena presencia|disponibilidad horaria|
    puestos similares|posiciones similares|tareas similares|roles similares|el puesto|la posicion|
    manejo|conocimientos|conocimiento|uso|etc|etc.|otros|otras|afines|varios|similares|herramientas|sistemas|
    programas|equipos|clientes|cliente|personal|gente|personas|empresa|empresas|area|rubro|sector|industria|
    proyectos|procesos|tareas|actividades|funciones|trabajo|trabajar|objetivos|metas|resultados|
    mismo|misma|dicho|dicha|este|esta|todo|toda|todos|todas|general|similar|afin|campo|
    the role|this role|similar role|similar roles|similar position|the industry|the field|fast|team|
    asi|tanto|asimismo|incluso|joven|jovenes|hombre|hombres|mujer|mujeres|equivalente|equivalent|industrial|adicional|adicionales|previa|previo|pasion""".split(
        "|"
    )
)
_NOT_SKILL = frozenset(word.strip() for word in _NOT_SKILL)  # the first word of each line came with its indent
# Alone, these name no skill: a generic noun or an action noun whose object is left out ("manejo del sistema y caja",
# "la preparación y expendio de alimentos", "Formación Excluyente: Licenciado en…", "o de lo contrario"). An action
# noun's object is checked apart (OpenVocabulary._add_actions), so "análisis de mercado" stays.
_NOT_SKILL_ALONE = frozenset(
    """sistema plataforma plataformas mercado enfoque nivel formacion aplicacion laboral contrario tales profesional
    preparacion elaboracion desarrollo ejecucion seguimiento implementacion""".split()
)
# A posting's closing and legal boilerplate ("Al postularte aceptás los términos y condiciones", "Somos una empresa
# que promueve la igualdad de oportunidades"): what the employer declares, never a skill asked.
_BOILERPLATE = re.compile(
    r"\b(?:terminos y condiciones|terms (?:and|&) conditions|terms of (?:use|service)|politicas? de privacidad"
    r"|privacy (?:policy|notice)|igualdad de oportunidades|equal (?:employment )?opportunit|aviso legal|cookies"
    r"|postulacion(?:es)?|postular(?:te|se)?|no discriminacion|sin discriminacion|diversidad e inclusion)\b"
)
_GERUND = ("ando", "iendo", "yendo")  # "gestionando solicitudes": part of a sentence, not a skill name
_STOP = frozenset(
    "de del la el los las y e o u en a al con para por un una the of and to in for with on an or as lo su sus".split()
)

# Task verbs and the skill noun they name ("atender a clientes" -> "atención a clientes"); Spanish infinitives
# and English base forms. A verb mapped to "" carries no skill of its own ("realizar inventarios" -> inventarios).
_NOMINAL: dict[str, str] = {
    "atender": "atención", "preparar": "preparación", "supervisar": "supervisión", "controlar": "control",
    "gestionar": "gestión", "elaborar": "elaboración", "operar": "operación", "manejar": "manejo",
    "coordinar": "coordinación", "organizar": "organización", "planificar": "planificación",
    "administrar": "administración", "analizar": "análisis", "diseñar": "diseño", "disenar": "diseño",
    "desarrollar": "desarrollo", "mantener": "", "reparar": "reparación", "instalar": "instalación",
    "vender": "venta", "cobrar": "cobranza", "registrar": "registro", "asesorar": "asesoramiento",
    "capacitar": "capacitación", "limpiar": "limpieza", "conducir": "conducción", "negociar": "negociación",
    "liquidar": "liquidación", "conciliar": "conciliación", "facturar": "facturación", "programar": "programación",
    "redactar": "redacción", "archivar": "archivo", "inspeccionar": "inspección", "auditar": "auditoría",
    "evaluar": "evaluación", "implementar": "implementación", "lavar": "lavado", "despachar": "despacho",
    "recibir": "recepción", "cargar": "carga", "descargar": "descarga", "armar": "armado", "montar": "montaje",
    "soldar": "soldadura", "pintar": "pintura", "medir": "medición", "calcular": "cálculo",
    "interpretar": "interpretación", "leer": "lectura", "manipular": "manipulación", "seleccionar": "selección",
    "reclutar": "reclutamiento", "comunicar": "comunicación", "promover": "promoción", "captar": "captación",
    "prospectar": "prospección", "fidelizar": "fidelización", "verificar": "verificación",
    "monitorear": "monitoreo", "documentar": "documentación", "optimizar": "optimización", "mejorar": "mejora",
    "ejecutar": "ejecución", "cocinar": "cocina", "emitir": "emisión", "confeccionar": "confección",
    "presupuestar": "presupuesto", "clasificar": "clasificación", "ordenar": "orden", "almacenar": "almacenamiento",
    "distribuir": "distribución", "entregar": "entrega", "fabricar": "fabricación", "ensamblar": "ensamblaje",
    "diagnosticar": "diagnóstico", "investigar": "investigación", "enseñar": "enseñanza", "ensenar": "enseñanza",
    "asistir": "asistencia", "brindar": "", "realizar": "", "llevar": "", "efectuar": "", "hacer": "",
    "resolver": "resolución", "solucionar": "solución", "reportar": "reporte", "digitar": "digitación",
    "tramitar": "trámite", "cotizar": "cotización", "comprar": "compras",
    # Verbs that open task lines of real postings often (3,000 postings: "identificar" 95 lines, "generar" 76,
    # "liderar" 59, "revisar" 25…); the ones mapped to "" frame an object that is the skill ("velar por el
    # cumplimiento de normativas internas", "garantizar la correcta aplicación de recetas").
    "identificar": "identificación", "detectar": "detección", "generar": "generación", "liderar": "liderazgo",
    "crear": "creación", "revisar": "revisión", "definir": "definición", "representar": "representación",
    "aplicar": "aplicación", "actualizar": "actualización", "dirigir": "dirección", "recopilar": "recopilación",
    "relevar": "relevamiento", "procesar": "procesamiento", "filetear": "fileteado", "mentorizar": "mentoría",
    "mediar": "mediación", "velar": "", "cumplir": "", "establecer": "",
    "alcanzar": "", "impartir": "", "proponer": "",
    "manage": "management", "develop": "development", "design": "design", "maintain": "maintenance",
    "prepare": "preparation", "handle": "handling", "coordinate": "coordination", "analyze": "analysis",
    "analyse": "analysis", "plan": "planning", "sell": "sales", "negotiate": "negotiation", "implement":
    "implementation", "test": "testing", "build": "", "provide": "", "perform": "", "conduct": "",
    "support": "support", "monitor": "monitoring", "supervise": "supervision", "train": "training",
    "operate": "operation", "install": "installation", "repair": "repair", "clean": "cleaning",
    "cook": "cooking", "deliver": "delivery", "process": "processing", "resolve": "resolution",
    # English task lines of the tuning set ("Review vendor invoices", "Generate and send invoices", "Restock
    # shelves", "Code user interfaces"); gerunds open task lines as often ("Documenting customer interactions").
    "review": "review", "generate": "generation", "write": "writing", "code": "coding", "debug": "debugging",
    "restock": "restocking", "track": "tracking", "compile": "", "initiate": "", "nurture": "", "answer": "",
    "handling": "", "documenting": "", "providing": "", "troubleshooting": "", "keeping": "", "building": "",
    "managing": "", "preparing": "", "processing": "", "coordinating": "", "scheduling": "",
    "developing": "", "creating": "", "supporting": "", "answering": "",
}  # fmt: skip
_KEPT_STATE = re.compile(
    r"\b(?:limpi[oa]s?|segur[oa]s?|ordenad[oa]s?|prolij[oa]s?|actualizad[oa]s?|informad[oa]s?|vigentes?"
    r"|organizad[oa]s?|bajo control|al dia|en (?:optimas|buenas|perfectas?|perfecto|buen) (?:condiciones|estado))\b"
)
_TASK_STOP = re.compile(
    r"\s(?:para|que|con\s+el\s+fin|a\s+fin|segun|mediante|a\s+traves|en\s+(?:el|la|los|las)\s|en\s+coordinacion|"
    r"dentro|hasta|desde|durante|cuando|donde|asi\s+como|de\s+acuerdo|de\s+la\s+empresa|de\s+la\s+compania|"
    r"del\s+area|del\s+sector|de\s+nuestros?|de\s+los\s+clientes|in\s+order|to|for|with|across|within|using|"
    r"according|and\s+ensure|ensuring|as\s+(?:needed|required|necessary|assigned)|en\s+funcion|con\s+(?:foco|enfasis))\b"
)
_NEXT_VERB = re.compile(r"\s*(?:,|y|e|o|and|or)\s+([a-z]+)\b")
# A task named by its action noun ("control de mermas", "reposición de insumos", "seguimiento de recetas", "apoyo en
# la elaboración de propuestas comerciales"): readers of the tuning set listed these wherever they stood, in running
# text and in sections without a header too, as they list the verb phrase they stand for. The nouns of the Spanish
# task verbs above and a few more; "orden", "archivo" and "cocina" name things and places more often than tasks.
_ACTION_NOUNS = frozenset(
    {fold(n) for v, n in _NOMINAL.items() if n and v.endswith(("ar", "er", "ir"))}
    - {"orden", "archivo", "cocina", "venta", "manejo", "asistencia", "direccion"}
) | frozenset(
    """seguimiento reposicion dictado induccion desinfeccion destruccion procesamiento recuperacion tratamiento
    aplicacion apertura revision relevamiento definicion identificacion generacion mantenimiento produccion
    liderazgo asesoria conteo elaboracion""".split()
)


_ACTION = re.compile(r"\b(" + trie_pattern(_ACTION_NOUNS) + r")\s+(de|del|al|a|en(?!\s+(?:el|la|los|las|un|una)\s))\s+")
# A hyphen after a word and before a space or a capital is a lost bullet ("coordinación del turno- Cierres",
# "Control de stock-Realización de pedidos"): that ends the object too (checked on the cased text).
_ACTION_END = re.compile(r"[\n.;:()!?¿¡\"]|\s-\s|\s{2,}|(?<=[a-z])-\s")
_GLUED_DASH = re.compile(r"(?<=[a-z]{3})-(?=[A-Z][a-z])")
_ACTION_OBJECT_WORDS = 4
# Nouns that name nothing without their complement ("estado de pago", "hoja de ruta", "base de datos", "fuerza de
# ventas", "orden de compra", "notas de crédito", "plan de cuentas", "libro de sueldos").
_NEEDS_COMPLEMENT = frozenset(
    "estado estados hoja hojas base bases fuerza orden ordenes nota notas plan planes libro libros".split()
)
# Objects that make the phrase the employer's own business, not a skill ("capacitación de nuestro programa",
# "mantenimiento de los mismos", "venta a nivel nacional"), or name no kind of thing ("desarrollo de diversos
# sistemas", "seguimiento de las distintas instalaciones", "elaboración de una amplia variedad de productos").
_ACTION_NOT_OBJECT = re.compile(
    r"(?:(?:el|la|los|las)\s+)?(?:distint|divers|diferentes\b|varios\b|varias\b|dos\b|tres\b|multiples\b"
    r"|una\s+(?:amplia|gran)\b|un\s+amplio\b"
    r"|nuestr[oa]s?|mism[oa]s|dich[oa]s|nivel|compan|empresas?\b|tus?\b|lunes|martes"
    r"|miercoles|jueves|viernes|sabados?|domingos?|manera|forma|modo|acuerdo|disponibilidad|jornada|modalidad|zona"
    r"|ubicacion|experiencia|funcion\b|\d)"
)
# Example lists: a parenthesis, or what follows "como"/"such as" to the end of the clause.
_EXAMPLES = re.compile(
    r"\(([^()\n]{3,120})\)|\b(?:tales\s+como|como|such\s+as|incluyendo|including)\s+([^\n.;:()!?¿¡]{3,120})"
)
# Personal qualities a requirement list asks for, one word each ("Puntual. honesto y responsable", "proactive.
# patient. responsible"): readers of the tuning set listed them as skills wherever a list held them.
_QUALITIES = frozenset(
    """puntual puntuales honesto honesta honestos honestas responsable responsables proactivo proactiva proactivos
    proactivas ordenado ordenada ordenados ordenadas prolijo prolija dinamico dinamica dinamicos dinamicas empatico
    empatica empaticos empaticas resolutivo resolutiva resolutivos resolutivas flexible flexibles flexibilidad
    disciplina disciplinado disciplinada credibilidad honestidad puntualidad responsabilidad compromiso
    comprometido comprometida amable amables paciente pacientes paciencia creativo creativa creatividad
    organizado organizada analitico analitica metodico metodica perseverante tolerante confiable confiabilidad
    discreto discreta discrecion patient responsible reliable organized honest punctual proactive flexible dependable
    motivated creative detail-oriented""".split()
)
# The trade may be the second of a pair ("dedicada a la producción de alimentos y operación de locales"): up to
# four words and "y"/"," before it; not after "líder", also a person ("líder en ventas y gestión de equipos").
_COMPANY_TRADE = re.compile(
    r"(?:(?:dedicad[oa]s?|especializad[oa]s?|nos\s+dedicamos|se\s+dedica|empresa\s+de|rubro\s+de)"
    r"\s+(?:a\s+|en\s+)?(?:la\s+|el\s+|los\s+|las\s+)?"
    r"(?:(?:[a-zñ]+\s+){0,3}[a-zñ]+(?:\s+(?:y|e)|,)\s+(?:la\s+|el\s+|los\s+|las\s+)?)?"
    r"|lider(?:es)?\s+(?:a\s+|en\s+)?(?:la\s+|el\s+|los\s+|las\s+)?)$"
)
# An action noun the posting names as a goal, not a task one performs: "garantizando una atención de calidad",
# "para lograr la optimización de los recursos", "orientado a la generación de resultados sostenibles" (seen
# reviewing 300 real postings). "Asegurar la correcta liquidación de facturas" names a task: readers list it.
_GOAL_LEAD = re.compile(
    r"(?:\b(?:garantiz|asegur)[a-z]*\s+una?|\blograr(?:\s+(?:una?|la|el|los|las))?"
    r"|\borientad[oa]s?\s+a(?:\s+(?:la|los|las)|l)?)\s+$"
)
_GOAL_LEAD_WORDS = ("garantiz", "asegur", "lograr", "orientad")  # one is in every match
_COMPANY_TRADE_WORDS = ("dedic", "especializ", "lider", "empresa", "rubro")  # one of them is in every match
# The second adjective of a noun the list item before it holds ("coctelería clásica y moderna", "perfil comercial y
# técnico", "entrenamientos personalizados o grupales", "visitas presenciales y virtuales con los clientes", "clientes
# activos y potenciales"): 26 new skills of 300 unlabelled real postings were such a word alone. The item's word
# must look like an adjective and the item before must end in one; the feminine "-ica" is left out of the first
# test, as it names fields ("contabilidad general y logística", "mecánica"), and so are nouns of adjective shape.
_ADJECTIVE_BEFORE = re.compile(r"(?:ic[oa]s?|al(?:es)?|iv[oa]s?|ari[oa]s?|ern[oa]s?|os[oa]s?|ad[oa]s?|id[oa]s?)$")
_PAIRED_ADJECTIVE = re.compile(r"(?:icos?|al(?:es)?|iv[oa]s?|ari[oa]s?|ern[oa]s?|os[oa]s?)$")
_ADJECTIVE_SHAPED_NOUNS = frozenset(
    """material materiales canal canales local locales metal metales animal animales senal senales credenciales
    capital manual manuales portal portales inventario inventarios usuario usuarios horario horarios salario
    salarios calendario calendarios archivo archivos objetivo objetivos dispositivo dispositivos incentivo
    incentivos motivo motivos maquinaria maquinarias indumentaria secretaria secretario funcionario funcionarios
    propietario propietarios""".split()
)
_PAIR_AFTER = frozenset({"con", "junto", "a", "al", "para"})  # "precisa con los clientes", "sanitarias junto a…"


def _paired_adjective(lower: str, before_start: int, before_end: int, start: int, end: int) -> bool:
    """Whether the item ``lower[start:end]`` is an adjective sharing the noun of the item before it
    (``lower[before_start:before_end]``): one word, or one word and a preposition that leads away."""
    words = lower[start:end].split()
    if not words or (len(words) > 1 and words[1] not in _PAIR_AFTER):
        return False
    word = words[0]
    if word in _QUALITIES or word in _ADJECTIVE_SHAPED_NOUNS or not _PAIRED_ADJECTIVE.search(word):
        return False
    before = lower[before_start:before_end].split()
    return len(before) >= 2 and _ADJECTIVE_BEFORE.search(before[-1]) is not None


# After "rubro", "sector" or "industria" a list names the trades one sold in or worked for, not skills ("ventas dentro
# del rubro de maquinaria, construcción, repuestos, aceites, cubiertas", "experiencia en rubros bancarios o de
# seguros"; 300 unlabelled real postings): the items after the one that holds the word are left out.
_TRADE_WORD = re.compile(r"\b(?:rubros?|sector(?:es)?|industrias?|industry|industries)\b")


# Single words too generic to be a skill alone; see OpenVocabulary._extended.
_GENERIC_NOUNS = frozenset({"gestion", "administracion"})
_SHARED_COMPLEMENT = re.compile(r"\s+(?:y|e|o|u)\s+[a-z]+\s+(?:de|del)\s+")  # "gestión [y dirección] de equipos"
_GENERIC_HEAD_BEFORE = re.compile(
    r"(?:herramientas?|sistemas?|software|programas?|plataformas?|reportes?|informes?|indicadores?|"
    r"capacidad(?:es)?|habilidad(?:es)?)\s+(?:de|del|para)\s+(?:la\s+)?$"
)
_DEGREE = re.compile(
    r"\b(?:titul|licenciad|licenciatura|lic\b|carrera|estudi|egresad|graduad|formacion|contador|ingenier|tecnic"
    r"|universitari|degree|bachelor)"
)
_ACTION_LATER_EN = re.compile(r"\s(?:en|in|sobre|conforme|acorde)\s")
_ACTION_PEOPLE = frozenset({"clientes", "cliente", "personal", "personas", "gente"})  # "atención de clientes"
_CLAUSE = re.compile(r"[^\n;.•]+")
# A bullet the portal ran into its line ("Funciones: * Planificación de clases * Reuniones con las familias"), blanked
# by folding ("•") or by the extractor (" * "): a gap of three blanks or more inside a line, where an item ends.
_BULLET_GAP = re.compile(r"[ \t]{3,}(?=\S)")
_BULLETS = frozenset("*•●○◦▪■□►▸➢✓✔·\u2023\u2043\u2219")


def _is_bullet(text: str, start: int, end: int) -> bool:
    """Whether the blanks ``[start, end)`` of the folded text stand for a bullet of ``text`` (not a folded "/")."""
    return any(char in _BULLETS for char in text[start:end])


_CLAUSE_BULLET = re.compile(r"[ \t\-*>·0-9)]*")  # what ``str.lstrip(" \t-*>·0123456789)")`` takes off a clause
_FIRST_WORD = re.compile(r"\S+")  # ``str.split()[0]``: both split at ``str.isspace`` characters
# A capitalised word glued after a lower-case word marks a lost line break when it opens a task or cue
# ("…de la empresa Coordinar agenda…"); tested only at these words, so "Paquete Office" stays whole.
_CLAUSE_OPENERS = frozenset(
    {v.capitalize() for v in _NOMINAL}
    | {"Manejo", "Conocimiento", "Conocimientos", "Experiencia"}
    # Verbs that open real task lines though they frame no skill themselves ("…prospects de clientes Colaborar y
    # participar en propuestas…"): a break, so the line before does not run on into them.
    | {"Colaborar", "Participar", "Cumplir", "Apoyar", "Contribuir"}
)
# The same as (?<=[a-z,])\s+([A-Z][a-z]+)\b, but starting with \s lets the regex engine skip to spaces.
# A word of six letters or more glued to a capitalised one: a line break the scraper lost ("CalidadResumen",
# "compañerismoCompetencias"); the camel-case names of tools start shorter ("PowerPivot", "LangGraph", "SharePoint").
_GLUED_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z][a-z]{5,}(?=[A-Z][a-z]{3})")
_GLUED_ANYWHERE = re.compile(r"[a-z]{5}[A-Z][a-z]{3}")  # where _GLUED_WORD may match: a faster scan of a posting
_CAPITALISED_AFTER_LOWER = re.compile(r"\s(?<=[a-z,]\s)\s*([A-Z][a-z]+)\b")
# For clause openers an upper-case word before counts too ("acciones de MKT Analizar…"): only verbs are tried.
_CAPITALISED_AFTER_WORD = re.compile(r"\s(?<=[A-Za-z,]\s)\s*([A-Z][a-z]+)\b")
# A CamelCase product name ("CloudWatch", "ThousandEyes", "WordPress", "GitOps"), not two words whose line break the
# portal lost ("ExcelContar con…", "AutocadSe seleccionará", "SolidworksDominio de inglés", "ImpuestosSolida Industria",
# "AuditoríaEn Auditoría"): two capitalised parts, the second a word of three to five letters that opens no Spanish
# line ("Zona", "Edad:", "Buena", "Para"), and no lower-case word of the sentence runs on after it (a conjunction may:
# "CloudFront y CloudFormation"). Of the 96 glued words that cut a mention on 8,172 real postings it finds 11 product
# names and takes no line break for one.
_CAMEL_WORD = re.compile(r"[A-Z][a-z]+[A-Z][a-z]{2,4}")
_LINE_OPENERS = frozenset(
    """Zona Edad Sexo Buena Buen Otros Horas Turno Lugar Nivel Datos Sede Para Con Por Nos Hay Una Los Las Del Que Sus
    Son Sin Somos Desde Hasta Tipo Area Ideal Valor""".split()
)
_SENTENCE_RUNS_ON = re.compile(r"[-:]|[ \t]+(?!(?:y|e|o|u|and|or)\b)[a-z]")


def product_name_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the CamelCase product name that ``text[start:end]`` is a strict part of ("Cloud" of
    "CloudWatch", "Thousand" of "ThousandEyes"), or ``None``."""
    first, last = start, end
    while first > 0 and text[first - 1].isascii() and text[first - 1].isalpha():
        first -= 1
    while last < len(text) and text[last].isascii() and text[last].isalpha():
        last += 1
    if (first, last) == (start, end) or not _CAMEL_WORD.fullmatch(text, first, last):
        return None
    second = max(i for i in range(first + 1, last) if text[i].isupper())
    if text[second:last] in _LINE_OPENERS or _SENTENCE_RUNS_ON.match(text, last) is not None:
        return None
    return first, last


def _glued_breaks(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(space, word)`` starts of each glued clause opener in ``folded[start:end]`` (a set look-up per
    capitalised word is much faster than an alternation of every opener tried at each space)."""
    return [
        (m.start(), m.start(1))
        for m in _CAPITALISED_AFTER_WORD.finditer(folded, start, end)
        if m.group(1) in _CLAUSE_OPENERS
    ]


# English pairs joined by "and" that name one thing: never cut into two skills.
_BINOMIALS = frozenset(
    """research and development|health and safety|terms and conditions|profit and loss|mergers and acquisitions|
    supply and demand|oil and gas|food and beverage|food and beverages|learning and development|
    diversity and inclusion|training and development|operations and maintenance|installation and maintenance|
    repair and maintenance|sales and operations|trial and error|pros and cons|
    command and control|search and rescue|planning and scheduling|pick and pack|order and cleanliness|
    safety and health""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
_ITEM_SECTIONS = frozenset({REQUIREMENTS, RESPONSIBILITIES})
# Benefit and offer blocks that the section parser missed ("… Excel / Word Beneficios ¿Qué ofrecemos?…"):
# no candidate after such a cue within the same section.
_OFFER_CUE = re.compile(
    r"\b(?:beneficios|que\s+ofrecemos|te\s+ofrecemos|ofrecemos|we\s+offer|what\s+we\s+offer|benefits|perks|"
    r"condiciones\s+laborales|la\s+empresa\s+ofrece|(?<=se\s)ofrecen|(?<=se\s)ofrece(?=\s*:))\b"
)
# The employer's declarations of equal opportunity ("El compromiso de Adecco es promover y mantener la cultura del
# respeto e igualdad de oportunidades"): no candidate in the sentence that holds one. A posting holds one of
# _DECLARATION_WORDS where it holds a declaration, so most postings are never scanned.
_DECLARATION = re.compile(
    r"igualdad\s+de\s+(?:oportunidades|trato|genero)|discriminaci|equal\s+(?:employment\s+)?opportunit"
    r"|diversidad\s+e\s+inclusion|diversity\s+(?:and|&)\s+inclusion"
)
_DECLARATION_WORDS = ("igualdad", "discrimina", "equal", "diversi")
_SENTENCE_ENDS = ".;!?\n"
# "Se ofrece" only before a colon: Buenos Aires postings open with the law's "… el trabajo que se ofrece (Ley 6471)".
# "se" may be glued to the word before, a lost line break ("fines de semanaSe ofrecen muy buenas condiciones").
# Every _OFFER_CUE holds one of these, at most two words after its start; 40% of postings hold none. A cue that
# does not start with one starts with the first letter of "que", "te", "we", "what" or "la".
_OFFER_WORDS = ("benefi", "ofrec", "offer", "perks", "condiciones")
_OFFER_LEAD_WORDS = 2
_OFFER_LEAD_LETTERS = re.compile(r"[qtwl]")


def _declaration_sentences(lower: str, start: int) -> list[tuple[int, int]]:
    """Spans of the sentences of ``lower[start:]`` that hold an equal-opportunity declaration."""
    spans: list[tuple[int, int]] = []
    for declaration in _DECLARATION.finditer(lower, start):
        first = max(lower.rfind(end, start, declaration.start()) for end in _SENTENCE_ENDS) + 1
        last = min(
            (at for at in (lower.find(end, declaration.end()) for end in _SENTENCE_ENDS) if at != -1),
            default=len(lower),
        )
        spans.append((max(first, start), last))
    return spans


def _matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int], start: int) -> list[re.Match[str]]:
    """What ``pattern.finditer(text, start)`` finds, given every position where a match may begin: like
    finditer, the next match starts after the last one."""
    found: list[re.Match[str]] = []
    floor = start
    for at in sorted(starts):
        if at >= floor:
            match = pattern.match(text, at)
            if match is not None:
                found.append(match)
                floor = match.end()
    return found


def _cues(lower: str, start: int) -> list[re.Match[str]]:
    """``list(_CUE.finditer(lower, start))``, trying the regex only where a cue's first word begins."""
    starts = {at for opener in _CUE_OPENERS for at in positions(lower, opener, start)}
    return _matches_at(_CUE, lower, starts, start)


def _offer_starts(lower: str, start: int) -> list[int]:
    """Starts of ``_OFFER_CUE.finditer(lower, start)``, the regex tried only at each offer word and at the
    possible first letters of the two words before it."""
    starts: set[int] = set()
    for word in _OFFER_WORDS:
        for at in positions(lower, word, start):
            starts.add(at)
            lead = at
            for _ in range(_OFFER_LEAD_WORDS):  # back over the space and the word before, twice
                while lead > start and lower[lead - 1].isspace():
                    lead -= 1
                while lead > start and not lower[lead - 1].isspace():
                    lead -= 1
            starts.update(m.start() for m in _OFFER_LEAD_LETTERS.finditer(lower, lead, at))
    return [offer.start() for offer in _matches_at(_OFFER_CUE, lower, starts, start)]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible skill span: offsets in the folded text, its cleaned key and the name it would get."""

    start: int
    end: int
    key: str  # folded, lowercased, cleaned (and nominalised for a task phrase)
    name: str  # cleaned surface with its accents (what a new skill is called)
    kind: str  # CUE, ITEM, LISTED or TASK


@dataclass(frozen=True, slots=True)
class Normalised:
    """Where a candidate key leads: a vocabulary id or ESCO URI (None for a new skill) and how."""

    method: str
    skill_id: str | None = None
    esco_uri: str | None = None
    similarity: float = 1.0

    def __reduce__(self) -> tuple[type[Normalised], tuple[str, str | None, str | None, float]]:
        # The on-disk cache pickles tens of thousands of these: the default state-dict path of a frozen slots
        # dataclass sets each field through object.__setattr__ and took ~0.15 s more of the warm start.
        return Normalised, (self.method, self.skill_id, self.esco_uri, self.similarity)


_STEMS: dict[str, str] = {}  # stem() of each word met: a few thousand words make up most phrases
_UNSEEN = Normalised("")  # a memo's "not looked up yet" (None is an answer)


def stem(word: str) -> str:
    """A light Spanish/English stem: plural and final vowel off, so "inventarios" ~ "inventario"."""
    if len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word[-1] in "aeo":
        word = word[:-1]
    return word


# Spanish adverbial variants of one manner ("trabajar de forma independiente" is ESCO's "trabajar de manera
# independiente"): one stem for all of them.
_MANNER = re.compile(r"\b(?:de|en) (?:forma|modo)\b")


def stem_key(key: str) -> str:
    """Stems of the content words, sorted: the order-free lexical key of a skill phrase."""
    words = []
    folded = fold_key(key)
    if "forma" in folded or "modo" in folded:
        folded = _MANNER.sub("de manera", folded)
    for word in _STEM_WORD.findall(folded):
        if word not in _STOP:
            stemmed = _STEMS.get(word)
            if stemmed is None:
                if len(_STEMS) >= _TEXT_MEMO_LIMIT:
                    _STEMS.clear()
                stemmed = _STEMS[word] = stem(word)
            words.append(stemmed)
    return " ".join(sorted(words))


# Per-text answers of pure functions: about half the items and keys of real postings recur (boilerplate lists,
# common skills), and a dict look-up costs far less than the regex scans that decide them.
_CLEANED: dict[str, tuple[int, ...]] = {}  # () when nothing is left of the item
_ACCEPTED: dict[str, bool] = {}
_STEM_KEYS: dict[str, str] = {}
_ITEM_KEYS: dict[str, tuple[str, str]] = {}
_FOLD_KEYS: dict[str, str] = {}


def _clean_item(folded: str, lower: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim an item span to its skill words (no determiners, levels, years, trailing function words)."""
    text = lower[start:end]
    cleaned = _CLEANED.get(text)
    if cleaned is None:
        if len(_CLEANED) >= _TEXT_MEMO_LIMIT:
            _CLEANED.clear()
        cleaned = _CLEANED[text] = _cleaned_bounds(text) or ()
    return (start + cleaned[0], start + cleaned[1]) if cleaned else None


def _cleaned_bounds(item: str) -> tuple[int, int] | None:
    """:func:`_clean_item` of the whole of ``item``: offsets in it, or ``None`` when nothing is left."""
    text = item
    paren = text.find("(")
    if paren != -1:
        text = text[:paren]
    text = text.replace(")", " ") if ")" in text else text
    stop = _ITEM_STOP.search(" " + text)
    if stop is not None:
        text = text[: max(0, stop.start() - 1)]
    years = _YEARS.search(text) if _DIGIT.search(text) else None  # most items hold no number: one quick scan
    if years is not None:
        text = text[: years.start()]
    lead = _LEADING.match(text.strip())
    offset = len(text) - len(text.lstrip())
    if lead is not None:
        offset += lead.end()
    text = text.rstrip(" \t-*,:")
    # Trailing words end the text, so the last word must be one: a set look-up spares most regex scans.
    final = text.rsplit(None, 1)[-1] if text.strip() else ""
    trail = _TRAILING.search(text) if final in _TRAILING_WORDS or _TRAILING_NUMBER.fullmatch(final) else None
    if trail is not None:
        text = text[: trail.start()]
    text = text.rstrip(" \t-*,:'\"")
    first = offset
    last = len(text)
    while first < last and not item[first].isalnum():
        first += 1
    if last - first < 2:
        return None
    return first, last


def _folded_key(folded: str, start: int, end: int) -> str:
    """``fold_key(folded[start:end])`` of the extractor's folded text: folding it again changes nothing (unless
    blanking a tag left another "<…>" behind), so only case and spaces are left to normalise."""
    text = folded[start:end]
    if "<" in text:
        return fold_key(text)
    return " ".join(text.lower().split())


def _item_key(folded: str, start: int, end: int) -> tuple[str, str]:
    """The key of an item span (:func:`_folded_key`) and its first word ("" for none)."""
    text = folded[start:end]
    found = _ITEM_KEYS.get(text)
    if found is None:
        if len(_ITEM_KEYS) >= _TEXT_MEMO_LIMIT:
            _ITEM_KEYS.clear()
        key = _folded_key(text, 0, len(text))
        words = key.split(None, 1)
        found = _ITEM_KEYS[text] = (key, words[0] if words else "")
    return found


def _fold_key(text: str) -> str:
    """:func:`fold_key`, remembered: task objects and the names made of them recur."""
    key = _FOLD_KEYS.get(text)
    if key is None:
        if len(_FOLD_KEYS) >= _TEXT_MEMO_LIMIT:
            _FOLD_KEYS.clear()
        key = _FOLD_KEYS[text] = fold_key(text)
    return key


def _acceptable(key: str, kind: str) -> bool:
    accepted = _ACCEPTED.get(key)
    if accepted is None:
        if len(_ACCEPTED) >= _TEXT_MEMO_LIMIT:
            _ACCEPTED.clear()
        accepted = _ACCEPTED[key] = _acceptable_key(key)
    # The one test that depends on the kind: a word of one or two letters only after a cue ("manejo de R").
    return accepted and (kind == CUE or len(key) >= 3 or len(key.split()) != 1)


def _acceptable_key(key: str) -> bool:
    if not key or len(key) > MAX_CHARS or not _LETTER.search(key) or not _SKILL_CHARS.fullmatch(key):
        return False
    words = key.split()
    if len(words) > MAX_WORDS or key in _NOT_SKILL or key in _NOT_SKILL_ALONE or words[0] in _NOT_SKILL_FIRST:
        return False
    if words[0] in _VAGUE_FIRST or words[-1] in _NOT_SKILL_LAST or words[-1] in _DANGLING_LAST:
        return False
    # An adverb opens a piece of a sentence, not a skill's name ("positivamente contar con formación",
    # "principalmente viales", "tanto con el staff interno").
    if words[0] in _NOT_SKILL_HEAD or words[0].endswith("mente") or words[0] == "tanto":
        return False
    if all(w in _STOP for w in words) or words[0].endswith(_GERUND) or _BOILERPLATE.search(key):
        return False
    return not is_place_key(key)  # "Experiencia en Quito", "Zona Norte": where the job is


_BEFORE_PLACE = frozenset({"con", "de", "del", "en", "a", "al"})
# Abbreviations written with a dot ("Lic. en Psicología", "Ing. comercial", "Cs. Económicas", "Adm. de Empresas", "Bs.
# As.", "ej."): the open vocabulary cut them at their dot into new skills ('Lic' in 48 real mentions, 'Ing' in 18).
_DOTTED_ABBREVIATIONS = frozenset(
    "lic licda licdo ing cs adm admin bs ej sist cias prof tec tecn dr dra sr sra dpto depto prov av gral aprox".split()
)


def _ends_in_place(key: str) -> bool:
    """Whether a phrase ends in a place after a preposition ("mantener conversaciones con EE. UU.", "domiciliado en
    Canning", "costa del Ecuador"): where, or with whom, not what (judged once glued words are split)."""
    words = key.rsplit(None, 2)
    return len(words) > 2 and words[-2] in _BEFORE_PLACE and is_place_key(words[-1])


# A Spanish plural abbreviation writes each word's initial twice, with dots and often a space ("EE. UU.", "RR.HH.",
# "FF. AA."): the dots inside are no sentence ends; the open vocabulary cut 'EE', 'UU', 'subsistemas de RR' there.
_DOUBLED_INITIALS = re.compile(r"(?<![A-Za-z])([A-Z])\1\.[ ]?([A-Z])\2(?![A-Za-z])(\.?)")
# Where one may be: its second initials, after a dot (a search that starts with a literal is ~5x faster).
_SECOND_INITIALS = re.compile(r"\.[ ]?([A-Z])\1(?![A-Za-z])")


def joined_initials(folded: str) -> str:
    """``folded`` with each plural abbreviation written as one word, as postings also write it ("EE. UU." ->
    "EEUU.", "RR.HH" -> "RRHH") and blanks after it; its last dot stays, as it may end a sentence ("…o RR.HH.
    Inglés avanzado"). The length stays the same (21 of 8,172 real postings hold one)."""
    second = _SECOND_INITIALS.search(folded)
    if second is None:
        return folded
    cut = max(0, second.start() - 3)  # the character before its first initials, for the look-behind
    return folded[:cut] + _DOUBLED_INITIALS.sub(_one_word, folded[cut:])


def _one_word(match: re.Match[str]) -> str:
    word = match.group(1) * 2 + match.group(2) * 2 + match.group(3)
    return word + " " * (match.end() - match.start() - len(word))


def initials_end(text: str, start: int, end: int) -> int:
    """Where a span of ``text`` that ends inside a plural abbreviation read as one word (:func:`joined_initials`)
    ends as written: after the abbreviation ("subsistemas de RR. HH."); otherwise ``end``."""
    if "." in text[max(start, end - 4) : end + 2]:
        joined = _DOUBLED_INITIALS.search(text, max(start, end - 5), end + 5)
        if joined is not None and joined.start() < end < joined.end():
            return joined.end()
    return end


# Meetings with the people the job serves, a task line of its own.
_MEETING_HEADS = frozenset({"reunion", "reuniones", "entrevistas"})
_MEETING = re.compile(r"(?:reuniones|reunion|entrevistas)\s+con\s+(?:(?:los|las|el|la|sus)\s+)?[a-z]{4,}")


def _action_kind(key: str, head: str, kind: str) -> str:
    """TASK for a list item that is an action noun and its object ("Limpieza de vidrios", "Control de mermas"):
    like the verb phrase it stands for, it may be a new skill; ``kind`` otherwise."""
    if kind == ITEM and head in _MEETING_HEADS and _MEETING.match(key):
        return TASK  # "Reuniones con las familias", "reuniones con los clientes": the tuning set's readers list them
    if kind != ITEM or head not in _ACTION_NOUNS:
        return kind
    action = _ACTION.match(key)
    if action is None or action.end() >= len(key) or _ACTION_NOT_OBJECT.match(key, action.end()):
        return kind
    return TASK


class OpenVocabulary:
    """Candidate spans of one posting and their normalisation.

    ``names`` maps the normalised target (vocabulary id or ``esco:`` id) to what the extractor's
    ``target_of`` returns; the extractor owns targets, this class only decides which one a phrase names.
    """

    def __init__(
        self,
        vocabulary: Vocabulary,
        labels: Sequence[EscoLabel],
        *,
        vectors: bool = False,
        threshold: float = VECTOR_THRESHOLD,
        blocked: Iterable[str] = (),
        new_kinds: Iterable[str] = NEW_KINDS,
        encoder_factory: Callable[[], Any] | None = None,
    ) -> None:
        self.threshold = threshold
        self.new_kinds = frozenset(new_kinds)
        # Off by default: on the tuning set F1 was the same without vectors (0.696 both ways; an unnamed phrase
        # still counts as a new skill), while loading the model and encoding each new phrase cost seconds at
        # start-up and most of the throughput.
        self.use_vectors = vectors
        self._encoder_factory = encoder_factory
        self._encoder: Any = None
        self._exact: dict[str, Normalised] = {}
        self._stemmed: dict[str, Normalised] = {}
        self._memo: dict[str, Normalised | None] = {}
        self._lexical_memo: dict[str, Normalised | None] = {}
        blocked = frozenset(fold_key(b) for b in blocked)
        owners: dict[str, set[str]] = {}
        for label in labels:
            owners.setdefault(fold_key(label.label), set()).add(label.uri)
        for entry in vocabulary:
            target = Normalised(LEXICAL, skill_id=entry.id, esco_uri=entry.esco_uri)
            # Only the aliases the matcher itself uses: names an entry keeps out of its patterns ("ventas",
            # "monitoring") are ordinary words that would undo its precision guards here.
            for name in entry.aliases:
                key = fold_key(name)
                if key not in blocked:
                    self._exact.setdefault(key, target)
                    self._stemmed.setdefault(stem_key(key), target)
        # Every name a vocabulary skill goes by, the ones kept out of the look-ups above included: a phrase kept
        # as a new skill anyway ("ventas" after a cue) must carry that skill's id, never a second one.
        self._named: dict[str, Normalised] = {}
        self._named_stemmed: dict[str, Normalised] = {}
        for entry in vocabulary:
            target = Normalised(LEXICAL, skill_id=entry.id, esco_uri=entry.esco_uri)
            names = (entry.name, entry.name_es, entry.name_en, *entry.ambiguous_aliases, *entry.case_sensitive)
            for known in filter(None, names):
                if stem_key(known):
                    self._named.setdefault(fold_key(known), target)
                    self._named_stemmed.setdefault(stem_key(known), target)
        # One target object per concept (not per label): the pickled cache then stores each once.
        by_uri: dict[tuple[str, str], Normalised] = {}
        for label in labels:
            key = fold_key(label.label)
            if len(owners[key]) != 1 or label.skill_type == "language" or key in blocked:
                continue
            target = by_uri.setdefault((LEXICAL, label.uri), Normalised(LEXICAL, esco_uri=label.uri))
            self._exact.setdefault(key, target)
            if len(key) >= 4:
                self._stemmed.setdefault(stem_key(key), target)
        # Verb <-> action noun ("evaluación de riesgos" is "evaluar riesgos"), tried after the stemmed key.
        self._derivations = Derivations.from_label_keys(self._exact, stem, _STOP)
        self._derived = self._derivations.index(self._exact)
        # ESCO's wording of words Latin American postings word otherwise ("reportes" -> "informes"): a last resort.
        self._synonyms = Synonyms.read()
        # Vector side: one label per concept and language (preferred labels and vocabulary names), built on
        # first need and cached on disk by the caller's ``vector_labels`` hook.
        self._vector_texts: list[str] = []
        self._vector_targets: list[Normalised] = []
        seen: set[str] = set()
        for entry in vocabulary:
            for name in dict.fromkeys(n for n in (entry.name_es, entry.name_en, entry.name) if n):
                if fold_key(name) not in seen:
                    seen.add(fold_key(name))
                    self._vector_texts.append(name)
                    self._vector_targets.append(Normalised(VECTOR, skill_id=entry.id, esco_uri=entry.esco_uri))
        for label in labels:
            key = fold_key(label.label)
            if not label.preferred or label.skill_type == "language" or key in seen or len(owners[key]) != 1:
                continue
            seen.add(key)
            self._vector_texts.append(label.label)
            self._vector_targets.append(by_uri.setdefault((VECTOR, label.uri), Normalised(VECTOR, esco_uri=label.uri)))
        self._label_vectors: np.ndarray | None = None
        self._text = ""  # the posting being read (original case and accents, for names)
        self._taken: Sequence[tuple[int, int]] = ()
        self.vector_labels_fingerprint = fold_key("|".join(self._vector_texts[:50])) + str(len(self._vector_texts))

    def __getstate__(self) -> dict[str, Any]:
        # Pickled with the extractor by the on-disk cache: the model and per-process memo stay out.
        state = dict(self.__dict__)
        state.update(_encoder=None, _memo={}, _lexical_memo={}, _label_vectors=None, _text="", _taken=())
        return state

    # -- candidates --------------------------------------------------------------------------------------

    def candidates(
        self,
        text: str,
        folded: str,
        lower: str,
        structure: PostingStructure,
        body_start: int,
        taken: Sequence[tuple[int, int]],
    ) -> list[Candidate]:
        """Candidate spans of the body of ``text`` (``folded`` and ``lower`` are its folded and lowercased
        copies) that overlap no span in ``taken`` (matches already found)."""
        self._text = text
        self._taken = taken
        found: dict[tuple[int, int], Candidate] = {}
        offers = _offer_starts(lower, body_start)

        def offered(pos: int) -> bool:
            index = bisect_right(offers, pos) - 1
            if index < 0:
                return False
            section_start = structure.starts[bisect_right(structure.starts, pos) - 1]
            return offers[index] >= section_start

        for cue in _cues(lower, body_start):
            if structure.section_at(cue.start())[0] in NON_DEMAND_SECTIONS or offered(cue.start()):
                continue
            teacher = lower.startswith(_TEACHER_WORDS, cue.start())
            if teacher:
                words_before = lower[max(0, cue.start() - 20) : cue.start()].split()
                if words_before and words_before[-1] in _TEACHER_ADJECTIVE_OF:
                    continue
            limit = min(len(lower), cue.end() + _TAIL_CHARS)
            tail_end = _TAIL_END.search(lower, cue.end(), limit)
            # No end in reach: stop at the last whole word, never inside one.
            end = tail_end.start() if tail_end else (limit if limit == len(lower) else lower.rfind(" ", 0, limit))
            if teacher:
                subject_end = _SUBJECT_END.search(lower, cue.end(), end)
                end = subject_end.start() if subject_end else end
                if not self._teaches(lower, cue, end):
                    continue
            glued = _glued_breaks(folded, cue.end(), end)
            if glued:
                end = glued[0][0]
            self._add_items(found, folded, lower, cue.end(), end, CUE)
            examples = _CUE_EXAMPLES.match(lower, end) if not glued and lower.startswith("(", end) else None
            if examples is not None and _ITEM_SPLIT.search(lower, examples.start(1), examples.end(1)) is not None:
                self._add_acronyms(found, folded, examples.start(1), examples.end(1))
            # "…en equipos de fibra óptica. FTTH. Televisión digital e IPTV." (a list whose commas became
            # dots): short pieces right after the object go on the list.
            for _ in range(_DOT_ITEMS):
                piece = _DOT_PIECE.match(lower, end)
                if piece is None or (glued and end == glued[0][0]):
                    break
                self._add_items(found, folded, lower, piece.start(1), piece.end(1), CUE)
                end = piece.end(1)
        for index, section in enumerate(structure.sections):
            if section in NON_DEMAND_SECTIONS or section == TITLE:
                continue
            start = max(structure.starts[index], body_start)
            stop = structure.starts[index + 1] if index + 1 < len(structure.starts) else len(folded)
            if start >= stop:
                continue
            header_end = folded.find(":", start, min(stop, start + 60))
            start = header_end + 1 if header_end != -1 and section in _ITEM_SECTIONS else start
            first = max(structure.starts[index], body_start)
            if header_end != -1 and start == header_end + 1 and folded[first:header_end].strip().find("\n") != -1:
                # The colon of a line under the header ("FUNCIONES DEL CARGO\nBrindar asesoría en materia legal:
                # societaria. civil…"), not the header's own: what stands before it on its line is a task too.
                line_start = folded.rfind("\n", 0, header_end) + 1
                self._add_clause(found, folded, lower, line_start, header_end, section)
            if offers:
                offer = bisect_right(offers, start)
                if offer < len(offers) and offers[offer] < stop:
                    stop = offers[offer]
            self._add_actions(found, folded, lower, start, stop)
            if "(" in lower[start:stop] or " como " in lower[start:stop] or " such as " in lower[start:stop]:
                self._add_examples(found, folded, lower, start, stop, section)
            breaks = [word for _, word in _glued_breaks(folded, start, stop)]
            if "   " in folded[start:stop]:
                gaps = [g.end() for g in _BULLET_GAP.finditer(folded, start, stop) if _is_bullet(text, *g.span())]
                breaks = sorted({*breaks, *gaps}) if gaps else breaks
            for clause in _CLAUSE.finditer(folded, start, stop):
                left, right = clause.span()
                if not breaks:  # the common case: the clause is one piece
                    self._add_clause(found, folded, lower, left, right, section)
                    continue
                inside = breaks[bisect_right(breaks, left) : bisect_right(breaks, right - 1)]
                pieces = [left, *inside]
                for first, last in zip(pieces, [*pieces[1:], right], strict=True):
                    self._add_clause(found, folded, lower, first, last, section)
        kept = [c for c in found.values() if not _overlaps(taken, c.start, c.end)]
        if kept and _GLUED_ANYWHERE.search(folded, body_start) is not None:
            kept = [u for u in (self._unglued(c, folded, lower) for c in kept) if u is not None]
        if kept and any(word in lower for word in _DECLARATION_WORDS):
            declared = _declaration_sentences(lower, body_start)
            if declared:
                kept = [c for c in kept if not _overlaps(declared, c.start, c.end)]
        kept = [c for c in kept if not _ends_in_place(c.key) and not self._dotted_abbreviation(c)]
        kept = [self._whole_initials(c) for c in kept]
        if any(c.key in _GENERIC_NOUNS for c in kept):
            kept = [e for e in (self._extended(c, folded, lower) for c in kept) if e is not None]
        kept.sort(key=lambda c: (c.start, -c.end))
        result: list[Candidate] = []
        for candidate in kept:  # cue and item readings of one span: keep the first, longest
            if result and result[-1].end > candidate.start:
                continue
            result.append(candidate)
        return result

    def _dotted_abbreviation(self, candidate: Candidate) -> bool:
        """Whether ``candidate`` is an abbreviation cut at its dot ("Lic." of "Lic. en Psicología")."""
        return candidate.key in _DOTTED_ABBREVIATIONS and self._text.startswith(".", candidate.end)

    def _whole_initials(self, candidate: Candidate) -> Candidate:
        """``candidate`` named and ending after a plural abbreviation it ends inside (see :func:`initials_end`)."""
        end = initials_end(self._text, candidate.start, candidate.end)
        if end == candidate.end:
            return candidate
        name = candidate.name + self._text[candidate.end : end]
        return Candidate(candidate.start, end, candidate.key, name.rstrip("."), candidate.kind)

    def _add_acronyms(self, found: dict[tuple[int, int], Candidate], folded: str, start: int, end: int) -> None:
        """The acronyms of an example list ("del marco legal argentino (CCCN, LCT, leyes societarias…)")."""
        for acronym in _ACRONYM_ITEM.finditer(folded, start, end):
            key = acronym.group().lower()
            if _acceptable(key, CUE):
                found.setdefault(
                    acronym.span(), Candidate(*acronym.span(), key, self._text[slice(*acronym.span())], CUE)
                )

    def _teaches(self, lower: str, cue: re.Match[str], end: int) -> bool:
        """Whether the words after a teacher's word, up to ``end``, are a subject no match names yet: not a school level
        ("Docente de Nivel Inicial", "profesor de primaria entusiasta", "de Educación Básica"), not a subject already
        found ("Profesor/a de Educación Física responsable, proactivo/a": what follows it are qualities), and not what
        plural teachers are trained in ("asesorar a los docentes en políticas inclusivas")."""
        words = lower[cue.end() : end].split()
        if not words or words[0] in _SCHOOL_LEVEL or words[0] == "calidad" or words[-1] in _TRAILING_WORDS:
            return False  # a level, how good a teacher is ("un docente de calidad"), a level the item cleaner cuts off
        if _overlaps(self._taken, cue.end(), cue.end() + 1):
            return False
        cue_words = lower[cue.start() : cue.end()].split()
        return not (cue_words[0].endswith("s") and cue_words[-1] == "en")

    def _unglued(self, candidate: Candidate, folded: str, lower: str) -> Candidate | None:
        """A candidate that runs past a line break the scraper lost inside a word ("Control de CalidadResumen del
        Puesto", "decoracionRealizacion de proyectos") cut there; ``None`` when nothing acceptable is left."""
        glued = _GLUED_WORD.search(folded, candidate.start, candidate.end)
        if glued is None or product_name_around(folded, glued.start(), glued.end()) is not None:
            return candidate
        span = _clean_item(folded, lower, candidate.start, glued.end())
        if span is None:
            return None
        key = _item_key(folded, *span)[0]
        if not _acceptable(key, candidate.kind):
            return None
        return Candidate(span[0], span[1], key, self._text[span[0] : span[1]], candidate.kind)

    def _extended(self, candidate: Candidate, folded: str, lower: str) -> Candidate | None:
        """A lone generic noun ("gestión", "administración") extended to the phrase it heads or stands in, the
        way the tuning set's readers list it ("gestión y dirección de equipos", "herramientas de gestión",
        "capacidad para la gestión"), kept as a degree's field ("Licenciatura en Administración"), else dropped
        (3,000 real postings: "gestión" 104 and "administración" 95 mentions as new skills of their own)."""
        if candidate.key not in _GENERIC_NOUNS:
            return candidate
        start, end = candidate.start, candidate.end
        shared = _SHARED_COMPLEMENT.match(lower, end)
        if shared is not None:
            stop = _ACTION_END.search(lower, shared.end(), shared.end() + _TAIL_CHARS)
            object_end = stop.start() if stop else min(len(lower), shared.end() + _TAIL_CHARS)
            cut = _TASK_STOP.search(lower, shared.end(), object_end) or _ITEM_SPLIT.search(
                lower, shared.end(), object_end
            )
            span = _clean_item(folded, lower, shared.end(), cut.start() if cut else object_end)
            if span is not None and len(lower[span[0] : span[1]].split()) <= 3:
                end = span[1]
        clause_start = max(lower.rfind(c, 0, start) for c in ".;:\n") + 1
        before = _GENERIC_HEAD_BEFORE.search(lower, max(clause_start, start - 40), start)
        if before is not None:
            start = before.start()
        elif (start, end) == (candidate.start, candidate.end):
            # Nothing to extend: a degree's field stays ("Licenciatura en Administración, Economía o afines").
            return candidate if _DEGREE.search(lower, clause_start, start) else None
        if _overlaps(self._taken, start, end):
            return None  # the words it would take are another skill's
        key = _folded_key(folded, start, end)
        return Candidate(start, end, key, self._text[start:end], candidate.kind) if len(key) <= MAX_CHARS else None

    def _add_examples(
        self, found: dict[tuple[int, int], Candidate], folded: str, lower: str, start: int, stop: int, section: str
    ) -> None:
        """The items of an example list in ``[start, stop)``: "(Asterisk, Freeswitch, Kamailio)", "teléfonos VoIP como
        Grandstream, Yealink, Polycom", "channels such as email, chat or telephone" (listed by the tuning set's
        readers; a list needs two items at least)."""
        for example in _EXAMPLES.finditer(lower, start, stop):
            first, last = example.span(example.lastindex or 0)
            if _ITEM_SPLIT.search(lower, first, last) is not None:
                self._add_items(found, folded, lower, first, last, ITEM, section)

    def _add_actions(
        self, found: dict[tuple[int, int], Candidate], folded: str, lower: str, start: int, stop: int
    ) -> None:
        """Tasks named by an action noun and its object ("limpieza del área de cocina") in ``[start, stop)``."""
        for action in _ACTION.finditer(lower, start, stop):
            lead = lower[max(start, action.start() - 60) : action.start()]
            if any(word in lead for word in _COMPANY_TRADE_WORDS) and _COMPANY_TRADE.search(lead):
                continue  # what the company does: "empresa dedicada a la fabricación de fiambres"
            if any(word in lead for word in _GOAL_LEAD_WORDS) and _GOAL_LEAD.search(lead):
                continue
            object_start = action.end()
            end = _ACTION_END.search(lower, object_start, stop)
            object_end = end.start() if end else stop
            if lower.find("-", object_start, object_end) != -1:
                dash = _GLUED_DASH.search(folded, object_start, object_end)
                object_end = dash.start() if dash else object_end
            task_stop = _TASK_STOP.search(lower, object_start, object_end)
            object_end = task_stop.start() if task_stop else object_end
            separator = _ITEM_SPLIT.search(lower, object_start, object_end)
            object_end = separator.start() if separator else object_end
            # "Desarrollo de software en BairesDev": a place, a firm or a system follows "en".
            later_en = _ACTION_LATER_EN.search(lower, object_start, object_end)
            object_end = later_en.start() if later_en else object_end
            # A lost line break: a capitalised word after a lower-case content word ("coordinación de equipo Residir
            # en Casilda", "diseño de acciones derivadas Analizar…"); "gestión de Recursos Humanos" stays whole.
            for glued in _CAPITALISED_AFTER_LOWER.finditer(folded, object_start, object_end):
                before = lower[object_start : glued.start()].split()
                if before and before[-1] not in _STOP:
                    object_end = glued.start()
                    break
            if _ACTION_NOT_OBJECT.match(lower, object_start):
                continue
            span = _clean_item(folded, lower, object_start, object_end)
            if span is None:
                continue
            words = lower[span[0] : span[1]].split()
            if len(words) > _ACTION_OBJECT_WORDS:
                # A long object: its head noun phrase up to the second preposition ("control de fechas de vencimiento
                # de los productos del local" -> "control de fechas de vencimiento").
                cut = [i for i, w in enumerate(words) if w in ("de", "del", "en", "a", "al")]
                words = words[: cut[1] if len(cut) > 1 else _ACTION_OBJECT_WORDS]
                if len(words) > 3 and cut and cut[0] > 0:
                    # The noun and its preposition leave three words of MAX_WORDS: the noun alone, or with its
                    # complement where alone it names nothing ("confección de estado de pago mensual" -> "estado de
                    # pago", not "estado"; "optimización de la fuerza de trabajo").
                    complement = words[0] in _NEEDS_COMPLEMENT and words[1] == "de" and words[2] not in _STOP
                    words = words[:3] if complement else words[: cut[0]]
                span = _clean_item(folded, lower, span[0], span[0] + len(" ".join(words)))
                if span is None:
                    continue
            object_key = _item_key(folded, *span)[0]
            # The noun gives a generic object its meaning ("gestión de clientes", "selección de personal", "limpieza
            # del área"): only the object's letters and place are checked, not the item lists' generic words.
            if not _SKILL_CHARS.fullmatch(object_key) or is_place_key(object_key):
                continue
            if " " not in object_key and object_key in _NOT_SKILL and object_key not in _ACTION_PEOPLE:
                continue  # "desarrollo de herramientas", "seguimiento de proyectos": no skill named
            key = f"{action.group(1)} {action.group(2)} {object_key}"
            if _acceptable(key, TASK):
                found.setdefault(
                    (action.start(), span[1]),
                    Candidate(action.start(), span[1], key, self._text[action.start() : span[1]], TASK),
                )

    def _add_clause(
        self, found: dict[tuple[int, int], Candidate], folded: str, lower: str, start: int, end: int, section: str
    ) -> None:
        if section not in _ITEM_SECTIONS:
            # Elsewhere only a capitalised task verb opens a candidate: its first word decides, so the clause (a
            # whole sentence, often) is neither copied nor split.
            first = _CLAUSE_BULLET.match(lower, start, end).end()  # type: ignore[union-attr]
            if first >= end or not folded[first].isupper():
                return
            verb = _FIRST_WORD.match(lower, first, end).group()  # type: ignore[union-attr]
            if verb in _NOMINAL:
                self._add_task(found, folded, lower, first, end, verb)
            return
        text = lower[start:end]
        stripped = text.lstrip(" \t-*>·0123456789)")
        first = start + len(text) - len(stripped)
        words = stripped.split()
        if not words:
            return
        verb = words[0]
        if verb in _NOMINAL:
            self._add_task(found, folded, lower, first, end, verb)
            return
        if _CUE.match(lower, first):
            return  # handled as a cue
        if len(words) <= MAX_WORDS + 2 or ("," in stripped and len(words) <= 16):
            self._add_items(found, folded, lower, first, end, ITEM, section)

    def _add_task(
        self, found: dict[tuple[int, int], Candidate], folded: str, lower: str, start: int, end: int, verb: str
    ) -> None:
        object_start = start + len(verb)
        if lower.startswith((" por ", " con "), object_start) and not _NOMINAL[verb]:
            object_start += 4  # "velar por el cumplimiento de…", "cumplir con la normativa…": the object follows
        # "Planificar y coordinar la producción": the last of coordinated verbs takes the object.
        coordinated = _NEXT_VERB.match(lower, object_start, end)
        if coordinated is not None and coordinated.group(1) in _NOMINAL:
            self._add_task(found, folded, lower, coordinated.start(1), end, coordinated.group(1))
            return
        stop = _TASK_STOP.search(lower, object_start, end)
        object_end = stop.start() if stop else end
        # The object may be a list ("el armado, decoración, emplatado y despacho") or end in another task
        # ("… parámetros operativos y registrar tareas de mantenimiento").
        bounds = [object_start]
        for separator in _ITEM_SPLIT.finditer(lower, object_start, object_end):
            bounds += separator.span()
        bounds.append(object_end)
        for number, (first, last) in enumerate(zip(bounds[::2], bounds[1::2], strict=True)):
            if number > 0:
                words = lower[first:last].split()
                if words and words[0] in _NOMINAL:
                    self._add_task(found, folded, lower, first + lower[first:last].index(words[0]), end, words[0])
                    return
            span = _clean_item(folded, lower, first, last)
            if span is None:
                continue
            if number > 0 and _paired_adjective(lower, bounds[2 * number - 2], bounds[2 * number - 1], *span):
                continue
            words = lower[span[0] : span[1]].split()
            if len(words) > 4:
                # A long object: its head noun phrase up to the second preposition is the skill.
                cut = [i for i, w in enumerate(words) if w in ("de", "del", "en", "a", "al", "of")]
                words = words[: cut[1] if len(cut) > 1 else 4]
                trimmed = _clean_item(folded, lower, span[0], span[0] + len(" ".join(words)))
                if trimmed is None:
                    continue
                span = trimmed
            object_text = self._text[span[0] : span[1]]
            # The key from the text as read ("EE. UU." joined to "EEUU"), the name from the text as written.
            object_key = " ".join(lower[span[0] : span[1]].split())
            if object_key.split(None, 1)[0] in _GOAL_FIRST:
                continue
            noun = _NOMINAL[verb] if number == 0 else ""
            if noun and not verb.endswith(("ar", "er", "ir")):
                # English: the words as written name the task better than a reordered noun ("manage budgets").
                name, key = self._text[start : span[1]], f"{object_key} {noun}"
            elif noun:
                joiner = " " if object_key.startswith(("a ", "al ")) else " de "
                name, key = f"{noun}{joiner}{object_text}", _fold_key(f"{noun}{joiner}{object_key}")
            else:
                name, key = object_text, object_key
            first_char = start if number == 0 else span[0]
            if verb == "mantener" and _KEPT_STATE.search(lower, first, last):
                # A state kept, not a skill: "mantener el espacio de trabajo limpio", "mantener actualizada la
                # nómina", "mantener a los clientes informados".
                continue
            if _acceptable(key, TASK) and (noun or _acceptable(object_key, ITEM)):
                # An English verb before one word that is no plural noun was cut off on the tuning set ("Manage
                # small", "Prepare client", "implement efficient"; "maintain KPIs" is whole): like a Spanish task's
                # lone object, it counts only when it names a skill.
                lone = (
                    noun
                    and not verb.endswith(("ar", "er", "ir"))
                    and " " not in object_key
                    and not (object_key.endswith("s") and not object_key.endswith("ss"))
                )
                kind = ITEM if lone else TASK
                found.setdefault((first_char, span[1]), Candidate(first_char, span[1], key, name, kind))

    def _add_items(
        self,
        found: dict[tuple[int, int], Candidate],
        folded: str,
        lower: str,
        start: int,
        end: int,
        kind: str,
        section: str = REQUIREMENTS,
    ) -> None:
        whole = _clean_item(folded, lower, start, end)
        if whole is None:
            return
        key, head = _item_key(folded, *whole)
        if kind == CUE and head in _NOMINAL:
            self._add_task(found, folded, lower, whole[0], whole[1], head)
            return
        if self._lexical(key) is not None and _acceptable(key, kind):
            found.setdefault(whole, Candidate(*whole, key, self._text[whole[0] : whole[1]], kind))
            return
        bounds = [start]
        for separator in _ITEM_SPLIT.finditer(lower, start, end):
            bounds += separator.span()
        if len(bounds) == 1:
            # No separator: the one item is the whole, already trimmed and looked up, and a lone item is never
            # "listed" (that takes three), so what the loop below would do comes down to this.
            if head in _NOMINAL:
                self._add_task(found, folded, lower, whole[0], whole[1], head)
            elif _acceptable(key, kind):
                kind = _action_kind(key, head, kind)
                found.setdefault(whole, Candidate(*whole, key, self._text[whole[0] : whole[1]], kind))
            return
        bounds.append(end)
        if " and " in lower[start:end]:
            bounds = self._joined_at_and(folded, lower, bounds)
        items: list[Candidate] = []
        known = 0  # items a list or pattern already names: they make the others list items too
        previous: tuple[int, int] | None = None
        trades = False  # the list went on to name trades
        for first, last in zip(bounds[::2], bounds[1::2], strict=True):
            item = _clean_item(folded, lower, first, last)
            before, previous = previous, (first, last)
            if trades or item is None or (before is not None and _paired_adjective(lower, *before, *item)):
                continue
            if _TRADE_WORD.search(lower, first, last):
                trades = True
            key, head = _item_key(folded, *item)
            if _overlaps(self._taken, *item) or self._lexical(key) is not None:
                known += 1
            if head in _NOMINAL:
                self._add_task(found, folded, lower, item[0], item[1], head)
            elif _acceptable(key, kind):
                items.append(Candidate(*item, key, self._text[item[0] : item[1]], _action_kind(key, head, kind)))
        listed = kind == ITEM and known > 0 and len(items) + known >= 3
        # On the tuning set single words listed among tasks were places and things ("cocinas", "proveedores").
        min_words = 1 if section == REQUIREMENTS else 2
        for candidate in items:
            if listed and min_words <= len(candidate.key.split()) <= 3:
                candidate = Candidate(candidate.start, candidate.end, candidate.key, candidate.name, LISTED)
            found.setdefault((candidate.start, candidate.end), candidate)

    def _joined_at_and(self, folded: str, lower: str, bounds: list[int]) -> list[int]:
        """``bounds`` without the English "and" splits that cut one skill in two: a fixed pair or a known label
        ("research and development", "health and safety regulations") and a shared object ("design and
        implementation of APIs": not "design"). Other lists split ("sales and marketing", "hiring and
        interviewing"): readers list each item (tuning set)."""
        joined = list(bounds)
        index = 1  # joined[index:index + 2] is a separator while index < len(joined) - 1
        while index < len(joined) - 1:
            left = lower[joined[index - 1] : joined[index]].split()
            right = lower[joined[index + 1] : joined[index + 2]].split()
            if lower[joined[index] : joined[index + 1]].strip() == "and" and left and right:
                whole = " ".join((*left, "and", *right))
                if (
                    f"{left[-1]} and {right[0]}" in _BINOMIALS
                    or self._lexical(whole) is not None
                    or (len(left) == 1 and "of" in right[1:])
                ):
                    del joined[index : index + 2]
                    continue
            index += 2
        return joined

    def resolve(self, candidates: Sequence[Candidate]) -> list[tuple[Candidate, Normalised | None]]:
        """The candidates worth keeping, each with the skill it names (``None``: a new skill).

        Measured on the tuning set: a bare item of a requirement or task list is kept only when its words name
        a known skill (by vectors, single words drifted to other meanings: "materiales" -> "tallar
        materiales"); a new skill needs a cue ("manejo de X"), a task verb, or a place in a list that also
        names known skills, in requirements ("Proactividad, compañerismo y puntualidad").
        """
        if not candidates:
            return []
        lexical_only = self.normalise([c.key for c in candidates if c.kind == ITEM], vectors=False)
        found = self.normalise([c.key for c in candidates if c.kind != ITEM])
        kept: list[tuple[Candidate, Normalised | None]] = []
        for candidate in candidates:
            normalised = (lexical_only if candidate.kind == ITEM else found)[candidate.key]
            if normalised is not None or self._keeps_new(candidate):
                kept.append((candidate, normalised or self.named(candidate.key)))
        return kept

    def named(self, key: str) -> Normalised | None:
        """The vocabulary skill whose name (or the stem of it) ``key`` is, even one too generic to be matched on
        its own ("ventas" -> Ventas): only to name a phrase that is kept anyway."""
        named = self._named.get(key)
        if named is None:
            stems = _STEM_KEYS.get(key)
            if stems is None:
                if len(_STEM_KEYS) >= _TEXT_MEMO_LIMIT:
                    _STEM_KEYS.clear()
                stems = _STEM_KEYS[key] = stem_key(key)
            named = self._named_stemmed.get(stems)
            if named is not None and concrete_plural(key):
                return None
        return named

    def _keeps_new(self, candidate: Candidate) -> bool:
        if candidate.kind == ITEM and candidate.key in _QUALITIES:
            return ITEM in self.new_kinds or LISTED in self.new_kinds
        if candidate.kind not in self.new_kinds:
            return False
        # A task's lone object word was a thing or a state on the tuning set ("paquetes", "limpio", "altas").
        return candidate.kind != TASK or " " in candidate.key

    # -- normalisation -----------------------------------------------------------------------------------

    def _lexical(self, key: str) -> Normalised | None:
        found = self._lexical_memo.get(key, _UNSEEN)
        if found is not _UNSEEN:
            return found
        found = self._own_words(key)
        if found is None:
            for variant in self._synonyms.variants(key):
                found = self._own_words(variant)
                if found is not None:
                    break
        if len(self._lexical_memo) >= _MEMO_LIMIT:
            self._lexical_memo.clear()
        self._lexical_memo[key] = found
        return found

    def _own_words(self, key: str) -> Normalised | None:
        """The skill a phrase's words name: exactly, by stems, or by verb <-> action noun."""
        found = self._exact.get(key)
        if found is None:
            stemmed = stem_key(key)
            # One stemmed word is too loose ("baños" ~ "baño" of a spa treatment): single words match exactly.
            found = self._stemmed.get(stemmed) if " " in stemmed else None
            if found is None and " " in stemmed:
                found = self._derived.get(self._derivations.key(key))
        return found

    def normalise(self, keys: Iterable[str], *, vectors: bool = True) -> dict[str, Normalised | None]:
        """Where each key leads: lexical first, then (batched) vectors; ``None``: no known skill."""
        results: dict[str, Normalised | None] = {}
        pending: list[str] = []
        vectors = vectors and self.use_vectors
        for key in dict.fromkeys(keys):
            lexical = self._lexical(key)
            if lexical is not None or not vectors or not _VECTOR_WORDS[0] <= key.count(" ") + 1 <= _VECTOR_WORDS[1]:
                results[key] = lexical
            elif key in self._memo:  # vectors are the slow part: each phrase is encoded once per process
                results[key] = self._memo[key]
            else:
                pending.append(key)
        if pending:
            for key, found in zip(pending, self._nearest(pending), strict=True):
                results[key] = found
                self._remember(key, found)
        return results

    def _remember(self, key: str, value: Normalised | None) -> None:
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = value

    def _nearest(self, keys: list[str]) -> list[Normalised | None]:
        vectors = self.encoder().encode(keys)
        labels = self.label_vectors()
        similarity = vectors @ labels.T
        best = similarity.argmax(axis=1)
        found: list[Normalised | None] = []
        for row, column in enumerate(best):
            score = float(similarity[row, column])
            if score >= self.threshold:
                target = self._vector_targets[int(column)]
                found.append(Normalised(VECTOR, target.skill_id, target.esco_uri, round(score, 3)))
            else:
                found.append(None)
        return found

    def encoder(self) -> Any:
        if self._encoder is None:
            if self._encoder_factory is None:
                from observatory.embeddings.model import load_encoder, use_choice

                self._encoder = load_encoder(use_choice("open-vocabulary normalisation"))
            else:
                self._encoder = self._encoder_factory()
        return self._encoder

    def label_vectors(self) -> np.ndarray:
        """Vectors of the vocabulary names and ESCO preferred labels (cached on disk between processes)."""
        if self._label_vectors is None:
            from observatory.skills.cache import cached, fingerprint

            texts = self._vector_texts
            # Keyed on the texts and the model only: the vectors do not change when this module does.
            key = fingerprint("open-vocab-labels", getattr(self.encoder(), "name", "encoder"), "\n".join(texts))
            vectors = cached("open_vocab_label_vectors", key, lambda: self._encode_labels(texts))
            self._label_vectors = np.asarray(vectors, dtype=np.float32)
        return self._label_vectors

    def _encode_labels(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.encoder().encode(texts), dtype=np.float16)


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (sorted, not overlapping each other)."""
    index = bisect_right(spans, (start, float("inf")))
    if index > 0 and spans[index - 1][1] > start:
        return True
    return index < len(spans) and spans[index][0] < end


def concrete_plural(key: str) -> bool:
    """The lone plural of an abstract "-ción" noun names a concrete thing: "comunicaciones" (telecommunications,
    correspondence) is not Comunicación, "instalaciones" (premises) not Instalación; it takes no singular's name."""
    return key.endswith(("ciones", "siones")) and " " not in key


def new_skill_id(key: str) -> str:
    """The stable id of a skill no list holds: ``new:`` and its folded name."""
    return NEW_PREFIX + fold(key)[:190]


__all__ = [
    "LEXICAL",
    "NEW",
    "NEW_PREFIX",
    "VECTOR",
    "VECTOR_THRESHOLD",
    "Candidate",
    "Normalised",
    "OpenVocabulary",
    "concrete_plural",
    "new_skill_id",
    "product_name_around",
    "stem",
    "stem_key",
]
