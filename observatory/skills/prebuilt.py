"""The default extractor and occupation coder, built once and then loaded from the on-disk cache.

Building the extractor tokenizes ~50,000 vocabulary and ESCO labels into phrase patterns (seconds); loading the
built one takes a fraction of a second. The cache key covers everything the build reads: the skills modules,
their data files (vocabulary, ESCO bundle, link and ambiguity lists), the options and the spaCy version.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from observatory.skills.cache import cached, fingerprint

if TYPE_CHECKING:
    from observatory.skills.extractor import SkillExtractor
    from observatory.skills.occupations import OccupationCoder

SKILLS_DIR = Path(__file__).parent


def build_inputs() -> list[Path]:
    """The files a build of the skills components reads: every skills module and data file except the
    annotated evaluation sets (JSON lines), which no build reads."""
    modules = sorted(SKILLS_DIR.glob("*.py"))
    data = sorted(p for p in (SKILLS_DIR / "data").rglob("*") if p.is_file() and not p.name.endswith(".jsonl"))
    return [*modules, *data]


def extractor_key(esco: bool = True, keep_non_demand: bool = False, names: str = "es") -> str:
    """The cache key of the default extractor with these options."""
    return fingerprint(
        *build_inputs(),
        f"spacy {version('spacy')}",
        f"esco={esco} keep_non_demand={keep_non_demand} names={names}",
    )


def load_extractor(esco: bool = True, keep_non_demand: bool = False, names: str = "es") -> SkillExtractor:
    """The extractor over the bundled vocabulary (and the bundled ESCO release unless ``esco`` is false),
    loaded from the cache when an identical build is there, else built and cached."""
    from observatory.skills.extractor import BUNDLED, SkillExtractor

    def build() -> SkillExtractor:
        return SkillExtractor(esco_labels=BUNDLED if esco else None, keep_non_demand=keep_non_demand, names=names)

    return cached("extractor", extractor_key(esco, keep_non_demand, names), build)


def load_occupation_coder() -> OccupationCoder:
    """The occupation coder over the bundled ESCO occupations, from the cache when built before."""
    from observatory.skills.occupations import OccupationCoder

    # Plain Python and numpy objects (the TF-IDF index is char_tfidf's): the build inputs and numpy's version.
    key = fingerprint(*build_inputs(), f"numpy {version('numpy')}")
    return cached("occupation-coder", key, OccupationCoder)
