"""Dagster assets of the analysis stage: skill embeddings, skill clusters and demand trends.

Thin wrappers: each asset calls the library (``observatory.embeddings``, ``observatory.analysis``)
and attaches metadata a user can read in the UI. New extractions flow through automatically: the
assets use ``AutomationCondition.eager()`` without its "no missing upstream partition" clause, since
the upstream ``extracted_skills`` (source × day) always has partitions nobody crawled.
"""

from typing import Any

import dagster as dg
import pandas as pd
from sqlalchemy import text

from observatory.analysis.clusters import cluster_skills
from observatory.analysis.queries import ANALYSED_POSTINGS
from observatory.analysis.trends import compute_demand
from observatory.defs.resources import ObservatoryDatabase
from observatory.embeddings import embed_skills

EXTRACTED_SKILLS = dg.AssetKey("extracted_skills")
GROUP = "analysis"
MAX_NOISE_SHARE = 0.6


def on_new_data() -> dg.AutomationCondition:
    """Eager, but not blocked by upstream partitions that were never materialised."""
    return dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())


def markdown_table(frame: pd.DataFrame, columns: list[str], limit: int = 10) -> str:
    """A Markdown table of the first rows (Dagster renders it in the UI); pipes in values are escaped."""
    if frame.empty:
        return "_no rows_"
    head = frame[columns].head(limit)

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.4g}"
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in head.itertuples(index=False)]
    return "\n".join(lines)


@dg.asset(
    group_name=GROUP,
    deps=[EXTRACTED_SKILLS],
    automation_condition=on_new_data(),
    description="Sentence-transformers vectors of canonical skills in pgvector (only new or changed skills encoded).",
    kinds={"python", "postgres"},
)
def skill_embeddings(context: dg.AssetExecutionContext, database: ObservatoryDatabase) -> dg.MaterializeResult:
    stats = embed_skills(
        database.get(),
        database.settings(),
        progress=lambda done, total: context.log.debug(f"embedded {done}/{total} skills"),
    )
    if stats.fallback:
        context.log.warning(f"embedding model not available offline: used the packaged fallback {stats.model}")
    return dg.MaterializeResult(
        metadata={
            "model": stats.model,
            "fallback_model": stats.fallback,
            "skills": stats.skills,
            "encoded": stats.encoded,
            "cached": stats.cached,
            "skills_per_second": round(stats.per_second, 1),
            "seconds": round(stats.seconds, 2),
        }
    )


@dg.asset(
    group_name=GROUP,
    deps=[skill_embeddings],
    automation_condition=on_new_data(),
    description="UMAP + HDBSCAN families of skills, stored as a versioned analysis run with a 2-D map.",
    check_specs=[dg.AssetCheckSpec("noise_share_acceptable", asset="skill_clusters")],
    kinds={"python", "postgres"},
)
def skill_clusters(context: dg.AssetExecutionContext, database: ObservatoryDatabase) -> Any:
    result = cluster_skills(database.get(), database.settings())
    labels = pd.DataFrame(
        [{"cluster": c.cluster, "size": c.size, "label": c.label} for c in result.labels],
        columns=["cluster", "size", "label"],
    ).sort_values("size", ascending=False)
    yield dg.MaterializeResult(
        metadata={
            "run_id": result.run_id,
            "mode": result.mode,
            "skills": result.skills,
            "clusters": result.clusters,
            "noise_share": round(result.noise_share, 3),
            "silhouette": result.metrics.get("silhouette"),
            "dbcv": result.metrics.get("dbcv"),
            "reason": str(result.metrics.get("reason", "")),
            "largest_clusters": dg.MetadataValue.md(markdown_table(labels, ["cluster", "size", "label"])),
        }
    )
    yield dg.AssetCheckResult(
        check_name="noise_share_acceptable",
        passed=result.noise_share <= MAX_NOISE_SHARE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"noise_share": round(result.noise_share, 3), "max": MAX_NOISE_SHARE},
        description=f"share of skills HDBSCAN left as noise is at most {MAX_NOISE_SHARE:.0%}",
    )


@dg.asset(
    group_name=GROUP,
    deps=[EXTRACTED_SKILLS],
    automation_condition=on_new_data(),
    description="Skill demand of the latest month across all countries: top skills, emerging skills, gaps.",
    check_specs=[dg.AssetCheckSpec("no_empty_months", asset="skill_trends")],
    kinds={"python", "postgres"},
)
def skill_trends(context: dg.AssetExecutionContext, database: ObservatoryDatabase) -> Any:
    db = database.get()
    tables = compute_demand(db, language=database.settings().report_language)
    months = sorted(tables.postings["month"].unique())
    gaps = _missing_months(months)
    yield dg.MaterializeResult(
        metadata={
            "period": tables.period or "",
            "postings_in_period": int(tables.postings.loc[tables.postings["month"] == tables.period, "postings"].sum()),
            "months": len(months),
            "demand_rows": len(tables.demand),
            "emerging_skills": int(tables.emerging["emerging"].sum()) if not tables.emerging.empty else 0,
            "top_skills": dg.MetadataValue.md(
                markdown_table(tables.top_skills, ["skill", "postings", "share", "required", "desirable"])
            ),
            "emerging": dg.MetadataValue.md(
                markdown_table(tables.emerging, ["skill", "prev_postings", "cur_postings", "delta_pp", "q_value"])
            ),
            "notes": "; ".join(tables.notes),
        }
    )
    yield dg.AssetCheckResult(
        check_name="no_empty_months",
        passed=bool(months) and not gaps,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"months_with_postings": len(months), "empty_months": ", ".join(gaps) or "none"},
        description="every month between the first and the latest has analysed postings",
    )


def _missing_months(months: list[str]) -> list[str]:
    if not months:
        return []
    present = set(months)
    all_months = pd.period_range(months[0], months[-1], freq="M").strftime("%Y-%m")
    return [m for m in all_months if m not in present]


def postings_by_country(database: ObservatoryDatabase, period: str | None) -> dict[str, int]:
    """Analysed-posting counts per country (all months when ``period`` is None), for report fan-out."""
    with database.get().engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT country, count(*) FROM ({ANALYSED_POSTINGS}) a WHERE (:p IS NULL OR a.month = :p) "
                "GROUP BY country"
            ),
            {"p": period, "country": None},
        ).all()
    return {r[0]: int(r[1]) for r in rows}


assets = [skill_embeddings, skill_clusters, skill_trends]
asset_checks: list[dg.AssetChecksDefinition] = []
sensors: list[dg.SensorDefinition] = []
schedules: list[dg.ScheduleDefinition] = []
jobs: list[Any] = []
