"""Extract the stored postings that the current extractor version has not seen, and keep the mentions.

In ``skill_mentions`` offsets are relative to the start of the description; a mention in the title has
negative offsets (the title sits before the description, separated by two characters), so a title
mention never collides with a description mention at the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, true, update
from sqlalchemy.orm import Session

from observatory.limits import MAX_POSTING_CHARS
from observatory.skills.extractor import ExtractionResult, SkillExtractor, default_extractor
from observatory.skills.occupations import OccupationCoder, default_occupation_coder
from observatory.skills.sections import TITLE
from observatory.storage import Database, upsert
from observatory.storage.models import CanonicalSkill, ExtractionRun, Posting, SkillMention


@dataclass
class ExtractionStats:
    """What one extraction pass did."""

    postings: int = 0
    mentions: int = 0
    without_skills: int = 0
    with_esco_uri: int = 0
    occupations_coded: int = 0
    occupations_unknown: int = 0
    oversize: int = 0  # postings longer than extraction reads, skipped (see extract_postings)
    top_skills: Counter[str] = field(default_factory=Counter)

    @property
    def mentions_per_posting(self) -> float:
        return self.mentions / self.postings if self.postings else 0.0

    @property
    def esco_coverage(self) -> float:
        """Share of mentions whose skill has an ESCO URI."""
        return self.with_esco_uri / self.mentions if self.mentions else 0.0

    @property
    def share_without_skills(self) -> float:
        return self.without_skills / self.postings if self.postings else 0.0


def _posting_day() -> Any:
    return func.coalesce(Posting.date_posted, Posting.first_seen)


def posting_filter(source_key: str | None = None, start: datetime | None = None, end: datetime | None = None) -> Any:
    """SQL condition: postings of a source whose date (posted, else first seen) is in ``[start, end)``."""
    conditions = []
    if source_key is not None:
        conditions.append(Posting.source_key == source_key)
    if start is not None:
        conditions.append(_posting_day() >= start)
    if end is not None:
        conditions.append(_posting_day() < end)
    return and_(true(), *conditions)


def pending_posting_ids(
    session: Session,
    version: str,
    source_key: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[str]:
    """Ids of postings matching the filter that ``version`` has not extracted yet."""
    done = exists().where(ExtractionRun.posting_id == Posting.id, ExtractionRun.extractor_version == version)
    query = select(Posting.id).where(posting_filter(source_key, start, end), ~done).order_by(Posting.id)
    return list(session.scalars(query))


def _canonical_rows(results: Iterable[ExtractionResult], extractor: SkillExtractor) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for result in results:
        for mention in result.mentions:
            if mention.skill_id in rows:
                continue
            target = extractor.target(mention.skill_id)
            entry = target.entry if target is not None else None
            name_en: str | None
            if entry is not None:
                name, name_es, name_en = entry.name, entry.name_es or entry.name, entry.name_en or entry.name
            elif target is not None:  # an ESCO concept the vocabulary lacks: ESCO's preferred labels
                name, name_es, name_en = target.name, target.name, target.name_en
            else:
                name, name_es, name_en = mention.name, mention.name, None
            rows[mention.skill_id] = {
                "id": mention.skill_id,
                "name": name,
                "name_es": name_es,
                "name_en": name_en,
                "esco_uri": mention.esco_uri,
                "skill_type": mention.skill_type,
                "category": mention.category,
            }
    return list(rows.values())


def store_extractions(
    session: Session,
    extracted: Iterable[tuple[str, ExtractionResult, int]],
    extractor: SkillExtractor,
    stats: ExtractionStats | None = None,
) -> ExtractionStats:
    """Upsert canonical skills, mentions and extraction runs of ``(posting_id, result, title_length)`` triples."""
    stats = stats if stats is not None else ExtractionStats()
    items = list(extracted)
    version = extractor.version
    upsert(session, CanonicalSkill, _canonical_rows((r for _, r, _ in items), extractor), conflict=["id"])
    mention_rows = []
    run_rows = []
    for posting_id, result, title_length in items:
        for m in result.mentions:
            # Offsets relative to the description start; the title lies before it (negative offsets).
            shift = -(title_length + 2) if m.section == TITLE else 0
            mention_rows.append(
                {
                    "posting_id": posting_id,
                    "skill_id": m.skill_id,
                    "start": m.start + shift,
                    "end": m.end + shift,
                    "surface": m.surface,
                    "esco_uri": m.esco_uri,
                    "skill_type": m.skill_type,
                    "method": m.method,
                    "section": m.section,
                    "importance": m.importance,
                    "confidence": m.confidence,
                    "extractor_version": version,
                }
            )
        run_rows.append(
            {
                "posting_id": posting_id,
                "extractor_version": version,
                "language": result.language,
                "mentions": len(result.mentions),
            }
        )
        stats.postings += 1
        stats.mentions += len(result.mentions)
        stats.without_skills += not result.mentions
        stats.with_esco_uri += sum(1 for m in result.mentions if m.esco_uri)
        stats.top_skills.update(set(result.skill_names))
    if mention_rows:
        upsert(
            session,
            SkillMention,
            mention_rows,
            conflict=["posting_id", "skill_id", "start", "end", "extractor_version"],
        )
    if run_rows:
        upsert(session, ExtractionRun, run_rows, conflict=["posting_id", "extractor_version"])
    return stats


def _chunks(ids: list[str], size: int) -> Iterator[list[str]]:
    for offset in range(0, len(ids), size):
        yield ids[offset : offset + size]


def extract_postings(
    db: Database,
    extractor: SkillExtractor | None = None,
    *,
    source_key: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    chunk_size: int = 500,
) -> ExtractionStats:
    """Extract every matching posting the extractor's version has not seen; one transaction per chunk,
    so an interrupted run keeps what it finished and a re-run does only the rest."""
    extractor = extractor or default_extractor()
    stats = ExtractionStats()
    with db.session() as session:
        pending = pending_posting_ids(session, extractor.version, source_key, start, end)
        # A posting stored before ingest refused oversize ones must not fail its whole partition on every run:
        # it is skipped and counted (it stays pending, so a later, larger limit would still extract it).
        too_long = func.coalesce(func.length(Posting.description), 0) + func.coalesce(func.length(Posting.title), 0)
        oversize = set(
            session.scalars(
                select(Posting.id).where(posting_filter(source_key, start, end), too_long > MAX_POSTING_CHARS)
            )
        )
    if oversize:
        stats.oversize = len(oversize.intersection(pending))
        pending = [pid for pid in pending if pid not in oversize]
    for chunk in _chunks(pending, chunk_size):
        with db.session() as session:
            rows = session.execute(
                select(Posting.id, Posting.title, Posting.description, Posting.raw)
                .where(Posting.id.in_(chunk))
                .order_by(Posting.id)
            ).all()
            # Employer tags (Computrabajo's skill chips) become portal_tag mentions beside the text's.
            results = extractor.extract_many([(r.description, r.title, _employer_tags(r.raw)) for r in rows])
            extracted = [
                (r.id, result, len((r.title or "").replace("\n", " "))) for r, result in zip(rows, results, strict=True)
            ]
            store_extractions(session, extracted, extractor, stats)
            code_occupations(session, rows, stats=stats)
            languages = {pid: res.language for pid, res, _ in extracted if res.language != "und"}
            for language in set(languages.values()):
                ids = [pid for pid, lang in languages.items() if lang == language]
                session.execute(
                    update(Posting).where(Posting.id.in_(ids), Posting.language.is_(None)).values(language=language)
                )
    return stats


def _employer_tags(raw: Any) -> list[str]:
    tags = raw.get("skills_tags") if isinstance(raw, dict) else None
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def code_occupations(
    session: Session, rows: Iterable[Any], coder: OccupationCoder | None = None, stats: ExtractionStats | None = None
) -> int:
    """Code postings (rows with ``id``, ``title``, ``description``) to an ESCO occupation and ISCO-08 group,
    stored beside the posting; an unknown one keeps the reason. Returns how many were coded."""
    coder = coder or default_occupation_coder()
    items = list(rows)
    if not items:
        return 0
    codes = coder.code_many((r.title, r.description) for r in items)
    values = [
        {
            "id": r.id,
            "occupation_uri": code.uri,
            "isco_code": code.isco_code,
            "occupation_confidence": code.confidence,
            "occupation_method": code.stored_method,
            "occupation_version": coder.version,
        }
        for r, code in zip(items, codes, strict=True)
    ]
    session.execute(update(Posting), values)
    if stats is not None:
        stats.occupations_coded += sum(1 for v in values if v["isco_code"])
        stats.occupations_unknown += sum(1 for v in values if not v["isco_code"])
    return len(values)


def partition_summary(
    db: Database,
    version: str,
    source_key: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    top: int = 10,
) -> dict[str, Any]:
    """Figures over every extracted posting of a slice (not only this pass): postings, mentions, coverage."""
    with db.session() as session:
        runs = (
            select(ExtractionRun.posting_id, ExtractionRun.mentions)
            .join(Posting, Posting.id == ExtractionRun.posting_id)
            .where(ExtractionRun.extractor_version == version, posting_filter(source_key, start, end))
            .subquery()
        )
        postings, mentions, without = session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(runs.c.mentions), 0),
                func.count().filter(runs.c.mentions == 0),
            ).select_from(runs)
        ).one()
        with_esco = session.scalar(
            select(func.count())
            .select_from(SkillMention)
            .where(
                SkillMention.posting_id.in_(select(runs.c.posting_id)),
                SkillMention.extractor_version == version,
                SkillMention.esco_uri.is_not(None),
            )
        )
        top_rows = session.execute(
            select(CanonicalSkill.name, func.count(func.distinct(SkillMention.posting_id)).label("n"))
            .join(CanonicalSkill, CanonicalSkill.id == SkillMention.skill_id)
            .where(SkillMention.posting_id.in_(select(runs.c.posting_id)), SkillMention.extractor_version == version)
            .group_by(CanonicalSkill.name)
            .order_by(func.count(func.distinct(SkillMention.posting_id)).desc(), CanonicalSkill.name)
            .limit(top)
        ).all()
    return {
        "postings": int(postings),
        "mentions": int(mentions),
        "without_skills": int(without),
        "share_without_skills": without / postings if postings else 0.0,
        "mentions_per_posting": mentions / postings if postings else 0.0,
        "esco_coverage": (with_esco or 0) / mentions if mentions else 0.0,
        "top_skills": [(name, int(n)) for name, n in top_rows],
    }
