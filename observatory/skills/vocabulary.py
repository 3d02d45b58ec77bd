"""The bundled skill vocabulary: canonical skills with aliases in Spanish and English and ESCO URIs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from observatory.skills.normalize import fold_key

VOCABULARY_PATH = Path(__file__).with_name("data") / "vocabulary.yaml"

# ESCO writes these skill types; spoken languages and soft skills get ESCO's collection names.
KNOWLEDGE = "knowledge"
SKILL = "skill/competence"
LANGUAGE = "language"
TRANSVERSAL = "transversal"
SKILL_TYPES = (KNOWLEDGE, SKILL, LANGUAGE, TRANSVERSAL)

_TYPE_BY_CATEGORY = {
    "spoken_language": LANGUAGE,
    "soft_skill": TRANSVERSAL,
    "domain": SKILL,
    "methodology": KNOWLEDGE,
}


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message names the entry."""


@dataclass(frozen=True)
class VocabularyEntry:
    """One canonical skill of the bundled vocabulary."""

    id: str
    name: str
    category: str
    skill_type: str
    aliases: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    ambiguous: bool = False
    esco_uri: str | None = None
    name_es: str | None = None
    name_en: str | None = None
    not_after: tuple[str, ...] = ()
    ambiguous_aliases: tuple[str, ...] = ()

    def display_name(self, language: str | None = None) -> str:
        """The name in the posting's language where it depends on the language (soft skills, languages)."""
        if language == "en" and self.name_en:
            return self.name_en
        if language == "es" and self.name_es:
            return self.name_es
        return self.name

    @property
    def is_technical(self) -> bool:
        """Tools, languages, frameworks…: what gives list context to an ambiguous neighbour."""
        return self.skill_type == KNOWLEDGE or self.category in ("domain", "certification")


@dataclass
class Vocabulary:
    """Canonical skills by id, with lookups by ESCO URI and by folded name."""

    entries: dict[str, VocabularyEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_esco_uri = {e.esco_uri: e for e in self.entries.values() if e.esco_uri}
        self.by_key: dict[str, VocabularyEntry] = {}
        for entry in self.entries.values():
            for alias in (entry.name, entry.name_es, entry.name_en, *entry.aliases, *entry.case_sensitive):
                if alias:
                    self.by_key.setdefault(fold_key(alias), entry)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[VocabularyEntry]:
        return iter(self.entries.values())

    def __getitem__(self, skill_id: str) -> VocabularyEntry:
        return self.entries[skill_id]

    def lookup(self, name: str) -> VocabularyEntry | None:
        """The entry whose name or alias folds to ``name`` (used to canonicalise gold annotations)."""
        return self.by_key.get(fold_key(name))


def _as_str_tuple(value: Any, entry_id: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise VocabularyError(f"vocabulary entry {entry_id!r}: {key} must be a list of strings")
    return tuple(str(v) for v in value)


def parse_entries(raw_entries: Iterable[dict[str, Any]]) -> Vocabulary:
    """Validate raw entries (ids unique, known types, no alias claimed by two skills) into a vocabulary."""
    entries: dict[str, VocabularyEntry] = {}
    alias_owner: dict[tuple[str, bool], str] = {}
    for raw in raw_entries:
        if not isinstance(raw, dict) or "id" not in raw or "name" not in raw:
            raise VocabularyError(f"vocabulary entry without id or name: {raw!r}")
        entry_id, name, category = str(raw["id"]), str(raw["name"]), str(raw.get("cat", "tool"))
        if entry_id in entries:
            raise VocabularyError(f"vocabulary entry {entry_id!r} appears twice")
        skill_type = str(raw.get("type") or _TYPE_BY_CATEGORY.get(category, KNOWLEDGE))
        if skill_type not in SKILL_TYPES:
            raise VocabularyError(f"vocabulary entry {entry_id!r}: unknown skill type {skill_type!r}")
        case_sensitive = _as_str_tuple(raw.get("cs"), entry_id, "cs")
        aliases = _as_str_tuple(raw.get("aliases"), entry_id, "aliases")
        # `match_name: false` keeps generic display names ("Ventas", "Sales") out of the patterns.
        match_name = raw.get("match_name", True)
        if name not in case_sensitive and match_name:
            aliases = (name, *aliases)
        for extra in ("name_es", "name_en"):
            if raw.get(extra) and match_name and str(raw[extra]) not in case_sensitive:
                aliases = (*aliases, str(raw[extra]))
        # One spelling must mean one skill, or counts would depend on pattern order.
        ambiguous_aliases = _as_str_tuple(raw.get("amb_aliases"), entry_id, "amb_aliases")
        spellings = [(a, False) for a in (*aliases, *ambiguous_aliases)] + [(a, True) for a in case_sensitive]
        for alias, sensitive in spellings:
            key = (alias if sensitive else fold_key(alias), sensitive)
            owner = alias_owner.setdefault(key, entry_id)
            if owner != entry_id:
                raise VocabularyError(f"alias {alias!r} belongs to both {owner!r} and {entry_id!r}")
        entries[entry_id] = VocabularyEntry(
            id=entry_id,
            name=name,
            category=category,
            skill_type=skill_type,
            aliases=tuple(dict.fromkeys(aliases)),
            case_sensitive=case_sensitive,
            ambiguous=bool(raw.get("amb", False)),
            esco_uri=raw.get("esco"),
            name_es=raw.get("name_es"),
            name_en=raw.get("name_en"),
            not_after=tuple(fold_key(w) for w in _as_str_tuple(raw.get("not_after"), entry_id, "not_after")),
            ambiguous_aliases=_as_str_tuple(raw.get("amb_aliases"), entry_id, "amb_aliases"),
        )
    return Vocabulary(entries)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read a vocabulary YAML file (the bundled one by default)."""
    source = path or VOCABULARY_PATH
    try:
        # The C loader reads the vocabulary ten times faster than the pure-Python one (same safe subset).
        document = yaml.load(source.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"cannot read vocabulary {source}: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("skills"), list):
        raise VocabularyError(f"vocabulary {source} has no 'skills' list")
    return parse_entries(document["skills"])


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The bundled vocabulary, read once per process."""
    return load_vocabulary()
