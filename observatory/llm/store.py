"""Normalise the stored mentions of a slice of postings and keep the outcome in ``normalized_mentions``.

Mentions already normalised by the same normaliser version are skipped, and every answer is in the cache, so a
re-run sends nothing. Without a backend (``OBSERVATORY_LLM_BACKEND=none``) the uncertain mentions are counted and
nothing is called or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select

from observatory.llm.mentions import MentionInput, MentionNormaliser, NormalisationStats, PostingMentions, uncertainty
from observatory.skills.store import posting_filter
from observatory.storage import Database, upsert
from observatory.storage.models import CanonicalSkill, NormalizedMention, Posting, SkillMention

CONTEXT_CHARS = 80


@dataclass
class PartitionNormalisation:
    backend: str
    model: str
    stats: NormalisationStats
    skipped: int  # mentions normalised by an earlier run of the same version


def _context(description: str | None, start: int, end: int) -> str:
    if not description or start < 0:  # title and tag mentions: the surface says it all
        return ""
    left = max(0, start - CONTEXT_CHARS)
    return " ".join(description[left : end + CONTEXT_CHARS].split())


def load_postings(
    db: Database,
    extractor_version: str,
    *,
    source_key: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    skip_version: str | None = None,
) -> tuple[list[PostingMentions], int]:
    """Postings of the slice with their mentions by ``extractor_version``; mentions ``skip_version`` already
    normalised are left out (and counted)."""
    query = (
        select(
            SkillMention.id,
            SkillMention.posting_id,
            SkillMention.skill_id,
            SkillMention.surface,
            SkillMention.esco_uri,
            SkillMention.confidence,
            SkillMention.start,
            SkillMention.end,
            CanonicalSkill.name,
            Posting.title,
            Posting.description,
        )
        .join(Posting, Posting.id == SkillMention.posting_id)
        .join(CanonicalSkill, CanonicalSkill.id == SkillMention.skill_id)
        .where(SkillMention.extractor_version == extractor_version, posting_filter(source_key, start, end))
        .order_by(SkillMention.posting_id, SkillMention.start, SkillMention.id)
    )
    done: set[int] = set()
    with db.session() as session:
        rows = session.execute(query).all()
        if skip_version is not None and rows:
            done_query = select(NormalizedMention.mention_id).where(
                NormalizedMention.normaliser_version == skip_version,
                exists().where(
                    SkillMention.id == NormalizedMention.mention_id,
                    SkillMention.extractor_version == extractor_version,
                ),
            )
            done = set(session.scalars(done_query))
    texts: dict[str, str] = {}
    mentions: dict[str, list[MentionInput]] = {}
    skipped = 0
    for r in rows:
        if r.id in done:
            skipped += 1
            continue
        text = texts.setdefault(r.posting_id, f"{r.title or ''}\n{r.description or ''}")
        # Tags are not in the stored text: the employer's own words count as the posting's text.
        if r.start < 0 and r.surface not in text:
            texts[r.posting_id] = f"{text}\n{r.surface}"
        mentions.setdefault(r.posting_id, []).append(
            MentionInput(
                r.id, r.surface, r.skill_id, r.name, r.esco_uri, r.confidence, _context(r.description, r.start, r.end)
            )
        )
    return [PostingMentions(pid, texts[pid], items) for pid, items in mentions.items()], skipped


def normalise_partition(
    db: Database,
    normaliser: MentionNormaliser | None,
    extractor_version: str,
    *,
    source_key: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> PartitionNormalisation:
    """Normalise the uncertain mentions of a slice and store the outcomes (idempotent upserts)."""
    version = normaliser.version if normaliser is not None else None
    postings, skipped = load_postings(
        db, extractor_version, source_key=source_key, start=start, end=end, skip_version=version
    )
    if normaliser is None:
        stats = NormalisationStats()
        for posting in postings:
            for mention in posting.mentions:
                stats.mentions += 1
                if (reason := uncertainty(mention)) is not None:
                    stats.uncertain += 1
                    stats.reasons[reason] += 1
        return PartitionNormalisation("none", "", stats, skipped)
    outcomes, stats = normaliser.normalise(postings)
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        for position, skill in enumerate(outcome.skills):
            rows.append(
                {
                    "mention_id": outcome.mention.key,
                    "position": position,
                    "normaliser_version": normaliser.version,
                    "posting_id": outcome.posting_id,
                    "surface": outcome.mention.surface,
                    "rule_skill_id": outcome.mention.skill_id,
                    "name_es": skill.name_es,
                    "name_en": skill.name_en,
                    "esco_uri": skill.esco_uri,
                    "method": outcome.method,
                    "outcome": outcome.outcome,
                    "confidence": outcome.confidence,
                    "backend": normaliser.llm.backend,
                    "model": normaliser.llm.model_name,
                }
            )
    # Mentions not sent because of the budget or a failing backend are not stored: the next run tries them again.
    rows = [r for r in rows if r["outcome"] not in ("budget", "error")]
    if rows:
        with db.session() as session:
            upsert(session, NormalizedMention, rows, conflict=["mention_id", "position", "normaliser_version"])
    return PartitionNormalisation(normaliser.llm.backend, normaliser.llm.model_name, stats, skipped)
