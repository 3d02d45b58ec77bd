"""Benchmark of `observatory extract` on the real postings in ../shared/postings (or $OBSERVATORY_REAL_POSTINGS_DIR),
with the bundled ES + EN ESCO.

Prints the start-up of `observatory extract` on one posting (cold: empty on-disk cache, so the extractor is
built and stored; warm: loaded from the cache), postings/s of the extract path (file in, JSON lines out) and of
the extractor alone (``extract_many``), each with and without the open vocabulary, against spaCy's tokenizer
alone on the same texts in the same run (the reference: ``spacy.blank("es").tokenizer``; the extractor's own
lighter tokenizer is printed beside it), their ratios, and memory (the loaded extractor, peak RSS of this
process and of the one-posting command), and where the time of ``extract_many`` goes (tokenizer, phrase matchers,
sections, context checks, open vocabulary, rest; see :func:`stage_split`). Ratios are of CPU seconds (best of
``--runs``), which other processes on a shared machine disturb far less than wall time; wall postings/s are printed
too. The reference and ``extract_many`` are timed first on fresh copies (a first pass meets new words and empty
memos, as ``observatory extract`` does on new postings) and then again on the same texts (a second pass), with and
without the memo of repeated postings, whose share of the corpus is printed.
Run on one core: ``taskset -c 0 python benchmarks/extract.py``.
Needs ../shared (reference material); the project's own tests never do.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import io
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any


def rss_mb() -> float:
    """Resident memory of this process now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_postings(folder: Path) -> list[dict[str, str]]:
    """Postings with text from the Bumeran/ZonaJobs snapshot and the Computrabajo Ecuador file of the real postings
    folder ``folder``; a ``MissingPostingsError`` naming the folder and its setting when one is not there."""
    from observatory.skills.real_postings import MissingPostingsError

    for name in ("bumeran_zonajobs_ar_2025-12.json.gz", "computrabajo_ec_2024.csv.gz"):
        if not (folder / name).is_file():
            raise MissingPostingsError(folder, name)
    postings: list[dict[str, str]] = []
    snapshot = json.loads(gzip.decompress((folder / "bumeran_zonajobs_ar_2025-12.json.gz").read_bytes()))
    for offer in snapshot["ofertas"]:
        if offer.get("descripcion_full"):
            postings.append(
                {"id": f"ar-{offer['id']}", "title": offer["titulo"], "description": offer["descripcion_full"]}
            )
    csv.field_size_limit(2**31 - 1)
    with gzip.open(folder / "computrabajo_ec_2024.csv.gz", "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            if row.get("descripcion"):
                postings.append({"id": f"ec-{row['id']}", "title": row["titulo"], "description": row["descripcion"]})
    return postings


def timed_command(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one command, read from the kernel's accounting of it."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(argv)} failed:\n{errors.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def startup(posting: dict[str, str], runs: int, options: list[str]) -> None:
    """`observatory extract` on one posting: the first run with an empty cache, then ``runs`` warm ones."""
    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp) / "one.jsonl", Path(tmp) / "out.jsonl"
        source.write_text(json.dumps(posting, ensure_ascii=False) + "\n", encoding="utf-8")
        # The cache goes to the fresh data directory's own folder, as for a new user.
        env = {k: v for k, v in os.environ.items() if k != "OBSERVATORY_CACHE_DIR"}
        env["OBSERVATORY_DATA_DIR"] = str(Path(tmp) / "data")
        argv = [sys.executable, "-m", "observatory.cli", "extract", "-i", str(source), "-o", str(output), *options]
        cold = timed_command(argv, env)
        warm = [timed_command(argv, env) for _ in range(runs)]
    label = " ".join(["extract", *options]) if options else "extract"
    walls = [w for w, _, _ in warm]
    print(
        f"start-up of `{label}` on one posting: cold {cold[0]:.1f} s wall ({cold[1]:.1f} s CPU); warm median "
        f"{statistics.median(walls):.2f} s, best {min(walls):.2f} s wall ({min(c for _, c, _ in warm):.2f} s CPU) "
        f"of {runs}; peak RSS {max(r for _, _, r in [cold, *warm]):,.0f} MB"
    )


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Fastest wall time of ``runs`` calls (the machine is shared; the minimum is the least disturbed)."""
    return best_wall_and_cpu(runs, fn)[0]


def best_wall_and_cpu(runs: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Fastest wall time and fastest CPU time (this process) of ``runs`` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return min(walls), min(cpus)


def first_and_second_pass(
    runs: int, fresh: Callable[[], Any], work: Callable[[Any], object]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Fastest (wall, CPU) of a first pass of ``work`` on a ``fresh()`` object (new words, empty memos: what
    ``observatory extract`` meets on new postings) and of a second pass on the same object over the same texts
    (everything seen before), best of ``runs`` fresh objects."""
    first, second = [], []
    for _ in range(runs):
        run = partial(work, fresh())
        first.append(best_wall_and_cpu(1, run))
        second.append(best_wall_and_cpu(1, run))
        del run  # one fresh copy at a time: the peak RSS printed below stays the extractor's own
    return (min(w for w, _ in first), min(c for _, c in first)), (min(w for w, _ in second), min(c for _, c in second))


def repeated_share(postings: list[dict[str, str]]) -> tuple[int, float]:
    """Postings whose (description, title) repeats an earlier one's, and their share of all characters: the work
    that extract_many's repeat memo skips (see ``SkillExtractor.extract_many``)."""
    seen: set[tuple[str, str]] = set()
    repeats = repeated_chars = total = 0
    for p in postings:
        key = (p["description"], p["title"])
        size = len(p["description"]) + len(p["title"])
        total += size
        if key in seen:
            repeats += 1
            repeated_chars += size
        seen.add(key)
    return repeats, repeated_chars / max(total, 1)


def stage_split(extractor: Any, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """CPU seconds of each stage of one ``extract_many`` run over ``pairs``, read by timing the stage's own calls
    (tokenizer, phrase matchers, sections, context checks, open vocabulary); "rest" is the run's time outside them
    (folding, language, overlaps, importance, mentions). The timers add a little to each stage."""
    from observatory.skills import extractor as module
    from observatory.skills.sections import PostingStructure

    spent: dict[str, float] = {}

    def timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start

        return run

    tokenizer, parse, matcher_call = extractor.nlp.tokenizer, PostingStructure.parse, module.SkillMatcher.__call__
    extractor.nlp.tokenizer = timed("tokenizer", tokenizer)
    module.SkillMatcher.__call__ = timed("phrase matchers", matcher_call)  # type: ignore[method-assign]
    PostingStructure.parse = timed("sections", parse)  # type: ignore[method-assign]
    extractor._in_context = timed("context checks", extractor._in_context)
    if extractor.open_vocabulary is not None:
        extractor._open_matches = timed("open vocabulary", extractor._open_matches)
    try:
        gc.collect()
        start = time.process_time()
        for _ in extractor.extract_many(pairs, batch_size=256):
            pass
        total = time.process_time() - start
    finally:
        extractor.nlp.tokenizer = tokenizer
        module.SkillMatcher.__call__ = matcher_call  # type: ignore[method-assign]
        PostingStructure.parse = parse  # type: ignore[method-assign]
        del extractor._in_context
        extractor.__dict__.pop("_open_matches", None)
    spent["rest"] = total - sum(spent.values())
    return spent


def print_stage_split(label: str, spent: dict[str, float], n: int) -> None:
    total = sum(spent.values())
    parts = ", ".join(f"{k} {v / n * 1000:.3f} ({v / total:.0%})" for k, v in spent.items())
    print(f"  where the time goes, {label} (ms a posting, instrumented total {total / n * 1000:.3f}): {parts}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--shared",
        type=Path,
        help="read SHARED/postings (default: the real postings folder, OBSERVATORY_REAL_POSTINGS_DIR)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-esco", action="store_true", help="bundled vocabulary only")
    parser.add_argument("--esco-dir", type=Path, help="ESCO labels of this CSV folder instead of the bundled release")
    parser.add_argument("--startup-runs", type=int, default=5, help="warm start-ups to time (0: none)")
    parser.add_argument("--startup-only", action="store_true", help="time the start-up only")
    parser.add_argument("--limit", type=int, help="the first N postings only (a quick check)")
    args = parser.parse_args()
    from observatory.skills.real_postings import MissingPostingsError, shared_postings_dir

    try:
        postings = load_postings(args.shared / "postings" if args.shared else shared_postings_dir())[: args.limit]
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None

    import spacy
    from spacy.tokenizer import Tokenizer

    from observatory.skills.batch import extract_file
    from observatory.skills.esco import EscoLabel, read_esco_labels
    from observatory.skills.extractor import BUNDLED, SkillExtractor
    from observatory.skills.occupations import OccupationCoder

    texts = [f"{p['title']}\n\n{p['description']}" for p in postings]
    chars = sum(len(t) for t in texts)
    print(f"postings: {len(postings):,} ({chars / len(postings):,.0f} characters on average)")
    repeats, share = repeated_share(postings)
    print(f"  repeating an earlier posting's title and description: {repeats:,} ({share:.1%} of the characters)")
    if args.startup_runs > 0:
        # A posting of typical length (the median), not a hand-picked short one.
        typical = sorted(postings, key=lambda p: len(p["description"]))[len(postings) // 2]
        startup(typical, args.startup_runs, ["--no-esco"] if args.no_esco else [])
        startup(typical, args.startup_runs, ["--occupation"])
    if args.startup_only:
        return 0

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
    own_tokenizer: Tokenizer = extractor.nlp.tokenizer  # type: ignore[assignment]

    def tokenize_only() -> None:
        for _ in tokenizer.pipe(texts, batch_size=256):
            pass

    def own_tokenize_only() -> None:
        for _ in own_tokenizer.pipe(texts, batch_size=256):
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

        # First and second passes on fresh copies: a spaCy tokenizer of its own, the extractor as the on-disk cache
        # gives it (pickled and loaded), with and without the repeat memo.
        pairs = [(p["description"], p["title"]) for p in postings]
        built = pickle.dumps(extractor)
        passes = {
            "spaCy tokenizer alone (reference)": first_and_second_pass(
                args.runs,
                lambda: spacy.blank("es").tokenizer,
                lambda fresh: [None for _ in fresh.pipe(texts, batch_size=256)],
            ),
            "extractor (extract_many)": first_and_second_pass(
                args.runs, lambda: pickle.loads(built), lambda fresh: [None for _ in fresh.extract_many(pairs)]
            ),
            "extractor (extract_many, no repeat memo)": first_and_second_pass(
                args.runs,
                lambda: pickle.loads(built),
                lambda fresh: [None for _ in fresh.extract_many(pairs, repeats=0)],
            ),
        }
        built = b""
        n = len(postings)
        (_, ref_first), (_, ref_second) = passes["spaCy tokenizer alone (reference)"]
        print("first pass (fresh objects) and second pass (the same texts again), CPU ratio to the reference's pass:")
        for label, ((wall1, cpu1), (wall2, cpu2)) in passes.items():
            print(
                f"  {label:46s} first {n / wall1:6,.0f} postings/s wall, {cpu1 / n * 1000:.3f} ms CPU a posting, "
                f"ratio {ref_first / cpu1:.2f}; second {n / wall2:6,.0f}/s, {cpu2 / n * 1000:.3f} ms, "
                f"ratio {ref_second / cpu2:.2f}"
            )
        print(f"best of {args.runs} run(s) each; below, best of {args.runs} warm run(s) (after the passes above):")
        tok_wall, tok_cpu = best_wall_and_cpu(args.runs, tokenize_only)
        own_wall, own_cpu = best_wall_and_cpu(args.runs, own_tokenize_only)
        timings = {}
        open_vocabulary = extractor.open_vocabulary
        for label, vocabulary in (("", open_vocabulary), (", no open vocabulary", None)):
            # The same extractor without its open vocabulary is what open_vocabulary=False builds.
            extractor.open_vocabulary = vocabulary
            timings[f"extractor (extract_many{label})"] = best_wall_and_cpu(args.runs, extract_only)
            timings[f"observatory extract (file{label})"] = best_wall_and_cpu(args.runs, extract_command)
            if vocabulary is not None:
                rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
        extractor.open_vocabulary = open_vocabulary

    n = len(postings)
    mentions = sum(len(r["skills"]) for r in rows)
    without = sum(1 for r in rows if not r["skills"])
    print(f"{'spaCy tokenizer alone (reference)':48s} {n / tok_wall:7,.0f} postings/s wall")
    print(
        f"{'the extractor own tokenizer alone':48s} {n / own_wall:7,.0f} postings/s wall  "
        f"CPU ratio to reference {tok_cpu / own_cpu:.2f}"
    )
    for label, (wall, cpu) in timings.items():
        print(f"{label:48s} {n / wall:7,.0f} postings/s wall  CPU ratio to tokenizer {tok_cpu / cpu:.2f}")
    print(f"mentions per posting {mentions / n:.1f}; postings without any skill {without / n:.1%}")
    pairs = [(p["description"], p["title"]) for p in postings]
    fresh = pickle.loads(pickle.dumps(extractor))
    print_stage_split("extract_many, first pass of a fresh copy", stage_split(fresh, pairs), n)
    print_stage_split("extract_many, its second pass", stage_split(fresh, pairs), n)
    del fresh
    print_stage_split("extract_many, warm", stage_split(extractor, pairs), n)
    extractor.open_vocabulary = None
    print_stage_split("extract_many, no open vocabulary", stage_split(extractor, pairs), n)
    extractor.open_vocabulary = open_vocabulary
    start = time.perf_counter()
    coder = OccupationCoder()
    coder_build = time.perf_counter() - start
    t_occ = best_of(1, lambda: list(coder.code_many((p["title"], p["description"]) for p in postings)))
    print(f"occupation coder:             {n / t_occ:8,.0f} postings/s (built in {coder_build:.1f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RSS now {rss_mb():,.0f} MB; peak RSS of this process {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
