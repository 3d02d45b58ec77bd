"""Posting files read as a stream in bounded memory: JSON lines, CSV or a JSON dump, optionally gzipped.

Each row comes with its line (or its record number in a one-line JSON dump) and is either a dict or the reason it
cannot be read; :func:`row_problem` says why a parsed row cannot be stored (NUL, invalid UTF-8, size, nesting).
Both ``observatory ingest`` (:mod:`observatory.scraping.ingest`) and the landing-folder loader
(:mod:`observatory.scraping.load`) read through here, so a hostile file is refused the same way by either.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import math
import re
import zlib
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from observatory.limits import MAX_POSTING_CHARS

Format = Literal["jsonl", "csv", "json"]
Row = dict[str, Any] | str  # a parsed row, or the reason it cannot be read

# Limits (module attributes, so that a test can lower them). A description may be as long as extraction reads;
# any other field, a column kept in ``raw`` included, is far shorter in every real export.
MAX_FIELD_CHARS = 100_000
MAX_ROW_CHARS = MAX_POSTING_CHARS + 1_000_000
MAX_DEPTH = 32  # nesting of a row's JSON values
MAX_DECOMPRESSED_BYTES = 20 * 1024**3
MAX_GZIP_RATIO = 100  # real exports compress 4-15 times; a bomb compresses about 1,000 times
RATIO_GRACE_BYTES = 64 * 1024**2  # small files may compress well: the ratio is checked past this size
# Top-level keys of a JSON dump that give its export date (the day undated postings were seen).
EXPORT_DATE_KEYS = ("snapshot_date", "export_date", "exported_at", "fecha_exportacion", "fecha_snapshot",
                    "generated_at", "fecha_extraccion", "scraped_at")  # fmt: skip


class IngestError(ValueError):
    """A file or field map that cannot be read; the message says what to fix."""


def detect_format(path: Path) -> Format:
    name = path.name.lower().removesuffix(".gz")
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"), (".json", "json")):
        if name.endswith(suffix):
            return fmt  # type: ignore[return-value]
    raise IngestError(f"cannot tell the format of {path.name}: pass --format jsonl, csv or json")


# ------------------------------------------------------------------------------------------- reading


class _GuardedGzip(io.RawIOBase):
    """Decompressed bytes of a gzip file, stopped with a clear error past a size or a compression-ratio limit."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._file = path.open("rb")
        self._gzip = gzip.GzipFile(fileobj=self._file)
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            n = self._gzip.readinto(buffer)
        except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            raise IngestError(f"{self._path.name} is not a readable gzip file ({exc})") from None
        self.produced += n
        if self.produced > MAX_DECOMPRESSED_BYTES:
            raise IngestError(
                f"{self._path.name} decompresses to more than {MAX_DECOMPRESSED_BYTES:,} bytes: refused "
                "(a gzip bomb, or an export to split)"
            )
        read = max(self._file.tell(), 1)
        if self.produced > RATIO_GRACE_BYTES and self.produced > MAX_GZIP_RATIO * read:
            raise IngestError(
                f"{self._path.name} expands more than {MAX_GZIP_RATIO} times ({self.produced:,} bytes from "
                f"{read:,}): refused as a likely gzip bomb"
            )
        return n

    def close(self) -> None:
        self._gzip.close()
        self._file.close()
        super().close()


def open_text(path: Path) -> IO[str]:
    """The text of a posting file (gunzipped, by its name) under the decompressed-size and gzip-ratio limits."""
    raw: IO[bytes] = io.BufferedReader(_GuardedGzip(path)) if path.name.lower().endswith(".gz") else path.open("rb")
    # Invalid UTF-8 becomes lone surrogates, so that each row with some is refused and counted, not repaired.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")


