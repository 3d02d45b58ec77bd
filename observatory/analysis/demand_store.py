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
  employer a keyed pseudonym of its folded name (no name is stored), for the employer-capped test of emerging
  skills;
* ``posting_skills``: the skills of each analysable posting, the posting a keyed pseudonym of its id, for
  co-occurrence and salaries per skill;
* ``salaries``: what each posting quoting a salary quotes (unreadable, or a monthly amount and currency), the
  plausibility being judged when a report is made, with that report's settings.

Pseudonyms are HMAC-SHA256 under the installation's secret key (:mod:`observatory.analysis.pseudonyms`): they
compare across runs of one installation, and cannot be reversed by hashing public ids or employer names.

Each file records in its Parquet metadata the identity of the database it was computed from
(:mod:`observatory.storage.identity`), the id of the pseudonym key and the layout's version: after the database
is reset (its data folder removed, another server, a restore) or the key changes, cells of the old database or
key are ignored and rebuilt, never reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import text

from observatory.analysis.pseudonyms import PseudonymKey, ephemeral_key
from observatory.analysis.queries import ANALYSED_POSTINGS, POSTING_SKILL_METHODS, check_period, skill_name_sql
from observatory.analysis.salaries import read_salaries
from observatory.storage import Database
from observatory.storage.identity import database_identity

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
POSTING_SKILL_COLUMNS = ["month", "country", "source", "posting", "skill_id"]
SALARY_COLUMNS = ["month", "country", "source", "posting", "status", "currency", "monthly"]
METHOD_COLUMNS = ["n_text", "n_title", "n_employer_tag"]

# Written into every stored file's Parquet metadata; a file without all three, or with other values, is not used.
IDENTITY_KEY = b"observatory.database_identity"
PSEUDONYM_KEY_ID = b"observatory.pseudonym_key_id"
LAYOUT_KEY = b"observatory.demand_layout"
LAYOUT = "3"  # 2: posting_skills and salaries added; 3: keyed pseudonyms (HMAC-SHA256) instead of md5


_FILTER = "(:period IS NULL OR a.month = :period) AND (:source IS NULL OR a.source = :source)"

FRAME_COLUMNS = {
    "postings": POSTING_COLUMNS,
    "skills": SKILL_COLUMNS,
    "employers": EMPLOYER_COLUMNS,
    "employer_skills": EMPLOYER_SKILL_COLUMNS,
    "posting_skills": POSTING_SKILL_COLUMNS,
    "salaries": SALARY_COLUMNS,
}


@dataclass
class DemandInputs:
    """The counts of one or more month × source cells (see the module docstring)."""

    postings: pd.DataFrame
    skills: pd.DataFrame
    employers: pd.DataFrame
    employer_skills: pd.DataFrame
    posting_skills: pd.DataFrame
    salaries: pd.DataFrame

    @classmethod
    def empty(cls) -> DemandInputs:
        return cls(*(pd.DataFrame(columns=columns) for columns in FRAME_COLUMNS.values()))

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
    db: Database,
    *,
    country: str | None = None,
    source: str | None = None,
    period: str | None = None,
    key: PseudonymKey | None = None,
) -> DemandInputs:
    """The counts of every month (or ``period``) of ``source`` (``None``: every source) in ``country``.

    Posting ids and employers become pseudonyms under ``key``: the installation's key
    (:func:`observatory.analysis.pseudonyms.installation_key`) for counts that are stored or combined with stored
    ones; by default a random key of this process, for counts used once and never written.
    """
    key = key or ephemeral_key()
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
    # One row per analysable posting × skill with the methods that found it: the skill counts, the employer
    # mentions and the stored posting skills are all aggregated from it below, so the current-mention join (the
    # costly part) runs once. Posting ids and employers are replaced by keyed pseudonyms in Python (the key never
    # goes to the server, and the embedded PostgreSQL has no pgcrypto): the stored files hold no id, name or text.
    found_sql = f"""
        SELECT a.month, a.country, a.source, a.portal, a.region, a.employer, a.day,
               a.id AS posting, ps.skill_id, ps.by_text, ps.by_title, ps.by_tag, ps.required, ps.desirable
        FROM ({ANALYSED_POSTINGS}) a
        JOIN ({POSTING_SKILL_METHODS}) ps ON ps.posting_id = a.id
        WHERE a.analysable AND {_FILTER}
    """
    names_sql = f"""
        SELECT cs.id AS skill_id, {skill_name_sql("es")} AS skill_es, {skill_name_sql("en")} AS skill_en
        FROM canonical_skills cs WHERE cs.id = ANY(:ids)
    """
    employers_sql = f"""
        SELECT a.month, a.country, a.source, a.employer, a.day, count(*) AS n
        FROM ({ANALYSED_POSTINGS}) a
        WHERE a.analysable AND {_FILTER}
        GROUP BY 1, 2, 3, 4, 5
    """
    # Title-only postings too: every analysed posting is in the salary coverage.
    salaries_sql = f"""
        SELECT a.month, a.country, a.source, a.id AS posting,
               a.salary_raw, a.salary_min, a.salary_max, a.salary_currency, a.salary_period
        FROM ({ANALYSED_POSTINGS}) a
        WHERE (a.salary_raw IS NOT NULL OR a.salary_min IS NOT NULL OR a.salary_max IS NOT NULL) AND {_FILTER}
    """
    with db.engine.connect() as conn:
        postings = pd.read_sql_query(text(postings_sql), conn, params=params)
        cutoffs = pd.read_sql_query(text(cutoff_sql), conn, params=params)
        found = pd.read_sql_query(text(found_sql), conn, params=params)
        names = pd.read_sql_query(text(names_sql), conn, params={"ids": sorted(set(found["skill_id"]))})
        employers = pd.read_sql_query(text(employers_sql), conn, params=params)
        quoted = pd.read_sql_query(text(salaries_sql), conn, params=params)
    for frame, column in ((found, "employer"), (found, "posting"), (employers, "employer"), (quoted, "posting")):
        frame[column] = key.pseudonyms(frame[column])
    skills, employer_skills, posting_skills = _skill_frames(found, names)
    salaries = pd.concat([quoted[["month", "country", "source", "posting"]], read_salaries(quoted)], axis=1)
    salaries = salaries[salaries["status"] != "none"]
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
    salaries["monthly"] = salaries["monthly"].astype("float64")
    return DemandInputs(
        postings[POSTING_COLUMNS],
        skills[SKILL_COLUMNS],
        employers[EMPLOYER_COLUMNS],
        employer_skills[EMPLOYER_SKILL_COLUMNS],
        posting_skills[POSTING_SKILL_COLUMNS],
        salaries[SALARY_COLUMNS].reset_index(drop=True),
    )


