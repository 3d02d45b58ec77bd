"""Skill extraction as a Dagster asset: the mentions of each source × day partition of postings."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg

from observatory.defs.partitions import source_daily_partitions, split_key
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
    deps=[dg.AssetKey("raw_postings")],
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[dg.AssetCheckSpec(NO_SKILL_CHECK, asset="extracted_skills")],
    group_name="skills",
    kinds={"spacy", "postgres"},
    code_version=EXTRACTOR_VERSION,
)
def extracted_skills(
    context: dg.AssetExecutionContext, database: ObservatoryDatabase
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Skill mentions of the partition's postings, extracted once per extractor version."""
    source_key, day = split_key(context)
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    end = start + timedelta(days=1)
    db = database.get()
    extractor = default_extractor()
    run = extract_postings(db, extractor, source_key=source_key, start=start, end=end)
    context.log.info("extracted %d new postings of %s on %s: %d mentions", run.postings, source_key, day, run.mentions)
    summary = partition_summary(db, extractor.version, source_key=source_key, start=start, end=end)
    yield dg.MaterializeResult(
        metadata={
            "extractor_version": extractor.version,
            "postings": summary["postings"],
            "new_postings": run.postings,
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


assets = [extracted_skills]
asset_checks: list[dg.AssetChecksDefinition] = []
sensors: list[dg.SensorDefinition] = []
schedules: list[dg.ScheduleDefinition] = []
jobs: list[dg.JobDefinition] = []
