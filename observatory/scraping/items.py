"""The posting item: raw fields as the spiders read them, and the normalised record the pipelines produce.

:func:`normalise_posting` is the one normalisation used by the pipeline, ``observatory parse`` and the loader.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import scrapy

from observatory.limits import MAX_POSTING_CHARS
from observatory.scraping import normalize as nz
from observatory.scraping.fingerprint import content_hash, normalised_content, simhash
from observatory.scraping.readers import row_problem
from observatory.sources import SOURCES, Source


class PostingItem(scrapy.Item):
    """One job posting as extracted from a portal page (raw strings; see :func:`normalise_posting`)."""

    source_key = scrapy.Field()
    portal = scrapy.Field()
    country = scrapy.Field()
    native_id = scrapy.Field()
    url = scrapy.Field()
    title = scrapy.Field()
    company = scrapy.Field()
    description_html = scrapy.Field()  # HTML fragment
    description_text = scrapy.Field()  # plain text (APIs): never parsed as HTML
    location_raw = scrapy.Field()
    salary_raw = scrapy.Field()
    contract_raw = scrapy.Field()
    work_mode_raw = scrapy.Field()
    education = scrapy.Field()
    experience_raw = scrapy.Field()
    date_posted_raw = scrapy.Field()
    valid_through_raw = scrapy.Field()
    skills_tags = scrapy.Field()
    raw = scrapy.Field()  # portal-specific extras (JSON-LD, API record, chips)
    scraped_at = scrapy.Field()
    page_type = scrapy.Field()  # listing | detail | api


# Fields an analyst expects on a complete posting; missing ones are counted per crawl.
EXPECTED_FIELDS = (
    "title",
    "company",
    "description",
    "city",
    "date_posted",
    "salary_min",
    "contract_type",
    "work_mode",
    "education",
    "experience_years",
)

NATIVE_ID_PATTERNS = {
    "computrabajo": re.compile(r"^[0-9A-F]{32}$"),
    "bumeran": re.compile(r"^\d{4,12}$"),
    "elempleo": re.compile(r"^\d{5,12}$"),
}


# What portals print instead of an employer's name: not a company, so not counted as one.
_UNNAMED_EMPLOYERS = re.compile(
    r"^(empresa )?confidencial$|^importante empresa( del sector| lider)?|^reconocida empresa|^empresa lider", re.I
)


class RecordError(ValueError):
    """A raw item whose field cannot be read as what it names; the message is the short reason."""


def _scalar(item: dict[str, Any], field: str) -> str | None:
    """A field as text: strings and numbers as written (exports write ids as numbers), a list or object refused."""
    value = item.get(field)
    if value is None:
        return None
    if isinstance(value, dict | list | tuple | set):
        raise RecordError(f"{field} is not text ({type(value).__name__})")
    return str(value)


def _text(item: dict[str, Any], field: str) -> str | None:
    return nz.squash(_scalar(item, field))


def _tags(item: dict[str, Any]) -> list[str]:
    """Employer tags: a list, or one string of them as exports write it ("Excel, Tango; SQL")."""
    value = item.get("skills_tags")
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    elif value is not None and not isinstance(value, list | tuple):
        raise RecordError(f"skills_tags is not a list ({type(value).__name__})")
    return [tag for tag in (str(t).strip() for t in value or () if t is not None) if tag]


_BRANDS = {s.brand or s.portal for s in SOURCES.values()}


def _brand(raw_item: Any, source: Source) -> str:
    """The ad's own brand (Navent's ``portal`` field: ``zonajobs``, ``bumeran``), else the crawled site's."""
    own = str((raw_item.get("raw") or {}).get("brand") or "").strip().lower()
    return own if own in _BRANDS else (source.brand or source.portal)


