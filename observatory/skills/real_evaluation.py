"""Measures of the extractor on real postings: employer-tag recall, postings without skills by sector, and
precision/recall on a reader-annotated set: ``data/real_dev_set.jsonl`` (the reporting set, never tuned on)
or ``data/real_tune_set.jsonl`` (the tuning set).

The real postings live in ``../shared/postings`` (third-party text, never in the repository); the annotated
sets keep only ids, text hashes and the skill strings a careful reader listed. A predicted skill is right
when one of its mentions overlaps a place where a reader's skill string occurs, or when its folded name or
surface equals the reader's folded string (a normalised skill such as "atención al cliente" read from
"atender a clientes"); a reader's skill is found when some predicted skill is credited with it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from observatory.skills.evaluation import Scores
from observatory.skills.extractor import PORTAL_TAG, TAGS_SECTION, TITLE, ExtractionResult, Mention, SkillExtractor
from observatory.skills.normalize import fold, fold_key
from observatory.skills.occupations import AREA_ISCO, OccupationCoder, agrees_with_area, default_occupation_coder
from observatory.skills.real_postings import RealPosting, read_real_postings, shared_postings_files

REAL_DEV_SET_PATH = Path(__file__).with_name("data") / "real_dev_set.jsonl"
REAL_TUNE_SET_PATH = Path(__file__).with_name("data") / "real_tune_set.jsonl"
REAL_SETS = ("dev", "tune")  # dev reports, tune is for calibration
IT = "it"
MIN_TEXT_CHARS = 1  # a posting "has text" when its description is not empty


class RealEvaluationError(ValueError):
    """The annotated set does not match the postings it refers to; the message says which."""


@dataclass
class TagRecall:
    """Employer tags that occur word for word in the posting's text, and how many of them the text extraction found."""

    tags: int = 0
    found: int = 0
    missed: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def recall(self) -> float:
        return self.found / self.tags if self.tags else 0.0


@dataclass
class Coverage:
    """Postings with text and how many of them got no skill from their text (and none even with tags)."""

    postings: int = 0
    without_skill: int = 0
    without_skill_or_tag: int = 0

    @property
    def share_without_skill(self) -> float:
        return self.without_skill / self.postings if self.postings else 0.0


@dataclass
class OccupationAgreement:
    """Postings coded to an ESCO occupation, and how often its ISCO group fits the portal's own area."""

    postings: int = 0
    coded: int = 0
    comparable: int = 0  # coded postings whose area says what to expect
    agree: int = 0

    @property
    def coded_share(self) -> float:
        return self.coded / self.postings if self.postings else 0.0

    @property
    def agreement(self) -> float:
        return self.agree / self.comparable if self.comparable else 0.0


def occupation_agreement(
    postings: Sequence[RealPosting], coder: OccupationCoder | None = None
) -> dict[str, OccupationAgreement]:
    """Occupation coding by file (coded share) and agreement with the portal area, by area and overall."""
    coder = coder or default_occupation_coder()
    table: dict[str, OccupationAgreement] = defaultdict(OccupationAgreement)
    codes = coder.code_many((p.title, p.description) for p in postings)
    for posting, code in zip(postings, codes, strict=True):
        agrees = agrees_with_area(posting.area, code)
        known_area = (posting.area or "").strip() in AREA_ISCO
        keys = [posting.file, f"sector: {posting.sector}"]
        keys += [f"area: {posting.area.strip()}", "area: all"] if posting.area and known_area else []
        for key in keys:
            table[key].postings += 1
            table[key].coded += code.isco_code is not None
            table[key].comparable += agrees is not None
            table[key].agree += bool(agrees)
    return dict(table)


@dataclass
class RealEvaluation:
    """Everything ``observatory eval --real`` prints."""

    tag_recall: dict[str, TagRecall]  # by portal area, plus "all"
    coverage: dict[tuple[str, str], Coverage]  # (file, sector), plus (file, "all")
    esco_share: dict[str, float]  # file -> share of text mentions carrying an ESCO URI
    dev: dict[tuple[str, str], Scores]  # (dimension, value) -> scores: ("all", "all"), ("sector", …), ("language", …)
    dev_errors: list[dict[str, object]] = field(default_factory=list)
    occupations: dict[str, OccupationAgreement] = field(default_factory=dict)


