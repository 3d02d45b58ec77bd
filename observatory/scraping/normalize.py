"""Normalisation of scraped fields: dates, salaries, places, contract and work-mode vocabularies, clean text.

Every parser keeps the raw string beside the parsed value (the caller stores both) and returns ``None``
for what it cannot read rather than guessing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html

MONTHS = {
    "ene": 1,
    "enero": 1,
    "feb": 2,
    "febrero": 2,
    "mar": 3,
    "marzo": 3,
    "abr": 4,
    "abril": 4,
    "may": 5,
    "mayo": 5,
    "jun": 6,
    "junio": 6,
    "jul": 7,
    "julio": 7,
    "ago": 8,
    "agosto": 8,
    "sep": 9,
    "sept": 9,
    "septiembre": 9,
    "setiembre": 9,
    "oct": 10,
    "octubre": 10,
    "nov": 11,
    "noviembre": 11,
    "dic": 12,
    "diciembre": 12,
}


def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x250):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
        if base and base != chr(code):
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without accents (``Bogotá`` → ``bogota``); ``ñ`` folds to ``n`` too."""
    return text.lower().translate(_FOLD)


def squash(text: str | None) -> str | None:
    """Collapse whitespace; ``None`` for empty text."""
    if text is None:
        return None
    value = " ".join(str(text).split())
    return value or None


# ---------------------------------------------------------------------------------------------- dates


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


_RELATIVE = re.compile(
    r"hace\s+(?:m[aá]s\s+de\s+)?(\d+|un|una)\s*(minutos?|min|horas?|hs?|d[ií]as?|semanas?|mes(?:es)?)", re.I
)
_DMY = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_TEXT_DATE = re.compile(r"\b(\d{1,2})\s+(?:de\s+)?([a-záéíóú]+)\.?(?:\s+(?:de\s+|del\s+)?(\d{4}))?", re.I)


def parse_date(raw: str | None, timezone: str, now: datetime | None = None) -> datetime | None:
    """Parse an absolute or relative Spanish date to an aware UTC datetime.

    Accepts ISO dates (``2026-03-04``, with or without time/offset), ``DD-MM-YYYY [HH:MM:SS]``,
    ``11 Dic 2020`` / ``5 de octubre`` (current year, or last year when that would be in the future),
    and relative forms (``Hace  3  horas``, ``Ayer``, ``Hoy``, ``Hace 2 días``) resolved against ``now``
    (the crawl time). Times without an offset are read in the site's ``timezone``.
    """
    text = squash(raw)
    if not text:
        return None
    tz = ZoneInfo(timezone)
    now = (now or datetime.now(UTC)).astimezone(tz)
    low = fold(text)
    # ISO first: JSON-LD and APIs.
    iso = re.match(r"^(\d{4}-\d{2}-\d{2})([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$", text)
    try:
        return _absolute_date(text, low, iso, tz, now)
    except (ValueError, OverflowError):  # 31 Feb, 32/13/2024, or 9999-12-31T23:59 past the end of time in UTC
        return None


