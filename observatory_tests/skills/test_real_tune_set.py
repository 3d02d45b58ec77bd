"""The annotated real tuning set: same validator as the reporting set, and no posting shared with it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from observatory.skills.real_evaluation import REAL_TUNE_SET_PATH, load_real_dev_set
from observatory_tests.skills.test_real_dev_set import (
    check_matches_real_postings,
    check_shape,
    load_annotated,
    load_dev_set,
)

# A reader names a skill for a long task phrase ("preparación de alimentos") now and then; most skills are spans.
NORMALISED_SHARE = 0.1


def test_tune_set_shape() -> None:
    records = load_annotated(REAL_TUNE_SET_PATH)
    check_shape(records, minimum=100, per_sector=4)
    # Stratified when it was drawn: most postings outside IT, in 13+ sectors, and a share written in English.
    sectors = Counter(str(r["sector"]) for r in records)
    assert sum(n for s, n in sectors.items() if s != "it") >= 55
    assert len(sectors) >= 14
    assert sum(r["language"] == "en" for r in records) >= 15
    assert len(load_real_dev_set(REAL_TUNE_SET_PATH)) == len(records)


def test_tune_set_shares_nothing_with_the_reporting_set() -> None:
    tune = load_annotated(REAL_TUNE_SET_PATH)
    dev = load_dev_set()
    shared_ids = {(r["file"], r["id"]) for r in tune} & {(r["file"], r["id"]) for r in dev}
    assert not shared_ids, f"postings of the reporting set in the tuning set: {sorted(shared_ids)}"
    # A posting re-published under another id has the same text hash; it would leak the reporting set too.
    shared_texts = {r["text_sha1"] for r in tune} & {r["text_sha1"] for r in dev}
    assert not shared_texts, f"texts of the reporting set in the tuning set: {sorted(shared_texts)}"


@pytest.mark.shared
def test_tune_set_matches_real_postings(shared_dir: Path) -> None:
    check_matches_real_postings(load_annotated(REAL_TUNE_SET_PATH), normalised_share=NORMALISED_SHARE)
