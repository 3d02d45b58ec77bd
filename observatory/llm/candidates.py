"""Top-k ESCO concepts a mention may map to: the nearest skill vectors in pgvector, or a lexical ranking of the
bundled ESCO labels when no vectors are stored. The LLM may only choose among these (grounding).
"""

from __future__ import annotations

import difflib
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select, text

from observatory.skills.normalize import fold_key

log = logging.getLogger(__name__)

_STOP = frozenset(
    "de del la el los las y en a al con para por un una o e the of and to in for with on an or as "
    "manejo conocimiento conocimientos experiencia uso herramientas herramienta".split()
)


@dataclass(frozen=True)
class EscoCandidate:
    """An ESCO concept offered to the model."""

    uri: str
    label_es: str
    label_en: str = ""


class CandidateRetriever(Protocol):
    """Anything that proposes the ``k`` ESCO concepts closest to a mention."""

    def candidates(self, surface: str, k: int) -> list[EscoCandidate]: ...


def _words(value: str) -> list[str]:
    return [w for w in re.findall(r"[\w+#.]+", fold_key(value)) if w not in _STOP and len(w) > 1]


def _stem(word: str) -> str:
    # Spanish and English plurals and the common adjective endings ("ofimáticas" ~ "ofimática").
    for suffix in ("es", "s"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


class LexicalEscoCandidates:
    """ESCO concepts ranked by shared (stemmed) words with the mention, then by spelling similarity."""

    def __init__(self, concepts: Iterable[tuple[str, str, str, Iterable[str]]]) -> None:
        """``concepts``: ``(uri, preferred label es, preferred label en, all labels)``."""
        self._concepts: dict[str, EscoCandidate] = {}
        self._labels: dict[str, list[str]] = defaultdict(list)
        self._index: dict[str, set[str]] = defaultdict(set)
        for uri, label_es, label_en, labels in concepts:
            self._concepts[uri] = EscoCandidate(uri, label_es, label_en)
            for label in {label_es, label_en, *labels}:
                if not label:
                    continue
                key = fold_key(label)
                self._labels[uri].append(key)
                for word in _words(label):
                    self._index[_stem(word)].add(uri)

    @classmethod
    def bundled(cls) -> LexicalEscoCandidates:
        """Over the ESCO release shipped with the package."""
        from observatory.skills.esco_bundle import bundled_esco

        bundle = bundled_esco()
        return cls((s.uri, s.label_es, s.label_en, (*s.alt_es, *s.alt_en)) for s in bundle.skills)

    def __len__(self) -> int:
        return len(self._concepts)

    def candidates(self, surface: str, k: int) -> list[EscoCandidate]:
        """The ``k`` concepts sharing most words with ``surface`` (ties broken by the closest label)."""
        words = {_stem(w) for w in _words(surface)}
        if not words or k < 1:
            return []
        hits: dict[str, int] = defaultdict(int)
        for word in words:
            # Very common words ("gestion", "datos") index thousands of concepts: they only count together.
            for uri in self._index.get(word, ()):
                hits[uri] += 1
        if not hits:
            return []
        key = fold_key(surface)
        best = sorted(hits.items(), key=lambda kv: -kv[1])[: max(200, k * 20)]
        scored = []
        for uri, shared in best:
            closeness = max(difflib.SequenceMatcher(None, key, label).ratio() for label in self._labels[uri])
            scored.append((shared / len(words) + closeness, uri))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self._concepts[uri] for _, uri in scored[:k]]


class VectorEscoCandidates:
    """Canonical skills with an ESCO URI nearest to the mention in the stored skill vectors (pgvector HNSW);
    the lexical ranking answers while no vectors of the configured model are stored."""

    def __init__(self, db: object, settings: object, fallback: CandidateRetriever, encoder: object | None = None):
        from observatory.config import Settings
        from observatory.storage import Database

        if not isinstance(db, Database) or not isinstance(settings, Settings):
            raise TypeError("VectorEscoCandidates needs a Database and Settings")
        self.db = db
        self.settings = settings
        self.fallback = fallback
        self._encoder = encoder
        self._uris: dict[str, tuple[str, str, str]] | None = None
        self.used_vectors = False

    def _has_vectors(self) -> bool:
        from observatory.embeddings.model import get_encoder

        if self._encoder is None:
            self._encoder = get_encoder(self.settings)
        with self.db.engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM skill_embeddings WHERE model = :m LIMIT 1"),
                {"m": self._encoder.name},  # type: ignore[attr-defined]
            ).first()
        return found is not None

    def _esco_skills(self) -> dict[str, tuple[str, str, str]]:
        from observatory.storage.models import CanonicalSkill

        if self._uris is None:
            with self.db.session() as session:
                rows = session.execute(
                    select(
                        CanonicalSkill.id, CanonicalSkill.esco_uri, CanonicalSkill.name_es, CanonicalSkill.name_en
                    ).where(CanonicalSkill.esco_uri.is_not(None))
                ).all()
            self._uris = {r.id: (r.esco_uri, r.name_es or "", r.name_en or "") for r in rows}
        return self._uris

    def candidates(self, surface: str, k: int) -> list[EscoCandidate]:
        from observatory.embeddings.store import similar_skills

        if not self.used_vectors and not self._has_vectors():
            return self.fallback.candidates(surface, k)
        self.used_vectors = True
        skills = self._esco_skills()
        found: dict[str, EscoCandidate] = {}
        for neighbour in similar_skills(self.db, self.settings, surface, k * 3, encoder=self._encoder):  # type: ignore[arg-type]
            if neighbour.skill_id in skills:
                uri, name_es, name_en = skills[neighbour.skill_id]
                found.setdefault(uri, EscoCandidate(uri, name_es, name_en))
        if len(found) < k:  # top up with lexical neighbours: the vocabulary does not cover all of ESCO
            for candidate in self.fallback.candidates(surface, k):
                found.setdefault(candidate.uri, candidate)
        return list(found.values())[:k]
