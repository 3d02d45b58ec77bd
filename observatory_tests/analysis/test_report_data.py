"""What a report publishes: the stored demand's figures, no natural person's name, inert CSV cells, brands
and methods, each example posting once."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
from sqlalchemy import text

from observatory.analysis.demand_store import DemandInputs, cell_origin, demand_base, demand_inputs, read_cell
from observatory.analysis.trends import demand_table
from observatory.config import Settings
from observatory.defs import analysis
from observatory.defs.resources import ObservatoryDatabase
from observatory.reporting import build_report
from observatory.storage import Database
from observatory.storage.identity import database_identity
from observatory_tests.analysis.builders import DataBuilder, realistic_postings

PERSONS = ["ARIAS DIAZ BRYAN ALEXIS", "RAMIREZ VIÑANZACA GABRIELA ELIZABETH", "María José Pérez"]
FORMULA_TITLE = '=HYPERLINK("http://evil.example/x","Analista")'
FORMULA_SKILL = "@SUM(1+1)*cmd|' /C calc'!A0"


def _mention(conn: object, posting: str, skill: str, method: str, start: int) -> None:
    conn.execute(  # type: ignore[attr-defined]
        text(
            'INSERT INTO skill_mentions (posting_id, skill_id, start, "end", surface, method, section, importance, '
            "confidence, extractor_version) VALUES (:p, :s, :start, :start + 3, :s, :m, NULL, NULL, 0.9, 'test-1')"
        ),
        {"p": posting, "s": skill, "m": method, "start": start},
    )


@pytest.fixture()
def report_data(db: Database) -> dict[str, list[str]]:
    b = DataBuilder(db)
    realistic_postings(b, months=("2026-09", "2026-10"), per_month=40)
    b.skill("formula", FORMULA_SKILL)
    persons = []
    for k, person in enumerate(PERSONS):  # the newest postings of the month: they are the examples shown
        for repeat in range(2):  # the same employer and title twice (another day): shown once
            pid = b.posting(
                "co-computrabajo", "2026-10", {"python": "required", "formula": None}, day=30 - repeat,
                title=f"Niñera {k}", company=person,
            )  # fmt: skip
            persons.append(pid)
    formula = b.posting("co-elempleo", "2026-10", {"sql": "required"}, day=30, title=FORMULA_TITLE, company="-Acme")
    zonajobs = [
        b.posting("ar-bumeran", "2026-10", {"ventas": "required"}, day=5 + i, company="ADECCO ARGENTINA",
                  title=f"Vendedor {i}", raw={"brand": "zonajobs" if i % 3 else "bumeran"})
        for i in range(12)
    ]  # fmt: skip
    b.save()
    with db.engine.begin() as conn:
        for i, pid in enumerate(zonajobs):
            _mention(conn, pid, "ventas", "title", 100)  # also named in the title
            if i < 5:
                _mention(conn, pid, "excel-avanzado", "portal_tag", -1)  # an employer tag only
    return {"persons": persons, "formula": [formula], "zonajobs": zonajobs}


def _materialise_demand(settings: Settings, first: str, last: str) -> None:
    dg.materialize(
        [analysis.skill_demand],
        resources={"database": ObservatoryDatabase(data_dir=str(settings.data_dir))},
        tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
        raise_on_error=True,
    )


def test_report_shows_the_stored_demand(report_data: dict[str, list[str]], db: Database, settings: Settings,
                                        tmp_path: Path) -> None:  # fmt: skip
    _materialise_demand(settings, "2026-09-01|co-computrabajo", "2026-10-01|co-elempleo")
    stored = pd.concat(
        [pd.read_parquet(analysis.demand_path(settings.data_dir, m, s))
         for m in ("2026-09", "2026-10") for s in ("co-computrabajo", "co-elempleo")]
    )  # fmt: skip
    cells = [read_cell(demand_base(settings.data_dir), m, s) for m in ("2026-10",) for s in SOURCES_CO]
    assert {cell_origin(demand_base(settings.data_dir), "2026-10", s) for s in SOURCES_CO} == {database_identity(db)}
    # The database changes behind the stored demand: half of Power BI's mentions go, new postings come, salaries
    # double.
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM skill_mentions WHERE skill_id = 'power-bi' AND posting_id LIKE '%1'"))
        conn.execute(text("UPDATE postings SET salary_min = 2 * salary_min, salary_max = 2 * salary_max"))
    b = DataBuilder(db)
    b._n = 10_000
    for _ in range(30):
        b.posting("co-computrabajo", "2026-10", {"power-bi": "required", "sql": None}, title="Analista BI",
                  salary_raw="$ 9.000.000 (Mensual)")  # fmt: skip
    b.save()

    paths = build_report(db, settings, country="co", period="2026-10", out_dir=tmp_path, pdf=False)
    demand = pd.read_parquet(paths.folder / "data" / "demand.parquet")
    report = demand[demand["portal"] != "all"].set_index(["month", "portal", "skill_id"]).sort_index()
    asset = stored.set_index(["month", "portal", "skill_id"]).sort_index()
    # Cell by cell, the report's demand is the asset's: same rows, numerators, denominators, shares.
    assert list(report.index) == list(asset.index)
    for column in ("n_with_skill", "n_postings", "n_required", "n_desirable", "n_text", "n_title"):
        assert report[column].tolist() == asset[column].tolist(), column
    assert report["share"].tolist() == pytest.approx(asset["share"].tolist())
    top = pd.read_parquet(paths.folder / "data" / "top_skills.parquet").set_index("skill_id")
    october = asset.loc["2026-10"].groupby("skill_id")["n_with_skill"].sum()
    assert top.loc["power-bi", "n_with_skill"] == october["power-bi"]  # not the database's new count
    assert top.loc["power-bi", "n_postings"] == asset.loc["2026-10"].groupby(level=0)["n_postings"].first().sum()
    assert "materializadas" not in paths.html.read_text(encoding="utf-8")  # every cell was stored
    _assert_stored_cooccurrence_and_salaries(paths.folder / "data", cells)

    # Without stored demand the same report is computed from the database, and says so.
    shutil.rmtree(settings.data_dir / "demand")
    fresh = build_report(db, settings, country="co", period="2026-10", out_dir=tmp_path / "fresh", pdf=False)
    fresh_top = pd.read_parquet(fresh.folder / "data" / "top_skills.parquet").set_index("skill_id")
    assert fresh_top.loc["power-bi", "n_postings"] == top.loc["power-bi", "n_postings"] + 30
    assert any("no estaban materializadas" in note for note in fresh.notes)
    # The database's doubled salaries: what the stored cells did not see.
    salaries = [pd.read_parquet(p.folder / "data" / "salaries.parquet").set_index("skill_id") for p in (paths, fresh)]
    assert salaries[1].loc["*", "median"] > salaries[0].loc["*", "median"]


SOURCES_CO = ("co-computrabajo", "co-elempleo")


def _assert_stored_cooccurrence_and_salaries(data: Path, cells: list[DemandInputs]) -> None:
    """The report's co-occurrence pairs and salary figures are those of the stored cells, counted here by hand."""
    skills = pd.concat([c.posting_skills for c in cells])
    quotes = pd.concat([c.salaries for c in cells])
    postings = pd.concat([c.postings for c in cells])
    members: dict[str, set[str]] = {}
    for row in skills.itertuples():
        members.setdefault(row.skill_id, set()).add(row.posting)
    n_postings = int(postings["n_analysable"].sum())

    cooc = pd.read_parquet(data / "cooccurrence.parquet")
    assert len(cooc) > 10
    for pair in cooc.itertuples():
        a, b = members[pair.skill_a_id], members[pair.skill_b_id]
        assert (pair.together, pair.postings_a, pair.postings_b, pair.n_postings) == (
            len(a & b), len(a), len(b), n_postings
        ), pair  # fmt: skip
        assert pair.lift == pytest.approx(len(a & b) * n_postings / (len(a) * len(b)))
    assert ("power-bi" in set(cooc["skill_a_id"]) | set(cooc["skill_b_id"])) and "sql" in members

    salaries = pd.read_parquet(data / "salaries.parquet").set_index(["skill_id", "currency"])
    monthly = quotes[quotes["status"] == "quoted"].set_index("posting")["monthly"]
    assert len(monthly) > 10 and (quotes["currency"].dropna() == "COP").all()
    every = salaries.loc[("*", "COP")]
    assert (every["n_with_skill"], every["median"]) == (len(monthly), pytest.approx(monthly.median()))
    assert every["n_postings"] == n_postings + int(postings["n_title_only"].sum())
    checked = 0
    for (skill_id, _), row in salaries.drop(index="*", level=0).iterrows():
        paid = monthly[monthly.index.isin(members[skill_id])]
        assert row["n_with_skill"] == len(paid) and row["n_postings"] == len(members[skill_id]), skill_id
        assert (row["p25"], row["median"], row["p75"]) == pytest.approx(
            (paid.quantile(0.25), paid.median(), paid.quantile(0.75))
        ), skill_id
        checked += 1
    assert checked >= 2
    quality = pd.read_parquet(data / "salary_quality.parquet").set_index("status")["n_with_skill"]
    assert quality["parsed"] == len(monthly) and quality["none"] == every["n_postings"] - len(quotes)

    # The stored cells name no employer and no posting: hashes only.
    for cell in cells:
        for frame in cell.frames().values():
            text_ = frame.astype(str).to_csv()
            assert "Empresa" not in text_ and "computrabajo:" not in text_ and "elempleo:" not in text_


