"""The ESCO classification shipped inside the package, so that skills and occupations map to ESCO offline.

`scripts/build_esco_bundle.py` writes ``data/esco/esco-<version>.json.gz`` from an ESCO CSV download: every
skill's labels (es + en) with its type, every occupation's Spanish labels with its ISCO-08 code and the
ISCO-08 group names. A newer release imported with ``observatory esco import`` replaces it for the pipeline.
This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from observatory.skills.esco import EscoError, EscoLabel, labels_of

BUNDLE_DIR = Path(__file__).with_name("data") / "esco"
SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."


@dataclass(frozen=True, slots=True)
class BundledSkill:
    uri: str
    skill_type: str | None
    label_es: str
    alt_es: tuple[str, ...]
    label_en: str
    alt_en: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BundledOccupation:
    uri: str
    isco_code: str
    label_es: str
    alt_es: tuple[str, ...]


@dataclass(frozen=True)
class EscoBundle:
    """One ESCO release: skills, occupations and ISCO-08 group names."""

    version: str
    skills: tuple[BundledSkill, ...]
    occupations: tuple[BundledOccupation, ...]
    isco_groups: dict[str, str]

    def skill_labels(self, langs: Sequence[str] = ("es", "en")) -> Iterator[EscoLabel]:
        """Preferred and alternative labels in the extractor's format (preferred first, no repeats)."""
        for skill in self.skills:
            for lang in langs:
                preferred, alternatives = (
                    (skill.label_es, skill.alt_es) if lang == "es" else (skill.label_en, skill.alt_en)
                )
                yield from labels_of(skill.uri, lang, skill.skill_type, preferred, alternatives)


def _parse(document: Any, path: Path) -> EscoBundle:
    try:
        skills = tuple(
            BundledSkill(SKILL_PREFIX + key, kind or None, es, tuple(alt_es), en, tuple(alt_en))
            for key, kind, es, alt_es, en, alt_en in document["skills"]
        )
        occupations = tuple(
            BundledOccupation(OCCUPATION_PREFIX + key, isco, label, tuple(alts))
            for key, isco, label, alts in document["occupations"]
        )
        groups = {str(code): str(label) for code, label in document["isco_groups"]}
        return EscoBundle(str(document["version"]), skills, occupations, groups)
    except (KeyError, TypeError, ValueError) as exc:
        raise EscoError(f"ESCO bundle {path} is malformed: {exc!r}") from None


def bundle_path(version: str | None = None) -> Path:
    """The bundled release file (the newest when ``version`` is None)."""
    if version is not None:
        path = BUNDLE_DIR / f"esco-{version}.json.gz"
        if not path.exists():
            raise EscoError(f"no bundled ESCO release {version} in {BUNDLE_DIR}")
        return path
    files = sorted(BUNDLE_DIR.glob("esco-*.json.gz"))
    if not files:
        raise EscoError(f"no ESCO bundle in {BUNDLE_DIR}: run scripts/build_esco_bundle.py")
    return files[-1]


def read_bundle(path: Path) -> EscoBundle:
    """Read a bundle file; a clear :class:`EscoError` when it is unreadable or malformed."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EscoError(f"cannot read ESCO bundle {path}: {exc}") from None
    return _parse(document, path)


@lru_cache(maxsize=1)
def bundled_esco() -> EscoBundle:
    """The newest bundled ESCO release, read once per process."""
    return read_bundle(bundle_path())
