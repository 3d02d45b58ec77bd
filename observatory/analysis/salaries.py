"""Salaries that hold: parse what portals write, convert to a monthly figure, drop implausible values.

Portals quote pay in many shapes: ``$ 2.400.000,00 (Mensual)`` (Computrabajo), ``1.000.00 US$ (Mensual)``
(Computrabajo Ecuador after a scraper turned the decimal comma into a dot), ``$2,5 a $3 millones``
(ElEmpleo), ``1.200.000``, ``USD 1,500 - 2,000 por mes``, ``$ 80 la hora``. :func:`parse_salary_text` reads
currency, pay period and range; :func:`to_monthly` converts to a monthly amount **in the posting's own
currency** (currencies are never converted into each other). A value below or above the plausible
range (multiples of the country's minimum wage, from settings) is flagged and left out of every
statistic, and each posting's status (none, parsed, unparsed, implausible, unchecked) is counted, so
that nothing is dropped silently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from observatory.analysis.queries import check_period
from observatory.analysis.significance import with_evidence
from observatory.scraping.normalize import MONTHLY_FACTOR, AmountError, read_salary
from observatory.sources import SOURCES
from observatory.storage import Database

PERIODS = ("hour", "day", "week", "fortnight", "month", "year")


@dataclass(frozen=True)
class SalaryQuote:
    """One posting's pay as written: bounds in ``currency`` per ``period`` (``period_assumed``: not said)."""

    low: float
    high: float
    currency: str | None
    period: str
    period_assumed: bool = False
    extra: str | None = None  # pay written on top of the base ("+ comisiones"), not in the bounds

    @property
    def monthly_low(self) -> float:
        return to_monthly(self.low, self.period)

    @property
    def monthly_high(self) -> float:
        return to_monthly(self.high, self.period)

    @property
    def monthly_midpoint(self) -> float:
        return (self.monthly_low + self.monthly_high) / 2


class SalaryParseError(ValueError):
    """Salary text with something in it that is not a salary we can read."""


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def parse_salary_text(raw: str | None, default_currency: str | None = None) -> SalaryQuote | None:
    """Read ``raw``; ``None`` when it states no salary ("A convenir"); :class:`SalaryParseError` when unreadable.

    Read by :func:`observatory.scraping.normalize.read_salary`, as the ingest reads it. ``$`` alone means the
    country's currency (``default_currency``). Without a period word the pay is taken as monthly, as portals in
    the region quote it, and ``period_assumed`` says so. Whatever follows ``+`` (commissions, bonuses) is not
    base pay: it is kept as text in ``extra``.
    """
    if raw is None:
        return None
    try:
        reading = read_salary(raw)
    except AmountError as exc:
        raise SalaryParseError(f"{exc} in {raw!r}") from None
    if not reading.amounts:
        if reading.undisclosed or not raw.strip():
            return None
        raise SalaryParseError(f"no amount in {raw!r}")
    values, period = reading.amounts, reading.period
    currency = reading.currency or default_currency
    return SalaryQuote(
        min(values), max(values), currency, period or "month", period_assumed=period is None, extra=reading.extra
    )


def normalise_period(value: str | None) -> str | None:
    """A stored period name (``biweekly``, ``monthly``…) as one of :data:`PERIODS`."""
    if value is None:
        return None
    key = _fold(value).strip()
    aliases = {"biweekly": "fortnight", "quincenal": "fortnight", "monthly": "month", "yearly": "year"}
    key = aliases.get(key, key)
    return key if key in PERIODS else None


def to_monthly(amount: float, period: str) -> float:
    """``amount`` per ``period`` as a monthly amount in the same currency."""
    try:
        return amount * MONTHLY_FACTOR[period]
    except KeyError:
        raise ValueError(f"pay period must be one of {', '.join(PERIODS)}, got {period!r}") from None


def plausible_bounds(
    country: str, currency: str | None, minimum_wage: Mapping[str, Mapping[str, float]], factors: tuple[float, float]
) -> tuple[float, float] | None:
    """Monthly ``(low, high)`` plausible for ``country`` and ``currency``; ``None`` when no yardstick is set."""
    wage = minimum_wage.get(country, {}).get(currency or "")
    if wage is None:
        return None
    return wage * factors[0], wage * factors[1]


STATUSES = ("none", "parsed", "unparsed", "implausible", "unchecked")
QUOTE_COLUMNS = ["status", "currency", "period", "monthly_low", "monthly_high", "monthly"]


