"""Demand, trends, emerging skills, co-occurrence and salaries on hand-checked numbers."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from math import comb

import pytest
from sqlalchemy import text

from observatory.analysis.queries import refresh_statistics
from observatory.analysis.significance import benjamini_hochberg, increase_test, two_proportion_z
from observatory.analysis.trends import compute_demand
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder


def test_two_proportion_z_by_hand() -> None:
    # pooled p = 40/200 = 0.2; se = sqrt(0.2 * 0.8 * (1/100 + 1/100)) = 0.0565685; z = 0.2 / se
    z, p = two_proportion_z(10, 100, 30, 100)
    assert z == pytest.approx(3.535534, rel=1e-6)
    assert p == pytest.approx(0.00020347, rel=1e-3)
    assert increase_test(10, 100, 30, 100)[2] == "z"


def test_small_counts_use_fisher() -> None:
    # 1 → 3 postings out of 20: a 200 % rise, but Fisher's exact test sees no evidence.
    _z, p, method = increase_test(1, 20, 3, 20)
    assert method == "fisher"
    # Hypergeometric tail: 4 mentions among 40 postings, 20 in October; P(X >= 3).
    by_hand = (comb(4, 3) * comb(36, 17) + comb(4, 4) * comb(36, 16)) / comb(40, 20)
    assert p == pytest.approx(by_hand) and by_hand == pytest.approx(0.3025, abs=1e-4)
    with pytest.raises(ValueError, match="both periods"):
        increase_test(0, 0, 1, 10)


def test_benjamini_hochberg_by_hand() -> None:
    # sorted 0.01, 0.03, 0.04, 0.20 → 0.04, 0.06, 0.0533, 0.20 → monotone 0.04, 0.0533, 0.0533, 0.20
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.20])
    assert q == pytest.approx([0.04, 0.053333, 0.053333, 0.20], rel=1e-4)
    assert benjamini_hochberg([]) == []
    with pytest.raises(ValueError):
        benjamini_hochberg([1.5])


RUN_SQL = "INSERT INTO extraction_runs (posting_id, extractor_version, mentions, extracted_at) VALUES (:p, :v, 0, :t)"


def _scenario(db: Database) -> DataBuilder:
    """Colombia, Computrabajo: 100 analysed postings in 2026-09 and 100 in 2026-10.

    python: 10 postings (required) in September; 30 in October (20 required, 10 desirable).
    excel: 5 postings each month, in October always with python. Noise that must not count: a
    duplicate on ElEmpleo, a posting nobody extracted yet, and mentions of an older extractor.
    """
    b = DataBuilder(db, extractor_version="v2")
    b.skill("python", "Python")
    b.skill("excel", "Excel")
    b.skill("sql", "SQL")
    for i in range(100):
        skills: dict[str, str | None] = {}
        if i < 10:
            skills["python"] = "required"
        if 90 <= i < 95:
            skills["excel"] = None
        b.posting("co-computrabajo", "2026-09", skills, region="Bogotá" if i % 2 else "Antioquia")
    first_october = ""
    for i in range(100):
        skills = {}
        if i < 30:
            skills["python"] = "required" if i < 20 else "desirable"
        if i < 5:
            skills["excel"] = "desirable"
        extra = {}
        if i < 3:
            extra = [
                {"salary_min": 2_000_000, "salary_max": 3_000_000},
                {"salary_min": 3_000_000},
                {"salary_max": 4_000_000},
            ][i] | {"salary_currency": "COP", "salary_period": "month"}
        pid = b.posting("co-computrabajo", "2026-10", skills, region="Bogotá" if i % 2 else "Antioquia", **extra)
        first_october = first_october or pid
    b.save()
    # The same offer seen on ElEmpleo: a duplicate, it must not count a second time.
    b.posting("co-elempleo", "2026-10", {"python": "required", "sql": "required"}, duplicate_of=first_october)
    # Scraped but not extracted yet: not in the denominator.
    b.posting("co-elempleo", "2026-10", {}, analysed=False)
    # An older extractor's mentions on a posting since re-extracted by v2: replaced, not added.
    b.posting("co-computrabajo", "2026-10", {"sql": "required"}, extractor_version="v1", analysed=False)
    b.save()
    with db.engine.begin() as conn:
        # SQL offered as a training benefit in an October posting: not demand.
        conn.execute(
            text(
                'INSERT INTO skill_mentions (posting_id, skill_id, start, "end", surface, method, section, '
                "importance, confidence, extractor_version) VALUES (:p, 'sql', 0, 3, 'SQL', 'test', 'benefits', "
                "NULL, 1, 'v2')"
            ),
            {"p": first_october},
        )
        old = conn.execute(text("SELECT posting_id FROM skill_mentions WHERE extractor_version = 'v1'")).scalar()
        conn.execute(
            text(RUN_SQL),
            {"p": old, "v": "v1", "t": datetime(2026, 10, 16, tzinfo=UTC)},
        )
        conn.execute(
            text(RUN_SQL),
            {"p": old, "v": "v2", "t": datetime(2026, 10, 17, tzinfo=UTC)},
        )
    return b


def test_demand_shares_dedup_and_importance(db: Database) -> None:
    _scenario(db)
    tables = compute_demand(db, country="co", period="2026-10", min_count=5)
    assert tables.scope == "co" and tables.previous_period == "2026-09"
    # 100 Computrabajo postings + the re-extracted one; the duplicate and the unextracted are out.
    totals = tables.postings.set_index(["portal", "month"])["n_analysable"]
    assert totals[("computrabajo", "2026-10")] == 101
    assert totals[("computrabajo", "2026-09")] == 100
    assert ("elempleo", "2026-10") not in totals.index

    top = tables.top_skills.set_index("skill_id")
    assert list(tables.top_skills["skill_id"]) == ["python", "excel"]  # sql only came from v1 and the duplicate
    assert top.loc["python", "n_with_skill"] == 30 and top.loc["python", "n_postings"] == 101
    assert top.loc["python", "n_required"] == 20 and top.loc["python", "n_desirable"] == 10
    assert top.loc["python", "share"] == pytest.approx(30 / 101)
    assert top.loc["excel", "desirable_share"] == pytest.approx(5 / 101)

    demand = tables.demand.set_index(["portal", "month", "skill_id"])
    assert demand.loc[("all", "2026-09", "python"), "share"] == pytest.approx(0.10)
    assert demand.loc[("computrabajo", "2026-09", "python"), "required_share"] == pytest.approx(0.10)

    trends = tables.trends.set_index(["month", "skill_id"])
    assert trends.loc[("2026-09", "python"), "share"] == pytest.approx(0.10)
    assert trends.loc[("2026-10", "excel"), "n_with_skill"] == 5

    regions = tables.by_region.set_index(["region", "skill_id"])
    assert regions.loc[("Antioquia", "python"), "n_with_skill"] == 15  # even indices 0..28
    assert regions.loc[("Antioquia", "python"), "share"] == pytest.approx(
        15 / 50
    )  # 50: the re-extracted one has no region


def test_emerging_skills_flagged_by_test_not_ratio(db: Database) -> None:
    _scenario(db)
    tables = compute_demand(db, country="co", period="2026-10", min_count=5)
    emerging = tables.emerging.set_index("skill_id")
    assert set(emerging.index) == {"python", "excel"}
    _z, p = two_proportion_z(10, 100, 30, 101)
    assert emerging.loc["python", "p_value"] == pytest.approx(p)
    assert emerging.loc["python", "q_value"] == pytest.approx(min(1.0, 2 * p))  # 2 tests, rank 1
    assert bool(emerging.loc["python", "emerging"]) is True
    assert emerging.loc["python", "delta_pp"] == pytest.approx(100 * (30 / 101 - 0.10))
    assert bool(emerging.loc["excel", "emerging"]) is False  # 5 → 5 postings
    assert math.isclose(emerging.loc["excel", "growth"], 5 / 101 / 0.05 - 1)
    # With a higher minimum count excel is not even tested.
    strict = compute_demand(db, country="co", period="2026-10", min_count=6)
    assert list(strict.emerging["skill_id"]) == ["python"]


def test_cooccurrence_and_salaries_by_hand(db: Database) -> None:
    _scenario(db)
    tables = compute_demand(db, country="co", period="2026-10")
    pair = tables.cooccurrence.iloc[0]
    assert {pair["skill_a_id"], pair["skill_b_id"]} == {"python", "excel"}
    assert pair["together"] == 5
    assert pair["jaccard"] == pytest.approx(5 / 30)
    assert pair["lift"] == pytest.approx(5 * 101 / (5 * 30))
    salary = tables.salaries.set_index("skill_id").loc["python"]
    # Midpoints 2.5M, 3M (min only), 4M (max only).
    assert salary["n_with_skill"] == 3 and salary["currency"] == "COP"
    assert float(salary["median"]) == pytest.approx(3_000_000)
    assert float(salary["p25"]) == pytest.approx(2_750_000)
    assert float(salary["p75"]) == pytest.approx(3_500_000)


def test_default_period_other_country_and_bad_input(db: Database) -> None:
    _scenario(db)
    assert compute_demand(db).period == "2026-10"
    empty = compute_demand(db, country="ar")
    assert empty.empty and empty.period is None and empty.emerging.empty
    missing = compute_demand(db, country="co", period="2027-01")
    assert missing.empty and any(n.key == "no_postings" and n.values["period"] == "2027-01" for n in missing.notes)
    with pytest.raises(ValueError, match="YYYY-MM"):
        compute_demand(db, period="octubre")


def test_statistics_refreshed_after_bulk_load(db: Database) -> None:
    _scenario(db)
    # Right after the load the planner has no statistics for the new rows: they are refreshed once.
    assert "postings" in refresh_statistics(db)
    assert refresh_statistics(db) == []


def test_wilson_interval_by_hand() -> None:
    from observatory.analysis.significance import wilson_interval

    # 1 of 1: the normal approximation says 100 % ± 0; Wilson says [0.2065, 1].
    low, high = wilson_interval([1, 30, 0], [1, 101, 0])
    assert low[0] == pytest.approx(0.20654, abs=1e-4) and high[0] == pytest.approx(1.0)
    # 30/101: centre (p + z²/2n)/(1 + z²/n), half-width z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n).
    z, n, p = 1.959964, 101, 30 / 101
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert (low[1], high[1]) == (pytest.approx(centre - half), pytest.approx(centre + half))
    assert math.isnan(low[2]) and math.isnan(high[2])
    with pytest.raises(ValueError):
        wilson_interval([3], [2])


def test_every_share_carries_its_evidence(db: Database) -> None:
    from observatory.analysis.significance import EVIDENCE_COLUMNS

    _scenario(db)
    tables = compute_demand(db, country="co", period="2026-10", min_cell=60)
    for name, frame in tables.tables().items():
        if name == "postings":  # counts of postings, no share: no share columns that would mean nothing
            assert not {"n_with_skill", "share", "ci_low", "ci_high"} & set(frame.columns)
            continue
        assert set(EVIDENCE_COLUMNS) <= set(frame.columns), name
    regions = tables.by_region.set_index(["region", "skill_id"])
    # 50 postings per region in October: below a minimum cell of 60, suppressed.
    assert bool(regions.loc[("Antioquia", "python"), "suppressed"]) is True
    top = tables.top_skills.set_index("skill_id")
    assert top.loc["python", "ci_low"] < 30 / 101 < top.loc["python", "ci_high"]


def test_title_only_postings_are_counted_apart(db: Database) -> None:
    b = _scenario(db)  # the same builder: its posting ids go on from the scenario's
    for _ in range(200):  # a feed of titles without description (the Argentine November file)
        b.posting("co-computrabajo", "2026-10", {"python": "required"}, description=None, title="Python developer")
    b.save()
    tables = compute_demand(db, country="co", period="2026-10")
    top = tables.top_skills.set_index("skill_id")
    assert top.loc["python", "n_postings"] == 101 and top.loc["python", "share"] == pytest.approx(30 / 101)
    assert tables.coverage is not None and tables.coverage.n_title_only == 200
    row = tables.postings.set_index(["portal", "month"]).loc[("computrabajo", "2026-10")]
    assert (row["n_postings"], row["n_analysable"], row["n_title_only"]) == (301, 101, 200)
    assert any(n.key == "title_only" and n.values["n"] == 200 for n in tables.notes)


def _employer_scenario(db: Database, *, template_ads: int, spread: bool) -> None:
    """300 postings a month from 60 employers; in October SQL rises, by one recruiter or across many."""
    b = DataBuilder(db)
    b.skill("sql", "SQL")
    for month in ("2026-09", "2026-10"):
        for i in range(300):
            skills: dict[str, str | None] = {"sql": "required"} if i % 10 == 0 else {}
            b.posting("co-computrabajo", month, skills, company=f"Empresa {i % 60}")
    for i in range(template_ads):  # October only
        company = f"Empresa {i % 60}" if spread else "Reclutadora Masiva S.A.S."
        b.posting("co-computrabajo", "2026-10", {"sql": "required"}, company=company)
    b.save()


def test_one_employer_cannot_make_a_trend(db: Database) -> None:
    _employer_scenario(db, template_ads=87, spread=False)
    tables = compute_demand(db, country="co", period="2026-10", employer_cap=5)
    sql = tables.emerging.set_index("skill_id").loc["sql"]
    # Raw shares jump from 10 % to 30 %, but 87 of the 117 October mentions are one recruiter's.
    assert sql["n_with_skill"] == 117 and sql["delta_pp"] > 15
    assert sql["weighted_n_with_skill"] == pytest.approx(35) and bool(sql["emerging"]) is False
    assert tables.n_emerging == 0
    uncapped = compute_demand(db, country="co", period="2026-10", employer_cap=1000)
    assert bool(uncapped.emerging.set_index("skill_id").loc["sql", "emerging"]) is True


def test_a_rise_across_employers_is_emerging(db: Database) -> None:
    _employer_scenario(db, template_ads=87, spread=True)
    tables = compute_demand(db, country="co", period="2026-10", employer_cap=5)
    sql = tables.emerging.set_index("skill_id").loc["sql"]
    assert bool(sql["emerging"]) is True and sql["employers"] == 60 and tables.n_emerging == 1
    strict = compute_demand(db, country="co", period="2026-10", min_employers=61)
    assert strict.emerging.empty


def test_partial_month_compared_on_the_same_days(db: Database) -> None:
    b = DataBuilder(db)
    b.skill("sql", "SQL")
    crawled = datetime(2026, 10, 10, 12, tzinfo=UTC)
    for month, days in (("2026-09", range(1, 31)), ("2026-10", range(1, 11))):
        for day in days:
            for k in range(4):
                skills: dict[str, str | None] = {"sql": None} if (k == 0 or month == "2026-10") else {}
                b.posting(
                    "co-computrabajo", month, skills, day=day, first_seen=crawled, last_seen=crawled,
                    company=f"E{day}-{k}",
                )  # fmt: skip
    b.save()
    # October's data ends on the 10th: not complete, so "latest" is September, the latest complete month.
    latest = compute_demand(db, country="co")
    assert latest.period == "2026-09" and any(
        n.key == "latest" and n.values["period"] == "2026-09" for n in latest.notes
    )
    tables = compute_demand(db, country="co", period="2026-10")
    assert tables.coverage is not None and not tables.coverage.complete
    assert tables.coverage.comparison == "same_days" and tables.coverage.comparison_days == 10
    sql = tables.emerging.set_index("skill_id").loc["sql"]
    assert (sql["prev_n_postings"], sql["n_postings"]) == (40, 40)  # days 1–10 of both months
    assert sql["comparison"] == "days_1_10"
    assert any(n.key == "partial_month" and n.values["days"] == 10 for n in tables.notes)
    assert tables.trends.set_index("month").loc["2026-10", "complete"].all() == False  # noqa: E712


def test_employer_tags_are_not_counted_as_text_demand(db: Database) -> None:
    builder = DataBuilder(db)
    ids = [builder.posting(skills={"python": "required"} if i < 10 else {}) for i in range(20)]
    builder.skill("excel")
    builder.save()
    with db.session() as session:
        for pid in ids:  # every posting carries an employer tag "Excel", none asks for it in its text
            session.execute(
                text(
                    'INSERT INTO skill_mentions (posting_id, skill_id, start, "end", surface, method, section, '
                    "importance, confidence, extractor_version) VALUES (:p, 'excel', -1, -1, 'Excel', 'portal_tag', "
                    "'portal_tags', 'required', 0.9, :v)"
                ),
                {"p": pid, "v": builder.extractor_version},
            )
    tables = compute_demand(db, country="co", period="2026-10", min_count=1)
    top = tables.top_skills.set_index("skill_id")
    assert top.loc["python", "n_with_skill"] == 10
    assert "excel" not in top.index
