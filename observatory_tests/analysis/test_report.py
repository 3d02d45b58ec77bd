"""The report end to end: HTML drawn by headless Chromium offline, PDF pages via pdftoppm, data exports."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from observatory.analysis.clusters import cluster_skills
from observatory.config import Settings
from observatory.embeddings import embed_skills
from observatory.reporting import build_report
from observatory.storage import Database
from observatory_tests.analysis.builders import DataBuilder, realistic_postings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
EVIL_TITLE = "<script>document.title='pwned'</script>Analista de datos"
EVIL_SKILL = "<img src=x onerror=alert(1)>"


def chromium_dom(html: Path, tmp_path: Path) -> str:
    """The DOM after scripts ran, with every proxied request sent to a dead port (no network)."""
    assert CHROMIUM, "Debian chromium is required: apt-get install -y chromium"
    profile = tmp_path / "chromium-profile"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--proxy-server=127.0.0.1:9",
            "--virtual-time-budget=15000",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture()
def report_data(db: Database, settings: Settings) -> Database:
    b = DataBuilder(db)
    realistic_postings(b)
    b.posting(month="2026-10", day=28, title=EVIL_TITLE, skills={"python": "required", "evil": "required"})
    b.skills["evil"]["name_es"] = EVIL_SKILL
    b.save()
    embed_skills(db, settings)
    cluster_skills(db, settings)
    return db


def test_html_and_pdf_report(report_data: Database, settings: Settings, tmp_path: Path) -> None:
    paths = build_report(report_data, settings, country="co", period="2026-10", out_dir=tmp_path / "reports")
    assert paths.folder.parent == tmp_path / "reports" / "co" / "2026-10"
    html = paths.html.read_text(encoding="utf-8")
    # Self-contained: no script or stylesheet loaded from anywhere, and a CSP forbidding it anyway.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I)
    assert "default-src 'none'" in html
    # Posting text is escaped in the HTML and in the JSON chart specs.
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert EVIL_TITLE not in html and EVIL_SKILL not in html
    # The method section states the clustering's size and quality figures.
    method = html.split('id="method"', 1)[1]
    assert "Grupos de habilidades:" in method
    assert ("DBCV" in method and "silueta" in method) or "sin estructura de grupos" in method

    dom = chromium_dom(paths.html, tmp_path)
    charts = re.findall(r'<div class="chart vega-chart[^"]*"[^>]*>(.*?)</div>\s*<script', dom, re.S)
    assert len(charts) == 9  # every chart had data
    assert all("<svg" in c and "mark-" in c for c in charts), "a chart was not drawn"
    assert "vega-chart chart-error" not in dom
    assert "<title>pwned" not in dom and "Observatorio laboral" in dom.split("</title>")[0]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;Analista de datos" in dom  # shown as text
    assert '<img src="x"' not in dom

    assert PDFTOPPM, "poppler-utils is required: apt-get install -y poppler-utils"
    assert paths.pdf is not None and paths.pdf.read_bytes().startswith(b"%PDF")
    from observatory.reporting.charts import text_overflow

    # Every chart keeps its labels and legends inside its own picture (what the PDF embeds).
    overflow = {name: text_overflow(spec) for name, spec in paths.charts.items()}
    assert len(overflow) == 9 and not any(overflow.values()), overflow
    subprocess.run([PDFTOPPM, "-r", "40", "-png", str(paths.pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    from PIL import Image

    with Image.open(pages[0]) as first:
        grey = first.convert("L")
        dark = sum(1 for v in grey.getdata() if v < 200) / (grey.width * grey.height)
    assert dark > 0.02, "the first PDF page is blank"
    pdf_text = subprocess.run(["pdftotext", str(paths.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Habilidades más demandadas" in pdf_text
    assert EVIL_TITLE in re.sub(r"\s+", "", pdf_text).replace("Analistadedatos", "Analista de datos")  # literal text

    tables = {p.stem for p in paths.data if p.suffix == ".csv"}
    assert tables == {p.stem for p in paths.data if p.suffix == ".parquet"}
    assert {"top_skills", "trends", "emerging", "by_region", "cluster_map", "cooccurrence", "salaries"} <= tables
    top = pd.read_parquet(paths.folder / "data" / "top_skills.parquet")
    assert top.iloc[0]["skill_id"] == "power-bi"
    assert (
        pd.read_csv(paths.folder / "data" / "top_skills.csv")["n_with_skill"].tolist() == top["n_with_skill"].tolist()
    )
    emerging = pd.read_csv(paths.folder / "data" / "emerging.csv")
    assert emerging.loc[emerging["emerging"], "skill_id"].tolist() == ["power-bi"]


def test_english_branding_and_old_runs_cleaned(report_data: Database, settings: Settings, tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    branded = settings.model_copy(
        update={
            "report_language": "en",
            "report_title": "Skills Monitor <Colombia>",
            "report_logo": logo,
            "report_colors": ["#123456", "#abcdef"],
            "report_keep_runs": 2,
        }
    )
    runs = [build_report(report_data, branded, country="co", out_dir=tmp_path / "r", pdf=False) for _ in range(3)]
    html = runs[-1].html.read_text(encoding="utf-8")
    assert "Skills Monitor &lt;Colombia&gt;" in html and "Most demanded skills" in html
    assert "data:image/svg+xml;base64," in html and "#123456" in html
    kept = sorted(p.name for p in (tmp_path / "r" / "co" / "2026-10").iterdir())
    assert kept == sorted(r.folder.name for r in runs[1:])
    assert runs[-1].pdf is None

    everywhere = build_report(report_data, branded, out_dir=tmp_path / "r", pdf=False)
    assert everywhere.folder.parent.parent.name == "all"
    with pytest.raises(ValueError, match="country ar"):
        build_report(report_data, branded, country="ar", out_dir=tmp_path / "r")


def test_cluster_map_legend_and_points_bounded() -> None:
    from observatory.reporting.charts import MAX_LEGEND_CLUSTERS, MAX_MAP_POINTS, cluster_chart
    from observatory.reporting.i18n import texts

    rows = [
        {"skill": f"s{i}", "cluster": i % 40 if i % 10 else -1, "cluster_label": f"grupo {i % 40}", "x": i, "y": i}
        for i in range(8000)
    ]
    spec = cluster_chart(pd.DataFrame(rows), texts("es", alpha=0.05, min_count=5), ["#111111", "#222222"])
    assert spec is not None
    (values,) = spec["datasets"].values()
    assert len(values) == MAX_MAP_POINTS
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert len(domain) == MAX_LEGEND_CLUSTERS + 2 and domain[-2:] == ["otros grupos", "sin grupo"]


def test_every_published_table_has_its_evidence(report_data: Database, settings: Settings, tmp_path: Path) -> None:
    from observatory.analysis.significance import EVIDENCE_COLUMNS
    from observatory.reporting.report import _export_tables

    paths = build_report(report_data, settings, country="co", period="2026-10", out_dir=tmp_path, pdf=False)
    parquet = [p for p in paths.data if p.suffix == ".parquet"]
    assert len(parquet) >= 12
    for path in parquet:
        columns = set(pd.read_parquet(path).columns)
        if path.stem in ("postings", "examples"):  # counts and examples: no share, so no share columns
            assert not {"n_with_skill", "share", "ci_low", "ci_high"} & columns, path.name
            continue
        assert set(EVIDENCE_COLUMNS) <= columns, f"{path.name} publishes without {set(EVIDENCE_COLUMNS) - columns}"
    postings = pd.read_csv(paths.folder / "data" / "postings.csv")
    assert (postings["n_postings"] == postings["n_analysable"] + postings["n_title_only"]).all()
    # A share without its n is refused at export time.
    with pytest.raises(ValueError, match="evidence columns"):
        _export_tables({"bare": pd.DataFrame({"skill": ["SQL"], "share": [0.5]})}, tmp_path)
    html = paths.html.read_text(encoding="utf-8")
    assert "avisos analizables de computrabajo, elempleo" in html  # how many, which portals, which dates
    assert "n = " in html and "publican un salario utilizable" in html
    salaries = pd.read_parquet(paths.folder / "data" / "salaries.parquet")
    assert salaries["median"].between(1_000_000, 10_000_000).all()  # monthly COP, plausible


def test_charts_fit_their_canvas_with_distinct_colours() -> None:
    from observatory.reporting import charts
    from observatory.reporting.i18n import texts

    t = texts("es", alpha=0.05, min_count=5, min_cell=10, min_employers=3, employer_cap=5)
    long_names = [f"habilidad con un nombre bastante largo número {i}" for i in range(8)]
    trends = pd.DataFrame(
        [
            {"month": m, "skill_id": s, "skill": s, "n_postings": 100, "n_with_skill": 10 + k, "share": (10 + k) / 100,
             "ci_low": 0.05, "ci_high": 0.2, "suppressed": False, "complete": True}
            for m in ("2026-08", "2026-09", "2026-10") for k, s in enumerate(long_names)
        ]
    )  # fmt: skip
    spec = charts.trends_chart(trends, t, ["#1f4e79", "#e07b39"])
    assert spec is not None
    palette = spec["encoding"]["color"]["scale"]["range"]
    assert len(palette) == 8 == len(set(palette))  # 8 lines, 8 colours
    # ... that can be told apart: no brand orange beside a near-identical palette orange.
    assert min(charts._distance(a, b) for i, a in enumerate(palette) for b in palette[i + 1 :]) >= 60
    assert charts.text_overflow(spec) == []
    top = pd.DataFrame(
        {"skill": ["sin especificar muy largo"] * 1, "n_postings": [23], "n_with_skill": [4], "share": [4 / 23],
         "ci_low": [0.07], "ci_high": [0.37], "n_required": [1], "n_desirable": [1]}
    )  # fmt: skip
    top_spec = charts.top_skills_chart(top, t, ["#1f4e79"])
    assert top_spec is not None and charts.text_overflow(top_spec) == []
    # The check does catch labels and legends drawn outside the picture (no room reserved for them).
    assert charts.text_overflow(dict(spec, autosize={"type": "none"}))
    many = pd.concat([trends.assign(skill=trends["skill"] + f" {i}") for i in range(2)], ignore_index=True)
    assert "facet" in (charts.trends_chart(many, t, ["#1f4e79"]) or {})  # past 10 series: small multiples


def test_country_map_is_drawn_offline() -> None:
    import vl_convert

    from observatory.reporting import charts
    from observatory.reporting.i18n import texts

    t = texts("en")
    countries = pd.DataFrame(
        {"country": ["co", "ar"], "n_postings": [300, 300], "n_with_skill": [200, 100], "share": [2 / 3, 1 / 3],
         "ci_low": [0.6, 0.28], "ci_high": [0.72, 0.39], "suppressed": [False, False]}
    )  # fmt: skip
    spec = charts.country_map_chart(countries, t, ["#1f4e79"])
    assert spec is not None
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    assert svg.count("<path") > 20  # the Latin American countries, with nothing fetched


def test_method_section_states_cluster_quality(db: Database) -> None:
    from observatory.reporting.report import _cluster_quality
    from observatory.storage.models import AnalysisRun

    assert _cluster_quality(db, "es") is None  # no clustering yet: nothing to state
    metrics = {"clusters": 105, "subclusters": 229, "skills": 20000, "dbcv": 0.253, "silhouette": 0.081,
               "noise_share": 0.314}  # fmt: skip
    with db.session() as session:
        run = AnalysisRun(kind="clusters", version="t", params={"model": "use-m3"}, metrics=metrics, is_current=True)
        session.add(run)
    spanish = _cluster_quality(db, "es")
    assert spanish is not None
    assert "105 grupos (229 subgrupos) sobre 20.000 habilidades" in spanish and "DBCV 0,25" in spanish
    assert "silueta 0,08" in spanish and "31 %" in spanish and "use-m3" in spanish
    english = _cluster_quality(db, "en")
    assert english is not None and "over 20,000 skills" in english and "DBCV 0.25" in english
