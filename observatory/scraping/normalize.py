"""Normalisation of scraped fields: dates, salaries, places, contract and work-mode vocabularies, clean text.

Every parser keeps the raw string beside the parsed value (the caller stores both) and returns ``None``
for what it cannot read rather than guessing.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
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

# The pay period, checked in order on the salary text with counted durations taken out: "8 horas" and "45hs
# semanales" say how long one works, not per what one is paid. Failing a period word, a shift's pay ("por jornada",
# "$ 1.200 por 8 horas", where \ue000 stands for the bare duration taken out) is a day's pay; "por 4 horas diarias"
# (\ue001) is the length of the working day, not a shift rate.
_PERIOD_WORDS = [
    (r"por hora|la hora|/ ?h(ora|r)?\b|\bhora\b|\bhourly\b|\bper hour\b", "hour"),
    (r"\bdiari[oa]s?\b|por dia|al dia|\bjornal\b|\bdaily\b|\bper day\b|/ ?dia\b", "day"),
    (r"\bsemanal(es)?\b|por semana|a la semana|\bweekly\b|\bper week\b", "week"),
    (r"\bquincena(l|les)?\b|\bbiweekly\b|\bfortnight(ly)?\b|\bcatorcenal\b", "fortnight"),
    (r"\bmensual(es)?\b|por mes|al mes|\bmes\b|\bmonthly\b|\bper month\b|/ ?mes\b", "month"),
    (r"\banual(es)?\b|por ano|al ano|\bannual(ly)?\b|\bper year\b|\byearly\b", "year"),
    (r"por (?:una |la |cada )?(?:jornada|turno)\b|por \ue000", "day"),
]
# Conversion to a month: a 44-hour, six-day working week (the common legal week in the region), 52/12 weeks a month.
WEEKS_PER_MONTH = 52 / 12
MONTHLY_FACTOR = {
    "hour": 44 * WEEKS_PER_MONTH,
    "day": 6 * WEEKS_PER_MONTH,
    "week": WEEKS_PER_MONTH,
    "fortnight": 2.0,
    "month": 1.0,
    "year": 1 / 12,
}
# Each currency's signs and its names in words or codes. A name in the clause of an amount is its currency
# ("Salario en dólares: $ 1.500"); a sign alone ("Bs.", "S/", "ves") names it only right at an amount: "Bs. As." is
# Buenos Aires, "s/ exp." is "sin experiencia", and "como ves" is no bolívar. Checked in order: the longer signs
# first ("US$" before "$").
_CURRENCY_FORMS = [
    ("USD", None, r"us\$|u\$s|u\$d|\busd\b|dolar(es)?\b|\bdollars?\b"),
    ("PEN", r"\bs/\.?", r"\bsoles\b|\bpen\b"),
    ("VES", r"\bbs\.?(s|f)?\b|\bves\b", r"\bbolivares\b"),
    ("CRC", r"₡", r"\bcolones\b|\bcrc\b"),
    ("EUR", None, r"€|\beur(os)?\b"),
    ("COP", None, r"\bcop\b"),
    ("MXN", None, r"\bmxn\b"),
    ("ARS", None, r"\bars\b"),
    ("CLP", None, r"\bclp\b"),
]
_CURRENCIES = [("|".join(filter(None, (signs, names))), code) for code, signs, names in _CURRENCY_FORMS]
_CURRENCY_NAMES = [(names, code) for code, _, names in _CURRENCY_FORMS]
# A currency written right before an amount ("$ 850.000", "USD $50", "S/. 3.000") or right after it ("460.00 US$",
# "730.000 pesos"); "$" and "pesos" alone are the country's own currency.
_SIGN_BEFORE = re.compile(
    r"(?:^|[^a-z$])(usd\s*\$|us\$|u\$s|u\$d|usd|\$|s/\.?|bs\.?|₡|€|ars|cop|clp|mxn|pen|crc|eur)\s*:?\s*$"
)
_SIGN_AFTER = re.compile(
    r"\s*(us\$|u\$s|u\$d|usd|\$|dolares|dollars?|pesos|ars|cop|clp|mxn|pen|soles|colones|crc|euros?|€|bs\.?)(?![a-z])"
)
# What makes a number no amount: a unit after it (hours, days, years, a percentage, a count of sales or
# people, "5x2" shifts, Colombian minimum wages "1 SMMLV"), a time or a date around it ("9:00", "20/10/2025").
_UNIT_AFTER = re.compile(
    r"\s*(?:%|por ?ciento\b|(?:horas|hrs|hs|h|dias|semanas|meses|anos?|am|pm|min|minutos|km|kg|personas"
    r"|ventas|vacantes|puestos|smmlv|smlv|salarios? minimos?|x)(?![a-z])"
    r"(?:\s*(?P<per>semanal(?:es)?|diari[oa]s?|mensual(?:es)?|por (?:semana|dia|mes)|al (?:dia|mes)|a la semana)\b)?)"
)
_CLOCK_AFTER = re.compile(r"[:/]\d")
_CLOCK_BEFORE = re.compile(r"(?:^|[^\d.,])\d{1,2}[:/]$|(?:^|[^a-z])x\s*$")
_DAYS_OFF = re.compile(r"\bfrancos? (?:semanal(?:es)?|rotativos?)\b")
# Two amounts joined as a range: "900.000 a 1,2 millones", "Entre $ 2.000.000 y $ 2.500.000", "USD 50–100",
# "1.000.00 US$ a 1.200.00 US$", "$1.000.000 /$2.500.000".
_SIGNS = r"(?:usd\s*\$|us\$|u\$s|usd|\$|s/\.?|₡|€|ars|cop|clp|mxn|pen|crc|pesos|dolares)?"
_RANGE_JOIN = re.compile(rf"\s*{_SIGNS}\s*(?:a|-|–|—|y|al|hasta|y hasta|/|to)\s*{_SIGNS}\s*")
# Letter-spaced digits, as some ads write them: "$ 2. 0 0 0. 0 0 0", "USD 7 0 0".
_SPACED_DIGITS = re.compile(r"(?<![\w.,'])\d(?:[.,]? \d){2,}(?![\w'])(?!\s\d)")
# An amount: digits with "." or "," marks, or thousands grouped by spaces or apostrophes ("650 000", "1'200.000";
# squash turns the no-break spaces U+00A0 and U+202F into plain ones). A spaced group starts with at most three
# digits and goes on in groups of exactly three, so "2024 500" stays two numbers. A scale word may follow
# ("2,5 millones", "1,5 M", "USD 2k", "$900 mil"); the text is folded to lower case first.
_NUMBER = r"\d{1,3}(?:[ '\u2019]\d{3})+(?![\d'\u2019])(?:[.,]\d+)?|\d[\d.,]*"
_AMOUNT = re.compile(rf"(?P<number>{_NUMBER})(?:\s*(?P<scale>millones|millon|mil|mm|m|k)\b)?")
_GROUP_SPACE = re.compile(r"[ '\u2019]")
_SCALES = {"millones": 1e6, "millon": 1e6, "mm": 1e6, "m": 1e6, "mil": 1e3, "k": 1e3}
_NO_SALARY = re.compile(r"convenir|confidencial|no (especificado|informado|disponible)|negociable|^[-—\s]*$")
# "+" starts what is paid on top of the base ("$ 800.000 + comisiones", "básico+premios"), but "C++" is a skill.
_PLUS = re.compile(r"(?<!\+)\+(?!\+)")
# Where the clause of an amount ends: a currency word beyond it is not the amount's ("$ 900.000. Bono en dólares").
_CLAUSE_END = re.compile(r"[;|!?]|[.,](?=\s|$)")
# "M" after an amount is a million in most of the region's writing ("1,5 M", "neto de 1, 8 M") but "miles"
# (thousands) in some Colombian writing ("$ 800M"). A monthly wage in any currency of the region comes to this
# much (the country's own plausibility check follows in the analysis): only one reading can fall inside, and
# where neither does, or both do and differ, the amount is ambiguous rather than guessed.
M_MONTHLY_WAGE = (1e5, 1e8)


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


@dataclass(frozen=True)
class _Number:
    """One number of salary text: where it is, its scale word, the currency written at it, whether it is money."""

    number: str
    scale: float
    start: int
    end: int
    sign: str | None  # the currency sign or word right before or after it
    unit_end: int | None  # the end of the unit after it ("8 horas"): a count, not money
    per: bool  # the unit is per something ("45hs semanales", "4 horas diarias")
    money: bool
    letter_m: bool = False  # the scale word is a bare "M": millions or thousands (see M_MONTHLY_WAGE)


def _numbers(text: str) -> list[_Number]:
    found: list[_Number] = []
    for m in _AMOUNT.finditer(text):
        number, scale = m.group("number").rstrip(".,"), _SCALES.get(m.group("scale") or "", 1.0)
        end = m.start() + len(number) if scale == 1 else m.end()
        before, after = text[max(0, m.start() - 12) : m.start()], text[end : end + 40]
        sign_before, sign_after = _SIGN_BEFORE.search(before), _SIGN_AFTER.match(after)
        signs = [s.group(1) for s in (sign_before, sign_after) if s]
        # A currency code beats a bare "$" on the other side ("$ 1.000 USD" is in dollars).
        sign = next((s for s in signs if _currency_code(s)), signs[0] if signs else None)
        unit = None if sign else _UNIT_AFTER.match(after)
        clock = (
            not sign
            and scale == 1
            and (
                (len(number) <= 2 and _CLOCK_AFTER.match(after) is not None) or _CLOCK_BEFORE.search(before) is not None
            )
        )
        money = unit is None and not clock
        unit_end = end + unit.end() if unit else None
        per, letter_m = bool(unit and unit.group("per")), m.group("scale") == "m"
        found.append(_Number(number, scale, m.start(), end, sign, unit_end, per, money, letter_m))
    # "9 a 18 hs", "de 10 a 14": the other end of a range of hours (or of anything counted) is no amount either.
    for i, (a, b) in enumerate(itertools.pairwise(found)):
        if not _RANGE_JOIN.fullmatch(text[a.end : b.start]) or a.sign or b.sign or a.scale != 1 or b.scale != 1:
            continue
        hours = all(re.fullmatch(r"\d{1,2}", n.number) and int(n.number) <= 24 for n in (a, b))
        if hours or not a.money or not b.money:
            found[i] = replace(a, sign=None, money=False)
            found[i + 1] = replace(b, sign=None, money=False)
    return found


def _currency_code(text: str) -> str | None:
    return next((code for pattern, code in _CURRENCIES if re.search(pattern, text)), None)


@dataclass(frozen=True)
class SalaryReading:
    """What salary text says: one amount or a range, the currency written, the pay period written.

    ``currency`` is ``None`` when only ``$``, ``pesos`` or nothing is written: the caller's country currency then.
    ``period`` is ``None`` when no pay period is written; ``undisclosed`` is true for "A convenir" and the like.
    ``extra`` is what is written after ``+`` (commissions, a bonus), kept as text: it is not base pay.
    """

    amounts: tuple[float, ...]
    currency: str | None
    period: str | None
    undisclosed: bool = False
    extra: str | None = None


def read_salary(raw: str) -> SalaryReading:
    """Read salary text as the portals write it: the first amount, or the two ends of the first range, with the
    currency written at it and the pay period written in its clause. What follows ``+`` is pay on top of the base
    (``$ 500.000 + $ 200.000 de bono``): the amounts are the base pay, and the rest is kept in ``extra``.

    Numbers that are hours, days, years, percentages, times, dates or counts are no amounts (``$ 1.200 por 8
    horas`` is 1,200 a shift; ``lunes a viernes 9 a 18 hs, $ 650.000`` is 650,000). Where a currency is written at
    some amount, only such amounts and the other ends of their ranges count. The currency is the one written at
    the amount read, or in its clause (``Salario en dólares: $ 1.500``), never one named elsewhere in the text. A
    scale word after a range's second amount applies to a bare first one when that makes a range (``$2,5 a $3
    millones``, ``2.500 a 3 millones``); a bare "M" is a million or a thousand as :data:`M_MONTHLY_WAGE` says.
    Raises :class:`AmountError` for an amount that cannot be read without a guess, a zero, a sign or exponent
    notation.
    """
    squashed = " ".join(raw.split())
    parts = _PLUS.split(squashed, maxsplit=1)
    extra = (parts[1].strip() or None) if len(parts) > 1 else None
    folded = fold(squashed)
    base = _SPACED_DIGITS.sub(lambda m: m.group().replace(" ", ""), fold(parts[0]))
    issue = salary_text_issue(base)
    if issue:  # "-5000" is not 5000, "1e308" is not 1 to 308
        raise AmountError(issue)
    numbers = _numbers(base)
    money = [n for n in numbers if n.money]
    undisclosed = _NO_SALARY.search(folded) is not None
    if undisclosed or any(n.sign for n in money):
        # A currency written at some amounts says which numbers are pay: those and the other ends of their ranges.
        joined = {
            i
            for i, (a, b) in enumerate(itertools.pairwise(money))
            if _RANGE_JOIN.fullmatch(base[a.end : b.start]) and (a.sign or b.sign)
        }
        money = [n for i, n in enumerate(money) if n.sign or i in joined or i - 1 in joined]
    if not money:
        return SalaryReading((), _currency_code(base), _period(base, numbers, 0, len(base)), undisclosed, extra)
    pair = len(money) > 1 and _RANGE_JOIN.fullmatch(base[money[0].end : money[1].start]) is not None
    # The pay period and a currency named in words are those of the amount's clause: "Sueldo $ 900.000. Bono anual
    # en dólares" is a monthly wage in pesos.
    start, end = _clause(base, money[0].start, money[1 if pair else 0].end)
    period = _period(base, numbers, start, end)
    first = _scaled(money[0], period)
    second = _scaled(money[1], period) if pair else None
    high = parse_amount(second.number, second.scale) if second else None
    low = _range_start(first, second, high) if second and high is not None else parse_amount(first.number, first.scale)
    amounts = (low,) if high is None else (low, high)
    if 0 in amounts:
        raise AmountError("zero amount")  # "$ 0,00": a form left blank, not a wage
    sign = first.sign or (second.sign if second else None)
    currency = _currency_code(sign) if sign else None
    if currency is None and (sign is None or not any(_currency_code(n.sign or "") for n in money)):
        # "$" beside an amount in USD is pesos; otherwise a currency word in the amount's clause names it.
        currency = next((code for pattern, code in _CURRENCY_NAMES if re.search(pattern, base[start:end])), None)
    return SalaryReading(amounts, currency, period, False, extra)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause around ``text[start:end]`` starts and ends (the clause ends before and after it)."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return before[-1] if before else 0, after.start() if after else len(text)


def _period(text: str, numbers: list[_Number], start: int, end: int) -> str | None:
    """The pay period written in ``text[start:end]``, counted durations ("8 horas", "45hs semanales") taken out."""
    pieces, kept = [], start
    for n in numbers:
        if n.unit_end is not None and start <= n.start < end:
            pieces += [text[kept : n.start], "\ue001" if n.per else "\ue000"]
            kept = n.unit_end
    durations = _DAYS_OFF.sub("\ue000", "".join([*pieces, text[kept:end]]))
    return next((p for pattern, p in _PERIOD_WORDS if re.search(pattern, durations)), None)


def _scaled(n: _Number, period: str | None) -> _Number:
    """``n`` with a bare "M" read as millions or thousands: the one reading that can be a wage (M_MONTHLY_WAGE)."""
    if not n.letter_m:
        return n
    low, high = M_MONTHLY_WAGE
    readings = {}
    for scale in (1e6, 1e3):
        try:
            value = parse_amount(n.number, scale)
        except AmountError:
            continue
        if low <= value * MONTHLY_FACTOR[period or "month"] < high:
            readings[scale] = value
    if len(set(readings.values())) != 1:  # neither reading is a wage, or both are and differ
        raise AmountError(AMBIGUOUS)
    # "1.500 M" reads the same either way (1.5 million, 1,500 thousand): the million reading is kept then.
    return replace(n, scale=max(readings))


def _range_start(first: _Number, second: _Number, high: float) -> float:
    """The first end of a range; a bare one takes the second's scale word when only that makes a range."""
    try:
        low: float | None = parse_amount(first.number, first.scale)
    except AmountError:
        low = None
    if first.scale == 1 and second.scale != 1 and (low is None or not high / 10 <= low <= high):
        try:
            scaled = parse_amount(first.number, second.scale)
        except AmountError:
            scaled = None
        if scaled is not None and high / 10 <= scaled <= high:
            return scaled
    return low if low is not None else parse_amount(first.number, first.scale)


