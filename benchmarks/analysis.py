"""Benchmark of the analysis stage: embedding rate, UMAP+HDBSCAN on 20,000 skills, incremental re-run.

Runs on a private embedded database in a temporary folder with invented data:

1. a vocabulary of ``--skills`` distinct Spanish/English skill names and ``--postings`` postings
   (4 skills each) over three months;
2. full run: embed every skill, cluster (UMAP + HDBSCAN grid), compute demand tables (and a report);
3. add 1 % new postings (a few of them with new skills), then re-run the same steps and print the
   re-run time as a share of the full run (target ≤ 5 %).

Usage: ``python benchmarks/analysis.py [--skills 20000] [--postings 20000] [--no-report]``
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from observatory.analysis.clusters import cluster_skills
from observatory.analysis.trends import compute_demand
from observatory.config import load_settings
from observatory.embeddings import embed_skills, get_encoder
from observatory.reporting import build_report
from observatory.storage import Database, posting_id, upsert
from observatory.storage.bootstrap import open_database
from observatory.storage.models import CanonicalSkill, ExtractionRun, Posting, SkillMention

ACTIONS = [
    ("gestión de", "management of"), ("análisis de", "analysis of"), ("control de", "control of"),
    ("diseño de", "design of"), ("operación de", "operation of"), ("mantenimiento de", "maintenance of"),
    ("auditoría de", "audit of"), ("planeación de", "planning of"), ("soporte de", "support of"),
    ("desarrollo de", "development of"), ("supervisión de", "supervision of"), ("venta de", "sales of"),
    ("instalación de", "installation of"), ("calidad de", "quality of"), ("seguridad de", "security of"),
    ("optimización de", "optimisation of"), ("documentación de", "documentation of"),
    ("capacitación en", "training in"), ("atención de", "handling of"), ("reporte de", "reporting of"),
]  # fmt: skip
OBJECTS = [
    ("inventarios", "inventories"), ("nómina", "payroll"), ("bases de datos", "databases"),
    ("redes", "networks"), ("clientes", "customers"), ("proveedores", "suppliers"), ("impuestos", "taxes"),
    ("tesorería", "treasury"), ("bodegas", "warehouses"), ("flotas", "fleets"), ("maquinaria", "machinery"),
    ("servidores", "servers"), ("aplicaciones web", "web applications"), ("campañas digitales", "digital campaigns"),
    ("contratos", "contracts"), ("obras civiles", "civil works"), ("equipos médicos", "medical equipment"),
    ("cartera", "receivables"), ("facturación", "invoicing"), ("procesos", "processes"),
    ("personal", "staff"), ("compras", "purchasing"), ("producción", "production"), ("alimentos", "food"),
    ("sistemas eléctricos", "electrical systems"), ("software contable", "accounting software"),
    ("tableros Power BI", "Power BI dashboards"), ("modelos estadísticos", "statistical models"),
    ("pedidos", "orders"), ("riesgos", "risks"), ("costos", "costs"), ("vehículos", "vehicles"),
    ("cultivos", "crops"), ("hoteles", "hotels"), ("eventos", "events"), ("archivos", "records"),
    ("licitaciones", "tenders"), ("laboratorio", "laboratory"), ("seguros", "insurance"), ("créditos", "loans"),
]  # fmt: skip
LEVELS = [
    ("", ""), ("básica", "basic"), ("avanzada", "advanced"), ("en Excel", "in Excel"), ("con SAP", "with SAP"),
    ("con Python", "with Python"), ("en el sector salud", "in healthcare"), ("en retail", "in retail"),
    ("en construcción", "in construction"), ("en banca", "in banking"), ("en manufactura", "in manufacturing"),
    ("en logística", "in logistics"), ("en turismo", "in tourism"), ("en minería", "in mining"),
    ("en el sector público", "in the public sector"), ("en agroindustria", "in agribusiness"),
    ("con ERP", "with ERP"), ("en inglés", "in English"), ("remota", "remote"), ("en campo", "in the field"),
    ("nivel junior", "junior level"), ("nivel senior", "senior level"), ("con certificación", "certified"),
    ("en comercio exterior", "in foreign trade"), ("en telecomunicaciones", "in telecoms"),
    ("en educación", "in education"), ("en energía", "in energy"), ("en seguros", "in insurance"),
    ("con normas ISO", "with ISO standards"), ("en pymes", "in SMEs"),
]  # fmt: skip


def skill_names(n: int) -> list[tuple[str, str, str]]:
    """``n`` distinct (id, Spanish name, English name) triples."""
    out = []
    for (a_es, a_en), (o_es, o_en), (l_es, l_en) in itertools.product(ACTIONS, OBJECTS, LEVELS):
        es = " ".join(p for p in (a_es, o_es, l_es) if p)
        en = " ".join(p for p in (a_en, o_en, l_en) if p)
        out.append((f"skill-{len(out):05d}", es, en))
        if len(out) == n:
            return out
    raise SystemExit(f"at most {len(out)} distinct generated skills")


def skill_rows(skills: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"id": i, "name": es, "name_es": es, "name_en": en} for i, es, en in skills]


def write_postings(db: Database, skills: list[str], n: int, start: int, rng: random.Random) -> None:
    """``n`` postings (ids from ``start``) with 4 skills each, Zipf-like popularity, three months."""
    weights = [1 / (i + 1) ** 0.8 for i in range(len(skills))]
    postings, mentions, runs = [], [], []
    for k in range(start, start + n):
        pid = posting_id("computrabajo", f"b{k}")
        month = 8 + k % 3
        postings.append(
            {
                "id": pid, "source_key": "co-computrabajo", "portal": "computrabajo", "country": "co",
                "native_id": f"b{k}", "title": f"Cargo {k}", "region": ["Bogotá D.C.", "Antioquia", "Valle"][k % 3],
                "date_posted": datetime(2026, month, 1 + k % 28, tzinfo=UTC), "content_hash": f"{k:064d}", "raw": {},
            }
        )  # fmt: skip
        for j, skill in enumerate(dict.fromkeys(rng.choices(skills, weights=weights, k=4))):
            mentions.append(
                {
                    "posting_id": pid, "skill_id": skill, "start": j * 20, "end": j * 20 + 10, "surface": skill,
                    "method": "bench", "importance": "required" if j == 0 else None, "confidence": 1.0,
                    "extractor_version": "bench-1",
                }
            )  # fmt: skip
        runs.append({"posting_id": pid, "extractor_version": "bench-1", "mentions": 4})
    with db.session() as session:
        upsert(session, Posting, postings, conflict=["id"])
        upsert(
            session, SkillMention, mentions, conflict=["posting_id", "skill_id", "start", "end", "extractor_version"]
        )
        upsert(session, ExtractionRun, runs, conflict=["posting_id", "extractor_version"])


def timed(label: str, fn: Callable[[], Any], times: dict[str, float]) -> Any:
    started = time.perf_counter()
    result = fn()
    times[label] = time.perf_counter() - started
    print(f"  {label:<28} {times[label]:8.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skills", type=int, default=20_000)
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--no-report", action="store_true", help="leave the report out of both runs")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="observatory-bench-") as tmp:
        settings = load_settings(data_dir=Path(tmp), database_url=None)
        db = open_database(settings)
        try:
            vocabulary = skill_names(args.skills + max(1, args.skills // 200))
            base, extra = vocabulary[: args.skills], vocabulary[args.skills :]
            with db.session() as session:
                upsert(session, CanonicalSkill, skill_rows(base), conflict=["id"])
            write_postings(db, [s[0] for s in base], args.postings, 0, rng)
            get_encoder(settings)  # model load is per process, not per run
            print(f"full run: {args.skills} skills, {args.postings} postings")
            full: dict[str, float] = {}
            stats = timed("embed", lambda: embed_skills(db, settings), full)
            result = timed("cluster (UMAP + HDBSCAN)", lambda: cluster_skills(db, settings), full)
            timed("demand and trends", lambda: compute_demand(db, country="co"), full)
            if not args.no_report:
                timed("report (HTML + PDF + data)", lambda: build_report(db, settings, country="co"), full)

            new_postings = max(1, args.postings // 100)
            with db.session() as session:
                upsert(session, CanonicalSkill, skill_rows(extra), conflict=["id"])
            write_postings(db, [s[0] for s in base[:2000]] + [s[0] for s in extra], new_postings, args.postings, rng)
            print(f"re-run after {new_postings} new postings (1 %) bringing {len(extra)} new skills")
            rerun: dict[str, float] = {}
            again = timed("embed", lambda: embed_skills(db, settings), rerun)
            inc = timed("cluster", lambda: cluster_skills(db, settings), rerun)
            timed("demand and trends", lambda: compute_demand(db, country="co"), rerun)
            if not args.no_report:
                timed("report (HTML + PDF + data)", lambda: build_report(db, settings, country="co"), rerun)

            print("\nfigures")
            print(
                f"  skills embedded per second    {stats.per_second:8.1f}  ({stats.encoded} in {stats.seconds:.1f} s)"
            )
            print(
                f"  UMAP+HDBSCAN, {result.skills} skills {full['cluster (UMAP + HDBSCAN)']:8.1f} s  "
                f"({result.clusters} clusters, {result.noise_share:.0%} noise, grid of "
                f"{len(result.metrics.get('search', []))})"
            )
            print(f"  re-run: {again.encoded} skills encoded, clustering {inc.mode}")
            pipeline = ("embed", "demand and trends")
            full_pipe = full["embed"] + full["cluster (UMAP + HDBSCAN)"] + full["demand and trends"]
            re_pipe = sum(rerun[k] for k in pipeline) + rerun["cluster"]
            print(f"  re-run / full (embed+cluster+trends) {100 * re_pipe / full_pipe:6.2f} %  (target ≤ 5 %)")
            if not args.no_report:
                print(f"  re-run / full (including report)     {100 * sum(rerun.values()) / sum(full.values()):6.2f} %")
        finally:
            db.close()


if __name__ == "__main__":
    main()
