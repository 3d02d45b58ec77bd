"""ESCO taxonomy: labels for matching, CSV import into the database (v1.0–v1.2 layouts)."""

from __future__ import annotations

import csv
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

# The database side (SQLAlchemy, Alembic, the models) is imported by the functions that use it: the extractor
# imports EscoLabel from here, and `observatory extract` should not pay half a second for a database it never opens.
if TYPE_CHECKING:
    from observatory.storage import Database

log = logging.getLogger(__name__)


class EscoLabel(NamedTuple):
    """One label of an ESCO skill in one language, as the extractor's patterns consume it."""

    uri: str
    label: str
    lang: str  # "es" or "en"
    skill_type: str | None  # "skill/competence", "knowledge", … as ESCO writes it
    preferred: bool  # preferred label (True) or alternative label (False)


# ---------------------------------------------------------------------------
# Errors and reports
# ---------------------------------------------------------------------------


class EscoError(ValueError):
    """An ESCO download cannot be imported; the message says which file and why."""


class EscoFormatError(EscoError):
    """A CSV file of the ESCO download is malformed at a given line."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path.name}, line {line}: {problem} ({path})")


@dataclass
class EscoImportReport:
    """What one import read and wrote."""

    version: str
    directory: Path
    files: list[str] = field(default_factory=list)  # file names read
    skipped: list[str] = field(default_factory=list)  # CSV files not used (other languages, unknown)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows upserted
    seconds: float = 0.0


ProgressCallback = Callable[[str, int], None]
"""Called as ``progress(step, rows)`` after each step of an import (a file read, a table written)."""


# ---------------------------------------------------------------------------
# Finding the files of a download
# ---------------------------------------------------------------------------

_VERSION_RE = re.compile(r"^v?(\d+\.\d+(?:\.\d+)?)$", re.IGNORECASE)
_LANG = r"(?P<lang>[a-z]{2}(?:-[a-z]{2})?)"
# File kind -> name pattern. Relation files are language independent but newer releases suffix them.
_FILE_PATTERNS: dict[str, re.Pattern[str]] = {
    "skills": re.compile(rf"^skills_{_LANG}\.csv$", re.IGNORECASE),
    "skill_groups": re.compile(rf"^skillGroups_{_LANG}\.csv$", re.IGNORECASE),
    "occupations": re.compile(rf"^occupations_{_LANG}\.csv$", re.IGNORECASE),
    "isco_groups": re.compile(rf"^ISCOGroups_{_LANG}\.csv$", re.IGNORECASE),
    "skill_relations": re.compile(rf"^skillSkillRelations(?:_{_LANG})?\.csv$", re.IGNORECASE),
    "occupation_relations": re.compile(rf"^occupationSkillRelations(?:_{_LANG})?\.csv$", re.IGNORECASE),
    "broader_skill": re.compile(rf"^broaderRelationsSkillPillar(?:_{_LANG})?\.csv$", re.IGNORECASE),
    "broader_occupation": re.compile(rf"^broaderRelationsOccPillar(?:_{_LANG})?\.csv$", re.IGNORECASE),
    "collection": re.compile(rf"^(?P<name>[A-Za-z]+?)SkillsCollection_{_LANG}\.csv$"),
}
_LANGUAGE_INDEPENDENT = {"skill_relations", "occupation_relations", "broader_skill", "broader_occupation"}

# Columns without which a file of a kind means nothing; the rest are optional and vary by release.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "skills": ("conceptUri", "preferredLabel"),
    "skill_groups": ("conceptUri", "preferredLabel"),
    "occupations": ("conceptUri", "preferredLabel"),
    "isco_groups": ("conceptUri", "code", "preferredLabel"),
    "skill_relations": ("originalSkillUri", "relationType", "relatedSkillUri"),
    "occupation_relations": ("occupationUri", "relationType", "skillUri"),
    "broader_skill": ("conceptUri", "broaderUri"),
    "broader_occupation": ("conceptUri", "broaderUri"),
    "collection": ("conceptUri", "preferredLabel"),
}

# Widths of the bounded columns of the esco_* tables: checked while reading, so that an odd value
# is reported with its file and line instead of failing the database write halfway.
_MAX_WIDTH = {
    "skillType": 32,
    "reuseLevel": 32,
    "code": 32,
    "iscoGroup": 16,
    "relationType": 32,
}


def detect_version(csv_dir: Path) -> str | None:
    """The ESCO release named by the folder (``v1.2``, ``esco-v1.1.1`` …) or its parent (``v1.2/csv``).

    Only two levels: a version-like name higher up (``/opt/python/3.11/…``) says nothing about ESCO.
    """
    for part in (csv_dir, csv_dir.parent):
        name = part.name
        match = _VERSION_RE.match(name) or re.search(r"(?:^|[^\d.])v(\d+\.\d+(?:\.\d+)?)$", name, re.IGNORECASE)
        if match:
            return f"v{match.group(1)}"
    return None


def _normalise_version(version: str) -> str:
    match = _VERSION_RE.match(version.strip())
    if not match or len(match.group(1)) > 15:  # esco_version is 16 characters wide
        raise EscoError(f"ESCO version {version!r} is not like 'v1.2' or '1.1.1'")
    return f"v{match.group(1)}"


def _base_lang(lang: str) -> str:
    return lang.lower().split("-")[0]


@dataclass
class _Download:
    """The CSV files of one ESCO download, by kind: ``(lang, path, collection name)``."""

    files: dict[str, list[tuple[str | None, Path, str | None]]]
    skipped: list[str]


def _discover(csv_dir: Path, langs: Sequence[str]) -> _Download:
    if not csv_dir.is_dir():
        raise EscoError(f"{csv_dir} is not a folder of ESCO CSV files")
    wanted = [_base_lang(lang) for lang in langs]
    found: dict[str, list[tuple[str | None, Path, str | None]]] = {kind: [] for kind in _FILE_PATTERNS}
    skipped: list[str] = []
    for path in sorted(csv_dir.glob("*.csv")):
        for kind, pattern in _FILE_PATTERNS.items():
            match = pattern.match(path.name)
            if match:
                lang = match.group("lang")
                name = match.group("name").lower() if kind == "collection" else None
                found[kind].append((_base_lang(lang) if lang else None, path, name))
                break
        else:
            skipped.append(path.name)
    files: dict[str, list[tuple[str | None, Path, str | None]]] = {}
    for kind, entries in found.items():
        if kind in _LANGUAGE_INDEPENDENT:
            # The same relations in every language: read one copy, preferring the wanted languages.
            entries.sort(key=lambda e: (wanted.index(e[0]) if e[0] in wanted else len(wanted), e[1].name))
            files[kind] = entries[:1]
            skipped += [e[1].name for e in entries[1:]]
            continue
        keep: dict[tuple[str | None, str | None], tuple[str | None, Path, str | None]] = {}
        for lang, path, name in entries:
            if lang not in wanted:
                skipped.append(path.name)
                continue
            key = (lang, name)
            # skills_en.csv wins over skills_en-us.csv when a folder has both.
            if key in keep and "-" not in keep[key][1].stem.split("_")[-1]:
                skipped.append(path.name)
                continue
            if key in keep:
                skipped.append(keep[key][1].name)
            keep[key] = (lang, path, name)
        files[kind] = sorted(keep.values(), key=lambda e: (wanted.index(e[0] or ""), e[1].name))
    return _Download(files, sorted(skipped))


# ---------------------------------------------------------------------------
# Reading CSV files strictly, with line numbers
# ---------------------------------------------------------------------------


class _Lines:
    """Decoded lines of a file, counting physical lines so that errors can name one."""

    def __init__(self, path: Path, handle: BinaryIO) -> None:
        self.path = path
        self.handle = handle
        self.lineno = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self.handle.readline()
        if not raw:
            raise StopIteration
        self.lineno += 1
        if self.lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EscoFormatError(
                self.path,
                self.lineno,
                f"bytes that are not UTF-8 at column {exc.start + 1} ({raw[exc.start : exc.start + 4]!r}); "
                "ESCO files are UTF-8: re-download the file or convert it",
            ) from None


def _iter_records(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, record)`` for each record of an ESCO CSV file, or :class:`EscoFormatError`."""
    with path.open("rb") as handle:
        lines = _Lines(path, handle)
        reader = csv.reader(lines, strict=True)
        start = 1
        try:
            header = next(reader, None)
            if not header:
                raise EscoFormatError(path, 1, "the file is empty (no header line)")
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                hint = ""
                if len(header) == 1:
                    for delimiter, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
                        if delimiter in header[0]:
                            hint = f"; the header looks {name}-separated but ESCO CSV files are comma-separated"
                            break
                raise EscoFormatError(
                    path,
                    1,
                    f"missing required column(s) {', '.join(missing)} (header has {', '.join(header)[:200]}){hint}",
                )
            width = len(header)
            while True:
                start = lines.lineno + 1
                row = next(reader, None)
                if row is None:
                    return
                if not row:  # a blank line
                    continue
                if len(row) != width:
                    raise EscoFormatError(path, start, f"the record has {len(row)} fields but the header has {width}")
                if any("\x00" in value for value in row):
                    raise EscoFormatError(path, start, "a NUL byte inside the record (binary or corrupted file)")
                record = dict(zip(header, row, strict=True))
                for column, limit in _MAX_WIDTH.items():
                    value = record.get(column)
                    if value is not None and len(value.strip()) > limit:
                        raise EscoFormatError(
                            path, start, f"{column} {value.strip()[:60]!r} is longer than {limit} characters"
                        )
                yield start, record
        except csv.Error as exc:
            if "end of data" in str(exc):
                # The useful line is where the record (and its open quote) started, not the last line.
                raise EscoFormatError(
                    path,
                    start,
                    f"a quoted field opened on line {start} is not closed before the end of the file "
                    f"(line {lines.lineno}): truncated file or unbalanced quote",
                ) from None
            raise EscoFormatError(
                path, lines.lineno or start, f"CSV syntax error: {exc} (record starting on line {start})"
            ) from None


