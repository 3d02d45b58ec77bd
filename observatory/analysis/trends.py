"""Skill demand and its trends: share of postings per skill by country, portal, region and month.

Every share is published with its evidence: ``n_with_skill`` (numerator), ``n_postings`` (denominator:
analysable postings, i.e. with a description; title-only postings are counted apart in ``n_title_only``),
``share`` and a 95 % Wilson interval ``ci_low``/``ci_high``; ``suppressed`` marks cells over fewer than
``min_cell`` postings, which charts grey out. :func:`skill_demand` is the plain per month × source × skill
table (what a partitioned Dagster asset stores); :func:`compute_demand` builds every table of a report.
Queries aggregate in SQL, so memory grows with the vocabulary and the number of employers, not postings.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import text

from observatory.analysis.cooccurrence import skill_cooccurrence
from observatory.analysis.queries import (
    ANALYSED_POSTINGS,
    DATA_CUTOFF,
    POSTING_SKILLS,
    check_period,
    previous_month,
    refresh_statistics,
    skill_name_sql,
)
from observatory.analysis.salaries import SalaryTables, salaries_by_skill
from observatory.analysis.significance import (
    EVIDENCE_COLUMNS,
    benjamini_hochberg,
    employer_weights,
    increase_test,
    with_evidence,
)
from observatory.storage import Database

log = logging.getLogger(__name__)

ALL = "all"
DEMAND_COLUMNS = [
    "month", "country", "source", "portal", "skill_id", "skill", *EVIDENCE_COLUMNS,
    "n_required", "n_desirable", "n_title_only", "suppressed",
]  # fmt: skip


# ------------------------------------------------------------------------------------ plain tables


def posting_counts(
    db: Database, *, period: str | None = None, source: str | None = None, country: str | None = None
) -> pd.DataFrame:
    """Analysed postings per month × source × region: ``n_analysable``, ``n_title_only``, first/last date.

    Only extracted, non-duplicate postings count (see :mod:`observatory.analysis.queries`).
    """
    check_period(period)
    sql = f"""
        SELECT month, country, source, portal, region,
               count(*) FILTER (WHERE analysable) AS n_analysable,
               count(*) FILTER (WHERE NOT analysable) AS n_title_only,
               min(posted) AS first_posted, max(posted) AS last_posted
        FROM ({ANALYSED_POSTINGS}) a
        WHERE (:period IS NULL OR a.month = :period) AND (:source IS NULL OR a.source = :source)
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 5
    """
    params = {"country": country.lower() if country else None, "period": period, "source": source}
    with db.engine.connect() as conn:
        frame = pd.read_sql_query(text(sql), conn, params=params)
    for column in ("n_analysable", "n_title_only"):
        frame[column] = frame[column].astype("int64")
    return frame


def months_with_postings(db: Database, country: str | None = None) -> dict[str, int]:
    """Analysed postings (analysable or title-only) per ``YYYY-MM`` month of ``country`` (``None``: all)."""
    sql = f"SELECT month, count(*) AS n FROM ({ANALYSED_POSTINGS}) a GROUP BY 1 ORDER BY 1"
    with db.engine.connect() as conn:
        rows = conn.execute(text(sql), {"country": country.lower() if country else None}).all()
    return {str(r.month): int(r.n) for r in rows}


def _skill_counts(
    db: Database, *, period: str | None, source: str | None, country: str | None, language: str
) -> pd.DataFrame:
    name = skill_name_sql(language)
    sql = f"""
        SELECT p.month, p.country, p.source, p.portal, p.region, ps.skill_id, {name} AS skill,
               count(*) AS n_with_skill,
               count(*) FILTER (WHERE ps.required) AS n_required,
               count(*) FILTER (WHERE ps.desirable AND NOT ps.required) AS n_desirable
        FROM ({ANALYSED_POSTINGS}) p
        JOIN ({POSTING_SKILLS}) ps ON ps.posting_id = p.id
        JOIN canonical_skills cs ON cs.id = ps.skill_id
        WHERE p.analysable AND (:period IS NULL OR p.month = :period) AND (:source IS NULL OR p.source = :source)
        GROUP BY 1, 2, 3, 4, 5, 6, 7
    """
    params = {"country": country.lower() if country else None, "period": period, "source": source}
    with db.engine.connect() as conn:
        frame = pd.read_sql_query(text(sql), conn, params=params)
    for column in ("n_with_skill", "n_required", "n_desirable"):
        frame[column] = frame[column].astype("int64")
    return frame


def skill_demand(
    db: Database,
    *,
    period: str | None = None,
    source: str | None = None,
    country: str | None = None,
    language: str = "es",
    min_cell: int = 10,
) -> pd.DataFrame:
    """Demand per month × source × skill, with the evidence behind every share. Stable API.

    Filters: ``period`` (``YYYY-MM``; ``None``: every month), ``source`` (a key of
    :data:`observatory.sources.SOURCES`, e.g. ``co-computrabajo``; ``None``: every source), ``country``.
    Columns (:data:`DEMAND_COLUMNS`): ``month``, ``country``, ``source``, ``portal``, ``skill_id``,
    ``skill`` (name in ``language``), ``n_postings`` (analysable postings of the month and source: the
    denominator), ``n_with_skill`` (those mentioning the skill: the numerator), ``share``, ``ci_low`` and
    ``ci_high`` (95 % Wilson interval), ``n_required``/``n_desirable`` (mentions marked so),
    ``n_title_only`` (postings of the month and source without analysable text, never in the
    denominator) and ``suppressed`` (``n_postings < min_cell``: do not publish the share as such).
    A skill not mentioned in a month and source has no row (its share there is 0). Idempotent and
    read-only: the same database gives the same table.
    """
    check_period(period)
    skills = _skill_counts(db, period=period, source=source, country=country, language=language)
    counts = posting_counts(db, period=period, source=source, country=country)
    keys = ["month", "country", "source", "portal"]
    totals = counts.groupby(keys, as_index=False)[["n_analysable", "n_title_only"]].sum()
    totals = totals.rename(columns={"n_analysable": "n_postings"})
    per_source = skills.groupby([*keys, "skill_id", "skill"], as_index=False)[
        ["n_with_skill", "n_required", "n_desirable"]
    ].sum()
    frame = per_source.merge(totals, on=keys, how="left")
    frame = with_evidence(frame, min_cell)
    frame = frame.sort_values(["month", "source", "n_with_skill", "skill"], ascending=[True, True, False, True])
    return frame[DEMAND_COLUMNS].reset_index(drop=True)


# ------------------------------------------------------------------------------------ the report's tables


@dataclass
class Coverage:
    """What stands behind a report: postings, portals, dates and how complete the period is."""

    n_postings: int  # analysable postings of the period in the scope
    n_title_only: int
    portals: list[str]
    first_date: date | None
    last_date: date | None
    data_until: datetime | None  # the newest crawl or posting date of the scope
    complete: bool  # the data reaches past the period's last day
    comparison: str  # "complete_months" or "same_days"
    comparison_days: int | None  # days 1..N of both months when comparison == "same_days"


@dataclass
class DemandTables:
    """Demand tables for one scope (a country or ``all``) and one period (``YYYY-MM``)."""

    scope: str
    period: str | None
    previous_period: str | None
    postings: pd.DataFrame  # country, portal, month: postings collected, analysable (share), title-only
    demand: pd.DataFrame  # country, portal ('all' = every portal), month, skill: evidence columns
    top_skills: pd.DataFrame  # the period's skills by number of postings in the scope
    trends: pd.DataFrame  # month × top skills over the months up to the period
    emerging: pd.DataFrame  # previous vs current period, employer-capped test
    by_region: pd.DataFrame  # region × top skills in the period
    regions: pd.DataFrame  # the period's postings per region (share of the scope's postings)
    countries: pd.DataFrame  # the period's postings per country (for the map)
    cooccurrence: pd.DataFrame  # skill pairs in the period, with Jaccard and lift
    salaries: pd.DataFrame  # monthly salary quartiles per skill and currency, with coverage
    salary_quality: pd.DataFrame  # postings per salary status (none, parsed, unparsed, implausible, unchecked)
    coverage: Coverage | None = None
    min_cell: int = 10
    notes: list[str] = field(default_factory=list)  # warnings: small samples, partial month, exclusions

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, for export and Dagster metadata."""
        return {
            "postings": self.postings,
            "demand": self.demand,
            "top_skills": self.top_skills,
            "trends": self.trends,
            "emerging": self.emerging,
            "by_region": self.by_region,
            "regions": self.regions,
            "countries": self.countries,
            "cooccurrence": self.cooccurrence,
            "salaries": self.salaries,
            "salary_quality": self.salary_quality,
        }

    @property
    def empty(self) -> bool:
        """True when the period has no analysed posting in the scope."""
        return self.period is None or self.top_skills.empty

    @property
    def n_emerging(self) -> int:
        """Skills flagged as emerging (the headline figure; the chart colours the same rows)."""
        return int(self.emerging["emerging"].sum()) if not self.emerging.empty else 0


