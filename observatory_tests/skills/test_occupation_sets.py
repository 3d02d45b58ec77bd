"""The occupation tune and held-out test sets: well formed, coded to real ISCO-08 groups, disjoint, real postings."""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import observatory.skills
from observatory.skills.esco_bundle import bundled_esco
from observatory.skills.normalize import fold_key
from observatory.skills.real_postings import RealPosting, read_real_postings, shared_postings_files

DATA = Path(observatory.skills.__file__).parent / "data"
SETS = {
    "tune": DATA / "occupation_tune_set.jsonl",
    "test": DATA / "occupation_test_set.jsonl",
    "test-v2": DATA / "occupation_test_v2_set.jsonl",
    "test-v3": DATA / "occupation_test_v3_set.jsonl",
    "dev-v4": DATA / "occupation_dev_v4_set.jsonl",
    "test-v4": DATA / "occupation_test_v4_set.jsonl",
    "dev-v5": DATA / "occupation_dev_v5_set.jsonl",
}
FILES = {"bumeran_zonajobs_ar_2025-12.json.gz", "computrabajo_ec_2024.csv.gz"}
KEYS = {"file", "id", "title", "isco_4", "isco_2", "note"}


def load_set(name: str) -> list[dict[str, Any]]:
    with SETS[name].open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("name", sorted(SETS))
def test_set_records_are_well_formed(name: str) -> None:
    records = load_set(name)
    for record in records:
        assert set(record) == KEYS, record
        assert record["file"] in FILES, record
        assert isinstance(record["id"], str) and record["id"], record
        assert isinstance(record["title"], str) and record["title"].strip(), record
        assert isinstance(record["note"], str), record
        isco_4, isco_2 = record["isco_4"], record["isco_2"]
        if isco_4 is None:
            # A record left at sub-major (or unknown) level must say why.
            assert record["note"].strip(), record
            assert isco_2 == "unknown" or re.fullmatch(r"\d{2}", isco_2), record
        else:
            assert re.fullmatch(r"\d{4}", isco_4), record
            assert isco_2 == isco_4[:2], record
    keys = [(r["file"], r["id"]) for r in records]
    assert len(set(keys)) == len(keys), "a posting appears twice"


@pytest.mark.parametrize(("name", "minimum"), [("tune", 120), ("test", 60)])
def test_set_size_mix_and_coverage(name: str, minimum: int) -> None:
    records = load_set(name)
    assert len(records) >= minimum
    by_file = Counter(r["file"] for r in records)
    assert set(by_file) == FILES
    # About three Argentine postings for one Ecuadorian, as drawn.
    assert 0.1 < by_file["computrabajo_ec_2024.csv.gz"] / len(records) < 0.4
    assert sum(r["isco_4"] is not None for r in records) >= 0.9 * len(records)
    assert sum(r["isco_2"] == "unknown" for r in records) <= 0.02 * len(records)
    majors = {r["isco_2"][0] for r in records if r["isco_2"] != "unknown"}
    assert len(majors) >= 7, majors


@pytest.mark.parametrize("name", sorted(SETS))
def test_codes_are_isco_groups_of_the_bundled_esco(name: str) -> None:
    groups = bundled_esco().isco_groups
    for record in load_set(name):
        if record["isco_4"] is not None:
            assert record["isco_4"] in groups, record
        if record["isco_2"] != "unknown":
            assert record["isco_2"] in groups, record


@pytest.mark.parametrize("name", ["test-v2", "test-v3", "dev-v4", "test-v4", "dev-v5"])
def test_later_test_sets_are_draws_of_distinct_argentine_titles(name: str) -> None:
    records = load_set(name)
    assert len(records) >= 150
    assert {r["file"] for r in records} == {"bumeran_zonajobs_ar_2025-12.json.gz"}
    assert len({r["title"].strip().casefold() for r in records}) == len(records)
    assert sum(r["isco_4"] is not None for r in records) >= 0.9 * len(records)
    # A reader codes "unknown" only where neither title nor description says the job (test-v4: one internship
    # programme that lists company areas).
    assert sum(r["isco_2"] == "unknown" for r in records) <= 0.01 * len(records)
    assert len({r["isco_2"][0] for r in records}) >= 8


def _dev_postings() -> set[tuple[str, str]]:
    with (DATA / "occupation_dev_titles.jsonl").open(encoding="utf-8") as lines:
        return {(row["file"], row["id"]) for row in map(json.loads, filter(str.strip, lines))}


@pytest.mark.parametrize(
    ("name", "later"), [("dev-v4", {"test-v4", "dev-v5"}), ("test-v4", {"dev-v5"}), ("dev-v5", set())]
)
def test_long_tail_draws_have_titles_new_to_every_earlier_set(name: str, later: set[str]) -> None:
    earlier = {fold_key(r["title"]) for other in SETS if other != name and other not in later for r in load_set(other)}
    with (DATA / "occupation_dev_titles.jsonl").open(encoding="utf-8") as lines:
        earlier |= {fold_key(row["title"]) for row in map(json.loads, filter(str.strip, lines))}
    assert not {fold_key(r["title"]) for r in load_set(name)} & earlier


def test_no_posting_in_two_sets() -> None:
    postings = {name: {(r["file"], r["id"]) for r in load_set(name)} for name in SETS}
    postings["dev"] = _dev_postings()
    names = sorted(postings)
    for first, second in combinations(names, 2):
        assert not postings[first] & postings[second], (first, second)


@pytest.mark.shared
def test_sets_point_at_real_postings(shared_dir: Path) -> None:
    files = {path.name: path for path in shared_postings_files()}
    if not set(files) >= FILES:
        pytest.skip("../shared/postings lacks the postings files")
    postings: dict[tuple[str, str], RealPosting] = {}
    for name in FILES:
        for real in read_real_postings(files[name]):
            postings.setdefault((real.file, real.id), real)
    texts: dict[str, set[tuple[str, str]]] = {}
    for name in SETS:
        texts[name] = set()
        for record in load_set(name):
            posting = postings.get((record["file"], record["id"]))
            assert posting is not None, f"{record['file']} has no posting {record['id']}"
            assert posting.title == record["title"], record
            texts[name].add((posting.title.strip().casefold(), posting.description.strip()))
    # A posting republished under another id must not sit in two sets either.
    for first, second in combinations(sorted(texts), 2):
        assert not texts[first] & texts[second], (first, second)
