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

from observatory.analysis.cooccurrence import cooccurrence_table
from observatory.analysis.demand_store import METHOD_COLUMNS, DemandInputs, demand_inputs
from observatory.analysis.queries import (
    ANALYSED_POSTINGS,
    check_period,
    previous_month,
    refresh_statistics,
)
from observatory.analysis.salaries import SalaryTables, salary_tables
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
    "n_required", "n_desirable", *METHOD_COLUMNS, "n_title_only", "suppressed",
]  # fmt: skip


@dataclass(frozen=True)
class Note:
    """A warning of a report (small sample, partial month…): a text key and its values, worded by the report."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.key}: " + ", ".join(f"{k}={v}" for k, v in self.values.items())


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


def _skill_names(skills: pd.DataFrame, language: str) -> pd.DataFrame:
    """The stored counts with ``skill`` named in ``language``; skills only seen as employer tags left out."""
    if language not in ("es", "en"):
        raise ValueError(f"language must be 'es' or 'en', got {language!r}")
    out = skills[skills["n_with_skill"] > 0].copy()
    out["skill"] = out[f"skill_{language}"]
    return out.drop(columns=["skill_es", "skill_en"])


def _region_counts(postings: pd.DataFrame) -> pd.DataFrame:
    """Stored posting counts per month × source × region (brands summed)."""
    keys = ["month", "country", "source", "portal", "region"]
    if postings.empty:
        return pd.DataFrame(columns=[*keys, "n_analysable", "n_title_only", "first_posted", "last_posted"])
    return postings.groupby(keys, as_index=False).agg(
        n_analysable=("n_analysable", "sum"),
        n_title_only=("n_title_only", "sum"),
        first_posted=("first_posted", "min"),
        last_posted=("last_posted", "max"),
    )


def demand_table(inputs: DemandInputs, *, language: str = "es", min_cell: int = 10) -> pd.DataFrame:
    """The per month × source × skill table (:data:`DEMAND_COLUMNS`) of stored or computed counts."""
    skills = _skill_names(inputs.skills, language)
    counts = _region_counts(inputs.postings)
    keys = ["month", "country", "source", "portal"]
    totals = counts.groupby(keys, as_index=False)[["n_analysable", "n_title_only"]].sum()
    totals = totals.rename(columns={"n_analysable": "n_postings"})
    per_source = skills.groupby([*keys, "skill_id", "skill"], as_index=False)[COUNT_COLUMNS].sum()
    frame = per_source.merge(totals, on=keys, how="left")
    frame = with_evidence(frame, min_cell)
    # Ties by skill_id, never by the translated name: both languages list the same rows in the same order.
    frame = frame.sort_values(["month", "source", "n_with_skill", "skill_id"], ascending=[True, True, False, True])
    return frame[DEMAND_COLUMNS].reset_index(drop=True)


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
    denominator), ``n_with_skill`` (those mentioning the skill in their text or title: the numerator),
    ``share``, ``ci_low`` and ``ci_high`` (95 % Wilson interval), ``n_required``/``n_desirable`` (mentions
    marked so), ``n_text``/``n_title``/``n_employer_tag`` (postings where the description, the title or the
    employer's portal tags name the skill; tags never count in ``n_with_skill``), ``n_title_only`` (postings of
    the month and source without analysable text, never in the denominator) and ``suppressed``
    (``n_postings < min_cell``: do not publish the share as such). A skill not mentioned in a month and
    source has no row (its share there is 0). Idempotent and read-only: the same database gives the same table.
    """
    check_period(period)
    inputs = demand_inputs(db, country=country, source=source, period=period)
    return demand_table(inputs, language=language, min_cell=min_cell)


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
    brands: dict[str, int] = field(default_factory=dict)  # analysable postings per brand (ZonaJobs, Bumeran…)


