"""Read a postings export (JSON lines, CSV, or a portal's JSON dump; optionally gzipped) into raw posting items.

A field map says which column holds which posting field (``title=titulo``); a value with ``{column}``
placeholders is a template (``url=https://example.com/empleos/{id}.html``). Items then go through the
loader's own normalisation and validation, so a bad row is counted with its line, never stored half-way.

Files are read as a stream in bounded memory (:mod:`observatory.scraping.readers`: size limits, a gzip size and
ratio limit), and every problem of one row (NUL bytes, invalid UTF-8, oversize fields, deep nesting, numbers or
dates out of range) refuses that row with its line and reason.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from observatory.scraping.items import normalise_posting, validate_posting
from observatory.scraping.load import EXAMPLE_LINES, LoadStats, StagedLoad, note_line, repeats_text
from observatory.scraping.readers import Format, IngestError, Row, Rows, row_problem
from observatory.sources import get_source
from observatory.storage import Database

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


EARLIEST_DATE = date(1995, 1, 1)  # no job portal published earlier: an older date is a typo or a placeholder


class UndatedRowsError(IngestError):
    """Rows without a date and no day to give them: loading them would put them on today's partition."""


def _pairs(pairs: list[str], option: str, example: str, problem: Callable[[str, str], str | None]) -> dict[str, str]:
    """``["a=b", …]`` → ``{"a": "b"}``; a pair without both sides, or with a ``problem``, is an error naming it."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = (part.strip() for part in pair.partition("="))
        if not sep or not key or not value:
            raise IngestError(f"{option} {pair!r}: expected {example}")
        reason = problem(key, value)
        if reason:
            raise IngestError(f"{option} {pair!r}: {reason}")
        mapping[key] = value
    return mapping


def parse_field_map(pairs: list[str]) -> dict[str, str]:
    """``["title=titulo", …]`` → ``{"title": "titulo"}``; unknown fields are an error naming the accepted ones."""

    def unknown(field: str, _column: str) -> str | None:
        return None if field in FIELDS else f"unknown field {field!r}; fields: {', '.join(FIELDS)}"

    return _pairs(pairs, "--map", "field=column, e.g. title=titulo", unknown)


def _plausible_date(record: Mapping[str, Any], today: date) -> str | None:
    if record.get("date_posted_raw") and not record.get("date_posted"):
        return "unreadable date_posted"
    posted = record.get("date_posted")
    if posted:
        day = date.fromisoformat(str(posted)[:10])
        if day < EARLIEST_DATE:
            return f"implausible date_posted (before {EARLIEST_DATE.isoformat()})"
        if day > today + timedelta(days=366):
            return "implausible date_posted (more than a year ahead)"
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
    """What an ingest did: the load per source, and the rows refused or flagged with their line numbers.

    Counts are complete; only the first :data:`EXAMPLE_LINES` lines of each reason are kept.
    """

    rows: int = 0
    loads: dict[str, LoadStats] = dataclass_field(default_factory=dict)
    reasons: Counter[str] = dataclass_field(default_factory=Counter)  # rejected rows by reason
    lines: dict[str, list[int]] = dataclass_field(default_factory=dict)  # first lines of each reason
    flags: Counter[str] = dataclass_field(default_factory=Counter)  # loaded rows with something not read
    flag_lines: dict[str, list[int]] = dataclass_field(default_factory=dict)
    undated: int = 0
    undated_lines: list[int] = dataclass_field(default_factory=list)
    undated_day: date | None = None  # the day given to undated postings (--default-date or the export date)
    unit: str = "line"  # "record" for a JSON dump written on one line

    @property
    def load(self) -> LoadStats:
        """The load of a single-source file (the first one otherwise)."""
        return next(iter(self.loads.values()), LoadStats())

    @property
    def rejected(self) -> int:
        return sum(self.reasons.values())

    @property
    def repeated(self) -> int:
        return sum(s.repeated for s in self.loads.values())

    @property
    def repeated_lines(self) -> list[list[int]]:
        """``[line, line first seen at]`` of the first repeated rows, all sources together."""
        return sorted(pair for s in self.loads.values() for pair in s.repeated_lines)[:EXAMPLE_LINES]

    def repeated_text(self) -> str:
        """Where the repeated rows are: ``lines 15 (first seen at 14)…``."""
        return repeats_text(self.repeated, self.repeated_lines, self.unit)

    def reject(self, line: int, reason: str) -> None:
        note_line(self.reasons, self.lines, line, reason)

    def flag(self, line: int, reason: str) -> None:
        note_line(self.flags, self.flag_lines, line, reason)


def parse_source_map(pairs: list[str]) -> dict[str, str]:
    """``["bumeran=ar-bumeran", …]`` → ``{"bumeran": "ar-bumeran"}`` (values of a column → source keys)."""

    def unknown(_value: str, key: str) -> str | None:
        try:
            get_source(key)
        except ValueError as exc:
            return str(exc)
        return None

    return _pairs(pairs, "--source-map", "value=source, e.g. zonajobs=ar-zonajobs", unknown)


def ingest_file(
    db: Database,
    path: Path,
    source_key: str | None,
    *,
    fmt: Format | None = None,
    field_map: Mapping[str, str] | None = None,
    run_key: str | None = None,
    default_date: date | None = None,
    source_column: str | None = None,
    source_map: Mapping[str, str] | None = None,
) -> IngestReport:
    """Validate every row of ``path`` and load the valid ones in one transaction, in bounded memory.

    Rows go to ``source_key``, or (``source_column`` and ``source_map``) to the source their column's value maps
    to. Rows without a date are given ``default_date``, else the file's own export date; when neither exists they
    are refused as a whole (:class:`UndatedRowsError`), since today's partition would be a guess. A file without a
    valid row loads nothing and records no run.
    """
    if (source_key is None) == (source_column is None):
        raise IngestError("give either a source or a source column with its --source-map")
    targets = dict(source_map or {}) if source_column else {"": str(source_key)}
    if not targets:
        raise IngestError("--source-column needs at least one --source-map value=source")
    for key in targets.values():
        get_source(key)
    field_map = field_map or {}
    rows = Rows(Path(path), fmt)
    report = IngestReport()
    long_columns = frozenset({field_map.get(f, f) for f in ("description", "description_html")} | {"description_text"})
    stat = Path(path).stat()
    today = datetime.now(UTC).date()
    with db.session() as session:
        loads = {
            key: StagedLoad(
                session,
                key,
                run_key or f"ingest:{key}:{Path(path).name}:{stat.st_size}:{int(stat.st_mtime)}",
                name=str(n),
            )
            for n, key in enumerate(dict.fromkeys(targets.values()))
        }
        for line, row in rows:
            report.rows += 1
            record, reason = _record(row, line, field_map, long_columns, source_column, targets, today)
            if reason:
                report.reject(line, reason)
                continue
            assert record is not None
            issue = record["raw"].get("salary_issue")
            if issue:
                report.flag(line, f"salary not read: {issue}")
            if not record.get("date_posted"):
                report.undated += 1
                if len(report.undated_lines) < EXAMPLE_LINES:
                    report.undated_lines.append(line)
            loads[record["source_key"]].stage(record, line)
        report.unit = rows.unit
        report.undated_day = default_date or rows.export_date
        if report.undated and report.undated_day is None:
            raise UndatedRowsError(
                f"{report.undated} rows have no date ({report.unit}s "
                f"{', '.join(map(str, report.undated_lines))}{'…' if report.undated > EXAMPLE_LINES else ''}): "
                "give the day they were exported with --default-date YYYY-MM-DD (or --default-date today); "
                "nothing was loaded"
            )
        for key, load in loads.items():
            tz = ZoneInfo(get_source(key).timezone)
            seen = (
                datetime.combine(report.undated_day, time(12), tzinfo=tz).astimezone(UTC)
                if report.undated_day
                else None
            )
            summary = {"file": str(path), "rows": report.rows, "rejected": report.rejected}
            # This source's share of the file (repeated rows included): rows were validated here, not by the load.
            load.stats.received = load.staged
            stats = load.apply(crawl_summary=summary, undated_seen=seen, record_empty=False)
            if stats.scrape_run_id is not None:
                report.loads[key] = stats
    return report


def _record(
    row: Row,
    line: int,
    field_map: Mapping[str, str],
    long_columns: frozenset[str],
    source_column: str | None,
    targets: Mapping[str, str],
    today: date,
) -> tuple[dict[str, Any] | None, str | None]:
    """The normalised record of a row, or the reason it is refused."""
    if isinstance(row, str):
        return None, row
    problem = row_problem(row, long_columns)
    if problem:
        return None, problem
    if source_column is None:
        source_key = targets[""]
    else:
        value = str(row.get(source_column) or "").strip()
        if value not in targets:
            shown = repr(value[:40]) if value else "empty"
            return None, f"{source_column} {shown} is not in --source-map"
        source_key = targets[value]
    try:
        record = normalise_posting(to_item(row, field_map, source_key))
    except (KeyError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return None, f"cannot normalise: {exc}"
    reason = validate_posting(record) or _plausible_date(record, today)
    if reason:
        return None, reason.split(" '")[0]
    return record, None