def _skill_frames(found: pd.DataFrame, names: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The skill counts per region, the mentions per employer and day, and the posting skills, from the posting ×
    skill rows. A skill is demand when the text or the title names it; the employer's tags are counted apart."""
    # bool_or of importances all unknown is NULL: not required, not desirable (as the SQL filters read it).
    flags = found[["by_text", "by_title", "by_tag", "required", "desirable"]].astype("boolean").fillna(False)
    flags = flags.astype(bool)
    demand = flags["by_text"] | flags["by_title"]
    counts = pd.DataFrame(
        {
            "n_with_skill": demand,
            "n_required": demand & flags["required"],
            "n_desirable": demand & flags["desirable"] & ~flags["required"],
            "n_text": flags["by_text"],
            "n_title": flags["by_title"],
            "n_employer_tag": flags["by_tag"],
        }
    ).astype("int64")
    keys = ["month", "country", "source", "portal", "region", "skill_id"]
    rows = pd.concat([found[keys], counts], axis=1)
    skills = rows.groupby(keys, as_index=False, dropna=False)[list(counts.columns)].sum()
    skills = skills.merge(names, on="skill_id", how="left")
    mentioned = found[demand]
    per_employer = mentioned.groupby(["month", "country", "source", "employer", "day", "skill_id"], dropna=False)
    employer_skills = per_employer.size().rename("x").reset_index()
    return skills[SKILL_COLUMNS], employer_skills[EMPLOYER_SKILL_COLUMNS], mentioned[POSTING_SKILL_COLUMNS]


# ------------------------------------------------------------------------------------ on disk


def demand_base(data_dir: Path | str) -> Path:
    """The folder of the stored demand: ``<data_dir>/demand``."""
    return Path(data_dir) / "demand"


def cell_folder(base: Path, month: str, source: str) -> Path:
    """Where the counts of one month × source live: ``<base>/<month>/<source>/``."""
    return Path(base) / month / source


def table_path(base: Path, month: str, source: str) -> Path:
    """Where the per-skill table of one month × source lives: ``<base>/<month>/<source>.parquet``."""
    return Path(base) / month / f"{source}.parquet"


def write_frame(path: Path, frame: pd.DataFrame, identity: str, key_id: str) -> Path:
    """Write ``frame`` as Parquet stamped with the database ``identity`` and the pseudonym ``key_id`` (a reader
    never sees half a file)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {
        **(table.schema.metadata or {}),
        IDENTITY_KEY: identity.encode(),
        PSEUDONYM_KEY_ID: key_id.encode(),
        LAYOUT_KEY: LAYOUT.encode(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table.replace_schema_metadata(metadata), tmp)
    tmp.replace(path)
    return path


def write_cell(base: Path, month: str, source: str, inputs: DemandInputs, *, identity: str, key_id: str) -> Path:
    """Write the counts of one month × source computed from the database ``identity`` with pseudonyms of the key
    ``key_id`` (rewritten whole)."""
    folder = cell_folder(base, month, source)
    for name, frame in inputs.frames().items():
        write_frame(folder / f"{name}.parquet", frame, identity, key_id)
    return folder


def store_cell(
    base: Path,
    month: str,
    source: str,
    inputs: DemandInputs,
    *,
    identity: str,
    key: PseudonymKey,
    language: str,
    min_cell: int,
) -> pd.DataFrame:
    """What the ``skill_demand`` asset stores for one month × source: the counts (computed with pseudonyms of
    ``key``) and the per-skill table derived from them (:func:`observatory.analysis.trends.demand_table`), which is
    returned."""
    from observatory.analysis.trends import demand_table

    write_cell(base, month, source, inputs, identity=identity, key_id=key.key_id)
    table = demand_table(inputs, language=language, min_cell=min_cell)
    write_frame(table_path(base, month, source), table, identity, key.key_id)
    return table


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


def cell_stamp(base: Path, month: str, source: str) -> tuple[str, str] | None:
    """The identity of the database a stored cell was computed from and the id of its pseudonym key; ``None``
    when a file is missing, unreadable, of an older layout, or when its files disagree (only the Parquet footers
    are read)."""
    folder = cell_folder(base, month, source)
    stamps = set()
    for name in FRAME_COLUMNS:
        try:
            metadata = pq.read_schema(folder / f"{name}.parquet").metadata or {}
        except (OSError, pa.ArrowException):
            return None
        identity, key_id = metadata.get(IDENTITY_KEY), metadata.get(PSEUDONYM_KEY_ID)
        if metadata.get(LAYOUT_KEY) != LAYOUT.encode() or not identity or not key_id:
            return None
        stamps.add((identity.decode(), key_id.decode()))
    return stamps.pop() if len(stamps) == 1 else None


def cell_origin(base: Path, month: str, source: str) -> str | None:
    """The identity of the database a stored cell was computed from (see :func:`cell_stamp`)."""
    stamp = cell_stamp(base, month, source)
    return stamp[0] if stamp else None


def read_cell(base: Path, month: str, source: str) -> DemandInputs:
    """The stored counts of one month × source."""
    folder = cell_folder(base, month, source)
    frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in FRAME_COLUMNS}
    return DemandInputs(**frames)


@dataclass
class LoadedDemand:
    """The counts a report aggregates, and where they came from."""

    inputs: DemandInputs
    not_stored: list[tuple[str, str]]  # cells never stored: computed from the database, not written
    rebuilt: list[tuple[str, str]]  # cells stored from another database, key or layout: rebuilt in place


def load_inputs(
    db: Database,
    base: Path,
    *,
    key: PseudonymKey,
    country: str | None = None,
    language: str = "es",
    min_cell: int = 10,
) -> LoadedDemand:
    """The stored counts of ``country`` (``None``: every country), checked against ``db`` and the pseudonym
    ``key`` (the installation's: :func:`observatory.analysis.pseudonyms.installation_key`).

    A cell the ``skill_demand`` asset has not stored (a report made before demand was materialised) is computed
    from ``db`` and listed in ``not_stored``: the caller says so. A cell stored from another database (the database
    was reset, replaced or restored since), under another pseudonym key (``OBSERVATORY_HASH_KEY`` or the key file
    changed) or in an older layout is never used: it is computed again from ``db`` and rewritten as the asset
    would (``language`` and ``min_cell`` shape its per-skill table), with a warning, and listed in ``rebuilt``.
    """
    from observatory.sources import SOURCES

    country = country.lower() if country else None
    sources = sorted(k for k, s in SOURCES.items() if country is None or s.country == country)
    identity = database_identity(db)
    stored = stored_cells(base, sources)
    current = [cell for cell in stored if cell_stamp(base, *cell) == (identity, key.key_id)]
    stale = [cell for cell in stored if cell not in current]
    sql = f"SELECT a.month, a.source FROM ({ANALYSED_POSTINGS}) a GROUP BY 1, 2 ORDER BY 1, 2"
    with db.engine.connect() as conn:
        in_database = [(r.month, r.source) for r in conn.execute(text(sql), {"country": country})]
    missing = [cell for cell in in_database if cell not in stored and cell[1] in sources]
    parts = [read_cell(base, month, source) for month, source in current]
    for source in sorted({s for _, s in missing + stale}):
        computed = demand_inputs(db, country=country, source=source, key=key)
        for month, _ in sorted(cell for cell in stale if cell[1] == source):
            cell = computed.where("month", month)
            parts.append(cell)
            try:
                store_cell(base, month, source, cell, identity=identity, key=key, language=language, min_cell=min_cell)
            except OSError as exc:  # a read-only data folder: the report still uses the rebuilt counts
                log.warning("could not rewrite the stored demand of %s %s: %s", month, source, exc)
        months = {m for m, s in missing if s == source}
        parts.append(DemandInputs(*(f[f["month"].isin(months)] for f in computed.frames().values())))
    if stale:
        log.warning(
            "stored demand of %d month × source cells (%s) came from another database, another pseudonym key or "
            "an older version (the database was reset, replaced or restored, or the hash key changed, since "
            "skill_demand ran): ignored, and rebuilt from the current database",
            len(stale),
            ", ".join(f"{m} {s}" for m, s in stale),
        )
    if missing:
        log.info("%d month × source cells of demand not stored; computed from the database", len(missing))
    inputs = DemandInputs.concat([p for p in parts if not p.postings.empty or not p.skills.empty])
    return LoadedDemand(inputs, missing, stale)