def read_salaries(postings: pd.DataFrame) -> pd.DataFrame:
    """Per posting what it quotes, before any plausibility check (:data:`QUOTE_COLUMNS`).

    ``status`` is ``none`` (no salary), ``unparsed`` (unreadable, or an amount in an unknown currency) or
    ``quoted``, with the monthly ``currency``, ``period`` and amounts. These are facts of the postings; whether an
    amount is plausible depends on settings and is judged when the tables are made (:func:`judge_salaries`).
    """
    rows = []
    for p in postings.itertuples(index=False):
        source = SOURCES.get(getattr(p, "source", "") or "")
        default_currency = source.currency if source else None
        out: dict[str, object] = {"status": "none", "currency": None, "period": None}
        quote: SalaryQuote | None = None
        raw = p.salary_raw if isinstance(p.salary_raw, str) and p.salary_raw.strip() else None
        try:
            if raw is not None:
                quote = parse_salary_text(raw, default_currency)
            elif pd.notna(p.salary_min) or pd.notna(p.salary_max):
                low = float(p.salary_min if pd.notna(p.salary_min) else p.salary_max)
                high = float(p.salary_max if pd.notna(p.salary_max) else p.salary_min)
                period = normalise_period(p.salary_period)
                quote = SalaryQuote(
                    min(low, high),
                    max(low, high),
                    p.salary_currency or default_currency,
                    period or "month",
                    period is None,
                )
        except SalaryParseError:
            out["status"] = "unparsed"
        if quote is not None:
            out.update(
                currency=quote.currency,
                period=quote.period,
                monthly_low=quote.monthly_low,
                monthly_high=quote.monthly_high,
                monthly=quote.monthly_midpoint,
                # An amount in an unknown currency cannot be compared with anything.
                status="quoted" if quote.currency is not None else "unparsed",
            )
        rows.append(out)
    frame = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    frame.index = postings.index
    return frame


def judge_salaries(
    quotes: pd.DataFrame,
    countries: pd.Series,
    minimum_wage: Mapping[str, Mapping[str, float]],
    factors: tuple[float, float],
) -> pd.Series:
    """The final status of each of :func:`read_salaries`' rows: a ``quoted`` salary becomes ``parsed`` (within the
    plausible range of its country and currency), ``implausible`` or ``unchecked`` (no yardstick set)."""
    statuses = []
    for status, country, currency, monthly in zip(
        quotes["status"], countries, quotes["currency"], quotes["monthly"], strict=True
    ):
        if status == "quoted":
            bounds = plausible_bounds(country, currency, minimum_wage, factors)
            if bounds is None:
                status = "unchecked"
            elif bounds[0] <= monthly <= bounds[1]:
                status = "parsed"
            else:
                status = "implausible"
        statuses.append(status)
    return pd.Series(statuses, index=quotes.index, dtype=object)


def classify_salaries(
    postings: pd.DataFrame, minimum_wage: Mapping[str, Mapping[str, float]], factors: tuple[float, float]
) -> pd.DataFrame:
    """Per posting: ``status``, ``currency``, ``period``, ``monthly`` (midpoint), ``monthly_low``/``high``.

    ``postings`` has ``country``, ``source``, ``salary_raw`` and the stored ``salary_min``/``max``/
    ``currency``/``period`` (used when there is no text, e.g. JSON-LD values). ``parsed``: usable;
    ``unchecked``: usable, but no minimum wage is set for that country and currency; ``implausible``
    and ``unparsed``: left out and counted; ``none``: the posting gives no salary.
    """
    frame = read_salaries(postings)
    frame["status"] = judge_salaries(frame, postings["country"], minimum_wage, factors)
    return frame


SALARY_COLUMNS = [
    "skill_id", "skill", "currency", "n_postings", "n_with_skill", "share", "ci_low", "ci_high",
    "p25", "median", "p75", "suppressed",
]  # fmt: skip
QUALITY_COLUMNS = ["status", "n_postings", "n_with_skill", "share", "ci_low", "ci_high"]
ALL_SKILLS = "*"


@dataclass
class SalaryTables:
    """Salaries of one scope and period: per skill and currency, and how many postings fell where."""

    by_skill: pd.DataFrame  # SALARY_COLUMNS; skill_id '*' = every posting of the period
    quality: pd.DataFrame  # QUALITY_COLUMNS: postings per status (none, parsed, unparsed, implausible, unchecked)

    def count(self, status: str) -> int:
        """Postings of the period with ``status``."""
        row = self.quality.loc[self.quality["status"] == status, "n_with_skill"]
        return int(row.iloc[0]) if len(row) else 0


def salaries_by_skill(
    db: Database,
    country: str | None = None,
    period: str | None = None,
    *,
    language: str = "es",
    minimum_wage: Mapping[str, Mapping[str, float]] | None = None,
    plausible_range: tuple[float, float] = (0.5, 100.0),
    min_cell: int = 10,
    min_postings: int = 3,
) -> SalaryTables:
    """:func:`salary_tables` of ``country`` (``None``: every country) and ``period`` (``None``: every month),
    computed from the database with the code that stores demand (:mod:`observatory.analysis.demand_store`)."""
    from observatory.analysis.demand_store import demand_inputs

    inputs = demand_inputs(db, country=country, period=check_period(period))
    return salary_tables(
        inputs.salaries,
        inputs.posting_skills,
        int(inputs.postings["n_analysable"].sum() + inputs.postings["n_title_only"].sum()),
        skill_names(inputs.skills, language),
        minimum_wage=minimum_wage,
        plausible_range=plausible_range,
        min_cell=min_cell,
        min_postings=min_postings,
    )


