"""Dagster assets of the reports: the monthly report (partitioned, scheduled) and the latest report (eager).

Each materialisation writes one report for all countries together and one per country with postings
(HTML, PDF, CSV/Parquet) through :func:`observatory.reporting.build_report`.
"""

import base64
from pathlib import Path
from typing import Any

import dagster as dg

from observatory.defs.analysis import GROUP, postings_by_country, skill_clusters, skill_demand
from observatory.defs.partitions import monthly_partitions, on_new_data
from observatory.defs.resources import ObservatoryDatabase
from observatory.reporting import ReportPaths, build_report


def _build_all(
    context: dg.AssetExecutionContext, database: ObservatoryDatabase, period: str | None
) -> tuple[list[ReportPaths], dict[str, int]]:
    db, settings = database.get(), database.settings()
    counts = postings_by_country(database, period)
    reports = []
    if counts:
        for country in [None, *sorted(counts)]:
            paths = build_report(db, settings, country=country, period=period)
            context.log.info(f"report {country or 'all'} {period or 'latest'}: {paths.html}")
            reports.append(paths)
    return reports, counts


def _metadata(reports: list[ReportPaths]) -> dict[str, Any]:
    if not reports:
        return {"reports": 0}
    first = reports[0]
    metadata: dict[str, Any] = {
        "reports": len(reports),
        "folder": dg.MetadataValue.path(str(first.folder)),
        "html": dg.MetadataValue.path(str(first.html)),
        "pdf": dg.MetadataValue.path(str(first.pdf)) if first.pdf else "",
        "all_reports": dg.MetadataValue.md("\n".join(f"- `{p.html}`" for p in reports)),
    }
    preview = _preview(first.folder)
    if preview:
        metadata["preview"] = dg.MetadataValue.md(preview)
    return metadata


def _preview(folder: Path) -> str | None:
    """The top-skills chart as an inline PNG for the asset's page in the UI."""
    import json

    import pandas as pd
    import vl_convert

    from observatory.reporting.charts import top_skills_chart
    from observatory.reporting.i18n import texts

    table = folder / "data" / "top_skills.parquet"
    if not table.exists():
        return None
    language = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("language", "es")
    spec = top_skills_chart(pd.read_parquet(table).head(10), texts(language, alpha=0.05, min_count=5), ["#1f4e79"])
    if spec is None:
        return None
    png = vl_convert.vegalite_to_png(spec, scale=1)
    return f"![top skills](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"


@dg.asset(
    group_name=GROUP,
    deps=[skill_demand, skill_clusters],
    partitions_def=monthly_partitions,
    description="The monthly report (all countries and each country): HTML, PDF and CSV/Parquet.",
    check_specs=[dg.AssetCheckSpec("period_has_postings", asset="monthly_report")],
    kinds={"html", "pdf"},
)
def monthly_report(context: dg.AssetExecutionContext, database: ObservatoryDatabase) -> Any:
    period = context.partition_key[:7]  # "2026-10-01" → "2026-10"
    reports, counts = _build_all(context, database, period)
    yield dg.MaterializeResult(metadata={"period": period, **_metadata(reports)})
    yield dg.AssetCheckResult(
        check_name="period_has_postings",
        passed=bool(counts),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"postings": sum(counts.values()), "countries": ", ".join(sorted(counts)) or "none"},
    )


@dg.asset(
    group_name=GROUP,
    deps=[skill_demand, skill_clusters],
    automation_condition=on_new_data(),
    description="The report of the latest month with postings, refreshed whenever new skills are extracted.",
    kinds={"html", "pdf"},
)
def latest_report(context: dg.AssetExecutionContext, database: ObservatoryDatabase) -> dg.MaterializeResult:
    reports, _ = _build_all(context, database, None)
    return dg.MaterializeResult(metadata=_metadata(reports))


monthly_report_job = dg.define_asset_job(
    "monthly_report_job", selection=[monthly_report], partitions_def=monthly_partitions
)
# On the 2nd of each month, the report of the month that just ended (the newest complete partition).
monthly_report_schedule = dg.build_schedule_from_partitioned_job(monthly_report_job, day_of_month=2, hour_of_day=6)

assets = [monthly_report, latest_report]
defs = dg.Definitions(assets=assets, schedules=[monthly_report_schedule], jobs=[monthly_report_job])
