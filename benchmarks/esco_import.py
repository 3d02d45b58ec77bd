"""Benchmark: import the full ESCO download in ../shared (es + en) into a fresh embedded database.

Prints seconds and rows per table for each release, the re-import time, and the label-streaming rate.
Usage: ``python benchmarks/esco_import.py [ESCO_DIR]`` (default ``../shared/esco``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from observatory.config import load_settings
from observatory.skills.esco import esco_status, import_esco, load_esco_labels, read_esco_labels
from observatory.storage.bootstrap import open_database


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "esco"
    releases = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    if not releases:
        sys.exit(f"no ESCO releases under {root}")
    with tempfile.TemporaryDirectory() as data_dir:
        db = open_database(load_settings(data_dir=Path(data_dir), database_url=None))
        try:
            for release in releases:
                for attempt in ("import", "re-import"):
                    report = import_esco(db, release)
                    print(f"{release.name} {attempt}: {report.seconds:.2f} s  rows {report.rows}")
            print(f"status: {esco_status(db)}")
            for name, labels in (
                (f"read_esco_labels({releases[0].name})", lambda: read_esco_labels(releases[0])),
                ("load_esco_labels(db)", lambda: load_esco_labels(db)),
            ):
                started = time.perf_counter()
                n = sum(1 for _ in labels())
                seconds = time.perf_counter() - started
                print(f"{name}: {n} labels in {seconds:.2f} s ({n / seconds:,.0f} labels/s)")
        finally:
            db.close()


if __name__ == "__main__":
    main()
