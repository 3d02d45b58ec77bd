"""How many postings name one skill under two ids: mentions whose names fold (or stem) to the same words but
carry different skill ids ("Ventas" as `sales` and "ventas" as `new:ventas`), and how many new skills are place
names. Runs the default extractor on the tune set plus a fixed random sample of ../shared/postings (or
``$OBSERVATORY_REAL_POSTINGS_DIR``).

    python benchmarks/duplicate_names.py [--sample 1000] [--show 20]

Needs ../shared (reference material); the project's own tests never do.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from extract_equivalence import postings_to_check


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args()
    from observatory.skills.extractor import SkillExtractor
    from observatory.skills.gazetteer import is_place
    from observatory.skills.open_vocab import stem_key
    from observatory.skills.real_postings import MissingPostingsError

    try:
        postings = postings_to_check(args.sample)
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None
    extractor = SkillExtractor()
    start = time.perf_counter()
    results = list(extractor.extract_many([(p.description, p.title) for p in postings]))
    seconds = time.perf_counter() - start
    doubled = 0
    pairs: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for result in results:
        ids_by_name: dict[str, set[str]] = {}
        for mention in result.mentions:
            ids_by_name.setdefault(stem_key(mention.name), set()).add(mention.skill_id)
            if mention.skill_id.startswith("new:") and is_place(mention.name):
                places[mention.name] += 1
        clashes = {name: ids for name, ids in ids_by_name.items() if name and len(ids) > 1}
        doubled += bool(clashes)
        pairs.update(" / ".join(sorted(ids)) for ids in clashes.values())
    print(f"{len(postings)} postings ({seconds:.1f} s): {doubled} name one skill under two ids")
    for pair, count in pairs.most_common(args.show):
        print(f"  {count:4d}  {pair}")
    print(f"new skills that are place names: {places.total()} mentions")
    for name, count in places.most_common(args.show):
        print(f"  {count:4d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