def _absolute_date(text: str, low: str, iso: re.Match[str] | None, tz: ZoneInfo, now: datetime) -> datetime | None:
    if iso:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz) if iso.group(2) else datetime.combine(value.date(), time(0), tzinfo=tz)
        return value.astimezone(UTC)
    # A written day-month-year decides, valid or not: "ayer-ish 32/13/2024" is no date, not yesterday.
    dmy = _DMY.search(low)
    if dmy:
        d, m, y = int(dmy.group(1)), int(dmy.group(2)), int(dmy.group(3))
        hh, mm, ss = (int(dmy.group(i) or 0) for i in (4, 5, 6))
        return datetime(y, m, d, hh, mm, ss, tzinfo=tz).astimezone(UTC)
    if re.search(r"(?<![\w-])(ahora|hace (un )?momentos?|recien)(?![\w-])", low):
        return now.astimezone(UTC)
    if re.search(r"(?<![\w-])hoy(?![\w-])", low):
        return _local_midnight(now.date(), tz)
    if re.search(r"(?<![\w-])ayer(?![\w-])", low):
        return _local_midnight(now.date() - timedelta(days=1), tz)
    if re.search(r"(?<![\w-])anteayer(?![\w-])", low):
        return _local_midnight(now.date() - timedelta(days=2), tz)
    rel = _RELATIVE.search(low)
    if rel:
        amount = 1 if rel.group(1) in ("un", "una") else int(rel.group(1))
        unit = rel.group(2)
        if unit.startswith("min"):
            return (now - timedelta(minutes=amount)).astimezone(UTC)
        if unit.startswith("h"):
            return (now - timedelta(hours=amount)).astimezone(UTC)
        if unit.startswith("d"):
            return _local_midnight(now.date() - timedelta(days=amount), tz)
        if unit.startswith("semana"):
            return _local_midnight(now.date() - timedelta(weeks=amount), tz)
        return _local_midnight(now.date() - timedelta(days=30 * amount), tz)
    for match in _TEXT_DATE.finditer(low):
        month = MONTHS.get(match.group(2).rstrip("."))
        if month is None:
            continue
        day = int(match.group(1))
        year = int(match.group(3)) if match.group(3) else now.year
        day_value = date(year, month, day)
        if not match.group(3) and day_value > now.date():
            day_value = day_value.replace(year=year - 1)
        return _local_midnight(day_value, tz)
    return None


def iso(value: datetime | None) -> str | None:
    """ISO 8601 string (UTC) or ``None``."""
    return value.astimezone(UTC).isoformat() if value else None


# -------------------------------------------------------------------------------------------- salary

_PERIODS = {
    "hora": "hour",
    "hour": "hour",
    "dia": "day",
    "diario": "day",
    "day": "day",
    "semana": "week",
    "semanal": "week",
    "week": "week",
    "quincena": "biweekly",
    "quincenal": "biweekly",
    "mes": "month",
    "mensual": "month",
    "month": "month",
    "año": "year",
    "ano": "year",
    "anual": "year",
    "year": "year",
}
_CURRENCY_SIGNS = [
    ("us$", "USD"),
    ("usd", "USD"),
    ("u$s", "USD"),
    ("s/.", "PEN"),
    ("s/", "PEN"),
    ("bs.", "VES"),
    ("bs", "VES"),
    ("₡", "CRC"),
    ("crc", "CRC"),
    ("colones", "CRC"),
    ("cop", "COP"),
    ("mxn", "MXN"),
    ("ars", "ARS"),
    ("clp", "CLP"),
    ("pen", "PEN"),
    ("eur", "EUR"),
    ("€", "EUR"),
]
# An amount: digits with "." or "," marks, or thousands grouped by spaces or apostrophes ("650 000", "1'200.000";
# squash turns the no-break spaces U+00A0 and U+202F into plain ones). A spaced group starts with at most three
# digits and goes on in groups of exactly three, so "2024 500" stays two numbers. A scale word may follow
# ("2,5 millones", "1,5 M", "USD 2k", "$900 mil"); the text is folded to lower case first.
_NUMBER = r"\d{1,3}(?:[ '\u2019]\d{3})+(?![\d'\u2019])(?:[.,]\d+)?|\d[\d.,]*"
_AMOUNT = re.compile(rf"(?P<number>{_NUMBER})(?:\s*(?P<scale>millones|millon|mil|mm|m|k)\b)?")
_GROUP_SPACE = re.compile(r"[ '\u2019]")
_SCALES = {"millones": 1e6, "millon": 1e6, "mm": 1e6, "m": 1e6, "mil": 1e3, "k": 1e3}
_NO_SALARY = re.compile(r"convenir|confidencial|no (especificado|informado)|^-$", re.I)


class AmountError(ValueError):
    """An amount whose marks cannot be read without a guess; the message is the short reason kept with the posting."""


IRREGULAR = "amount with irregular digit groups"
AMBIGUOUS = "ambiguous amount"


