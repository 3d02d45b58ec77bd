"""The extractor on real postings and the full ESCO download from ../shared (skipped when absent)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from observatory.skills.esco import read_esco_labels
from observatory.skills.extractor import SkillExtractor

pytestmark = pytest.mark.shared


def test_full_esco_and_real_postings(shared_dir: Path) -> None:
    snapshot = json.loads(
        gzip.decompress((shared_dir / "postings" / "bumeran_zonajobs_ar_2025-12.json.gz").read_bytes())
    )
    postings = [(o["descripcion_full"], o["titulo"]) for o in snapshot["ofertas"] if o["descripcion_full"]][:300]
    extractor = SkillExtractor(esco_labels=read_esco_labels(shared_dir / "esco" / "v1.0"))
    assert extractor.esco_label_count > 10_000
    results = list(extractor.extract_many(postings))
    assert len(results) == len(postings)
    assert sum(r.language == "es" for r in results) > 0.95 * len(results)
    without = sum(not r.mentions for r in results)
    assert without < 0.4 * len(results)
    for (text, title), result in zip(postings, results, strict=True):
        for m in result.mentions:
            source = title if m.section == "title" else text
            assert source[m.start : m.end] == m.surface
            assert m.section not in ("benefits", "company")
    # ESCO-only concepts stay a minority next to the curated vocabulary.
    methods = [m.method for r in results for m in r.mentions]
    assert methods.count("esco") < 0.3 * len(methods)
