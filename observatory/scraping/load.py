"""Load normalised postings into ``postings`` by batch upsert, linking near-duplicates, and record the run.

Re-loading the same postings adds nothing: ids are ``portal:native_id``, ``first_seen`` keeps its first
value and ``last_seen`` moves. Near-duplicates (reposts, the same ad on two portals) are linked through
``duplicate_of`` to the earliest posting of their group; nothing is deleted. Crawls run outside the
pipeline drop JSON-lines files in ``<data_dir>/landing/<source_key>/``, which :func:`load_landing_file` reads.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from observatory.scraping.fingerprint import FingerprintIndex, similar_titles
from observatory.scraping.items import normalise_posting, validate_posting
from observatory.sources import SOURCES
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import Posting, ScrapeRun

log = logging.getLogger(__name__)

LANDING = "landing"
_COLUMNS = {c.name for c in Posting.__table__.columns}  # type: ignore[attr-defined]


@dataclass
class LoadStats:
    """What one load did."""

    run_key: str = ""
    received: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # near-duplicates linked through duplicate_of
    repeated: int = 0  # the same posting twice in one load (kept once)
    invalid: int = 0
    invalid_reasons: dict[str, int] = field(default_factory=dict)
    scrape_run_id: int | None = None
    days: dict[str, int] = field(default_factory=dict)  # postings per partition day (see posting_day)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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


def _row(record: dict[str, Any], run_id: int, now: datetime) -> dict[str, Any]:
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
        first_seen=now,
        last_seen=now,
        scrape_run_id=run_id,
        duplicate_of=record.get("duplicate_of"),
    )
    return row


def _same_job(title: str | None, titles: dict[str, str | None]) -> Callable[[str], bool]:
    """Whether an indexed posting's title names the same job as ``title`` (near-duplicate links need it)."""
    return lambda other: similar_titles(title, titles.get(other))


