"""The ESCO taxonomy as an asset: import an official ESCO CSV download into the database."""

from pathlib import Path

import dagster as dg

from observatory.defs.resources import ObservatoryDatabase
from observatory.skills.esco import import_esco


class EscoImportConfig(dg.Config):
    """Where the unzipped ESCO CSV download is, and (optionally) its release."""

    path: str
    version: str | None = None


@dg.asset(group_name="taxonomy", kinds={"postgres"})
def esco_taxonomy(
    context: dg.AssetExecutionContext, config: EscoImportConfig, database: ObservatoryDatabase
) -> dg.MaterializeResult:
    """ESCO skills, groups, occupations and relations (es + en), recorded with the ESCO release."""
    report = import_esco(database.get(), Path(config.path), version=config.version)
    context.log.info("imported ESCO %s from %s in %.1f s", report.version, config.path, report.seconds)
    return dg.MaterializeResult(
        metadata={
            "esco_version": report.version,
            "files": len(report.files),
            "seconds": round(report.seconds, 2),
            **{f"rows_{table}": count for table, count in report.rows.items()},
        }
    )


assets = [esco_taxonomy]
asset_checks: list[dg.AssetChecksDefinition] = []
sensors: list[dg.SensorDefinition] = []
schedules: list[dg.ScheduleDefinition] = []
jobs: list[dg.JobDefinition] = []