def _text_mentions(result: ExtractionResult) -> list[Mention]:
    return [m for m in result.mentions if m.method != PORTAL_TAG]


def _occurrences(needle: str, haystack: str) -> list[tuple[int, int]]:
    """Case- and accent-insensitive occurrences of ``needle`` as whole words."""
    if not needle.strip():
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(_fold_same_length(needle)) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(_fold_same_length(haystack))]


def _fold_same_length(text: str) -> str:
    return fold(text).lower()


def _overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _part(mention: Mention) -> str:
    """Which text a mention's offsets index: "title" or "description"."""
    return "title" if mention.section == TITLE else "description"


def tag_recall(
    extractor: SkillExtractor, postings: Sequence[RealPosting], results: Sequence[ExtractionResult]
) -> dict[str, TagRecall]:
    """Recall of employer tags that occur in the posting's own text, by the posting's portal area."""
    by_area: dict[str, TagRecall] = defaultdict(TagRecall)
    for posting, result in zip(postings, results, strict=True):
        if not posting.employer_tags:
            continue
        mentions = _text_mentions(result)
        skill_ids = {m.skill_id for m in mentions}
        for tag in posting.employer_tags:
            places = [("description", s, e) for s, e in _occurrences(tag, posting.description)]
            places += [("title", s, e) for s, e in _occurrences(tag, posting.title)]
            if not places:
                continue
            targets = {m.skill_id for m in extractor.tag_mentions([tag]) if not m.skill_id.startswith("tag:")}
            found = bool(targets & skill_ids) or any(
                _overlaps([(s, e) for where, s, e in places if where == _part(m)], m.start, m.end) for m in mentions
            )
            for area in (posting.area or "unknown", "all"):
                by_area[area].tags += 1
                by_area[area].found += found
                if not found:
                    by_area[area].missed[fold_key(tag)] += 1
    return dict(by_area)


def coverage(postings: Sequence[RealPosting], results: Sequence[ExtractionResult]) -> dict[tuple[str, str], Coverage]:
    """Postings with text that get no skill, by file and sector."""
    table: dict[tuple[str, str], Coverage] = defaultdict(Coverage)
    for posting, result in zip(postings, results, strict=True):
        if len(posting.description.strip()) < MIN_TEXT_CHARS:
            continue
        text_skills = bool(_text_mentions(result))
        for key in ((posting.file, posting.sector), (posting.file, "all")):
            table[key].postings += 1
            table[key].without_skill += not text_skills
            table[key].without_skill_or_tag += not result.mentions
    return dict(table)


@dataclass(frozen=True)
class AnnotatedRealPosting:
    """One line of the real dev set: which posting, and the skill strings a reader listed."""

    file: str
    id: str
    sector: str
    language: str
    text_sha1: str
    skills: tuple[tuple[str, bool], ...]  # (text, in_title)