def _uri(path: Path, line: int, record: Mapping[str, str], column: str) -> str:
    value = record[column].strip()
    if not value.startswith(("http://", "https://")):
        raise EscoFormatError(path, line, f"{column} {value[:80]!r} is not an ESCO URI")
    return value


def _split_labels(value: str | None, *, pipes: bool = False) -> list[str]:
    """Alternative labels: newline separated in the main files, `` | `` separated in collections."""
    if not value:
        return []
    parts = re.split(r"\n| \| ", value) if pipes else value.split("\n")
    seen: dict[str, None] = {}
    for part in parts:
        label = part.strip()
        if label:
            seen.setdefault(label, None)
    return list(seen)


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


# ---------------------------------------------------------------------------
# Labels for the extractor
# ---------------------------------------------------------------------------


def labels_of(
    uri: str, lang: str, skill_type: str | None, preferred: str | None, alternatives: Sequence[str]
) -> Iterator[EscoLabel]:
    """One concept's labels in one language: the preferred label first, then alternatives without repeats."""
    seen: set[str] = set()
    if preferred:
        seen.add(preferred.casefold())
        yield EscoLabel(uri, preferred, lang, skill_type, True)
    for alt in alternatives:
        key = alt.casefold()
        if key not in seen:
            seen.add(key)
            yield EscoLabel(uri, alt, lang, skill_type, False)


