"""Records landed as already normalised, with fields of the wrong type or out of what their column holds: each is
refused by :func:`validate_posting` with its own reason (it never raises), and the rest of the load is stored. Raw
items whose fields have the wrong shape are refused by the normalisation with a reason naming the field.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from observatory.scraping.items import RECORD_FIELDS, normalise_posting, validate_posting
from observatory.scraping.load import landing_dir, load_landing_file, load_postings
from observatory.scraping.normalize import CONTRACT_TYPES
from observatory.scraping.synthetic import write_json_lines
from observatory.storage import Database
from observatory.storage.models import Posting


def normalised(number: int, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    record = normalise_posting(
        {
            "source_key": "ar-bumeran",
            "native_id": str(number),
            "url": f"https://www.bumeran.com.ar/empleos/{number}.html",
            "title": f"Analista contable {number}",
            "company": "Números SA",
            "description_text": "Liquidación de sueldos, Excel avanzado y Tango Gestión.",
            "salary_raw": "$ 900.000 a $ 1.100.000 mensuales",
            "date_posted_raw": "2025-11-10",
            "scraped_at": "2025-11-12T09:00:00+00:00",
        }
    )
    return {**record, **(changes or {})}


# (fields changed on a valid normalised record, the reason it is refused)
MALFORMED: list[tuple[dict[str, Any], str]] = [
    ({"title": 1234}, "title is not text (int)"),
    ({"description": ["Excel", "Tango"]}, "description is not text (list)"),
    ({"url": {"href": "https://www.bumeran.com.ar/empleos/1.html"}}, "url is not text (dict)"),
    ({"company": 3.5}, "company is not text (float)"),
    ({"raw": "portal extras as text"}, "raw is not an object (str)"),
    ({"raw": ["brand", "bumeran"]}, "raw is not an object (list)"),
    ({"native_id": 2300010}, "native_id is not text (int)"),
    ({"native_id": "B-17"}, "malformed native_id"),
    ({"native_id": None}, "missing native_id"),
    ({"salary_min": "900.000"}, "salary_min is not a number (str)"),
    ({"salary_max": "1.100.000"}, "salary_max is not a number (str)"),  # bounds of mixed types
    ({"salary_min": True}, "salary_min is not a number (bool)"),
    ({"salary_min": math.nan}, "salary_min is not a finite number"),
    ({"salary_max": math.inf}, "salary_max is not a finite number"),
    ({"salary_min": -900_000.0}, "salary_min is negative"),
    ({"salary_min": 2e12, "salary_max": 3e12}, "salary out of range (1,000,000,000,000 or more)"),
    ({"salary_min": 1_100_000.0, "salary_max": 900_000.0}, "salary_min above salary_max"),
    ({"salary_currency": "pesos"}, "salary_currency longer than 3 characters"),
    ({"salary_currency": "us$"}, "salary_currency is not a currency code"),
    ({"salary_period": "monthly"}, "salary_period not one of hour, day, week, biweekly, month, year"),
    ({"contract_type": "full time"}, "contract_type not one of " + ", ".join(CONTRACT_TYPES)),
    ({"work_mode": "home office"}, "work_mode not one of onsite, hybrid, remote"),
    ({"experience_years": "3 años"}, "experience_years is not a number (str)"),
    ({"date_posted": "ayer"}, "date_posted is not an ISO date"),
    ({"date_posted": 1762732800}, "date_posted is not a date (int)"),
    ({"valid_through": "2025-13-01"}, "valid_through is not an ISO date"),
    ({"fingerprint": "0x1f"}, "fingerprint is not a 64-bit integer"),
    ({"fingerprint": 1 << 64}, "fingerprint is not a 64-bit integer"),
    ({"skills_tags": "Excel, Tango"}, "skills_tags is not a list of text"),
    ({"skills_tags": ["Excel", 7]}, "skills_tags is not a list of text"),
    ({"isco_code": "24111"}, "isco_code longer than 4 characters"),
    ({"portal": "zonajobs"}, "portal or country not those of the source"),
    ({"country": "co"}, "portal or country not those of the source"),
    ({"title": ""}, "missing title"),
    ({"title": "Analista " * 60}, "title longer than 500 characters"),
    ({"url": None}, "missing url"),
    ({"content_hash": None}, "missing content_hash"),
    ({"company": "Números\x00 SA"}, "NUL byte in column 'company'"),
    ({"raw": {"note": "texto \ud800 roto"}}, "invalid UTF-8 in column 'raw'"),
    ({"raw": {"ratio": math.nan}}, "number out of range in column 'raw'"),
]
IDS = [f"{next(iter(changes))}-{n}" for n, (changes, _) in enumerate(MALFORMED)]


@pytest.mark.parametrize(("changes", "reason"), MALFORMED, ids=IDS)
def test_each_malformed_field_has_its_own_reason(changes: dict[str, Any], reason: str) -> None:
    assert validate_posting(normalised(2300100, changes)) == reason


def test_a_valid_record_and_a_non_record() -> None:
    assert validate_posting(normalised(2300100)) is None
    assert validate_posting(["not", "a", "record"]) == "not a posting record (list)"  # type: ignore[arg-type]


def test_each_malformed_record_is_rejected_alone_and_the_rest_loads(db: Database) -> None:
    records = []
    for n, (changes, _) in enumerate(MALFORMED):
        records += [normalised(2300000 + n), normalised(2300500 + n, changes)]
    stats = load_postings(db, records, "ar-bumeran", run_key="landed-normalised")
    # Each counted by its reason at its position in the load.
    expected: dict[str, list[int]] = {}
    for n, (_, reason) in enumerate(MALFORMED):
        expected.setdefault(reason, []).append(2 * n + 2)
    assert stats.invalid_reasons == {reason: len(lines) for reason, lines in expected.items()}
    assert stats.invalid_lines == {reason: lines[:5] for reason, lines in expected.items()}
    with db.session() as session:
        stored = set(session.scalars(select(Posting.native_id)))
    assert stored == {str(2300000 + n) for n in range(len(MALFORMED))}
    assert (stats.new, stats.invalid) == (len(MALFORMED), len(MALFORMED))


def test_a_landed_file_of_normalised_records_loads_all_but_the_malformed_lines(db: Database, tmp_path: Path) -> None:
    """The same records written to a landing file: each malformed line is refused with its reason and line number.

    Non-finite numbers are left out here: JSON lines cannot hold them (the reader refuses them on its own)."""
    rows = [(changes, reason) for changes, reason in MALFORMED if "finite" not in reason and "number out" not in reason]
    path = landing_dir(tmp_path, "ar-bumeran") / "normalised.jsonl"
    lines: list[dict[str, Any] | str | bytes] = []
    for n, (changes, _) in enumerate(rows):
        lines += [normalised(2300000 + n), json.dumps(normalised(2300500 + n, changes), default=str)]
    stats = load_landing_file(db, write_json_lines(path, lines))
    expected: dict[str, list[int]] = {}
    for n, (_, reason) in enumerate(rows):
        expected.setdefault(reason, []).append(2 * n + 2)
    assert stats.invalid_lines == {reason: at[:5] for reason, at in expected.items()}
    assert (stats.received, stats.new, stats.invalid) == (2 * len(rows), len(rows), len(rows))
    with db.session() as session:
        assert set(session.scalars(select(Posting.native_id))) == {str(2300000 + n) for n in range(len(rows))}


def raw_item(number: int, **changes: Any) -> dict[str, Any]:
    return {
        "source_key": "ar-bumeran",
        "native_id": number,  # exports often write ids as numbers: read as written
        "url": f"https://www.bumeran.com.ar/empleos/{number}.html",
        "title": f"Analista contable {number}",
        "description_text": "Liquidación de sueldos y Excel avanzado.",
        **changes,
    }


def test_raw_items_with_fields_of_the_wrong_shape_are_refused_by_name_and_the_rest_loads(db: Database) -> None:
    bad = [
        ({"raw": "portal extras as text"}, "cannot normalise: raw is not an object (str)"),
        ({"title": {"es": "Analista"}}, "cannot normalise: title is not text (dict)"),
        ({"description_html": ["<p>Excel</p>"]}, "cannot normalise: description_html is not text (list)"),
        ({"skills_tags": 5}, "cannot normalise: skills_tags is not a list (int)"),
        ({"scraped_at": "ayer"}, "cannot normalise: scraped_at is not an ISO date"),
    ]
    items = [raw_item(2300001, skills_tags="Excel, Tango; SQL")]
    items += [raw_item(2300100 + n, **changes) for n, (changes, _) in enumerate(bad)]
    stats = load_postings(db, items, "ar-bumeran", run_key="raw-items")
    assert stats.invalid_lines == {reason: [n + 2] for n, (_, reason) in enumerate(bad)}
    with db.session() as session:
        stored = session.scalars(select(Posting)).one()
    # Tags written as one string are split, not kept as its characters.
    assert (stored.native_id, stored.raw["skills_tags"]) == ("2300001", ["Excel", "Tango", "SQL"])


ODD_VALUES: list[Any] = [
    None, "", 0, -1, 1.5, math.nan, -math.inf, True, "x", "2025-11-10", "9" * 300, [], ["a"], [1], {}, {"a": [1]},
    "\x00", "\ud800", 1 << 70,
]  # fmt: skip


def test_whatever_a_field_holds_validation_answers_and_what_it_accepts_loads(db: Database) -> None:
    """Every field of a normalised record (and an unknown one) set to odd values: validation gives a reason or
    accepts, never raises, and every accepted record is stored without an error in the load."""
    fields = sorted(RECORD_FIELDS | {"unknown_extra"})
    accepted, refused = [], 0
    for n, (field, value) in enumerate((f, v) for f in fields for v in ODD_VALUES):
        record = normalised(2400000 + n, {field: value})
        reason = validate_posting(record)
        if reason is None:
            accepted.append(record)
        else:
            assert isinstance(reason, str) and reason and "\n" not in reason
            refused += 1
    assert refused > len(fields) * 8  # most odd values are refused (the test would pass vacuously otherwise)
    stats = load_postings(db, accepted, "ar-bumeran", run_key="odd-values")
    assert stats.invalid == 0
    assert stats.new + stats.repeated == len(accepted)
    with db.session() as session:
        assert len(set(session.scalars(select(Posting.id)))) == stats.new


def test_the_checked_fields_are_every_stored_field() -> None:
    """A column added to postings must be checked too: the loader stores every column a record carries."""
    set_by_the_loader = {"id", "first_seen", "last_seen", "scrape_run_id", "duplicate_of"}
    columns = {c.name for c in Posting.__table__.columns} - set_by_the_loader  # type: ignore[attr-defined]
    assert columns <= RECORD_FIELDS
    assert set(normalised(2300100)) <= RECORD_FIELDS