def load_real_dev_set(path: Path = REAL_DEV_SET_PATH) -> list[AnnotatedRealPosting]:
    """Read the annotated set; a clear error naming the line when a row is malformed."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            skills = tuple((str(s["text"]), bool(s.get("in_title", False))) for s in raw["skills"])
            rows.append(
                AnnotatedRealPosting(
                    str(raw["file"]),
                    str(raw["id"]),
                    str(raw["sector"]),
                    str(raw["language"]),
                    str(raw["text_sha1"]),
                    skills,
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise RealEvaluationError(f"{path}:{number}: not an annotated posting ({exc!r})") from None
    return rows


def text_sha1(posting: RealPosting) -> str:
    return hashlib.sha1(f"{posting.title}\n\n{posting.description}".encode()).hexdigest()


def score_dev_set(
    annotated: Sequence[AnnotatedRealPosting],
    postings: dict[tuple[str, str], RealPosting],
    results: dict[tuple[str, str], ExtractionResult],
) -> tuple[dict[tuple[str, str], Scores], list[dict[str, object]]]:
    """Skill-level precision and recall (span overlap or equal folded name), overall, IT vs non-IT, by sector and
    by language."""
    scores: dict[tuple[str, str], Scores] = defaultdict(Scores)
    errors: list[dict[str, object]] = []
    for row in annotated:
        posting = postings.get((row.file, row.id))
        if posting is None:
            raise RealEvaluationError(f"{row.file} has no posting {row.id}")
        if text_sha1(posting) != row.text_sha1:
            raise RealEvaluationError(f"{row.file} posting {row.id} changed since it was annotated (text hash)")
        result = results[(row.file, row.id)]
        gold: dict[str, list[tuple[str, int, int]]] = {}
        for text, in_title in row.skills:
            places = [("title", s, e) for s, e in _occurrences(text, posting.title)]
            if not in_title:
                places += [("description", s, e) for s, e in _occurrences(text, posting.description)]
            gold.setdefault(fold_key(text), []).extend(places)
        by_skill: dict[str, list[Mention]] = defaultdict(list)
        for mention in _text_mentions(result):
            by_skill[mention.skill_id].append(mention)
        found: set[str] = set()
        right = wrong = 0
        extra: list[str] = []
        for mentions in by_skill.values():
            names = {fold_key(m.name) for m in mentions} | {fold_key(m.surface) for m in mentions}
            hits = {
                key
                for key, places in gold.items()
                if key in names
                or any(
                    _overlaps([(s, e) for part, s, e in places if part == _part(m)], m.start, m.end) for m in mentions
                )
            }
            if hits:
                right += 1
                found |= hits
            else:
                wrong += 1
                extra.append(f"{mentions[0].name} ({mentions[0].surface})")
        missed = [key for key in gold if key not in found]
        group = "IT" if row.sector == IT else "non-IT"
        for key in (("all", "all"), ("group", group), ("sector", row.sector), ("language", row.language)):
            scores[key].tp += right
            scores[key].fp += wrong
            scores[key].fn += len(missed)
        if missed or extra:
            errors.append({"file": row.file, "id": row.id, "sector": row.sector, "missed": missed, "extra": extra})
    return dict(scores), errors


def real_set_path(name: str) -> Path:
    """The annotated set called ``name``: "dev" (the reporting set) or "tune" (the tuning set)."""
    if name == "dev":
        return REAL_DEV_SET_PATH
    if name == "tune":
        return REAL_TUNE_SET_PATH
    raise RealEvaluationError(f"unknown annotated set {name!r}: use one of {', '.join(REAL_SETS)}")


def evaluate_real(
    extractor: SkillExtractor,
    files: Sequence[Path] | None = None,
    dev_set: Path | None = None,
    *,
    with_occupations: bool = True,
) -> RealEvaluation:
    """Run the extractor over every real postings file once and compute all the real-data measures; the
    annotated set ``dev_set`` (default: the reporting dev set) is scored when it exists."""
    dev_set = dev_set if dev_set is not None else REAL_DEV_SET_PATH
    files = list(files) if files is not None else shared_postings_files(required=True)
    if not files:
        raise RealEvaluationError("no real postings files given")
    all_postings: list[RealPosting] = []
    for path in files:
        all_postings.extend(read_real_postings(path))
    results = list(extractor.extract_many((p.description, p.title, list(p.employer_tags)) for p in all_postings))
    recall = tag_recall(extractor, all_postings, results)
    cover = coverage(all_postings, results)
    esco_share: dict[str, float] = {}
    for name in sorted({p.file for p in all_postings}):
        mentions = [m for p, r in zip(all_postings, results, strict=True) if p.file == name for m in _text_mentions(r)]
        esco_share[name] = sum(1 for m in mentions if m.esco_uri) / len(mentions) if mentions else 0.0
    dev: dict[tuple[str, str], Scores] = {}
    errors: list[dict[str, object]] = []
    if dev_set.exists():
        annotated = load_real_dev_set(dev_set)
        by_key = {(p.file, p.id): p for p in all_postings}
        by_key_results = {(p.file, p.id): r for p, r in zip(all_postings, results, strict=True)}
        wanted = [a for a in annotated if any(a.file == f.name for f in files)]
        dev, errors = score_dev_set(wanted, by_key, by_key_results)
    occupations = occupation_agreement(all_postings) if with_occupations else {}
    return RealEvaluation(recall, cover, esco_share, dev, errors, occupations)


__all__ = [
    "REAL_DEV_SET_PATH",
    "REAL_SETS",
    "REAL_TUNE_SET_PATH",
    "TAGS_SECTION",
    "Coverage",
    "OccupationAgreement",
    "RealEvaluation",
    "RealEvaluationError",
    "TagRecall",
    "coverage",
    "evaluate_real",
    "load_real_dev_set",
    "occupation_agreement",
    "real_set_path",
    "score_dev_set",
    "tag_recall",
]