def normalise_posting(item: Any, now: datetime | None = None, source: Source | None = None) -> dict[str, Any]:
    """Turn a raw :class:`PostingItem` (or dict) into the normalised posting record.

    Dates become ISO UTC strings (raw strings kept), salary text becomes min/max/currency/period,
    location becomes city/region/country, contract and work mode map to controlled vocabularies,
    the description HTML becomes clean text; the content hash and SimHash fingerprint are added.
    """
    raw_item = dict(item)
    source = source or SOURCES[raw_item["source_key"]]
    extras = raw_item.get("raw") or {}
    if not isinstance(extras, dict):
        raise RecordError(f"raw is not an object ({type(extras).__name__})")
    scraped_at = _scalar(raw_item, "scraped_at")
    if scraped_at:
        try:
            now = datetime.fromisoformat(scraped_at)
        except ValueError:
            raise RecordError("scraped_at is not an ISO date") from None
    now = now or datetime.now(UTC)
    description_html = _scalar(raw_item, "description_html")
    description = nz.html_to_text(description_html) if description_html else None
    description_text = _scalar(raw_item, "description_text")
    if description is None and description_text:
        description = nz.clean_text(description_text)
    title = _text(raw_item, "title")
    company_raw = _text(raw_item, "company")
    company = None if company_raw and _UNNAMED_EMPLOYERS.search(nz.fold(company_raw)) else company_raw
    location_raw = _text(raw_item, "location_raw")
    salary_raw = _text(raw_item, "salary_raw")
    date_raw = _text(raw_item, "date_posted_raw")
    valid_raw = _text(raw_item, "valid_through_raw")
    contract_raw, work_mode_raw = _text(raw_item, "contract_raw"), _text(raw_item, "work_mode_raw")
    experience_raw = _text(raw_item, "experience_raw")
    salary = nz.parse_salary(salary_raw, source.currency)
    # Salary text read as no numbers rather than other numbers ("-5000", "1e308") is flagged beside the posting,
    # and pay on top of the base ("+ $ 200.000 de bono") is noted there.
    salary_notes = {k: salary.pop(k) for k in ("salary_issue", "salary_extra") if k in salary}
    record: dict[str, Any] = {
        "source_key": source.key,
        "portal": source.portal,
        "country": source.country,
        "native_id": _text(raw_item, "native_id"),
        "url": raw_item.get("url"),
        "title": title,
        "company": company,
        "description": description,
        "location_raw": location_raw,
        **{k: v for k, v in nz.parse_location(location_raw, source.country).items() if k != "country"},
        "salary_raw": salary_raw,
        **salary,
        "contract_type": nz.contract_type(contract_raw),
        "work_mode": nz.work_mode(work_mode_raw),
        "education": _text(raw_item, "education"),
        "experience_years": nz.experience_years(experience_raw),
        "date_posted_raw": date_raw,
        "date_posted": nz.iso(nz.parse_date(date_raw, source.timezone, now)),
        "valid_through": nz.iso(nz.parse_date(valid_raw, source.timezone, now)),
        "skills_tags": _tags(raw_item),
        "scraped_at": now.astimezone(UTC).isoformat(),
        "page_type": raw_item.get("page_type"),
        "raw": {
            "contract": contract_raw,
            "work_mode": work_mode_raw,
            "experience": experience_raw,
            "valid_through": valid_raw,
            "company": company_raw,
            **extras,
            # The brand that published the ad (ZonaJobs and Bumeran share one backend and one id space).
            "brand": _brand(raw_item, source),
        },
    }
    record["raw"].update(salary_notes)
    content = normalised_content(title, company, description)
    record["content_hash"] = content_hash(title, company, description, content)
    record["fingerprint"] = simhash(title, company, description, content)
    return record


# What each stored field of a normalised record may hold. Text fields map to the longest value their column takes
# (None: unbounded). A record landed as already normalised may hold anything, so every field is checked before
# anything reads it: a wrong one is a reason to refuse the record, never an error in the load.
_TEXT_FIELDS: dict[str, int | None] = {
    "source_key": None,
    "portal": 32,
    "country": 2,
    "native_id": 128,
    "url": None,
    "title": None,
    "company": None,
    "description": None,
    "location_raw": None,
    "city": None,
    "region": None,
    "salary_raw": None,
    "salary_currency": 3,
    "salary_period": 16,
    "contract_type": 32,
    "work_mode": 16,
    "education": None,
    "date_posted_raw": None,
    "language": 8,
    "occupation_uri": None,
    "isco_code": 4,
    "occupation_method": None,
    "occupation_version": 32,
    "content_hash": 64,
    "page_type": None,
    "scraped_at": None,
}
_NUMBER_FIELDS = ("salary_min", "salary_max", "experience_years", "occupation_confidence")
_TIME_FIELDS = ("date_posted", "valid_through")
_VOCABULARIES = {
    "contract_type": nz.CONTRACT_TYPES,
    "work_mode": nz.WORK_MODES,
    "salary_period": nz.SALARY_PERIODS,
}
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
# Every field a normalised record may carry; the loader sets the posting's id, run and sightings itself.
RECORD_FIELDS = frozenset({*_TEXT_FIELDS, *_NUMBER_FIELDS, *_TIME_FIELDS, "raw", "skills_tags", "fingerprint"})


