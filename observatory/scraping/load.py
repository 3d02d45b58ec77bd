"""Load normalised postings into ``postings`` by batch upsert, linking near-duplicates, and record the run.

Re-loading the same postings adds nothing: ids are ``portal:native_id``, ``first_seen`` keeps its first
value and ``last_seen`` moves. Near-duplicates (reposts, the same ad on two portals) are linked through
``duplicate_of`` to the earliest posting of their group; nothing is deleted. Crawls run outside the
pipeline drop files (JSON lines, CSV or JSON, gzipped or not) in ``<data_dir>/landing/<source_key>/``, which
:func:`load_landing_file` reads.
"""

from __future__ import annotations

import io
import json
import logging
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from observatory.scraping.fingerprint import FingerprintIndex, similar_titles
from observatory.scraping.items import RecordError, normalise_posting, validate_posting
from observatory.scraping.readers import Rows, row_problem
from observatory.sources import SOURCES
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import Posting, ScrapeRun

log = logging.getLogger(__name__)

LANDING = "landing"
# A load stages records in batches of this many rows or characters (whichever comes first) and upserts them in
# pages of PAGE_ROWS: the memory of a load does not grow with the size of its input.
STAGE_ROWS = 2000
STAGE_CHARS = 16_000_000
PAGE_ROWS = 2000
EXAMPLE_LINES = 5  # lines kept per reason for a summary; counts are always complete
# Columns of a landing record that may be as long as extraction reads (any other is limited to MAX_FIELD_CHARS).
LONG_COLUMNS = frozenset({"description", "description_text", "description_html"})
_COLUMNS = {c.name for c in Posting.__table__.columns}  # type: ignore[attr-defined]


def note_line(counts: dict[str, int], lines: dict[str, list[int]], line: int, reason: str) -> None:
    """Count ``reason`` and keep ``line`` among its first :data:`EXAMPLE_LINES`."""
    counts[reason] = counts.get(reason, 0) + 1
    kept = lines.setdefault(reason, [])
    if len(kept) < EXAMPLE_LINES:
        kept.append(line)


def _lines_text(lines: list[int], count: int) -> str:
    return ", ".join(map(str, lines)) + ("…" if count > len(lines) else "")


def repeats_text(count: int, repeated_lines: list[list[int]], unit: str = "line") -> str:
    """``lines 15 (first seen at 14), 20 (first seen at 3)…`` for ``count`` repeated rows."""
    shown = ", ".join(f"{line} (first seen at {first})" for line, first in repeated_lines)
    return f"{unit}s {shown}{'…' if count > len(repeated_lines) else ''}"


@dataclass
class LoadStats:
    """What one load did.

    Lines are the items' lines in their file (a landing file), else their positions in the load; only the first
    :data:`EXAMPLE_LINES` of each kind are kept. ``repeated_lines``: ``[line, first line]`` of repeated postings.
    """

    run_key: str = ""
    received: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # near-duplicates linked through duplicate_of
    repeated: int = 0  # the same posting twice in one load (kept once)
    invalid: int = 0
    invalid_reasons: dict[str, int] = field(default_factory=dict)
    invalid_lines: dict[str, list[int]] = field(default_factory=dict)
    repeated_lines: list[list[int]] = field(default_factory=list)
    scrape_run_id: int | None = None
    days: dict[str, int] = field(default_factory=dict)  # postings per partition day (see posting_day)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def reject(self, line: int, reason: str) -> None:
        self.invalid += 1
        note_line(self.invalid_reasons, self.invalid_lines, line, reason)

    def summary(self, name: str, unit: str = "line") -> str:
        """One line saying what the load of ``name`` did, rejected and repeated rows with their lines."""
        text = (
            f"{name}: {self.received} {unit}s read, {self.new} new, {self.updated} updated, {self.unchanged} "
            f"unchanged, {self.duplicates} near-duplicates"
        )
        if self.repeated:
            text += f"; {self.repeated} repeated ({repeats_text(self.repeated, self.repeated_lines, unit)})"
        if self.invalid:
            reasons = sorted(self.invalid_reasons.items(), key=lambda kv: -kv[1])
            text += f"; {self.invalid} rejected: " + "; ".join(
                f"{count} {reason} ({unit}s {_lines_text(self.invalid_lines.get(reason, []), count)})"
                for reason, count in reasons
            )
        return text


