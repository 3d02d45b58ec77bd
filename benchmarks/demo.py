"""Benchmark of ``observatory demo``: wall time, Dagster runs and events of a fresh demo and of a re-run.

Runs the installed ``observatory`` command twice in a new data directory (embedded database, Dagster instance),
as a new user would after ``scripts/setup.sh``, then reads Dagster's event log: runs, events per run, and the
seconds each run took from its first to its last event. Target: the fresh demo under 90 s on 2 cores.

Usage: ``python benchmarks/demo.py [--keep]`` (``--keep`` leaves the data directory for ``observatory ui``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
COMMAND = Path(sys.executable).with_name("observatory")
FINISHED = re.compile(r"demo finished in [\d.]+ s, (\d+) Dagster runs \(([^)]*)\)")


def run_demo(data_dir: Path) -> tuple[float, str]:
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    env.pop("OBSERVATORY_DATABASE_URL", None)
    started = time.perf_counter()
    done = subprocess.run([str(COMMAND), "demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"observatory demo failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def event_log(data_dir: Path) -> list[tuple[str, int, float]]:
    """(run id, events, seconds from first to last event) of every run, oldest first."""
    from observatory.config import load_settings
    from observatory.storage import dagster_url
    from observatory.storage.bootstrap import open_database

    db = open_database(load_settings(data_dir=data_dir, database_url=None))
    engine = create_engine(dagster_url(db.url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT run_id, count(*), extract(epoch FROM max(timestamp) - min(timestamp)) "
                    "FROM event_logs WHERE run_id <> '' GROUP BY run_id ORDER BY min(timestamp)"
                )
            ).all()
    finally:
        engine.dispose()
        db.close()
    return [(str(r[0]), int(r[1]), float(r[2])) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="observatory-demo-bench-"))
    try:
        for label in ("fresh demo", "re-run"):
            seconds, output = run_demo(data_dir)
            finished = FINISHED.search(" ".join(output.split()))
            runs, stages = (finished.group(1), finished.group(2)) if finished else ("?", "?")
            note = "  nothing new" if "nothing new" in output else ""
            print(f"{label:10s}  {seconds:6.1f} s wall  {runs} runs  ({stages}){note}")
        runs_log = event_log(data_dir)
        print(f"Dagster event log: {len(runs_log)} runs, {sum(n for _, n, _ in runs_log)} events")
        for run_id, events, seconds in runs_log:
            print(f"  run {run_id[:8]}  {events:5d} events  {seconds:6.1f} s")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    finally:
        if args.keep:
            print(f"data directory kept: {data_dir} (OBSERVATORY_DATA_DIR={data_dir} observatory ui)")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
