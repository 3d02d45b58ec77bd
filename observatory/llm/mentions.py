"""Rules first, the LLM for what they leave uncertain: unmapped portal tags, combined phrases ("Python/Django",
"manejo de herramientas ofimáticas"), low confidence, no ESCO concept. An answer is accepted only when it is valid
JSON, every skill it names is written in the posting and every ESCO URI is one of the offered candidates;
otherwise the rule result is kept and the rejection counted.

Requests group the uncertain mentions of one posting (``batch_size`` at most), run ``concurrency`` at a time,
go through the answer cache first and stop cleanly when the budget is spent. Text is redacted before it is put
into a prompt.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from observatory.llm.budget import Budget, BudgetExhausted
from observatory.llm.cache import AnswerCache, CachedAnswer, CacheKey, MemoryCache, input_hash
from observatory.llm.candidates import CandidateRetriever, EscoCandidate, _stem, _words
from observatory.llm.clients import Completion, LLMClient, LLMError, estimate_tokens
from observatory.llm.prompts import NORMALISE, MalformedAnswer, NormaliseAnswer, parse_answer
from observatory.llm.redact import redact
from observatory.skills.normalize import fold_key

log = logging.getLogger(__name__)

# Accepted LLM answers: the share of right answers is unmeasured on a labelled set, so below every rule tier.
LLM_CONFIDENCE = 0.7
LOW_CONFIDENCE = 0.8

# Outcomes of a mention (``outcome`` of NormalizedMention).
ACCEPTED = "accepted"
REJECTED_NAME = "rejected_name"  # a skill not written in the posting
REJECTED_URI = "rejected_uri"  # an ESCO URI not among the candidates
MALFORMED = "malformed"  # not the JSON the prompt asks for
MISSING = "missing"  # the answer skipped this mention or gave it no skill
BUDGET = "budget"  # not sent: the run's budget was spent
ERROR = "error"  # the backend failed (after its retries)
REJECTIONS = (REJECTED_NAME, REJECTED_URI, MALFORMED, MISSING)

_COMBINED = re.compile(
    r"(?<![A-Za-z])(?:[A-Za-z]{3,}|\w+)\s*(?:/|,|;|&|\+(?!\+))\s*\w"  # Python/Django, Excel, Word, SQL & NoSQL
    r"|\s(?:y|e|o|and|or)\s"  # Excel y Word
    r"|^(?:manejo|dominio|uso|conocimientos?|experiencia|herramientas|paquete|programas?|nociones)\b",
    re.IGNORECASE,
)
# Separators that are one skill's own spelling.
_SINGLE = re.compile(r"^(?:ci/cd|tcp/ip|i/o|pl/sql|a/b testing|b2b|b2c|c\+\+|r&d|p&l|ux/ui|ui/ux)$", re.IGNORECASE)


@dataclass(frozen=True)
class MentionInput:
    """A mention as the rules left it, with the few words around it (``context``) for the model."""

    key: Hashable
    surface: str
    skill_id: str
    name: str
    esco_uri: str | None
    confidence: float
    context: str = ""


@dataclass(frozen=True)
class PostingMentions:
    """A posting's text (title, description and tags: what grounding checks against) and its mentions."""

    posting_id: str
    text: str
    mentions: Sequence[MentionInput]


@dataclass(frozen=True)
class SkillResult:
    name_es: str
    name_en: str | None
    esco_uri: str | None


@dataclass
class MentionOutcome:
    """What became of one uncertain mention: the LLM's skills (``method == "llm"``) or the rule result kept."""

    mention: MentionInput
    posting_id: str
    reason: str  # why it was uncertain
    skills: list[SkillResult]
    method: str  # llm | rules
    outcome: str
    cached: bool = False

    @property
    def confidence(self) -> float:
        return LLM_CONFIDENCE if self.method == "llm" else self.mention.confidence


