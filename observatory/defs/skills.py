"""Skill extraction as a Dagster asset: the mentions of each source × day partition of postings.

A run covers one partition or a range of them (single-run backfills: a landed file or an ingest over many
days is one run, not one per day); postings are found by their own day, as the loader announced them.
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg

from observatory.defs.partitions import on_new_data, partition_slices, source_daily_partitions
from observatory.defs.resources import ObservatoryDatabase
from observatory.skills.extractor import EXTRACTOR_VERSION, default_extractor
from observatory.skills.store import extract_postings, partition_summary

# Above this share of postings without a single skill, extraction (or the crawl) is probably broken:
# even non-technical postings ask for a language, an office tool or a soft skill.
MAX_SHARE_WITHOUT_SKILLS = 0.6

NO_SKILL_CHECK = "share_without_skills"


def _markdown_top(top: list[tuple[str, int]]) -> str:
    if not top:
        return "_no skills_"
    lines = ["| skill | postings |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in top]
    return "\n".join(lines)


@dg.asset(
    partitions_def=source_daily_partitions,
    deps=[dg.AssetKey("raw_postings"), dg.AssetKey("esco_taxonomy")],
    backfill_policy=dg.BackfillPolicy.single_run(),
    # A new taxonomy import must not re-run every day of history: the extractor's code_version decides that.
    automation_condition=on_new_data(ignore=dg.AssetSelection.keys("esco_taxonomy")),
    check_specs=[dg.AssetCheckSpec(NO_SKILL_CHECK, asset="extracted_skills")],
    group_name="skills",
    kinds={"spacy", "postgres"},
    code_version=EXTRACTOR_VERSION,
)
def extracted_skills(
    context: dg.AssetExecutionContext, database: ObservatoryDatabase
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Skill mentions of the partitions' postings, extracted once per extractor version."""
    db = database.get()
    extractor = default_extractor()
    totals: dict[str, Any] = {"postings": 0, "mentions": 0, "without_skills": 0, "new": 0, "oversize": 0}
    esco_weighted = 0.0
    top: dict[str, int] = {}
    for source_key, (start, end) in partition_slices(context).items():
        run = extract_postings(db, extractor, source_key=source_key, start=start, end=end)
        context.log.info(
            f"extracted {run.postings} new postings of {source_key} in [{start:%Y-%m-%d}, {end:%Y-%m-%d}): "
            f"{run.mentions} mentions"
        )
        part = partition_summary(db, extractor.version, source_key=source_key, start=start, end=end)
        totals["new"] += run.postings
        totals["oversize"] += run.oversize
        for key in ("postings", "mentions", "without_skills"):
            totals[key] += part[key]
        esco_weighted += part["esco_coverage"] * part["mentions"]
        for name, count in part["top_skills"]:
            top[name] = top.get(name, 0) + count
    postings, mentions = totals["postings"], totals["mentions"]
    share = totals["without_skills"] / postings if postings else 0.0
    summary = {
        "postings": postings,
        "mentions": mentions,
        "without_skills": totals["without_skills"],
        "share_without_skills": share,
        "mentions_per_posting": mentions / postings if postings else 0.0,
        "esco_coverage": esco_weighted / mentions if mentions else 0.0,
        "top_skills": sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
    }
    yield dg.MaterializeResult(
        metadata={
            "extractor_version": extractor.version,
            "postings": summary["postings"],
            "new_postings": totals["new"],
            # Postings longer than extraction reads: skipped and counted rather than failing the partition.
            "skipped_oversize": totals["oversize"],
            "mentions": summary["mentions"],
            "mentions_per_posting": round(summary["mentions_per_posting"], 2),
            "esco_coverage": dg.MetadataValue.float(round(summary["esco_coverage"], 3)),
            "share_without_skills": dg.MetadataValue.float(round(summary["share_without_skills"], 3)),
            "top_skills": dg.MetadataValue.md(_markdown_top(summary["top_skills"])),
        }
    )
    share = summary["share_without_skills"]
    yield dg.AssetCheckResult(
        check_name=NO_SKILL_CHECK,
        passed=bool(summary["postings"] == 0 or share <= MAX_SHARE_WITHOUT_SKILLS),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "postings": summary["postings"],
            "without_skills": summary["without_skills"],
            "share_without_skills": dg.MetadataValue.float(round(share, 3)),
            "threshold": dg.MetadataValue.float(MAX_SHARE_WITHOUT_SKILLS),
        },
    )


defs = dg.Definitions(assets=[extracted_skills])
