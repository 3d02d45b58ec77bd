"""Read a postings export (JSON lines, CSV, or a portal's JSON dump; optionally gzipped) into raw posting items.

A field map says which column holds which posting field (``title=titulo``); a value with ``{column}``
placeholders is a template (``url=https://example.com/empleos/{id}.html``). Items then go through the
loader's own normalisation and validation, so a bad row is counted with its line, never stored half-way.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import string
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Literal

from observatory.scraping.items import normalise_posting, validate_posting
from observatory.scraping.load import LoadStats, load_postings
from observatory.sources import get_source
from observatory.storage import Database

Format = Literal["jsonl", "csv", "json"]

# Posting fields a map may name, and the raw item field each becomes (see scraping.items.PostingItem).
FIELDS = {
    "native_id": "native_id",
    "url": "url",
    "title": "title",
    "company": "company",
    "description": "description_text",
    "description_html": "description_html",
    "location": "location_raw",
    "salary": "salary_raw",
    "contract": "contract_raw",
    "work_mode": "work_mode_raw",
    "education": "education",
    "experience": "experience_raw",
    "date_posted": "date_posted_raw",
    "valid_through": "valid_through_raw",
    "skills": "skills_tags",
}


class IngestError(ValueError):
    """A file or field map that cannot be read; the message says what to fix."""


def parse_field_map(pairs: list[str]) -> dict[str, str]:
    """``["title=titulo", …]`` → ``{"title": "titulo"}``; unknown fields are an error naming the accepted ones."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise IngestError(f"--map {pair!r}: expected field=column, e.g. title=titulo")
        if field not in FIELDS:
            raise IngestError(f"--map {pair!r}: unknown field {field!r}; fields: {', '.join(FIELDS)}")
        mapping[field] = column
    return mapping


def detect_format(path: Path) -> Format:
    name = path.name.lower().removesuffix(".gz")
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"), (".json", "json")):
        if name.endswith(suffix):
            return fmt  # type: ignore[return-value]
    raise IngestError(f"cannot tell the format of {path.name}: pass --format jsonl, csv or json")


def _text(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")  # noqa: SIM115 (closed by caller)
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")  # type: ignore[arg-type]


def read_rows(path: Path, fmt: Format | None = None) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """``(line or index, row)`` of every record; a row that cannot be read is the reason as a string."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path} does not exist")
    fmt = fmt or detect_format(path)
    with _text(path) as fh:
        if fmt == "csv":
            reader = csv.DictReader(fh)  # type: ignore[arg-type]
            for row in reader:
                yield reader.line_num, dict(row)
        elif fmt == "jsonl":
            for n, line in enumerate(fh, start=1):  # type: ignore[arg-type]
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield n, f"not JSON ({exc.msg})"
                    continue
                yield n, value if isinstance(value, dict) else "not a JSON object"
        else:
            try:
                document = json.load(fh)  # type: ignore[arg-type]
            except json.JSONDecodeError as exc:
                raise IngestError(f"{path} is not valid JSON: {exc}") from None
            records = _records_in(document)
            if records is None:
                raise IngestError(f"{path}: no list of postings found (a list, or an object with one list of objects)")
            for n, value in enumerate(records, start=1):
                yield n, value if isinstance(value, dict) else "not a JSON object"


def _records_in(document: Any) -> list[Any] | None:
    """The postings of a portal's JSON dump: the document itself when a list, else its (first) list of objects."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        return lists[0] if lists else None
    return None


def to_item(row: Mapping[str, Any], field_map: Mapping[str, str], source_key: str) -> dict[str, Any]:
    """A raw posting item from a row: mapped fields, then same-named columns; the whole row kept in ``raw``."""
    item: dict[str, Any] = {"source_key": source_key, "page_type": "import"}
    used: set[str] = set()
    for field, target in FIELDS.items():
        column = field_map.get(field)
        if column is None:
            value = row.get(field, row.get(target))
            used.update((field, target))
        elif "{" in column:
            names = [name for _, name, _, _ in string.Formatter().parse(column) if name]
            missing = [name for name in names if name not in row]
            if missing:
                raise KeyError(f"template column(s) {missing} not in the row")
            value = column.format(**{name: row[name] for name in names})
        else:
            if column not in row:
                raise KeyError(f"column {column!r} not in the row")
            value = row[column]
            used.add(column)
        if value in (None, ""):
            continue
        if target == "skills_tags" and isinstance(value, str):
            value = [s.strip() for s in value.replace(";", ",").split(",") if s.strip()]
        item[target] = value
    # The columns no field took (employer tags, contract details…) stay with the posting.
    item["raw"] = {"import": {k: v for k, v in row.items() if k not in used and v not in (None, "")}}
    return item


@dataclass
class IngestReport:
    """What an ingest did: the load, and the rows refused with their line numbers."""

    rows: int = 0
    load: LoadStats = dataclass_field(default_factory=LoadStats)
    rejected: list[tuple[int, str]] = dataclass_field(default_factory=list)

    @property
    def reasons(self) -> Counter[str]:
        return Counter(reason for _, reason in self.rejected)


def ingest_file(
    db: Database,
    path: Path,
    source_key: str,
    *,
    fmt: Format | None = None,
    field_map: Mapping[str, str] | None = None,
    run_key: str | None = None,
) -> IngestReport:
    """Validate every row of ``path`` and load the valid ones as postings of ``source_key`` in one transaction."""
    get_source(source_key)
    report = IngestReport()
    records: list[dict[str, Any]] = []
    for line, row in read_rows(path, fmt):
        report.rows += 1
        if isinstance(row, str):
            report.rejected.append((line, row))
            continue
        try:
            record = normalise_posting(to_item(row, field_map or {}, source_key))
        except (KeyError, ValueError, TypeError) as exc:
            report.rejected.append((line, f"cannot normalise: {exc}"))
            continue
        reason = validate_posting(record)
        if reason:
            report.rejected.append((line, reason.split(" '")[0]))
            continue
        records.append(record)
    stat = Path(path).stat()
    key = run_key or f"ingest:{source_key}:{Path(path).name}:{stat.st_size}:{int(stat.st_mtime)}"
    report.load = load_postings(db, records, source_key, key, crawl_summary={"file": str(path), "rows": report.rows})
    return report