def read_amounts(text: str) -> list[float]:
    """The amount, or the two ends of the range, that :func:`read_salary` reads in ``text``."""
    return list(read_salary(text).amounts)


# The salary columns are NUMERIC(14, 2): a larger amount cannot be stored, let alone be a salary.
MAX_SALARY = 1e12
# The stored names of pay periods (a fortnight is stored as "biweekly").
SALARY_PERIODS = ("hour", "day", "week", "biweekly", "month", "year")
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

    Reads with :func:`read_salary`, as the analysis does: ``$ 11.111,00 (Mensual)``, ``S/. 3.000,00 (Mensual) +
    Comisiones``, ``$4 a $4,5 millones``, ``Entre $2.000.000 y $2.500.000``, ``USD 1,500 - 2,000``, ``CRC 650 000``;
    ``A convenir``/``confidencial`` give no numbers. ``$`` or nothing is ``default_currency``; no period word is a
    month, as portals in the region quote pay.
    Text that cannot be read without changing it (``-5000``, ``1e308``, an amount past :data:`MAX_SALARY`)
    gives no numbers and says why in ``salary_issue``, so it is flagged rather than stored as something else.
    Pay written after ``+`` (``+ $ 200.000 de bono``) is not in the numbers; it is noted in ``salary_extra``.
    """
    out: dict[str, Any] = {"salary_min": None, "salary_max": None, "salary_currency": None, "salary_period": None}
    text = squash(raw)
    if not text:
        return out
    try:
        reading = read_salary(text)
    except AmountError as exc:
        return {**out, "salary_issue": str(exc)}
    if reading.extra:
        out["salary_extra"] = reading.extra
    numbers = reading.amounts
    if not numbers:
        return out
    if max(numbers) >= MAX_SALARY:
        return {**out, "salary_issue": "amount out of range"}
    period = reading.period or "month"  # portals in the region quote monthly pay unless they say otherwise
    out.update(
        salary_min=min(numbers),
        salary_max=max(numbers),
        salary_currency=reading.currency or default_currency,
        # The stored vocabulary's name for a fortnight.
        salary_period="biweekly" if period == "fortnight" else period,
    )
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
