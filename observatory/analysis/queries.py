"""SQL building blocks shared by the analyses: which postings count, and which mentions are current.

* A posting counts once: duplicates (``duplicate_of`` set, e.g. the same offer on two portals) are left out.
* A posting is *analysed* when an extractor has processed it (an ``extraction_runs`` row) or it has mentions;
  shares are taken over analysed postings only, so postings still waiting for extraction do not dilute them.
* Mentions come from the newest extractor version that processed each posting, so a re-extraction with
  a new version replaces the old mentions in every count instead of adding to them.
* Mentions in non-demand sections (benefits, company description) are left out, and so are the employer's
  skill tags (method ``portal_tag``): only some portals have them, so counting them would make a skill look
  more demanded on Computrabajo than elsewhere; they stay in ``skill_mentions`` and the exports.
* The month of a posting is that of ``date_posted`` (UTC), else of ``first_seen``.
* A posting is *analysable* when it has a description of at least ``MIN_DESCRIPTION_CHARS`` characters;
  title-only postings (listing cards never opened, feeds without text) are counted and reported apart
  and never enter a skill share's denominator: a title cannot say that Excel is *not* required.
* The employer is the company name folded to lower case; a posting without one (confidential) is its
  own employer, so that unknown employers never merge into one giant recruiter.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import text as sa_text
from sqlalchemy.exc import SQLAlchemyError

from observatory.storage import Database

log = logging.getLogger(__name__)

# Importance values as written by the extractors; anything else counts as "unspecified".
REQUIRED = ("required", "requerido", "obligatorio")
DESIRABLE = ("desirable", "preferred", "optional", "deseable", "nice_to_have")

# Sections whose skills are not demand (a course offered as a benefit, the company's own blurb), in
# case an extractor keeps them.
NON_DEMAND_SECTIONS = ("benefits", "company")

MIN_DESCRIPTION_CHARS = 40

PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

_SQL_LIST = ", ".join


def _quoted(values: tuple[str, ...]) -> str:
    return _SQL_LIST(f"'{v}'" for v in values)


ANALYSED_POSTINGS = f"""
    SELECT p.id, p.country, p.portal, p.source_key AS source, COALESCE(NULLIF(TRIM(p.region), ''), '—') AS region,
           to_char(COALESCE(p.date_posted, p.first_seen) AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
           EXTRACT(DAY FROM COALESCE(p.date_posted, p.first_seen) AT TIME ZONE 'UTC')::int AS day,
           (COALESCE(p.date_posted, p.first_seen) AT TIME ZONE 'UTC')::date AS posted,
           char_length(btrim(COALESCE(p.description, ''))) >= {MIN_DESCRIPTION_CHARS} AS analysable,
           COALESCE(NULLIF(lower(btrim(p.company)), ''), 'posting:' || p.id) AS employer,
           p.salary_raw, p.salary_min, p.salary_max, p.salary_currency, p.salary_period
    FROM postings p
    WHERE p.duplicate_of IS NULL
      AND (:country IS NULL OR p.country = :country)
      AND (EXISTS (SELECT 1 FROM extraction_runs e WHERE e.posting_id = p.id)
           OR EXISTS (SELECT 1 FROM skill_mentions m WHERE m.posting_id = p.id))
"""

# The mentions that can be demand, one row per mention: those of the newest extractor version that processed
# each posting (a re-extraction replaces the old mentions instead of adding to them), outside non-demand
# sections. Every count of demand starts here, the live queries and the stored demand alike, so the two
# cannot drift apart; the employer's tags are still in (``method = 'portal_tag'``), each user decides.
DEMAND_MENTIONS = f"""
    SELECT m.*
    FROM skill_mentions m
    LEFT JOIN (
        SELECT DISTINCT ON (posting_id) posting_id, extractor_version
        FROM extraction_runs
        ORDER BY posting_id, extracted_at DESC, extractor_version DESC
    ) latest ON latest.posting_id = m.posting_id
    WHERE (latest.posting_id IS NULL OR latest.extractor_version = m.extractor_version)
      AND (m.section IS NULL OR m.section NOT IN ({_quoted(NON_DEMAND_SECTIONS)}))
"""

# One row per posting × skill from the current extractor version of that posting, employer tags left out.
POSTING_SKILLS = f"""
    SELECT m.posting_id, m.skill_id,
           bool_or(m.importance IN ({_quoted(REQUIRED)})) AS required,
           bool_or(m.importance IN ({_quoted(DESIRABLE)})) AS desirable
    FROM ({DEMAND_MENTIONS}) m
    WHERE m.method <> 'portal_tag'
    GROUP BY m.posting_id, m.skill_id
"""

# The same posting × skill rows with the methods that found the skill: ``by_text`` (the description),
# ``by_title``, ``by_tag`` (the employer's tags, never demand: importance is read from the other methods).
# ``by_text OR by_title`` selects exactly the rows of :data:`POSTING_SKILLS`.
POSTING_SKILL_METHODS = f"""
    SELECT m.posting_id, m.skill_id,
           bool_or(m.method NOT IN ('title', 'portal_tag')) AS by_text,
           bool_or(m.method = 'title') AS by_title,
           bool_or(m.method = 'portal_tag') AS by_tag,
           bool_or(m.method <> 'portal_tag' AND m.importance IN ({_quoted(REQUIRED)})) AS required,
           bool_or(m.method <> 'portal_tag' AND m.importance IN ({_quoted(DESIRABLE)})) AS desirable
    FROM ({DEMAND_MENTIONS}) m
    GROUP BY m.posting_id, m.skill_id
"""


# The last moment the data of a scope covers: the newest crawl or posting date. A month is complete
# only when the data reaches past its last day.
DATA_CUTOFF = """
    SELECT max(GREATEST(p.first_seen, p.last_seen, COALESCE(p.date_posted, p.first_seen)) AT TIME ZONE 'UTC')
    FROM postings p
    WHERE p.duplicate_of IS NULL AND (:country IS NULL OR p.country = :country)
"""


def check_period(period: str | None) -> str | None:
    """Validate a ``YYYY-MM`` period; ``None`` passes through."""
    if period is not None and not PERIOD_RE.match(period):
        raise ValueError(f"period must look like 2026-10 (YYYY-MM), got {period!r}")
    return period


def previous_month(period: str) -> str:
    """The month before ``YYYY-MM``."""
    year, month = (int(x) for x in period.split("-"))
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


def skill_name_sql(language: str) -> str:
    """SQL expression for a skill's display name in ``language`` (falls back to ``name``)."""
    column = {"es": "name_es", "en": "name_en"}.get(language)
    if column is None:
        raise ValueError(f"language must be 'es' or 'en', got {language!r}")
    return f"COALESCE(NULLIF(cs.{column}, ''), cs.name)"


ANALYSED_TABLES = ("postings", "skill_mentions", "extraction_runs", "canonical_skills")


def refresh_statistics(db: Database, tables: tuple[str, ...] = ANALYSED_TABLES, stale_share: float = 0.2) -> list[str]:
    """ANALYZE the tables whose planner statistics are missing or stale; return their names.

    Right after a bulk load (a crawl and extraction, the demo) autovacuum has not analysed the new
    rows yet, and without statistics PostgreSQL picks plans that make the demand queries ~50 times
    slower. Tables the role may not analyse are skipped with a log line.
    """
    # Compare the table's size now with its size at the last ANALYZE (relpages): O(1), and unlike
    # pg_stat_user_tables it does not lag behind writes that just committed.
    sql = sa_text(
        "SELECT c.relname, c.reltuples, c.relpages, "
        "pg_relation_size(c.oid) / current_setting('block_size')::int AS pages "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = ANY(:tables) AND c.relkind = 'r' AND n.nspname = current_schema()"
    )
    with db.engine.connect() as conn:
        rows = conn.execute(sql, {"tables": list(tables)}).all()
    stale = [
        r.relname
        for r in rows
        if r.pages > 0 and (r.reltuples < 0 or abs(r.pages - r.relpages) > stale_share * r.relpages + 8)
    ]
    done = []
    for table in stale:
        try:
            with db.engine.begin() as conn:
                conn.execute(sa_text(f'ANALYZE "{table}"'))
            done.append(table)
        except SQLAlchemyError as exc:
            log.warning("could not ANALYZE %s (%s); demand queries may be slow", table, type(exc).__name__)
    return done