def parse_amount(token: str, scale: float = 1.0) -> float:
    """An amount as written in the region, times ``scale`` (the scale word after it: 1e6 for "millones").

    Both marks (``1.250.000,00``, ``650,000.50``): the last one is the decimal mark, with one or two digits. One
    mark repeated (``1.250.000``): thousands, but a last group of two digits is decimal (``1.000.00``, a decimal
    comma that a scraper turned into a dot). One mark: thousands before exactly three digits (``650.000``,
    ``1,500``, ``1.250 mil``), else decimal (``4,5`` millones, ``3000.50``). Before a million word a lone mark is
    always decimal (``2.500 millones`` is 2.5 million: a thousand million is no wage). Irregular groups
    (``1.23.456``) and readings that need a guess (``1,2345``, ``1,234.567``) raise :class:`AmountError`.
    """
    number = _GROUP_SPACE.sub("", token).strip(".,")
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", number):
        raise AmountError(IRREGULAR if number else AMBIGUOUS)
    groups = re.split(r"[.,]", number)
    marks = [c for c in number if c in ".,"]
    if not marks:
        return float(number) * scale
    middle, last = groups[1:-1], groups[-1]
    head = re.split(r"[.,'\u2019 ]", token.strip(" .,"))[0]  # "1'200.000": the apostrophe's group counts
    if any(len(g) != 3 for g in middle):
        raise AmountError(IRREGULAR)  # "1.23.456": a typo, not an amount
    whole = "".join(groups[:-1])
    if len(set(marks)) == 2:
        if marks.count(marks[-1]) != 1 or len(head) > 3:
            raise AmountError(IRREGULAR)  # "1.000,000,00"
        if len(last) > 2:
            raise AmountError(AMBIGUOUS)  # "1,234.567": decimals, or thousands with mixed marks?
        return float(f"{whole}.{last}") * scale
    if len(marks) > 1:
        if len(head) > 3 or len(last) not in (2, 3):
            raise AmountError(IRREGULAR)
        return float(whole + last if len(last) == 3 else f"{whole}.{last}") * scale
    if len(last) == 3 and scale < 1e6:
        if len(head) > 3:
            raise AmountError(IRREGULAR)  # "10000,000": thousands are grouped from the first mark on
        return float(whole + last) * scale
    if len(last) > 3 and scale == 1:
        raise AmountError(AMBIGUOUS)  # "1,2345": four decimals are no price, and no thousands either
    return float(f"{whole}.{last}") * scale


def read_amounts(text: str, limit: int = 2) -> list[float]:
    """The first ``limit`` amounts of folded salary text (one amount, or the two ends of a range), scaled.

    A scale word covers the bare small amounts before it: ``$4 a $4,5 millones`` is 4 to 4.5 million,
    ``$900.000 a 1,2 millones`` 900 thousand to 1.2 million. Raises :class:`AmountError` for an unreadable one.
    """
    found = [(m.group("number"), _SCALES.get(m.group("scale") or "", 1.0)) for m in _AMOUNT.finditer(text)]
    amounts: list[float] = []
    for i, (number, scale) in enumerate(found[:limit]):
        value = parse_amount(number, scale)
        if scale == 1 and value < 1000:
            later = next((s for _, s in found[i + 1 :] if s != 1), 1.0)
            value = parse_amount(number, later) if later != 1 else value
        amounts.append(value)
    return amounts


# The salary columns are NUMERIC(14, 2): a larger amount cannot be stored, let alone be a salary.
MAX_SALARY = 1e12
_EXPONENT = re.compile(r"\d[eE][+-]?\d")
_MINUS = re.compile(r"[-\u2212]\s*(?:[$\u20ac]|us\$|usd|ars|cop|clp|mxn|pen)?\s*\d", re.I)