def read_esco_labels(csv_dir: Path, langs: Sequence[str] = ("es", "en")) -> Iterator[EscoLabel]:
    """Stream the preferred and alternative labels of ESCO skills straight from a CSV download.

    Reads ``skills_{lang}.csv`` (or ``skills_en-us.csv``); a folder without it (such as a release
    shipped as collections only) gives the labels of the skills in its ``*SkillsCollection_{lang}.csv``.
    Raises :class:`EscoError` when no file has labels for any of ``langs``.
    """
    download = _discover(Path(csv_dir), langs)
    any_file = False
    for lang in (_base_lang(lang) for lang in langs):
        skills = [p for lg, p, _ in download.files["skills"] if lg == lang]
        if skills:
            any_file = True
            for line, rec in _iter_records(skills[0], _REQUIRED["skills"]):
                uri = _uri(skills[0], line, rec, "conceptUri")
                yield from labels_of(
                    uri,
                    lang,
                    _text(rec.get("skillType")),
                    _text(rec["preferredLabel"]),
                    _split_labels(rec.get("altLabels")),
                )
            continue
        done: set[str] = set()
        for lg, path, _ in download.files["collection"]:
            if lg != lang:
                continue
            any_file = True
            for line, rec in _iter_records(path, _REQUIRED["collection"]):
                uri = _uri(path, line, rec, "conceptUri")
                if uri in done:
                    continue
                done.add(uri)
                yield from labels_of(
                    uri,
                    lang,
                    _text(rec.get("skillType")),
                    _text(rec["preferredLabel"]),
                    _split_labels(rec.get("altLabels"), pipes=True),
                )
    if not any_file:
        raise EscoError(f"no skills_{{lang}}.csv or *SkillsCollection_{{lang}}.csv for {', '.join(langs)} in {csv_dir}")


