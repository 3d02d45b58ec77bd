"""The bundled vocabulary: well-formed, broad for tech, and strict about one spelling meaning one skill."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observatory.skills.vocabulary import (
    SKILL_TYPES,
    VocabularyError,
    default_vocabulary,
    load_vocabulary,
    parse_entries,
)


def test_bundled_vocabulary_is_broad_and_well_formed() -> None:
    vocabulary = default_vocabulary()
    assert len(vocabulary) >= 400
    categories = {e.category for e in vocabulary}
    assert {
        "programming_language",
        "framework",
        "database",
        "cloud",
        "erp",
        "soft_skill",
        "spoken_language",
    } <= categories
    for entry in vocabulary:
        assert entry.skill_type in SKILL_TYPES
        assert entry.aliases or entry.case_sensitive, entry.id
        assert re.fullmatch(r"[a-z0-9_]+", entry.id), entry.id
        if entry.esco_uri:
            assert entry.esco_uri.startswith("http://data.europa.eu/esco/skill/"), entry.id


def test_canonical_names_as_people_write_them() -> None:
    vocabulary = default_vocabulary()
    for spelling, name in [
        ("python", "Python"), ("nodejs", "Node.js"), ("ms sql server", "SQL Server"), ("powerbi", "Power BI"),
        ("reactjs", "React"), ("inglés", "Inglés"), ("trabajo en equipo", "Trabajo en equipo"), ("k8s", "Kubernetes"),
    ]:  # fmt: skip
        entry = vocabulary.lookup(spelling)
        assert entry is not None and entry.name == name, spelling
    english = vocabulary.lookup("english")
    assert english is not None and english.display_name("en") == "English" and english.display_name("es") == "Inglés"
    assert vocabulary.lookup("python").esco_uri  # type: ignore[union-attr]
    assert vocabulary.lookup("kubernetes").esco_uri is None  # type: ignore[union-attr]  # ESCO lacks it


def test_an_alias_claimed_by_two_skills_is_rejected() -> None:
    with pytest.raises(VocabularyError, match="belongs to both"):
        parse_entries(
            [{"id": "a", "name": "Alpha", "aliases": ["x y"]}, {"id": "b", "name": "Beta", "aliases": ["X Y"]}]
        )
    with pytest.raises(VocabularyError, match="appears twice"):
        parse_entries([{"id": "a", "name": "Alpha"}, {"id": "a", "name": "Beta"}])
    with pytest.raises(VocabularyError, match="unknown skill type"):
        parse_entries([{"id": "a", "name": "Alpha", "type": "vibes"}])


def test_unreadable_vocabulary_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("skills: {not: a list}\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="no 'skills' list"):
        load_vocabulary(bad)
    with pytest.raises(VocabularyError, match="cannot read"):
        load_vocabulary(tmp_path / "missing.yaml")
