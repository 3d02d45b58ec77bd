"""Batch extraction of a postings file (JSON lines or CSV, optionally gzipped) into JSON lines of skills.

The file contract analysts rely on: one output row per input posting, in input order, ids unchanged:
``{"id": …, "language": …, "skills": [{"name", "surface", "esco_uri", "start", "end", "skill_type",
"method", "section", "importance", "confidence", …}]}``. A posting longer than extraction reads
(:data:`observatory.limits.MAX_POSTING_CHARS`) keeps its row, with no skills and ``"skipped": "oversize"``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from observatory.limits import MAX_POSTING_CHARS
from observatory.skills.extractor import ExtractionResult, SkillExtractor

if TYPE_CHECKING:  # the coder's modules are only imported when a caller codes occupations
    from observatory.skills.occupations import OccupationCode, OccupationCoder

REQUIRED_COLUMNS = ("id", "description")
# Column names the portals' own exports use, accepted as aliases.
_ALIASES = {
    "id": ("id", "posting_id", "native_id"),
    "title": ("title", "titulo", "job_title"),
    "description": ("description", "descripcion", "descripcion_full", "text", "body"),
    "tags": ("skills_tags", "tags", "skill_tags"),
}


class PostingsFileError(ValueError):
    """The postings file cannot be read; the message names the file and line."""


@dataclass
class InputPosting:
    """One posting of an input file."""

    id: Any
    title: str | None
    description: str | None
    line: int
    tags: list[str] = field(default_factory=list)


@dataclass
class BatchStats:
    """What one batch extraction did."""

    postings: int = 0
    mentions: int = 0
    without_skills: int = 0
    with_esco_uri: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    top_skills: Counter[str] = field(default_factory=Counter)
    oversize: list[Any] = field(default_factory=list)  # ids of postings too long to extract (rows marked skipped)


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _format_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    last = suffixes[-1] if suffixes else ""
    if last in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if last in (".csv", ".tsv"):
        return "csv"
    raise PostingsFileError(f"{path}: unknown format {last or '(no extension)'}; use .jsonl or .csv (optionally .gz)")


def _pick(row: dict[str, Any], name: str) -> Any:
    for key in _ALIASES[name]:
        if key in row:
            return row[key]
    return None


def _text_field(value: Any, path: Path, line: int, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise PostingsFileError(f"{path}:{line}: {name} must be text, got {type(value).__name__}")


def _tags_field(value: Any, path: Path, line: int) -> list[str]:
    """Employer skill tags: a JSON list of strings, or one string separated by commas or semicolons."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.replace(";", ",").split(",") if t.strip()]
    if isinstance(value, list) and all(isinstance(t, str) for t in value):
        return [t.strip() for t in value if t.strip()]
    raise PostingsFileError(f"{path}:{line}: tags must be a list of strings or a comma-separated string")


def read_postings(path: Path) -> Iterator[InputPosting]:
    """Postings of a JSON-lines or CSV file, with ``id`` and ``description`` (``title`` optional)."""
    if not path.is_file():
        raise PostingsFileError(f"{path}: no such file")
    kind = _format_of(path)
    try:
        with _open_text(path) as handle:
            if kind == "jsonl":
                yield from _read_jsonl(handle, path)
            else:
                yield from _read_csv(handle, path)
    except UnicodeDecodeError as exc:
        raise PostingsFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (OSError, EOFError) as exc:
        raise PostingsFileError(f"{path}: cannot read ({exc})") from None


def _read_jsonl(handle: IO[str], path: Path) -> Iterator[InputPosting]:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PostingsFileError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise PostingsFileError(f"{path}:{number}: expected a JSON object, got {type(row).__name__}")
        posting_id = _pick(row, "id")
        if posting_id is None:
            raise PostingsFileError(f"{path}:{number}: posting without an 'id'")
        description = _pick(row, "description")
        yield InputPosting(
            posting_id,
            _text_field(_pick(row, "title"), path, number, "title"),
            _text_field(description, path, number, "description"),
            number,
            _tags_field(_pick(row, "tags"), path, number),
        )