class _OversizeLine(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Lines:
    """Physical lines of a text stream read in bounded memory; a record (one line, or the lines of one CSV row
    since :meth:`new_record`) longer than the row limit is skipped to the end of its line and raised."""

    def __init__(self, fh: IO[str], csv_quotes: bool = False) -> None:
        self.fh = fh
        self.number = 0
        self.limit = MAX_ROW_CHARS
        self._record = 0
        # CSV: an odd number of quotes so far means the record goes on inside a quoted field, so skipping an
        # oversize record continues to the line where its quotes balance (escaped quotes come in pairs).
        self._csv_quotes = csv_quotes
        self._quotes = 0

    def __iter__(self) -> _Lines:
        return self

    def new_record(self) -> None:
        self._record = self._quotes = 0

    def __next__(self) -> str:
        line = self.fh.readline(self.limit + 1 - self._record)
        if not line:
            raise StopIteration
        self.number += 1
        self._record += len(line)
        if self._csv_quotes:
            self._quotes += line.count('"')
        if self._record > self.limit:
            while line and (not line.endswith(("\n", "\r")) or self._quotes % 2):
                ended = line.endswith(("\n", "\r"))
                line = self.fh.readline(1 << 20)
                self.number += bool(line) and ended  # a new physical line of the same record
                if self._csv_quotes:
                    self._quotes += line.count('"')
            self.new_record()
            raise _OversizeLine(self.number)
        return line


def _oversize_reason() -> str:
    return f"row longer than {MAX_ROW_CHARS:,} characters"


def _json_value(text: str) -> Any:
    """A parsed value, or the reason it cannot be read as a string starting with ``!``."""
    try:
        value = json.loads(text)
    except RecursionError:
        return "!JSON nested too deeply"
    except json.JSONDecodeError as exc:
        return f"!not JSON ({exc.msg})"
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return f"!not JSON ({str(exc)[:60]})"
    return value


def _as_row(value: Any) -> Row:
    if isinstance(value, str) and value.startswith("!"):
        return value[1:]
    return value if isinstance(value, dict) else "not a JSON object"


def _jsonl_rows(fh: IO[str]) -> Iterator[tuple[int, Row]]:
    lines = _Lines(fh)
    while True:
        lines.new_record()
        try:
            line = next(lines)
        except StopIteration:
            return
        except _OversizeLine as exc:
            yield exc.line, _oversize_reason()
            continue
        if line.strip():
            yield lines.number, _as_row(_json_value(line))


def _sniff_delimiter(path: Path, header: str) -> str:
    """Tab for a ``.tsv``; semicolon when the header has some and no comma (spreadsheets of the region); else comma."""
    if path.name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    return ";" if ";" in header and "," not in header else ","


def _csv_rows(fh: IO[str], path: Path, delimiter: str | None = ",") -> Iterator[tuple[int, Row]]:
    lines = _Lines(fh, csv_quotes=True)
    try:
        first = next(lines)
    except StopIteration:
        return
    except _OversizeLine:
        raise IngestError(f"{path.name}: the CSV header cannot be read (_OversizeLine)") from None
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter or _sniff_delimiter(path, first))
    try:
        header = next(reader)
    except StopIteration:
        return
    except (_OversizeLine, csv.Error) as exc:
        raise IngestError(f"{path.name}: the CSV header cannot be read ({type(exc).__name__})") from None
    while True:
        start = lines.number + 1
        lines.new_record()
        try:
            values = next(reader)
        except StopIteration:
            return
        except _OversizeLine:
            yield start, _oversize_reason()
            continue
        except csv.Error as exc:
            yield start, f"malformed CSV ({str(exc)[:80]})"
            continue
        if not values:
            continue
        if len(values) > len(header):
            yield start, f"{len(values)} fields where the header has {len(header)}"
            continue
        yield start, dict(zip(header, values + [None] * (len(header) - len(values)), strict=True))


_WHITESPACE = re.compile(r"\s*")
_STRING_RUN = re.compile(r'[^"\\]*')
_PLAIN_RUN = re.compile(r'[^"\[\]{}]*')
_SCALAR_RUN = re.compile(r"[^,\]}\s]*")


