"""The multi-method skill extractor: a blank spaCy pipeline with phrase patterns, regexes, sections and importance.

Matching runs on a length-preserving folded copy of the text (accents, separators), so every mention keeps
the character offsets and surface of the original posting.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

# isort: off
import observatory.skills.spacy_loader  # noqa: F401  (first: it keeps thinc from importing torch, 1-2 s)
import spacy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

# isort: on

from observatory.limits import MAX_POSTING_CHARS
from observatory.skills.esco import EscoLabel
from observatory.skills.language import UNDETERMINED, detect_language
from observatory.skills.normalize import fold, fold_key, positions
from observatory.skills.open_vocab import (
    LEXICAL,
    NEW,
    VECTOR,
    Candidate,
    Normalised,
    OpenVocabulary,
    concrete_plural,
    initials_end,
    joined_initials,
    new_skill_id,
    product_name_around,
    stem_key,
)
from observatory.skills.sections import NON_DEMAND_SECTIONS, REQUIRED, TITLE, PostingStructure, lower_same_length
from observatory.skills.vocabulary import (
    KNOWLEDGE,
    LANGUAGE,
    SKILL,
    TRANSVERSAL,
    Vocabulary,
    VocabularyEntry,
    default_vocabulary,
)

# Bump whenever patterns, vocabulary or rules change: stored mentions are keyed on it, and the
# Dagster asset re-extracts every posting that the current version has not seen.
EXTRACTOR_VERSION = "2026.12.13"

PHRASE = "phrase"  # vocabulary alias, accent- and case-folded
PHRASE_CASED = "phrase_cased"  # vocabulary alias that must match its case (R, Go, SAP)
REGEX = "regex"  # symbol-heavy forms and spoken languages with a level
ESCO = "esco"  # an ESCO label
TITLE_METHOD = "title"  # inferred from the job title ("Desarrollador Full Stack" -> Full stack)
PORTAL_TAG = "portal_tag"  # a skill tag the employer chose on the portal (Computrabajo's chips)
TAGS_SECTION = "portal_tags"
_OPEN_METHODS = frozenset({LEXICAL, VECTOR, NEW})
NAME_LANGUAGES = ("es", "en", "source")  # how skills are named: Spanish, English, the posting's language

# Confidence = share of skills that were right on the development set per kind of evidence
# (`observatory eval --calibrate --esco-dir …`), rounded down because the vocabulary later grew from
# that set's misses; a section where demand is less certain scales it down.
BASE_CONFIDENCE = {
    "technical": 0.95,  # tools, languages, frameworks by a folded alias
    "cased": 0.88,  # case-sensitive alias (SAP, Word)
    "ambiguous": 0.75,  # R, Go, Spring… kept because of list context or a cue
    "domain": 0.85,  # practices and domains (microservicios, análisis de datos)
    "language": 0.9,  # spoken language without a level
    "soft": 0.85,  # soft skills by an explicit phrase
    "regex": 0.97,  # C#, .NET, "inglés B2"
    "esco_mapped": 0.8,  # an ESCO label of a vocabulary skill
    "esco": 0.7,  # an ESCO label of a concept the vocabulary lacks, specific enough to match (esco_label_usable)
    "esco_single": 0.6,  # a one-word ESCO knowledge label ("oxicorte", "enfermería")
    "tag": 0.9,  # an employer tag mapped to a canonical skill
    "tag_unmapped": 0.5,  # an employer tag no vocabulary entry or ESCO label names
    "open_lexical": 0.7,  # an open-vocabulary span whose words name a vocabulary or ESCO skill
    "open_vector": 0.6,  # an open-vocabulary span whose nearest label (USE vectors) names a skill
    "open_new": 0.5,  # an open-vocabulary span no list holds, kept under its own name
}
SECTION_FACTOR = {"title": 1.0, "requirements": 1.0, "other": 0.95, "responsibilities": 0.9}
MAX_TEXT_CHARS = MAX_POSTING_CHARS  # the one limit ingest applies too (observatory.limits)

_CONTEXT_CUE = re.compile(
    r"(?i:(?:lenguajes?(?:\s+de\s+programacion)?|programacion\s+en|programming\s+in|languages?|experiencia\s+(?:en|con)"
    r"|experience\s+(?:in|with)|conocimientos?\s+(?:en|de)|knowledge\s+of|manejo\s+de|dominio\s+de|uso\s+de"
    r"|desarrollador(?:a|es)?|developer|programador(?:a|es)?|engineer|ingenier[oa]|dev|stack)"
    r"[\s:]*$)"
)
_LEVEL = (
    r"(?:[abc][12](?:\+)?|basico|basic|intermedio[\s-]+avanzado|intermedio|upper[\s-]+intermediate|intermediate|"
    r"avanzado|advanced|fluido|fluent|fluency|nativo|native|bilingue|bilingual|conversacional|conversational|"
    r"tecnico|technical|profesional|professional|proficient)"
)
# A level right after a spoken language ("inglés B2", "English (advanced)") or right before it
# ("advanced English", "nivel avanzado de inglés"); checked only around language mentions.
_LEVEL_AFTER = re.compile(
    rf"(?i:[ \t:(\-]*(?:(?:nivel|level|minimo|minimum)(?:\s+(?:de|of))?[\s:]+)?(?P<level>{_LEVEL})\b(?:\s*\+)?)"
)
_LEVEL_BEFORE = re.compile(rf"(?i:\b(?:nivel\s+)?(?P<level>{_LEVEL})\s+(?:level\s+of\s+|de\s+|en\s+|del\s+)?$)")
_EXPERIENCE = re.compile(
    r"(?:(?P<years>\d{1,2}(?:[.,]5)?|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|diez|one|two|three|four|five"
    r"|six|seven|eight|ten)\s*\+?\s*(?:\(\d+\)\s*)?(?:anos|ano|years?|yrs)\s+(?:de\s+|of\s+)?"
    r"(?:experiencia|experience)(?:\s+(?:comprobable|demostrable|minima|professional|profesional|solida|hands-on))?"
    r"\s*(?:en|con|como|in|with|using|on|as)?)"
)
_NUMBER_WORDS = {
    "un": 1, "una": 1, "uno": 1, "one": 1, "dos": 2, "two": 2, "tres": 3, "three": 3, "cuatro": 4, "four": 4,
    "cinco": 5, "five": 5, "seis": 6, "six": 6, "siete": 7, "seven": 7, "ocho": 8, "eight": 8, "diez": 10, "ten": 10,
}  # fmt: skip
# Forms with symbols that tokenizers split unpredictably ("C#", "C++", ".NET", "Node.js").
_SYMBOL_FORMS = re.compile(
    r"(?<![\w#+.])(?:(?P<aspnet>ASP\s?\.\s?NET)|(?P<vbnet>VB\s?\.\s?NET)|(?P<csharp>C\s?#)|(?P<fsharp>F#)"
    r"|(?P<cpp>C\s?\+\+)|(?P<dotnet>\.NET)|(?P<nodejs>Node\s?\.\s?js|NodeJS)|(?P<vue>Vue\s?\.\s?js))(?![\w#+])",
    re.IGNORECASE,
)
_SYMBOL_SKILLS = {
    "aspnet": "aspnet", "vbnet": "vb_net", "csharp": "csharp", "fsharp": "fsharp", "cpp": "cpp",
    "dotnet": "dotnet", "nodejs": "nodejs", "vue": "vue",
}  # fmt: skip
_ESCO_STOP = frozenset(
    "de del la el los las y en a al con para por un una o e the of and to in for with on an or as".split()
)


@dataclass(slots=True)
class Mention:
    """One skill found in a posting; ``start``/``end`` index the title when ``section == "title"``."""

    name: str
    skill_id: str
    surface: str
    esco_uri: str | None
    start: int
    end: int
    skill_type: str | None
    method: str
    section: str
    importance: str
    confidence: float
    category: str | None
    level: str | None = None
    years: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The mention as JSON-ready values (field by field: ``dataclasses.asdict`` deep-copies, slowly)."""
        return {name: getattr(self, name) for name in _MENTION_FIELDS}


_MENTION_FIELDS = tuple(f.name for f in fields(Mention))


@dataclass
class ExtractionResult:
    """The language of a posting and the skills it asks for."""

    language: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def skill_ids(self) -> list[str]:
        """Distinct canonical skills, in order of first mention."""
        return list(dict.fromkeys(m.skill_id for m in self.mentions))

    @property
    def skill_names(self) -> list[str]:
        """Distinct canonical display names, in order of first mention."""
        return list(dict.fromkeys(m.name for m in self.mentions))


@dataclass(frozen=True)
class SkillTarget:
    """What a pattern points at: a vocabulary entry or an ESCO concept the vocabulary lacks."""

    skill_id: str
    name: str
    esco_uri: str | None
    skill_type: str | None
    category: str | None
    method: str
    evidence: str  # key of BASE_CONFIDENCE
    ambiguous: bool = False
    entry: VocabularyEntry | None = None
    name_en: str | None = None

    def display_name(self, language: str) -> str:
        """The name in ``language`` ("es" or "en"): one name per skill whatever the posting's language."""
        if self.entry is not None:
            return self.entry.display_name(language)
        if language == "en" and self.name_en:
            return self.name_en
        return self.name


class _RawMatch(NamedTuple):
    start: int
    end: int
    target: SkillTarget
    level: str | None = None


