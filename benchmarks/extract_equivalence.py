"""Equivalence check of the extractor's output across a speed change: the annotated tune set plus a fixed
random sample of the real postings in ../shared/postings (or
``$OBSERVATORY_REAL_POSTINGS_DIR``), every mention written as one sorted tuple.

    python benchmarks/extract_equivalence.py save /tmp/before.json      # before the change
    python benchmarks/extract_equivalence.py compare /tmp/before.json   # after it: prints every difference

Each mention is (posting, skill id, start, end, method, section, importance, confidence, level, years, name,
surface), so a change of any field shows. Runs the default extractor (bundled ESCO, open vocabulary), and the
same postings with ``keep_non_demand`` and with employer tags so those paths are covered too.
Needs ../shared (reference material); the project's own tests never do.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

# 500 postings once missed a speed change's mistake that 3,000 caught (a clause cache keyed too loosely).
SAMPLE = 3000
SEED = 20261203


def postings_to_check(sample: int) -> list[Any]:
    """The tune set's postings, then ``sample`` others drawn with a fixed seed (same list in every run)."""
    from observatory.skills.real_evaluation import REAL_TUNE_SET_PATH, load_real_dev_set
    from observatory.skills.real_postings import read_real_postings, shared_postings_files

    everything = []
    for path in shared_postings_files(required=True):
        if path.name.endswith((".json.gz", ".csv.gz")):
            everything.extend(read_real_postings(path))
    by_key = {(p.file, p.id): p for p in everything}
    tune = [by_key[(row.file, row.id)] for row in load_real_dev_set(REAL_TUNE_SET_PATH)]
    chosen = {(p.file, p.id) for p in tune}
    rest = [p for p in everything if (p.file, p.id) not in chosen and p.description]
    return tune + random.Random(SEED).sample(rest, min(sample, len(rest)))


def mention_rows(run: str, postings: list[Any], results: list[Any]) -> list[list[Any]]:
    rows = []
    for posting, result in zip(postings, results, strict=True):
        key = f"{run}:{posting.file}:{posting.id}"
        rows.append([key, "<language>", result.language])
        for m in result.mentions:
            rows.append(
                [key, m.skill_id, m.start, m.end, m.method, m.section, m.importance, m.confidence, m.level, m.years,
                 m.name, m.surface, m.esco_uri, m.skill_type, m.category]
            )  # fmt: skip
    return rows


def collect(sample: int) -> list[list[Any]]:
    from observatory.skills.extractor import SkillExtractor

    postings = postings_to_check(sample)
    start = time.perf_counter()
    extractor = SkillExtractor()
    print(f"{len(postings)} postings; extractor built in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    rows: list[list[Any]] = []
    start = time.perf_counter()
    results = list(extractor.extract_many([(p.description, p.title) for p in postings]))
    rows += mention_rows("default", postings, results)
    results = list(extractor.extract_many([(p.description, p.title, list(p.employer_tags)) for p in postings]))
    rows += mention_rows("tags", postings, results)
    results = [extractor.extract(p.description) for p in postings]  # one at a time, no title
    rows += mention_rows("no-title", postings, results)
    extractor.keep_non_demand = True
    results = list(extractor.extract_many([(p.description, p.title) for p in postings]))
    rows += mention_rows("keep-non-demand", postings, results)
    print(f"extracted in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    rows.sort(key=lambda r: json.dumps(r, ensure_ascii=False))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--sample", type=int, default=SAMPLE)
    args = parser.parse_args()
    from observatory.skills.real_postings import MissingPostingsError

    try:
        rows = collect(args.sample)
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None
    if args.action == "save":
        args.path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        print(f"{len(rows)} rows saved to {args.path}")
        return 0
    # Multisets: a mention found twice where it was found once is a difference too.
    before = Counter(json.dumps(json.loads(line), ensure_ascii=False) for line in args.path.read_text().splitlines())
    after = Counter(json.dumps(r, ensure_ascii=False) for r in rows)
    missing, extra = sorted((before - after).elements()), sorted((after - before).elements())
    for line in missing:
        print(f"- {line}")
    for line in extra:
        print(f"+ {line}")
    print(f"{after.total()} rows now, {before.total()} before: {len(missing)} gone, {len(extra)} new")
    return 0 if not missing and not extra else 2


if __name__ == "__main__":
    raise SystemExit(main())
