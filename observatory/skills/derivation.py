"""Verb <-> action-noun equivalence of skill phrases, so a noun phrase finds the label worded as its verb and the
reverse: "evaluación de riesgos" is ESCO's "evaluar riesgos", "cumplimiento de plazos" its "cumplir plazos",
"asesoramiento a clientes" its "asesorar a los clientes", "management of budgets" its "manage budgets".

Spanish and English infinitives that open a label are derived into action nouns by suffix rules (-ción, -sión,
-miento, -aje, -ncia; -ment, -ation, -ysis), a derived noun counting only where the labels themselves use it (so
"cobrar" never yields "cobración"), less a reviewed list of false friends ("estar" is no "estación", "ocuparse"
no "ocupación"), plus a checked list of irregular and zero-derived nouns ("atender"/"atención",
"controlar"/"control"). Person nouns ("asesor", "vendedor", "operador") are never derived: no rule yields them,
so a job title never becomes the activity.

The derived key is an order-free key like :func:`observatory.skills.open_vocab.stem_key`, with each verb and
action noun replaced by its verb, and a light verb ("realizar", "elaborar", "llevar a cabo", "perform", "carry
out") dropped when another action names the task ("elaborar evaluaciones de riesgos" = "evaluación de riesgos").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Verbs whose nouns name something else than the activity, or that have no activity of their own; "carga" and
# "cargo", "registro" (a record) and "registros", "inventario" (the stock) share a stem with the thing.
_NO_DERIVATION = frozenset(
    """cargar descargar registrar inventariar
    estar ser ir tener haber poner ponerse dar ver ocuparse atenerse regir sentirse tender convenir convencer
    salvar pelar forrar solar tallar herrar llamar esparcir embarcar graduar situar computar constituir estacionar
    posicionar cuestionar condicionar proporcionar seccionar accionar conversar pensar precisar competir
    perform state equip govern depart apart""".split()
)
# Nouns the rules derive that mean a thing, a place or a quality more often than the activity.
_FALSE_FRIENDS = frozenset(
    """estacion estancia ocupacion pension ponencia tendencia sentencia competencia competicion convencion region
    conversion salvaje pelaje forraje solaje tallaje herraje llamamiento esparcimiento embarcacion observancia
    graduacion precision situacion computacion constitucion posicion cuestion condicion proporcion seccion accion
    procedencia dependencia residencia existencia preferencia ocurrencia camion rendimiento ubicacion reunion union
    prestacion aspiracion preocupacion presion
    habitacion fundacion dotacion mandamiento sentimiento casamiento nacion
    performance statement government equipment department apartment application addition position station
    nation condition audition fabrication portion procession publication catchment composition action formation
    placement plantation projection notation weldment pavement valuation limitation location establishment
    settlement""".split()
)
# Irregular and zero-derived action nouns, checked one by one (folded; the plural follows from the stem).
IRREGULAR: dict[str, tuple[str, ...]] = {
    "atender": ("atencion",), "controlar": ("control",), "disenar": ("diseno",), "desarrollar": ("desarrollo",),
    "analizar": ("analisis",), "manejar": ("manejo",), "apoyar": ("apoyo",),
    "cobrar": ("cobro", "cobranza"), "comprar": ("compra",), "vender": ("venta",), "entregar": ("entrega",),
    "calcular": ("calculo",), "diagnosticar": ("diagnostico",),
    "despachar": ("despacho",), "consultar": ("consulta",), "reemplazar": ("reemplazo",), "trasladar": ("traslado",),
    "tramitar": ("tramite", "tramitacion"), "mejorar": ("mejora",), "monitorear": ("monitoreo",),
    "escanear": ("escaneo",), "limpiar": ("limpieza",), "ensenar": ("ensenanza",), "auditar": ("auditoria",),
    "asesorar": ("asesoria", "asesoramiento"), "soldar": ("soldadura",), "lavar": ("lavado",),
    "armar": ("armado",), "filetear": ("fileteado",), "liderar": ("liderazgo",), "reponer": ("reposicion",),
    "recibir": ("recepcion",), "dirigir": ("direccion",), "prospectar": ("prospeccion",), "detectar": ("deteccion",),
    "resolver": ("resolucion",), "redactar": ("redaccion",), "emitir": ("emision",), "decidir": ("decision",),
    "imprimir": ("impresion",), "comprender": ("comprension",), "describir": ("descripcion",),
    "inscribir": ("inscripcion",), "transcribir": ("transcripcion",), "obtener": ("obtencion",),
    "detener": ("detencion",), "retener": ("retencion",), "mantener": ("mantenimiento", "mantencion"),
    "satisfacer": ("satisfaccion",), "ayudar": ("ayuda",), "entrevistar": ("entrevista",), "pagar": ("pago",),
    "reportar": ("reporte",), "cortar": ("corte",), "ajustar": ("ajuste",), "envasar": ("envasado",),
    "etiquetar": ("etiquetado",), "empaquetar": ("empaquetado",), "rotular": ("rotulado",), "mezclar": ("mezcla",),
    "presupuestar": ("presupuesto",), "cotizar": ("cotizacion",),
    "seleccionar": ("seleccion",), "gestionar": ("gestion",), "supervisar": ("supervision",),
    "revisar": ("revision",), "fidelizar": ("fidelizacion",), "abordar": ("abordaje",), "montar": ("montaje",),
    "embalar": ("embalaje",), "ensamblar": ("ensamblaje", "ensamble"), "almacenar": ("almacenamiento", "almacenaje"),
    "cumplir": ("cumplimiento",), "seguir": ("seguimiento",), "establecer": ("establecimiento",),
    "producir": ("produccion",), "reducir": ("reduccion",), "traducir": ("traduccion",), "conducir": ("conduccion",),
    "introducir": ("introduccion",), "prevenir": ("prevencion",), "intervenir": ("intervencion",),
    "distribuir": ("distribucion",), "sustituir": ("sustitucion",), "definir": ("definicion",),
    "evaluar": ("evaluacion",), "elaborar": ("elaboracion",), "preparar": ("preparacion",),
    "negociar": ("negociacion",), "coordinar": ("coordinacion",), "planificar": ("planificacion",),
    "organizar": ("organizacion",), "administrar": ("administracion",), "operar": ("operacion",),
    "capacitar": ("capacitacion",), "facturar": ("facturacion",), "liquidar": ("liquidacion",),
    "conciliar": ("conciliacion",), "instalar": ("instalacion",), "reparar": ("reparacion",),
    "inspeccionar": ("inspeccion",), "investigar": ("investigacion",), "implementar": ("implementacion",),
    "relevar": ("relevamiento",), "reclutar": ("reclutamiento",), "asistir": ("asistencia",),
    "vigilar": ("vigilancia",), "realizar": ("realizacion",), "ejecutar": ("ejecucion",),
    "manipular": ("manipulacion",), "programar": ("programacion",), "digitar": ("digitacion",),
    # English
    "manage": ("management",), "develop": ("development",), "analyse": ("analysis", "analyze"),
    "maintain": ("maintenance",), "sell": ("sale", "sales", "selling"), "plan": ("planning",),
    "deliver": ("delivery",), "recruit": ("recruitment", "recruiting"), "train": ("training",),
    "clean": ("cleaning",), "test": ("testing",), "monitor": ("monitoring",), "process": ("processing",),
    "schedule": ("scheduling",), "budget": ("budgeting",), "cook": ("cooking",), "handle": ("handling",),
    "forecast": ("forecasting",), "report": ("reporting",), "troubleshoot": ("troubleshooting",),
    "produce": ("production",), "comply": ("compliance",), "assist": ("assistance",), "solve": ("solving",),
    "supervise": ("supervision",), "assess": ("assessment",), "audit": ("auditing",),
}  # fmt: skip
# Verbs that only frame the task another action names ("realizar auditorías" is auditing, "draw up risk
# assessments" is risk assessment); they stay in the key when no other action is there ("elaborar informes").
_SPANISH_LIGHT_VERBS = frozenset(
    "realizar efectuar llevar hacer elaborar ejecutar desempenar ocuparse encargarse dar brindar".split()
)
LIGHT_VERBS = _SPANISH_LIGHT_VERBS | frozenset("perform carry conduct undertake do draw".split())
# Particles of the light verbs ("llevar a cabo", "carry out", "draw up"): no content word of their own.
_LIGHT_PARTICLES = frozenset({"cabo", "out", "up"})
_CONJUNCTIONS = frozenset({"y", "e", "o", "u", "and", "or"})
_INFINITIVE = re.compile(r"[a-zñ]{2,}(?:ar|er|ir)(?:se)?")
_ENGLISH_VERB = re.compile(r"[a-z]{3,}")
_WORD = re.compile(r"[a-z0-9+#ñ]+")


def rule_nouns(verb: str) -> list[str]:
    """Action nouns the suffix rules derive from ``verb`` (folded infinitive or English base form); unchecked."""
    if verb.endswith("se") and _INFINITIVE.fullmatch(verb):
        verb = verb[:-2]
    nouns: list[str] = []
    if _INFINITIVE.fullmatch(verb):
        base, kind = verb[:-2], verb[-2:]
        if kind == "ar":
            nouns += [base + "acion", base + "amiento", base + "aje", base + "ancia"]
            if base.endswith("ion"):  # gestionar -> gestión
                nouns.append(base)
            if base.endswith("is"):  # supervisar -> supervisión
                nouns.append(base + "ion")
        elif kind == "er":
            nouns += [base + "imiento", base + "encia"]
        else:
            nouns += [base + "imiento", base + "icion", base + "encia", base + "ion"]
            if base.endswith("u"):  # distribuir -> distribución
                nouns.append(base + "cion")
            if base.endswith("uc"):  # producir -> producción
                nouns.append(base + "cion")
    if _ENGLISH_VERB.fullmatch(verb):
        trimmed = verb[:-1] if verb.endswith("e") else verb
        nouns += [verb + "ment", trimmed + "ation", trimmed + "ion"]
        if verb.endswith(("yse", "yze")):  # analyse -> analysis
            nouns.append(verb[:-2] + "sis")
        if verb.endswith(("ise", "ize")):
            nouns.append(verb[:-1] + "ation")
    return [n for n in nouns if n != verb and len(n) >= 4]


class Derivations:
    """The verb each known verb or action noun stands for, by its ``stem`` (plural-free), and the derived keys of
    phrases: ``stem`` and ``stop`` (function words) are the caller's, so a derived key is made of the same stems
    as its order-free stem key."""

    def __init__(self, roots: dict[str, str], stem: Callable[[str], str], stop: frozenset[str]) -> None:
        self.roots = roots
        self.stem = stem
        self.stop = stop

    @classmethod
    def from_label_keys(cls, keys: Iterable[str], stem: Callable[[str], str], stop: frozenset[str]) -> Derivations:
        """Derivations attested by ``keys`` (folded labels): the verbs that open a label, and each rule noun that
        some label uses; the irregular pairs always."""
        words: set[str] = set()
        verbs: set[str] = set()
        for key in keys:
            found = _WORD.findall(key)
            if found:
                words.update(found)
                verbs.add(found[0])
        roots: dict[str, str] = {}
        for verb, nouns in IRREGULAR.items():
            roots.setdefault(stem(verb), verb)
            for noun in nouns:
                roots.setdefault(stem(noun), verb)
        for verb in sorted(verbs - _NO_DERIVATION):
            infinitive = verb[:-2] if verb.endswith("se") and _INFINITIVE.fullmatch(verb) else verb
            attested = [
                n
                for n in rule_nouns(verb)
                if n not in _FALSE_FRIENDS and (n in words or n + "s" in words or n + "es" in words)
            ]
            if attested:
                roots.setdefault(stem(infinitive), infinitive)
                for noun in attested:
                    roots.setdefault(stem(noun), infinitive)
        return cls(roots, stem, stop)

    def key(self, phrase: str) -> str:
        """The derived key of a folded phrase: its content words' stems, each verb or action noun as its verb,
        sorted; a light verb and its particle dropped where it frames an action ("realizar un análisis de
        riesgo", "draw up risk assessment"); ``""`` when fewer than two words are left, since a single word is
        matched exactly or not at all."""
        return self._derive(phrase)[0]

    def _is_action(self, stemmed: str) -> bool:
        """An action noun, or a Spanish infinitive: an English base form is often a noun too, and its stem another
        language's word ("inform" is also the stem of "informes")."""
        root = self.roots.get(stemmed)
        return root is not None and root not in LIGHT_VERBS and (root != stemmed or stemmed.endswith("r"))

    def _derive(self, phrase: str) -> tuple[str, bool]:
        """:meth:`key` and whether a light verb was dropped to reach it."""
        found = _WORD.findall(phrase)
        if _CONJUNCTIONS.intersection(found):
            return "", False  # "servicio y venta" is two skills, not "vender servicios"
        stems = [self.stem(w) for w in found if w not in self.stop]
        if len(stems) < 2:
            return "", False
        roots = self.roots
        derived = [roots.get(w, w) for w in stems]
        light = False
        for index, word in enumerate(derived):
            if word not in LIGHT_VERBS:
                continue
            after = index + 1
            while after < len(stems) and stems[after] in _LIGHT_PARTICLES:
                after += 1
            # The framed action follows a Spanish light verb; an English compound ends in it ("draw up risk
            # assessment"). "elaboración de productos de limpieza" frames products: it stays.
            if after >= len(stems) or len(stems) - (after - index) < 2:
                break
            framed = stems[after] if word in _SPANISH_LIGHT_VERBS else stems[-1]
            if self._is_action(framed):
                derived = derived[:index] + derived[after:]
                light = True
                break
        if len(derived) < 2:
            return "", light
        return " ".join(sorted(derived)), light

    def index(self, targets: Mapping[str, T]) -> dict[str, T]:
        """Derived key -> target of the phrases ``targets`` names (in its order, first wins); a key reached
        without dropping a light verb wins over one that needed it ("evaluar riesgos" before "elaborar evaluaciones
        de riesgos"), the closer wording being the likelier skill."""
        direct: dict[str, T] = {}
        framed: dict[str, T] = {}
        roots = self.roots
        for phrase, target in targets.items():
            key, light = self._derive(phrase)
            # A phrase with neither verb nor action noun keeps its stem key, which the caller has already tried.
            if key and any(self.stem(w) in roots for w in _WORD.findall(phrase)):
                (framed if light else direct).setdefault(key, target)
        for key, target in framed.items():
            direct.setdefault(key, target)
        return direct


SYNONYMS_PATH = Path(__file__).with_name("data") / "esco_synonyms.txt"


class Synonyms:
    """ESCO's wording of phrases that Latin American postings word otherwise ("reportes" -> "informes", "armado" ->
    "preparación"), from a short reviewed list (``data/esco_synonyms.txt``): the caller tries the variants only
    when a phrase's own words name no known skill."""

    def __init__(self, replacements: Mapping[str, tuple[str, ...]]) -> None:
        self.replacements = dict(replacements)
        alternatives = sorted(self.replacements, key=len, reverse=True)
        self._pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b") if alternatives else None

    @classmethod
    def read(cls, path: Path = SYNONYMS_PATH) -> Synonyms:
        """The list at ``path``: ``phrase = replacement [| replacement…]`` a line, ``#`` comments."""
        replacements: dict[str, tuple[str, ...]] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            phrase, equals, targets = line.partition("=")
            choices = tuple(t.strip() for t in targets.split("|") if t.strip())
            if not equals or not phrase.strip() or not choices:
                raise ValueError(f"{path.name}, line {number}: expected 'phrase = replacement', got {line!r}")
            replacements[" ".join(phrase.split())] = choices
        return cls(replacements)

    def variants(self, key: str) -> list[str]:
        """``key`` (a folded phrase) with its listed words in ESCO's wording: every replacement at once first, then
        one at a time; ``[]`` when no listed word occurs."""
        if self._pattern is None:
            return []
        found = list(self._pattern.finditer(key))
        if not found:
            return []
        variants = []
        for choice in range(max(len(self.replacements[m.group()]) for m in found)):
            pieces, last = [], 0
            for match in found:
                pieces += [key[last : match.start()], self._choice(match.group(), choice)]
                last = match.end()
            variants.append("".join(pieces) + key[last:])
        if len(found) > 1:
            for match in found:
                for replacement in self.replacements[match.group()]:
                    variants.append(key[: match.start()] + replacement + key[match.end() :])
        return [v for v in dict.fromkeys(variants) if v != key]

    def _choice(self, phrase: str, index: int) -> str:
        choices = self.replacements[phrase]
        return choices[min(index, len(choices) - 1)]


__all__ = ["IRREGULAR", "LIGHT_VERBS", "SYNONYMS_PATH", "Derivations", "Synonyms", "rule_nouns"]