@dataclass
class DemandTables:
    """Demand tables for one scope (a country or ``all``) and one period (``YYYY-MM``)."""

    scope: str
    period: str | None
    previous_period: str | None
    postings: pd.DataFrame  # country, portal, brand, month: postings collected, analysable, title-only (counts)
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
    notes: list[Note] = field(default_factory=list)  # warnings: small samples, partial month, exclusions

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
    inputs: DemandInputs | None = None,
) -> DemandTables:
    """Compute demand, trends, emerging skills, regions, co-occurrence and salaries of a scope and period.

    ``country`` limits everything to one country (``None``: all countries together). ``period`` is the
    month the report is about; by default the latest *complete* month with at least
    ``min_period_postings`` analysable postings (falling back, with a note, to the latest month).
    ``inputs`` are the counts to aggregate (the ``skill_demand`` asset's stored cells, see
    :func:`observatory.analysis.demand_store.load_inputs`); by default they are computed from ``db``. Every
    figure comes from them, co-occurrence and salaries included; ``db`` is only asked to refresh statistics
    and, without ``inputs``, for the counts.

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
    refresh_statistics(db)
    if inputs is None:
        inputs = demand_inputs(db, country=country)
    elif country is not None:
        inputs = inputs.where("country", country)
    counts = _region_counts(inputs.postings)
    skills = _skill_names(inputs.skills, language)
    until = inputs.postings["data_until"].max() if not inputs.postings.empty else None
    data_until = None if until is None or pd.isna(until) else pd.Timestamp(until).to_pydatetime()

    per_month = counts.groupby("month")[["n_analysable", "n_title_only"]].sum()
    months = sorted(per_month.index[per_month["n_analysable"] > 0])
    notes: list[Note] = []
    if period is None:
        period = _default_period(months, per_month, data_until, min_period_postings, notes)
    previous = previous_month(period) if period else None
    n_period = int(per_month["n_analysable"].get(period, 0)) if period else 0
    n_title_only = int(per_month["n_title_only"].get(period, 0)) if period else 0
    if period is not None and period not in months:
        notes.append(Note("no_postings", {"scope": scope, "period": period}))
    elif period is not None:
        if n_period < min_period_postings:
            notes.append(Note("small_sample", {"n": n_period, "period": period, "minimum": min_period_postings}))
        if n_title_only:
            notes.append(Note("title_only", {"n": n_title_only, "period": period}))

    complete = bool(period) and month_complete(str(period), data_until)
    comparison_days = None
    if period is not None and not complete:
        cutoff = pd.Timestamp(data_until) if data_until is not None else None
        in_period = cutoff is not None and cutoff.strftime("%Y-%m") == period
        comparison_days = int(cutoff.day) if in_period and cutoff is not None else 31
        notes.append(Note("partial_month", {"period": period, "days": comparison_days, "previous": previous}))
    period_counts = counts[counts["month"] == period]
    period_brands = inputs.postings[inputs.postings["month"] == period]
    brands = period_brands.groupby("brand")["n_analysable"].sum() if not period_brands.empty else pd.Series()
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
        brands={str(k): int(v) for k, v in brands.sort_index().items() if v > 0},
    )

    postings = _postings_table(inputs.postings)
    demand = _demand(counts, skills, min_cell)
    scope_demand = _scope_level(counts, skills, ["month"], min_cell)
    top = scope_demand[scope_demand["month"] == period].drop(columns="month")
    # The cut at top_n breaks ties by skill_id: sorted by the translated name, a Spanish and an English report
    # would keep different skills, and every figure summed over the list (the methods line) would differ.
    top = top.sort_values(["n_with_skill", "skill_id"], ascending=[False, True]).head(top_n).reset_index(drop=True)

    window = [m for m in months if period is not None and m <= period][-trend_months:]
    trend_ids = list(top["skill_id"].head(trend_skills))
    trends = _trends(scope_demand, counts, window, trend_ids, min_cell)
    if period is not None and not complete and not trends.empty:
        trends["complete"] = trends["month"] != period

    emerging = pd.DataFrame(columns=EMERGING_COLUMNS)
    if previous is not None and previous not in months:
        notes.append(Note("no_previous", {"scope": scope, "previous": previous}))
    elif period is not None and period in months:
        emerging = _emerging(
            inputs,
            skills,
            previous,
            period,
            max_day=comparison_days,
            alpha=alpha,
            min_count=min_count,
            min_employers=min_employers,
            employer_cap=employer_cap,
        )

    region_level = _scope_level(counts, skills, ["month", "region"], min_cell, country_in_region=country is None)
    by_region = region_level[(region_level["month"] == period) & region_level["skill_id"].isin(list(top["skill_id"]))]
    by_region = by_region.drop(columns="month").sort_values(
        ["region", "share", "skill_id"], ascending=[True, False, True]
    )
    regions = _share_of_scope(counts, period, "region", min_cell, country_in_region=country is None)
    countries = _share_of_scope(counts, period, "country", min_cell)

    cooc = salary = None
    if period:
        in_period = inputs.where("month", period)
        names = skills.drop_duplicates("skill_id").set_index("skill_id")["skill"]
        cooc = cooccurrence_table(in_period.posting_skills, n_period, names, top_k=top_n)
        salary = salary_tables(
            in_period.salaries,
            in_period.posting_skills,
            n_period + n_title_only,
            names,
            minimum_wage=minimum_wage,
            plausible_range=plausible_range,
            min_cell=min_cell,
        )
    if salary is not None:
        _salary_notes(salary, notes)
    suppressed = int(by_region["suppressed"].sum()) if not by_region.empty else 0
    if suppressed:
        notes.append(Note("greyed_regions", {"n": suppressed, "min_cell": min_cell}))
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
    notes: list[Note],
) -> str | None:
    """The latest complete month with enough analysable postings, else the best available, with a note."""
    if not months:
        return None
    complete = [m for m in months if month_complete(m, data_until)]
    enough = [m for m in complete if per_month.loc[m, "n_analysable"] >= min_period_postings]
    if enough:
        if enough[-1] != months[-1]:
            notes.append(Note("latest", {"period": enough[-1], "minimum": min_period_postings, "newest": months[-1]}))
        return enough[-1]
    chosen = complete[-1] if complete else months[-1]
    notes.append(Note("no_complete_month", {"minimum": min_period_postings, "period": chosen}))
    return chosen


def _postings_table(postings: pd.DataFrame) -> pd.DataFrame:
    """Country × portal × brand × month: postings collected, analysable and title-only (counts, not shares)."""
    keys = ["country", "portal", "brand", "month"]
    columns = [*keys, "n_postings", "n_analysable", "n_title_only", "first_posted", "last_posted"]
    if postings.empty:
        return pd.DataFrame(columns=columns)
    table = postings.groupby(keys, as_index=False).agg(
        n_analysable=("n_analysable", "sum"),
        n_title_only=("n_title_only", "sum"),
        first_posted=("first_posted", "min"),
        last_posted=("last_posted", "max"),
    )
    table["n_postings"] = table["n_analysable"] + table["n_title_only"]
    return table[columns].sort_values(keys).reset_index(drop=True)


COUNT_COLUMNS = ["n_with_skill", "n_required", "n_desirable", *METHOD_COLUMNS]


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
        ["country", "portal", "month", "n_with_skill", "skill_id"], ascending=[True, True, True, False, True]
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
    inputs: DemandInputs,
    skills: pd.DataFrame,
    previous: str | None,
    period: str,
    *,
    max_day: int | None,
    alpha: float,
    min_count: int,
    min_employers: int,
    employer_cap: int,
) -> pd.DataFrame:
    """Skills whose share rose from ``previous`` to ``period``, tested with each employer's weight capped."""
    if previous is None:
        return pd.DataFrame(columns=EMERGING_COLUMNS)
    months, last_day = [previous, period], max_day or 31
    posted = inputs.employers[inputs.employers["month"].isin(months) & (inputs.employers["day"] <= last_day)]
    found = inputs.employer_skills
    found = found[found["month"].isin(months) & (found["day"] <= last_day)]
    employers = posted.groupby(["month", "employer"], as_index=False)["n"].sum()
    mentions = found.groupby(["month", "employer", "skill_id"], as_index=False)["x"].sum()
    names = skills.drop_duplicates("skill_id").set_index("skill_id")["skill"]
    mentions = mentions[mentions["skill_id"].isin(names.index)].copy()
    mentions["skill"] = mentions["skill_id"].map(names)
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
    out = out.sort_values(
        ["emerging", "q_value", "delta_pp", "skill_id"], ascending=[False, True, False, True], kind="stable"
    )
    return out[EMERGING_COLUMNS].reset_index(drop=True)


def _salary_notes(salary: SalaryTables, notes: list[Note]) -> None:
    unparsed, implausible = salary.count("unparsed"), salary.count("implausible")
    if unparsed:
        notes.append(Note("unparsed_salaries", {"n": unparsed}))
    if implausible:
        notes.append(Note("implausible_salaries", {"n": implausible}))


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
        "brands": c.brands,
    }
