"""Dagster assets of the analysis stage: skill embeddings and clusters (global), skill demand (month × source).

Thin wrappers: each asset calls the library (``observatory.embeddings``, ``observatory.analysis``)
and attaches metadata a user can read in the UI. New extractions flow through automatically
(:func:`observatory.defs.partitions.on_new_data`: any updated upstream partition, whatever its day).
"""

from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
from sqlalchemy import text

from observatory.analysis.clusters import cluster_skills
from observatory.analysis.demand_store import demand_base, demand_inputs, store_cell, table_path
from observatory.analysis.pseudonyms import installation_key
from observatory.analysis.queries import ANALYSED_POSTINGS
from observatory.defs.partitions import on_new_data, partition_slices, source_monthly_partitions
from observatory.defs.resources import ObservatoryDatabase
from observatory.embeddings import embed_skills
from observatory.storage.identity import database_identity

EXTRACTED_SKILLS = dg.AssetKey("extracted_skills")
GROUP = "analysis"
MAX_NOISE_SHARE = 0.6


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
    deps=[EXTRACTED_SKILLS, dg.AssetKey("normalized_skills")],  # embeddings come after LLM normalisation
    automation_condition=on_new_data(),
    description=(
        "Vectors of canonical skills in pgvector (the configured encoder, multilingual USE by default; each skill the "
        "mean of its names encoded alone; only new or changed skills encoded)."
    ),
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


def demand_path(data_dir: Path, month: str, source_key: str) -> Path:
    """Where the stored demand of one month × source lives (Parquet, rewritten whole on each materialisation).

    Beside it, ``<month>/<source>/`` holds the counts the table and every report are computed from
    (:mod:`observatory.analysis.demand_store`).
    """
    return table_path(demand_base(data_dir), month, source_key)


# Each month × source of demand depends on the days of that month of the same source (Dagster would otherwise
# infer an identity mapping, and no extracted day would ever mark a month of demand stale).
DAYS_OF_MONTH = dg.MultiPartitionMapping(
    {
        "date": dg.DimensionPartitionMapping("date", dg.TimeWindowPartitionMapping()),
        "source": dg.DimensionPartitionMapping("source", dg.IdentityPartitionMapping()),
    }
)


@dg.asset(
    group_name=GROUP,
    deps=[dg.AssetDep(EXTRACTED_SKILLS, partition_mapping=DAYS_OF_MONTH)],
    partitions_def=source_monthly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    automation_condition=on_new_data(),
    description="Skill demand per month × source: postings per region and brand, postings with each skill by "
    "method (text, title, employer tag) and employer, skills and salary of each (hashed) posting, share and its "
    "interval (analysis.demand_store, analysis.trends.demand_table), stored as Parquet stamped with the "
    "database's identity; every report aggregates these stored counts.",
    kinds={"python", "parquet"},
)
def skill_demand(context: dg.AssetExecutionContext, database: ObservatoryDatabase) -> dg.MaterializeResult:
    db, settings = database.get(), database.settings()
    identity = database_identity(db)  # a reset database's reports never read these files
    key = installation_key(settings)  # the pseudonyms of stored cells compare across runs of this installation
    months = sorted({key.split("|", 1)[0][:7] for key in context.partition_keys})
    slices = partition_slices(context)
    rows = skills = 0
    postings_by_cell: dict[str, int] = {}
    frames = []
    for source_key in slices:
        counts = demand_inputs(db, source=source_key, key=key)
        for month in months:
            month_counts = counts.where("month", month)
            # The counts reports aggregate, and the per-skill table derived from the same counts.
            cell = store_cell(
                demand_base(settings.data_dir),
                month,
                source_key,
                month_counts,
                identity=identity,
                key=key,
                language=settings.report_language,
                min_cell=settings.report_min_cell,
            )
            rows += len(cell)
            if not cell.empty:
                postings_by_cell[f"{month} {source_key}"] = int(cell["n_postings"].iloc[0])
                frames.append(cell)
    if frames:
        # By id (two skills may share a name); ties by id, not by the name in the report language.
        top = pd.concat(frames).groupby(["skill_id", "skill"], as_index=False)["n_with_skill"].sum()
        top = top.sort_values(["n_with_skill", "skill_id"], ascending=[False, True])
        skills = len(top)
    else:
        top = pd.DataFrame(columns=["skill", "n_with_skill"])
    return dg.MaterializeResult(
        metadata={
            "months": ", ".join(months) if len(months) < 4 else f"{months[0]}..{months[-1]}",
            "demand_rows": rows,
            "skills": skills,
            "cells_with_postings": len(postings_by_cell),
            "postings": dg.MetadataValue.json(postings_by_cell),
            "top_skills": dg.MetadataValue.md(markdown_table(top, ["skill", "n_with_skill"])),
            "folder": dg.MetadataValue.path(str(Path(settings.data_dir) / "demand")),
            "database_identity": identity,  # what the files carry: a report of another database rebuilds them
            "pseudonym_key_id": key.key_id,  # a digest of the key (never the key): another key rebuilds them too
        }
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


assets = [skill_embeddings, skill_clusters, skill_demand]
defs = dg.Definitions(assets=assets)
