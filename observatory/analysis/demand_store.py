"""The counts behind every demand figure, per month × source: computed from the database, stored as Parquet.

The ``skill_demand`` asset writes one :class:`DemandInputs` per month × source under
``<data_dir>/demand/<month>/<source>/`` (plus the plain per-skill table ``<source>.parquet`` derived from it);
reports read them back (:func:`load_inputs`) and aggregate them, so a report and the stored demand are one
set of numbers. Each cell holds:

* ``postings``: analysed postings per region and brand (ZonaJobs and Bumeran share one source), analysable
  and title-only, first and last posting date, and the newest moment the source's data reaches;
* ``skills``: postings with each skill per region, by importance and by method: ``n_text`` (the description),
  ``n_title`` (the title), ``n_employer_tag`` (the portal's employer tags, which never enter ``n_with_skill``);
* ``employers`` and ``employer_skills``: analysable postings and skill mentions per employer and day, the
  employer a hash of its folded name (no name is stored), for the employer-capped test of emerging skills.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from observatory.analysis.queries import (
    ANALYSED_POSTINGS,
    DESIRABLE,
    NON_DEMAND_SECTIONS,
    REQUIRED,
    check_period,
    skill_name_sql,
)
from observatory.storage import Database

log = logging.getLogger(__name__)

POSTING_COLUMNS = [
    "month", "country", "source", "portal", "brand", "region", "n_analysable", "n_title_only",
    "first_posted", "last_posted", "data_until",
]  # fmt: skip
SKILL_COLUMNS = [
    "month", "country", "source", "portal", "region", "skill_id", "skill_es", "skill_en", "n_with_skill",
    "n_required", "n_desirable", "n_text", "n_title", "n_employer_tag",
]  # fmt: skip
EMPLOYER_COLUMNS = ["month", "country", "source", "employer", "day", "n"]
EMPLOYER_SKILL_COLUMNS = ["month", "country", "source", "employer", "day", "skill_id", "x"]
METHOD_COLUMNS = ["n_text", "n_title", "n_employer_tag"]


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# One row per posting × skill of the posting's current extractor version, demand sections only (the rules of
# queries.POSTING_SKILLS), with the methods that found it; employer tags are kept here but flagged apart.
POSTING_SKILL_METHODS = f"""
    SELECT m.posting_id, m.skill_id,
           bool_or(m.method NOT IN ('title', 'portal_tag')) AS by_text,
           bool_or(m.method = 'title') AS by_title,
           bool_or(m.method = 'portal_tag') AS by_tag,
           bool_or(m.method <> 'portal_tag' AND m.importance IN ({_quoted(REQUIRED)})) AS required,
           bool_or(m.method <> 'portal_tag' AND m.importance IN ({_quoted(DESIRABLE)})) AS desirable
    FROM skill_mentions m
    LEFT JOIN (
        SELECT DISTINCT ON (posting_id) posting_id, extractor_version
        FROM extraction_runs
        ORDER BY posting_id, extracted_at DESC, extractor_version DESC
    ) latest ON latest.posting_id = m.posting_id
    WHERE (latest.posting_id IS NULL OR latest.extractor_version = m.extractor_version)
      AND (m.section IS NULL OR m.section NOT IN ({_quoted(NON_DEMAND_SECTIONS)}))
    GROUP BY m.posting_id, m.skill_id