def _kind(value: Any) -> str:
    return type(value).__name__


def _field_problem(field: str, value: Any) -> str | None:
    """Why one present, non-empty field of a normalised record cannot be stored as it is."""
    if field in _TEXT_FIELDS:
        if not isinstance(value, str):
            return f"{field} is not text ({_kind(value)})"
        limit = _TEXT_FIELDS[field]
        if limit is not None and len(value) > limit:
            return f"{field} longer than {limit} characters"
        vocabulary = _VOCABULARIES.get(field)
        if vocabulary is not None and value not in vocabulary:
            return f"{field} not one of {', '.join(vocabulary)}"
        if field == "salary_currency" and not _CURRENCY_CODE.fullmatch(value):
            return "salary_currency is not a currency code"
    elif field in _NUMBER_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{field} is not a number ({_kind(value)})"
        if not math.isfinite(value):
            return f"{field} is not a finite number"
        if value < 0:
            return f"{field} is negative"
    elif field in _TIME_FIELDS:
        if isinstance(value, datetime):
            return None
        if not isinstance(value, str):
            return f"{field} is not a date ({_kind(value)})"
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return f"{field} is not an ISO date"
    elif field == "raw" and not isinstance(value, dict):
        return f"raw is not an object ({_kind(value)})"
    elif field == "skills_tags" and not (isinstance(value, list) and all(isinstance(t, str) for t in value)):
        return "skills_tags is not a list of text"
    elif field == "fingerprint" and (isinstance(value, bool) or not isinstance(value, int) or not _fits_int64(value)):
        return "fingerprint is not a 64-bit integer"
    return None


def _fits_int64(value: int) -> bool:
    return -(1 << 63) <= value < 1 << 63


def validate_posting(record: Mapping[str, Any]) -> str | None:
    """The reason a normalised record cannot be stored, or ``None`` when it is valid; never raises.

    Fields of the wrong type (a number as title, ``raw`` as text, a salary as text, NaN or infinite, a native id
    as a number), values the column cannot hold (too long, outside a vocabulary, past :data:`nz.MAX_SALARY`),
    NUL bytes and invalid UTF-8 anywhere, a portal or country that is not the source's, and missing or
    inconsistent content each give their own short reason. Reasons hold no values, so that loads count records
    by reason (the log names the record).
    """
    if not isinstance(record, Mapping):
        return f"not a posting record ({_kind(record)})"
    for field, value in record.items():
        if value is not None:
            problem = _field_problem(field, value)
            if problem:
                return problem
    source = SOURCES.get(record.get("source_key") or "")
    if source is None:
        return "unknown source"
    if record.get("portal") != source.portal or record.get("country") != source.country:
        return "portal or country not those of the source"
    native_id = record.get("native_id")
    if not native_id:
        return "missing native_id"
    pattern = NATIVE_ID_PATTERNS.get(source.portal)
    if pattern and not pattern.match(native_id):
        return "malformed native_id"
    title = record.get("title")
    if not title:
        return "missing title"
    if len(title) > 500:
        return "title longer than 500 characters"
    if not record.get("url"):
        return "missing url"
    if not record.get("content_hash"):
        return "missing content_hash"
    if len(record.get("description") or "") + len(title) > MAX_POSTING_CHARS:
        return f"description longer than {MAX_POSTING_CHARS:,} characters (the extraction limit)"
    raw = record.get("raw") or {}
    low, high = record.get("salary_min"), record.get("salary_max")
    if raw.get("salary_issue") == "amount out of range" or max(low or 0, high or 0) >= nz.MAX_SALARY:
        return f"salary out of range ({nz.MAX_SALARY:,.0f} or more)"
    if low is not None and high is not None and low > high:
        return "salary_min above salary_max"
    # Text and numbers nested in raw reach the database as they are: PostgreSQL refuses NUL and lone surrogates.
    return row_problem(record, LONG_FIELDS)


# Fields as long as extraction reads; any other string of a record, those nested in raw included, is far shorter.
LONG_FIELDS = frozenset({"description"})


def missing_fields(record: dict[str, Any]) -> list[str]:
    """Expected fields that are empty in ``record``."""
    return [f for f in EXPECTED_FIELDS if record.get(f) in (None, "", [])]