def skill_names(skills: pd.DataFrame, language: str) -> pd.Series:
    """``skill_id`` → name in ``language`` from the stored counts' ``skill_es``/``skill_en`` columns."""
    if language not in ("es", "en"):
        raise ValueError(f"language must be 'es' or 'en', got {language!r}")
    return skills.drop_duplicates("skill_id").set_index("skill_id")[f"skill_{language}"]


def salary_tables(
    quotes: pd.DataFrame,
    posting_skills: pd.DataFrame,
    n_postings: int,
    names: pd.Series,
    *,
    minimum_wage: Mapping[str, Mapping[str, float]] | None = None,
    plausible_range: tuple[float, float] = (0.5, 100.0),
    min_cell: int = 10,
    min_postings: int = 3,
) -> SalaryTables:
    """Monthly salary quartiles per skill and currency, and the share of postings quoting a salary.

    Inputs, as the stored demand holds them for a scope and period: ``quotes`` (a row per posting quoting a
    salary: ``posting``, ``country``, ``status`` and ``currency``/``monthly`` of :func:`read_salaries`),
    ``posting_skills`` (``posting``, ``skill_id`` of the analysable postings), ``n_postings`` (every analysed
    posting, quoting or not) and ``names`` (``skill_id`` → name).
    Rows: for each skill (and ``'*'``, every posting) and currency, ``n_postings`` postings of the period
    with the skill, ``n_with_skill`` of them with a usable salary in that currency, ``share`` and its
    Wilson interval, and the quartiles of the monthly midpoint (``min_postings`` usable salaries or more).
    Implausible and unreadable salaries are excluded and counted in :attr:`SalaryTables.quality`.
    """
    from observatory.config import Settings

    wages = (
        minimum_wage
        if minimum_wage is not None
        else Settings.model_fields["salary_minimum_wage"].get_default(call_default_factory=True)
    )
    if n_postings == 0:
        return SalaryTables(pd.DataFrame(columns=SALARY_COLUMNS), pd.DataFrame(columns=QUALITY_COLUMNS))
    quotes = quotes[quotes["status"] != "none"].copy()
    quotes["status"] = judge_salaries(quotes, quotes["country"], wages, plausible_range)

    counts = quotes["status"].value_counts()
    quality = pd.DataFrame({"status": list(STATUSES)})
    quality["n_postings"] = n_postings
    quality["n_with_skill"] = [int(counts.get(s, 0)) for s in STATUSES]
    quality.loc[quality["status"] == "none", "n_with_skill"] = n_postings - len(quotes)
    with_evidence(quality)

    usable = quotes[quotes["status"].isin(["parsed", "unchecked"])]
    # Every posting is in '*': those without a usable salary only count in its denominator.
    everyone = pd.DataFrame({"posting": usable["posting"], "skill_id": ALL_SKILLS})
    membership = pd.concat([everyone, posting_skills[["posting", "skill_id"]]], ignore_index=True)
    n_by_skill = posting_skills.groupby("skill_id")["posting"].nunique()
    n_by_skill[ALL_SKILLS] = n_postings
    joined = membership.merge(usable[["posting", "currency", "monthly"]], on="posting")
    if joined.empty:
        return SalaryTables(pd.DataFrame(columns=SALARY_COLUMNS), quality[QUALITY_COLUMNS])
    grouped = joined.groupby(["skill_id", "currency"])["monthly"]
    table = grouped.agg(
        n_with_skill="count",
        p25=lambda v: v.quantile(0.25),
        median="median",
        p75=lambda v: v.quantile(0.75),
    ).reset_index()
    table = table[table["n_with_skill"] >= min_postings].copy()
    table["skill"] = table["skill_id"].map(names)
    table["n_postings"] = table["skill_id"].map(n_by_skill).astype("int64")
    # The quartiles rest on the postings with a salary: fewer than min_cell and they are greyed out.
    with_evidence(table)
    table["suppressed"] = table["n_with_skill"] < min_cell
    star = table["skill_id"] == ALL_SKILLS
    table = pd.concat(
        # Ties by skill_id, not the translated name: the chart's cut keeps the same skills in every language.
        [table[star], table[~star].sort_values(["n_with_skill", "skill_id"], ascending=[False, True])],
        ignore_index=True,
    )
    return SalaryTables(table[SALARY_COLUMNS], quality[QUALITY_COLUMNS])
