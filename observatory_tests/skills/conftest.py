"""Extractors and the occupation coder shared by the skills tests: built once per session, as the tests only read
them (a test that patches one uses ``monkeypatch``, which puts it back)."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import BUNDLED, SkillExtractor, default_extractor
from observatory.skills.occupations import OccupationCoder


@pytest.fixture(scope="session")
def extractor() -> SkillExtractor:
    """The default extractor as the pipeline gets it: the bundled vocabulary and ESCO release, loaded from the
    on-disk build cache (``default_extractor`` holds one per process)."""
    return default_extractor()


@pytest.fixture(scope="session")
def built_extractor() -> SkillExtractor:
    """An extractor built in this session from the bundled vocabulary and ESCO release (open vocabulary on,
    vectors off), not loaded from the on-disk build cache."""
    return SkillExtractor(esco_labels=BUNDLED)


@pytest.fixture(scope="session")
def coder() -> OccupationCoder:
    """An occupation coder built in this session over the bundled ESCO occupations."""
    return OccupationCoder()