def month_complete(period: str, data_until: datetime | date | None) -> bool:
    """True when the data reaches past the last day of ``period`` (a crawl ran after the month ended)."""
    if data_until is None:
        return False
    next_start = pd.Period(period, freq="M").end_time.normalize() + pd.Timedelta(days=1)
    return pd.Timestamp(data_until).tz_localize(None) >= next_start


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
    min_cell: int = 10,
    min_employers: int = 3,
    employer_cap: int = 5,
    min_period_postings: int = 30,
    minimum_wage: Mapping[str, Mapping[str, float]] | None = None,
    plausible_range: tuple[float, float] = (0.5, 100.0),
) -> DemandTables:
    """Compute demand, trends, emerging skills, regions, co-occurrence and salaries of a scope and period.

    ``country`` limits everything to one country (``None``: all countries together). ``period`` is the
    month the report is about; by default the latest *complete* month with at least
    ``min_period_postings`` analysable postings (falling back, with a note, to the latest month).

    Emerging skills compare ``period`` with the month before over comparable days: whole months when
    the period is complete, else days 1..N of both months, N being the last day the data covers. Each
    employer counts for at most ``employer_cap`` postings per month (one recruiter's template ads cannot
    make a trend); the test is one-sided (z, or Fisher on small counts), Benjamini–Hochberg adjusted;
    a skill is emerging when ``q <= alpha``, it is in at least ``min_count`` postings of at least
    ``min_employers`` employers in the period, and its share rose.
    """
    check_period(period)
    country = country.lower() if country else None
    scope = country or ALL
    params = {"country": country}
    refresh_statistics(db)
    counts = posting_counts(db, country=country)
    skills = _skill_counts(db, period=None, source=None, country=country, language=language)
    with db.engine.connect() as conn:
        data_until = conn.execute(text(DATA_CUTOFF), params).scalar()

    per_month = counts.groupby("month")[["n_analysable", "n_title_only"]].sum()
    months = sorted(per_month.index[per_month["n_analysable"] > 0])
    notes: list[str] = []
    if period is None:
        period = _default_period(months, per_month, data_until, min_period_postings, notes)
    previous = previous_month(period) if period else None
    n_period = int(per_month["n_analysable"].get(period, 0)) if period else 0
    n_title_only = int(per_month["n_title_only"].get(period, 0)) if period else 0
    if period is not None and period not in months:
        notes.append(f"no analysed postings in {scope} for {period}")
    elif period is not None:
        if n_period < min_period_postings:
            notes.append(
                f"small sample: {n_period} analysable postings in {period} (fewer than {min_period_postings});"
                " shares are uncertain, see the intervals"
            )
        if n_title_only:
            notes.append(
                f"{n_title_only} title-only postings in {period} are counted apart and left out of every skill share"
            )

    complete = bool(period) and month_complete(str(period), data_until)
    comparison_days = None
    if period is not None and not complete:
        cutoff = pd.Timestamp(data_until) if data_until is not None else None
        in_period = cutoff is not None and cutoff.strftime("%Y-%m") == period
        comparison_days = int(cutoff.day) if in_period and cutoff is not None else 31
        notes.append(
            f"partial month: the data for {period} ends on day {comparison_days}; it is compared with days "
            f"1–{comparison_days} of {previous}"
        )
    period_counts = counts[counts["month"] == period]
    coverage = Coverage(
        n_postings=n_period,
        n_title_only=n_title_only,
        portals=sorted(period_counts.loc[period_counts["n_analysable"] > 0, "portal"].unique()),
        first_date=period_counts["first_posted"].min() if not period_counts.empty else None,
        last_date=period_counts["last_posted"].max() if not period_counts.empty else None,
        data_until=data_until,
        complete=complete,
        comparison="complete_months" if complete else "same_days",
        comparison_days=comparison_days,
    )

    postings = _postings_table(counts)
    demand = _demand(counts, skills, min_cell)
    scope_demand = _scope_level(counts, skills, ["month"], min_cell)
    top = scope_demand[scope_demand["month"] == period].drop(columns="month")
    top = top.sort_values(["n_with_skill", "skill"], ascending=[False, True]).head(top_n).reset_index(drop=True)

    window = [m for m in months if period is not None and m <= period][-trend_months:]
    trend_ids = list(top["skill_id"].head(trend_skills))
    trends = _trends(scope_demand, counts, window, trend_ids, min_cell)
    if period is not None and not complete and not trends.empty:
        trends["complete"] = trends["month"] != period

    emerging = pd.DataFrame(columns=EMERGING_COLUMNS)
    if previous is not None and previous not in months:
        notes.append(f"no analysed postings in {scope} for {previous}: growth cannot be tested")
    elif period is not None and period in months:
        emerging = _emerging(
            db,
            country,
            previous,
            period,
            language=language,
            max_day=comparison_days,
            alpha=alpha,
            min_count=min_count,
            min_employers=min_employers,
            employer_cap=employer_cap,
        )

    region_level = _scope_level(counts, skills, ["month", "region"], min_cell, country_in_region=country is None)
    by_region = region_level[(region_level["month"] == period) & region_level["skill_id"].isin(list(top["skill_id"]))]
    by_region = by_region.drop(columns="month").sort_values(["region", "share"], ascending=[True, False])
    regions = _share_of_scope(counts, period, "region", min_cell, country_in_region=country is None)
    countries = _share_of_scope(counts, period, "country", min_cell)

    cooc = skill_cooccurrence(db, country=country, period=period, language=language, top_k=top_n) if period else None
    salary = (
        salaries_by_skill(
            db,
            country=country,
            period=period,
            language=language,
            minimum_wage=minimum_wage,
            plausible_range=plausible_range,
            min_cell=min_cell,
        )
        if period
        else None
    )
    if salary is not None:
        _salary_notes(salary, notes)
    suppressed = int(by_region["suppressed"].sum()) if not by_region.empty else 0
    if suppressed:
        notes.append(f"{suppressed} region cells over fewer than {min_cell} postings are greyed out")
    return DemandTables(
        scope=scope,
        period=period,
        previous_period=previous,
        postings=postings,
        demand=demand,
        top_skills=top,
        trends=trends,
        emerging=emerging,
        by_region=by_region.reset_index(drop=True),
        regions=regions,
        countries=countries,
        cooccurrence=cooc if cooc is not None else pd.DataFrame(),
        salaries=salary.by_skill if salary is not None else pd.DataFrame(),
        salary_quality=salary.quality if salary is not None else pd.DataFrame(),
        coverage=coverage,
        min_cell=min_cell,
        notes=notes,
    )


