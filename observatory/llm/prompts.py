"""Versioned prompt templates and the pydantic models their JSON answers must satisfy.

A template's ``version`` is part of the cache key: editing a prompt's wording means a new version, so answers to
the old wording are never served for the new one. Answers are JSON only; anything else is a malformed answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


@dataclass(frozen=True)
class PromptTemplate:
    """A system and a user message; ``{placeholders}`` in the user message are filled with ``str.format``."""

    name: str
    version: str
    system: str
    user: str

    def render(self, **values: Any) -> str:
        """The user message with ``values`` filled in."""
        return self.user.format(**values)


NORMALISE = PromptTemplate(
    name="normalise",
    version="normalise-v1",
    system=(
        "You normalise skills found in Latin American job postings (Spanish or English). "
        "Answer with one JSON object and nothing else."
    ),
    user="""For each numbered mention below:
- split it into the separate skills it names ("Python/Django" is Python and Django; "Excel y Word" is Excel and Word);
- give each skill a short canonical name in Spanish (name_es) and in English (name_en), using only skills the
  mention or its context actually names (never add a skill that is not written there);
- choose the ESCO concept of each skill among that mention's candidates by copying its URI exactly, or null
  when none of the candidates means the same skill.

{mentions}

Answer with JSON of this shape and nothing else:
{{"mentions": [{{"id": 1, "skills": [{{"name_es": "...", "name_en": "...", "esco_uri": "... or null"}}]}}]}}""",
)

MERGE = PromptTemplate(
    name="merge",
    version="merge-v2",
    system="You compare skill names from job postings. Answer with one JSON object and nothing else.",
    user="""Do these two canonical skills mean the same skill (near-synonyms, spelling variants or translations)?
A: "{a}"
B: "{b}"
If they are the same skill, "keep" is the better of the two names, copied exactly; otherwise null.
Answer with JSON: {{"same": true or false, "confidence": a number between 0 and 1, "keep": "name kept or null"}}""",
)


class NormalisedSkill(BaseModel):
    """One skill the model found in a mention."""

    model_config = ConfigDict(extra="ignore")

    name_es: str = Field(min_length=1, max_length=120)
    name_en: str = Field(default="", max_length=120)
    esco_uri: str | None = None

    @field_validator("name_es", "name_en")
    @classmethod
    def _strip(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("esco_uri", mode="before")
    @classmethod
    def _null_uri(cls, value: Any) -> Any:
        # Small models write the literal words of the instruction instead of JSON null.
        if isinstance(value, str) and value.strip().lower() in ("", "null", "none", "... or null", "n/a"):
            return None
        return value


class NormalisedMention(BaseModel):
    """The answer for one numbered mention."""

    model_config = ConfigDict(extra="ignore")

    id: int
    skills: list[NormalisedSkill] = Field(default_factory=list, max_length=12)


class NormaliseAnswer(BaseModel):
    """The whole answer to :data:`NORMALISE`."""

    model_config = ConfigDict(extra="ignore")

    mentions: list[NormalisedMention]


class MergeAnswer(BaseModel):
    """The answer to :data:`MERGE`."""

    model_config = ConfigDict(extra="ignore")

    same: bool
    confidence: float = Field(ge=0.0, le=1.0)
    keep: str | None = Field(default=None, max_length=200)

    @field_validator("keep", mode="before")
    @classmethod
    def _null_keep(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("", "null", "none", "n/a"):
            return None
        return value


class MalformedAnswer(ValueError):
    """The model's text is not the JSON the template asks for."""


AnswerModel = TypeVar("AnswerModel", bound=BaseModel)
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def parse_answer(text: str, model: type[AnswerModel]) -> AnswerModel:
    """The first JSON object in ``text`` (code fences and chatter around it tolerated) validated as ``model``."""
    fenced = _FENCE.search(text)
    candidate = fenced.group(1) if fenced else text
    start = candidate.find("{")
    if start < 0:
        raise MalformedAnswer(f"no JSON object in the answer: {text[:120]!r}")
    try:
        document, _ = json.JSONDecoder().raw_decode(candidate[start:])
    except json.JSONDecodeError as exc:
        raise MalformedAnswer(f"answer is not valid JSON ({exc.msg}): {text[:120]!r}") from None
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MalformedAnswer(f"answer does not fit {model.__name__}: {where}: {first['msg']}") from None
