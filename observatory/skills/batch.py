"""Batch extraction of a postings file (JSON lines, CSV or a JSON dump, optionally gzipped) into JSON lines of skills.

The file contract analysts rely on: one output row per input posting, in input order, ids unchanged:
``{"id": …, "language": …, "skills": [{"name", "surface", "esco_uri", "start", "end", "skill_type",
"method", "section", "importance", "confidence", …}]}``. A posting longer than extraction reads
(:data:`observatory.limits.MAX_POSTING_CHARS`) keeps its row, with no skills and ``"skipped": "oversize"``; a line
too long to read at all (past the ingest's row limit) keeps one too, with ``"id": null`` and its ``"line"``.
"""

from __future__ import annotations

import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from observatory.limits import MAX_POSTING_CHARS
from observatory.scraping.readers import Format, IngestError, detect_format, open_text, read_rows, row_problem
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
    skipped: str | None = None  # why it is not extracted ("oversize"); its id is None when its line was not read


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
    oversize_lines: list[int] = field(default_factory=list)  # lines too long to read: their id is unknown


def _format_of(path: Path) -> Format:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".tsv"):
        return "csv"
    try:
        return detect_format(path)
    except IngestError:
        raise PostingsFileError(
            f"{path}: unknown format {''.join(path.suffixes) or '(no extension)'}; use .jsonl, .csv or .json "
            "(optionally .gz)"
        ) from None


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
    """Postings of a JSON-lines, CSV or JSON file (optionally gzipped), with ``id`` and ``description``.

    Read through the ingest's readers (:mod:`observatory.scraping.readers`), with the same limits: a gzip bomb
    or a file that cannot be read stops with a clear error; a row longer than the row limit is not read but
    yielded as ``skipped`` (its row is marked in the output), as a posting too long to extract is.
    """
    if not path.is_file():
        raise PostingsFileError(f"{path}: no such file")
    fmt = _format_of(path)
    long_columns = frozenset(_ALIASES["description"] + _ALIASES["title"])
    checked = False
    try:
        for line, row in read_rows(path, fmt, delimiter=None):
            if isinstance(row, str):
                if row.startswith("row longer than"):
                    yield InputPosting(None, None, None, line, skipped="oversize")
                    continue
                raise PostingsFileError(f"{path}:{line}: {row}")
            if not checked and fmt == "csv":
                missing = [c for c in REQUIRED_COLUMNS if not set(row).intersection(_ALIASES[c])]
                if missing:
                    raise PostingsFileError(
                        f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(sorted(row)) or 'none'})"
                    )
            checked = True
            yield _posting(row, path, line, long_columns)
    except IngestError as exc:
        raise PostingsFileError(str(exc)) from None


def _posting(row: dict[str, Any], path: Path, line: int, long_columns: frozenset[str]) -> InputPosting:
    posting_id = _pick(row, "id")
    if posting_id is None or posting_id == "":
        raise PostingsFileError(f"{path}:{line}: posting without an 'id'")
    problem = row_problem(row, long_columns)
    if problem and " longer than " in problem:
        return InputPosting(posting_id, None, None, line, skipped="oversize")
    if problem:
        raise PostingsFileError(f"{path}:{line}: {problem}")
    return InputPosting(
        posting_id,
        _text_field(_pick(row, "title"), path, line, "title"),
        _text_field(_pick(row, "description"), path, line, "description"),
        line,
        _tags_field(_pick(row, "tags"), path, line),
    )


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
    if posting.skipped == "oversize":
        return True
    return len(posting.description or "") + len(posting.title or "") > MAX_POSTING_CHARS


def skipped_row(posting_id: Any, reason: str, line: int | None = None) -> dict[str, Any]:
    """The output row of a posting that was not extracted: its id (and its ``line`` when the id is unknown), no
    skills and why."""
    row = {"id": posting_id, "language": "und", "skills": [], "skipped": reason}
    return row if line is None else {"id": posting_id, "line": line, **{k: v for k, v in row.items() if k != "id"}}


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
    # Postings read but not written yet, in file order: extract_many reads ahead of what it has yielded.
    waiting: deque[InputPosting] = deque()

    def readable() -> Iterator[tuple[str | None, str | None, list[str]]]:
        for posting in postings:
            waiting.append(posting)
            if not _oversize(posting):
                yield (posting.description, posting.title, posting.tags)

    results = _results(extractor, readable(), batch_size)
    try:
        with partial.open("w", encoding="utf-8") as out:
            done: list[tuple[InputPosting, ExtractionResult | None]] = []
            for result in results:
                while _oversize(waiting[0]):
                    done.append((waiting.popleft(), None))
                done.append((waiting.popleft(), result))
                if len(done) >= batch_size:
                    _write(out, done, stats, occupations, progress)
                    done = []
            done += [(posting, None) for posting in waiting]  # oversize postings after the last readable one
            _write(out, done, stats, occupations, progress)
        os.replace(partial, output_path)
    finally:
        partial.unlink(missing_ok=True)
    return stats


def _results(
    extractor: SkillExtractor | Any, postings: Iterator[tuple[str | None, str | None, list[str]]], batch_size: int
) -> Iterator[ExtractionResult]:
    """Results of ``postings`` in order, read lazily."""
    if isinstance(extractor, SkillExtractor):
        # One call for the whole file: it streams, and a repost far from its first posting is still recognised.
        yield from extractor.extract_many(postings, batch_size=batch_size)
        return
    # Another extractor (the LLM normaliser) may read all it is given at once: a chunk at a time.
    while chunk := list(islice(postings, batch_size)):
        yield from extractor.extract_many(chunk, batch_size=batch_size)


def _write(
    out: IO[str],
    done: list[tuple[InputPosting, ExtractionResult | None]],
    stats: BatchStats,
    occupations: OccupationCoder | None,
    progress: Callable[[int], None] | None,
) -> None:
    """Rows of postings in file order: extracted ones with their result, oversize ones marked skipped."""
    extracted = [p for p, result in done if result is not None]
    codes: Iterator[OccupationCode | None] = iter(
        occupations.code_many((p.title, p.description) for p in extracted)
        if occupations is not None
        else [None] * len(extracted)
    )
    for posting, result in done:
        stats.postings += 1
        if result is None:
            if posting.id is None:  # a line too long to read: its line says which posting it was
                out.write(json.dumps(skipped_row(None, "oversize", posting.line)) + "\n")
                stats.oversize_lines.append(posting.line)
            else:
                out.write(json.dumps(skipped_row(posting.id, "oversize"), ensure_ascii=False) + "\n")
                stats.oversize.append(posting.id)
            continue
        out.write(json.dumps(result_row(posting.id, result, next(codes)), ensure_ascii=False) + "\n")
        stats.mentions += len(result.mentions)
        stats.without_skills += not result.mentions
        stats.with_esco_uri += sum(1 for m in result.mentions if m.esco_uri)
        stats.languages[result.language] += 1
        stats.top_skills.update(set(result.skill_names))
    if progress is not None and done:
        progress(len(done))


def count_postings(path: Path) -> int | None:
    """Number of postings, for a progress bar (None when counting would mean parsing a large CSV twice)."""
    try:
        if _format_of(path) == "jsonl":
            with open_text(path) as handle:  # under the ingest's gzip limits: a bomb is not counted to its end
                return sum(1 for line in iter(lambda: handle.readline(1 << 20), "") if line.strip())
    except (OSError, PostingsFileError, IngestError, UnicodeDecodeError):
        return None
    return None