def _detect_language(text: str) -> str | None:
    try:
        from observatory.skills.language import detect_language
    except ImportError:  # the skills stage is optional for loading
        return None
    return detect_language(text)


def _timestamp(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def posting_day(date_posted: Any, first_seen: datetime) -> str:
    """The partition day of a posting: the UTC day it was posted, else the day it was first seen.

    The same rule as extraction's filter (``coalesce(date_posted, first_seen)``), so a loaded posting is
    always found by the partition it is announced in.
    """
    posted = _timestamp(date_posted)
    day = posted if posted is not None else first_seen
    if day.tzinfo is not None:
        day = day.astimezone(UTC)
    return day.date().isoformat()


def _row(record: dict[str, Any], run_id: int, now: datetime, first_seen: datetime | None = None) -> dict[str, Any]:
    raw = dict(record.get("raw") or {})
    for extra in ("skills_tags", "page_type", "scraped_at"):
        if record.get(extra) not in (None, [], ""):
            raw[extra] = record[extra]
    text = " ".join(x for x in (record.get("title"), record.get("description")) if x)
    row = {k: record.get(k) for k in _COLUMNS if k in record}
    row.update(
        id=posting_id(record["portal"], record["native_id"]),
        raw=raw,
        date_posted=_timestamp(record.get("date_posted")),
        valid_through=_timestamp(record.get("valid_through")),
        language=record.get("language") or _detect_language(text),
        first_seen=first_seen or now,
        last_seen=now,
        scrape_run_id=run_id,
        duplicate_of=record.get("duplicate_of"),
    )
    return row


class _Titles:
    """Titles of indexed postings: this page's from memory, stored ones from the database when asked."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.page: dict[str, str | None] = {}

    def get(self, posting_id: str) -> str | None:
        if posting_id in self.page:
            return self.page[posting_id]
        return self.session.scalar(select(Posting.title).where(Posting.id == posting_id))


def _same_job(title: str | None, titles: _Titles) -> Callable[[str], bool]:
    """Whether an indexed posting's title names the same job as ``title`` (near-duplicate links need it)."""
    return lambda other: similar_titles(title, titles.get(other))


def _prepared(
    items: Iterable[tuple[int, dict[str, Any]]], source_key: str, stats: LoadStats
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Normalise (when raw) and validate numbered items one at a time; invalid ones are rejected in ``stats``."""
    for line, item in items:
        stats.received += 1
        record = dict(item)
        if "content_hash" not in record:  # a raw item (e.g. a hand-written landing file)
            record.setdefault("source_key", source_key)
            try:
                record = normalise_posting(record)
            except RecordError as exc:
                stats.reject(line, f"cannot normalise: {exc}")
                continue
            except (KeyError, ValueError, TypeError, OverflowError, RecursionError) as exc:
                stats.reject(line, f"cannot normalise: {type(exc).__name__}")
                continue
        if record.get("source_key") != source_key:
            reason: str | None = f"source {record.get('source_key')!r} loaded as {source_key!r}"
        else:
            reason = validate_posting(record)
        if reason:
            stats.reject(line, reason)
            log.warning("invalid posting %s: %s", record.get("url") or record.get("native_id"), reason)
            continue
        yield line, record


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class StagedLoad:
    """One load of one source inside the caller's transaction, in bounded memory whatever its size.

    :meth:`add` streams records into a temporary table (``COPY`` in batches); :meth:`apply` keeps the last
    record of each posting id, then upserts them earliest first, one page at a time, so near-duplicates
    still point to the earliest posting of their group. Nothing is visible to others before the commit,
    and an error anywhere rolls the whole load back.
    """

    def __init__(
        self, session: Session, source_key: str, run_key: str, *, now: datetime | None = None, name: str = "0"
    ) -> None:
        if source_key not in SOURCES:
            raise ValueError(f"unknown source {source_key!r}")
        self.session = session
        self.source_key = source_key
        self.now = now or datetime.now(UTC)
        self.stats = LoadStats(run_key=run_key)
        self.staged = 0
        self.undated = 0  # staged records without a posting date (their day comes from first_seen)
        self._table = f"_load_staged_{name}"
        self._buffer: list[str] = []
        self._buffered = 0
        session.connection().exec_driver_sql(
            f'CREATE TEMP TABLE "{self._table}" (seq bigserial, pid text NOT NULL, sort_key text NOT NULL, '
            "line bigint NOT NULL, record text NOT NULL) ON COMMIT DROP"
        )

    def add(self, records: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """Stage valid, normalised records with their line numbers."""
        for line, record in records:
            self.stage(record, line)
        self.flush()

    def stage(self, record: dict[str, Any], line: int | None = None) -> None:
        """Stage one record (``line``: where it stands in its file, else its position in this load).

        Written in batches of :data:`STAGE_ROWS` rows or :data:`STAGE_CHARS` characters.
        """
        pid = posting_id(record["portal"], record["native_id"])
        # Earliest first (undated last), as one sorted list would be.
        sort_key = str(record.get("date_posted") or "9999")
        number = line if line is not None else self.staged + 1
        text = f"{_copy_text(pid)}\t{_copy_text(sort_key)}\t{number}\t{_copy_text(json.dumps(record, default=str))}\n"
        self._buffer.append(text)
        self._buffered += len(text)
        self.staged += 1
        self.undated += not record.get("date_posted")
        if len(self._buffer) >= STAGE_ROWS or self._buffered >= STAGE_CHARS:
            self.flush()

    def flush(self) -> None:
        """Write the buffered records to the staging table."""
        if self._buffer:
            self._copy(self._buffer)
        self._buffer, self._buffered = [], 0

    def _copy(self, lines: list[str]) -> None:
        dbapi = self.session.connection().connection.dbapi_connection
        with dbapi.cursor() as cur:  # type: ignore[union-attr]
            cur.copy_expert(
                f'COPY "{self._table}" (pid, sort_key, line, record) FROM STDIN', io.StringIO("".join(lines))
            )

    def apply(
        self,
        *,
        crawl_summary: dict[str, Any] | None = None,
        undated_seen: datetime | None = None,
        record_empty: bool = True,
    ) -> LoadStats:
        """Upsert the staged postings and record the ``scrape_runs`` row.

        ``undated_seen``: when new postings without a date were first seen (a historical file's export date),
        instead of now. ``record_empty=False``: nothing staged records no run (an empty file loaded nothing).
        """
        self.flush()
        session, stats, now = self.session, self.stats, self.now
        conn = session.connection()
        unique = f"{self._table}_unique"
        conn.exec_driver_sql(
            f'CREATE TEMP TABLE "{unique}" ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY sort_key, pid) AS n, '
            f'record FROM (SELECT DISTINCT ON (pid) pid, sort_key, record FROM "{self._table}" '
            "ORDER BY pid, seq DESC) AS latest"
        )
        total = int(conn.exec_driver_sql(f'SELECT count(*) FROM "{unique}"').scalar_one())
        stats.repeated = self.staged - total
        if stats.repeated:  # rare: the sort by posting id is paid only when there is something to show
            stats.repeated_lines = [
                [int(line), int(first)]
                for line, first in conn.exec_driver_sql(
                    f"SELECT line, first FROM (SELECT seq, line, row_number() OVER w AS k, first_value(line) OVER w "
                    f'AS first FROM "{self._table}" WINDOW w AS (PARTITION BY pid ORDER BY seq)) AS t '
                    f"WHERE k > 1 ORDER BY seq LIMIT {EXAMPLE_LINES}"
                )
            ]
        conn.exec_driver_sql(f'DROP TABLE "{self._table}"')
        conn.exec_driver_sql(f'CREATE INDEX ON "{unique}" (n)')
        if not total and not record_empty:
            return stats
        upsert(
            session,
            ScrapeRun,
            [{"run_key": stats.run_key, "source_key": self.source_key, "started_at": now, "status": "loading",
              "stats": {}}],
            conflict=["run_key"],
            update=["status"],
        )  # fmt: skip
        run_id = session.execute(select(ScrapeRun.id).where(ScrapeRun.run_key == stats.run_key)).scalar_one()
        stats.scrape_run_id = run_id
        index = FingerprintIndex()
        # Streamed: every stored posting is indexed, and a million of them must not be held as rows at once.
        for pid, fp in session.execute(
            select(Posting.id, Posting.fingerprint)
            .where(Posting.fingerprint.is_not(None), Posting.duplicate_of.is_(None))
            .execution_options(yield_per=20_000)
        ):
            index.add(int(fp or 0), pid)
        # A near-duplicate link needs similar titles, not only similar text: titles of this page are at hand,
        # those of stored postings (earlier pages included) are read for the rare candidates only.
        titles = _Titles(session)
        days: Counter[str] = Counter()
        first = 0
        while first < total:
            # A page is PAGE_ROWS records or STAGE_CHARS characters, whichever comes first (at least one record).
            last, size = first + 1, 0
            for n, length in conn.exec_driver_sql(
                f'SELECT n, length(record) FROM "{unique}" WHERE n > %(a)s ORDER BY n LIMIT %(k)s',
                {"a": first, "k": PAGE_ROWS},
            ):
                size += length
                if size > STAGE_CHARS and n > first + 1:
                    break
                last = n
            page = [
                json.loads(r)
                for (r,) in conn.exec_driver_sql(
                    f'SELECT record FROM "{unique}" WHERE n > %(a)s AND n <= %(b)s ORDER BY n', {"a": first, "b": last}
                )
            ]
            first = last
            ids = [posting_id(r["portal"], r["native_id"]) for r in page]
            existing = {
                row.id: row
                for row in session.execute(
                    select(Posting.id, Posting.content_hash, Posting.duplicate_of, Posting.first_seen).where(
                        Posting.id.in_(ids)
                    )
                )
            }
            rows = []
            titles.page = {}
            for pid, record in zip(ids, page, strict=True):
                before = existing.get(pid)
                seen = now if record.get("date_posted") or undated_seen is None else undated_seen
                days[posting_day(record.get("date_posted"), before.first_seen if before is not None else seen)] += 1
                if before is None:
                    stats.new += 1
                elif before.content_hash != record.get("content_hash"):
                    stats.updated += 1
                else:
                    stats.unchanged += 1
                fp = record.get("fingerprint")
                duplicate_of = before.duplicate_of if before is not None else None
                changed = before is None or before.content_hash != record.get("content_hash")
                if duplicate_of is None and fp is not None and changed:
                    duplicate_of = index.nearest(int(fp), exclude=pid, accept=_same_job(record.get("title"), titles))
                if duplicate_of is not None:
                    stats.duplicates += 1
                elif fp is not None:
                    index.add(int(fp), pid)
                    titles.page[pid] = record.get("title")
                rows.append(_row({**record, "duplicate_of": duplicate_of}, run_id, now, first_seen=seen))
            upsert(session, Posting, rows, conflict=["id"], keep_first=("first_seen",))
        stats.days = dict(sorted(days.items()))
        upsert(
            session,
            ScrapeRun,
            [
                {
                    "run_key": stats.run_key,
                    "source_key": self.source_key,
                    "finished_at": datetime.now(UTC),
                    "status": "loaded",
                    "stats": {"crawl": crawl_summary or {}, "load": stats.as_dict()},
                }
            ],
            conflict=["run_key"],
            update=["finished_at", "status", "stats"],
        )
        return stats


def load_postings(
    db: Database,
    items: Iterable[dict[str, Any]],
    source_key: str,
    run_key: str,
    *,
    crawl_summary: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> LoadStats:
    """Upsert normalised postings of ``source_key`` and record the ``scrape_runs`` row ``run_key``.

    Items that fail validation are counted by reason (and logged), never stored half-way. Items are read
    once, as they come: memory stays bounded whatever their number (see :class:`StagedLoad`).
    """
    return _load_numbered(db, enumerate(items, start=1), source_key, run_key, crawl_summary=crawl_summary, now=now)


def _load_numbered(
    db: Database,
    items: Iterable[tuple[int, dict[str, Any]]],
    source_key: str,
    run_key: str,
    *,
    crawl_summary: dict[str, Any] | None = None,
    now: datetime | None = None,
    stats: LoadStats | None = None,
) -> LoadStats:
    if source_key not in SOURCES:
        raise ValueError(f"unknown source {source_key!r}")
    with db.session() as session:
        load = StagedLoad(session, source_key, run_key, now=now)
        if stats is not None:  # rows the reader already rejected are counted in it
            load.stats = stats
            stats.run_key = run_key
        load.add(_prepared(items, source_key, load.stats))
        return load.apply(crawl_summary=crawl_summary)


# ------------------------------------------------------------------------------------ landing folder


def landing_dir(data_dir: Path, source_key: str | None = None) -> Path:
    """``<data_dir>/landing[/<source_key>]``."""
    base = Path(data_dir) / LANDING
    return base / source_key if source_key else base


# What a crawl or an export may land: the formats ``observatory ingest`` reads (Scrapy's feed exports write them
# too), gzipped or not. A crawl's own report (``<name>.stats.json``) lies beside its file and is no postings file.
LANDING_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".json")
REPORT_SUFFIX = ".stats.json"


def is_landing_file(path: Path) -> bool:
    """Whether ``path`` is named as a landed postings file: ``*.jsonl``, ``*.csv``, ``*.json``, each ``.gz`` too."""
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(LANDING_SUFFIXES) and not name.endswith(REPORT_SUFFIX) and not name.startswith(".")


def landing_files(data_dir: Path, problems: list[tuple[Path, str]] | None = None) -> list[tuple[str, Path]]:
    """``(source_key, path)`` of every landed postings file (:func:`is_landing_file`), oldest first.

    Only regular files are taken (a FIFO would block the reader). A folder that cannot be listed, or a file that
    goes away while it is listed, is left out and noted in ``problems`` as ``(path, reason)``.
    """
    found: list[tuple[float, str, Path]] = []
    base = landing_dir(data_dir)
    folders: list[Path] = [base]
    try:
        if not base.is_dir():
            return []
        folders = sorted(f for f in base.iterdir() if f.name in SOURCES and f.is_dir())
    except OSError as exc:
        _note(problems, folders[0], exc)
        return []
    for folder in folders:
        try:
            paths = sorted(p for p in folder.iterdir() if is_landing_file(p))
        except OSError as exc:
            _note(problems, folder, exc)
            continue
        for path in paths:
            try:
                st = path.stat()
            except OSError as exc:
                _note(problems, path, exc)
                continue
            if stat.S_ISREG(st.st_mode):
                found.append((st.st_mtime, folder.name, path))
    return [(source_key, path) for _, source_key, path in sorted(found, key=lambda f: (f[0], str(f[2])))]


def _note(problems: list[tuple[Path, str]] | None, path: Path, exc: OSError) -> None:
    reason = f"cannot list or stat: {exc.strerror or exc}"
    log.warning("%s: %s", path, reason)
    if problems is not None:
        problems.append((path, reason))


def landing_key(path: Path) -> str:
    """A stable identity for one version of a landing file (name, size, modification time)."""
    st = path.stat()
    return f"{path.parent.name}/{path.name}:{st.st_size}:{int(st.st_mtime)}"


def unreadable_key(path: Path) -> str:
    """The identity of a landed file that could not be read: :func:`landing_key` and the inode's change time, so
    that a fix which keeps the size and modification time (``chmod``, ``touch -r``) still counts as a change."""
    return f"unreadable:{landing_key(path)}:{path.stat().st_ctime_ns}"


def _csv_item(row: dict[str, Any]) -> dict[str, Any]:
    """A raw item from a CSV row as Scrapy's CSV feed export writes one: an empty cell is no value, the employer's
    tags are joined by commas, and a ``raw`` cell (no object in CSV) is kept as text."""
    item = {k: v for k, v in row.items() if v not in (None, "")}
    if isinstance(item.get("skills_tags"), str):
        item["skills_tags"] = [t.strip() for t in item["skills_tags"].split(",") if t.strip()]
    if isinstance(item.get("raw"), str):
        item["raw"] = {"csv": item["raw"]}
    return item


def read_landing(
    path: Path, stats: LoadStats | None = None, rows: Rows | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, item)`` of a landed file of any format :func:`is_landing_file` takes, read as a stream.

    A row that cannot be stored (not JSON or not an object, invalid UTF-8, a NUL byte, longer than the row limit,
    nested too deeply; see :func:`observatory.scraping.readers.row_problem`) is rejected in ``stats`` with its
    line and reason (and logged), never repaired; the other rows are all read. A file that cannot be read at all
    (permissions, a broken gzip, a JSON document that is not one) raises
    :class:`~observatory.scraping.readers.IngestError`.
    """
    rows = rows or Rows(Path(path))
    for line, row in rows:
        problem = row if isinstance(row, str) else row_problem(row, LONG_COLUMNS)
        if problem is None and isinstance(row, dict):
            yield line, _csv_item(row) if rows.fmt == "csv" else row
            continue
        log.warning("%s %s %d: %s", path, rows.unit, line, problem)
        if stats is not None:
            stats.received += 1
            stats.reject(line, str(problem))


def read_jsonl(path: Path, stats: LoadStats | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, record)`` of a JSON-lines file (optionally gzipped, by its name): :func:`read_landing`."""
    return read_landing(path, stats, Rows(Path(path), "jsonl"))


def _report_of(path: Path) -> Path:
    """The crawl report beside a landed file: ``crawl.jsonl`` (or ``crawl.jsonl.gz``) → ``crawl.stats.json``."""
    name = path.name.removesuffix(".gz")
    stem = next((name[: -len(s)] for s in LANDING_SUFFIXES if name.lower().endswith(s)), path.stem)
    return path.with_name(stem + REPORT_SUFFIX)


def load_landing_file(db: Database, path: Path, source_key: str | None = None) -> LoadStats:
    """Load one landed file (its folder names the source); the run key is the file's identity.

    Every row that cannot be read or stored is rejected by itself with its line (see :func:`read_landing`), and
    the load is logged as one summary line (:meth:`LoadStats.summary`). A file that cannot be read at all raises
    :class:`~observatory.scraping.readers.IngestError` and loads nothing (the load is one transaction).
    """
    path = Path(path)
    source_key = source_key or path.parent.name
    crawl: dict[str, Any] = {"file": str(path)}
    report = _report_of(path)
    if report.exists():
        try:
            crawl.update(json.loads(report.read_text(encoding="utf-8")).get("summary", {}))
        except (OSError, ValueError, AttributeError):  # not JSON, not UTF-8, not an object, not readable
            crawl["report"] = "unreadable"
    rows = Rows(path)
    stats = LoadStats()
    stats = _load_numbered(
        db,
        read_landing(path, stats, rows),
        source_key,
        f"landing:{landing_key(path)}",
        crawl_summary=crawl,
        stats=stats,
    )
    log.info("%s", stats.summary(path.name, rows.unit))
    return stats
