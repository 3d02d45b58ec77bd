"""Ingest at scale and under attack: wall time and peak memory of ``ingest_file`` on a generated export and a bomb.

Measured: the load stage of ``observatory ingest`` (read → check → normalise → stage → near-duplicate linking →
upsert, one transaction) on a generated JSON-lines gzip file of ``--rows`` postings (default 1,000,000), then on a
gzip bomb (``--bomb-mb`` MB of zeros in one JSON line, about 1,000 times smaller compressed). Skill extraction,
which the CLI runs afterwards as a Dagster run, is not included (1 M postings would take hours of spaCy).
Then the landing-folder loader on ``--landing-rows`` raw items with one ``--oversize-mb`` MB line among them.
Each ingest runs in a child process; its peak RSS (``ru_maxrss``) is printed, against the 500 MB target. The
embedded PostgreSQL server is a separate process and not counted.
Usage: .venv/bin/python benchmarks/ingest.py [--rows 1000000] [--bomb-mb 2000] [--landing-rows 100000]
    [--oversize-mb 50] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from observatory.scraping.synthetic import EXPORT_FIELDS, write_export, write_gzip_bomb, write_landing_file


def child(data_dir: Path, path: Path) -> None:
    """One ingest (or landing load) in this process; prints a JSON line with what it did, its time and peak RSS."""
    from observatory.config import load_settings
    from observatory.scraping.ingest import IngestError, ingest_file
    from observatory.scraping.load import load_landing_file
    from observatory.storage.bootstrap import open_database

    db = open_database(load_settings(data_dir=data_dir, database_url=None))
    started = time.perf_counter()
    out: dict[str, object] = {}
    try:
        if path.parent.parent.name == "landing":
            stats = load_landing_file(db, path)
            out.update(lines=stats.received, new=stats.new, updated=stats.updated, repeated=stats.repeated,
                       rejected=stats.invalid,
                       rejected_lines=stats.invalid_lines)  # fmt: skip
            out["repeated_lines"] = stats.repeated_lines[:2]  # [line, first seen at]
        else:
            report = ingest_file(db, path, "ar-bumeran", field_map=EXPORT_FIELDS)
            load = report.load
            out.update(rows=report.rows, new=load.new, repeated=report.repeated, rejected=report.rejected,
                       duplicates=load.duplicates, days=len(load.days))  # fmt: skip
            out["repeated_lines"] = report.repeated_lines[:2]
    except IngestError as exc:
        out["error"] = str(exc)
    out["seconds"] = round(time.perf_counter() - started, 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    db.close()
    print(json.dumps(out))


def run_child(data_dir: Path, path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(data_dir), str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bomb-mb", type=int, default=2_000, help="what the bomb expands to, in MB")
    parser.add_argument("--landing-rows", type=int, default=100_000, help="rows of the landing file (0: none)")
    parser.add_argument("--oversize-mb", type=int, default=50, help="the landing file's one oversize line, in MB")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="observatory-bench-ingest-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        export, bomb = folder / "export.jsonl.gz", folder / "bomb.jsonl.gz"
        started = time.perf_counter()
        write_export(export, args.rows)
        write_gzip_bomb(bomb, args.bomb_mb)
        print(
            f"generated {args.rows:,} rows ({export.stat().st_size / 1e6:.0f} MB gzip) and a bomb "
            f"({bomb.stat().st_size / 1e6:.1f} MB expanding to {args.bomb_mb:,} MB) in "
            f"{time.perf_counter() - started:.0f} s"
        )
        data_dir = Path(tmp) / "data"
        big = run_child(data_dir, export)
        rate = float(big.get("rows", 0)) / max(float(big["seconds"]), 0.001)  # type: ignore[arg-type]
        print(f"export: {json.dumps(big)}")
        print(f"  {rate:,.0f} rows/s; peak RSS {big['peak_rss_mb']} MB (target < 500 MB)")
        boom = run_child(data_dir, bomb)
        print(f"bomb: {json.dumps(boom)}")
        print(f"  refused in {boom['seconds']} s; peak RSS {boom['peak_rss_mb']} MB (target < 500 MB)")
        if args.landing_rows:
            landed = write_landing_file(folder / "landing" / "ar-bumeran" / "crawl.jsonl", args.landing_rows,
                                        args.oversize_mb, seed=11)  # fmt: skip
            land = run_child(data_dir, landed)
            size = landed.stat().st_size / 1e6
            print(f"landing file ({size:.0f} MB, one {args.oversize_mb} MB line): {json.dumps(land)}")
            print(f"  peak RSS {land['peak_rss_mb']} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
