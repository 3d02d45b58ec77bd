"""Skill-level evaluation of the extractor against annotated postings (precision, recall, F1, calibration)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from observatory.skills.extractor import ExtractionResult, SkillExtractor
from observatory.skills.normalize import fold_key
from observatory.skills.vocabulary import Vocabulary

DEV_SET_PATH = Path(__file__).with_name("data") / "dev_set.jsonl"


class EvaluationError(ValueError):
    """The annotated file is malformed; the message names the line."""


@dataclass
class AnnotatedPosting:
    """A posting with the skills a careful reader lists."""

    id: str
    title: str | None
    description: str
    skills: list[str]


@dataclass
class Scores:
    """Counts and derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvaluationReport:
    """Micro-averaged scores, per-posting macro F1, calibration of confidence and the errors."""

    postings: int
    micro: Scores
    macro_f1: float
    by_evidence: dict[str, Scores]
    reliability: list[tuple[float, float, int, float]]  # (low, high, mentions, observed precision)
    errors: list[dict[str, Any]] = field(default_factory=list)


def load_annotated(path: Path = DEV_SET_PATH) -> list[AnnotatedPosting]:
    """Read a JSON-lines file of ``{"id", "title", "description", "skills": [names]}``."""
    postings = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                postings.append(
                    AnnotatedPosting(str(row["id"]), row.get("title"), row["description"], list(row["skills"]))
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise EvaluationError(f"{path}:{number}: not an annotated posting ({exc})") from None
    return postings


def skill_key(name: str, vocabulary: Vocabulary) -> str:
    """Comparison key of a skill name: its canonical id when the vocabulary knows it, else its folded name."""
    entry = vocabulary.lookup(name)
    return entry.id if entry is not None else "name:" + fold_key(name)


def _predicted_keys(result: ExtractionResult, vocabulary: Vocabulary) -> dict[str, list[Any]]:
    keys: dict[str, list[Any]] = {}
    for mention in result.mentions:
        key = mention.skill_id if mention.skill_id in vocabulary.entries else skill_key(mention.name, vocabulary)
        keys.setdefault(key, []).append(mention)
    return keys


def evaluate(extractor: SkillExtractor, postings: Iterable[AnnotatedPosting], bins: int = 5) -> EvaluationReport:
    """Score the extractor on annotated postings at skill level (a set of canonical skills per posting)."""
    vocabulary = extractor.vocabulary
    items = list(postings)
    results = extractor.extract_many([(p.description, p.title) for p in items])
    micro = Scores()
    f1s = []
    by_evidence: dict[str, Scores] = defaultdict(Scores)
    confidences: list[tuple[float, bool]] = []
    errors = []
    for posting, result in zip(items, results, strict=True):
        gold = {skill_key(name, vocabulary): name for name in posting.skills}
        predicted = _predicted_keys(result, vocabulary)
        scores = Scores()
        for key, mentions in predicted.items():
            hit = key in gold
            best = max(mentions, key=lambda m: m.confidence)
            target = extractor.target(best.skill_id)
            evidence = f"{best.method}:{best.skill_type}" if target is None else f"{best.method}:{best.category}"
            by_evidence[evidence].tp += hit
            by_evidence[evidence].fp += not hit
            confidences.append((best.confidence, hit))
            scores.tp += hit
            scores.fp += not hit
        scores.fn = sum(1 for key in gold if key not in predicted)
        micro.tp, micro.fp, micro.fn = micro.tp + scores.tp, micro.fp + scores.fp, micro.fn + scores.fn
        f1s.append(scores.f1 if gold or predicted else 1.0)
        missed = [gold[k] for k in gold if k not in predicted]
        extra = [predicted[k][0].name for k in predicted if k not in gold]
        if missed or extra:
            errors.append({"id": posting.id, "missed": missed, "extra": extra})
    reliability = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        inside = [hit for conf, hit in confidences if low <= conf < high or (index == bins - 1 and conf == 1.0)]
        if inside:
            reliability.append((low, high, len(inside), sum(inside) / len(inside)))
    return EvaluationReport(
        postings=len(items),
        micro=micro,
        macro_f1=sum(f1s) / len(f1s) if f1s else 0.0,
        by_evidence=dict(sorted(by_evidence.items())),
        reliability=reliability,
        errors=errors,
    )