def test_no_person_named_and_csv_cells_inert(report_data: dict[str, list[str]], db: Database, settings: Settings,
                                             tmp_path: Path) -> None:  # fmt: skip
    paths = build_report(db, settings, country="co", period="2026-10", out_dir=tmp_path)
    html = paths.html.read_text(encoding="utf-8")
    published = [html] + [p.read_text(encoding="utf-8") for p in paths.data if p.suffix == ".csv"]
    published += [pd.read_parquet(p).to_csv() for p in paths.data if p.suffix == ".parquet"]
    if shutil.which("pdftotext") and paths.pdf is not None:
        published.append(subprocess.run(["pdftotext", str(paths.pdf), "-"], capture_output=True, text=True).stdout)
    for person in PERSONS:
        for words in (person, person.split()[0] + " " + person.split()[1]):
            assert not any(words.lower() in text_.lower() for text_ in published), words
    examples = pd.read_parquet(paths.folder / "data" / "examples.parquet")
    private = examples[examples["company"] == "particular"]
    assert len(private) == len(PERSONS)  # each person's posting, shown once with "particular"
    assert not examples.duplicated(["company", "title"]).any()
    assert "<td>particular</td>" in html

    # CSV: text cells that a spreadsheet would run as formulas are prefixed; Parquet keeps the values.
    csv_examples = pd.read_csv(paths.folder / "data" / "examples.csv")
    assert ("'" + FORMULA_TITLE) in csv_examples["title"].tolist() and "'-Acme" in csv_examples["company"].tolist()
    assert FORMULA_TITLE in examples["title"].tolist()
    csv_top = pd.read_csv(paths.folder / "data" / "top_skills.csv")
    assert "'" + FORMULA_SKILL in csv_top["skill"].tolist()
    assert FORMULA_SKILL in pd.read_parquet(paths.folder / "data" / "top_skills.parquet")["skill"].tolist()
    emerging = pd.read_csv(paths.folder / "data" / "emerging.csv")
    assert pd.api.types.is_float_dtype(emerging["delta_pp"]) and (emerging["delta_pp"] < 0).any()  # numbers


