"""Skill demand and its trends: share of postings per skill by country, portal, region and month.

``compute_demand`` reads the database once per table (aggregating in SQL, so memory grows with the
vocabulary, not with the number of postings) and returns :class:`DemandTables`: every table the
report draws, ready to export. Shares are over analysed, non-duplicate postings (see
:mod:`observatory.analysis.queries`); required and desirable mentions are separate measures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import text

from observatory.analysis.cooccurrence import skill_cooccurrence
from observatory.analysis.queries import (
    ANALYSED_POSTINGS,
    POSTING_SKILLS,
    check_period,
    previous_month,
    refresh_statistics,
    skill_name_sql,
)
from observatory.analysis.salaries import salaries_by_skill
from observatory.analysis.significance import benjamini_hochberg, increase_test
from observatory.storage import Database

log = logging.getLogger(__name__)

ALL = "all"


@dataclass
class DemandTables:
    """Demand tables for one scope (a country or ``all``) and one period (``YYYY-MM``)."""

    scope: str
    period: str | None
    previous_period: str | None
    postings: pd.DataFrame  # country, portal, month, postings (analysed, non-duplicate)
    demand: pd.DataFrame  # country, portal ('all' = every portal), month, skill_id, skill, counts, shares
    top_skills: pd.DataFrame  # the period's skills by share in the scope
    trends: pd.DataFrame  # month × top skills: share over the months up to the period
    emerging: pd.DataFrame  # previous vs current period, with the significance test
    by_region: pd.DataFrame  # region × top skills in the period
    cooccurrence: pd.DataFrame  # skill pairs in the period
    salaries: pd.DataFrame  # salary distribution by skill in the period
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, for export and Dagster metadata."""
        return {
            "postings": self.postings,
            "demand": self.demand,
            "top_skills": self.top_skills,
            "trends": self.trends,
            "emerging": self.emerging,
            "by_region": self.by_region,
            "cooccurrence": self.cooccurrence,
            "salaries": self.salaries,
        }

    @property
    def empty(self) -> bool:
        """True when the period has no analysed posting in the scope."""
        return self.period is None or self.top_skills.empty


def compute_demand(
    db: Database,
    country: str | None = None,
    period: str | None = None,
    *,
    language: str = "es",
    top_n: int = 15,
    trend_skills: int = 8,
    trend_months: int = 12,
    alpha: float = 0.05,
    min_count: int = 5,
) -> DemandTables:
    """Compute demand, trends, emerging skills, regions, co-occurrence and salaries.

    ``country`` limits everything to one country (``None``: all countries together); ``period`` is the
    month the report is about (default: the latest month with analysed postings). Emerging skills
    compare ``period`` with the month before: a one-sided test of a larger share (z-test, or Fisher's
    exact test on small counts), Benjamini–Hochberg adjusted; a skill is emerging when ``q <= alpha``
    and it appears in at least ``min_count`` postings of the period.
    """
    check_period(period)
    country = country.lower() if country else None
    scope = country or ALL
    name = skill_name_sql(language)
    params = {"country": country}
    refresh_statistics(db)
    with db.engine.connect() as conn:
        postings = pd.read_sql_query(
            text(
                f"SELECT country, portal, region, month, count(*) AS postings FROM ({ANALYSED_POSTINGS}) p "
                "GROUP BY 1, 2, 3, 4"
            ),
            conn,
            params=params,
        )
        skill_counts = pd.read_sql_query(
            text(
                f"""
                SELECT p.country, p.portal, p.region, p.month, ps.skill_id, {name} AS skill,
                       count(*) AS postings,
                       count(*) FILTER (WHERE ps.required) AS required,
                       count(*) FILTER (WHERE ps.desirable AND NOT ps.required) AS desirable
                FROM ({ANALYSED_POSTINGS}) p
                JOIN ({POSTING_SKILLS}) ps ON ps.posting_id = p.id
                JOIN canonical_skills cs ON cs.id = ps.skill_id
                GROUP BY 1, 2, 3, 4, 5, 6
                """
            ),
            conn,
            params=params,
        )
    postings["postings"] = postings["postings"].astype("int64")
    months = sorted(postings["month"].unique())
    if period is None:
        period = months[-1] if months else None
    previous = previous_month(period) if period else None
    notes: list[str] = []
    if period is not None and period not in months:
        notes.append(f"no analysed postings in {scope} for {period}")

    demand = _demand(postings, skill_counts)
    scope_demand = _scope_level(postings, skill_counts, ["month"])
    top = scope_demand[scope_demand["month"] == period].drop(columns="month")
    top = top.sort_values(["share", "skill"], ascending=[False, True]).head(top_n).reset_index(drop=True)

    window = [m for m in months if period is not None and m <= period][-trend_months:]
    trend_ids = list(top["skill_id"].head(trend_skills))
    trends = _trends(scope_demand, postings, window, trend_ids)

    emerging = _emerging(scope_demand, postings, previous, period, alpha=alpha, min_count=min_count)
    if previous is not None and previous not in months:
        notes.append(f"no analysed postings in {scope} for {previous}: growth cannot be tested")

    region_level = _scope_level(postings, skill_counts, ["month", "region"], country_in_region=country is None)
    by_region = region_level[(region_level["month"] == period) & region_level["skill_id"].isin(list(top["skill_id"]))]
    by_region = by_region.drop(columns="month").sort_values(["region", "share"], ascending=[True, False])

    cooc = skill_cooccurrence(db, country=country, period=period, language=language, top_k=top_n)
    salaries = salaries_by_skill(db, country=country, period=period, language=language)
    return DemandTables(
        scope=scope,
        period=period,
        previous_period=previous,
        postings=postings.groupby(["country", "portal", "month"], as_index=False)["postings"].sum(),
        demand=demand,
        top_skills=top,
        trends=trends,
        emerging=emerging,
        by_region=by_region.reset_index(drop=True),
        cooccurrence=cooc,
        salaries=salaries,
        notes=notes,
    )


