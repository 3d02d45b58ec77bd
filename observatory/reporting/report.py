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
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import text

from observatory.analysis.clusters import cluster_map, current_quality
from observatory.analysis.demand_store import demand_base, load_inputs
from observatory.analysis.pseudonyms import installation_key
from observatory.analysis.queries import ANALYSED_POSTINGS, POSTING_SKILLS, skill_name_sql
from observatory.analysis.significance import EVIDENCE_COLUMNS, with_evidence
from observatory.analysis.trends import DemandTables, Note, compute_demand, coverage_summary
from observatory.config import ConfigurationError, Settings
from observatory.reporting import charts
from observatory.reporting.i18n import fill, texts
from observatory.reporting.privacy import published_employer
from observatory.storage import Database

log = logging.getLogger(__name__)

REPORT_VERSION = "1"


class ReportError(ValueError):
    """A report that cannot be written; ``text_key``/``text_values`` name the text of the report's tables that
    says it in either language (:func:`observatory.reporting.i18n.error_text`)."""

    def __init__(self, message: str, *, text_key: str, text_values: Mapping[str, object]) -> None:
        super().__init__(message)
        self.text_key = text_key
        self.text_values = dict(text_values)


def check_report_folder(base: Path) -> None:
    """Make ``base`` (the folder of report runs) if needed and check that a run folder can be made in it."""
    try:
        base.mkdir(parents=True, exist_ok=True)
        Path(tempfile.mkdtemp(prefix=".write-check-", dir=base)).rmdir()
    except OSError as exc:
        raise _folder_error(base, exc) from None


def _folder_error(base: Path, exc: OSError) -> ReportError:
    """The error of a report folder that cannot be written, in the report's language when shown."""
    return ReportError(
        f"cannot write the report to the folder {base} ({exc.strerror})",
        text_key="error_out_folder",
        text_values={"folder": base, "reason": exc},
    )


