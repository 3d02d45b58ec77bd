"""Benchmark of the keyed pseudonyms of the stored demand: their share of computing the demand, on the demo.

1. Runs ``observatory demo`` in a new data directory (or uses ``--data-dir``, e.g. one kept by
   ``benchmarks/demo.py --keep``), so the database holds what the demo's ``skill_demand`` stored;
2. computes the counts of every source (:func:`observatory.analysis.demand_store.demand_inputs`, what
   ``skill_demand`` and a report's rebuild run) ``--repeat`` times with the installation's key, timing the
   pseudonyms apart (HMAC-SHA256 of each distinct posting id and employer) and printing their share;
3. hashes ``--synthetic`` distinct posting-id-like strings, for the cost per value at a larger scale.

Usage: ``python benchmarks/pseudonyms.py [--data-dir DIR] [--repeat 5] [--synthetic 1000000]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pandas as pd
from sqlalchemy import text

from observatory.analysis.demand_store import demand_inputs
from observatory.analysis.pseudonyms import PseudonymKey, installation_key
from observatory.config import load_settings
from observatory.storage.bootstrap import open_database

ROOT = Path(__file__).resolve().parents[1]
COMMAND = Path(sys.executable).with_name("observatory")


class TimedKey(PseudonymKey):
    """The installation's key, adding up the time spent making pseudonyms and how many values went through."""

    seconds: float = 0.0
    values: int = 0

    def pseudonyms(self, values: pd.Series) -> pd.Series:
        started = time.perf_counter()
        out = super().pseudonyms(values)
        object.__setattr__(self, "seconds", self.seconds + time.perf_counter() - started)
        object.__setattr__(self, "values", self.values + len(values))
        return out


def run_demo(data_dir: Path) -> float:
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("OBSERVATORY_DATABASE_URL", None)
    started = time.perf_counter()
    done = subprocess.run([str(COMMAND), "demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"observatory demo failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="A data directory the demo already ran in.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=1_000_000)
    args = parser.parse_args()

    temporary = None
    data_dir = args.data_dir
    if data_dir is None:
        temporary = Path(tempfile.mkdtemp(prefix="observatory-pseudonyms-"))
        data_dir = temporary / "data"
        print(f"observatory demo in {data_dir}: {run_demo(data_dir):.1f} s")
    try:
        settings = load_settings(data_dir=data_dir, database_url=None)
        key = TimedKey(installation_key(settings).secret)
        db = open_database(settings)
        try:
            with db.engine.connect() as conn:
                sources = conn.execute(text("SELECT DISTINCT source_key FROM postings ORDER BY 1")).scalars().all()
                n_postings = conn.execute(text("SELECT count(*) FROM postings")).scalar_one()
            rows = 0
            started = time.perf_counter()
            for _ in range(args.repeat):
                for source in sources:
                    inputs = demand_inputs(db, source=source, key=key)
                    rows += sum(len(frame) for frame in inputs.frames().values())
            total = time.perf_counter() - started
        finally:
            db.close()
        print(
            f"demo database: {n_postings} postings, {len(sources)} sources; demand_inputs of every source × "
            f"{args.repeat}: {total:.3f} s ({total / args.repeat * 1000:.1f} ms a pass, {rows // args.repeat} stored "
            f"rows a pass)"
        )
        print(
            f"pseudonyms: {key.seconds:.3f} s of it ({key.seconds / total:.1%}), {key.values // args.repeat} values a "
            f"pass, {key.seconds / max(key.values, 1) * 1e6:.2f} µs a value (distinct values hashed once a frame)"
        )
        ids = pd.Series([f"computrabajo:{i:016X}" for i in range(args.synthetic)])
        started = time.perf_counter()
        PseudonymKey(key.secret).pseudonyms(ids)
        seconds = time.perf_counter() - started
        print(
            f"synthetic: {args.synthetic:,} distinct posting ids in {seconds:.2f} s "
            f"({seconds / args.synthetic * 1e6:.2f} µs each)"
        )
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
