"""Privacy redaction of posting text before it leaves the machine: e-mails, phone numbers, national ids and the
names that follow "contactar a" / "enviar CV a" become placeholders.

Redaction runs on every text put into a prompt (context snippets and mention surfaces alike), for every backend,
so a cached prompt, a log line or a request body never holds a recruiter's address or a candidate's id.
"""

from __future__ import annotations

import re

EMAIL = "[EMAIL]"
PHONE = "[TELÉFONO]"
NATIONAL_ID = "[DOCUMENTO]"
PERSON = "[NOMBRE]"
URL = "[URL]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# URLs can carry e-mails or names in query strings; a skill never needs one.
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# National ids named as such: DNI, CC / C.C., cédula, RUT / RUN, CUIT / CUIL, CURP, RFC, NIT, CI, pasaporte.
_ID_WORDS = (
    r"(?:d\.?n\.?i|c\.?c|c[eé]dula(?:\s+de\s+ciudadan[ií]a)?|r\.?u\.?[tn]|cuit|cuil|curp|rfc|nit|c\.?i"
    r"|pasaporte|documento(?:\s+de\s+identidad)?)"
)
_NATIONAL_ID = re.compile(
    r"\b" + _ID_WORDS + r"\.?(?:\s*|(?=\W))(?:n[°ºo.]*\s*|no\.?\s*|:\s*|#\s*)?"
    r"(\d[\d.\-]{4,18}\d|[A-Z]{3,4}\d{6}[A-Z0-9]{3,8})\b",
    re.IGNORECASE,
)
# Formatted ids without a label: Chilean RUT 12.345.678-9, Argentine CUIT 20-12345678-3.
_RUT = re.compile(r"\b\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b")
_CUIT = re.compile(r"\b\d{2}-\d{8}-\d\b")
# Phones: optional +country code, then 7 to 13 digits in groups separated by spaces, dots, dashes or parentheses.
_PHONE = re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,12}(?![\w])")
# A person's name after "contactar a", "enviar (la) hoja de vida / CV a", "comunicarse con", "preguntar por":
# one to four capitalised words (particles "de", "del", "la" allowed in between).
# Case-sensitive inside the case-insensitive pattern: a name is capitalised words, "nuestro equipo" is not.
_NAME_WORD = r"(?-i:[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)"
_PERSON = re.compile(
    r"(?P<lead>\b(?:contact(?:ar|e|a|arse)\s+(?:a|con)|enviar?\s+(?:(?:su|tu|la|el)\s+)?(?:cv|c\.v\.|hoja\s+de\s+vida"
    r"|curr[ií]culum(?:\s+vitae)?)\s+(?:a|al\s+se[ñn]or|a\s+la\s+se[ñn]ora)|comunicarse\s+con|preguntar\s+por"
    r"|dirigirse\s+a)\s+(?:(?:el|la|los)\s+)?(?:(?:se[ñn]ora?|sr|sra|srta|lic|ing|dr|dra)\.?\s+)?)"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:(?-i:de|del|la|los)\s+){{0,2}}{_NAME_WORD}){{0,3}})",
    re.IGNORECASE,
)


# Money with thousands separators ("2.500.000", "1,200,000") has as many digits as a phone number.
_MONEY = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def _person(match: re.Match[str]) -> str:
    return match.group("lead") + PERSON


def _phone(match: re.Match[str]) -> str:
    return match.group(0) if _MONEY.fullmatch(match.group(0)) else PHONE


def redact(text: str) -> str:
    """``text`` with personal data replaced by placeholders ([EMAIL], [TELÉFONO], [DOCUMENTO], [NOMBRE], [URL]).

    Order matters: URLs and e-mails first (they contain digits and names), ids before phones (a cédula number
    looks like a phone number), names last.
    """
    if not text:
        return text
    text = _URL.sub(URL, text)
    text = _EMAIL.sub(EMAIL, text)
    text = _NATIONAL_ID.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + NATIONAL_ID, text)
    text = _RUT.sub(NATIONAL_ID, text)
    text = _CUIT.sub(NATIONAL_ID, text)
    text = _PHONE.sub(_phone, text)
    return _PERSON.sub(_person, text)