@dataclass
class ReportPaths:
    """Where one report run was written."""

    folder: Path
    html: Path
    pdf: Path | None
    data: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # warnings also printed by the command line
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)  # Vega-Lite spec of each drawn chart


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

    Every demand figure comes from the counts the ``skill_demand`` asset stored (``<data_dir>/demand``), so
    the report and the asset cannot disagree; month × source cells it has not stored yet are computed from
    the database with the same code, and a note says so. ``tables`` lets a caller that already computed the
    demand tables pass them in. The warnings of the report (small samples, partial month, exclusions), in
    the report's language, are in ``ReportPaths.notes``. Employers who are natural persons are shown as
    "particular" (:mod:`observatory.reporting.privacy`).
    """
    started = time.perf_counter()
    language = language or settings.report_language
    # What the settings and the folder must allow is checked before the work, which takes seconds to minutes.
    logo = _logo_data_uri(settings.report_logo)
    base = out_dir or settings.data_dir / "reports"
    check_report_folder(base)
    t = texts(
        language,
        alpha=charts.format_number(0.05, language, 2),
        min_count=5,
        min_cell=settings.report_min_cell,
        min_employers=settings.report_min_employers,
        employer_cap=settings.report_employer_cap,
    )
    not_stored: list[tuple[str, str]] = []
    rebuilt: list[tuple[str, str]] = []
    inputs = None
    if tables is None:
        loaded = load_inputs(
            db,
            demand_base(settings.data_dir),
            key=installation_key(settings),
            country=country,
            language=settings.report_language,
            min_cell=settings.report_min_cell,
        )
        inputs, not_stored, rebuilt = loaded.inputs, loaded.not_stored, loaded.rebuilt
    demand = tables or compute_demand(
        db,
        country=country,
        period=period,
        inputs=inputs,
        language=language,
        min_cell=settings.report_min_cell,
        min_employers=settings.report_min_employers,
        employer_cap=settings.report_employer_cap,
        min_period_postings=settings.report_min_period_postings,
        minimum_wage=settings.salary_minimum_wage,
        plausible_range=settings.salary_plausible_range,
    )
    if demand.period is None:
        where = fill(t["where_country"], country=country) if country else t["where_any"]
        raise ReportError(
            fill(t["error_no_postings"], where=where), text_key="error_no_postings", text_values={"where": where}
        )
    if not_stored:
        demand.notes.append(Note("not_stored", {"n": len(not_stored)}))
    if rebuilt:
        demand.notes.append(Note("demand_rebuilt", {"n": len(rebuilt)}))
    notes = render_notes(demand.notes, t, language)
    scope = demand.scope
    colours = list(settings.report_colors) or ["#1f4e79", "#e07b39"]
    min_cell = demand.min_cell
    points = pd.DataFrame(cluster_map(db, language=language))
    table_frames = dict(demand.tables())
    table_frames["cluster_map"] = _cluster_table(points, demand)
    examples = _examples(db, demand.scope, demand.period, language)
    table_frames["examples"] = pd.DataFrame(examples, columns=["title", "company", "portal", "brand", "skills"])
    table_frames["examples"]["skills"] = table_frames["examples"]["skills"].map("; ".join)

    kw: dict[str, Any] = {"language": language}
    chart_defs = [
        ("top_skills", charts.top_skills_chart(demand.top_skills, t, colours, min_cell=min_cell, **kw)),
        ("trends", charts.trends_chart(demand.trends, t, colours, **kw)),
        ("emerging", charts.emerging_chart(demand.emerging, t, colours, **kw)),
        ("countries", charts.country_map_chart(demand.countries, t, colours, **kw)),
        ("regions", charts.region_bars_chart(demand.regions, t, colours, **kw)),
        ("by_region", charts.region_chart(demand.by_region, t, colours, min_cell=min_cell, **kw)),
        ("clusters", charts.cluster_chart(points, t, colours, **kw)),
        ("cooccurrence", charts.cooccurrence_chart(demand.cooccurrence, t, colours, **kw)),
        ("salaries", charts.salary_chart(demand.salaries, t, colours, **kw)),
    ]
    n_caption = f"n = {charts.format_number(demand.coverage.n_postings if demand.coverage else 0, language)}"
    chart_items: list[dict[str, Any]] = [
        {"name": name, "title": t[name], "note": f"{t[f'{name}_note']} {n_caption}.", "spec": spec}
        for name, spec in chart_defs
    ]

    try:
        folder = _new_run_folder(base, scope, demand.period)
    except OSError as exc:
        raise _folder_error(base, exc) from None
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
        "logo": logo,
        "kpis": _kpis(demand, t, language),
        "summary": _summary(demand, t, language, settings.salary_plausible_range),
        "notes": notes,
        "charts": chart_items,
        "examples": examples,
        "data_files": [p.relative_to(folder).as_posix() for p in data_files if p.suffix == ".csv"],
        "cluster_quality": _cluster_quality(db, language),
        "run_label": f"{scope}/{demand.period}/{folder.name} · {t['report_version']} v{REPORT_VERSION}",
    }
    template = _environment().get_template("report.html.j2")
    html_path = folder / "report.html"
    html_path.write_text(template.render(mode="html", vega_bundle=vega_bundle(), **context), encoding="utf-8")

    pdf_path: Path | None = None
    if pdf:
        for item in chart_items:
            if item["spec"] is not None:
                item["image"], item["image_width"] = _png_data_uri(item["spec"])
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
                "coverage": coverage_summary(demand),
                "min_cell": min_cell,
                "notes": notes,
                "demand_cells_not_stored": [f"{m} {s}" for m, s in not_stored],
                "demand_cells_rebuilt": [f"{m} {s}" for m, s in rebuilt],  # stored from another database
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        ),
        encoding="utf-8",
    )
    _clean_old_runs(folder.parent, settings.report_keep_runs)
    paths = ReportPaths(
        folder,
        html_path,
        pdf_path,
        data_files,
        manifest,
        time.perf_counter() - started,
        notes,
        {name: spec for name, spec in chart_defs if spec is not None},
    )
    log.info("report for %s %s written to %s in %.1f s", scope, demand.period, folder, paths.seconds)
    return paths


def _cluster_quality(db: Database, language: str) -> str | None:
    """The method section's line on the clustering: how many clusters, over how many skills, and how good."""
    quality = current_quality(db)
    if not quality:
        return None
    if not quality.get("clusters"):
        return fill(
            texts(language)["cluster_none"],
            skills=charts.format_number(float(quality.get("skills") or 0), language),
            reason=_cluster_reason(str(quality.get("reason") or ""), language),
        )

    def number(key: str, decimals: int = 0) -> str:
        value = quality.get(key)
        return charts.format_number(float(value), language, decimals) if value is not None else "—"

    noise = quality.get("noise_share")
    return fill(
        texts(language)["cluster_quality"],
        clusters=number("clusters"), subclusters=number("subclusters"), skills=number("skills"),
        model=quality.get("model") or "—", dbcv=number("dbcv", 2), silhouette=number("silhouette", 2),
        noise=f"{charts.format_number(100 * float(noise), language, 0)} %" if noise is not None else "—",
    )  # fmt: skip


