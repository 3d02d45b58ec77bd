"""The annotated real dev set points at real postings: ids exist, texts unchanged, every skill found in its text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import observatory.skills
from observatory.skills.real_evaluation import text_sha1
from observatory.skills.real_postings import SECTORS, RealPosting, read_real_postings, shared_postings_files

DEV_SET = Path(observatory.skills.__file__).parent / "data" / "real_dev_set.jsonl"


def load_annotated(path: Path = DEV_SET) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_dev_set() -> list[dict[str, Any]]:
    return load_annotated(DEV_SET)


def check_shape(records: list[dict[str, Any]], *, minimum: int, per_sector: int) -> None:
    """Shared by the reporting and the tuning set: enough postings, spread over sectors, well-formed skills."""
    assert len(records) >= minimum
    keys = [(r["file"], r["id"]) for r in records]
    assert len(set(keys)) == len(keys), "a posting appears twice"
    sectors = Counter(str(r["sector"]) for r in records)
    assert set(sectors) <= set(SECTORS)
    assert sum(n >= per_sector for n in sectors.values()) >= 8
    assert 0 < sectors["it"] < len(records) / 3
    assert {r["language"] for r in records} == {"es", "en"}
    assert {str(r["file"]).split("_")[0] for r in records} == {"bumeran", "computrabajo"}
    # A posting may ask for nothing a reader would call a skill, but such postings stay rare.
    assert sum(not r["skills"] for r in records) <= 0.05 * len(records)
    for record in records:
        assert set(record) == {"file", "id", "sector", "language", "text_sha1", "skills"}
        skills = record["skills"]
        assert isinstance(skills, list)
        for skill in skills:
            assert set(skill) == {"text", "in_title"}
            assert skill["text"] == skill["text"].strip() and skill["text"], f"{record['id']}: {skill!r}"
        texts = [s["text"] for s in skills]
        assert len(set(texts)) == len(texts), f"{record['id']}: repeated skill"


def test_dev_set_shape() -> None:
    check_shape(load_dev_set(), minimum=160, per_sector=8)


def check_matches_real_postings(records: list[dict[str, Any]], *, normalised_share: float = 0.0) -> None:
    """Every row points at a real posting with an unchanged text; skills stand word for word in the title or the
    description, except at most ``normalised_share`` of them (a skill name a reader wrote for a long task phrase)."""
    files = {path.name: path for path in shared_postings_files()}
    if not files:
        pytest.skip("../shared/postings is absent")
    normalised: list[str] = []
    postings: dict[tuple[str, str], RealPosting] = {}
    for name in {str(r["file"]) for r in records}:
        assert name in files, f"{name} is not in ../shared/postings"
        for real in read_real_postings(files[name]):
            postings.setdefault((real.file, real.id), real)
    for record in records:
        posting = postings.get((str(record["file"]), str(record["id"])))
        assert posting is not None, f"{record['file']} has no posting {record['id']}"
        assert text_sha1(posting) == record["text_sha1"], f"{record['id']}: text changed"
        assert posting.sector == record["sector"], f"{record['id']}: sector rules changed"
        assert len(posting.description) >= 200
        for skill in record["skills"]:
            where = posting.title if skill["in_title"] else posting.description
            if skill["text"] not in where and not skill["in_title"] and normalised_share:
                normalised.append(f"{record['id']}: {skill['text']}")
                continue
            assert skill["text"] in where, (
                f"{record['id']}: {skill['text']!r} not in the {'title' if skill['in_title'] else 'description'}"
            )
    total = sum(len(r["skills"]) for r in records)
    assert len(normalised) <= normalised_share * total, f"too many skills not in their text: {normalised}"


@pytest.mark.shared
def test_dev_set_matches_real_postings(shared_dir: Path) -> None:
    check_matches_real_postings(load_dev_set())
