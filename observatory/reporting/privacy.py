"""Employer names that belong to natural persons, and what a report shows instead ("particular").

Portals let individuals post as employers (a household hiring a nanny, a one-person business): Computrabajo
shows such posters under their tax-registry name ("ARIAS DIAZ BRYAN ALEXIS": surnames first, all capitals),
other portals under the name they typed ("María José Pérez"). A public observatory must not publish them, so
every employer name that reaches a report goes through :func:`published_employer`.

The rules, in order: a legal form (S.A., S.R.L., Cía. Ltda., S.A. de C.V., LLC…) or an organisation word
(Grupo, Consultora, Hospital, Farmacias…) marks a company; a name of two to six plain words containing a known
given name marks a person; on Computrabajo an all-capitals name of three to five plain words (the registry's
"SURNAME SURNAME GIVEN GIVEN" shape) marks a person even when its given names are not in the list. Anything
else is a company. Doubt is resolved towards privacy: a small business named like its owner is shown as
"particular", which loses a name, never exposes one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import pandas as pd

PRIVATE_LABEL = {"es": "particular", "en": "private individual"}

# Legal forms as sequences of folded tokens (dots and spaces removed token by token: "S. A." → s, a).
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        "sa", "s a", "sas", "s a s", "sa s", "saa", "s a a", "sac", "s a c", "sau", "s a u", "saic", "saci",
        "srl", "s r l", "s de rl", "s de r l", "sl", "s l", "slu", "scs", "sca", "sc", "s c", "sci", "spa", "s p a",
        "cia", "ltda", "ltd", "limitada", "ca", "c a", "cv", "c v", "de cv", "eirl", "e i r l", "eurl", "ei",
        "inc", "llc", "llp", "lp", "corp", "co", "gmbh", "ag", "bv", "b v", "nv", "plc", "pty", "sapi", "sacv",
        "sadecv", "ep", "e p", "cooperativa", "coop", "ong", "asbl", "ue", "sociedad", "hnos", "hermanos",
    )
)  # fmt: skip

# Words that name an organisation, folded. Stems match any token they start (plurals, -es, -ización…); short
# words match only whole or as a plural; words that are also surnames (Mercado, Cadena, Costa) are left out, and
# "casa" matches only in the singular, so that "CASAS PEREZ MARIA" stays a person while "Casa Crédito" is a company.
_ORGANISATION_STEMS = tuple(
    "grupo group consultor consulting consultancy hospital clinica clinic farmacia pharma distribuidor "
    "distribucion comercial comercializ corporaci corporativ company compania empresa enterprise "
    "industria servicio service solucion solution representacion fundacion foundation asociacion asociado "
    "associat universidad university colegio escuela school instituto institut academia academy "
    "laboratori tecnolog technolog trading importador exportador importacion exportacion constructor "
    "construccion inmobiliari agencia agency financier insurance staffing outsourcing logistic transporte "
    "automotr restaurant boutique supermercado panaderia pasteleria ferreteria libreria consorcio holding "
    "internacional international marketing publicidad software veterinari odontolog ministerio municipi "
    "alcaldia prefectura cooperativ sindicato juridic inversion mayorista minorista sucursal propiedades "
    "proyecto project integral produccion producciones manufactur comunicaci lacteo finca hacienda "
    "alianza alliance procesador suministro multiservicio ingenieria engineering metalurgic".split()
)
_ORGANISATION_WORDS = frozenset(
    "centro center centre lab labs tech data cloud digital media systems sistemas energia energy textil "
    "alimento alimentos food foods salud health medical dental educativa educacion gobierno secretaria "
    "direccion gerencia departamento unidad mutual club iglesia parroquia asesor asesores asesoria gestion "
    "management abogado abogados legal contable contables contador contadores auditor auditores negocio "
    "negocios business express oficina office hogar home casa house market shop store "
    "tienda tiendas almacen almacenes bazar optica estudio studio despacho taller fabrica factory planta agro "
    "partners ventures capital global nacional latam america andina andino ecuador argentina colombia peru "
    "mexico chile venezuela bolivia uruguay paraguay panama rica hotel hostal motor motors seguros "
    "seguro banco bank talent talento talentos recursos rrhh seleccion personal minera mining petrol petroleo "
    "network import export rent travel tours viajes eventos materiales ambiental desarrollo desarrollos beauty "
    "jardin liceo team obra social turismo estate realty espumas dulce".split()
)

_SURNAMES_TOO = frozenset("casas iglesias salas costas planas".split())

# Words that cannot be part of a person's name: articles and prepositions other than the name particles,
# English words of brand names.
_NOT_NAME_WORDS = frozenset(
    "the and of for to in on by at with my your our el los las un una en para por con sin mi tu su al "
    "y e o u don dona santa santo san".split()
)
# A courtesy or professional title before a name ("Dra. Deniss Granda", "Ing. Pablo Ruiz") marks a person.
_TITLES = frozenset("sr sra srta dr dra ing ingeniero ingeniera lic licenciado licenciada abg ab arq odont".split())
# The commonest Chinese surnames: an individual poster of Chinese origin is registered as "CHEN WEI".
_CHINESE_SURNAMES = frozenset(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie song tang "
    "han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding shen ren yao lao "
    "hou mo qian qiu jin tan zou xiong lei fan fu hao kong bai chong".split()
)
# Particles inside Spanish, Portuguese and Italian surnames ("DE LA CRUZ", "Di Luca", "dos Santos").
_PARTICLES = frozenset("de del la las los da das do dos di van von".split())

_WORD = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)?$")  # letters only, one inner hyphen or apostrophe
_SPLIT = re.compile(r"[\s,;/|]+")
_INITIAL = re.compile(r"^[^\W\d_]\.?$")


def fold(value: str) -> str:
    """Lower case without accents (``"VIÑANZACA"`` → ``"vinanzaca"``)."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """The bundled list of given names (folded)."""
    text = resources.files("observatory.reporting").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


def _tokens(name: str) -> list[str]:
    """Folded tokens with dots dropped, so that "S. A." and "S.A." both give ``s``, ``a``."""
    out = []
    for part in _SPLIT.split(fold(name)):
        out += [piece for piece in re.split(r"[.()\"“”]+", part) if piece]
    return out


def _has_legal_form(tokens: list[str]) -> bool:
    compact = [t.strip("-'&") for t in tokens]
    for form in _LEGAL_FORMS:
        n = len(form)
        if any(tuple(compact[i : i + n]) == form for i in range(len(compact) - n + 1)):
            return True
    return False


def _has_organisation_word(tokens: list[str]) -> bool:
    for token in tokens:
        singular = token[:-2] if token.endswith("es") else token[:-1] if token.endswith("s") else token
        plural_ok = token not in _SURNAMES_TOO
        if (
            token.startswith(_ORGANISATION_STEMS)
            or token in _ORGANISATION_WORDS
            or (plural_ok and singular in _ORGANISATION_WORDS)
        ):
            return True
    return False


def is_natural_person(name: str | None, portal: str | None = None) -> bool:
    """True when the employer name ``name`` looks like a natural person's (see the module's rules).

    ``portal`` enables the per-portal rule (``computrabajo``: the tax-registry shape of individual posters).
    """
    if name is None:
        return False
    name = " ".join(str(name).split())
    if not name or re.search(r"[\d@&+#%*=_]|\.com|www", name, re.I):
        return False
    tokens = _tokens(name)
    if not tokens or _has_legal_form(tokens) or _has_organisation_word(tokens):
        return False
    parts = [w for w in _SPLIT.split(name) if w]
    titled = len(parts) > 2 and fold(parts[0]).rstrip(".") in _TITLES
    if titled:
        name = " ".join(parts[1:])
    if any(fold(w) in _NOT_NAME_WORDS for w in _SPLIT.split(name)):
        return False  # "E HIJOS", "THE", "EN EL": a phrase, not a name ("Juan E. Pérez" keeps its initial)
    # Initials ("Juan C. Pérez") neither count as words nor disqualify; other dots or symbols do.
    raw_words = [w for w in _SPLIT.split(name) if w and fold(w) not in _PARTICLES and not _INITIAL.match(w)]
    words = [fold(w) for w in raw_words]
    if not 2 <= len(words) <= 6 or not all(_WORD.match(w) and len(w.strip("-'")) >= 2 for w in raw_words):
        return False
    names = given_names()
    if titled or any(w in names or any(part in names for part in w.split("-")) for w in words):
        return True
    if len(words) in (2, 3) and words[0] in _CHINESE_SURNAMES and all(len(w) <= 7 for w in words):
        return True
    # Computrabajo shows an individual poster under the name of the tax registry: "SURNAME SURNAME GIVEN GIVEN".
    return portal == "computrabajo" and name.isupper() and 3 <= len(words) <= 5


def published_employer(name: str | None, portal: str | None = None, language: str = "es") -> str | None:
    """The employer name a report may publish: the name itself, or "particular" for a natural person."""
    if is_natural_person(name, portal):
        return PRIVATE_LABEL.get(language, PRIVATE_LABEL["es"])
    return name


def mask_employers(
    frame: pd.DataFrame,
    *,
    language: str = "es",
    columns: Iterable[str] = ("company", "employer"),
    portal_column: str = "portal",
) -> pd.DataFrame:
    """A copy of ``frame`` whose employer columns show "particular" in place of natural persons' names."""
    out = frame.copy()
    portals = out[portal_column] if portal_column in out.columns else pd.Series([None] * len(out), index=out.index)
    for column in columns:
        if column in out.columns:
            out[column] = [
                published_employer(v if isinstance(v, str) else None, p, language) if isinstance(v, str) else v
                for v, p in zip(out[column], portals, strict=True)
            ]
    return out
