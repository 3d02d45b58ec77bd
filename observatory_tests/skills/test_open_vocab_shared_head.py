"""Open-vocabulary normalisation (issue 16, part 2): an adjective of an English list that shares the head "skills"
with the items after it ("Good interpersonal and communication skills") is the skill the two name together, not a
new skill "interpersonal"."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor
from observatory.skills.open_vocab import NEW


def _by_surface(extractor: SkillExtractor, text: str) -> dict[str, tuple[str, str]]:
    return {m.surface: (m.name, m.method) for m in extractor.extract(text).mentions}


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        (
            "Requirements:\n- Superior analytical abilities.\n- Good interpersonal and communication skills.\n"
            "- Advanced English level.",
            "interpersonal",
            "Habilidades interpersonales",
        ),
        (
            "Requirements: Ability to meet deadlines in a fast-paced environment. Excellent organizational and time "
            "management skills. Proficiency in relevant software.",
            "organizational",
            "Organización",
        ),
        (
            "Requirements: Knowledge of data analytics and best practices in data entry. Strong analytical, critical "
            "thinking & problem-solving skills.",
            "analytical",
            "Pensamiento analítico",
        ),
        (
            "Requirements: The agent should have exceptional communication, organizational and problem-solving skills.",
            "organizational",
            "Organización",
        ),
    ],
)
def test_adjective_takes_the_shared_head(built_extractor: SkillExtractor, text: str, surface: str, name: str) -> None:
    found = _by_surface(built_extractor, text)
    assert surface in found, sorted(found)
    assert found[surface][0] == name and found[surface][1] != NEW


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # Two words that name nothing with "skills" either stay a new skill of their own.
        (
            "Requirements: Commercial acumen, analytical and organizational skills, attention to detail.",
            "Commercial acumen",
        ),
    ],
)
def test_other_list_items_stay_new(built_extractor: SkillExtractor, text: str, surface: str) -> None:
    found = _by_surface(built_extractor, text)
    assert found.get(surface, ("", ""))[1] == NEW