class _JsonDocument:
    """The records of a JSON document read in bounded pieces: the document when a list, else its first list of
    objects. Each record is cut out by a small scanner (strings, brackets) and parsed alone, so one bad, deep
    or oversize record is refused by itself; an error in the document's own structure stops the file.

    A record is named by the line it starts on when the document is laid out on lines (its first record is not
    on line 1), else by its position: every record of a one-line dump is on line 1.
    """

    def __init__(self, fh: IO[str], path: Path) -> None:
        self.fh, self.path = fh, path
        self.buf, self.pos, self.eof, self.offset = "", 0, False, 0
        self.export_date: date | None = None
        self.unit: str | None = None  # "line" or "record", from the first record
        self.line, self._counted = 1, 0  # the line at buffer position _counted

    def _line_at(self, pos: int) -> int:
        self.line += self.buf.count("\n", self._counted, pos)
        self._counted = pos
        return self.line

    def _fill(self, keep_from: int) -> int:
        """Read more text, dropping what comes before ``keep_from``; returns the shift of positions (-1 at EOF)."""
        if self.eof:
            return -1
        chunk = self.fh.read(1 << 20)
        if not chunk:
            self.eof = True
            return -1
        if keep_from > self._counted:  # newlines of the text dropped still count
            self._line_at(keep_from)
        self._counted -= keep_from
        self.buf = self.buf[keep_from:] + chunk
        self.pos -= keep_from
        self.offset += keep_from
        return keep_from

    def _peek(self) -> str:
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self._fill(self.pos) < 0:
                return ""

    def _error(self, what: str) -> IngestError:
        return IngestError(f"{self.path.name} is not valid JSON: {what} at character {self.offset + self.pos:,}")

    def _expect(self, chars: str) -> str:
        c = self._peek()
        if not c or c not in chars:
            raise self._error(f"expected {' or '.join(repr(x) for x in chars)}")
        self.pos += 1
        return c

    def _value(self, keep: bool) -> str | None:
        """Scan the value at the current position; its text when ``keep`` and not over the row limit, else None."""
        if not self._peek():
            raise self._error("unexpected end")
        start = i = self.pos
        depth, in_string, escape, oversize = 0, False, False, not keep
        scalar = self.buf[i] not in '{["'
        while True:
            if i >= len(self.buf):
                if not oversize and i - start > MAX_ROW_CHARS:
                    oversize = True
                self.pos = i
                shift = self._fill(i if oversize else start)
                if shift < 0:
                    if scalar:
                        break
                    raise self._error("the document ends inside a value")
                i -= shift
                start -= shift
                continue
            if scalar:
                i = _SCALAR_RUN.match(self.buf, i).end()  # type: ignore[union-attr]
                if i < len(self.buf):
                    break
                continue
            if escape:
                escape, i = False, i + 1
                continue
            if in_string:
                i = _STRING_RUN.match(self.buf, i).end()  # type: ignore[union-attr]
                if i >= len(self.buf):
                    continue
                if self.buf[i] == "\\":
                    escape = True
                else:
                    in_string = False
                i += 1
                if not in_string and depth == 0:
                    break
                continue
            i = _PLAIN_RUN.match(self.buf, i).end()  # type: ignore[union-attr]
            if i >= len(self.buf):
                continue
            c = self.buf[i]
            i += 1
            if c == '"':
                in_string = True
            elif c in "[{":
                depth += 1
            else:
                depth -= 1
                if depth <= 0:
                    break
        self.pos = i
        if oversize or (i - start) > MAX_ROW_CHARS:
            return None
        return self.buf[start:i]

    def _small(self, text: str | None, what: str) -> Any:
        """A key or a metadata value of the document itself: unreadable means the document is broken."""
        try:
            return json.loads(text or "")
        except (ValueError, RecursionError):
            raise self._error(f"{what} that is not JSON") from None

    def _elements(self, emit: bool) -> Iterator[tuple[int, Row]]:
        """The elements of the array whose ``[`` was just read."""
        if self._peek() == "]":
            self.pos += 1
            return
        n = 0
        while True:
            n += 1
            self._peek()
            line = self._line_at(self.pos)
            text = self._value(keep=emit)
            if emit:
                if self.unit is None:
                    self.unit = "line" if line > 1 else "record"
                row = _oversize_reason() if text is None else _as_row(_json_value(text))
                yield (line if self.unit == "line" else n), row
            if self._expect(",]") == "]":
                return

    def records(self) -> Iterator[tuple[int, Row]]:
        first = self._peek()
        if not first:  # an empty file: no rows
            return
        if first == "[":
            self.pos += 1
            yield from self._elements(emit=True)
        elif first == "{":
            self.pos += 1
            found = False
            while self._peek() != "}":
                key = self._small(self._value(keep=True), "a key")
                self._expect(":")
                c = self._peek()
                if c == "[" and not found:
                    self.pos += 1
                    found = self._peek() == "{"  # the postings: the first list of objects
                    yield from self._elements(emit=found)
                elif c == '"' and key in EXPORT_DATE_KEYS:
                    self.export_date = _date_or_none(self._small(self._value(keep=True), "an export date"))
                else:
                    self._value(keep=False)
                if self._expect(",}") == "}":
                    break
            else:
                self.pos += 1
            if not found:
                raise IngestError(
                    f"{self.path}: no list of postings found (a list, or an object with a list of objects)"
                )
        else:
            raise self._error("expected a list or an object")
        if self._peek():
            raise self._error("unexpected text after the document")


