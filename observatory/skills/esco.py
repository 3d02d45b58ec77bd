"""ESCO taxonomy: labels for matching, CSV import into the database (v1.0–v1.2 layouts)."""

from __future__ import annotations

from typing import NamedTuple


class EscoLabel(NamedTuple):
    """One label of an ESCO skill in one language, as the extractor's patterns consume it."""

    uri: str
    label: str
    lang: str  # "es" or "en"
    skill_type: str | None  # "skill/competence", "knowledge", … as ESCO writes it
    preferred: bool  # preferred label (True) or alternative label (False)