"""

_FILTER = "(:period IS NULL OR a.month = :period) AND (:source IS NULL OR a.source = :source)"


@dataclass
class DemandInputs:
    """The counts of one or more month × source cells (see the module docstring)."""

    postings: pd.DataFrame
    skills: pd.DataFrame
    employers: pd.DataFrame
    employer_skills: pd.DataFrame

    @classmethod
    def empty(cls) -> DemandInputs:
        return cls(
            pd.DataFrame(columns=POSTING_COLUMNS),
            pd.DataFrame(columns=SKILL_COLUMNS),
            pd.DataFrame(columns=EMPLOYER_COLUMNS),
            pd.DataFrame(columns=EMPLOYER_SKILL_COLUMNS),
        )

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def where(self, mask_of: str, value: str) -> DemandInputs:
        """The rows whose column ``mask_of`` equals ``value`` (e.g. one month)."""
        return DemandInputs(*(frame[frame[mask_of] == value] for frame in self.frames().values()))

    @property
    def months(self) -> list[str]:
        return sorted(set(self.postings["month"]))

    @staticmethod
    def concat(parts: list[DemandInputs]) -> DemandInputs:
        if not parts:
            return DemandInputs.empty()
        return DemandInputs(
            *(pd.concat([getattr(p, f.name) for p in parts], ignore_index=True) for f in fields(DemandInputs))
        )


def demand_inputs(
    db: Database, *, country: str | None = None, source: str | None = None, period: str | None = None
) -> DemandInputs:
    """The counts of every month (or ``period``) of ``source`` (``None``: every source) in ``country``."""
    check_period(period)
    params = {"country": country.lower() if country else None, "period": period, "source": source}
    postings_sql = f"""
        SELECT a.month, a.country, a.source, a.portal,
               COALESCE(NULLIF(lower(po.raw->>'brand'), ''), a.portal) AS brand, a.region,
               count(*) FILTER (WHERE a.analysable) AS n_analysable,
               count(*) FILTER (WHERE NOT a.analysable) AS n_title_only,
               min(a.posted) AS first_posted, max(a.posted) AS last_posted
        FROM ({ANALYSED_POSTINGS}) a JOIN postings po ON po.id = a.id
        WHERE {_FILTER}
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 5, 6
    """
    # The newest moment each source's data reaches (any month): what tells whether a month is complete.
    cutoff_sql = """
        SELECT p.source_key AS source,
               max(GREATEST(p.first_seen, p.last_seen, COALESCE(p.date_posted, p.first_seen)) AT TIME ZONE 'UTC')
                 AS data_until
        FROM postings p
        WHERE p.duplicate_of IS NULL AND (:country IS NULL OR p.country = :country)
          AND (:source IS NULL OR p.source_key = :source)
        GROUP BY 1
    """
    skills_sql = f"""
        SELECT a.month, a.country, a.source, a.portal, a.region, ps.skill_id,
               {skill_name_sql("es")} AS skill_es, {skill_name_sql("en")} AS skill_en,
               count(*) FILTER (WHERE ps.by_text OR ps.by_title) AS n_with_skill,
               count(*) FILTER (WHERE (ps.by_text OR ps.by_title) AND ps.required) AS n_required,
               count(*) FILTER (WHERE (ps.by_text OR ps.by_title) AND ps.desirable AND NOT ps.required)
                 AS n_desirable,
               count(*) FILTER (WHERE ps.by_text) AS n_text,
               count(*) FILTER (WHERE ps.by_title) AS n_title,
               count(*) FILTER (WHERE ps.by_tag) AS n_employer_tag
        FROM ({ANALYSED_POSTINGS}) a
        JOIN ({POSTING_SKILL_METHODS}) ps ON ps.posting_id = a.id
        JOIN canonical_skills cs ON cs.id = ps.skill_id
        WHERE a.analysable AND {_FILTER}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    """
    employers_sql = f"""
        SELECT a.month, a.country, a.source, md5(a.employer) AS employer, a.day, count(*) AS n
        FROM ({ANALYSED_POSTINGS}) a
        WHERE a.analysable AND {_FILTER}
        GROUP BY 1, 2, 3, 4, 5
    """
    employer_skills_sql = f"""
        SELECT a.month, a.country, a.source, md5(a.employer) AS employer, a.day, ps.skill_id, count(*) AS x
        FROM ({ANALYSED_POSTINGS}) a
        JOIN ({POSTING_SKILL_METHODS}) ps ON ps.posting_id = a.id AND (ps.by_text OR ps.by_title)
        WHERE a.analysable AND {_FILTER}
        GROUP BY 1, 2, 3, 4, 5, 6
    """
    with db.engine.connect() as conn:
        postings = pd.read_sql_query(text(postings_sql), conn, params=params)
        cutoffs = pd.read_sql_query(text(cutoff_sql), conn, params=params)
        skills = pd.read_sql_query(text(skills_sql), conn, params=params)
        employers = pd.read_sql_query(text(employers_sql), conn, params=params)
        employer_skills = pd.read_sql_query(text(employer_skills_sql), conn, params=params)
    postings = postings.merge(cutoffs, on="source", how="left")
    postings["data_until"] = pd.to_datetime(postings["data_until"])
    for frame, columns in (
        (postings, ["n_analysable", "n_title_only"]),
        (skills, ["n_with_skill", "n_required", "n_desirable", *METHOD_COLUMNS]),
        (employers, ["day", "n"]),
        (employer_skills, ["day", "x"]),
    ):
        for column in columns:
            frame[column] = frame[column].astype("int64")
    return DemandInputs(
        postings[POSTING_COLUMNS],
        skills[SKILL_COLUMNS],
        employers[EMPLOYER_COLUMNS],
        employer_skills[EMPLOYER_SKILL_COLUMNS],
    )


# ------------------------------------------------------------------------------------ on disk


def demand_base(data_dir: Path | str) -> Path:
    """The folder of the stored demand: ``<data_dir>/demand``."""
    return Path(data_dir) / "demand"


def cell_folder(base: Path, month: str, source: str) -> Path:
    """Where the counts of one month × source live: ``<base>/<month>/<source>/``."""
    return Path(base) / month / source


def write_cell(base: Path, month: str, source: str, inputs: DemandInputs) -> Path:
    """Write the counts of one month × source (rewritten whole: re-running is safe)."""
    folder = cell_folder(base, month, source)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in inputs.frames().items():
        tmp = folder / f".{name}.parquet.tmp"
        frame.to_parquet(tmp, index=False)
        tmp.replace(folder / f"{name}.parquet")  # a reader never sees half a file
    return folder


def stored_cells(base: Path, sources: list[str] | None = None) -> list[tuple[str, str]]:
    """``(month, source)`` of every stored cell (of ``sources`` when given), sorted."""
    base = Path(base)
    if not base.is_dir():
        return []
    cells = []
    for month_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        for cell in sorted(p for p in month_dir.iterdir() if p.is_dir() and (p / "postings.parquet").is_file()):
            if sources is None or cell.name in sources:
                cells.append((month_dir.name, cell.name))
    return cells


def read_cell(base: Path, month: str, source: str) -> DemandInputs:
    """The stored counts of one month × source."""
    folder = cell_folder(base, month, source)
    frames = {f.name: pd.read_parquet(folder / f"{f.name}.parquet") for f in fields(DemandInputs)}
    return DemandInputs(**frames)


def load_inputs(db: Database, base: Path, *, country: str | None = None) -> tuple[DemandInputs, list[tuple[str, str]]]:
    """The stored counts of ``country`` (``None``: every country), with cells not stored computed from ``db``.

    Returns the counts and the ``(month, source)`` cells that had to be computed because the ``skill_demand``
    asset has not stored them (a report made before demand was materialised): the caller says so.
    """
    from observatory.sources import SOURCES

    country = country.lower() if country else None
    sources = sorted(k for k, s in SOURCES.items() if country is None or s.country == country)
    stored = set(stored_cells(base, sources))
    sql = f"SELECT a.month, a.source FROM ({ANALYSED_POSTINGS}) a GROUP BY 1, 2 ORDER BY 1, 2"
    with db.engine.connect() as conn:
        in_database = [(r.month, r.source) for r in conn.execute(text(sql), {"country": country})]
    missing = [cell for cell in in_database if cell not in stored and cell[1] in sources]
    parts = [read_cell(base, month, source) for month, source in sorted(stored)]
    for source in sorted({s for _, s in missing}):
        computed = demand_inputs(db, country=country, source=source)
        months = {m for m, s in missing if s == source}
        parts.append(DemandInputs(*(f[f["month"].isin(months)] for f in computed.frames().values())))
    if missing:
        log.info("%d month × source cells of demand not stored; computed from the database", len(missing))
    inputs = DemandInputs.concat([p for p in parts if not p.postings.empty or not p.skills.empty])
    return inputs, missing
