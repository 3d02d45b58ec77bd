"""Dagster assets of the reports: the monthly report (month × scope, scheduled) and the latest report (eager).

A monthly report partition is one scope (a country, or ``all``) and one month; the latest report writes the
all-countries report and one per country with postings. Each report is HTML, PDF and CSV/Parquet, written by
:func:`observatory.reporting.build_report`.
"""

import base64
from datetime import timedelta
from pathlib import Path
from typing import Any

import dagster as dg

from observatory.defs.analysis import GROUP, postings_by_country, skill_clusters, skill_demand
from observatory.defs.partitions import ALL_SCOPE, on_new_data, scope_monthly_partitions
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


def _scope_of_source() -> dg.StaticPartitionMapping:
    # A month of one source's demand feeds that month's report of its country and the all-countries report.
    from observatory.sources import SOURCES

    return dg.StaticPartitionMapping({key: [source.country, ALL_SCOPE] for key, source in SOURCES.items()})


SOURCE_MONTH_TO_SCOPE_MONTH = dg.MultiPartitionMapping(
    {
        "date": dg.DimensionPartitionMapping("date", dg.IdentityPartitionMapping()),
        "source": dg.DimensionPartitionMapping("scope", _scope_of_source()),
    }
)


@dg.asset(
    group_name=GROUP,
    deps=[dg.AssetDep(skill_demand, partition_mapping=SOURCE_MONTH_TO_SCOPE_MONTH), skill_clusters],
    partitions_def=scope_monthly_partitions,
    description="The report of one month for one scope (a country, or all countries): HTML, PDF and CSV/Parquet.",
    check_specs=[dg.AssetCheckSpec("period_has_postings", asset="monthly_report")],
    kinds={"html", "pdf"},
)
def monthly_report(context: dg.AssetExecutionContext, database: ObservatoryDatabase) -> Any:
    key = context.partition_key
    if not isinstance(key, dg.MultiPartitionKey):
        raise ValueError(f"expected a month × scope partition, got {key!r}")
    period, scope = key.keys_by_dimension["date"][:7], key.keys_by_dimension["scope"]  # "2026-10-01" → "2026-10"
    country = None if scope == ALL_SCOPE else scope
    counts = postings_by_country(database, period)
    postings = sum(counts.values()) if country is None else counts.get(country, 0)
    reports = []
    if postings:
        paths = build_report(database.get(), database.settings(), country=country, period=period)
        context.log.info(f"report {scope} {period}: {paths.html}")
        reports.append(paths)
    yield dg.MaterializeResult(metadata={"period": period, "scope": scope, "postings": postings, **_metadata(reports)})
    yield dg.AssetCheckResult(
        check_name="period_has_postings",
        passed=bool(postings),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"postings": postings, "scope": scope},
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
    metadata = _metadata(reports)
    if reports:
        metadata["period"] = reports[0].folder.parent.name  # reports/<scope>/<YYYY-MM>/<timestamp>/
    return dg.MaterializeResult(metadata=metadata)


monthly_report_job = dg.define_asset_job(
    "monthly_report_job", selection=[monthly_report], partitions_def=scope_monthly_partitions
)


@dg.schedule(
    job=monthly_report_job,
    cron_schedule="0 6 2 * *",
    execution_timezone="UTC",
    description="On the 2nd of each month, the reports of the month that just ended: all countries and each one.",
)
def monthly_report_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
    # Not build_schedule_from_partitioned_job: the month partitions reach the current month (end_offset=1), so its
    # newest partition would be the month that has just begun.
    ended = (context.scheduled_execution_time.replace(day=1) - timedelta(days=1)).strftime("%Y-%m-01")
    scopes = scope_monthly_partitions.get_partitions_def_for_dimension("scope").get_partition_keys()
    return [
        dg.RunRequest(run_key=f"{ended}|{scope}", partition_key=dg.MultiPartitionKey({"date": ended, "scope": scope}))
        for scope in scopes
    ]


assets = [monthly_report, latest_report]
defs = dg.Definitions(assets=assets, schedules=[monthly_report_schedule], jobs=[monthly_report_job])
