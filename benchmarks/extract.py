"""Benchmark of `observatory extract` on the real postings in ../shared/postings, with the bundled ES + EN ESCO.

Prints postings/s of the extract path (file in, JSON lines out), of the extractor alone, of spaCy's
tokenizer alone on the same texts in the same run (the reference), their ratio, and the memory of the
loaded extractor. Run on one core: ``taskset -c 0 python benchmarks/extract.py``.
Needs ../shared (reference material); the project's own tests never do.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def rss_mb() -> float:
    """Resident memory of this process now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_postings(shared: Path) -> list[dict[str, str]]:
    """Postings with text from the Bumeran/ZonaJobs snapshot and the Computrabajo Ecuador file."""
    postings: list[dict[str, str]] = []
    snapshot = json.loads(gzip.decompress((shared / "postings" / "bumeran_zonajobs_ar_2025-12.json.gz").read_bytes()))
    for offer in snapshot["ofertas"]:
        if offer.get("descripcion_full"):
            postings.append(
                {"id": f"ar-{offer['id']}", "title": offer["titulo"], "description": offer["descripcion_full"]}
            )
    csv.field_size_limit(2**31 - 1)
    with gzip.open(shared / "postings" / "computrabajo_ec_2024.csv.gz", "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            if row.get("descripcion"):
                postings.append({"id": f"ec-{row['id']}", "title": row["titulo"], "description": row["descripcion"]})
    return postings


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Fastest wall time of ``runs`` calls (the machine is shared; the minimum is the least disturbed)."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-esco", action="store_true", help="bundled vocabulary only")
    parser.add_argument("--esco-dir", type=Path, help="ESCO labels of this CSV folder instead of the bundled release")
    args = parser.parse_args()
    if not (args.shared / "postings").is_dir():
        print(f"{args.shared}/postings is absent: nothing to benchmark", file=sys.stderr)
        return 1

    import spacy
    from spacy.tokenizer import Tokenizer

    from observatory.skills.batch import extract_file
    from observatory.skills.esco import EscoLabel, read_esco_labels
    from observatory.skills.extractor import BUNDLED, SkillExtractor
    from observatory.skills.occupations import OccupationCoder

    postings = load_postings(args.shared)
    texts = [f"{p['title']}\n\n{p['description']}" for p in postings]
    chars = sum(len(t) for t in texts)
    print(f"postings: {len(postings):,} ({chars / len(postings):,.0f} characters on average)")

    before = rss_mb()
    start = time.perf_counter()
    labels: list[EscoLabel] | str | None = BUNDLED
    if args.no_esco:
        labels = None
    elif args.esco_dir is not None:
        labels = list(read_esco_labels(args.esco_dir, langs=("es", "en")))
    extractor = SkillExtractor(esco_labels=labels)
    del labels
    gc.collect()
    build = time.perf_counter() - start
    loaded = rss_mb() - before
    print(
        f"extractor: {len(extractor.vocabulary)} vocabulary skills + {extractor.esco_label_count:,} ESCO labels; "
        f"built in {build:.1f} s; memory of the loaded extractor {loaded:,.0f} MB (process RSS {rss_mb():,.0f} MB)"
    )

    tokenizer: Tokenizer = spacy.blank("es").tokenizer  # type: ignore[assignment]

    def tokenize_only() -> None:
        for _ in tokenizer.pipe(texts, batch_size=256):
            pass

    def extract_only() -> None:
        for _ in extractor.extract_many([(p["description"], p["title"]) for p in postings], batch_size=256):
            pass

    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp) / "postings.jsonl", Path(tmp) / "skills.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for p in postings:
                handle.write(json.dumps(p, ensure_ascii=False) + "\n")

        def extract_command() -> None:
            extract_file(source, output, extractor)

        t_tok = best_of(args.runs, tokenize_only)
        t_ext = best_of(args.runs, extract_only)
        t_cmd = best_of(args.runs, extract_command)
        rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]

    n = len(postings)
    mentions = sum(len(r["skills"]) for r in rows)
    without = sum(1 for r in rows if not r["skills"])
    print(f"spaCy tokenizer alone:        {n / t_tok:8,.0f} postings/s")
    print(f"extractor (extract_many):     {n / t_ext:8,.0f} postings/s  ratio to tokenizer {t_tok / t_ext:.2f}")
    print(f"observatory extract (file):   {n / t_cmd:8,.0f} postings/s  ratio to tokenizer {t_tok / t_cmd:.2f}")
    print(f"mentions per posting {mentions / n:.1f}; postings without any skill {without / n:.1%}")
    start = time.perf_counter()
    coder = OccupationCoder()
    coder_build = time.perf_counter() - start
    t_occ = best_of(1, lambda: list(coder.code_many((p["title"], p["description"]) for p in postings)))
    print(f"occupation coder:             {n / t_occ:8,.0f} postings/s (built in {coder_build:.1f} s)")
    print(f"peak RSS {rss_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