def _default_period(
    months: list[str],
    per_month: pd.DataFrame,
    data_until: datetime | None,
    min_period_postings: int,
    notes: list[str],
) -> str | None:
    """The latest complete month with enough analysable postings, else the best available, with a note."""
    if not months:
        return None
    complete = [m for m in months if month_complete(m, data_until)]
    enough = [m for m in complete if per_month.loc[m, "n_analysable"] >= min_period_postings]
    if enough:
        if enough[-1] != months[-1]:
            notes.append(
                f"latest = {enough[-1]}, the latest complete month with at least {min_period_postings} analysable "
                f"postings ({months[-1]} is partial or too small)"
            )
        return enough[-1]
    chosen = complete[-1] if complete else months[-1]
    notes.append(
        f"no complete month has {min_period_postings} analysable postings; the report uses {chosen}, "
        "read its shares with care"
    )
    return chosen


def _postings_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Country × portal × month: collected postings, the analysable ones (numerator) and title-only."""
    keys = ["country", "portal", "month"]
    table = counts.groupby(keys, as_index=False).agg(
        n_with_skill=("n_analysable", "sum"),
        n_title_only=("n_title_only", "sum"),
        first_posted=("first_posted", "min"),
        last_posted=("last_posted", "max"),
    )
    table["n_postings"] = table["n_with_skill"] + table["n_title_only"]
    with_evidence(table)
    table["n_analysable"] = table["n_with_skill"]
    columns = [*keys, *EVIDENCE_COLUMNS, "n_analysable", "n_title_only", "first_posted", "last_posted"]
    return table[columns].sort_values(keys).reset_index(drop=True)


COUNT_COLUMNS = ["n_with_skill", "n_required", "n_desirable"]


def _shares(counts: pd.DataFrame, totals: pd.DataFrame, keys: list[str], min_cell: int) -> pd.DataFrame:
    out = counts.merge(totals, on=keys, how="left")
    out = with_evidence(out, min_cell)
    out["required_share"] = out["n_required"] / out["n_postings"]
    out["desirable_share"] = out["n_desirable"] / out["n_postings"]
    return out


def _demand(counts: pd.DataFrame, skills: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Country × portal × month shares, plus ``portal='all'`` rows per country and month."""
    frames = []
    for keys, portal in ((["country", "portal", "month"], None), (["country", "month"], ALL)):
        totals = counts.groupby(keys, as_index=False)["n_analysable"].sum()
        totals = totals.rename(columns={"n_analysable": "n_postings"})
        grouped = skills.groupby([*keys, "skill_id", "skill"], as_index=False)[COUNT_COLUMNS].sum()
        frame = _shares(grouped, totals, keys, min_cell)
        if portal is not None:
            frame.insert(1, "portal", portal)
        frames.append(frame)
    demand = pd.concat(frames, ignore_index=True)
    return demand.sort_values(
        ["country", "portal", "month", "n_with_skill", "skill"], ascending=[True, True, True, False, True]
    ).reset_index(drop=True)


