"""Upsert throughput of postings into the embedded database, against PostgreSQL COPY in the same run.

Usage: .venv/bin/python benchmarks/storage.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from observatory.config import load_settings
from observatory.storage import posting_id, upsert
from observatory.storage.bootstrap import open_database
from observatory.storage.models import Posting

COLUMNS = [
    "id",
    "source_key",
    "portal",
    "country",
    "native_id",
    "url",
    "title",
    "company",
    "description",
    "location_raw",
    "city",
    "content_hash",
    "raw",
]


def make_rows(n: int, seed: int = 1) -> list[dict[str, object]]:
    rng = random.Random(seed)
    words = "analista desarrollador python sql excel ventas atención cliente datos java inglés".split()
    rows = []
    for i in range(n):
        native = f"{i:032x}"
        desc = " ".join(rng.choice(words) for _ in range(120))
        rows.append(
            {
                "id": posting_id("computrabajo", native),
                "source_key": "co-computrabajo",
                "portal": "computrabajo",
                "country": "co",
                "native_id": native,
                "url": f"https://co.computrabajo.com/o/{native}",
                "title": f"{rng.choice(words).title()} {i}",
                "company": "Empresa S.A.S.",
                "description": desc,
                "location_raw": "Bogotá, D.C.",
                "city": "Bogotá",
                "content_hash": f"{i:064x}",
                "raw": {"titulo": f"oferta {i}"},
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    rows = make_rows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(load_settings(data_dir=Path(tmp), database_url=None))
        try:
            t0 = time.perf_counter()
            with db.session() as s:
                upsert(s, Posting, rows, conflict=["id"], batch_size=2000)
            upsert_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            with db.session() as s:
                upsert(s, Posting, rows, conflict=["id"], batch_size=2000, keep_first=["first_seen"])
            reupsert_s = time.perf_counter() - t0

            buf = io.StringIO()
            writer = csv.writer(buf)
            for r in rows:
                writer.writerow([json.dumps(r[c]) if c == "raw" else r[c] for c in COLUMNS])
            with db.engine.begin() as conn:
                conn.execute(text("CREATE TABLE postings_copy (LIKE postings INCLUDING ALL)"))
            t0 = time.perf_counter()
            raw = db.engine.raw_connection()
            try:
                cur = raw.cursor()
                buf.seek(0)
                cur.copy_expert(f"COPY postings_copy ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buf)
                raw.commit()
            finally:
                raw.close()
            copy_s = time.perf_counter() - t0
        finally:
            db.close()
    n = args.rows
    print(f"rows: {n}")
    print(f"upsert (insert, ON CONFLICT): {n / upsert_s:,.0f} rows/s ({upsert_s:.1f} s)")
    print(f"upsert (all conflicts, update): {n / reupsert_s:,.0f} rows/s ({reupsert_s:.1f} s)")
    print(f"COPY (reference, CSV built before timing): {n / copy_s:,.0f} rows/s ({copy_s:.1f} s)")
    print(f"ratio upsert/COPY: {copy_s / upsert_s:.2f} (target >= 0.30); re-upsert/COPY: {copy_s / reupsert_s:.2f}")


if __name__ == "__main__":
    main()