def salary_text_issue(text: str) -> str | None:
    """Why salary text must not be read as numbers: a minus sign or exponent notation (``-5000``, ``1e308``)."""
    if _EXPONENT.search(text):
        return "amount in exponent notation"
    for match in _MINUS.finditer(text):
        before = text[: match.start()].rstrip(" $\u20acusdarcoplmxne.:kKMió").rstrip()
        # "1.000 - 2.000" and "2K - 3K" are ranges; a minus after a word, a colon or nothing is a sign.
        if not before or not before[-1].isdigit():
            return "negative amount"
    return None


def parse_salary(raw: str | None, default_currency: str | None = None) -> dict[str, Any]:
    """Salary text to ``salary_min``/``salary_max``/``salary_currency``/``salary_period`` (and ``salary_issue``).

    Handles ``$ 11.111,00 (Mensual)``, ``S/. 3.000,00 (Mensual) + Comisiones``, ``$4 a $4,5 millones``,
    ``Entre $2.000.000 y $2.500.000``, ``USD 1,500 - 2,000``, ``CRC 650 000`` (thousands grouped by spaces,
    no-break spaces or apostrophes); ``A convenir``/``confidencial`` give no numbers.
    Text that cannot be read without changing it (``-5000``, ``1e308``, an amount past :data:`MAX_SALARY`)
    gives no numbers and says why in ``salary_issue``, so it is flagged rather than stored as something else.
    """
    out: dict[str, Any] = {"salary_min": None, "salary_max": None, "salary_currency": None, "salary_period": None}
    text = squash(raw)
    if not text or _NO_SALARY.search(text):
        return out
    issue = salary_text_issue(text.split("+")[0])
    if issue:
        return {**out, "salary_issue": issue}
    low = fold(text)
    for sign, code in _CURRENCY_SIGNS:
        if sign in low:
            out["salary_currency"] = code
            break
    else:
        if "$" in text or default_currency:
            out["salary_currency"] = default_currency
    for word, period in _PERIODS.items():
        if re.search(rf"\b{word}(es|s)?\b", low):
            out["salary_period"] = period
            break
    # Whatever follows "+" (commissions, bonuses) is not base pay.
    try:
        numbers = [n for n in read_amounts(low.split("+")[0]) if n > 0]
    except AmountError as exc:
        return {**out, "salary_issue": str(exc)}
    if not numbers:
        return out
    if max(numbers[:2]) >= MAX_SALARY:
        return {**out, "salary_issue": "amount out of range"}
    out["salary_min"] = min(numbers[:2])
    out["salary_max"] = max(numbers[:2])
    if out["salary_period"] is None:
        out["salary_period"] = "month"  # portals in the region quote monthly pay unless they say otherwise
    return out


# ------------------------------------------------------------------------------------------ location

_REMOTE_PLACES = {"remoto", "teletrabajo", "toda colombia", "todo el pais", "home office"}


def parse_location(raw: str | None, country: str) -> dict[str, Any]:
    """``"Monserrat, Capital Federal"`` → city/region; the country comes from the source."""
    out: dict[str, Any] = {"city": None, "region": None, "country": country}
    text = squash(raw)
    if not text:
        return out
    parts = [p.strip() for p in re.split(r"\s*[,|–]\s*|\s+-\s+", text) if p.strip()]
    if not parts or fold(parts[0]) in _REMOTE_PLACES:
        return out
    if len(parts) > 1 and fold(parts[1]).replace(".", "").replace(" ", "") in ("dc", "df"):
        # "Bogotá, D.C." is one place, not a city in a region called "D.C."
        parts = [f"{parts[0]}, {parts[1]}", *parts[2:]]
    out["city"] = parts[0]
    out["region"] = parts[1] if len(parts) > 1 else (parts[0] if "," in parts[0] else None)
    return out


# ------------------------------------------------------------------------------------- vocabularies

CONTRACT_TYPES = ("permanent", "fixed_term", "temporary", "freelance", "internship", "apprenticeship", "other")
WORK_MODES = ("onsite", "hybrid", "remote")

