"""Reader for the real postings files of ``../shared/postings`` and a coarse sector for each posting.

Development and measurement only: the files are third-party text kept beside the project, never inside it. The
folder is ``$OBSERVATORY_REAL_POSTINGS_DIR`` when set, else ``../shared/postings`` beside the checkout (found from
this package's place, so an installed copy of the package needs the setting).

Sectors. Ecuador's Computrabajo file gives every posting the portal's own ``areaName``; each value present
in the file maps to one sector (``_AREA_SECTORS``), and the catch-all area "Otros" (or an area the map does
not know) falls back to the title rules. The Argentine Bumeran/ZonaJobs file has no area, so its sector comes
from keyword rules on the title (``_TITLE_RULES``, first matching rule wins, the order puts specific words
before generic ones: "Analista contable" is accounting, "Asistente de RRHH" human resources, "Soporte
técnico IT" IT before maintenance), then from the area when there is one, else ``other``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The folder of the real postings files when REAL_POSTINGS_ENV is unset: ../shared/postings beside the checkout.
SHARED_POSTINGS: Path = Path(__file__).resolve().parents[2].parent / "shared" / "postings"
REAL_POSTINGS_ENV = "OBSERVATORY_REAL_POSTINGS_DIR"
_POSTINGS_FILE = re.compile(r"\.(json|csv)(\.gz)?$")

SECTORS: tuple[str, ...] = (
    "it",
    "sales",
    "customer_service",
    "administration",
    "accounting_finance",
    "logistics_transport",
    "hospitality_food",
    "health",
    "maintenance_trades",
    "manufacturing_quality",
    "education",
    "human_resources",
    "marketing_design",
    "construction_engineering",
    "legal",
    "security",  # security guards and general services (cleaning), as Computrabajo groups them
    "other",
)

# Every areaName of computrabajo_ec_2024.csv.gz (keys compared after strip()).
_AREA_SECTORS: dict[str, str] = {
    "Ventas": "sales",
    "Informática / Telecomunicaciones": "it",
    "Medicina / Salud": "health",
    "Atención a clientes": "customer_service",
    "CallCenter / Telemercadeo": "customer_service",
    "Administración / Oficina": "administration",
    "Dirección / Gerencia": "administration",
    "Contabilidad / Finanzas": "accounting_finance",
    "Almacén / Logística / Transporte": "logistics_transport",
    "Compras / Comercio Exterior": "logistics_transport",
    "Mantenimiento y Reparaciones Técnicas": "maintenance_trades",
    "Producción / Operarios / Manufactura": "manufacturing_quality",
    "Investigación y Calidad": "manufacturing_quality",
    "Hostelería / Turismo": "hospitality_food",
    "Docencia": "education",
    "Ingeniería": "construction_engineering",
    "Construcción y obra": "construction_engineering",
    "Mercadotecnia / Publicidad / Comunicación": "marketing_design",
    "Diseño / Artes gráficas": "marketing_design",
    "Recursos Humanos": "human_resources",
    "Servicios Generales. Aseo y Seguridad": "security",
    "Legal / Asesoría": "legal",
    "Otros": "other",
}

# Title keyword rules, on the lower-cased title without accents; word starts are anchored with \b.
_TITLE_RULES: tuple[tuple[str, str], ...] = (
    (
        "it",
        r"\b(desarroll|developer|programador|software|full ?stack|front ?end|back ?end|devops|sre\b|qa\b|tester|"
        r"testing|data (engineer|scien|analyst)|analista de datos|cientific\w* de datos|ingenier\w* de datos|"
        r"sistemas|informatic|\bit\b|soporte (tecnico )?(it|ti|informatico)|help ?desk|mesa de ayuda|"
        r"java|python|\.net|php|react|angular|node|sap\b|salesforce|cloud|cyber|ciberseguridad|"
        r"seguridad informatica|redes y telecom|telecomunicaciones|infraestructura it|ux|ui\b|scrum|"
        r"product owner|analista funcional|power bi|business intelligence|\bbi\b|dba\b|base de datos|"
        r"openshift|nutanix|kubernetes|linux|tecnolog)",
    ),
    (
        "health",
        r"\b(enfermer|medic[oa]|medicina|farmac|kinesiolog|odontolog|bioquimic|instrumentador|nutricionist|"
        r"psicolog|psicopedagog|psicomotric|fonoaudiolog|terapista|terapeuta|radiolog|obstetr|pediatr|clinic|salud|hospital|"
        r"paramedic|visitador medico|auxiliar de farmacia|veterinari|optometr|laboratorista|tecnico de laboratorio)",
    ),
    (
        "education",
        r"\b(docente|profesor|maestr[oa] (de|jardiner|integrador|particular)|maestra\b|tutor|educador|"
        r"pedagog|preceptor|catedr|instructor|capacitador|teacher|acompanante terapeutic)",
    ),
    ("legal", r"\b(abogad|legal|paralegal|procurador|juridic|escribani|notari|lawyer|compliance)"),
    (
        "human_resources",
        r"\b(recursos humanos|rrhh|rr\.hh|human resources|\bhr\b|recruit|reclut|seleccion|talent|people|"
        r"nomina|liquidacion de sueldos|liquidador\w* de sueldo|payroll|capacitacion y desarrollo|hrbp)",
    ),
    (
        "accounting_finance",
        r"\b(contador|contable|contabilidad|finanz|financ|tesorer|auditor|impuest|tribut|cuentas a (pagar|cobrar)|"
        r"accounts? (payable|receivable)|accountant|accounting|billing|biller|facturacion|cobranz|credito|"
        r"economist|econometr|banca|bancari|controller|costos|analista de riesgo|actuari)",
    ),
    (
        "marketing_design",
        r"\b(marketing|mercadeo|disenador|disenadora|diseno grafico|grafic|community manager|comunicacion|"
        r"redactor|copywriter|\bseo\b|publicid|social media|contenido|content|brand|marca|fotograf|"
        r"audiovisual|video|editor|animador|ilustrador|trade marketing|periodist|prensa)",
    ),
    (
        "customer_service",
        r"\b(atencion al (cliente|publico)|customer (service|support|success|care)|call ?cent|contact ?cent|"
        r"telemarket|teleoperador|operador telefonic|servicio al cliente|mesa de entradas|soporte al cliente|"
        r"asistencia al cliente|postventa|post venta)",
    ),
    (
        "hospitality_food",
        r"\b(cocin|chef|mozo|moza|camarer|mesero|barista|bartender|barman|pastel|panader|gastronom|hotel|"
        r"restaurant|bachero|parrillero|pizzero|sushi|heladero|cafeteria|catering|turismo|viajes|"
        r"recepcionista de hotel|"
        r"housekeeping|mucama|conserje|alimentos y bebidas|sommelier|cajer[oa] de (bar|restaurante))",
    ),
    (
        "security",
        r"\b(vigilador|vigilante|guardia|seguridad fisica|custodi|limpieza|maestranza|aseo|sereno|portero|"
        r"monitoreo de camaras|control de accesos|security guard)",
    ),
    (
        "logistics_transport",
        r"\b(chofer|conductor|logistic|deposito|almacen|autoelevador|montacargas|clarkista|repartidor|reparto|"
        r"transporte|supply chain|cadena de suministro|comercio exterior|comex|compras|purchasing|buyer|"
        r"comprador|despach|distribucion|picking|inventario|stock|expedicion|flota|courier|dispatch|"
        r"abastecimiento|warehouse|operario de deposito|repositor)",
    ),
    (
        "maintenance_trades",
        r"\b(mantenimiento|electricista|electric|mecanic|soldador|soldadura|plomer|gasista|refrigeracion|"
        r"electromec|tornero|fresador|carpinter|pintor|herrer|matricer|chapista|tecnico (de|en) (campo|servicio)|"
        r"service tecnico|tecnico electronico|electronic|hvac|aire acondicionado|albanil|cerrajer|gomer|"
        r"instalador|reparacion|tecnico mecanico|tecnico de mantenimiento|frigorista)",
    ),
    (
        "construction_engineering",
        r"\b(arquitect|ingenier[oa] civil|civil engineer|obra|construccion|dibujante|proyectista|"
        r"maestro mayor|topograf|estructur|capataz|jefe de obra|higiene y seguridad|seguridad e higiene|"
        r"ingenier|engineer|cadista|autocad|agrimensor)",
    ),
    (
        "manufacturing_quality",
        r"\b(operari|produccion|calidad|planta|manufactur|ensambl|envasad|empaque|proceso|industrial|"
        r"quimic|laboratorio|maquinista|operador de maquina|quality|regulatory|asuntos regulatorios|"
        r"control de procesos|metalurg|textil|costurer|confeccion)",
    ),
    (
        "sales",
        r"\b(vended|ventas|venta|comercial|sales|ejecutiv[oa] de cuentas|key account|account (manager|executive)|"
        r"ejecutiv[oa](/a)? de cuentas|preventista|e-?commerce|asesor|promotor|cajer|retail|tienda|sucursal|"
        r"representante|business development|desarrollo de negocios|"
        r"preventa|inmobiliari|real estate|seguros|kam\b|telev)",
    ),
    (
        "administration",
        r"\b(administrativ|administracion|administrador|asistente|secretari|recepcionista|data entry|"
        r"back ?office|assistant|office|auxiliar|gerente general|general manager|direct|gerente|"
        r"coordinador|jefe|project manager|gestor|analista|oficina|cadete|ceo\b|operaciones)",
    ),
)
_TITLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((s, re.compile(p)) for s, p in _TITLE_RULES)

_COUNTRY_NAMES = {"ecuador": "ec", "argentina": "ar", "colombia": "co", "peru": "pe", "mexico": "mx", "chile": "cl"}
_COUNTRY_CODES = frozenset(_COUNTRY_NAMES.values())
_NAVENT_PORTALS = frozenset({"bumeran", "zonajobs"})
# Computrabajo's export joins the employer's skill chips with ". " (its scraper turned the commas into
# periods); "Node.js" or "ASP.NET" keep their inner period because no space follows it.
_TAG_SEPARATOR = re.compile(r"\.\s+|[;,]\s*")


class MalformedPostingsError(ValueError):
    """A postings file, or one record of it, is not in the expected shape."""

    def __init__(self, file: Path | str, record: str | int | None, problem: str) -> None:
        self.file = Path(file).name
        self.record = record
        where = self.file if record is None else f"{self.file}, record {record}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class RealPosting:
    """One posting as the reader returns it (titles and descriptions stripped; Ecuador's tabs back to newlines)."""

    file: str
    id: str
    title: str
    description: str
    portal: str
    country: str
    area: str | None
    employer: str | None
    published: str | None
    employer_tags: tuple[str, ...] = ()

    @property
    def sector(self) -> str:
        return sector_of(self)


def _fold(text: str) -> str:
    """Lower case without accents, so rules match "Técnico" and "TECNICO" alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _sector_from_text(text: str) -> str | None:
    folded = _fold(text)
    for sector, pattern in _TITLE_PATTERNS:
        if pattern.search(folded):
            return sector
    return None


def sector_of(posting: RealPosting) -> str:
    """The posting's sector, one of ``SECTORS`` (rules in the module docstring)."""
    area_sector = _AREA_SECTORS.get(posting.area.strip()) if posting.area else None
    if area_sector is not None and area_sector != "other":
        return area_sector
    from_title = _sector_from_text(posting.title)
    if from_title is not None:
        return from_title
    if posting.area and area_sector is None:
        from_area = _sector_from_text(posting.area)
        if from_area is not None:
            return from_area
    return "other"


def split_employer_tags(raw: str) -> tuple[str, ...]:
    """Computrabajo's joined skill chips as separate tags, in order, without blanks or repeats."""
    tags: list[str] = []
    for part in _TAG_SEPARATOR.split(raw):
        tag = part.strip().rstrip(".").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _open_text(path: Path) -> str:
    try:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        return data.decode("utf-8")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise MalformedPostingsError(path, None, f"cannot read the file ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise MalformedPostingsError(path, None, f"not UTF-8 text ({exc})") from exc


def _country_from_name(path: Path) -> str | None:
    for token in re.split(r"[_.\-]", path.name.lower()):
        if token in _COUNTRY_CODES:
            return token
    return None


def _optional(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_navent_json(path: Path) -> Iterator[RealPosting]:
    try:
        snapshot = json.loads(_open_text(path))
    except json.JSONDecodeError as exc:
        raise MalformedPostingsError(path, None, f"not valid JSON ({exc})") from exc
    offers = snapshot.get("ofertas") if isinstance(snapshot, dict) else None
    if not isinstance(offers, list):
        raise MalformedPostingsError(path, None, 'expected an object with an "ofertas" list')
    country = _country_from_name(path)
    if country is None:
        raise MalformedPostingsError(path, None, "no country code (e.g. _ar_) in the file name")
    for index, offer in enumerate(offers):
        if not isinstance(offer, dict):
            raise MalformedPostingsError(path, index, f"expected an object, got {type(offer).__name__}")
        record = offer.get("id", index)
        for key in ("id", "titulo", "fuente"):
            if not isinstance(offer.get(key), str | int) or not str(offer[key]).strip():
                raise MalformedPostingsError(path, record, f'missing or empty "{key}"')
        description = offer.get("descripcion_full") or ""
        if not isinstance(description, str):
            raise MalformedPostingsError(path, record, '"descripcion_full" is not text')
        portal = str(offer["fuente"]).strip().lower()
        if portal not in _NAVENT_PORTALS:
            raise MalformedPostingsError(path, record, f'unknown "fuente" {portal!r} (expected bumeran or zonajobs)')
        yield RealPosting(
            file=path.name,
            id=str(offer["id"]).strip(),
            title=str(offer["titulo"]).strip(),
            description=description.strip(),
            portal=portal,
            country=country,
            area=None,
            employer=_optional(offer.get("empresa")),
            published=_optional(offer.get("fecha_publicacion")),
        )


_CSV_REQUIRED = ("id", "titulo", "descripcion")


def _read_computrabajo_csv(path: Path) -> Iterator[RealPosting]:
    reader = csv.DictReader(io.StringIO(_open_text(path), newline=""))
    columns = reader.fieldnames or []
    missing = [c for c in _CSV_REQUIRED if c not in columns]
    if missing:
        raise MalformedPostingsError(path, None, f"missing column(s) {', '.join(missing)}")
    name_country = _country_from_name(path)
    try:
        for row in reader:
            # DictReader's line_num is the physical line where the record ends (descriptions may span lines).
            record = row.get("id") or f"line {reader.line_num}"
            if None in row or any(row[c] is None for c in columns):
                raise MalformedPostingsError(path, record, f"expected {len(columns)} fields (line {reader.line_num})")
            if not row["id"].strip() or not row["titulo"].strip():
                raise MalformedPostingsError(path, record, 'missing or empty "id" or "titulo"')
            country = _COUNTRY_NAMES.get(_fold(row.get("pais") or "").strip()) or name_country
            if country is None:
                raise MalformedPostingsError(path, record, "no country (pais column or _xx_ in the file name)")
            yield RealPosting(
                file=path.name,
                id=row["id"].strip(),
                title=row["titulo"].strip(),
                description=row["descripcion"].replace("\t", "\n").strip(),
                portal=(row.get("origen") or "computrabajo").strip().lower(),
                country=country,
                area=_optional(row.get("areaName")) or _optional(row.get("categoria")),
                employer=_optional(row.get("empresa")),
                published=_optional(row.get("fechaHoraPublicacion")),
                employer_tags=split_employer_tags(row.get("skills") or ""),
            )
    except csv.Error as exc:
        raise MalformedPostingsError(path, f"line {reader.line_num}", f"bad CSV ({exc})") from exc


def read_real_postings(path: Path) -> Iterator[RealPosting]:
    """Every posting of a Navent JSON snapshot (``*.json[.gz]``) or a Computrabajo CSV export (``*.csv[.gz]``).

    Raises ``MalformedPostingsError`` (a ``ValueError``) naming the file and the record on malformed input.
    """
    path = Path(path)
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".json"):
        return _read_navent_json(path)
    if name.endswith(".csv"):
        return _read_computrabajo_csv(path)
    raise MalformedPostingsError(path, None, "unknown postings format (expected .json, .json.gz, .csv or .csv.gz)")


class MissingPostingsError(FileNotFoundError):
    """The real postings folder is absent, holds no postings file, or lacks the file asked for; the message (one
    line) names the folder and the setting that moves it."""

    def __init__(self, folder: Path, name: str | None = None) -> None:
        if not folder.is_dir():
            state = "does not exist"
        elif name is not None:
            state = f"holds no {name}"
        else:
            state = "holds no postings files (*.json[.gz], *.csv[.gz])"
        super().__init__(
            f"the real postings folder {folder} {state}: set {REAL_POSTINGS_ENV} to the folder of the postings files"
        )
        self.folder = folder
        self.name = name


def shared_postings_dir() -> Path:
    """The folder of the real postings files: ``$OBSERVATORY_REAL_POSTINGS_DIR`` when set, else
    ``../shared/postings`` beside the checkout (``SHARED_POSTINGS``)."""
    explicit = os.environ.get(REAL_POSTINGS_ENV)
    if explicit:
        return Path(explicit).expanduser().absolute()
    return SHARED_POSTINGS


def shared_postings_files(required: bool = False) -> list[Path]:
    """The postings files of the real postings folder (:func:`shared_postings_dir`) that exist: ``[]`` when the
    folder is absent, or, when ``required``, a :class:`MissingPostingsError` naming the folder and the setting."""
    folder = shared_postings_dir()
    files = (
        sorted(p for p in folder.iterdir() if p.is_file() and _POSTINGS_FILE.search(p.name)) if folder.is_dir() else []
    )
    if required and not files:
        raise MissingPostingsError(folder)
    return files


def shared_postings_file(name: str) -> Path:
    """The postings file ``name`` of the real postings folder; a :class:`MissingPostingsError` naming the folder and
    the setting when it is not there."""
    path = shared_postings_dir() / name
    if not path.is_file():
        raise MissingPostingsError(path.parent, name)
    return path