def load_esco_labels(db: Database, langs: Sequence[str] = ("es", "en")) -> Iterator[EscoLabel]:
    """Stream the preferred and alternative labels of the ESCO skills imported into the database."""
    wanted = [_base_lang(lang) for lang in langs]
    unknown = [lang for lang in wanted if lang not in ("es", "en")]
    if unknown:
        raise EscoError(f"the database keeps ESCO labels in es and en only, not {', '.join(unknown)}")
    from sqlalchemy import select

    from observatory.storage.models import EscoSkill

    stmt = select(
        EscoSkill.uri,
        EscoSkill.skill_type,
        EscoSkill.label_es,
        EscoSkill.alt_labels_es,
        EscoSkill.label_en,
        EscoSkill.alt_labels_en,
    ).order_by(EscoSkill.uri)
    with db.engine.connect() as conn:
        for row in conn.execution_options(yield_per=2000).execute(stmt):
            for lang in wanted:
                preferred = row.label_es if lang == "es" else row.label_en
                alternatives = row.alt_labels_es if lang == "es" else row.alt_labels_en
                yield from labels_of(row.uri, lang, row.skill_type, preferred, alternatives or [])


# ---------------------------------------------------------------------------
# Import into the database
# ---------------------------------------------------------------------------


@dataclass
class _Parsed:
    """Everything one import will write, validated, keyed by natural key."""

    skills: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    occupations: dict[str, dict[str, Any]] = field(default_factory=dict)
    relations: dict[tuple[str, str, str], None] = field(default_factory=dict)
    collections: dict[str, set[str]] = field(default_factory=dict)
    has_collections: bool = False


def _describe_skill(row: dict[str, Any], rec: Mapping[str, str], lang: str, *, pipes: bool) -> None:
    """Fill a skill row from one record. A column the file lacks leaves the stored value alone (releases
    differ in columns); a column that is present but empty does clear it."""
    for column, key in (("skillType", "skill_type"), ("reuseLevel", "reuse_level")):
        value = _text(rec.get(column))
        if value is not None:  # the same in every language: any file that has it may say it
            row[key] = value
    row[f"label_{lang}"] = _text(rec["preferredLabel"])
    if "altLabels" in rec:
        row[f"alt_labels_{lang}"] = _split_labels(rec["altLabels"], pipes=pipes)
    if "description" in rec:
        row[f"description_{lang}"] = _text(rec["description"])


