"""Skill co-occurrence: how often two skills are asked for in the same posting, with Jaccard and lift.

Raw pair counts mostly repeat the most frequent skills; lift (observed / expected if independent) and
Jaccard (together / either) say which skills really go together. Each pair also carries the evidence
columns of every share: ``n_postings`` (analysable postings of the period), ``n_with_skill`` (postings
with both skills), ``share`` and its 95 % Wilson interval. Pairs are counted from the posting × skill rows the
``skill_demand`` asset stores (hashed posting keys, no text), so a report needs no database for them.
"""

from __future__ import annotations

import pandas as pd

from observatory.analysis.queries import check_period
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
    """:func:`cooccurrence_table` of ``country`` (``None``: every country) and ``period`` (``None``: every month),
    computed from the database with the code that stores demand (:mod:`observatory.analysis.demand_store`)."""
    from observatory.analysis.demand_store import demand_inputs
    from observatory.analysis.salaries import skill_names

    inputs = demand_inputs(db, country=country, period=check_period(period))
    return cooccurrence_table(
        inputs.posting_skills,
        int(inputs.postings["n_analysable"].sum()),
        skill_names(inputs.skills, language),
        top_k=top_k,
    )


def cooccurrence_table(
    posting_skills: pd.DataFrame, n_postings: int, names: pd.Series, *, top_k: int = 15
) -> pd.DataFrame:
    """Pairs among the ``top_k`` most demanded skills of ``posting_skills`` (``posting``, ``skill_id`` rows of
    ``n_postings`` analysable postings); ``names`` maps a ``skill_id`` to its name.

    Limiting to the top skills keeps the self-join bounded on large vocabularies. ``lift`` > 1 means the
    pair appears together more often than if the two skills were independent.
    """
    if posting_skills.empty or n_postings == 0:
        return pd.DataFrame(columns=COLUMNS)
    rows = posting_skills[["posting", "skill_id"]].drop_duplicates()
    freq = rows.groupby("skill_id").size().rename("n").reset_index()
    top = freq.sort_values(["n", "skill_id"], ascending=[False, True]).head(top_k)
    among = rows[rows["skill_id"].isin(top["skill_id"])]
    pairs = among.merge(among, on="posting", suffixes=("_a", "_b"))
    pairs = pairs[pairs["skill_id_a"] < pairs["skill_id_b"]]
    if pairs.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = pairs.groupby(["skill_id_a", "skill_id_b"]).size().rename("together").reset_index()
    frame = frame.rename(columns={"skill_id_a": "skill_a_id", "skill_id_b": "skill_b_id"})
    n_of = top.set_index("skill_id")["n"]
    frame["postings_a"] = frame["skill_a_id"].map(n_of).astype("int64")
    frame["postings_b"] = frame["skill_b_id"].map(n_of).astype("int64")
    frame["skill_a"] = frame["skill_a_id"].map(names)
    frame["skill_b"] = frame["skill_b_id"].map(names)
    frame["n_postings"] = n_postings
    frame["jaccard"] = frame["together"] / (frame["postings_a"] + frame["postings_b"] - frame["together"])
    frame["lift"] = frame["together"] * frame["n_postings"] / (frame["postings_a"] * frame["postings_b"])
    frame["n_with_skill"] = frame["together"]
    frame["share"] = frame["together"] / frame["n_postings"]
    frame["ci_low"], frame["ci_high"] = wilson_interval(frame["together"], frame["n_postings"])
    # Ties broken by the pair's ids: the same stored counts always give the same table.
    frame = frame.sort_values(
        ["together", "lift", "skill_a_id", "skill_b_id"], ascending=[False, False, True, True], kind="stable"
    )
    return frame[COLUMNS].reset_index(drop=True)