_CONTRACT_RULES = [
    (r"indefinido|permanente|relacion de dependencia|efectivo|planta|full_time_permanent", "permanent"),
    (r"termino fijo|plazo fijo|fijo|determinado|contract\b", "fixed_term"),
    (r"obra o labor|obra labor|temporal|eventual|temporary|por proyecto|proyecto", "temporary"),
    (r"prestacion de servicios|honorarios|freelance|independiente|monotributo|contractor", "freelance"),
    (r"practica|pasantia|practicante|intern", "internship"),
    (r"aprendiz|sena", "apprenticeship"),
]
_MODE_RULES = [
    (r"hibrid|presencial y remoto|mixto|hybrid|home_office", "hybrid"),
    (r"remot|teletrabajo|desde casa|home office|telecommute|i_home\b", "remote"),
    (r"presencial|on.?site|en oficina", "onsite"),
]


def contract_type(raw: str | None) -> str | None:
    """Map portal wording (``Contrato a término indefinido``, ``Monotributo``) to :data:`CONTRACT_TYPES`."""
    if not raw:
        return None
    low = fold(raw)
    for pattern, value in _CONTRACT_RULES:
        if re.search(pattern, low):
            return value
    return None


def work_mode(raw: str | None) -> str | None:
    """Map portal wording (``Presencial y remoto``, ``Híbrido``, ``TELECOMMUTE``) to :data:`WORK_MODES`."""
    if not raw:
        return None
    low = fold(raw)
    for pattern, value in _MODE_RULES:
        if re.search(pattern, low):
            return value
    return None


_EXPERIENCE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:a\s*\d+\s*)?(años?|anos?|meses)\s*(?:de\s+)?experiencia", re.I)


def experience_years(raw: str | None) -> float | None:
    """``3 años de experiencia`` → 3.0; ``6 meses de experiencia`` → 0.5; ``Sin experiencia`` → 0."""
    if not raw:
        return None
    low = fold(raw)
    if re.search(r"sin experiencia|no requiere experiencia", low):
        return 0.0
    match = _EXPERIENCE.search(low) or re.search(r"(\d+(?:[.,]\d+)?)\s*(anos?|meses)", low)
    if not match:
        return None
    value = float(match.group(1).replace(",", "."))
    return round(value / 12, 2) if match.group(2).startswith("mes") else value


# ---------------------------------------------------------------------------------------------- text

_BLOCK_TAGS = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "table"}
_SKIP_TAGS = {"script", "style", "noscript", "template"}


def _walk(element: Any, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS or not tag:  # scripts, styles, comments and processing instructions
        if element.tail:
            parts.append(element.tail)
        return
    if tag == "li":
        parts.append("\n- ")
    elif tag == "br":
        parts.append("\n")
    elif tag in _BLOCK_TAGS:
        parts.append("\n\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def html_to_text(fragment: str | None) -> str | None:
    """Clean text from description HTML, keeping paragraphs (blank lines) and bullets (``- ``).

    Scripts and styles are dropped; entities are decoded, so text such as ``<script>`` written *in*
    a posting survives as text for the report layer to escape.
    """
    if fragment is None:
        return None
    if "<" not in fragment:
        return clean_text(html.unescape(fragment))
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    parts: list[str] = []
    _walk(root, parts)
    return clean_text("".join(parts))


def clean_text(text: str | None) -> str | None:
    """Normalise whitespace line by line; at most one blank line between paragraphs; ``·``/``●`` bullets → ``- ``."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = re.sub(r"^[ \t]*[·•●▪◦\u2022*][ \t]*", "- ", text, flags=re.M)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "- ":
            continue
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    value = "\n".join(out).strip()
    return value or None


def restore_breaks(text: str | None) -> str | None:
    """Bumeran's ``detalle`` loses line breaks (``metas.Gestionar``); put them back before bullets and sentences."""
    if not text:
        return text
    text = re.sub(r"\s*[●•·▪]\s*", "\n- ", text)
    text = re.sub(r"(?<=[a-záéíóúñ0-9)][.:!?])(?=[A-ZÁÉÍÓÚÑ¿¡])", "\n", text)
    return clean_text(text)