def _qualified_regions(frame: pd.DataFrame) -> pd.DataFrame:
    # Across countries a region name alone is ambiguous; qualify it with the country.
    frame = frame.copy()
    frame["region"] = frame["country"].str.upper() + " · " + frame["region"]
    return frame


def _scope_level(
    counts: pd.DataFrame, skills: pd.DataFrame, keys: list[str], min_cell: int, *, country_in_region: bool = False
) -> pd.DataFrame:
    """Shares aggregated over the whole scope at the ``keys`` level (e.g. month, or month × region)."""
    if country_in_region and "region" in keys:
        counts, skills = _qualified_regions(counts), _qualified_regions(skills)
    totals = counts.groupby(keys, as_index=False)["n_analysable"].sum().rename(columns={"n_analysable": "n_postings"})
    grouped = skills.groupby([*keys, "skill_id", "skill"], as_index=False)[COUNT_COLUMNS].sum()
    return _shares(grouped, totals, keys, min_cell)


def _share_of_scope(
    counts: pd.DataFrame, period: str | None, key: str, min_cell: int, *, country_in_region: bool = False
) -> pd.DataFrame:
    """The period's analysable postings per ``key`` (region, country) as a share of the scope's postings."""
    columns = [key, *EVIDENCE_COLUMNS, "suppressed"]
    frame = counts[counts["month"] == period]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    if country_in_region and key == "region":
        frame = _qualified_regions(frame)
    table = frame.groupby(key, as_index=False)["n_analysable"].sum().rename(columns={"n_analysable": "n_with_skill"})
    table["n_postings"] = int(table["n_with_skill"].sum())
    with_evidence(table)
    # Here the cell is the region itself: its own count decides whether it can be shown.
    table["suppressed"] = table["n_with_skill"] < min_cell
    return table.sort_values(["n_with_skill", key], ascending=[False, True])[columns].reset_index(drop=True)