@dataclass
class NormalisationStats:
    """Per-run figures (the asset's metadata)."""

    mentions: int = 0
    uncertain: int = 0
    sent: int = 0  # mentions in requests answered by the model in this run
    requests: int = 0  # requests answered by the model in this run
    cache_hits: int = 0  # requests answered from the cache
    accepted: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    budget_stopped: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0

    @property
    def rejections(self) -> int:
        return sum(self.outcomes[o] for o in REJECTIONS)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_metadata(self) -> dict[str, int | float | bool]:
        return {
            "mentions": self.mentions,
            "uncertain": self.uncertain,
            "mentions_sent": self.sent,
            "requests": self.requests,
            "cache_hits": self.cache_hits,
            "accepted": self.accepted,
            "rejections": self.rejections,
            "rejected_name": self.outcomes[REJECTED_NAME],
            "rejected_uri": self.outcomes[REJECTED_URI],
            "malformed": self.outcomes[MALFORMED],
            "missing": self.outcomes[MISSING],
            "errors": self.outcomes[ERROR],
            "not_sent_budget": self.outcomes[BUDGET],
            "budget_stopped": self.budget_stopped,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "tokens": self.tokens,
            "estimated_cost": round(self.cost, 6),
        }


def uncertainty(mention: MentionInput, low_confidence: float = LOW_CONFIDENCE) -> str | None:
    """Why the rules' result for ``mention`` is uncertain, or None when it stands as it is."""
    if mention.skill_id.startswith("tag:"):
        return "unmapped_tag"
    surface = " ".join(mention.surface.split())
    if not _SINGLE.match(surface) and _COMBINED.search(surface):
        return "combined"
    if mention.confidence < low_confidence:
        return "low_confidence"
    if not mention.esco_uri:
        return "no_esco"
    return None


def grounded(name: str, posting_words: set[str]) -> bool:
    """True when at least half of the name's content words (plural-folded) are written in the posting."""
    words = {_stem(w) for w in _words(name)}
    if not words:
        return False
    present = sum(1 for w in words if w in posting_words)
    return present >= math.ceil(len(words) / 2)


def posting_vocabulary(text: str) -> set[str]:
    """The plural-folded words of a posting, for :func:`grounded`."""
    return {_stem(w.strip(".")) for w in re.findall(r"[\w+#.]+", fold_key(text))}


@dataclass
class _Request:
    posting: PostingMentions
    items: list[tuple[MentionInput, str, list[EscoCandidate]]]  # mention, reason, candidates