def _parse_download(download: _Download, version: str, progress: ProgressCallback | None) -> tuple[_Parsed, list[str]]:
    parsed = _Parsed()
    read: list[str] = []

    def done(path: Path, rows: int) -> None:
        read.append(path.name)
        if progress:
            progress(f"read {path.name}", rows)

    def concept(table: dict[str, dict[str, Any]], uri: str) -> dict[str, Any]:
        return table.setdefault(uri, {"uri": uri, "esco_version": version})

    described: set[tuple[str, str]] = set()  # (uri, lang) that a skills file describes
    for lang, path, _ in download.files["skills"]:
        assert lang is not None
        n = 0
        for line, rec in _iter_records(path, _REQUIRED["skills"]):
            n += 1
            uri = _uri(path, line, rec, "conceptUri")
            described.add((uri, lang))
            row = concept(parsed.skills, uri)
            _describe_skill(row, rec, lang, pipes=False)
        done(path, n)

    for lang, path, name in download.files["collection"]:
        assert lang is not None and name is not None
        parsed.has_collections = True
        n = 0
        for line, rec in _iter_records(path, _REQUIRED["collection"]):
            n += 1
            uri = _uri(path, line, rec, "conceptUri")
            parsed.collections.setdefault(uri, set()).add(name)
            row = concept(parsed.skills, uri)
            if (uri, lang) not in described:
                # Only the collection describes this skill in this language (e.g. v1.2 shipped as
                # collections): take its labels, which are the same concept's labels.
                _describe_skill(row, rec, lang, pipes=True)
            for broader in _split_labels(rec.get("broaderConceptUri"), pipes=True):
                if not broader.startswith(("http://", "https://")):
                    raise EscoFormatError(path, line, f"broaderConceptUri {broader[:80]!r} is not an ESCO URI")
                parsed.relations[(uri, broader, "broader")] = None
        done(path, n)

    for lang, path, _ in download.files["skill_groups"]:
        n = 0
        for line, rec in _iter_records(path, _REQUIRED["skill_groups"]):
            n += 1
            row = concept(parsed.groups, _uri(path, line, rec, "conceptUri"))
            row["code"] = _text(rec.get("code")) or row.get("code")
            row[f"label_{lang}"] = _text(rec["preferredLabel"])
        done(path, n)

    for kind, code_column in (("isco_groups", "code"), ("occupations", "iscoGroup")):
        for lang, path, _ in download.files[kind]:
            n = 0
            for line, rec in _iter_records(path, _REQUIRED[kind]):
                n += 1
                row = concept(parsed.occupations, _uri(path, line, rec, "conceptUri"))
                row["isco_group"] = _text(rec.get(code_column)) or row.get("isco_group")
                row[f"label_{lang}"] = _text(rec["preferredLabel"])
                if lang == "es":
                    row["alt_labels_es"] = _split_labels(rec.get("altLabels"))
            done(path, n)

    edge_columns = {
        "broader_skill": ("conceptUri", "broaderUri", None),
        "broader_occupation": ("conceptUri", "broaderUri", None),
        "skill_relations": ("originalSkillUri", "relatedSkillUri", "relationType"),
        "occupation_relations": ("occupationUri", "skillUri", "relationType"),
    }
    for kind, (source_col, target_col, relation_col) in edge_columns.items():
        for _, path, _ in download.files[kind]:
            n = 0
            for line, rec in _iter_records(path, _REQUIRED[kind]):
                n += 1
                relation = "broader" if relation_col is None else rec[relation_col].strip().lower()
                if not relation:
                    raise EscoFormatError(path, line, f"{relation_col} is empty")
                edge = (_uri(path, line, rec, source_col), _uri(path, line, rec, target_col), relation)
                parsed.relations[edge] = None
            done(path, n)

    if parsed.has_collections:
        for uri, row in parsed.skills.items():
            row["collections"] = sorted(parsed.collections.get(uri, ()))
    return parsed, read