def test_brands_and_methods_reported(report_data: dict[str, list[str]], db: Database, settings: Settings,
                                     tmp_path: Path) -> None:  # fmt: skip
    paths = build_report(db, settings, country="ar", period="2026-10", out_dir=tmp_path, pdf=False, language="en")
    postings = pd.read_csv(paths.folder / "data" / "postings.csv").set_index("brand")
    assert postings.loc["zonajobs", "n_postings"] == 8 and postings.loc["bumeran", "n_postings"] == 4
    assert set(postings["portal"]) == {"bumeran"}
    html = paths.html.read_text(encoding="utf-8")
    assert "Analysable postings by brand: bumeran 4, zonajobs 8." in html
    top = pd.read_csv(paths.folder / "data" / "top_skills.csv").set_index("skill_id")
    assert (top.loc["ventas", "n_with_skill"], top.loc["ventas", "n_text"], top.loc["ventas", "n_title"]) == (
        12,
        12,
        12,
    )
    assert "excel-avanzado" not in top.index  # an employer tag alone is not demand
    assert top.loc["ventas", "n_employer_tag"] == 0
    # The stored cell keeps the employer tags apart.
    cell = demand_inputs(db, source="ar-bumeran", period="2026-10")
    tags = cell.skills.set_index("skill_id")
    assert tags.loc["excel-avanzado", "n_employer_tag"] == 5 and tags.loc["excel-avanzado", "n_with_skill"] == 0
    assert demand_table(cell).set_index("skill_id").loc["ventas", "n_title"] == 12
