"""Scraping throughput: spider parsing of real pages and the load pipeline into PostgreSQL.

Parse: detail pages/s, listing cards/s and API items/s (parsing + normalisation, as ``observatory parse``)
on ``../shared/real_pages``. Load: items/s through normalise → validate → near-duplicate linking → batch
upsert (``load_postings``) of the real postings in ``../shared/postings`` (or ``$OBSERVATORY_REAL_POSTINGS_DIR``),
against a plain ``upsert`` of the same rows in the same run (the reference). Near-duplicate links: on the real
postings, the links SimHash alone makes, and the false-link rate with the title rule at several thresholds, against
the hand labels of ``benchmarks/near_duplicate_labels.json``.
Usage: .venv/bin/python benchmarks/scraping.py [--seconds 3] [--only duplicates]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from observatory.config import load_settings
from observatory.scraping.items import normalise_posting
from observatory.scraping.load import _row, load_postings
from observatory.scraping.parse import parse_page
from observatory.skills.real_postings import MissingPostingsError, shared_postings_file
from observatory.storage import upsert
from observatory.storage.bootstrap import open_database
from observatory.storage.models import Posting

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def rate(fn: Callable[[], int], seconds: float) -> float:
    """Units per second of ``fn`` (which returns the units it handled), repeated for about ``seconds``."""
    fn()  # warm-up
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        done += fn()
    return done / (time.perf_counter() - started)


def bumeran_items() -> list[dict[str, Any]]:
    with gzip.open(shared_postings_file("bumeran_zonajobs_ar_2025-12.json.gz")) as fh:
        data = json.load(fh)
    items = []
    for o in data["ofertas"]:
        source = "ar-zonajobs" if o.get("fuente") == "zonajobs" else "ar-bumeran"
        items.append(
            {
                "source_key": source,
                "native_id": str(o["id"]),
                "url": o.get("url_original"),
                "title": o.get("titulo"),
                "company": o.get("empresa"),
                "description_text": o.get("descripcion_full") or o.get("descripcion_preview"),
                "location_raw": o.get("ubicacion"),
                "date_posted_raw": o.get("fecha_publicacion"),
                "scraped_at": "2025-12-05T12:00:00+00:00",
            }
        )
    return items


def computrabajo_items() -> list[dict[str, Any]]:
    with gzip.open(shared_postings_file("computrabajo_ec_2024.csv.gz")) as fh:
        rows = list(csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8")))
    items = []
    for r in rows:
        items.append(
            {
                "source_key": "ec-computrabajo",
                "native_id": r["id"],
                "url": f"https://ec.computrabajo.com/ofertas-de-trabajo/oferta-de-trabajo-de-x-{r['id']}",
                "title": r["titulo"],
                "company": r["empresa"] or None,
                "description_text": r["descripcion"].replace("\t", "\n"),
                "location_raw": f"{r['ciudad']}, {r['provincia']}",
                "salary_raw": r["salarioDescripcion"],
                "contract_raw": r["tipoContrato"],
                "work_mode_raw": r["modalidadTrabajo"],
                "education": r["educacionMinima"],
                "experience_raw": f"{float(r['experienciaAnos'] or -1):.0f} años de experiencia"
                if float(r["experienciaAnos"] or -1) >= 0
                else None,
                "date_posted_raw": r["fechaHoraPublicacion"],
                "scraped_at": "2024-09-30T12:00:00+00:00",
            }
        )
    return items


def parse_figures(seconds: float) -> None:
    pages = SHARED / "real_pages"
    detail = (pages / "computrabajo" / "co_detail_lider-educativo.html").read_bytes()
    listing = (pages / "computrabajo" / "ar_listing_trabajo-de-python.html").read_bytes()
    api = (pages / "bumeran" / "zonajobs_ar_searchHomeV2_response.json").read_bytes()
    ee = (pages / "elempleo" / "co_listing_ofertas-empleo_desarrollador_2020.html").read_bytes()
    now = datetime.now(UTC)
    figures = {
        "computrabajo detail pages/s": rate(lambda: len(parse_page("computrabajo", detail, now=now)), seconds),
        "computrabajo listing cards/s": rate(lambda: len(parse_page("computrabajo", listing, now=now)), seconds),
        "bumeran API items/s": rate(lambda: len(parse_page("bumeran", api, now=now)), seconds),
        "elempleo listing cards/s": rate(lambda: len(parse_page("elempleo", ee, now=now)), seconds),
    }
    for name, value in figures.items():
        print(f"parse  {name:32s} {value:10.1f}")


def load_figures() -> None:
    items = bumeran_items() + computrabajo_items()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(load_settings(data_dir=Path(tmp), database_url=None))
        try:
            by_source: dict[str, list[dict[str, Any]]] = {}
            for item in items:
                by_source.setdefault(item["source_key"], []).append(item)
            started = time.perf_counter()
            totals = {"new": 0, "duplicates": 0, "invalid": 0}
            for source, batch in by_source.items():
                stats = load_postings(db, batch, source, f"bench:{source}")
                totals = {k: totals[k] + getattr(stats, k) for k in totals}
            first = time.perf_counter() - started
            started = time.perf_counter()
            for source, batch in by_source.items():
                again = load_postings(db, batch, source, f"bench:{source}:again")
            second = time.perf_counter() - started
            # Reference: the same rows, already normalised, through a bare upsert (no validation or dedup).
            now = datetime.now(UTC)
            rows = [_row(normalise_posting(i), 1, now) for i in items[:2000]]
            for r in rows:
                r["scrape_run_id"] = None
                r["duplicate_of"] = None
            with db.engine.begin() as conn:
                conn.execute(text("TRUNCATE postings CASCADE"))
            started = time.perf_counter()
            with db.session() as session:
                upsert(session, Posting, rows, conflict=["id"], keep_first=("first_seen",))
            reference = len(rows) / (time.perf_counter() - started)
        finally:
            db.close()
    print(
        f"load   {len(items)} real postings: {len(items) / first:8.1f} items/s first load "
        f"({totals['new']} new, {totals['duplicates']} near-duplicates linked, {totals['invalid']} invalid)"
    )
    print(f"load   re-load (nothing new: {again.new} new): {len(items) / second:8.1f} items/s")
    print(f"load   reference bare upsert of normalised rows: {reference:8.1f} rows/s")
    print(f"load   pipeline / bare upsert ratio: {len(items) / first / reference:.2f}")


def duplicate_figures() -> None:
    from observatory.scraping.fingerprint import MIN_TITLE_SIMILARITY, FingerprintIndex, simhash, title_similarity
    from observatory.scraping.normalize import fold
    from observatory.skills.real_postings import read_real_postings, shared_postings_files

    postings = [p for path in shared_postings_files(required=True) for p in read_real_postings(path)]
    by_id = {f"{p.portal}:{p.id}": p for p in postings}
    index = FingerprintIndex()
    links: list[tuple[str, str]] = []
    # As the loader does: earliest first, each posting linked to its nearest earlier fingerprint.
    for pid, p in sorted(by_id.items(), key=lambda kv: (kv[1].published or "9999", kv[0])):
        fp = simhash(p.title, p.employer, p.description)
        if fp is None:
            continue
        twin = index.nearest(fp, exclude=pid)
        if twin:
            links.append((pid, twin))
        else:
            index.add(fp, pid)
    data = json.loads((Path(__file__).parent / "near_duplicate_labels.json").read_text(encoding="utf-8"))
    labels = {(x["posting"], x["linked_to"]): bool(x["same_job"]) for x in data["labels"]}

    def same_job(link: tuple[str, str]) -> bool:
        if link in labels:
            return labels[link]
        a, b = (by_id[x].title for x in link)
        return fold(a).strip() == fold(b).strip()  # identical titles: the same job (see the labels file)

    unlabelled = [link for link in links if link not in labels and not same_job(link)]
    true_links = sum(same_job(link) for link in links)
    print(
        f"dups   {len(postings)} real postings: {len(links)} SimHash links, {len(labels)} hand-labelled, "
        f"{len(unlabelled)} unlabelled with different titles"
    )
    for threshold in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        kept = [link for link in links if title_similarity(*(by_id[x].title for x in link)) >= threshold]
        false = sum(not same_job(link) for link in kept)
        lost = true_links - sum(same_job(link) for link in kept)
        mark = "  <- MIN_TITLE_SIMILARITY" if threshold == MIN_TITLE_SIMILARITY else ""
        rule = "SimHash only           " if threshold == 0 else f"title similarity >= {threshold:.1f}"
        print(
            f"dups   {rule}: {len(kept):4d} links, false-link rate {false / len(kept):6.1%} ({false}), "
            f"true links lost {lost / true_links:5.1%} ({lost}){mark}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per parse measurement")
    parser.add_argument("--only", choices=["parse", "load", "duplicates"], help="one part of the benchmark")
    args = parser.parse_args()
    if args.only in (None, "parse"):
        if not (SHARED / "real_pages").is_dir():
            raise SystemExit(f"error: {SHARED / 'real_pages'} is absent: the parse figures read the real pages there")
        parse_figures(args.seconds)
    try:
        if args.only in (None, "load"):
            load_figures()
        if args.only in (None, "duplicates"):
            duplicate_figures()
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None


if __name__ == "__main__":
    main()