def _date_or_none(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class Rows:
    """``(line or record number, row)`` of a file; a row that cannot be read is the reason as a string.

    ``unit`` says which: "line", or "record" for a JSON dump written on one line. ``export_date``: the date a
    JSON dump states for itself, known once it is read.
    """

    def __init__(self, path: Path, fmt: Format | None = None, delimiter: str | None = ",") -> None:
        self.path = Path(path)
        self.delimiter = delimiter  # of a CSV file; None: told by the name and the header (see _sniff_delimiter)
        if not self.path.is_file():
            raise IngestError(f"{path} does not exist")
        self.fmt: Format = fmt or detect_format(self.path)
        self.export_date: date | None = None
        self._document: _JsonDocument | None = None

    @property
    def unit(self) -> str:
        return (self._document.unit if self._document else None) or ("record" if self.fmt == "json" else "line")

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        limit = csv.field_size_limit()
        try:
            with open_text(self.path) as fh:
                if self.fmt == "csv":
                    # The csv module's own limit (131,072) would stop the file; fields are checked per row instead.
                    csv.field_size_limit(MAX_ROW_CHARS)
                    yield from _csv_rows(fh, self.path, self.delimiter)
                elif self.fmt == "jsonl":
                    yield from _jsonl_rows(fh)
                else:
                    self._document = _JsonDocument(fh, self.path)
                    yield from self._document.records()
                    self.export_date = self._document.export_date
        except UnicodeDecodeError as exc:  # only a broken byte-order mark gets past surrogateescape
            raise IngestError(f"{self.path.name}: cannot decode ({exc.reason})") from None
        except OSError as exc:
            raise IngestError(f"{self.path}: cannot read ({exc.strerror or exc})") from None
        finally:
            csv.field_size_limit(limit)


def read_rows(path: Path, fmt: Format | None = None, delimiter: str | None = ",") -> Iterator[tuple[int, Row]]:
    """``(line or record number, row)`` of every record; a row that cannot be read is the reason as a string."""
    return iter(Rows(path, fmt, delimiter))


# ------------------------------------------------------------------------------------------- checking

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text_problem(value: str, where: str, limit: int) -> str | None:
    if "\x00" in value:
        return f"NUL byte in {where}"
    if not value.isascii() and _SURROGATE.search(value):
        return f"invalid UTF-8 in {where}"
    if len(value) > limit:
        return f"{where} longer than {limit:,} characters"
    return None


def row_problem(row: Mapping[str, Any], long_columns: frozenset[str] = frozenset()) -> str | None:
    """Why a row read from a file cannot be stored (NUL, invalid UTF-8, oversize, nesting, non-finite numbers).

    Walks every value, unmapped columns (kept in ``raw``) included, without recursion. ``long_columns`` may
    hold a description as long as extraction reads; any other field is limited to :data:`MAX_FIELD_CHARS`.
    """
    total = 0
    stack: list[tuple[Any, int, str]] = [(value, 1, str(key)) for key, value in row.items()]
    for key in row:
        problem = _text_problem(str(key), "a column name", 1000)
        if problem:
            return problem
    while stack:
        value, depth, column = stack.pop()
        if isinstance(value, str):
            total += len(value)
            limit = MAX_POSTING_CHARS if depth == 1 and column in long_columns else MAX_FIELD_CHARS
            problem = _text_problem(value, f"column {column[:40]!r}", limit)
            if problem:
                return problem
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                return f"column {column[:40]!r} nested deeper than {MAX_DEPTH} levels"
            if isinstance(value, dict):
                for key in value:
                    problem = _text_problem(str(key), f"a key of column {column[:40]!r}", 1000)
                    if problem:
                        return problem
            stack.extend((item, depth + 1, column) for item in (value.values() if isinstance(value, dict) else value))
        elif isinstance(value, float) and not math.isfinite(value):
            return f"number out of range in column {column[:40]!r}"
        if total > MAX_ROW_CHARS:
            return _oversize_reason()
    return None
