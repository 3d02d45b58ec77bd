"""Build the report of one scope and period: self-contained HTML, PDF and CSV/Parquet of every table.

Files land in ``<base>/<country or all>/<period>/<UTC timestamp>/`` where ``<base>`` is ``out_dir`` or
``<data_dir>/reports``; only the newest ``report_keep_runs`` runs of a scope and period are kept.
The HTML inlines the Vega libraries (no network needed, and a Content-Security-Policy forbids any);
the PDF is rendered by WeasyPrint with the same charts drawn to SVG by vl-convert. All text from
postings goes through Jinja's autoescaping (HTML) or JSON escaping (chart specs), so it stays inert.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import text

from observatory.analysis.clusters import cluster_map
from observatory.analysis.queries import ANALYSED_POSTINGS, POSTING_SKILLS, skill_name_sql
from observatory.analysis.trends import DemandTables, compute_demand
from observatory.config import ConfigurationError, Settings
from observatory.reporting import charts
from observatory.reporting.i18n import texts
from observatory.storage import Database

log = logging.getLogger(__name__)

REPORT_VERSION = "1"


@dataclass
class ReportPaths:
    """Where one report run was written."""

    folder: Path
    html: Path
    pdf: Path | None
    data: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    seconds: float = 0.0


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one inline script (from vl-convert, no network)."""
    import vl_convert

    # A literal "</script" inside would end the inline script early.
    bundle = str(vl_convert.javascript_bundle())  # type: ignore[call-arg]
    return bundle.replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("observatory.reporting", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def build_report(
    db: Database,
    settings: Settings,
    country: str | None = None,
    period: str | None = None,
    out_dir: Path | None = None,
    *,
    language: str | None = None,
    pdf: bool = True,
    tables: DemandTables | None = None,
) -> ReportPaths:
    """Write the report of ``country`` (``None``: all countries) for ``period`` (``None``: the latest month).

    ``tables`` lets a caller that already computed the demand tables (a Dagster asset) pass them in.
    """
    started = time.perf_counter()
    language = language or settings.report_language
    t = texts(language, alpha=0.05, min_count=5)
    demand = tables or compute_demand(db, country=country, period=period, language=language)
    if demand.period is None:
        where = f"country {country}" if country else "any country"
        raise ValueError(f"no analysed postings for {where}: run the crawl and extraction steps first")
    scope = demand.scope
    colours = list(settings.report_colors) or ["#1f4e79", "#e07b39"]
    points = pd.DataFrame(cluster_map(db, language=language))
    table_frames = dict(demand.tables())
    table_frames["cluster_map"] = (
        points if not points.empty else pd.DataFrame(columns=["skill_id", "skill", "cluster", "x", "y"])
    )

    chart_defs = [
        ("top_skills", charts.top_skills_chart(demand.top_skills, t, colours)),
        ("trends", charts.trends_chart(demand.trends, t, colours)),
        ("emerging", charts.emerging_chart(demand.emerging, t, colours)),
        ("by_region", charts.region_chart(demand.by_region, t, colours)),
        ("clusters", charts.cluster_chart(points, t, colours)),
        ("cooccurrence", charts.cooccurrence_chart(demand.cooccurrence, t, colours)),
        ("salaries", charts.salary_chart(demand.salaries, t, colours)),
    ]
    chart_items: list[dict[str, Any]] = [
        {"name": name, "title": t[name], "note": t[f"{name}_note"], "spec": spec} for name, spec in chart_defs
    ]

    folder = _new_run_folder(out_dir or settings.data_dir / "reports", scope, demand.period)
    data_dir = folder / "data"
    data_dir.mkdir()
    data_files = _export_tables(table_frames, data_dir)

    now = datetime.now(UTC)
    context: dict[str, Any] = {
        "language": language,
        "t": t,
        "title": settings.report_title or t["default_title"],
        "scope_label": t["scope_all"] if scope == "all" else scope.upper(),
        "period": demand.period,
        "previous": demand.previous_period,
        "generated": now.strftime("%Y-%m-%d %H:%M UTC"),
        "colours": colours,
        "logo": _logo_data_uri(settings.report_logo),
        "kpis": _kpis(demand),
        "notes": demand.notes,
        "charts": chart_items,
        "examples": _examples(db, demand.scope, demand.period, language),
        "data_files": [p.relative_to(folder).as_posix() for p in data_files if p.suffix == ".csv"],
        "run_label": f"{scope}/{demand.period}/{folder.name} · report v{REPORT_VERSION}",
    }
    template = _environment().get_template("report.html.j2")
    html_path = folder / "report.html"
    html_path.write_text(template.render(mode="html", vega_bundle=vega_bundle(), **context), encoding="utf-8")

    pdf_path: Path | None = None
    if pdf:
        for item in chart_items:
            if item["spec"] is not None:
                item["image"] = _svg_data_uri(item["spec"])
        pdf_html = template.render(mode="pdf", vega_bundle="", **context)
        pdf_path = folder / "report.pdf"
        _write_pdf(pdf_html, pdf_path, folder)

    manifest = folder / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "scope": scope,
                "period": demand.period,
                "previous_period": demand.previous_period,
                "language": language,
                "generated": now.isoformat(),
                "report_version": REPORT_VERSION,
                "html": html_path.name,
                "pdf": pdf_path.name if pdf_path else None,
                "data": [p.relative_to(folder).as_posix() for p in data_files],
                "rows": {name: len(frame) for name, frame in table_frames.items()},
                "notes": demand.notes,
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    _clean_old_runs(folder.parent, settings.report_keep_runs)
    paths = ReportPaths(folder, html_path, pdf_path, data_files, manifest, time.perf_counter() - started)
    log.info("report for %s %s written to %s in %.1f s", scope, demand.period, folder, paths.seconds)
    return paths


def _new_run_folder(base: Path, scope: str, period: str) -> Path:
    parent = base / scope / period
    parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder, n = parent / stamp, 1
    while folder.exists():  # two runs in the same second
        n += 1
        folder = parent / f"{stamp}-{n}"
    folder.mkdir()
    return folder


def _clean_old_runs(parent: Path, keep: int) -> None:
    runs = sorted((p for p in parent.iterdir() if p.is_dir()), key=lambda p: (p.stat().st_mtime, p.name))
    for old in runs[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
        log.info("removed old report run %s (report_keep_runs=%d)", old, keep)


def _export_tables(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    written = []
    for name, frame in frames.items():
        clean = frame.copy()
        for column in clean.columns:
            # Decimal salaries and mixed objects: plain types that CSV and Parquet both keep.
            if clean[column].dtype == object and clean[column].map(lambda v: hasattr(v, "as_tuple")).any():
                clean[column] = clean[column].astype(float)
        csv_path, parquet_path = folder / f"{name}.csv", folder / f"{name}.parquet"
        clean.to_csv(csv_path, index=False)
        clean.to_parquet(parquet_path, index=False)
        written += [csv_path, parquet_path]
    return written


def _kpis(demand: DemandTables) -> dict[str, str]:
    period_rows = demand.demand[(demand.demand["month"] == demand.period) & (demand.demand["portal"] == "all")]
    postings = demand.postings.loc[demand.postings["month"] == demand.period, "postings"].sum()
    emerging = int(demand.emerging["emerging"].sum()) if not demand.emerging.empty else 0
    return {
        "postings": f"{int(postings):,}".replace(",", "\u202f"),
        "skills": f"{period_rows['skill_id'].nunique():,}".replace(",", "\u202f"),
        "emerging": str(emerging),
    }


def _examples(db: Database, scope: str, period: str, language: str, limit: int = 10) -> list[dict[str, Any]]:
    """The period's newest postings with their skills (two queries: the skills only of those postings)."""
    name = skill_name_sql(language)
    postings_sql = f"""
        SELECT po.id, po.title, po.company, po.portal
        FROM ({ANALYSED_POSTINGS}) p JOIN postings po ON po.id = p.id
        WHERE p.month = :period
        ORDER BY po.date_posted DESC NULLS LAST, p.id
        LIMIT :limit
    """
    skills_sql = f"""
        SELECT ps.posting_id, {name} AS skill
        FROM ({POSTING_SKILLS}) ps JOIN canonical_skills cs ON cs.id = ps.skill_id
        WHERE ps.posting_id = ANY(:ids)
        ORDER BY 1, 2
    """
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(postings_sql), {"country": None if scope == "all" else scope, "period": period, "limit": limit}
        ).all()
        skills: dict[str, list[str]] = {}
        for r in conn.execute(text(skills_sql), {"ids": [r.id for r in rows]}):
            skills.setdefault(r.posting_id, []).append(r.skill)
    return [
        {"title": r.title, "company": r.company, "portal": r.portal, "skills": skills.get(r.id, [])[:8]} for r in rows
    ]


def _logo_data_uri(path: Path | None) -> str | None:
    if path is None:
        return None
    if not path.is_file():
        raise ConfigurationError(f"OBSERVATORY_REPORT_LOGO: {path} is not a file")
    mime = mimetypes.guess_type(path.name)[0]
    if mime not in ("image/png", "image/jpeg", "image/svg+xml", "image/gif"):
        raise ConfigurationError(f"OBSERVATORY_REPORT_LOGO: {path} must be a PNG, JPEG, GIF or SVG image")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _svg_data_uri(spec: dict[str, Any]) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _write_pdf(html: str, path: Path, base: Path) -> None:
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Everything is inline (data: URIs); any other URL is refused rather than fetched.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).write_pdf(str(path))