class MentionNormaliser:
    """Send the uncertain mentions of postings to ``llm`` and keep only grounded answers."""

    def __init__(
        self,
        llm: LLMClient,
        retriever: CandidateRetriever,
        *,
        cache: AnswerCache | None = None,
        budget: Budget | None = None,
        top_k: int = 5,
        batch_size: int = 8,
        concurrency: int = 4,
        max_tokens: int = 400,
        low_confidence: float = LOW_CONFIDENCE,
    ) -> None:
        if batch_size < 1 or concurrency < 1 or top_k < 1 or max_tokens < 16:
            raise ValueError("batch_size, concurrency and top_k must be at least 1, max_tokens at least 16")
        self.llm = llm
        self.retriever = retriever
        self.cache: AnswerCache = cache if cache is not None else MemoryCache()
        self.budget = budget if budget is not None else Budget()
        self.top_k = top_k
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.max_tokens = max_tokens
        self.low_confidence = low_confidence
        self._stopped = threading.Event()

    @property
    def version(self) -> str:
        """What the stored results depend on: the prompt and the model."""
        return f"{NORMALISE.version}:{self.llm.backend}:{self.llm.model_name}"[:64]

    def _requests(self, postings: Iterable[PostingMentions], stats: NormalisationStats) -> list[_Request]:
        requests = []
        for posting in postings:
            items = []
            for mention in posting.mentions:
                stats.mentions += 1
                reason = uncertainty(mention, self.low_confidence)
                if reason is None:
                    continue
                stats.uncertain += 1
                stats.reasons[reason] += 1
                items.append((mention, reason, self.retriever.candidates(mention.surface, self.top_k)))
            for offset in range(0, len(items), self.batch_size):
                requests.append(_Request(posting, items[offset : offset + self.batch_size]))
        return requests

    @staticmethod
    def prompt(request: _Request) -> str:
        """The user message of a request; every piece of posting text in it is redacted."""
        blocks = []
        for number, (mention, _, candidates) in enumerate(request.items, start=1):
            lines = [f'{number}. "{redact(mention.surface)}"']
            if mention.context:
                lines.append(f'   context: "{redact(mention.context)}"')
            if candidates:
                lines.append("   candidates:")
                lines += [
                    f"   - {c.uri} : {c.label_es}" + (f" ({c.label_en})" if c.label_en else "") for c in candidates
                ]
            else:
                lines.append("   candidates: none")
            blocks.append("\n".join(lines))
        return NORMALISE.render(mentions="\n".join(blocks))

    def normalise(self, postings: Iterable[PostingMentions]) -> tuple[list[MentionOutcome], NormalisationStats]:
        """Outcomes of every uncertain mention of ``postings`` and the run's figures."""
        stats = NormalisationStats()
        requests = self._requests(postings, stats)
        lock = threading.Lock()
        outcomes: list[MentionOutcome] = []

        def run(request: _Request) -> list[MentionOutcome]:
            return self._answer(request, stats, lock)

        if self.concurrency == 1 or len(requests) <= 1:
            results = [run(r) for r in requests]
        else:
            with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="llm") as pool:
                results = list(pool.map(run, requests))
        for result in results:
            outcomes.extend(result)
        for outcome in outcomes:
            stats.outcomes[outcome.outcome] += 1
            stats.accepted += outcome.outcome == ACCEPTED
        stats.prompt_tokens, stats.completion_tokens = self.budget.prompt_tokens, self.budget.completion_tokens
        stats.cost = self.budget.cost
        stats.budget_stopped = self._stopped.is_set()
        return outcomes, stats

    def _kept(self, request: _Request, outcome: str, cached: bool = False) -> list[MentionOutcome]:
        return [
            MentionOutcome(
                mention,
                request.posting.posting_id,
                reason,
                [SkillResult(mention.name, None, mention.esco_uri)],
                "rules",
                outcome,
                cached,
            )
            for mention, reason, _ in request.items
        ]

    def _completion(self, request: _Request, stats: NormalisationStats, lock: threading.Lock) -> tuple[str, bool]:
        prompt = self.prompt(request)
        key = CacheKey(self.llm.backend, self.llm.model_name, NORMALISE.version, input_hash(NORMALISE.system, prompt))
        cached = self.cache.get(key)
        if cached is not None:
            with lock:
                stats.cache_hits += 1
            return cached.response, True
        if self._stopped.is_set():
            raise BudgetExhausted("budget already spent")
        try:
            self.budget.reserve(estimate_tokens(NORMALISE.system + prompt), self.max_tokens)
        except BudgetExhausted:
            self._stopped.set()
            raise
        answer: Completion = self.llm.generate(
            prompt, system=NORMALISE.system, max_tokens=self.max_tokens, json_mode=True
        )
        self.budget.spend(answer.prompt_tokens, answer.completion_tokens)
        self.cache.put(key, CachedAnswer(answer.text, answer.prompt_tokens, answer.completion_tokens))
        with lock:
            stats.requests += 1
            stats.sent += len(request.items)
        return answer.text, False

    def _answer(self, request: _Request, stats: NormalisationStats, lock: threading.Lock) -> list[MentionOutcome]:
        try:
            text, cached = self._completion(request, stats, lock)
        except BudgetExhausted:
            return self._kept(request, BUDGET)
        except LLMError as exc:
            log.warning("LLM failed for posting %s: %s", request.posting.posting_id, exc)
            return self._kept(request, ERROR)
        try:
            parsed = parse_answer(text, NormaliseAnswer)
        except MalformedAnswer as exc:
            log.info("malformed LLM answer for posting %s: %s", request.posting.posting_id, exc)
            return self._kept(request, MALFORMED, cached)
        by_id = {m.id: m for m in parsed.mentions}
        words = posting_vocabulary(request.posting.text)
        outcomes = []
        for number, (mention, reason, candidates) in enumerate(request.items, start=1):
            answer = by_id.get(number)
            kept = MentionOutcome(
                mention,
                request.posting.posting_id,
                reason,
                [SkillResult(mention.name, None, mention.esco_uri)],
                "rules",
                MISSING,
                cached,
            )
            if answer is None or not answer.skills:
                outcomes.append(kept)
                continue
            uris = {c.uri for c in candidates}
            if any(s.esco_uri is not None and s.esco_uri not in uris for s in answer.skills):
                kept.outcome = REJECTED_URI
                outcomes.append(kept)
                continue
            if not all(grounded(s.name_es, words) or grounded(s.name_en, words) for s in answer.skills):
                kept.outcome = REJECTED_NAME
                outcomes.append(kept)
                continue
            skills = [SkillResult(s.name_es, s.name_en or None, s.esco_uri) for s in answer.skills]
            outcomes.append(
                MentionOutcome(mention, request.posting.posting_id, reason, skills, "llm", ACCEPTED, cached)
            )
        return outcomes