def _cluster_reason(reason: str, language: str) -> str:
    """The clustering's stored reason (written in English by the analysis) in the report's language."""
    t = texts(language)
    if match := re.match(r"too few skills to cluster \((\d+) < (\d+)\)", reason):
        return fill(t["cluster_too_few"], n=match[1], minimum=match[2])
    if match := re.match(r"no cluster structure: best silhouette (-?[\d.]+) < ([\d.]+)", reason):
        value = charts.format_number(float(match[1]), language, 3)
        return fill(
            t["cluster_no_structure"], silhouette=value, minimum=charts.format_number(float(match[2]), language, 2)
        )
    return "—"


def render_notes(notes: list[Note], t: dict[str, str], language: str) -> list[str]:
    """The report's warnings worded in its language, numbers formatted the language's way."""
    out = []
    for note in notes:
        values = {
            k: charts.format_number(v, language) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in note.values.items()
        }
        if values.get("scope") == "all":
            values["scope"] = t["scope_all"]
        elif isinstance(values.get("scope"), str):
            values["scope"] = str(values["scope"]).upper()
        out.append(fill(t[f"note_{note.key}"], **values))
    return out


def _cluster_table(points: pd.DataFrame, demand: DemandTables) -> pd.DataFrame:
    """The cluster map's points with each skill's share of the period's postings in the scope."""
    columns = ["skill_id", "skill", "cluster", "x", "y", *EVIDENCE_COLUMNS]
    if points.empty:
        return pd.DataFrame(columns=columns)
    rows = demand.demand[(demand.demand["month"] == demand.period) & (demand.demand["portal"] == "all")]
    counts = rows.groupby("skill_id")["n_with_skill"].sum()
    table = points.copy()
    table["n_with_skill"] = table["skill_id"].map(counts).fillna(0)
    table["n_postings"] = demand.coverage.n_postings if demand.coverage else 0
    with_evidence(table)
    return table[[c for c in points.columns if c not in EVIDENCE_COLUMNS] + EVIDENCE_COLUMNS]


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


