"""Rules-only against rules + LLM on the same annotated set: an extractor wrapper that normalises each result's
uncertain mentions and replaces the accepted ones by the skills the model named."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from observatory.llm.mentions import (
    LLM_CONFIDENCE,
    MentionInput,
    MentionNormaliser,
    NormalisationStats,
    PostingMentions,
)
from observatory.skills.extractor import ExtractionResult, Mention, SkillExtractor
from observatory.skills.normalize import fold_key


class LLMNormalisedExtractor:
    """Looks like a :class:`SkillExtractor` to the evaluation; ``stats`` adds up the normaliser's figures."""

    def __init__(self, extractor: SkillExtractor, normaliser: MentionNormaliser) -> None:
        self.extractor = extractor
        self.normaliser = normaliser
        self.stats = NormalisationStats()

    def __getattr__(self, name: str) -> Any:  # vocabulary, target, version…
        return getattr(self.extractor, name)

    def _skill_id(self, name_es: str, name_en: str | None) -> str:
        for name in (name_es, name_en):
            entry = self.extractor.vocabulary.lookup(name) if name else None
            if entry is not None:
                return entry.id
        return "llm:" + fold_key(name_es)

    def extract_many(self, postings: Iterable[Any], batch_size: int = 256) -> Iterator[ExtractionResult]:
        items = list(postings)
        results = list(self.extractor.extract_many(items, batch_size=batch_size))
        inputs = []
        for index, (posting, result) in enumerate(zip(items, results, strict=True)):
            text = " ".join(p for p in posting[:2] if p) if isinstance(posting, tuple) else (posting or "")
            mentions = [
                MentionInput((index, i), m.surface, m.skill_id, m.name, m.esco_uri, m.confidence)
                for i, m in enumerate(result.mentions)
            ]
            inputs.append(PostingMentions(str(index), text, mentions))
        outcomes, stats = self.normaliser.normalise(inputs)
        self._add(stats)
        accepted = {o.mention.key: o for o in outcomes if o.method == "llm"}
        for index, result in enumerate(results):
            normalised: list[Mention] = []
            for i, mention in enumerate(result.mentions):
                outcome = accepted.get((index, i))
                if outcome is None:
                    normalised.append(mention)
                    continue
                for skill in outcome.skills:
                    normalised.append(
                        replace(
                            mention,
                            name=skill.name_es,
                            skill_id=self._skill_id(skill.name_es, skill.name_en),
                            esco_uri=skill.esco_uri,
                            method="llm",
                            confidence=LLM_CONFIDENCE,
                        )
                    )
            yield ExtractionResult(result.language, normalised)

    def _add(self, stats: NormalisationStats) -> None:
        total = self.stats
        for name in ("mentions", "uncertain", "sent", "requests", "cache_hits", "accepted"):
            setattr(total, name, getattr(total, name) + getattr(stats, name))
        total.outcomes.update(stats.outcomes)
        total.reasons.update(stats.reasons)
        total.budget_stopped = total.budget_stopped or stats.budget_stopped
        total.prompt_tokens, total.completion_tokens, total.cost = (
            stats.prompt_tokens,
            stats.completion_tokens,
            stats.cost,
        )  # the budget is cumulative already
