"""Near-synonym canonical skills merged on the LLM's word: pairs of near neighbours (skill vectors in pgvector, or
a lexical similarity while no vectors are stored) are put to the model (the ``merge`` prompt), its verdicts kept in
``skill_merge_proposals`` for review, and applied only above a confidence and only when grounded: the name to keep
is one of the two names shown, and both skills still exist under those names when the merge is applied.

Applying a merge moves the mentions of the merged skill to the kept one (chains resolve to one skill). It is
idempotent, and re-applying after a re-extraction moves the mentions the extractor wrote again.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, and_, delete, exists, func, select, text, update
from sqlalchemy.orm import Session, aliased

from observatory.embeddings.store import load_vectors, nearest_to_vector
from observatory.llm.budget import Budget, BudgetExhausted
from observatory.llm.cache import AnswerCache, CachedAnswer, CacheKey, MemoryCache, input_hash
from observatory.llm.clients import LLMClient, LLMError, estimate_tokens
from observatory.llm.merge_defaults import DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_SIMILARITY
from observatory.llm.prompts import MERGE, MalformedAnswer, MergeAnswer, parse_answer
from observatory.llm.redact import redact
from observatory.skills.normalize import fold_key
from observatory.storage import Database, upsert
from observatory.storage.models import CanonicalSkill, SkillEmbedding, SkillMention, SkillMergeProposal

log = logging.getLogger(__name__)

PROPOSED = "proposed"  # same skill, grounded: may be applied
DIFFERENT = "different"  # the model says they are two skills
REJECTED_GROUNDING = "rejected_grounding"  # the name to keep is neither of the two names shown
MALFORMED = "malformed"
OUTCOMES = (PROPOSED, DIFFERENT, REJECTED_GROUNDING, MALFORMED)

_WORD = re.compile(r"[\w+#]+")


@dataclass(frozen=True)
class SkillPair:
    """Two canonical skills (``skill_a < skill_b``) and how close they are (cosine, or spelling ratio)."""

    skill_a: str
    name_a: str
    skill_b: str
    name_b: str
    similarity: float
    method: str


@dataclass
class ProposalStats:
    pairs: int = 0
    skipped: int = 0  # already answered by this prompt and model, or already applied
    requests: int = 0
    cache_hits: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    budget_stopped: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class ApplyStats:
    applied: int = 0  # proposals applied in this run
    already_applied: int = 0
    below_confidence: int = 0
    stale: int = 0  # a skill is gone or renamed since the model saw it: not applied
    mentions_moved: int = 0
    mentions_dropped: int = 0  # the kept skill was already found at the same span
    merged: dict[str, str] = field(default_factory=dict)  # merged skill -> kept skill


def _pair(a: tuple[str, str], b: tuple[str, str], similarity: float, method: str) -> SkillPair:
    (id_a, name_a), (id_b, name_b) = sorted((a, b))
    return SkillPair(id_a, name_a, id_b, name_b, round(float(similarity), 4), method)


def skills_to_compare(db: Database, *, mentioned_only: bool = True) -> dict[str, str]:
    """Canonical skill ids and names; with ``mentioned_only`` only skills some posting mentions (merging skills
    nobody mentions changes no count)."""
    query = select(CanonicalSkill.id, CanonicalSkill.name)
    if mentioned_only:
        query = query.where(exists().where(SkillMention.skill_id == CanonicalSkill.id))
    with db.session() as session:
        return {r.id: r.name for r in session.execute(query.order_by(CanonicalSkill.id))}


def has_vectors(db: Database, model: str) -> bool:
    """Whether skill vectors of ``model`` are stored."""
    with db.session() as session:
        return session.scalar(select(SkillEmbedding.id).where(SkillEmbedding.model == model).limit(1)) is not None


def vector_pairs(
    db: Database,
    model: str,
    skills: dict[str, str],
    *,
    k: int = 5,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> list[SkillPair]:
    """Pairs of ``skills`` that are among each other's ``k`` nearest neighbours (HNSW kNN on the vectors of
    ``model``) with a cosine similarity of at least ``min_similarity``; most similar first."""
    ids, vectors = load_vectors(db, model)
    found: dict[tuple[str, str], SkillPair] = {}
    for skill_id, vector in zip(ids, vectors, strict=True):
        if skill_id not in skills:
            continue
        for neighbour in nearest_to_vector(db, model, vector, k + 1):
            other = neighbour.skill_id
            if other == skill_id or other not in skills or neighbour.similarity < min_similarity:
                continue
            pair = _pair((skill_id, skills[skill_id]), (other, skills[other]), neighbour.similarity, f"vector:{model}")
            found.setdefault((pair.skill_a, pair.skill_b), pair)
    return sorted(found.values(), key=lambda p: (-p.similarity, p.skill_a, p.skill_b))


def _stem(word: str) -> str:
    for suffix in ("es", "s"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def lexical_similarity(a: str, b: str) -> float:
    """Spelling similarity of two skill names (accents, case and plurals folded), 0 to 1."""
    words_a = " ".join(_stem(w) for w in _WORD.findall(fold_key(a)))
    words_b = " ".join(_stem(w) for w in _WORD.findall(fold_key(b)))
    if not words_a or not words_b:
        return 0.0
    return difflib.SequenceMatcher(None, words_a, words_b).ratio()


def lexical_pairs(
    skills: dict[str, str], *, min_similarity: float = DEFAULT_MIN_SIMILARITY, max_block: int = 200
) -> list[SkillPair]:
    """Pairs of ``skills`` whose names are spelled alike, without vectors. Only names sharing a word stem or their
    first four letters are compared (blocks larger than ``max_block`` are common words and are skipped)."""
    blocks: dict[str, set[str]] = defaultdict(set)
    for skill_id, name in skills.items():
        key = fold_key(name)
        words = [_stem(w) for w in _WORD.findall(key) if len(w) > 2]
        for word in words:
            blocks[f"w:{word}"].add(skill_id)
        compact = key.replace(" ", "")
        if len(compact) >= 4:
            blocks[f"p:{compact[:4]}"].add(skill_id)
    found: dict[tuple[str, str], SkillPair] = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:
            continue
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (a, b) in found:
                    continue
                score = lexical_similarity(skills[a], skills[b])
                if score >= min_similarity:
                    found[(a, b)] = _pair((a, skills[a]), (b, skills[b]), score, "lexical")
    return sorted(found.values(), key=lambda p: (-p.similarity, p.skill_a, p.skill_b))


def candidate_pairs(
    db: Database,
    embedding_model: str | None,
    *,
    k: int = 5,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    mentioned_only: bool = True,
) -> list[SkillPair]:
    """Near-neighbour pairs by the skill vectors of ``embedding_model`` when stored, else by spelling."""
    skills = skills_to_compare(db, mentioned_only=mentioned_only)
    if embedding_model and has_vectors(db, embedding_model):
        return vector_pairs(db, embedding_model, skills, k=k, min_similarity=min_similarity)
    log.info("no skill vectors of %s: merge candidates by spelling", embedding_model)
    return lexical_pairs(skills, min_similarity=min_similarity)


def keep_of(answer: MergeAnswer, pair: SkillPair) -> str | None:
    """The id of the skill the answer keeps, or None when its name is neither of the two shown (grounding)."""
    if answer.keep is None:
        return pair.skill_a  # the same skill with no preference: the first id
    chosen = fold_key(answer.keep.strip().strip("\"'"))
    if chosen == fold_key(pair.name_a):
        return pair.skill_a
    if chosen == fold_key(pair.name_b):
        return pair.skill_b
    return None


class MergeProposer:
    """Ask ``llm`` about each pair (answers cached), check the answer, keep the verdicts in the database."""

    def __init__(
        self,
        llm: LLMClient,
        *,
        cache: AnswerCache | None = None,
        budget: Budget | None = None,
        max_tokens: int = 64,
    ) -> None:
        self.llm = llm
        self.cache: AnswerCache = cache if cache is not None else MemoryCache()
        self.budget = budget if budget is not None else Budget()
        self.max_tokens = max_tokens

    def _completion(self, pair: SkillPair, stats: ProposalStats) -> str:
        prompt = MERGE.render(a=redact(pair.name_a), b=redact(pair.name_b))
        key = CacheKey(self.llm.backend, self.llm.model_name, MERGE.version, input_hash(MERGE.system, prompt))
        cached = self.cache.get(key)
        if cached is not None:
            stats.cache_hits += 1
            return cached.response
        self.budget.reserve(estimate_tokens(MERGE.system + prompt), self.max_tokens)
        answer = self.llm.generate(prompt, system=MERGE.system, max_tokens=self.max_tokens, json_mode=True)
        self.budget.spend(answer.prompt_tokens, answer.completion_tokens)
        self.cache.put(key, CachedAnswer(answer.text, answer.prompt_tokens, answer.completion_tokens))
        stats.requests += 1
        return answer.text

    def verdict(self, pair: SkillPair, stats: ProposalStats) -> dict[str, Any] | None:
        """The proposal row of ``pair``; None when no answer was had (budget, backend error: asked again later)."""
        try:
            text_ = self._completion(pair, stats)
        except BudgetExhausted:
            stats.budget_stopped = True
            return None
        except LLMError as exc:
            log.warning("LLM failed on merge %s / %s: %s", pair.skill_a, pair.skill_b, exc)
            stats.errors += 1
            return None
        row: dict[str, Any] = {
            "skill_a": pair.skill_a,
            "skill_b": pair.skill_b,
            "name_a": pair.name_a,
            "name_b": pair.name_b,
            "similarity": pair.similarity,
            "similarity_method": pair.method[:220],
            "same": None,
            "confidence": None,
            "keep_skill_id": None,
            "prompt_version": MERGE.version,
            "backend": self.llm.backend,
            "model": self.llm.model_name[:200],
        }
        try:
            answer = parse_answer(text_, MergeAnswer)
        except MalformedAnswer as exc:
            log.info("malformed merge answer for %s / %s: %s", pair.skill_a, pair.skill_b, exc)
            row["outcome"] = MALFORMED
            return row
        row["same"], row["confidence"] = answer.same, answer.confidence
        if not answer.same:
            row["outcome"] = DIFFERENT
        elif (kept := keep_of(answer, pair)) is None:
            row["outcome"] = REJECTED_GROUNDING
        else:
            row["outcome"], row["keep_skill_id"] = PROPOSED, kept
        return row

    def propose(self, db: Database, pairs: Sequence[SkillPair]) -> ProposalStats:
        """Verdicts on ``pairs`` stored in ``skill_merge_proposals`` (upserts). Pairs this prompt and model already
        answered, and applied pairs, are skipped: a re-run sends nothing."""
        stats = ProposalStats(pairs=len(pairs))
        with db.session() as session:
            done = {
                (r.skill_a, r.skill_b)
                for r in session.execute(
                    select(SkillMergeProposal.skill_a, SkillMergeProposal.skill_b).where(
                        (SkillMergeProposal.applied_at.is_not(None))
                        | and_(
                            SkillMergeProposal.prompt_version == MERGE.version,
                            SkillMergeProposal.backend == self.llm.backend,
                            SkillMergeProposal.model == self.llm.model_name[:200],
                        )
                    )
                )
            }
        for pair in pairs:
            if (pair.skill_a, pair.skill_b) in done:
                stats.skipped += 1
                continue
            if stats.budget_stopped:
                break
            row = self.verdict(pair, stats)
            if row is None:
                continue
            stats.outcomes[row["outcome"]] += 1
            with db.session() as session:  # one commit per answer: an interrupted run keeps what it paid for
                upsert(session, SkillMergeProposal, [row], conflict=["skill_a", "skill_b"])
        stats.prompt_tokens, stats.completion_tokens = self.budget.prompt_tokens, self.budget.completion_tokens
        return stats


def list_proposals(db: Database, *, outcome: str | None = None) -> list[SkillMergeProposal]:
    """Stored proposals, most confident first."""
    query = select(SkillMergeProposal)
    if outcome is not None:
        query = query.where(SkillMergeProposal.outcome == outcome)
    query = query.order_by(
        SkillMergeProposal.confidence.desc().nulls_last(), SkillMergeProposal.skill_a, SkillMergeProposal.skill_b
    )
    with db.session() as session:
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows


def _root(parent: dict[str, str], skill: str) -> str:
    while parent.get(skill, skill) != skill:
        skill = parent[skill]
    return skill


def apply_merges(db: Database, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> ApplyStats:
    """Apply the grounded proposals at or above ``min_confidence``: the mentions of each merged skill move to the
    kept one (a chain of merges ends at one skill). Idempotent, in one transaction."""
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    stats = ApplyStats()
    a_skill, b_skill = aliased(CanonicalSkill), aliased(CanonicalSkill)
    with db.session() as session:
        rows = session.execute(
            select(SkillMergeProposal, a_skill.name.label("now_a"), b_skill.name.label("now_b"))
            .outerjoin(a_skill, a_skill.id == SkillMergeProposal.skill_a)
            .outerjoin(b_skill, b_skill.id == SkillMergeProposal.skill_b)
            .where(SkillMergeProposal.outcome == PROPOSED)
            .order_by(SkillMergeProposal.confidence.desc(), SkillMergeProposal.skill_a, SkillMergeProposal.skill_b)
        ).all()
        parent: dict[str, str] = {}
        to_mark: list[tuple[str, str]] = []
        for proposal, now_a, now_b in rows:
            if proposal.applied_at is None and (proposal.confidence or 0.0) < min_confidence:
                stats.below_confidence += 1
                continue
            if proposal.keep_skill_id not in (proposal.skill_a, proposal.skill_b) or (now_a, now_b) != (
                proposal.name_a,
                proposal.name_b,
            ):
                stats.stale += 1
                continue
            kept = proposal.keep_skill_id
            merged = proposal.skill_b if kept == proposal.skill_a else proposal.skill_a
            kept_root, merged_root = _root(parent, kept), _root(parent, merged)
            if kept_root != merged_root:
                parent[merged_root] = kept_root
            if proposal.applied_at is None:
                to_mark.append((proposal.skill_a, proposal.skill_b))
                stats.applied += 1
            else:
                stats.already_applied += 1
        stats.merged = {skill: _root(parent, skill) for skill in parent}
        for merged, kept in sorted(stats.merged.items()):
            dropped, moved = _move_mentions(session, merged, kept)
            stats.mentions_dropped += dropped
            stats.mentions_moved += moved
        for skill_a, skill_b in to_mark:
            session.execute(
                update(SkillMergeProposal)
                .where(SkillMergeProposal.skill_a == skill_a, SkillMergeProposal.skill_b == skill_b)
                .values(applied_at=func.now())
            )
    return stats


def _move_mentions(session: Session, merged: str, kept: str) -> tuple[int, int]:
    # A span where the extractor already found the kept skill would collide with the unique key: drop the copy.
    duplicate = aliased(SkillMention)
    dropped = _rows(
        delete(SkillMention).where(
            SkillMention.skill_id == merged,
            exists().where(
                duplicate.posting_id == SkillMention.posting_id,
                duplicate.skill_id == kept,
                duplicate.start == SkillMention.start,
                duplicate.end == SkillMention.end,
                duplicate.extractor_version == SkillMention.extractor_version,
            ),
        ),
        session,
    )
    moved = _rows(
        text(
            "UPDATE skill_mentions SET skill_id = :kept, "
            "esco_uri = COALESCE((SELECT esco_uri FROM canonical_skills WHERE id = :kept), esco_uri) "
            "WHERE skill_id = :merged"
        ),
        session,
        {"kept": kept, "merged": merged},
    )
    return dropped, moved


def _rows(statement: Executable, session: Session, params: dict[str, Any] | None = None) -> int:
    """The number of rows a DELETE or UPDATE touched."""
    result = cast(CursorResult[Any], session.execute(statement, params))
    return int(result.rowcount or 0)
