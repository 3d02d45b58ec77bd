"""Skill co-occurrence: how often two skills are asked for in the same posting, with Jaccard and lift.

Raw pair counts mostly repeat the most frequent skills; lift (observed / expected if independent) and
Jaccard (together / either) say which skills really go together. Each pair also carries the evidence
columns of every share: ``n_postings`` (analysable postings of the period), ``n_with_skill`` (postings
with both skills), ``share`` and its 95 % Wilson interval.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import text

from observatory.analysis.queries import ANALYSED_POSTINGS, POSTING_SKILLS, check_period, skill_name_sql
from observatory.analysis.significance import wilson_interval
from observatory.storage import Database

COLUMNS = [
    "skill_a", "skill_b", "skill_a_id", "skill_b_id", "n_postings", "n_with_skill", "share", "ci_low", "ci_high",
    "together", "postings_a", "postings_b", "jaccard", "lift",
]  # fmt: skip


def skill_cooccurrence(
    db: Database,
    country: str | None = None,
    period: str | None = None,
    *,
    language: str = "es",
    top_k: int = 15,
) -> pd.DataFrame:
    """Pairs among the ``top_k`` most demanded skills of the scope and period (``None``: every month).

    Limiting to the top skills keeps the self-join bounded on large vocabularies. ``lift`` > 1 means the
    pair appears together more often than if the two skills were independent.
    """
    check_period(period)
    name = skill_name_sql(language)
    sql = f"""
        WITH p AS (
            SELECT id FROM ({ANALYSED_POSTINGS}) a WHERE a.analysable AND (:period IS NULL OR a.month = :period)
        ),
        ps AS (SELECT s.posting_id, s.skill_id FROM ({POSTING_SKILLS}) s JOIN p ON p.id = s.posting_id),
        freq AS (SELECT skill_id, count(*) AS n FROM ps GROUP BY skill_id),
        top AS (SELECT skill_id, n FROM freq ORDER BY n DESC, skill_id LIMIT :top_k),
        pairs AS (
            SELECT a.skill_id AS a_id, b.skill_id AS b_id, count(*) AS together
            FROM ps a JOIN ps b ON a.posting_id = b.posting_id AND a.skill_id < b.skill_id
            WHERE a.skill_id IN (SELECT skill_id FROM top) AND b.skill_id IN (SELECT skill_id FROM top)
            GROUP BY 1, 2
        )
        SELECT pairs.a_id AS skill_a_id, pairs.b_id AS skill_b_id, pairs.together,
               ta.n AS postings_a, tb.n AS postings_b,
               (SELECT {name} FROM canonical_skills cs WHERE cs.id = pairs.a_id) AS skill_a,
               (SELECT {name} FROM canonical_skills cs WHERE cs.id = pairs.b_id) AS skill_b,
               (SELECT count(*) FROM p) AS n_postings
        FROM pairs JOIN top ta ON ta.skill_id = pairs.a_id JOIN top tb ON tb.skill_id = pairs.b_id
    """
    with db.engine.connect() as conn:
        frame = pd.read_sql_query(
            text(sql), conn, params={"country": country.lower() if country else None, "period": period, "top_k": top_k}
        )
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame["jaccard"] = frame["together"] / (frame["postings_a"] + frame["postings_b"] - frame["together"])
    frame["lift"] = frame["together"] * frame["n_postings"] / (frame["postings_a"] * frame["postings_b"])
    frame["n_with_skill"] = frame["together"]
    frame["share"] = frame["together"] / frame["n_postings"]
    frame["ci_low"], frame["ci_high"] = wilson_interval(frame["together"], frame["n_postings"])
    frame = frame.sort_values(["together", "lift"], ascending=[False, False])
    return frame[COLUMNS].reset_index(drop=True)
