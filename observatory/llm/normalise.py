"""Skill normalisation: map a surface form to a canonical skill by rules first, then ask an LLM
only where the rules are unsure — and accept its answer only if it names one of the candidates.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from observatory.llm.clients import LLMClient, LLMError

log = logging.getLogger(__name__)


def fold(text: str) -> str:
    """Lower case, no accents, single spaces; keeps ``+ # .`` that tell C++/C#/.NET apart."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = re.sub(r"[^\w+#. ]+", " ", bare)
    return re.sub(r"\s+", " ", bare).strip(" .")


@dataclass(frozen=True)
class Candidate:
    """A canonical skill the normaliser may choose."""

    skill_id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """Where a surface form went, how, and how sure we are."""

    surface: str
    skill_id: str | None
    method: str  # exact | fuzzy | llm | unresolved
    confidence: float
    considered: tuple[str, ...] = field(default=())


PROMPT = """You normalise skills found in Latin American job postings.
Skill as written in the posting: "{surface}"
Candidates:
{options}
0. none of these
Answer with the number of the candidate that means the same skill, and nothing else."""


class SkillNormaliser:
    """Rules (exact alias, close spelling) first; the LLM decides among close candidates otherwise."""

    def __init__(
        self,
        candidates: Iterable[Candidate],
        llm: LLMClient | None = None,
        *,
        fuzzy_threshold: float = 0.92,
        candidate_floor: float = 0.5,
        top_k: int = 8,
    ) -> None:
        self.candidates = list(candidates)
        self.llm = llm
        self.fuzzy_threshold = fuzzy_threshold
        self.candidate_floor = candidate_floor
        self.top_k = top_k
        self._by_form: dict[str, Candidate] = {}
        for c in self.candidates:
            for form in (c.name, *c.aliases):
                self._by_form.setdefault(fold(form), c)
        self._forms = list(self._by_form)
        self._cache: dict[str, Decision] = {}

    def _ranked(self, key: str) -> list[tuple[float, Candidate]]:
        close = difflib.get_close_matches(key, self._forms, n=self.top_k * 3, cutoff=self.candidate_floor)
        best: dict[str, tuple[float, Candidate]] = {}
        for form in close:
            cand = self._by_form[form]
            score = difflib.SequenceMatcher(None, key, form).ratio()
            if cand.skill_id not in best or best[cand.skill_id][0] < score:
                best[cand.skill_id] = (score, cand)
        return sorted(best.values(), key=lambda x: -x[0])[: self.top_k]

    def normalise(self, surface: str) -> Decision:
        """Decide one surface form (cached)."""
        key = fold(surface)
        if key in self._cache:
            return self._cache[key]
        decision = self._decide(surface, key)
        self._cache[key] = decision
        return decision

    def normalise_many(self, surfaces: Sequence[str]) -> list[Decision]:
        """Decide many surface forms, each distinct form once."""
        return [self.normalise(s) for s in surfaces]

    def _decide(self, surface: str, key: str) -> Decision:
        if not key:
            return Decision(surface, None, "unresolved", 0.0)
        if key in self._by_form:
            return Decision(surface, self._by_form[key].skill_id, "exact", 1.0)
        ranked = self._ranked(key)
        considered = tuple(c.skill_id for _, c in ranked)
        if ranked and ranked[0][0] >= self.fuzzy_threshold:
            score, cand = ranked[0]
            return Decision(surface, cand.skill_id, "fuzzy", round(score, 3), considered)
        if self.llm is None or not ranked:
            return Decision(surface, None, "unresolved", 0.0, considered)
        options = "\n".join(f"{i}. {c.name}" for i, (_, c) in enumerate(ranked, start=1))
        try:
            answer = self.llm.complete(PROMPT.format(surface=surface, options=options), max_tokens=8)
        except LLMError as exc:
            log.warning("LLM unavailable for %r: %s", surface, exc)
            return Decision(surface, None, "unresolved", 0.0, considered)
        match = re.search(r"\d+", answer)
        choice = int(match.group()) if match else -1
        if 1 <= choice <= len(ranked):
            return Decision(surface, ranked[choice - 1][1].skill_id, "llm", 0.7, considered)
        if choice != 0:
            log.info("LLM answer %r for %r names no candidate; left unresolved", answer[:40], surface)
        return Decision(surface, None, "unresolved", 0.0, considered)
