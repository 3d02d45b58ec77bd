"""Occupation of a posting: the nearest ESCO occupation (and so its ISCO-08 unit group) to the job title.

The title is cleaned of what is not the occupation (gender endings, seniority, "para empresa…", places),
then compared with every Spanish label of the ~3,000 ESCO occupations by character n-gram TF-IDF cosine,
which tolerates plurals, gender forms and word order. An exact label is certain; a close one keeps its
cosine as confidence; a title with nothing close is coded "unknown" with the reason, and the start of the
description is tried for an occupation named word for word. Skills can then be counted by occupation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from observatory.skills.esco_bundle import EscoBundle, bundled_esco
from observatory.skills.normalize import fold_key

OCCUPATION_CODER_VERSION = "2026.11.1"
MIN_CONFIDENCE = 0.55  # below it a title is "unknown": read on real titles, the nearest label is then another job
UNKNOWN = "unknown"

# Latin American words for jobs that ESCO's (Spain's) Spanish names otherwise.
_SYNONYMS = {
    "mesero": "camarero", "mesera": "camarera", "meseros": "camareros", "chofer": "conductor",
    "choferes": "conductores", "bodeguero": "mozo de almacen", "asesor comercial": "representante comercial",
    "ejecutivo comercial": "representante comercial", "ejecutivo de ventas": "representante comercial",
    "ejecutiva de ventas": "representante comercial", "asesor de ventas": "vendedor",
    "asesora de ventas": "vendedora", "auxiliar contable": "auxiliar de contabilidad",
    "asistente contable": "auxiliar de contabilidad", "contador": "contable", "contadora": "contable",
    "contador publico": "contable", "desarrollador": "desarrollador de software",
    "programador": "programador informatico", "analista programador": "programador informatico",
    "community manager": "gestor de comunidades en linea", "telemercaderista": "teleoperador",
    "operador de call center": "teleoperador", "agente de call center": "teleoperador",
    "asesor de call center": "teleoperador", "guardia": "vigilante de seguridad",
    "guardia de seguridad": "vigilante de seguridad", "vigilador": "vigilante de seguridad",
    "mucama": "camarera de piso", "docente": "profesor", "maestro": "profesor", "mozo": "camarero",
    "moza": "camarera", "cadete": "mensajero", "repositor": "reponedor", "repositora": "reponedora",
    "soporte tecnico": "tecnico de soporte informatico", "soporte tecnico it": "tecnico de soporte informatico",
    "personal de limpieza": "limpiador", "promotor": "promotor de ventas", "promotora": "promotora de ventas",
    "encargado de sistemas": "administrador de sistemas", "asesor comisionista": "agente comercial",
}  # fmt: skip
# Single words with another name in ESCO, replaced inside longer titles ("operador de cobranzas").
_WORD_SYNONYMS = {
    "cobranzas": "cobros", "cobranza": "cobros", "mesero": "camarero", "mesera": "camarera", "chofer": "conductor",
    "vigilador": "vigilante", "repositor": "reponedor", "mucama": "camarera", "bodeguero": "almacenero",
    "liquidador": "tramitador", "sueldos": "nominas", "maestranza": "limpieza", "gastronomicos": "camarero",
}  # fmt: skip
_NOISE = re.compile(
    r"\b(?:sr|ssr|jr|senior|semi ?senior|semisenior|junior|trainee|pasante|practicante|urgente|importante|"
    r"nivel|i{1,3}|iv|tiempo completo|medio tiempo|part ?time|full ?time|remoto|hibrido|presencial|"
    r"zona \w+|con experiencia|sin experiencia|bilingue|eventual|temporal|jornada|turno \w+|full|part|time)\b"
)
_CUT = re.compile(r"\s(?:para|en|-|–|\||con|sector|zona|area)\s|[(\[|,:;]")
_GENDER = re.compile(r"(?<=\w)(?:\s?/\s?(?:a|as|es|o|os|ra|ras)\b|\s?\((?:a|as|es|o|os)\)|@)")
_TOKEN = re.compile(r"[a-z0-9ñ]+")
# Title words that do not name the occupation on their own: the head is the next content word.
_GENERIC_HEADS = frozenset(
    "personal profesional trabajador trabajadora empleado empleada oficial ayudante auxiliar asistente".split()
)
_STOP = frozenset("de del la el los las y e en a al con para por un una o u".split())
_HIRING_CUE = re.compile(
    r"\b(?:buscamos|busca|buscando|solicita|solicitamos|requiere|requerimos|seleccionamos|selecciona|incorporar"
    r"|contratar|necesitamos|necesita)\b[^.\n]{0,40}$"
)
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

    @property
    def stored_method(self) -> str:
        """What the ``postings.occupation_method`` column keeps: the method, with the reason when unknown."""
        return f"{UNKNOWN}: {self.reason}" if self.method == UNKNOWN else self.method


def clean_title(title: str) -> str:
    """The part of a job title that names the occupation, folded ("Vendedor/a Sr. para empresa…" -> "vendedor")."""
    text = _GENDER.sub("", title)
    text = fold_key(text).replace(".", " ")
    match = _CUT.search(f" {text} ")
    if match is not None and match.start() > 3:
        text = text[: match.start() - 1]
    text = _NOISE.sub(" ", text)
    words = " ".join(_TOKEN.findall(text))
    words = _SYNONYMS.get(words, words)
    return " ".join(_WORD_SYNONYMS.get(w, w) for w in words.split())


def _label_variants(label: str) -> Iterator[str]:
    """An ESCO label and its gender forms ("vendedor/vendedora" -> both)."""
    for part in label.split("/"):
        key = fold_key(part)
        if key:
            yield key


class OccupationCoder:
    """Codes job titles to ESCO occupations and ISCO-08 unit groups."""

    version = OCCUPATION_CODER_VERSION

    def __init__(self, bundle: EscoBundle | None = None, min_confidence: float = MIN_CONFIDENCE) -> None:
        self.bundle = bundle or bundled_esco()
        self.min_confidence = min_confidence
        self._labels: list[str] = []
        self._owner: list[int] = []
        self._exact: dict[str, int] = {}
        for index, occupation in enumerate(self.bundle.occupations):
            for label in (occupation.label_es, *occupation.alt_es):
                for variant in _label_variants(label):
                    self._labels.append(variant)
                    self._owner.append(index)
        # An exact title names the occupation whose preferred label it is, before any alternative label.
        for index, occupation in enumerate(self.bundle.occupations):
            for variant in _label_variants(occupation.label_es):
                self._exact.setdefault(variant, index)
        for label, index in zip(self._labels, self._owner, strict=True):
            self._exact.setdefault(label, index)
        if not self._labels:
            raise ValueError("the ESCO bundle has no occupations")
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, dtype=np.float32)
        self._matrix = self._vectorizer.fit_transform(self._labels)
        self._owner_array = np.asarray(self._owner)
        self._label_stems = [frozenset(w[:5] for w in label.split() if w not in _STOP) for label in self._labels]
        # Longest labels first, for finding an occupation named word for word in a description.
        self._by_length = sorted(
            ((label, owner) for label, owner in self._exact.items() if len(label.split()) >= 2),
            key=lambda item: -len(item[0]),
        )

    def code(self, title: str | None, description: str | None = None) -> OccupationCode:
        """The occupation of one posting."""
        return next(self.code_many([(title, description)]))

    def code_many(
        self, postings: Iterable[tuple[str | None, str | None]], chunk: int = 512
    ) -> Iterator[OccupationCode]:
        """Occupations of many ``(title, description)`` pairs, in order (vectorised by chunks)."""
        batch: list[tuple[str | None, str | None]] = []
        for posting in postings:
            batch.append(posting)
            if len(batch) >= chunk:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    def _code_batch(self, batch: Sequence[tuple[str | None, str | None]]) -> list[OccupationCode]:
        cleaned = [clean_title(title or "") for title, _ in batch]
        scores = self._matrix.dot(self._vectorizer.transform(cleaned).T).T.tocsr()
        codes = []
        for row, ((title, description), key) in enumerate(zip(batch, cleaned, strict=True)):
            if key in self._exact:
                codes.append(self._result(self._exact[key], 1.0, "title"))
                continue
            values = scores.getrow(row)
            best, label_index = self._best_with_head(key, values.indices, values.data)
            if key and label_index is not None and best >= self.min_confidence:
                codes.append(self._result(int(self._owner_array[label_index]), round(best, 3), "title"))
                continue
            from_text = self._from_description(description)
            if from_text is not None:
                codes.append(from_text)
                continue
            reason = (
                "no title" if not (title or "").strip() else f"no ESCO occupation close to the title (best {best:.2f})"
            )
            codes.append(OccupationCode(None, None, None, None, round(best, 3), UNKNOWN, reason))
        return codes

    def _best_with_head(self, key: str, indices: np.ndarray, data: np.ndarray) -> tuple[float, int | None]:
        """The closest label that shares the title's head word (its first content word, by a 5-letter stem):
        "encargado de sistemas" must not become an "operario" because the rest of the letters are alike."""
        if not len(data):
            return 0.0, None
        words = [w for w in key.split() if w not in _STOP]
        heads = [w for w in words if w not in _GENERIC_HEADS][:1] or words[:1]
        order = np.argsort(-data)[:TOP_CANDIDATES]
        for position in order:
            label_index = int(indices[position])
            if not heads or heads[0][:5] in self._label_stems[label_index]:
                return float(data[position]), label_index
        return float(data[order[0]]), None

    def _from_description(self, description: str | None) -> OccupationCode | None:
        """An occupation named word for word right after a hiring cue ("buscamos un vendedor…")."""
        if not description:
            return None
        head = f" {fold_key(description[:400])} "
        for label, owner in self._by_length:
            at = head.find(f" {label} ")
            if at != -1 and _HIRING_CUE.search(head, 0, at + 1):
                return self._result(owner, 0.5, "description")
        return None

    def _result(self, index: int, confidence: float, method: str) -> OccupationCode:
        occupation = self.bundle.occupations[index]
        isco = occupation.isco_code
        return OccupationCode(
            occupation.uri, occupation.label_es, isco, self.bundle.isco_groups.get(isco), confidence, method
        )


@lru_cache(maxsize=1)
def default_occupation_coder() -> OccupationCoder:
    """The coder over the bundled ESCO occupations, built once per process."""
    return OccupationCoder()


# What each Computrabajo area expects, as ISCO-08 sub-major groups (2 digits), for measuring agreement.
AREA_ISCO: dict[str, frozenset[str]] = {
    area: frozenset(codes.split())
    for area, codes in {
        "Ventas": "52 33 24 12 14 42",
        "Informática / Telecomunicaciones": "25 35 21 13 74",
        "Medicina / Salud": "22 32 53 13 26",
        "Atención a clientes": "42 52 41 33",
        "CallCenter / Telemercadeo": "42 52",
        "Administración / Oficina": "41 43 33 12 44 24",
        "Contabilidad / Finanzas": "24 33 43 12",
        "Almacén / Logística / Transporte": "43 83 93 13 96 33",
        "Mantenimiento y Reparaciones Técnicas": "72 74 71 31 93",
        "Producción / Operarios / Manufactura": "81 82 93 75 72 31 13 21 73",
        "Hostelería / Turismo": "51 94 14 34 42",
        "Docencia": "23 53",
        "Ingeniería": "21 31 13",
        "Mercadotecnia / Publicidad / Comunicación": "24 26 12 33 21 34",
        "Construcción y obra": "71 93 21 31 13",
        "Recursos Humanos": "24 12 33 41",
        "Diseño / Artes gráficas": "21 26 34 73",
        "Servicios Generales. Aseo y Seguridad": "91 54 51 96",
        "Legal / Asesoría": "26 34 24",
        "Compras / Comercio Exterior": "33 24 12 43",
        "Investigación y Calidad": "21 31 22 75",
        "Dirección / Gerencia": "11 12 13 14",
    }.items()
}


def agrees_with_area(area: str | None, code: OccupationCode) -> bool | None:
    """Whether an occupation fits the portal's own area (None when the area says nothing or the code is unknown)."""
    expected = AREA_ISCO.get((area or "").strip())
    if expected is None or code.isco_code is None:
        return None
    return code.isco_code[:2] in expected