def _trends(
    scope_demand: pd.DataFrame, counts: pd.DataFrame, window: list[str], skill_ids: list[str], min_cell: int
) -> pd.DataFrame:
    """Share per month for ``skill_ids``, with zero rows for months where a skill was not seen."""
    columns = ["month", "skill_id", "skill", *EVIDENCE_COLUMNS, "suppressed", "complete"]
    if not window or not skill_ids:
        return pd.DataFrame(columns=columns)
    totals = counts.groupby("month")["n_analysable"].sum()
    names = scope_demand.drop_duplicates("skill_id").set_index("skill_id")["skill"]
    grid = pd.MultiIndex.from_product([window, skill_ids], names=["month", "skill_id"]).to_frame(index=False)
    found = scope_demand[["month", "skill_id", "n_with_skill"]]
    out = grid.merge(found, on=["month", "skill_id"], how="left").fillna({"n_with_skill": 0})
    out["skill"] = out["skill_id"].map(names)
    out["n_postings"] = out["month"].map(totals)
    out = with_evidence(out, min_cell)
    out["complete"] = True
    return out[columns]


EMERGING_COLUMNS = [
    "skill_id", "skill", *EVIDENCE_COLUMNS, "prev_n_postings", "prev_n_with_skill", "prev_share",
    "employers", "prev_employers", "weighted_n_with_skill", "weighted_n_postings", "weighted_prev_n_with_skill",
    "weighted_prev_n_postings", "delta_pp", "growth", "z", "p_value", "method", "q_value", "emerging", "comparison",
]  # fmt: skip


