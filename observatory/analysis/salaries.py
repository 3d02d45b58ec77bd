"""Salary distributions by skill, from postings that publish a salary (midpoint of the range).

Currencies and pay periods are never mixed or converted: each row is one skill × currency × period.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import text

from observatory.analysis.queries import ANALYSED_POSTINGS, POSTING_SKILLS, check_period, skill_name_sql
from observatory.storage import Database

COLUMNS = ["skill_id", "skill", "currency", "salary_period", "postings", "p25", "median", "p75"]


def salaries_by_skill(
    db: Database,
    country: str | None = None,
    period: str | None = None,
    *,
    language: str = "es",
    min_postings: int = 3,
) -> pd.DataFrame:
    """Quartiles of the salary midpoint per skill, currency and pay period (``min_postings`` or more)."""
    check_period(period)
    name = skill_name_sql(language)
    sql = f"""
        WITH p AS (
            SELECT id, salary_currency AS currency, COALESCE(salary_period, 'unknown') AS salary_period,
                   (COALESCE(salary_min, salary_max) + COALESCE(salary_max, salary_min)) / 2.0 AS midpoint
            FROM ({ANALYSED_POSTINGS}) a
            WHERE (:period IS NULL OR a.month = :period)
              AND (salary_min IS NOT NULL OR salary_max IS NOT NULL) AND salary_currency IS NOT NULL
        )
        SELECT ps.skill_id, {name} AS skill, p.currency, p.salary_period, count(*) AS postings,
               percentile_cont(0.25) WITHIN GROUP (ORDER BY p.midpoint) AS p25,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY p.midpoint) AS median,
               percentile_cont(0.75) WITHIN GROUP (ORDER BY p.midpoint) AS p75
        FROM p JOIN ({POSTING_SKILLS}) ps ON ps.posting_id = p.id
        JOIN canonical_skills cs ON cs.id = ps.skill_id
        GROUP BY 1, 2, 3, 4
        HAVING count(*) >= :min_postings
        ORDER BY postings DESC, skill
    """
    with db.engine.connect() as conn:
        frame = pd.read_sql_query(
            text(sql),
            conn,
            params={"country": country.lower() if country else None, "period": period, "min_postings": min_postings},
        )
    return frame[COLUMNS] if not frame.empty else pd.DataFrame(columns=COLUMNS)