class SkillMatcher:
    """spaCy component: runs the phrase matchers and stores raw matches in ``doc.user_data``."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        # Patterns are tokenized by a throwaway twin pipeline: tokenizing tens of thousands of ESCO labels
        # with the working tokenizer would bloat its vocabulary and cache and halve its speed.
        # Phrase matching compares string hashes, which do not depend on the vocabulary.
        self.pattern_nlp: Language | None = None  # made by the first add(); a restored matcher needs none
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cased = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.targets: dict[int, SkillTarget] = {}

    def add(self, target: SkillTarget, texts: Iterable[str], cased: bool) -> None:
        """Add pattern texts (already folded) pointing at ``target``."""
        key = f"{target.method}|{target.skill_id}|{int(target.ambiguous)}|{target.evidence}"
        match_id = self.nlp.vocab.strings.add(key)
        self.targets[match_id] = target
        docs: dict[tuple[str, ...], Doc] = {}
        if self.pattern_nlp is None:
            self.pattern_nlp = _blank_pipeline()
        tokenizer: Tokenizer = self.pattern_nlp.tokenizer  # type: ignore[assignment]
        for doc in tokenizer.pipe([token_text(t) for t in texts]):
            if len(doc) == 0:
                continue
            signature = tuple(t.text if cased else t.lower_ for t in doc)
            docs.setdefault(signature, doc)
        if docs:
            (self.cased if cased else self.folded).add(key, list(docs.values()))

    def patterns(self) -> dict[str, Any]:
        """Targets and patterns of both phrase matchers, for :meth:`restore` in another process.

        spaCy's PhraseMatcher keeps every pattern as a tuple of string hashes (its pickled form): restoring
        them skips tokenizing tens of thousands of labels again, and hashes do not depend on the vocabulary.
        """
        return {
            "targets": self.targets,
            "folded": self.folded.__reduce__()[1][1],
            "cased": self.cased.__reduce__()[1][1],
        }

    def restore(self, patterns: dict[str, Any]) -> None:
        """Add the targets and patterns of :meth:`patterns`."""
        self.targets.update(patterns["targets"])
        vocab: Any = self.nlp.vocab  # lex_attr_getters is missing from spaCy's type stubs
        getters = vocab.lex_attr_getters
        # PhraseMatcher.add makes a lexeme of every match key; computing the shape and flags of ~13,000 keys,
        # which are never tokens of a text, took most of the restore. Text tokens get theirs as usual.
        vocab.lex_attr_getters = {}
        try:
            for name in ("folded", "cased"):
                matcher: PhraseMatcher = getattr(self, name)
                for key, keywords in patterns[name].items():
                    matcher.add(key, list(keywords))
        finally:
            vocab.lex_attr_getters = getters

    def __call__(self, doc: Doc) -> Doc:
        matches = []
        for matcher in (self.folded, self.cased):
            for match_id, start, end in matcher(doc):
                first, last = doc[start], doc[end - 1]
                matches.append(_RawMatch(first.idx, last.idx + len(last), self.targets[match_id]))
        doc.user_data["skill_matches"] = matches
        return doc


@Language.factory("observatory_skill_matcher")
def _make_skill_matcher(nlp: Language, name: str) -> SkillMatcher:
    return SkillMatcher(nlp)


# The matching tokenizer: words split from surrounding punctuation, nothing else. The stock Spanish
# tokenizer's exceptions and URL/number rules cost two thirds of its time and change no skill match,
# since patterns and texts go through the same tokenizer; "node.js", "c++", "9001:2015" stay one token.
_PREFIX = re.compile(r"""^[\[{"'¿¡«:;,\-*+=~_!?<>%$@&]""")
_SUFFIX = re.compile(r"""(?:[\]}"'?!»:;,\-*=~_<>%]|(?<![A-Za-z0-9])\.|\.$)$""")
# A lower-case letter glued to a capitalised word is a lost line break ("Trabajo en equipoCompromiso",
# "AutocadSe seleccionará"): split there. Patterns go through the same rule, in every case variant. A colon between
# letters is a label glued to its first item ("Requisitos:Manejo de Excel"), between digits it stays ("9001:2015"); a
# dot before a capitalised word ends a sentence whose break was lost, after an acronym too ("CNC.Realizar").
_INFIX = re.compile(
    r"""(?<=\w)[,;!?¿¡"'=<>~*](?=\w)|(?<=[A-Za-z0-9])\.(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z][a-z])|(?<=[A-Za-z]):(?=[A-Za-z])"""
)


def _blank_pipeline() -> Language:
    """``spacy.blank("es")`` with a plain punctuation tokenizer (glued dashes and parentheses: see
    :func:`token_text`)."""
    nlp = spacy.blank("es")
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=_PREFIX.search,
        suffix_search=_SUFFIX.search,
        infix_finditer=_INFIX.finditer,
    )
    nlp.max_length = MAX_TEXT_CHARS + 10_000
    vocab: Any = nlp.vocab  # lex_attr_getters is missing from spaCy's type stubs
    # Phrase matching reads a token's ORTH and LOWER only: the shape, flags, norm and stop-word status that spaCy
    # computes for every word it has not seen took 40 % of tokenizing postings full of new words.
    vocab.lex_attr_getters = {LOWER: vocab.lex_attr_getters[LOWER]}
    return nlp


# A dash that does not join two word characters is a list bullet ("SSRS- Power BI", ":-Buena").
_LOOSE_DASH = re.compile(r"-(?:(?![A-Za-z0-9])|(?<=[^A-Za-z0-9]-)|(?<=^-))")


def token_text(folded: str) -> str:
    """What the tokenizer sees: parentheses and bullet dashes become spaces, which splits words that
    portals glue together once newlines are stripped ("(deseable)Beneficios", "SSRS- Power BI") more
    cheaply than extra tokenizer rules; sections still read the original punctuation."""
    # str.replace, not str.translate: translate looks up every character of a non-ASCII text (~10x slower).
    text = folded.replace("(", " ").replace(")", " ")
    if "-" in text:
        text = _LOOSE_DASH.sub(" ", text)
    return text


def _unmatched_names(entry: VocabularyEntry) -> set[str]:
    """Names of an entry that it does not match on their own (``match_name: false``, ambiguous aliases)."""
    matched = {fold_key(a) for a in entry.aliases}
    names = {fold_key(n) for n in (entry.name, entry.name_es, entry.name_en) if n}
    return (names - matched) | {fold_key(a) for a in entry.ambiguous_aliases}


def esco_skill_id(uri: str) -> str:
    """The canonical id of an ESCO concept the vocabulary lacks."""
    return "esco:" + uri.rsplit("/", 1)[-1]


class _EscoIndex:
    """ESCO labels by folded key: which concept owns a label, preferred names and types by URI."""

    def __init__(self, labels: list[EscoLabel]) -> None:
        self.preferred: dict[str, dict[str, str]] = {}
        self.types: dict[str, str | None] = {}
        preferred_owners: dict[str, set[str]] = {}
        alternative_owners: dict[str, set[str]] = {}
        for label in labels:
            self.types.setdefault(label.uri, label.skill_type)
            key = fold_key(label.label)
            if label.preferred:
                self.preferred.setdefault(label.uri, {}).setdefault(label.lang, label.label)
                preferred_owners.setdefault(key, set()).add(label.uri)
            else:
                alternative_owners.setdefault(key, set()).add(label.uri)
        # A label names one concept: its preferred owner, else its only alternative owner; homonyms are dropped.
        self._owner: dict[str, str] = {}
        for key in preferred_owners.keys() | alternative_owners.keys():
            owners = preferred_owners.get(key) or alternative_owners.get(key, set())
            if len(owners) == 1:
                self._owner[key] = next(iter(owners))

    def owner(self, label: str) -> str | None:
        return self._owner.get(fold_key(label))

    def resolve_links(self, links: dict[str, str]) -> dict[str, str]:
        """Vocabulary id -> URI of the concept whose English preferred label the link names (unknown labels,
        as in another ESCO release, are skipped)."""
        by_label = {fold_key(names["en"]): uri for uri, names in self.preferred.items() if "en" in names}
        return {skill_id: by_label[fold_key(label)] for skill_id, label in links.items() if fold_key(label) in by_label}

    def link(self, entry: VocabularyEntry) -> str | None:
        """The ESCO concept a vocabulary entry's names or aliases name exactly (None when none or unclear)."""
        for name in (entry.name_es, entry.name_en, entry.name, *entry.aliases):
            if name and len(name) > 3:
                uri = self.owner(name)
                if uri is not None and self.types.get(uri) != LANGUAGE:
                    return uri
        return None


def _case_variants(alias: str) -> list[str]:
    folded = fold(alias)
    return list(dict.fromkeys([folded, folded.lower(), folded.upper(), folded.title(), folded.capitalize()]))


def _evidence(entry: VocabularyEntry, cased: bool) -> str:
    if entry.skill_type == TRANSVERSAL:
        return "soft"
    if entry.skill_type == LANGUAGE:
        return "language"
    if entry.skill_type == SKILL:
        return "domain"
    return "cased" if cased else "technical"


def esco_label_usable(label: str) -> bool:
    """Whether an ESCO label is specific enough to match on its own (long generic phrases and
    single common words such as "ventas" produce demand that no reader would list)."""
    return _esco_label_evidence(label, SKILL) is not None


def _esco_label_evidence(label: str, skill_type: str | None) -> str | None:
    """The kind of evidence a match of this ESCO label gives, or None when it must not be matched.

    Precision controls: labels with parentheses or gender slashes, longer than five words or 45 characters
    (phrases postings never write word for word) and labels on the ambiguity list are out; a phrase needs two
    content words; a single word only counts for a knowledge concept ("oxicorte", "enfermería"), never for a
    competence, whose one-word labels are ordinary verbs or nouns.
    """
    if "(" in label or "/" in label or len(label) > 45:
        return None
    key = fold_key(label)
    if key in esco_ambiguous_labels():
        return None
    words = key.split()
    if words[0] in _ESCO_INDUSTRY_HEADS or words[-1] in _ESCO_INDUSTRY_TAILS:
        return None  # "productos químicos", "industria textil", "entertainment industry": what a company sells
    if len(words) == 1:
        word = words[0]
        if skill_type == KNOWLEDGE and len(word) >= 6 and word.isalpha():
            return "esco_single"
        return None
    content = [w for w in words if w not in _ESCO_STOP]
    if 2 <= len(words) <= 5 and len(content) >= 2:
        return "esco"
    return None


@lru_cache(maxsize=1)
def esco_ambiguous_labels() -> frozenset[str]:
    """Folded ESCO labels that are ordinary words in postings (``data/esco_ambiguous.txt``, one per line)."""
    lines = ESCO_AMBIGUOUS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(fold_key(line) for line in lines if line.strip() and not line.lstrip().startswith("#"))


_ESCO_INDUSTRY_HEADS = frozenset({"productos", "producto", "industria", "sector", "mercado", "articulos", "empresa"})
_ESCO_INDUSTRY_TAILS = frozenset({"industry", "industries", "sector", "market", "products", "goods"})
# Words right before a label that make it the employer's trade, not a skill ("empresa de energía").
_ESCO_TRADE_CUE = re.compile(
    r"(?:\b(?:empresa|empresas|compania|rubro|sector|industria|distribuidora|fabricante|fabrica|lider|lideres"
    r"|dedicada|dedicados|especializada)\b[^\n.;:]{0,25})$",
    re.IGNORECASE,
)
ESCO_LINKS_PATH = Path(__file__).with_name("data") / "esco_links.yaml"


@lru_cache(maxsize=1)
def esco_links() -> dict[str, str]:
    """Vocabulary id -> English preferred label of the ESCO concept it maps to (``data/esco_links.yaml``)."""
    import yaml

    document = yaml.safe_load(ESCO_LINKS_PATH.read_text(encoding="utf-8")) or {}
    if not isinstance(document, dict):
        raise ValueError(f"{ESCO_LINKS_PATH} must map vocabulary ids to ESCO labels")
    return {str(k): str(v) for k, v in document.items()}


ESCO_AMBIGUOUS_PATH = Path(__file__).with_name("data") / "esco_ambiguous.txt"
BUNDLED = "bundled"


class SkillExtractor:
    """Extract skills from postings with the bundled vocabulary and ESCO labels (the bundled release by
    default; pass labels of another release, or ``()`` for the vocabulary alone).

    ``names`` chooses how a skill is named: ``"es"`` or ``"en"`` (one name per skill whatever the
    posting's language) or ``"source"`` (the posting's language).
    """

    version = EXTRACTOR_VERSION

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        esco_labels: Iterable[EscoLabel] | str | None = BUNDLED,
        *,
        keep_non_demand: bool = False,
        names: str = "es",
        open_vocabulary: bool = True,
    ) -> None:
        if names not in NAME_LANGUAGES:
            raise ValueError(f"names must be one of {', '.join(NAME_LANGUAGES)}, not {names!r}")
        if isinstance(esco_labels, str):
            if esco_labels != BUNDLED:
                raise ValueError(f"esco_labels must be labels, None or {BUNDLED!r}, not {esco_labels!r}")
            from observatory.skills.esco_bundle import bundled_esco

            esco_labels = bundled_esco().skill_labels()
        labels = list(esco_labels) if esco_labels is not None else []
        self.names = names
        self.vocabulary = vocabulary or default_vocabulary()
        self.keep_non_demand = keep_non_demand
        self.nlp = _blank_pipeline()
        self.matcher: SkillMatcher = self.nlp.add_pipe("observatory_skill_matcher")  # type: ignore[assignment]
        self._targets_by_id: dict[str, SkillTarget] = {}
        self._esco_index = _EscoIndex(labels)
        links = self._esco_index.resolve_links(esco_links()) if labels else {}
        # A concept belongs to one skill: URIs written in the vocabulary or the link file come first, and an
        # exact-label link never takes a URI another entry holds (ESCO lists "mocha" under JavaScript).
        held = {e.esco_uri for e in self.vocabulary if e.esco_uri} | set(links.values())
        uris: dict[str, str | None] = {}
        for entry in self.vocabulary:
            uri = entry.esco_uri or links.get(entry.id)
            if uri is None:
                uri = self._esco_index.link(entry)
                if uri in held:
                    uri = None
                elif uri is not None:
                    held.add(uri)
            uris[entry.id] = uri
        for entry in self.vocabulary:
            uri = uris[entry.id]
            folded = SkillTarget(
                entry.id, entry.name, uri, entry.skill_type, entry.category, PHRASE, _evidence(entry, False),
                entry=entry,
            )  # fmt: skip
            self._targets_by_id[entry.id] = folded
            self.matcher.add(folded, [v for a in entry.aliases for v in _case_variants(a)], cased=False)
            if entry.case_sensitive:
                evidence = "ambiguous" if entry.ambiguous else _evidence(entry, True)
                cased = SkillTarget(
                    entry.id, entry.name, uri, entry.skill_type, entry.category, PHRASE_CASED,
                    evidence, ambiguous=entry.ambiguous, entry=entry,
                )  # fmt: skip
                self.matcher.add(cased, [fold(a) for a in entry.case_sensitive], cased=True)
            if entry.ambiguous_aliases:
                loose = SkillTarget(
                    entry.id, entry.name, uri, entry.skill_type, entry.category, PHRASE,
                    "ambiguous", ambiguous=True, entry=entry,
                )  # fmt: skip
                self.matcher.add(loose, [v for a in entry.ambiguous_aliases for v in _case_variants(a)], cased=False)
        self._by_uri = {t.esco_uri: t for t in self._targets_by_id.values() if t.esco_uri}
        self.esco_label_count = self._add_esco(labels) if labels else 0
        # Skills no list holds: cue patterns, requirement/task items, normalised lexically then by vectors.
        # Words the matcher refuses on their own (ambiguous ESCO labels, names an entry keeps out of its
        # patterns) must not come back through the open vocabulary's look-ups either.
        # A bare job word is left to the matcher's job-title check: in a list or after a cue a plural names people
        # ("repositores, cajeros, etc.", "instrumentadores, enfermeros y personal de guardia"), and so does a
        # teacher's or a driver's word ("tanto como profesor o como usuario"); a degree stays ("Administración de
        # Empresas, Contador o afines").
        blocked = (
            esco_ambiguous_labels()
            | {n for e in self.vocabulary for n in _unmatched_names(e)}
            | {fold_key(a) for e in self.vocabulary for a in e.aliases if _people_word(e.id, fold_key(a))}
        )
        self.open_vocabulary = OpenVocabulary(self.vocabulary, labels, blocked=blocked) if open_vocabulary else None
        self.matcher.pattern_nlp = None  # only needed while adding patterns

    def _add_esco(self, labels: list[EscoLabel]) -> int:
        patterns: dict[tuple[str, str], list[str]] = {}
        for label in labels:
            if label.skill_type not in (KNOWLEDGE, SKILL):
                continue
            evidence = _esco_label_evidence(label.label, label.skill_type)
            if evidence is None or self._esco_index.owner(label.label) != label.uri:
                continue
            patterns.setdefault((label.uri, evidence), []).append(label.label)
        count = 0
        for (uri, evidence), texts in patterns.items():
            linked = self._by_uri.get(uri)
            if linked is not None and linked.entry is not None:
                entry = linked.entry
                # ESCO's labels of a vocabulary skill must not bypass the entry's own caution: one-word labels
                # and the names the entry keeps out of its patterns ("Ventas", "Fotografía") are not matched.
                unsafe = _unmatched_names(entry)
                texts = [t for t in texts if evidence != "esco_single" and fold_key(t) not in unsafe]
                if not texts:
                    continue
                target = SkillTarget(
                    entry.id, entry.name, uri, entry.skill_type, entry.category, ESCO, "esco_mapped", entry=entry
                )
            else:
                target = self._esco_target(uri, evidence)
                self._targets_by_id.setdefault(target.skill_id, target)
            self.matcher.add(target, [v for t in texts for v in dict.fromkeys((fold(t), fold(t).lower()))], cased=False)
            count += len(texts)
        return count

    def __getstate__(self) -> dict[str, Any]:
        # Pickled by observatory.skills.prebuilt's on-disk cache: the spaCy pipeline is rebuilt on load and
        # the matchers keep their patterns as token hashes.
        state = dict(self.__dict__)
        del state["nlp"]
        state["matcher"] = self.matcher.patterns()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        patterns = state.pop("matcher")
        self.__dict__.update(state)
        self.nlp = _blank_pipeline()
        self.matcher = self.nlp.add_pipe("observatory_skill_matcher")  # type: ignore[assignment]
        self.matcher.restore(patterns)

    def _esco_target(self, uri: str, evidence: str) -> SkillTarget:
        names = self._esco_index.preferred.get(uri, {})
        name_es = names.get("es") or names.get("en") or uri
        return SkillTarget(
            esco_skill_id(uri), name_es, uri, self._esco_index.types.get(uri), "esco", ESCO, evidence,
            name_en=names.get("en"),
        )  # fmt: skip

    # -- extraction -----------------------------------------------------------------------------------

    def extract(
        self, text: str | None, title: str | None = None, tags: Iterable[str] | None = None
    ) -> ExtractionResult:
        """Skills of one posting (``text`` is the description; ``None`` counts as empty); ``tags`` are the
        employer's skill tags on the portal, kept as mentions of method ``portal_tag``."""
        return next(self.extract_many([(text, title, tags)]))

    def extract_many(
        self,
        postings: Iterable[str | tuple[str | None, str | None] | tuple[str | None, str | None, Any] | None],
        batch_size: int = 256,
        *,
        repeats: int = 2048,
    ) -> Iterator[ExtractionResult]:
        """Skills of many postings, each a description, a ``(description, title)`` pair or a
        ``(description, title, tags)`` triple, in input order.

        A posting whose title and description repeat one of the last ``repeats`` distinct postings of the same call
        (a repost, the same ad on two portals: ~7 % of real postings) gets a fresh copy of that one's result, and
        only its own tags are looked up; ``repeats=0`` extracts every posting. ``batch_size`` is accepted for
        callers written for spaCy's ``pipe``: no step of the pipeline works in batches."""
        from collections import deque
        from operator import attrgetter

        values = attrgetter(*_MENTION_FIELDS)
        # Key (the combined text and where its body starts) -> (language, each mention's field values), or None
        # while the first posting with that key waits in `pending`. Plain values: a caller that edits a result
        # it was given cannot change what a later repeat gets.
        remembered: dict[tuple[str, int], tuple[str, list[tuple[Any, ...]]] | None] = {}
        pending: deque[tuple[str, str, int, Any, bool]] = deque()

        def folded_texts() -> Iterator[str]:
            for posting in postings:
                tags = None
                if isinstance(posting, tuple):
                    combined, body_start = self._combine(posting[0], posting[1])
                    tags = posting[2] if len(posting) > 2 else None
                else:
                    combined, body_start = self._combine(posting, None)
                key = (combined, body_start)
                if repeats > 0 and key in remembered:
                    remembered[key] = remembered.pop(key)  # the most recent now: the last to be pushed out
                    pending.append(("", combined, body_start, tags, True))
                    continue
                if repeats > 0:
                    if len(remembered) >= repeats:
                        del remembered[next(iter(remembered))]  # the oldest
                    remembered[key] = None
                folded = joined_initials(_without_inline_stars(fold(combined)))
                pending.append((folded, combined, body_start, tags, False))
                yield token_text(folded)

        def repeated(combined: str, body_start: int, tags: Any) -> ExtractionResult:
            earlier = remembered.get((combined, body_start))
            if earlier is None:  # pushed out of the memo since (only with a tiny ``repeats``): extract it again
                folded = joined_initials(_without_inline_stars(fold(combined)))
                result = self._result(self.nlp(token_text(folded)), folded, combined, body_start)
            else:
                result = ExtractionResult(earlier[0], [Mention(*fields) for fields in earlier[1]])
            if tags:
                result.mentions.extend(self.tag_mentions(tags, result.language))
            return result

        # The pipeline's steps called one by one, as each posting is read: nlp.pipe's generator layers and error
        # handlers cost ~1 % of the extraction (callgrind), and none of the steps works in batches.
        steps = [step for _, step in self.nlp.pipeline]
        for text in folded_texts():
            doc = self.nlp.make_doc(text)
            for step in steps:
                doc = step(doc)
            # Repeats queued before this doc's posting come first; its posting is the first one extracted anew.
            while pending[0][4]:
                _, combined, body_start, tags, _ = pending.popleft()
                yield repeated(combined, body_start, tags)
            folded, combined, body_start, tags, _ = pending.popleft()
            result = self._result(doc, folded, combined, body_start)
            key = (combined, body_start)
            if key in remembered:
                remembered[key] = (result.language, [values(m) for m in result.mentions])
            if tags:
                result.mentions.extend(self.tag_mentions(tags, result.language))
            yield result
        while pending:  # repeats after the last posting extracted anew
            _, combined, body_start, tags, _ = pending.popleft()
            yield repeated(combined, body_start, tags)

    def tag_mentions(self, tags: Iterable[str], language: str = "es") -> list[Mention]:
        """Employer tags as mentions: a tag that names a vocabulary skill or an ESCO concept maps to it, a tag
        holding several skills ("Comunicación y persuasión") gives each, any other keeps its own text."""
        if isinstance(tags, str):
            raise TypeError("tags must be a list of strings, not one string")
        mentions: list[Mention] = []
        seen: set[str] = set()
        for index, tag in enumerate(tags):
            if not isinstance(tag, str) or not tag.strip():
                continue
            tag = " ".join(tag.split())[:200]
            targets = self._tag_targets(tag)
            evidence = "tag" if targets else "tag_unmapped"
            if not targets:
                key = fold_key(tag)
                targets = [SkillTarget("tag:" + key, tag, None, None, "portal_tag", PORTAL_TAG, evidence)]
            for target in targets:
                if target.skill_id in seen:
                    continue
                seen.add(target.skill_id)
                mentions.append(
                    Mention(
                        name=target.display_name(self._name_language(language)),
                        skill_id=target.skill_id,
                        surface=tag,
                        esco_uri=target.esco_uri,
                        start=-(index + 1),
                        end=-(index + 1),
                        skill_type=target.skill_type,
                        method=PORTAL_TAG,
                        section=TAGS_SECTION,
                        importance=REQUIRED,
                        confidence=BASE_CONFIDENCE[evidence],
                        category=target.category,
                    )
                )
        return mentions

    def _tag_targets(self, tag: str) -> list[SkillTarget]:
        entry = self.vocabulary.lookup(tag)
        if entry is not None:
            return [self._targets_by_id[entry.id]]
        uri = self._esco_index.owner(tag)
        if uri is not None:
            linked = self._by_uri.get(uri)
            return [linked] if linked is not None else [self._esco_target(uri, "esco")]
        folded = fold(tag)
        doc = self.nlp(token_text(folded))
        raw: list[_RawMatch] = doc.user_data.get("skill_matches", [])
        raw = raw + self._symbol_matches(folded, lower_same_length(folded))
        # A tag is the employer's own list: ambiguous spellings and one-word ESCO labels are fine here.
        return [m.target for m in self._resolve_overlaps(raw)]

    def _name_language(self, posting_language: str) -> str:
        if self.names != "source":
            return self.names
        return posting_language if posting_language in ("es", "en") else "es"

    def target(self, skill_id: str) -> SkillTarget | None:
        """The vocabulary target of a canonical id (None for ESCO-only skills)."""
        return self._targets_by_id.get(skill_id)

    @staticmethod
    def _combine(text: str | None, title: str | None) -> tuple[str, int]:
        for value, what in ((text, "text"), (title, "title")):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"posting {what} must be str or None, got {type(value).__name__}")
        text = _without_surrogates(text or "")
        title = _without_surrogates((title or "").replace("\n", " "))
        if len(text) + len(title) > MAX_TEXT_CHARS:
            raise ValueError(f"posting text of {len(text):,} characters exceeds the {MAX_TEXT_CHARS:,} limit")
        if not title:
            return text, 0
        return f"{title}\n\n{text}", len(title) + 2

    def _result(self, doc: Doc, folded: str, combined: str, body_start: int) -> ExtractionResult:
        if not folded.strip() or _binary_junk(folded):
            return ExtractionResult(UNDETERMINED, [])
        language = detect_language(folded[body_start:] if len(folded) - body_start > 40 else folded)
        raw: list[_RawMatch] = doc.user_data.get("skill_matches", [])
        lower = lower_same_length(folded)
        raw = raw + self._symbol_matches(folded, lower)
        accepted = self._in_context(self._resolve_overlaps(raw, lower), folded, lower)
        accepted = [m for m in accepted if not _inside_product_name(m, folded)]
        structure = PostingStructure.parse(folded, body_start, lower)
        if self.open_vocabulary is not None:
            opened = self._open_matches(combined, folded, lower, structure, body_start, accepted)
            accepted = sorted(accepted + opened, key=lambda m: m.start)
        accepted = [m for m in accepted if not _not_asked(m, lower, language)]
        about_us = _about_us_spans(folded, lower, body_start)
        if about_us:
            accepted = [m for m in accepted if not _in_about_us(m, about_us)]
        if "ensenanza" in lower:
            accepted = [m for m in accepted if not _teaching_not_asked(m, lower, body_start)]
        if "presupuest" in lower:
            accepted = [self._as_quotation(m, lower) for m in accepted]
        experience = _experience_years(lower)
        name_language = self._name_language(language)
        mentions = []
        for match in accepted:
            section = TITLE if match.start < body_start else structure.section_at(match.start)[0]
            if section in NON_DEMAND_SECTIONS and not self.keep_non_demand:
                continue
            importance = REQUIRED if section == TITLE else structure.importance(match.start, match.end)
            target = match.target
            confidence = BASE_CONFIDENCE[target.evidence] * SECTION_FACTOR.get(section, 1.0)
            offset = 0 if section == TITLE else body_start
            end = _surface_end(combined, match.start, match.end)
            mentions.append(
                Mention(
                    name=target.display_name(name_language),
                    skill_id=target.skill_id,
                    surface=combined[match.start : end],
                    esco_uri=target.esco_uri,
                    start=match.start - offset,
                    end=end - offset,
                    skill_type=target.skill_type,
                    method=TITLE_METHOD if section == TITLE else target.method,
                    section=section,
                    importance=importance,
                    confidence=round(confidence, 3),
                    category=target.category,
                    level=match.level,
                    years=_years_before(experience, match.start, structure),
                )
            )
        return ExtractionResult(language, mentions)

    def _as_quotation(self, match: _RawMatch, lower: str) -> _RawMatch:
        """Budgeting named in a clause about clients' quotes is drawing up quotes (see :data:`_QUOTE_CUE`)."""
        if match.target.skill_id != "budgeting" or "presupuest" not in lower[match.start : match.end]:
            return match
        quotations = self._targets_by_id.get("quotations")
        clause_start = max(0, match.start - _CLAUSE_REACH)
        for boundary in _CLAUSE_BREAK.finditer(lower, clause_start, match.start):
            clause_start = boundary.end()
        clause_end = _CLAUSE_BREAK.search(lower, match.end)
        clause = lower[clause_start : clause_end.start() if clause_end is not None else len(lower)]
        if quotations is None or not _QUOTE_CUE.search(clause):
            return match
        return match._replace(
            target=dataclasses.replace(quotations, method=match.target.method, evidence=match.target.evidence)
        )

    def _in_context(self, accepted: list[_RawMatch], folded: str, lower: str) -> list[_RawMatch]:
        """The matches whose surroundings make them a skill asked (see :func:`_fits_context`), with levels."""
        cue_words = _CueWords(folded, lower)
        accepted = [
            _with_level(m, folded)
            for m in accepted
            if not _after_excluded_word(m, folded) and _fits_context(m, cue_words)
        ]
        if any(m.target.ambiguous for m in accepted):
            accepted = self._drop_ambiguous_without_context(accepted, folded)
        return _without_umbrellas(accepted, lower)

    def _open_matches(
        self,
        combined: str,
        folded: str,
        lower: str,
        structure: PostingStructure,
        body_start: int,
        accepted: list[_RawMatch],
    ) -> list[_RawMatch]:
        """Open-vocabulary spans where no pattern matched, each pointing at the skill it names."""
        assert self.open_vocabulary is not None
        taken = sorted((m.start, m.end) for m in accepted)
        candidates = self.open_vocabulary.candidates(combined, folded, lower, structure, body_start, taken)
        if not candidates:
            return []
        resolved = [(c, self._open_target(c, n)) for c, n in self.open_vocabulary.resolve(candidates)]
        if all(target.method != NEW for _, target in resolved):
            return [_RawMatch(c.start, c.end, target) for c, target in resolved]
        # A skill the posting already names keeps its one id: a new phrase that is the same words or their stems
        # ("ventas" beside "Experiencia en ventas", "venta" beside "ventas") takes the first one's target.
        found: dict[str, SkillTarget] = {}
        for match in accepted:
            for stems in _name_stems(match.target):
                found.setdefault(stems, match.target)
        opened = []
        ends = sorted((m.end, m.start) for m in accepted)
        for candidate, target in resolved:
            if target.method == NEW:
                target = self._elided_head(candidate, lower, ends) or self._shared_skills(candidate, lower) or target
            stems = _stems(candidate.key)
            same = found.get(stems) if stems and not (target.method == NEW and concrete_plural(candidate.key)) else None
            if same is not None and same.skill_id != target.skill_id:
                if target.method == NEW:
                    target = (
                        same
                        if same.method in _OPEN_METHODS
                        else dataclasses.replace(same, method=LEXICAL, evidence="open_lexical", ambiguous=False)
                    )
            elif stems:
                found.setdefault(stems, target)
            opened.append(_RawMatch(candidate.start, candidate.end, target))
        return opened

    def _elided_head(self, candidate: Candidate, lower: str, ends: list[tuple[int, int]]) -> SkillTarget | None:
        """A conjunct that shares the words of the skill before it ("comunicación verbal y escrita", "trabajar en
        equipo y bajo presión"): the skill those words and the conjunct name together, when one is known."""
        assert self.open_vocabulary is not None
        index = bisect_right(ends, (candidate.start, candidate.start)) - 1
        gap = _CONJUNCTION_ONLY.fullmatch(lower, ends[index][0], candidate.start) if index >= 0 else None
        if gap is None:
            return None
        words = lower[ends[index][1] : ends[index][0]].split()
        # The conjunct stands for the skill's last word ("verbal y escrita" after "comunicación") unless a word the
        # skill left out stands between them ("Excelente comunicación verbal y escrita").
        words = (words if gap.group("word") else words[:-1])[-_ELIDED_WORDS:]
        # Longest shared words first: "trabajar bajo presión" before "bajo presión" alone.
        spans = sorted(
            ((i, j) for i in range(len(words)) for j in range(i + 1, len(words) + 1)), key=lambda s: s[0] - s[1]
        )
        return self._first_known(candidate, [" ".join(words[i:j]) + " " + candidate.key for i, j in spans])

    def _first_known(self, candidate: Candidate, keys: list[str]) -> SkillTarget | None:
        """The skill the first of ``keys`` (tried in order) names, when it is a known one, for ``candidate``."""
        assert self.open_vocabulary is not None
        found = self.open_vocabulary.normalise(keys, vectors=False)
        for key in keys:
            if found[key] is not None:
                target = self._open_target(candidate, found[key])
                return target if target.method != NEW else None
        return None

    def _shared_skills(self, candidate: Candidate, lower: str) -> SkillTarget | None:
        """An adjective of an English list that shares the head "skills" with the items after it ("Good
        [interpersonal] and communication skills", "Strong [analytical], critical thinking & problem-solving
        skills"): the skill the adjective and that head name together, when one is known."""
        assert self.open_vocabulary is not None
        shared = _SHARED_SKILLS_HEAD.match(lower, candidate.end)
        if shared is None or " " in candidate.key:
            return None
        return self._first_known(
            candidate, list(dict.fromkeys((f"{candidate.key} {shared.group(1)}", f"{candidate.key} skills")))
        )

    def _open_target(self, candidate: Candidate, normalised: Normalised | None) -> SkillTarget:
        if normalised is None:
            return SkillTarget(new_skill_id(candidate.key), candidate.name, None, None, None, NEW, "open_new")
        evidence = "open_lexical" if normalised.similarity >= 1.0 else "open_vector"
        target = self._targets_by_id.get(normalised.skill_id) if normalised.skill_id else None
        if target is None and normalised.esco_uri is not None:
            target = self._by_uri.get(normalised.esco_uri)
            if target is None:
                target = self._targets_by_id.setdefault(
                    esco_skill_id(normalised.esco_uri), self._esco_target(normalised.esco_uri, "esco")
                )
        if target is None:
            return SkillTarget(new_skill_id(candidate.key), candidate.name, None, None, None, NEW, "open_new")
        return dataclasses.replace(target, method=normalised.method, evidence=evidence, ambiguous=False)

    def _symbol_matches(self, folded: str, lower: str) -> list[_RawMatch]:
        """C#, C++, .NET, Node.js… where the tokenizer split them unlike the patterns."""
        if not ("#" in folded or "++" in folded or ".net" in lower or "js" in lower):
            return []
        found = []
        for match in _SYMBOL_FORMS.finditer(folded):
            kind = match.lastgroup
            if kind is not None:
                target = self._targets_by_id.get(_SYMBOL_SKILLS[kind])
                if target is not None:
                    found.append(_RawMatch(match.start(), match.end(), _as_regex(target)))
        return found

    @staticmethod
    def _resolve_overlaps(raw: list[_RawMatch], lower: str | None = None) -> list[_RawMatch]:
        """Keep the most specific (longest) match where matches overlap; labels of ESCO concepts the
        vocabulary lacks only fill gaps (a long ESCO phrase must not hide "Python" inside it), unless they carry
        the vocabulary's words further (see :func:`_more_specific`). With the posting's ``lower`` text, an alias
        led by a frame ("Conocimientos de computación") gives way to a match that carries its object further
        ("computación en la nube")."""
        if lower is not None and len(raw) > 1:
            raw = _more_specific(raw, lower)
        ordered = sorted(
            raw, key=lambda m: (m.target.method == ESCO and m.target.entry is None, -(m.end - m.start), m.start)
        )
        # Accepted spans never overlap, so sorted starts and ends stay aligned: only neighbours can clash.
        starts: list[int] = []
        ends: list[int] = []
        kept = []
        for match in ordered:
            index = bisect_right(starts, match.start)
            if index > 0 and ends[index - 1] > match.start:
                continue
            if index < len(starts) and starts[index] < match.end:
                continue
            starts.insert(index, match.start)
            ends.insert(index, match.end)
            kept.append(match)
        kept.sort(key=lambda m: m.start)
        return kept

    @staticmethod
    def _drop_ambiguous_without_context(matches: list[_RawMatch], folded: str) -> list[_RawMatch]:
        """An ambiguous spelling (R, Go, Spring, Access) counts only beside other technical skills or a cue."""
        # A technical name needs technical neighbours; a soft skill ("organización") needs other soft skills.
        anchors = [m for m in matches if not m.target.ambiguous and m.target.entry is not None]
        anchor_starts = [a.start for a in anchors]  # matches come sorted by start
        kept = []
        for match in matches:
            if not match.target.ambiguous:
                kept.append(match)
                continue
            index = bisect_right(anchor_starts, match.start)
            soft = match.target.skill_type == TRANSVERSAL
            neighbours = [
                a
                for a in anchors[max(0, index - 1) : index + 1]
                if (a.target.skill_type == TRANSVERSAL) == soft and (soft or a.target.entry.is_technical)  # type: ignore[union-attr]
            ]
            near = any(
                abs(a.start - match.end) <= 60 or abs(match.start - a.end) <= 60
                for a in neighbours
                if "\n" not in folded[min(a.end, match.end) : max(a.start, match.start)]
            )
            if near or _CONTEXT_CUE.search(folded, max(0, match.start - 40), match.start):
                kept.append(match)
        return kept