def _emerging(
    db: Database,
    country: str | None,
    previous: str | None,
    period: str,
    *,
    language: str,
    max_day: int | None,
    alpha: float,
    min_count: int,
    min_employers: int,
    employer_cap: int,
) -> pd.DataFrame:
    """Skills whose share rose from ``previous`` to ``period``, tested with each employer's weight capped."""
    if previous is None:
        return pd.DataFrame(columns=EMERGING_COLUMNS)
    name = skill_name_sql(language)
    params = {"country": country, "months": [previous, period], "max_day": max_day or 31}
    base = f"SELECT * FROM ({ANALYSED_POSTINGS}) a WHERE a.analysable AND a.month = ANY(:months) AND a.day <= :max_day"
    employers_sql = f"SELECT month, employer, count(*) AS n FROM ({base}) p GROUP BY 1, 2"
    mentions_sql = f"""
        SELECT p.month, p.employer, ps.skill_id, {name} AS skill, count(*) AS x
        FROM ({base}) p JOIN ({POSTING_SKILLS}) ps ON ps.posting_id = p.id
        JOIN canonical_skills cs ON cs.id = ps.skill_id
        GROUP BY 1, 2, 3, 4
    """
    with db.engine.connect() as conn:
        employers = pd.read_sql_query(text(employers_sql), conn, params=params)
        mentions = pd.read_sql_query(text(mentions_sql), conn, params=params)
    if employers.empty or set(employers["month"]) != {previous, period}:
        return pd.DataFrame(columns=EMERGING_COLUMNS)
    employers["weight"] = employer_weights(employers["n"], employer_cap)
    employers["weighted"] = employers["n"] * employers["weight"]
    totals = employers.groupby("month")[["n", "weighted"]].sum()
    mentions = mentions.merge(employers[["month", "employer", "weight"]], on=["month", "employer"])
    mentions["wx"] = mentions["x"] * mentions["weight"]
    per_skill = mentions.groupby(["month", "skill_id"]).agg(
        x=("x", "sum"), wx=("wx", "sum"), employers=("employer", "nunique")
    )
    names = mentions.drop_duplicates("skill_id").set_index("skill_id")["skill"]
    n_prev, n_cur = int(totals.loc[previous, "n"]), int(totals.loc[period, "n"])
    w_prev, w_cur = float(totals.loc[previous, "weighted"]), float(totals.loc[period, "weighted"])
    comparison = "complete_months" if max_day is None else f"days_1_{max_day}"
    rows = []
    for skill_id in sorted(per_skill.loc[period].index):
        cur = per_skill.loc[(period, skill_id)]
        prev = per_skill.loc[(previous, skill_id)] if (previous, skill_id) in per_skill.index else None
        x_cur, employers_cur = int(cur["x"]), int(cur["employers"])
        # Only skills with enough postings and employers now are tested: fewer tests, more power.
        if x_cur < min_count or employers_cur < min_employers:
            continue
        x_prev = int(prev["x"]) if prev is not None else 0
        wx_cur, wx_prev = float(cur["wx"]), float(prev["wx"]) if prev is not None else 0.0
        z, p, method = increase_test(round(wx_prev), round(w_prev), round(wx_cur), round(w_cur))
        weighted_prev_share, weighted_share = wx_prev / w_prev, wx_cur / w_cur
        rows.append(
            {
                "skill_id": skill_id,
                "skill": names[skill_id],
                "n_postings": n_cur,
                "n_with_skill": x_cur,
                "prev_n_postings": n_prev,
                "prev_n_with_skill": x_prev,
                "prev_share": x_prev / n_prev,
                "employers": employers_cur,
                "prev_employers": int(prev["employers"]) if prev is not None else 0,
                "weighted_n_with_skill": wx_cur,
                "weighted_n_postings": w_cur,
                "weighted_prev_n_with_skill": wx_prev,
                "weighted_prev_n_postings": w_prev,
                "delta_pp": 100 * (x_cur / n_cur - x_prev / n_prev),
                "growth": (weighted_share / weighted_prev_share - 1) if weighted_prev_share > 0 else float("inf"),
                "z": z,
                "p_value": p,
                "method": method,
                "weighted_rise": weighted_share > weighted_prev_share,
            }
        )
    if not rows:
        return pd.DataFrame(columns=EMERGING_COLUMNS)
    out = with_evidence(pd.DataFrame(rows))
    out["q_value"] = benjamini_hochberg(out["p_value"].tolist())
    out["emerging"] = (out["q_value"] <= alpha) & out["weighted_rise"] & (out["delta_pp"] > 0)
    out["comparison"] = comparison
    out = out.sort_values(["emerging", "q_value", "delta_pp"], ascending=[False, True, False])
    return out[EMERGING_COLUMNS].reset_index(drop=True)


def _salary_notes(salary: SalaryTables, notes: list[str]) -> None:
    unparsed, implausible = salary.count("unparsed"), salary.count("implausible")
    if unparsed:
        notes.append(f"{unparsed} salaries could not be read and are left out")
    if implausible:
        notes.append(f"{implausible} implausible salaries (outside the bounds set per country) are left out")


def coverage_summary(tables: DemandTables) -> dict[str, Any]:
    """The coverage as plain values (for a manifest or Dagster metadata)."""
    c = tables.coverage
    if c is None:
        return {}
    return {
        "n_postings": c.n_postings,
        "n_title_only": c.n_title_only,
        "portals": c.portals,
        "first_date": c.first_date.isoformat() if c.first_date else None,
        "last_date": c.last_date.isoformat() if c.last_date else None,
        "data_until": c.data_until.isoformat() if c.data_until else None,
        "complete": c.complete,
        "comparison": c.comparison,
        "comparison_days": c.comparison_days,
    }