def _read_csv(handle: IO[str], path: Path) -> Iterator[InputPosting]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    sample = handle.read(4096)
    handle.seek(0)
    delimiter = "\t" if path.name.lower().removesuffix(".gz").endswith(".tsv") else ","
    if delimiter == "," and sample and ";" in sample.splitlines()[0] and "," not in sample.splitlines()[0]:
        delimiter = ";"
    reader = csv.DictReader(handle, delimiter=delimiter)
    columns = set(reader.fieldnames or ())
    missing = [c for c in REQUIRED_COLUMNS if not columns.intersection(_ALIASES[c])]
    if missing:
        raise PostingsFileError(
            f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(sorted(columns)) or 'none'})"
        )
    try:
        for row in reader:
            yield InputPosting(
                _pick(row, "id"),
                _pick(row, "title"),
                _pick(row, "description"),
                reader.line_num,
                _tags_field(_pick(row, "tags"), path, reader.line_num),
            )
    except csv.Error as exc:
        raise PostingsFileError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None


def result_row(posting_id: Any, result: ExtractionResult, occupation: OccupationCode | None = None) -> dict[str, Any]:
    """The output JSON row of one posting (with its ESCO occupation and ISCO-08 group when coded)."""
    row: dict[str, Any] = {"id": posting_id, "language": result.language}
    if occupation is not None:
        row["occupation"] = {
            "esco_uri": occupation.uri, "label": occupation.label, "isco_code": occupation.isco_code,
            "isco_label": occupation.isco_label, "confidence": occupation.confidence, "method": occupation.method,
            "reason": occupation.reason,
        }  # fmt: skip
    row["skills"] = [m.to_dict() for m in result.mentions]
    return row


def _oversize(posting: InputPosting) -> bool:
    """Longer than the extractor reads (the limit ingest applies too): the extractor would refuse it."""
    return len(posting.description or "") + len(posting.title or "") > MAX_POSTING_CHARS


def skipped_row(posting_id: Any, reason: str) -> dict[str, Any]:
    """The output row of a posting that was not extracted: its id, no skills and why."""
    return {"id": posting_id, "language": "und", "skills": [], "skipped": reason}


def extract_file(
    input_path: Path,
    output_path: Path,
    extractor: SkillExtractor | Any,
    *,
    batch_size: int = 256,
    progress: Callable[[int], None] | None = None,
    occupations: OccupationCoder | None = None,
) -> BatchStats:
    """Extract skills of every posting in ``input_path`` into ``output_path`` (written atomically).

    A posting longer than :data:`~observatory.limits.MAX_POSTING_CHARS` does not stop the file (the extractor
    refuses it): its row says ``"skipped": "oversize"`` and its id is listed in the returned ``oversize``.
    """
    if input_path.resolve() == output_path.resolve():
        raise PostingsFileError(f"{output_path}: the output must not overwrite the input")
    stats = BatchStats()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    partial = output_path.with_name(output_path.name + ".partial")
    postings = read_postings(input_path)
    try:
        with partial.open("w", encoding="utf-8") as out:
            while chunk := list(islice(postings, batch_size)):
                readable = [p for p in chunk if not _oversize(p)]
                results: Iterator[ExtractionResult] = iter(
                    extractor.extract_many([(p.description, p.title, p.tags) for p in readable], batch_size=batch_size)
                )
                codes: Iterator[OccupationCode | None] = iter(
                    occupations.code_many((p.title, p.description) for p in readable)
                    if occupations is not None
                    else [None] * len(readable)
                )
                for posting in chunk:
                    stats.postings += 1
                    if _oversize(posting):
                        out.write(json.dumps(skipped_row(posting.id, "oversize"), ensure_ascii=False) + "\n")
                        stats.oversize.append(posting.id)
                        continue
                    result = next(results)
                    out.write(json.dumps(result_row(posting.id, result, next(codes)), ensure_ascii=False) + "\n")
                    stats.mentions += len(result.mentions)
                    stats.without_skills += not result.mentions
                    stats.with_esco_uri += sum(1 for m in result.mentions if m.esco_uri)
                    stats.languages[result.language] += 1
                    stats.top_skills.update(set(result.skill_names))
                if progress is not None:
                    progress(len(chunk))
        os.replace(partial, output_path)
    finally:
        partial.unlink(missing_ok=True)
    return stats


def count_postings(path: Path) -> int | None:
    """Number of postings, for a progress bar (None when counting would mean parsing a large CSV twice)."""
    try:
        if _format_of(path) == "jsonl":
            with _open_text(path) as handle:
                return sum(1 for line in handle if line.strip())
    except (OSError, PostingsFileError, UnicodeDecodeError, EOFError):
        return None
    return None