def _prepare(items: Iterable[dict[str, Any]], source_key: str, stats: LoadStats) -> dict[str, dict[str, Any]]:
    """Normalise (when raw), validate and de-duplicate exact repeats; returns records by posting id."""
    reasons: Counter[str] = Counter()
    records: dict[str, dict[str, Any]] = {}
    for item in items:
        stats.received += 1
        record = dict(item)
        if "content_hash" not in record:  # a raw item (e.g. a hand-written landing file)
            record.setdefault("source_key", source_key)
            try:
                record = normalise_posting(record)
            except (KeyError, ValueError, TypeError) as exc:
                reasons[f"cannot normalise: {type(exc).__name__}"] += 1
                continue
        if record.get("source_key") != source_key:
            reason: str | None = f"source {record.get('source_key')!r} loaded as {source_key!r}"
        else:
            reason = validate_posting(record)
        if reason:
            reasons[reason if reason.startswith("source") else reason.split(" '")[0]] += 1
            log.warning("invalid posting %s: %s", record.get("url") or record.get("native_id"), reason)
            continue
        pid = posting_id(record["portal"], record["native_id"])
        if pid in records:
            stats.repeated += 1
        records[pid] = record
    stats.invalid = sum(reasons.values())
    stats.invalid_reasons = dict(reasons)
    return records


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

    Items that fail validation are counted by reason (and logged), never stored half-way.
    """
    if source_key not in SOURCES:
        raise ValueError(f"unknown source {source_key!r}")
    now = now or datetime.now(UTC)
    stats = LoadStats(run_key=run_key)
    records = _prepare(items, source_key, stats)
    with db.session() as session:
        upsert(
            session,
            ScrapeRun,
            [{"run_key": run_key, "source_key": source_key, "started_at": now, "status": "loading", "stats": {}}],
            conflict=["run_key"],
            update=["status"],
        )
        run_id = session.execute(select(ScrapeRun.id).where(ScrapeRun.run_key == run_key)).scalar_one()
        stats.scrape_run_id = run_id
        existing = {
            row.id: row
            for row in session.execute(
                select(Posting.id, Posting.content_hash, Posting.duplicate_of, Posting.first_seen).where(
                    Posting.id.in_(list(records))
                )
            )
        }
        index = FingerprintIndex()
        titles: dict[str, str | None] = {}  # a near-duplicate link needs similar titles, not only similar text
        for pid, fp, title in session.execute(
            select(Posting.id, Posting.fingerprint, Posting.title).where(
                Posting.fingerprint.is_not(None), Posting.duplicate_of.is_(None)
            )
        ):
            index.add(int(fp or 0), pid)
            titles[pid] = title
        # Earliest first, so that a group's first posting is the one the others point to.
        ordered = sorted(records.items(), key=lambda kv: (kv[1].get("date_posted") or "9999", kv[0]))
        rows = []
        days: Counter[str] = Counter()
        for pid, record in ordered:
            before = existing.get(pid)
            days[posting_day(record.get("date_posted"), before.first_seen if before is not None else now)] += 1
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
                titles[pid] = record.get("title")
            rows.append(_row({**record, "duplicate_of": duplicate_of}, run_id, now))
        upsert(session, Posting, rows, conflict=["id"], keep_first=("first_seen",))
        stats.days = dict(sorted(days.items()))
        upsert(
            session,
            ScrapeRun,
            [
                {
                    "run_key": run_key,
                    "source_key": source_key,
                    "finished_at": datetime.now(UTC),
                    "status": "loaded",
                    "stats": {"crawl": crawl_summary or {}, "load": stats.as_dict()},
                }
            ],
            conflict=["run_key"],
            update=["finished_at", "status", "stats"],
        )
    return stats


# ------------------------------------------------------------------------------------ landing folder


def landing_dir(data_dir: Path, source_key: str | None = None) -> Path:
    """``<data_dir>/landing[/<source_key>]``."""
    base = Path(data_dir) / LANDING
    return base / source_key if source_key else base


def landing_files(data_dir: Path) -> list[tuple[str, Path]]:
    """``(source_key, path)`` of every ``*.jsonl`` in the landing folder, oldest first."""
    found: list[tuple[str, Path]] = []
    base = landing_dir(data_dir)
    if not base.is_dir():
        return []
    for folder in sorted(base.iterdir()):
        if folder.is_dir() and folder.name in SOURCES:
            found.extend((folder.name, path) for path in folder.glob("*.jsonl"))
    return sorted(found, key=lambda sp: (sp[1].stat().st_mtime, str(sp[1])))


def landing_key(path: Path) -> str:
    """A stable identity for one version of a landing file (name, size, modification time)."""
    st = path.stat()
    return f"{path.parent.name}/{path.name}:{st.st_size}:{int(st.st_mtime)}"


def read_jsonl(path: Path, errors: Counter[str] | None = None) -> Iterator[dict[str, Any]]:
    """Records of a JSON-lines file; unreadable lines are counted in ``errors`` (and logged), not fatal."""
    with Path(path).open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                log.warning("%s line %d is not JSON", path, n)
                if errors is not None:
                    errors["line is not JSON"] += 1
                continue
            if isinstance(value, dict):
                yield value
            elif errors is not None:
                errors["line is not an object"] += 1


def load_landing_file(db: Database, path: Path, source_key: str | None = None) -> LoadStats:
    """Load one landed JSON-lines file (its folder names the source); the run key is the file's identity."""
    path = Path(path)
    source_key = source_key or path.parent.name
    errors: Counter[str] = Counter()
    crawl: dict[str, Any] = {"file": str(path)}
    report = path.with_suffix(".stats.json")
    if report.exists():
        try:
            crawl.update(json.loads(report.read_text(encoding="utf-8")).get("summary", {}))
        except (json.JSONDecodeError, AttributeError):
            crawl["report"] = "unreadable"
    stats = load_postings(db, read_jsonl(path, errors), source_key, f"landing:{landing_key(path)}", crawl_summary=crawl)
    if errors:
        stats.invalid += sum(errors.values())
        stats.invalid_reasons.update(errors)
    return stats
