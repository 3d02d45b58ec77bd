"""Choose the real postings of the annotated dev set (observatory/skills/data/real_dev_set.jsonl).

Stratified by sector across both files of ../shared/postings, with a fixed seed, so the same list comes out
on every machine that has ../shared. Only postings with a description of at least 200 characters count, one
per distinct text (Bumeran and ZonaJobs publish the same ad under two ids), and English postings come first
in each sector's list so the set holds a handful of them. The output order is a round robin over sectors, so
any prefix of the list is stratified too (annotation goes in batches of ~20 in this order).

    .venv/bin/python scripts/sample_real_dev_set.py                      # the worklist as JSON lines
    .venv/bin/python scripts/sample_real_dev_set.py --texts /tmp/devset  # and each text to read, outside the repo

Never write the texts inside the repository: job ads are third-party text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from observatory.skills.language import detect_language
from observatory.skills.real_postings import (
    SECTORS,
    MissingPostingsError,
    RealPosting,
    read_real_postings,
    shared_postings_files,
)

SEED = 20251205
MIN_DESCRIPTION = 200
PER_SECTOR = 10
ENGLISH_PER_SECTOR = 1
IT_SHARE = 1 / 3


def text_sha1(posting: RealPosting) -> str:
    return hashlib.sha1(f"{posting.title}\n\n{posting.description}".encode()).hexdigest()


def language_of(posting: RealPosting) -> str:
    return detect_language(f"{posting.title}\n\n{posting.description}", sample=3000)


def sample(per_sector: int = PER_SECTOR, seed: int = SEED) -> list[RealPosting]:
    """The dev-set postings, round robin over sectors; each sector mixes both files where it can."""
    try:
        files = shared_postings_files(required=True)
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None
    rng = random.Random(seed)
    seen: set[str] = set()
    # sector -> file -> postings (file order and posting order as read, then shuffled with the seed)
    pools: dict[str, dict[str, list[RealPosting]]] = defaultdict(lambda: defaultdict(list))
    for path in files:
        for posting in read_real_postings(path):
            digest = hashlib.sha1(f"{posting.title}\n{posting.description}".lower().encode()).hexdigest()
            if len(posting.description) < MIN_DESCRIPTION or digest in seen:
                continue
            seen.add(digest)
            pools[posting.sector][posting.file].append(posting)
    chosen: dict[str, list[RealPosting]] = {}
    for sector in SECTORS:
        by_file = pools.get(sector, {})
        for postings in by_file.values():
            rng.shuffle(postings)
        english = [p for f in sorted(by_file) for p in by_file[f] if language_of(p) == "en"]
        rng.shuffle(english)
        picked = english[:ENGLISH_PER_SECTOR]
        # Alternate between files so both countries appear in every sector that both have.
        queues = [[p for p in by_file[f] if p not in picked] for f in sorted(by_file)]
        while len(picked) < per_sector and any(queues):
            for queue in queues:
                if queue and len(picked) < per_sector:
                    picked.append(queue.pop(0))
        chosen[sector] = picked
    order: list[RealPosting] = []
    for rank in range(per_sector):
        order.extend(chosen[s][rank] for s in SECTORS if rank < len(chosen[s]))
    it_count = sum(p.sector == "it" for p in order)
    assert it_count < IT_SHARE * len(order), "IT must stay under a third of the set"
    return order


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-sector", type=int, default=PER_SECTOR)
    parser.add_argument("--texts", type=Path, help="folder (outside the repo) to write each posting's text into")
    args = parser.parse_args(argv)
    if args.texts is not None:
        args.texts.mkdir(parents=True, exist_ok=True)
    for rank, posting in enumerate(sample(args.per_sector)):
        record = {
            "rank": rank,
            "file": posting.file,
            "id": posting.id,
            "sector": posting.sector,
            "language": language_of(posting),
            "text_sha1": text_sha1(posting),
        }
        print(json.dumps(record, ensure_ascii=False))
        if args.texts is not None:
            body = f"{posting.title}\n\n{posting.description}\n"
            (args.texts / f"{rank:03d}_{posting.sector}_{posting.id}.txt").write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
