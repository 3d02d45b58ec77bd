"""The posting item: raw fields as the spiders read them, and the normalised record the pipelines produce.

:func:`normalise_posting` is the one normalisation used by the pipeline, ``observatory parse`` and the loader.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import scrapy

from observatory.limits import MAX_POSTING_CHARS
from observatory.scraping import normalize as nz
from observatory.scraping.fingerprint import content_hash, normalised_content, simhash
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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return nz.squash(str(value))


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
    if raw_item.get("scraped_at"):
        now = datetime.fromisoformat(raw_item["scraped_at"])
    now = now or datetime.now(UTC)
    description_html = raw_item.get("description_html")
    description = nz.html_to_text(description_html) if description_html else None
    if description is None and raw_item.get("description_text"):
        description = nz.clean_text(str(raw_item["description_text"]))
    title = _text(raw_item.get("title"))
    company_raw = _text(raw_item.get("company"))
    company = None if company_raw and _UNNAMED_EMPLOYERS.search(nz.fold(company_raw)) else company_raw
    location_raw = _text(raw_item.get("location_raw"))
    salary_raw = _text(raw_item.get("salary_raw"))
    date_raw = _text(raw_item.get("date_posted_raw"))
    valid_raw = _text(raw_item.get("valid_through_raw"))
    salary = nz.parse_salary(salary_raw, source.currency)
    # Salary text read as no numbers rather than other numbers ("-5000", "1e308") is flagged beside the posting.
    salary_issue = salary.pop("salary_issue", None)
    record: dict[str, Any] = {
        "source_key": source.key,
        "portal": source.portal,
        "country": source.country,
        "native_id": _text(raw_item.get("native_id")),
        "url": raw_item.get("url"),
        "title": title,
        "company": company,
        "description": description,
        "location_raw": location_raw,
        **{k: v for k, v in nz.parse_location(location_raw, source.country).items() if k != "country"},
        "salary_raw": salary_raw,
        **salary,
        "contract_type": nz.contract_type(_text(raw_item.get("contract_raw"))),
        "work_mode": nz.work_mode(_text(raw_item.get("work_mode_raw"))),
        "education": _text(raw_item.get("education")),
        "experience_years": nz.experience_years(_text(raw_item.get("experience_raw"))),
        "date_posted_raw": date_raw,
        "date_posted": nz.iso(nz.parse_date(date_raw, source.timezone, now)),
        "valid_through": nz.iso(nz.parse_date(valid_raw, source.timezone, now)),
        "skills_tags": list(raw_item.get("skills_tags") or []),
        "scraped_at": now.astimezone(UTC).isoformat(),
        "page_type": raw_item.get("page_type"),
        "raw": {
            "contract": _text(raw_item.get("contract_raw")),
            "work_mode": _text(raw_item.get("work_mode_raw")),
            "experience": _text(raw_item.get("experience_raw")),
            "valid_through": valid_raw,
            "company": company_raw,
            **(raw_item.get("raw") or {}),
            # The brand that published the ad (ZonaJobs and Bumeran share one backend and one id space).
            "brand": _brand(raw_item, source),
        },
    }
    if salary_issue:
        record["raw"]["salary_issue"] = salary_issue
    content = normalised_content(title, company, description)
    record["content_hash"] = content_hash(title, company, description, content)
    record["fingerprint"] = simhash(title, company, description, content)
    return record


def validate_posting(record: dict[str, Any]) -> str | None:
    """The reason a normalised record cannot be stored, or ``None`` when it is valid."""
    portal = record.get("portal")
    native_id = record.get("native_id")
    if not native_id:
        return "missing native_id"
    pattern = NATIVE_ID_PATTERNS.get(str(portal))
    if pattern and not pattern.match(str(native_id)):
        return f"malformed native_id {native_id!r}"
    if not record.get("title"):
        return "missing title"
    if len(record["title"]) > 500:
        return "title longer than 500 characters"
    if not record.get("url"):
        return "missing url"
    if len(record.get("description") or "") + len(record["title"]) > MAX_POSTING_CHARS:
        return f"description longer than {MAX_POSTING_CHARS:,} characters (the extraction limit)"
    if record.get("raw", {}).get("salary_issue") == "amount out of range":
        return f"salary out of range ({nz.MAX_SALARY:,.0f} or more)"
    low, high = record.get("salary_min"), record.get("salary_max")
    if low is not None and high is not None and low > high:
        return "salary_min above salary_max"
    return None


def missing_fields(record: dict[str, Any]) -> list[str]:
    """Expected fields that are empty in ``record``."""
    return [f for f in EXPECTED_FIELDS if record.get(f) in (None, "", [])]