SHARE_COLUMNS = ("share", "ci_low", "ci_high", "n_with_skill")
# OWASP CSV injection: a cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def missing_evidence(frames: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Tables publishing a share that lack any of its evidence columns (numerator, denominator, 95 % interval).

    Tables without a share (the postings counts, the example postings) carry no evidence columns: there they
    would mean nothing.
    """
    return {
        name: missing
        for name, frame in frames.items()
        if any(c in frame.columns for c in SHARE_COLUMNS)
        and (missing := [c for c in EVIDENCE_COLUMNS if c not in frame.columns])
    }


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells starting like a formula (``= + - @``, tab, CR) get a leading ``'``.

    Only text cells change: numbers (a negative change in points) stay numbers.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = ["'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v for v in out[column]]
    return out


def _export_tables(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    incomplete = missing_evidence(frames)
    if incomplete:
        # A share without its n and interval is not published.
        raise ValueError(f"tables without their evidence columns: {incomplete}")
    written = []
    for name, frame in frames.items():
        clean = frame.copy()
        for column in clean.columns:
            # Decimal salaries and mixed objects: plain types that CSV and Parquet both keep.
            if clean[column].dtype == object and clean[column].map(lambda v: hasattr(v, "as_tuple")).any():
                clean[column] = clean[column].astype(float)
        csv_path, parquet_path = folder / f"{name}.csv", folder / f"{name}.parquet"
        neutralise_formulas(clean).to_csv(csv_path, index=False)
        clean.to_parquet(parquet_path, index=False)
        written += [csv_path, parquet_path]
    return written


def _kpis(demand: DemandTables, t: dict[str, str], language: str) -> dict[str, str]:
    period_rows = demand.demand[(demand.demand["month"] == demand.period) & (demand.demand["portal"] == "all")]
    n = demand.coverage.n_postings if demand.coverage else 0
    return {
        "postings": charts.format_number(n, language),
        "skills": charts.format_number(period_rows["skill_id"].nunique(), language),
        "emerging": str(demand.n_emerging),
        "emerging_detail": fill(t["emerging_headline"], emerging=demand.n_emerging, tested=len(demand.emerging)),
    }


def _summary(demand: DemandTables, t: dict[str, str], language: str, plausible_range: tuple[float, float]) -> list[str]:
    """Sentences saying how many postings, from which portals, over which dates, and how periods compare."""
    c = demand.coverage
    if c is None:
        return []
    lines = [
        fill(
            t["summary"],
            n_postings=charts.format_number(c.n_postings, language),
            portals=", ".join(c.portals) or "—",
            first_date=c.first_date or "—",
            last_date=c.last_date or "—",
            n_title_only=charts.format_number(c.n_title_only, language),
        )
    ]
    if any(brand not in c.portals for brand in c.brands):  # a portal's sister brands (ZonaJobs on Bumeran)
        listed = ", ".join(f"{brand} {charts.format_number(n, language)}" for brand, n in c.brands.items())
        lines.append(fill(t["brands_summary"], brands=listed))
    top = demand.top_skills
    if not top.empty and {"n_text", "n_title", "n_employer_tag"} <= set(top.columns):
        lines.append(
            fill(
                t["methods_summary"],
                text=charts.format_number(int(top["n_text"].sum()), language),
                title=charts.format_number(int(top["n_title"].sum()), language),
                tag=charts.format_number(int(top["n_employer_tag"].sum()), language),
            )
        )
    if demand.previous_period:
        if c.complete:
            lines.append(fill(t["comparison_complete"], previous=demand.previous_period))
        else:
            lines.append(
                fill(
                    t["comparison_days"], days=c.comparison_days, period=demand.period, previous=demand.previous_period
                )
            )
    quality = demand.salary_quality
    if not quality.empty:
        counts = quality.set_index("status")["n_with_skill"]
        n_all = int(quality["n_postings"].iloc[0])
        usable = int(counts.get("parsed", 0) + counts.get("unchecked", 0))
        lines.append(
            fill(
                t["salary_summary"],
                n_with_salary=charts.format_number(usable, language),
                n_all=charts.format_number(n_all, language),
                share=f"{charts.format_number(100 * usable / n_all if n_all else 0, language, 1)} %",
                unparsed=int(counts.get("unparsed", 0)),
                implausible=int(counts.get("implausible", 0)),
                low=charts.format_number(plausible_range[0], language, 1),
                high=charts.format_number(plausible_range[1], language),
            )
        )
    return lines


def _examples(db: Database, scope: str, period: str, language: str, limit: int = 10) -> list[dict[str, Any]]:
    """The period's newest postings with their skills, each employer × title once, natural persons unnamed.

    A posting repeated by its employer (same title, another day or city) is shown once; the employer of an
    individual poster is shown as "particular". Two queries: the skills only of the postings shown.
    """
    name = skill_name_sql(language)
    postings_sql = f"""
        SELECT id, title, company, portal, brand FROM (
            SELECT DISTINCT ON (lower(btrim(po.title)), p.employer)
                   po.id, po.title, po.company, po.portal, po.date_posted,
                   COALESCE(NULLIF(lower(po.raw->>'brand'), ''), po.portal) AS brand
            FROM ({ANALYSED_POSTINGS}) p JOIN postings po ON po.id = p.id
            WHERE p.month = :period
            ORDER BY lower(btrim(po.title)), p.employer, po.date_posted DESC NULLS LAST, p.id
        ) newest
        ORDER BY date_posted DESC NULLS LAST, id
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
        {
            "title": r.title,
            "company": published_employer(r.company, r.portal, language),
            "portal": r.portal,
            "brand": r.brand,
            "skills": skills.get(r.id, [])[:8],
        }
        for r in rows
    ]


def _logo_data_uri(path: Path | None) -> str | None:
    if path is None:
        return None
    if not path.is_file():
        raise ConfigurationError(
            f"OBSERVATORY_REPORT_LOGO: {path} is not a file", text_key="error_logo_missing", text_values={"path": path}
        )
    mime = mimetypes.guess_type(path.name)[0]
    if mime not in ("image/png", "image/jpeg", "image/svg+xml", "image/gif"):
        raise ConfigurationError(
            f"OBSERVATORY_REPORT_LOGO: {path} must be a PNG, JPEG, GIF or SVG image",
            text_key="error_logo_format",
            text_values={"path": path},
        )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


PNG_SCALE = 2


def _png_data_uri(spec: dict[str, Any]) -> tuple[str, int]:
    """The chart as a PNG data URI and its width in CSS pixels.

    A PNG, not an SVG: the text is then drawn by the same engine (vl-convert) that measured it when it
    laid out the legends and axes, so a different PDF font cannot push labels outside the picture.
    """
    import struct

    import vl_convert

    png = vl_convert.vegalite_to_png(spec, scale=PNG_SCALE, allowed_base_urls=[])
    width = struct.unpack(">I", png[16:20])[0] // PNG_SCALE  # IHDR width
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii"), int(width)


def _write_pdf(html: str, path: Path, base: Path) -> None:
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Everything is inline (data: URIs); any other URL is refused rather than fetched.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).write_pdf(str(path))