def _grouped_by_columns(rows: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows split by the set of columns they carry: one upsert statement needs the same columns in
    every row, and a row only carries what this import knows (so a later English-only import does
    not blank the Spanish labels)."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(frozenset(row), []).append(row)
    return list(groups.values())


def import_esco(
    db: Database,
    csv_dir: Path,
    version: str | None = None,
    langs: Sequence[str] = ("es", "en"),
    progress: ProgressCallback | None = None,
) -> EscoImportReport:
    """Import an ESCO CSV download (v1.0–v1.2 layouts) into the ``esco_*`` tables.

    Every file is read and validated before anything is written, and everything is written in one
    transaction: a malformed file raises :class:`EscoFormatError` (file, line, problem) and leaves
    the database as it was. Re-importing is safe (upserts on URIs); Spanish and English files of
    the same release fill the same rows. ``version`` defaults to the folder name (``v1.2``).
    """
    from observatory.storage import upsert
    from observatory.storage.models import EscoOccupation, EscoRelation, EscoSkill, EscoSkillGroup

    started = time.perf_counter()
    csv_dir = Path(csv_dir)
    detected = detect_version(csv_dir.resolve())
    if version is None and detected is None:
        raise EscoError(f"cannot tell the ESCO version from the folder name {csv_dir}; pass it (e.g. 'v1.2')")
    esco_version = _normalise_version(version if version is not None else str(detected))
    download = _discover(csv_dir, langs)
    if not any(download.files.values()):
        raise EscoError(f"no ESCO CSV files (skills_es.csv, skillGroups_es.csv, occupations_es.csv, …) in {csv_dir}")
    parsed, read = _parse_download(download, esco_version, progress)
    report = EscoImportReport(esco_version, csv_dir, files=read, skipped=download.skipped)

    relations = [
        {"source_uri": s, "target_uri": t, "relation": r, "esco_version": esco_version} for s, t, r in parsed.relations
    ]
    plan: list[tuple[str, type[Any], list[dict[str, Any]], list[str]]] = [
        ("esco_skills", EscoSkill, list(parsed.skills.values()), ["uri"]),
        ("esco_skill_groups", EscoSkillGroup, list(parsed.groups.values()), ["uri"]),
        ("esco_occupations", EscoOccupation, list(parsed.occupations.values()), ["uri"]),
        ("esco_relations", EscoRelation, relations, ["source_uri", "target_uri", "relation"]),
    ]
    with db.engine.begin() as conn:  # one transaction: all or nothing
        for table, model, rows, key in plan:
            sent = 0
            for group in _grouped_by_columns(rows):
                sent += upsert(conn, model, group, conflict=key)
            report.rows[table] = sent
            if progress:
                progress(f"wrote {table}", sent)
    report.seconds = time.perf_counter() - started
    log.info("imported ESCO %s from %s: %s", esco_version, csv_dir, report.rows)
    return report


def esco_status(db: Database) -> dict[str, dict[str, int]]:
    """Rows per ESCO table and release: ``{"esco_skills": {"v1.2": 13485}, …}`` (empty tables: ``{}``)."""
    from sqlalchemy import func, select

    from observatory.storage.models import EscoOccupation, EscoRelation, EscoSkill, EscoSkillGroup

    status: dict[str, dict[str, int]] = {}
    with db.engine.connect() as conn:
        for model in (EscoSkill, EscoSkillGroup, EscoOccupation, EscoRelation):
            stmt = select(model.esco_version, func.count()).group_by(model.esco_version)
            status[model.__tablename__] = {v: n for v, n in conn.execute(stmt).all()}
    return status