_stems = lru_cache(maxsize=65_536)(stem_key)  # the same phrases and names recur across postings

# Words that frame a skill without naming it ("Conocimientos de", "experiencia en", "estrategias de", "normas"): an
# alias they lead names no more than its object, so a match that starts inside that object and goes on past the
# alias ("Conocimientos de computación en la nube", "Experiencia en marketing digital", "normas ISO 9001") names the
# skill asked. "Manejo", "vocación" or "actitud" are left out ("manejo de personal", "vocación de servicio" are
# skills of their own whatever follows), and so are role words ("Analista de marketing"): a skill right after one
# is read as a job title, and the role alias is what names the skill there.
_FRAME_LEAD = re.compile(
    r"(?:(?:conocimientos?|experiencia|dominio|nociones|estrategias?|capacidad|habilidad(?:es)?"
    r"|knowledge|experience)[ \t]+(?:de|en|del|sobre|of|in|with)[ \t]+(?:(?:la|el|los|las|the)[ \t]+)?"
    r"|normas?[ \t]+(?!de\b|del\b|en\b))"  # "normas ISO" is any standard, "normas de seguridad" a skill of its own
)


def _more_specific(raw: list[_RawMatch], lower: str) -> list[_RawMatch]:
    """``raw`` less the matches a more specific one overrides: a frame-led alias whose object another match carries
    further (see _FRAME_LEAD), and a vocabulary match that a label of an ESCO concept the vocabulary lacks carries
    further from the same first word ("comunicación" in "comunicación digital", "resolver problemas" in
    "resolver problemas técnicos"; the head comes first in Spanish, so the longer phrase is a kind of the shorter);
    technical names (tools, languages) are never hidden that way."""
    ordered = sorted(raw, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    dropped: set[int] = set()
    for index, match in enumerate(ordered):
        # Only matches starting inside this one and ending after it can carry it further (most have none).
        further = [
            other
            for other in ordered[bisect_left(starts, match.start) : bisect_left(starts, match.end)]
            if other.end > match.end and other.target.skill_id != match.target.skill_id
        ]
        if not further:
            continue
        frame = _FRAME_LEAD.match(lower, match.start, match.end)
        object_start = frame.end() if frame is not None and frame.end() < match.end else None
        entry = match.target.entry
        hideable = entry is not None and not entry.is_technical
        for other in further:
            if object_start is not None and other.start >= object_start:
                dropped.add(index)  # "Conocimientos de computación" < "computación en la nube"
                break
            if hideable and other.start == match.start and other.target.method == ESCO and other.target.entry is None:
                dropped.add(index)
                break
    if not dropped:
        return raw
    return [m for i, m in enumerate(ordered) if i not in dropped]


_CONJUNCTION_ONLY = re.compile(r"[ \t]*(?:(?P<word>[a-z]+)[ \t]+)?(?:,[ \t]*)?(?:y|e|o|u|and|or)[ \t]+")
_ELIDED_WORDS = 5
# The rest of an English list whose items share the head after the last one ("[interpersonal] and communication
# skills", "[analytical], critical thinking & problem-solving skills"): items of one or two words.
_SHARED_SKILLS_HEAD = re.compile(
    r"(?:[ \t]*(?:,|and|or|&)[ \t]*(?:(?:and|or)[ \t]+)?[a-z][a-z-]*(?:[ \t]+[a-z][a-z-]*)?)+?"
    r"[ \t]+(skills|abilities)\b"
)


def _name_stems(target: SkillTarget) -> tuple[str, ...]:
    """Stem keys of a target's names (Spanish and English)."""
    names = (target.name, target.name_en, target.display_name("en"))
    return tuple(dict.fromkeys(_stems(n) for n in names if n))


# The language a posting is written in, as the vocabulary id a bare "Idioma: Español" header names.
_OWN_LANGUAGE = {"es": "lang_spanish", "en": "lang_english"}
_LANGUAGE_HEADER = re.compile(
    r"\b(?P<word>idiomas?|lenguas?|languages?)[ \t]*:?[ \t]*(?:[a-z]+[ \t]*(?:,|/|\by\b|\band\b|-)[ \t]*){0,3}$"
)
# A posting too short or too bare for its language to be told ("Cajero. Idioma: Español. Excel.") is written in
# the language of its own header word: "Idioma: Español" there is the posting's language, not a requirement.
_HEADER_LANGUAGE = {
    "idioma": "es", "idiomas": "es", "lengua": "es", "lenguas": "es", "language": "en", "languages": "en",
}  # fmt: skip
# "Análisis de datos para la toma de decisiones": what a task is for, not a skill asked; after a word of ability
# ("capacidad para la toma de decisiones") it is asked.
_PURPOSE = re.compile(
    r"(?:(?P<word>[a-z]+)[ \t]+)?\b(?:para|for)[ \t]+"
    r"(?:(?:mejorar|facilitar|apoyar|agilizar|optimizar|improve|support)[ \t]+)?"
    r"(?:la|el|los|las|una|un|the|a|better)[ \t]+$"
)  # an article after "para": "para trabajar en equipo" (a verb) is asked on the tuning set
# Words after which "para la …" is what the candidate must be able to do ("predisposición para el trabajo en equipo").
_ABILITY_WORDS = frozenset(
    """capacidad capacidades habilidad habilidades aptitud aptitudes actitud facilidad predisposicion disposicion
    vocacion orientacion talento interes pasion gusto ganas competencias ability skills aptitude""".split()
)
# Fields of study that name a degree when listed with one ("Ingeniería en Sistemas, Ciencias de Datos,
# Inteligencia Artificial o afines"), not a skill: the reader lists them only when asked as knowledge.
_DEGREE_FIELDS = frozenset({"artificial_intelligence", "machine_learning", "data_science", "deep_learning"})
_DEGREE_FIELD_CUE = re.compile(
    r"(?i:\b(?:ingenieria|ingeniero|ingeniera|licenciatura|licenciad[oa]|tecnicatura|tecnologia|tecnologo|carreras?"
    r"|titulo|grado|estudiantes?|graduad[oa]s?|egresad[oa]s?|profesional(?:es)?|posgrado|maestria|degree|bachelor'?s?"
    r"|masters?|major)(?:[ \t]+(?:universitari[oa]|afin|en[ \t]+curso|avanzad[oa]s?))?[ \t]+(?:en|de|in|of)[ \t]+)"
)


def _not_asked(match: _RawMatch, lower: str, language: str) -> bool:
    """A mention that names no demand: the posting's own language under an "Idioma:" header (a level makes it a
    requirement: "Inglés avanzado"), a purpose ("para la toma de decisiones"), a field of study in a degree list."""
    target = match.target
    if target.skill_type == LANGUAGE:
        if match.level is not None or (language != UNDETERMINED and _OWN_LANGUAGE.get(language) != target.skill_id):
            return False
        bare = {fold_key(n) for n in (target.name, target.name_en, target.display_name("en")) if n}
        if " ".join(lower[match.start : match.end].split()) not in bare:  # "Español nativo" asks for a level
            return False
        header = _LANGUAGE_HEADER.search(lower, max(0, match.start - 60), match.start)
        if header is None:
            return False
        own = _OWN_LANGUAGE.get(_HEADER_LANGUAGE[header.group("word")] if language == UNDETERMINED else language)
        return own == target.skill_id
    if target.skill_id in _DEGREE_FIELDS and _after_cue_or_its_list(_DEGREE_FIELD_CUE, lower, match.start):
        return True
    if target.entry is not None and target.entry.is_technical:
        return False
    # Most mentions have no "para"/"for" right before them: a substring test spares the regex.
    near = lower[max(0, match.start - 30) : match.start]
    if "para " not in near and "for " not in near:
        return False
    purpose = _PURPOSE.search(lower[max(0, match.start - 60) : match.start])
    return purpose is not None and purpose.group("word") not in _ABILITY_WORDS


# What may stand around a one-word ESCO label for it to name a skill on its own: a list separator or line
# end after it; a separator or a preposition/cue before it ("experiencia en soldadura", "- Enfermería").
_STANDALONE_AFTER = re.compile(r"[ \t]*(?:$|[\n,;.:)]|\s(?:y|e|o|u|and|or)\s)", re.MULTILINE)
_STANDALONE_BEFORE = re.compile(
    r"(?:^|[\n,;:(\-*]|\b(?:y|e|o|en|de|sobre|of|in|with|and|or|experiencia|conocimientos?|manejo|tecnico|tecnica"
    r"|estudios|titulo|licenciatura|carrera|grado|profesional|knowledge|experience))[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def _fits_context(match: _RawMatch, cue_words: _CueWords) -> bool:
    """A trade or practice right after "empresa de…" (or in the list that follows it) is the employer's
    business, not a skill asked of the candidate (tools and languages are exempt: "empresa de software busca
    Java" still asks for Java); so is a department the job works with ("coordinar con Logística y Compras"),
    a word of a job title ("Docente", "Técnico de mantenimiento", "Key Account Manager") and a word of a
    company's name ("Panadería California S.A."); a one-word ESCO label must stand alone."""
    folded = cue_words.folded
    entry = match.target.entry
    if entry is None or entry.skill_type != KNOWLEDGE:
        # Every cue below starts with a cue word in the match's clause, within _CLAUSE_REACH characters before it.
        if cue_words.near(_TRADE_WORD, match.start) and (
            _ESCO_TRADE_CUE.search(folded, max(0, match.start - 60), match.start)
            or _after_cue_or_its_list(_ESCO_TRADE_LIST_CUE, folded, match.start)
        ):
            return False
        if _COMPANY_NAME_AFTER.match(folded, match.end):
            return False
        if (
            (entry is None or entry.category == DOMAIN or entry.skill_type == TRANSVERSAL)
            and cue_words.near(_WORKS_WITH_WORD, match.start)
            and (
                _after_cue_or_its_list(_DEPARTMENT_CUE, folded, match.start)
                or (folded[match.start].isupper() and _after_cue_or_its_list(_DEPARTMENT_NAME_CUE, folded, match.start))
            )
        ):
            return False
        if entry is not None and entry.category == DOMAIN and _job_title_word(match, cue_words):
            return False
        if (entry is None or entry.category == DOMAIN) and _met_in_hiring(cue_words.lower, match.start):
            return False
    return match.target.evidence != "esco_single" or _standalone(match, folded)


# Someone the candidate meets in the hiring process ("una primera entrevista con nuestra Recruiter, Aldana", "una
# charla con el equipo de Recursos Humanos"): a person or a team, not a skill asked.
_MEETS = re.compile(
    r"\b(?:entrevistas?|reunion(?:es)?|charlas?|conversaciones?|interviews?|calls?)(?:[ \t]+[a-z]+){0,2}?[ \t]+"
    r"(?:con|with)[ \t]+(?:(?:nuestr[oa]s?|el|la|los|las|un|una|tu|tus|su|sus|our|the|a|an)[ \t]+)?"
    r"(?:(?:equipo|team|area)[ \t]+(?:de[ \t]+)?)?$"
)


def _met_in_hiring(lower: str, start: int) -> bool:
    """Whether a match names whom the candidate will meet in the hiring process (see :data:`_MEETS`)."""
    near = lower[max(0, start - 60) : start]
    if "con " not in near and "with " not in near:  # most matches: no regex search
        return False
    return _MEETS.search(lower, max(0, start - 60), start) is not None


# The employer's "about us" sentence ("Somos una empresa innovadora, enfocada en la mejora continua de procesos",
# "Mabe es una multinacional especialista en electrodomésticos de línea blanca", "nos dedicamos a la logística"):
# what the company does, not what it asks. It runs from the cue to the end of the sentence, or to the point where
# the sentence turns to the job ("…, nos encontramos en la búsqueda de un Analista con Excel").
_ABOUT_US = re.compile(
    r"\b(?:somos[ \t]+(?:una?|lideres|los|las|el|la)\b|nos[ \t]+(?:dedicamos|especializamos)\b|especializandonos\b"
    r"|(?:empresa|compania|firma|multinacional|organizacion|consultora|pyme|cadena|laboratorio|grupo|company)"
    r"(?:[ \t]+[a-z]+){0,3}?[ \t]+(?:lider(?:es)?|dedicad[oa]|especializad[oa]|especialista|enfocad[oa])"
    r"[ \t]+(?:en|a)\b"
    r"|we[ \t]+are[ \t]+(?:an?|the)[ \t]"
    # The employer's name opening a sentence that turns to the job ("Desde Panadería La Celeste nos encontramos en
    # la búsqueda de…", "Desde CONA Consultores estamos buscando…").
    r"|(?:(?<![^\n.!?¡])|(?<=[\n.!?¡][ \t]))desde(?=(?:[ \t]+[^\s.,;:!?]+){1,5}?,?[ \t]+(?:nos[ \t]+encontramos"
    r"|estamos|buscamos)\b))"
)
_ABOUT_US_WORDS = tuple(
    "somos|nos dedic|nos especial|especializ|lider|dedicad|especialista|enfocad|we are|desde".split("|")
)
_TURNS_TO_JOB = re.compile(
    r"\b(?:busc|busqueda|incorpor|requier|requerimos|solicit|seleccion|contrat|sumar|necesit|nos[ \t]+encontramos"
    r"|se[ \t]+encuentra|estamos|looking|seeking|hiring|join|te[ \t]+invit|invita|responsabilidad|funciones|tareas"
    r"|requisitos|puesto|perfil|candidat|unete|sumate|role\b|rol\b)"
)
# A sentence ends at a stop, or where a scraper glued two lines together ("…Proyectos de IngenieríaComo líder…").
_SENTENCE_END = re.compile(r"[\n.!?;¡¿]|(?<=[a-z])(?=[A-Z][a-z])")


def _about_us_spans(folded: str, lower: str, body_start: int) -> list[tuple[int, int]]:
    """The stretches of a posting's body that describe the employer (see :data:`_ABOUT_US`)."""
    if not any(word in lower for word in _ABOUT_US_WORDS):  # most postings: no regex scan
        return []
    spans = []
    for cue in _ABOUT_US.finditer(lower, body_start):
        end_mark = _SENTENCE_END.search(folded, cue.end())
        end = end_mark.start() if end_mark is not None else len(lower)
        turn = _TURNS_TO_JOB.search(lower, cue.end(), end)
        spans.append((cue.start(), turn.start() if turn is not None else end))
    return spans


def _in_about_us(match: _RawMatch, spans: list[tuple[int, int]]) -> bool:
    """Whether a match lies in an "about us" stretch; named tools and languages are exempt ("somos una empresa de
    software que trabaja con SAP" still names SAP)."""
    entry = match.target.entry
    if entry is not None and (entry.category in _NAMED_TOOLS or entry.skill_type == LANGUAGE):
        return False
    return any(start <= match.start < end for start, end in spans)


# "Enseñanza" alone names the job's teaching where the job is a teacher's, where it opens a task line ("Enseñanza
# y Capacitación") or follows what the hire must have done ("experiencia en tareas de enseñanza"); elsewhere it is
# what the employer sells or values ("vender nuestros programas de enseñanza de inglés", "Pasión por la enseñanza y
# el aprendizaje" in a seller's posting). Teacher words are looked for in the title and the body's opening.
_TEACHER_WORD = re.compile(
    r"\b(?:docen\w*|profes(?:or\w*|ora\w*|es)?|maestr[oa]s?|instructor\w*|capacitador\w*|teachers?|tutor\w*"
    r"|educador\w*|preceptor\w*|catedr\w*|tutoring|teaching)\b"
)
_TEACHING_ASKED_BEFORE = re.compile(r"(?:^|\n)[ \t\-*>]*$|\b(?:experiencia|experience|habilidad\w*)\b[^\n.;]*$")
_TEACHING_OPENING = 300


def _teaching_not_asked(match: _RawMatch, lower: str, body_start: int) -> bool:
    """Whether ``match`` is the bare word "enseñanza" named as teaching where no teaching is asked."""
    if match.target.skill_id != "teaching" or lower[match.start : match.end] != "ensenanza":
        return False
    if _TEACHER_WORD.search(lower, 0, body_start + _TEACHING_OPENING) is not None:
        return False
    return _TEACHING_ASKED_BEFORE.search(lower, max(0, match.start - 60), match.start) is None


# Quotes a seller draws up for clients ("Elaborar presupuestos y propuestas comerciales", "presupuestos o
# cotizaciones"), not budgeting: the clause names quotes, offers or clients.
_QUOTE_CUE = re.compile(r"\b(?:cotizacion|propuestas?[ \t]+comercial|ofertas?[ \t]+comercial|client)")


DOMAIN = "domain"  # vocabulary category of trades and practices ("Ventas", "Mantenimiento", "Docencia")
# Nouns that head a job title in Spanish ("Técnico de …", "Analista contable") and in English ("… Manager").
_ROLE_ES = (
    r"analistas?|asistentes?|auxiliar(?:es)?|tecnicos?|ejecutiv[oa]s?|asesor(?:a|as|es)?|jef[ea]s?|gerentes?"
    r"|supervisor(?:a|as|es)?|coordinador(?:a|as|es)?|encargad[oa]s?|operari[oa]s?|ayudantes?"
    r"|representantes?|agentes?|promotor(?:a|as|es)?|consultor(?:es)?|profesor(?:a|as|es)?|tutor(?:a|as|es)?"
    r"|chofer(?:es)?|conductor(?:a|as|es)?|vendedor(?:a|as|es)?|contador(?:a|as|es)?|docentes?|cajer[oa]s?"
    r"|recepcionistas?|cociner[oa]s?|moz[oa]s?|camarer[oa]s?|baristas?|enfermer[oa]s?|repartidor(?:a|as|es)?"
    r"|desarrollador(?:a|as|es)?|programador(?:a|as|es)?|ingenier[oa]s?|lider(?:es)?"
)
_ROLE_EN = (
    r"managers?|leads?|leaders?|engineers?|developers?|devs?|analysts?|generalists?|executives?"
    r"|coordinators?|directors?|representatives?|consultants?|architects?|administrators?|officers?|associates?"
    r"|technicians?|teachers?|partners?"
)
_GENDER = r"(?:\s?/\s?(?:a|as|o|os|es|ora|oras)\b|\s?\((?:a|as|o|os|es)\))?"


def _literal_stems(alternatives: str) -> tuple[str, ...]:
    """The letters each alternative of a role pattern starts with ("analistas?" -> "analista")."""
    stems = []
    depth, start, top_level = 0, 0, []
    for index, char in enumerate(alternatives + "|"):
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            top_level.append(alternatives[start:index])
            start = index + 1
    for alternative in top_level:
        letters = re.match(r"[a-z]+", alternative)
        assert letters is not None, alternative
        stem = letters.group()
        stems.append(stem[:-1] if alternative[len(stem) :].startswith("?") else stem)
    return tuple(dict.fromkeys(stems))


_ROLE_WORDS = _literal_stems(f"{_ROLE_ES}|{_ROLE_EN}")  # every role pattern match holds one
_ROLE_WORD = re.compile(_ROLE_ES)  # every word _ROLE_BEFORE takes for a role is one of these
_WORD_RUN = re.compile(r"\w+")
_ROLE_SURFACE = re.compile(rf"(?:{_ROLE_ES}){_GENDER}(?:\s|$)|(?!.*\b(?:de|del|la|el|las|los|y)\b).*\s(?:{_ROLE_EN})$")
_ROLE_BEFORE = re.compile(
    rf"\b(?:{_ROLE_ES}){_GENDER}[ \t]+(?:(?:de|del)[ \t]+)?(?:[a-z]+[ \t]+(?:de|del)[ \t]+)?$"
    r"|\b(?:desarrollador(?:a|es)?|programador(?:a|es)?|ingenier[oa]s?)[ \t]+$"
)
_ROLE_AFTER = re.compile(rf"{_GENDER}[ \t]*(?:{_ROLE_EN})\b")
# A degree names a field of study, not a job ("Estudiante avanzado de Contador Público", "Título de Contador").
_DEGREE_WORDS = (
    r"estudiantes?|graduad[oa]s?|titulo|titulad[oa]s?|licenciad[oa]s?|licenciatura|egresad[oa]s?|recibid[oa]s?"
    r"|carreras?|formacion|educacion|estudios|universitari[oa]s?|terciari[oa]s?|posgrado|matricula|carnet|licencia"
    r"|registro|habilitacion|degree|bachelor'?s?|major"
)
_DEGREE_BEFORE = re.compile(
    rf"(?i:\b(?:{_DEGREE_WORDS})\b(?:[ \t]+[^\s,.;:]+){{0,2}}[ \t]*:[ \t]*"
    rf"|\b(?:{_DEGREE_WORDS})\b(?:[ \t]+[^\s,.;:]+){{0,3}}?[ \t]+(?:de|en|in|of)[ \t]+"
    r"|\b(?:experiencia|experience|desempenandose|desempenarse|worked|working)(?:[ \t]+[^\s,.;:]+){0,4}?[ \t]+"
    r"(?:como|as)(?:[ \t]+(?:an?|el|la|un|una))?[ \t]+)"
)
# "Contador Público", "Técnico electricista recibido": a qualification, not a job title.
_DEGREE_AFTER = re.compile(r"(?i:[ \t/a]*(?:public[oa]|recibid[oa]|matriculad[oa]|graduad[oa]|egresad[oa]))")


# A teacher's job word: the subject after it is the skill a reader lists ("Docente de Castellano" -> Castellano,
# "Profesor/a de Educación Física"); "maestro de obras" leads a building site, so "maestro" is not one of them.
_TEACHER_BEFORE = re.compile(r"(?:docentes?|profesor(?:a|as|es)?|teachers?|instructor(?:a|as|es)?)\b")


def _job_title_word(match: _RawMatch, cue_words: _CueWords) -> bool:
    """A trade named only as a job title ("Docente", "Chófer", "Técnico de mantenimiento", "Key Account Manager",
    "Programador Fullstack") is the job, not a skill; it counts when the posting also names the trade itself
    ("Vendedor … experiencia en ventas")."""
    folded = cue_words.folded
    offset = max(0, match.start - 40)
    if not _role_context(lower_same_length(folded[offset : match.end + 40]), match.start - offset, match.end - offset):
        return False
    lower = cue_words.lower
    # A qualification or an occupation the candidate must have practised is asked ("Título: Contador Público",
    # "experiencia como barista"), also inside a list ("Formación en Administración, Contador o afines").
    before = _ROLE_BEFORE.search(lower, max(0, match.start - 40), match.start)
    title_start = before.start() if before is not None else match.start  # "Técnico [Electricista]"
    if _after_cue_or_its_list(_DEGREE_BEFORE, folded, title_start) or _DEGREE_AFTER.match(lower, match.end):
        return False
    if before is not None and _TEACHER_BEFORE.match(lower, before.start()):
        return False  # what a teacher teaches is asked: "Docente de Química", "Profesor/a de Educación Física"
    if "public" in lower[match.start : match.end]:
        return False
    entry = match.target.entry
    assert entry is not None
    for name in {fold_key(n) for n in (entry.name, entry.name_es, entry.name_en) if n}:
        for found in _whole_name(name).finditer(lower):
            if (found.end() <= match.start or found.start() >= match.end) and not _role_context(
                lower, found.start(), found.end()
            ):
                return False
    return True


@lru_cache(maxsize=4096)
def _whole_name(name: str) -> re.Pattern[str]:
    """``name`` not inside a longer word: the same matches as ``(?<![a-z0-9])name(?![a-z0-9])``, with the name
    first so that the regex engine skips to it (a test checks both forms)."""
    escaped = re.escape(name)
    return re.compile(rf"{escaped}(?<![a-z0-9]{escaped})(?![a-z0-9])")


def _role_context(lower: str, start: int, end: int) -> bool:
    """Whether ``lower[start:end]`` is a job title or a word of one."""
    return bool(
        _role_surface(" ".join(lower[start:end].split()))
        or (_may_follow_role(lower, start) and _ROLE_BEFORE.search(lower, max(0, start - 40), start))
        or _ROLE_AFTER.match(lower, end)
    )


@lru_cache(maxsize=16_384)
def _role_surface(surface: str) -> bool:
    """Whether a mention's words are a job title (the same few surfaces recur in every posting)."""
    return _ROLE_SURFACE.match(surface) is not None


def _may_follow_role(lower: str, start: int) -> bool:
    """False where :data:`_ROLE_BEFORE` cannot match before ``start`` (its search of 40 characters is costly): it
    ends with blanks, and its role word is a whole word of those characters (gender marks and blanks follow it)."""
    blank = start - 2 if lower[start - 1 : start] == "\n" else start - 1  # "$" also matches before a final "\n"
    if blank < 0 or lower[blank] not in " \t":
        return False
    return any(map(_is_role_word, _WORD_RUN.findall(lower, max(0, start - 40), start)))


@lru_cache(maxsize=65_536)
def _is_role_word(word: str) -> bool:
    return _ROLE_WORD.fullmatch(word) is not None


_ROLE_WORD_ALIAS = re.compile(rf"(?:{_ROLE_ES}|{_ROLE_EN})(?:\s(?:a|as|o|os|es|ora|oras))?")


# Skills whose job word names the person, never the skill itself (a licence, teaching), wherever it stands.
_PEOPLE_WORD_SKILLS = frozenset({"teaching", "driving_license"})


def _people_word(skill_id: str, key: str) -> bool:
    """Whether a folded alias of the skill ``skill_id`` is one job word (with its gender mark or not) that names
    people: a plural ("cajeros", "enfermeros") or a teacher's or driver's word ("docente", "chofer a", "teacher")."""
    if _ROLE_WORD_ALIAS.fullmatch(key) is None:
        return False
    return skill_id in _PEOPLE_WORD_SKILLS or key.endswith("s")


# Other teams the job deals with: "coordinar con Logística, Abastecimiento y Mantenimiento", "collaborate with
# Product Management", "updates to leadership".
_WORKS_WITH = (
    r"\b(?:coordinar|coordinacion|coordinando|colaborar|colaborando|colaboracion|interactuar|interaccion|articular"
    r"|reportar|reporta|reportara|reportando|trabajar\s+(?:en\s+conjunto|junto)|relacion(?:arse)?)\s+(?:directa(?:mente)?"
    r"\s+)?con\s+(?:el\s+|la\s+|los\s+|las\s+)?"
)
# With a word for a team ("con el área de logística") any name follows; without one ("coordinar con Logística,
# Compras y Mantenimiento", "collaborate with Product Management") only a capitalised one (see _fits_context).
_DEPARTMENT_CUE = re.compile(
    rf"(?i:{_WORKS_WITH}(?:areas?|equipos?|departamentos?|sectores?|gerencias?)\s+(?:de\s+|del\s+)?"
    r"|\b(?:collaborat\w*|work\w*|coordinat\w*|partner\w*|interact\w*|liais\w*)\s+(?:closely\s+)?with\s+"
    r"(?:the\s+|our\s+|other\s+)?teams?\s+|\b(?:report\w*|updates?)\s+to\s+(?:the\s+)?(?:global\s+|senior\s+)?)"
)
_DEPARTMENT_NAME_CUE = re.compile(
    rf"(?i:{_WORKS_WITH}|\b(?:collaborat\w*|work\w*|coordinat\w*|partner\w*|interact\w*|liais\w*)\s+(?:closely\s+)?"
    r"with\s+(?:the\s+|our\s+|other\s+)?)"
)
# Words that make what follows the employer's trade, anywhere before it in the clause (see _ESCO_TRADE_CUE).
_ESCO_TRADE_LIST_CUE = re.compile(
    r"(?i:\b(?:empresa|empresas|compania|company|rubro|sector|industria|distribuidora|fabricante|fabrica|lider|lideres"
    r"|dedicad[oa]s?|especializad[oa]s?|focused|specializ\w+)\b"
    r"(?:[ \t]+(?!(?:conocimientos?|experiencia|manejo|dominio|knowledge|experience)\b)[^\s,.;:]+){0,2}?"
    r"[ \t]+(?:de|del|en|a|al|in|on|of)(?:[ \t]+(?:la|las|el|los|the))?[ \t])"
)
# A proper name ending in a company form right after a trade word ("Panadería California Pancali S.A.").
_COMPANY_NAME_AFTER = re.compile(
    r"(?:[ \t]+[A-Z][\w&'-]*){1,4}[ \t]*,?[ \t]*(?:S\.?[ \t]?A\.?(?:S\.?)?|S\.?R\.?L\.?|S\.?A\.?C\.?|Ltda?\.?"
    r"|Inc\.?|LLC|SpA|Cia\.?)(?![A-Za-z])"
)
_LIST_GLUE = re.compile(r"(?i:[ \t]*(?:,|;|/|\by\b|\be\b|\bo\b|\band\b|\bor\b|&)[ \t]*)")


def _after_cue_or_its_list(cue: re.Pattern[str], folded: str, start: int) -> bool:
    """Whether a cue stands right before ``start`` or before the short enumeration that reaches it
    ("coordinar con Logística, Abastecimiento y [Mantenimiento]")."""
    clause_start = max(0, start - _CLAUSE_REACH)
    for boundary in _CLAUSE_BREAK.finditer(folded, clause_start, start):
        clause_start = boundary.end()
    found = list(cue.finditer(folded, clause_start, start))
    if not found:
        return False
    last = found[-1]
    between = folded[last.end() : start]
    if not between.strip():
        return True
    items = [i.lower().split() for i in _LIST_GLUE.split(between)]
    return (
        len(items) <= 6
        and not items[-1]
        and all(0 < len(i) <= 3 and not _NOT_IN_NAME.intersection(i) for i in items[:-1])
    )


_CLAUSE_REACH = 120
# The word each cue above starts with (a superset, without word boundaries): a cue cannot stand before a match
# unless one of these does, which one scan of the posting tells far more cheaply than the cues' own searches.
_TRADE_WORD = tuple(
    "empresa compania company rubro sector industria distribuidora fabrica lider dedicad especializad focused"
    " specializ".split()
)
_WORKS_WITH_WORD = tuple(
    "coordin colabor collabor interact interacc articular report trabajar relacion work partner liais update".split()
)
# Characters that re's IGNORECASE matches to an ASCII letter while str.lower() keeps them ("ſ" ~ "s").
_CASELESS_ODDITIES = ("\u0130", "\u0131", "\u017f")


class _CueWords:
    """Where the cue words of one posting stand, found on first need (one scan per kind of cue)."""

    __slots__ = ("_exact", "_positions", "folded", "lower")

    def __init__(self, folded: str, lower: str) -> None:
        self.folded = folded
        self.lower = lower
        self._exact = not any(c in folded for c in _CASELESS_ODDITIES)
        self._positions: dict[tuple[str, ...], list[int]] = {}

    def clause_floor(self, start: int) -> int:
        """Where a cue word before ``start`` may start at the earliest: the clause reach, and not before the last
        line break, dot or semicolon (no cue pattern reaches across one)."""
        folded, floor = self.folded, max(0, start - _CLAUSE_REACH)
        end = start - 1 if folded[start - 1 : start] == "\n" else start  # "$" also matches before a final "\n"
        return max(floor, folded.rfind("\n", floor, end), folded.rfind(".", floor, end), folded.rfind(";", floor, end))

    def near(self, words: tuple[str, ...], start: int) -> bool:
        """Whether one of ``words`` starts in the clause before ``start`` (False only when certain)."""
        if not self._exact:
            return True
        positions = self._positions.get(words)
        if positions is None:
            positions = self._positions[words] = self._find(words)
        index = bisect_left(positions, start - _CLAUSE_REACH)
        if index == len(positions) or positions[index] >= start:
            return False  # none in the reach: the clause's start need not be looked for
        index = bisect_left(positions, self.clause_floor(start), index)
        return index < len(positions) and positions[index] < start

    def _find(self, words: tuple[str, ...]) -> list[int]:
        lower = self.lower
        return sorted(at for word in words for at in positions(lower, word))


# Words that make a stretch of text a phrase rather than a name in a list ("técnicos para optimizar rendimiento").
_NOT_IN_NAME = frozenset("para por que con a al sin como to for with in on at by that which".split())


_CLAUSE_BREAK = re.compile(r"[\n;.!?]")
# Categories of named tools, languages and platforms: what an umbrella word introduces.
_NAMED_TOOLS = frozenset(
    {"tool", "framework", "programming_language", "database", "cloud", "erp", "crm", "os", "devops", "office"}
)
# Umbrella words: a kind of tool ("bases de datos", "sistemas de gestión", "tecnologías backend") followed by the
# named tools it stands for ("bases de datos SQL y NoSQL", "sistemas de gestión SAP").
_UMBRELLA_HEAD = re.compile(
    r"\b(?:bases?\s+de\s+datos|databases?|sistemas?|software|herramientas?|plataformas?|tecnologias?|lenguajes?"
    r"|technolog(?:y|ies)|tools?|platforms?|languages?|systems?|stack)\b"
)
_UMBRELLA_GAP = re.compile(
    r"[ \t]*(?::[ \t]*)?(?:(?:como|tipo|such\s+as|like|e\.g\.|ej\.|por\s+ejemplo|incluyendo|including)[ \t:]+)?"
)


def _without_umbrellas(matches: list[_RawMatch], lower: str) -> list[_RawMatch]:
    """An umbrella word right before the tools it names is not a skill of its own: the reader lists "SQL" and
    "NoSQL", not "bases de datos", from "bases de datos SQL y NoSQL"."""
    kept = []
    for index, match in enumerate(matches):
        entry = match.target.entry
        following = matches[index + 1] if index + 1 < len(matches) else None
        if (
            following is not None
            and entry is not None
            and following.target.skill_id != match.target.skill_id
            and following.target.entry is not None
            and following.target.entry.category in _NAMED_TOOLS
            and (
                _UMBRELLA_HEAD.search(lower, match.start, match.end)
                or (
                    entry.category not in _NAMED_TOOLS
                    and _UMBRELLA_HEAD.search(lower, max(0, match.start - 15), match.start)
                )
            )
            and _UMBRELLA_GAP.fullmatch(lower, match.end, following.start)
        ):
            continue
        kept.append(match)
    return kept


# Lone surrogates (text decoded with errors="surrogateescape") cannot be encoded for spaCy's string store.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters that bytes read as Latin-1 produce and written text does not: C1 controls and Latin-1 symbols
# (¿ ¡ º ª ° « » · stay out: Spanish uses them).
_BINARY_CHARS = re.compile("[\x80-\x9f\xa2-\xa9\xac-\xaf\xb1-\xb6\xb8\xb9\xbc-\xbe\xd7\xf7]")
_BINARY_SHARE = 0.05


def _without_inline_stars(folded: str) -> str:
    """``folded`` with each " * " blanked: a list bullet whose line break the portal lost ("Funciones: * La
    planificación y dictado de las clases * Reuniones con las familias"), so an item ends there as it ends at a
    folded "•" (38 of 8,172 real postings hold one; the length stays the same)."""
    return folded.replace(" * ", "   ") if " * " in folded else folded


def _surface_end(combined: str, start: int, end: int) -> int:
    """Where a mention's surface ends: after the ")" that closes a parenthesis it opened ("Profesor(a)", "inglés
    (intermedio-avanzado)", "Google Cloud Platform (GCP)": the tokenizer reads parentheses as blanks), and after a
    plural abbreviation it ends inside ("Experiencia en RR.HH.", read as "RRHH": see :func:`joined_initials`)."""
    if combined.startswith(")", end) and combined.rfind("(", start, end) > combined.rfind(")", start, end):
        return end + 1
    return initials_end(combined, start, end)


def _inside_product_name(match: _RawMatch, folded: str) -> bool:
    """Whether ``match`` is a word of a CamelCase product name ("Cloud" of "CloudWatch", "Word" of "WordPress"), which
    names another thing; the whole name is left to the open vocabulary."""
    start, end = match.start, match.end
    if not ((end < len(folded) and folded[end].isupper()) or (start > 0 and folded[start - 1].isalpha())):
        return False
    return product_name_around(folded, start, end) is not None


def _without_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (same length: offsets stay valid)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _binary_junk(folded: str) -> bool:
    """Whether the text is bytes decoded as text (an attachment, a corrupt export): random letters in it would
    otherwise match short skill names ("UX", "UAT")."""
    if _BINARY_CHARS.search(folded) is None:
        return False
    visible = len(folded) - folded.count(" ") - folded.count("\n")
    return len(_BINARY_CHARS.findall(folded)) > _BINARY_SHARE * max(visible, 1)


def _standalone(match: _RawMatch, folded: str) -> bool:
    """A one-word ESCO label counts only where it ends a clause and starts one or follows a cue, so that
    "historia clínica electrónica" is not read as the skills "historia" and "electrónica"."""
    if not _STANDALONE_AFTER.match(folded, match.end):
        return False
    return _STANDALONE_BEFORE.search(folded, max(0, match.start - 30), match.start) is not None


def _after_excluded_word(match: _RawMatch, folded: str) -> bool:
    """True when the word before the match turns it into something else ("home office")."""
    entry = match.target.entry
    if entry is None or not entry.not_after:
        return False
    words = folded[max(0, match.start - 20) : match.start].lower().split()
    return bool(words) and words[-1].strip("-(\"'") in entry.not_after


def _as_regex(target: SkillTarget) -> SkillTarget:
    return SkillTarget(
        target.skill_id, target.name, target.esco_uri, target.skill_type, target.category, REGEX, "regex",
        entry=target.entry,
    )  # fmt: skip


def _with_level(match: _RawMatch, folded: str) -> _RawMatch:
    """A spoken language with its level ("inglés B2"): the span grows to cover the level."""
    if match.target.skill_type != LANGUAGE:
        return match
    after = _LEVEL_AFTER.match(folded, match.end)
    if after is not None:
        return _RawMatch(match.start, after.end(), _as_regex(match.target), _level_name(after.group("level")))
    before = _LEVEL_BEFORE.search(folded, max(0, match.start - 30), match.start)
    if before is not None:
        return _RawMatch(before.start(), match.end, _as_regex(match.target), _level_name(before.group("level")))
    return match


def _level_name(level: str) -> str:
    return level.upper() if len(level) <= 3 else " ".join(level.lower().split())


def _experience_years(lower: str) -> list[tuple[int, float]]:
    """``(end, years)`` of each "N años de experiencia en" in the lowercased text (sorted by end)."""
    found = []
    word = lower.find("experien")
    while word != -1:
        match = _EXPERIENCE.search(lower, max(0, word - 30), min(len(lower), word + 48))
        if match is not None and match.start() <= word:
            found.append((match.end(), _years(match.group("years"))))
        word = lower.find("experien", word + 8)
    return sorted(set(found))


def _years(value: str) -> float:
    value = value.lower().replace(",", ".")
    return float(_NUMBER_WORDS[value]) if value in _NUMBER_WORDS else float(value)


def _years_before(experience: list[tuple[int, float]], start: int, structure: PostingStructure) -> float | None:
    """Years of experience asked right before a mention ("3 años de experiencia en Python")."""
    index = bisect_right(experience, (start, float("inf"))) - 1
    if index < 0:
        return None
    end, years = experience[index]
    if start - end <= 60 and structure.clause(end - 1, end)[1] >= start:
        return years
    return None


@lru_cache(maxsize=1)
def default_extractor() -> SkillExtractor:
    """The extractor built from the bundled vocabulary, once per process (from the on-disk cache when built
    before)."""
    from observatory.skills.prebuilt import load_extractor

    return load_extractor()
