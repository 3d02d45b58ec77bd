"""The ESCO taxonomy as an asset: import an official ESCO CSV download into the database."""

from pathlib import Path
from typing import Any

import dagster as dg
from sqlalchemy import func, select

from observatory.defs.resources import ObservatoryDatabase
from observatory.skills.esco import EscoError, import_esco
from observatory.storage.models import EscoSkill


class EscoImportConfig(dg.Config):
    """Where the unzipped ESCO CSV download is, and (optionally) its release; no path records what is in use."""

    path: str | None = None
    version: str | None = None


@dg.asset(group_name="taxonomy", kinds={"postgres"})
def esco_taxonomy(
    context: dg.AssetExecutionContext, config: EscoImportConfig, database: ObservatoryDatabase
) -> dg.MaterializeResult:
    """ESCO skills, groups, occupations and relations (es + en), recorded with the ESCO release.

    Upstream of extraction. Without a ``path`` nothing is imported: the materialisation records the taxonomy the
    extractor will use (the imported release, else the one bundled with the package).
    """
    if config.path is None:
        return dg.MaterializeResult(metadata=_taxonomy_in_use(database))
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


def _taxonomy_in_use(database: ObservatoryDatabase) -> dict[str, Any]:
    with database.get().session() as session:
        skills = session.scalar(select(func.count()).select_from(EscoSkill)) or 0
        version = session.scalar(select(func.max(EscoSkill.esco_version))) if skills else None
    if skills:
        return {"source": "imported", "esco_version": str(version or ""), "rows_esco_skills": int(skills)}
    return {"source": "bundled with the package", "esco_version": _bundled_version(), "rows_esco_skills": 0}


def _bundled_version() -> str:
    try:
        from observatory.skills.esco_bundle import bundle_path

        return bundle_path().name
    except (ImportError, EscoError):  # no bundle shipped: the vocabulary's own ESCO URIs only
        return "none"


defs = dg.Definitions(assets=[esco_taxonomy])