COUNT_COLUMNS = ["postings", "required", "desirable"]


def _with_shares(counts: pd.DataFrame, totals: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = counts.merge(totals.rename(columns={"postings": "total"}), on=keys, how="left")
    out["share"] = out["postings"] / out["total"]
    out["required_share"] = out["required"] / out["total"]
    out["desirable_share"] = out["desirable"] / out["total"]
    return out


def _demand(postings: pd.DataFrame, skill_counts: pd.DataFrame) -> pd.DataFrame:
    """Country × portal × month shares, plus ``portal='all'`` rows per country and month."""
    frames = []
    for keys, portal in ((["country", "portal", "month"], None), (["country", "month"], ALL)):
        totals = postings.groupby(keys, as_index=False)["postings"].sum()
        counts = skill_counts.groupby([*keys, "skill_id", "skill"], as_index=False)[COUNT_COLUMNS].sum()
        frame = _with_shares(counts, totals, keys)
        if portal is not None:
            frame.insert(1, "portal", portal)
        frames.append(frame)
    demand = pd.concat(frames, ignore_index=True)
    return demand.sort_values(["country", "portal", "month", "share"], ascending=[True, True, True, False]).reset_index(
        drop=True
    )


def _scope_level(
    postings: pd.DataFrame, skill_counts: pd.DataFrame, keys: list[str], *, country_in_region: bool = False
) -> pd.DataFrame:
    """Shares aggregated over the whole scope at the ``keys`` level (e.g. month, or month × region)."""
    postings, skill_counts = postings.copy(), skill_counts.copy()
    if country_in_region and "region" in keys:
        # Across countries a region name alone is ambiguous; qualify it with the country.
        for frame in (postings, skill_counts):
            frame["region"] = frame["country"].str.upper() + " · " + frame["region"]
    totals = postings.groupby(keys, as_index=False)["postings"].sum()
    counts = skill_counts.groupby([*keys, "skill_id", "skill"], as_index=False)[COUNT_COLUMNS].sum()
    return _with_shares(counts, totals, keys)


def _trends(
    scope_demand: pd.DataFrame, postings: pd.DataFrame, window: list[str], skill_ids: list[str]
) -> pd.DataFrame:
    """Share per month for ``skill_ids``, with zero rows for months where a skill was not seen."""
    columns = ["month", "skill_id", "skill", "postings", "total", "share"]
    if not window or not skill_ids:
        return pd.DataFrame(columns=columns)
    totals = postings.groupby("month")["postings"].sum()
    names = scope_demand.drop_duplicates("skill_id").set_index("skill_id")["skill"]
    grid = pd.MultiIndex.from_product([window, skill_ids], names=["month", "skill_id"]).to_frame(index=False)
    found = scope_demand[["month", "skill_id", "postings"]]
    out = grid.merge(found, on=["month", "skill_id"], how="left").fillna({"postings": 0})
    out["postings"] = out["postings"].astype("int64")
    out["skill"] = out["skill_id"].map(names)
    out["total"] = out["month"].map(totals).astype("int64")
    out["share"] = out["postings"] / out["total"]
    return out[columns]


def _emerging(
    scope_demand: pd.DataFrame,
    postings: pd.DataFrame,
    previous: str | None,
    period: str | None,
    *,
    alpha: float,
    min_count: int,
) -> pd.DataFrame:
    columns = [
        "skill_id", "skill", "prev_postings", "prev_total", "cur_postings", "cur_total", "prev_share",
        "cur_share", "delta_pp", "growth", "z", "p_value", "method", "q_value", "emerging",
    ]  # fmt: skip
    totals = postings.groupby("month")["postings"].sum()
    n_prev = int(totals.get(previous, 0)) if previous else 0
    n_cur = int(totals.get(period, 0)) if period else 0
    if n_prev == 0 or n_cur == 0:
        return pd.DataFrame(columns=columns)
    cur = scope_demand[scope_demand["month"] == period].set_index("skill_id")
    prev = scope_demand[scope_demand["month"] == previous].set_index("skill_id")
    # Only skills with enough postings now are tested: fewer tests, more power where it matters.
    tested = cur[cur["postings"] >= min_count]
    rows = []
    for skill_id, row in tested.iterrows():
        x_cur = int(row["postings"])
        x_prev = int(prev["postings"].get(skill_id, 0))
        z, p, method = increase_test(x_prev, n_prev, x_cur, n_cur)
        prev_share, cur_share = x_prev / n_prev, x_cur / n_cur
        rows.append(
            {
                "skill_id": skill_id,
                "skill": row["skill"],
                "prev_postings": x_prev,
                "prev_total": n_prev,
                "cur_postings": x_cur,
                "cur_total": n_cur,
                "prev_share": prev_share,
                "cur_share": cur_share,
                "delta_pp": 100 * (cur_share - prev_share),
                "growth": (cur_share / prev_share - 1) if prev_share > 0 else float("inf"),
                "z": z,
                "p_value": p,
                "method": method,
            }
        )
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(rows)
    out["q_value"] = benjamini_hochberg(out["p_value"].tolist())
    out["emerging"] = (out["q_value"] <= alpha) & (out["cur_share"] > out["prev_share"])
    out = out.sort_values(["emerging", "q_value", "delta_pp"], ascending=[False, True, False])
    return out[columns].reset_index(drop=True)
