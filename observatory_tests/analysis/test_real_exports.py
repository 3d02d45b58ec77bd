"""The two real exports end to end, as a new user runs them: ``ingest`` (the Argentine dump split by its ``fuente``
column into Bumeran and ZonaJobs, the Ecuador Computrabajo CSV), ``materialize skill_demand``, ``report`` in Spanish
and English. What is published names no natural person, shows the stored asset's figures, and speaks one language.

The fixture files are written here in the shape of ``../shared/postings`` (keys, columns, the Computrabajo scraper's
'.' for commas and tabs for newlines, individual posters under their tax-registry name); the last test runs the same
path on a slice of the real files and skips without them.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from observatory.analysis.demand_store import demand_base
from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.reporting.privacy import is_natural_person
from observatory.reporting.report import ReportPaths
from observatory.storage import Database
from observatory_tests.analysis.test_report_language import ONE_WITH_PLURAL, language_problems, visible_text

runner = CliRunner()

# Invented people, named the way each portal shows them.
AR_PERSONS = ["Rocío Belén Fernández", "Gustavo Adrián Sosa", "MARIANA LUJAN ACOSTA"]
EC_PERSONS = ["QUINDE TOAPANTA JOSE LUIS", "VILLACIS MOROCHO ANA GABRIELA", "CEVALLOS PAREDES MARIA FERNANDA"]
AR_COMPANIES = ["Randstad Argentina", "Grupo Logístico del Sur S.A.", "Consultora Norte RRHH", "Panificadora Oeste SRL"]
EC_COMPANIES = ["COMERCIAL LOS ANDES CIA. LTDA.", "Servicios Logísticos Pacífico S.A.", "FARMACIAS DEL VALLE"]

# (title, description): real-looking postings whose skills the extractor finds.
POSTINGS = [
    ("Vendedor/a de salón", "Buscamos vendedor/a con experiencia en ventas y atención al cliente. Manejo de caja y "
     "Excel. Se valora trabajo en equipo y buena comunicación."),
    ("Analista contable", "Tareas: registración contable, conciliaciones bancarias, liquidación de impuestos. "
     "Requisitos: estudiante avanzado de Contador Público, manejo de Excel avanzado y SAP."),
    ("Desarrollador Python", "Desarrollo de APIs en Python y Django, bases de datos PostgreSQL y SQL, Git y Docker. "
     "Inglés intermedio. Trabajo en equipo con metodologías ágiles (Scrum)."),
    ("Operario de depósito", "Preparación de pedidos, carga y descarga de mercadería, control de stock. Manejo de "
     "autoelevador excluyente. Disponibilidad horaria."),
    ("Asistente administrativo/a", "Atención telefónica, gestión de agenda, facturación y cobranzas. Manejo de "
     "Microsoft Office (Excel, Word). Buena comunicación y organización."),
    ("Recepcionista de hotel", "Check-in y check-out de huéspedes, reservas, atención al cliente en inglés. "
     "Manejo de Opera PMS. Orientación al servicio."),
]  # fmt: skip


# Ecuador's own wording (another portal's copy of the same text would be a duplicate, counted once).
EC_POSTINGS = [
    ("Ejecutivo de ventas", "Estamos en la búsqueda de ejecutivos de ventas para cartera de clientes corporativos. "
     "REQUISITOS: experiencia mínima de 1 año en ventas, negociación, manejo de CRM, licencia tipo B."),
    ("Auxiliar contable", "FUNCIONES: registro de facturas en el sistema contable, declaraciones al SRI, "
     "conciliaciones bancarias, elaboración de roles de pago. Conocimientos de contabilidad y Excel intermedio."),
    ("Cajero/a de supermercado", "Buscamos cajeros con experiencia en manejo de caja y atención al cliente, "
     "disponibilidad para turnos rotativos, bachiller. Se ofrece estabilidad y beneficios de ley."),
    ("Técnico de soporte", "Soporte técnico a usuarios, instalación y configuración de equipos, redes LAN, "
     "Windows y Linux, manejo de tickets. Tecnólogo en sistemas, inglés básico."),
    ("Asistente de bodega", "Recepción y despacho de mercadería, control de inventarios, manejo de montacargas y "
     "kárdex. Experiencia de 6 meses en logística."),
    ("Chef de cocina", "Preparación de platos a la carta, control de costos de cocina, manipulación de alimentos "
     "y normas BPM, liderazgo del equipo de cocina."),
    ("Enfermera/o de planta", "Cuidado directo de pacientes hospitalizados, administración de medicamentos, registro "
     "en historia clínica. Título de tercer nivel en enfermería registrado en la SENESCYT."),
    ("Mecánico automotriz", "Diagnóstico y reparación de motores a gasolina y diésel, sistemas de frenos y "
     "suspensión, uso de escáner automotriz. Experiencia de 2 años."),
    ("Diseñador gráfico", "Diseño de piezas para redes sociales, manejo de Adobe Illustrator, Photoshop y Canva, "
     "edición de video básica. Portafolio indispensable."),
    ("Analista de datos", "Elaboración de reportes en Power BI, consultas SQL, limpieza de datos en Python, "
     "estadística descriptiva. Ingeniería en sistemas o afines."),
    ("Docente de inglés", "Planificación de clases de inglés para niños, nivel B2 certificado, manejo de plataformas "
     "virtuales y pedagogía activa."),
    ("Guardia de seguridad", "Control de accesos, rondas de vigilancia, monitoreo de CCTV, curso de guardia nivel 1 "
     "aprobado, disponibilidad de horario."),
]  # fmt: skip


def _ar_dump(path: Path) -> list[str]:
    """The Argentine dump (``ofertas[]`` with ``fuente``); returns its employer names."""
    offers: list[dict[str, Any]] = []
    employers = [*AR_COMPANIES]
    for month, days in (("2025-09", range(2, 26, 3)), ("2025-10", range(1, 26, 3))):
        for k, day in enumerate(days):
            title, text = POSTINGS[k % len(POSTINGS)]
            for fuente in ("bumeran", "zonajobs"):
                offers.append(
                    {
                        "id": str(2_100_000 + len(offers)), "titulo": title, "empresa": employers[k % len(employers)],
                        "ubicacion": ("Capital Federal, Buenos Aires", "Rosario, Santa Fe", "Córdoba, Córdoba")[k % 3],
                        "fecha_publicacion": f"{month}-{day:02d}", "descripcion_preview": text[:80],
                        "descripcion_full": text if k != 3 or fuente == "bumeran" else "",  # one title-only
                        "url_original": f"https://www.bumeran.com.ar/empleos/{2_100_000 + len(offers)}.html",
                        "fuente": fuente,
                    }
                )  # fmt: skip
    # The month's newest postings are the report's examples: individuals on both brands among them.
    for i, person in enumerate(AR_PERSONS):
        title, text = POSTINGS[i]
        offers.append(
            {
                "id": str(2_200_000 + i), "titulo": f"{title} para comercio familiar", "empresa": person,
                "ubicacion": "La Plata, Buenos Aires", "fecha_publicacion": f"2025-10-{29 - i}",
                "descripcion_preview": "", "descripcion_full": text,
                "url_original": f"https://www.zonajobs.com.ar/empleos/{2_200_000 + i}.html",
                "fuente": "zonajobs" if i % 2 else "bumeran",
            }
        )  # fmt: skip
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump({"version": "1.0", "snapshot_date": "2025-11-01", "total_ofertas": len(offers), "ofertas": offers},
                  handle, ensure_ascii=False)  # fmt: skip
    return [*AR_COMPANIES, *AR_PERSONS]


EC_COLUMNS = ["id", "origen", "empresa", "paisEmpresa", "ciudad", "provincia", "pais", "fechaHoraPublicacion",
              "skills", "descripcion", "tipoContrato", "salarioDescripcion", "titulo", "educacionMinima",
              "modalidadTrabajo"]  # fmt: skip


def _ec_csv(path: Path) -> list[str]:
    """The Computrabajo Ecuador CSV: the scraper wrote '.' for commas and tabs for newlines. Dated 2025: the test
    process's partitions start at the default 2025-06-01 (the real 2024 file needs OBSERVATORY_PARTITIONS_START)."""
    rows = []
    employers = [*EC_COMPANIES]
    # Each job once: the same job posted again next month is a near-duplicate, counted once (in its first month).
    for month, jobs in (("2025-09", EC_POSTINGS[:6]), ("2025-10", EC_POSTINGS[6:])):
        for k, (title, text) in enumerate(jobs):
            day = 3 + 4 * k
            rows.append(
                {
                    "id": f"{len(rows):032X}", "origen": "computrabajo", "empresa": employers[k % len(employers)],
                    "paisEmpresa": "Ecuador", "ciudad": ("Quito", "Guayaquil", "Cuenca")[k % 3],
                    "provincia": ("Pichincha", "Guayas", "Azuay")[k % 3], "pais": "Ecuador",
                    "fechaHoraPublicacion": f"{month}-{day:02d}T09:{k:02d}:00", "skills": "Excel",
                    "descripcion": text.replace(",", ".").replace(". ", ".\t"), "tipoContrato": "Indefinido",
                    "salarioDescripcion": "$ 600.00 (Mensual)" if k % 2 else "A convenir", "titulo": title,
                    "educacionMinima": "Bachillerato", "modalidadTrabajo": "Presencial",
                }
            )  # fmt: skip
    for i, person in enumerate(EC_PERSONS):  # individual posters, newest of the month
        title, text = EC_POSTINGS[i]
        title = f"{title} para negocio familiar"
        rows.append(
            {
                "id": f"EC{i:030X}", "origen": "computrabajo", "empresa": person, "paisEmpresa": "Ecuador",
                "ciudad": "Quito", "provincia": "Pichincha", "pais": "Ecuador",
                "fechaHoraPublicacion": f"2025-10-{30 - i}T18:00:00", "skills": "",
                "descripcion": text.replace(",", "."),
                "tipoContrato": "Otro tipo de contrato", "salarioDescripcion": "A convenir", "titulo": title,
                "educacionMinima": "", "modalidadTrabajo": "Presencial",
            }
        )  # fmt: skip
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=EC_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return [*EC_COMPANIES, *EC_PERSONS]


AR_MAP = ["native_id=id", "title=titulo", "company=empresa", "location=ubicacion", "date_posted=fecha_publicacion",
          "description=descripcion_full", "url=url_original"]  # fmt: skip
AR_INGEST = ["--source-column", "fuente", "--source-map", "bumeran=ar-bumeran", "--source-map", "zonajobs=ar-zonajobs",
             *(x for m in AR_MAP for x in ("--map", m))]  # fmt: skip
EC_MAP = ["native_id=id", "title=titulo", "company=empresa", "description=descripcion",
          "location={ciudad}, {provincia}", "date_posted=fechaHoraPublicacion", "salary=salarioDescripcion",
          "contract=tipoContrato", "work_mode=modalidadTrabajo", "education=educacionMinima",
          "url=https://ec.computrabajo.com/oferta/{id}"]  # fmt: skip
EC_INGEST = ["--source", "ec-computrabajo", *(x for m in EC_MAP for x in ("--map", m))]


def report_paths(folder: Path) -> ReportPaths:
    """A written report read back from its folder: files, notes (manifest) and chart specs (HTML)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    page = (folder / "report.html").read_text(encoding="utf-8")
    charts = {
        name: json.loads(spec)
        for name, spec in re.findall(r'<script type="application/json" id="spec-(\w+)">(.*?)</script>', page, re.S)
    }
    pdf = folder / "report.pdf"
    return ReportPaths(folder, folder / "report.html", pdf if pdf.exists() else None,
                       [folder / p for p in manifest["data"]], folder / "manifest.json", 0.0, manifest["notes"],
                       charts)  # fmt: skip


def published_texts(paths: ReportPaths) -> dict[str, str]:
    """Every file of a report as text: HTML, manifest, CSV, Parquet (as CSV), and the PDF's text when readable."""
    out = {paths.html.name: paths.html.read_text(encoding="utf-8")}
    assert paths.manifest is not None
    out[paths.manifest.name] = paths.manifest.read_text(encoding="utf-8")
    for path in paths.data:
        out[path.name] = path.read_text(encoding="utf-8") if path.suffix == ".csv" else pd.read_parquet(path).to_csv()
    if paths.pdf is not None and shutil.which("pdftotext"):
        out["report.pdf"] = subprocess.run(["pdftotext", str(paths.pdf), "-"], capture_output=True, text=True,
                                           check=True).stdout  # fmt: skip
    return out


def named_persons(texts: dict[str, str], employers: list[str], portal: str) -> list[tuple[str, str]]:
    """(person, file) for each employer the privacy rules call a person whose name, or first two words, a file holds.

    Whitespace is normalised: a PDF or a wrapped cell breaks lines anywhere."""
    flat = {name: " ".join(text.split()).casefold() for name, text in texts.items()}
    found = []
    for person in (e for e in employers if is_natural_person(e, portal)):
        for words in {person, " ".join(person.split()[:2])}:
            found += [(words, name) for name, text in flat.items() if words.casefold() in text]
    return found


def stored_equals_report(paths: ReportPaths, data_dir: Path) -> list[str]:
    """The cells where the report's demand differs from the stored ``skill_demand`` Parquet (sources summed)."""
    report = pd.read_parquet(paths.folder / "data" / "demand.parquet")
    report = report[report["portal"] != "all"].set_index(["month", "portal", "skill_id"]).sort_index()
    base = demand_base(data_dir)
    months = sorted(report.index.get_level_values(0).unique())
    stored = pd.concat([pd.read_parquet(p) for m in months for p in (base / m).glob("*.parquet")])
    stored = stored[stored["country"].isin(set(report["country"]))]  # the report's scope
    counts = ["n_with_skill", "n_required", "n_desirable", "n_text", "n_title", "n_employer_tag"]
    asset = stored.groupby(["month", "portal", "skill_id"])[counts].sum()
    totals = stored.groupby(["month", "portal", "source"])["n_postings"].first().groupby(level=[0, 1]).sum()
    asset["n_postings"] = [totals[(m, p)] for m, p, _ in asset.index]
    problems = [] if list(report.index) == list(asset.index) else ["cells"]
    problems += [c for c in [*counts, "n_postings"] if not problems and report[c].tolist() != asset[c].tolist()]
    if not problems and not (report["share"] - asset["n_with_skill"] / asset["n_postings"]).abs().max() < 1e-12:
        problems.append("share")
    return problems


@pytest.fixture()
def cli_env(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    monkeypatch.delenv("OBSERVATORY_REPORT_LANGUAGE", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def _invoke(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_both_exports_ingest_and_report_without_persons_in_one_language(cli_env: Database, settings: Settings,
                                                                        tmp_path: Path) -> None:  # fmt: skip
    ar_employers, ec_employers = _ar_dump(tmp_path / "ar.json.gz"), _ec_csv(tmp_path / "ec.csv.gz")
    ar = _invoke(["ingest", str(tmp_path / "ar.json.gz"), *AR_INGEST])
    assert "loaded ar-bumeran" in ar and "loaded ar-zonajobs" in ar and "0 rejected" in ar
    ec = _invoke(["ingest", str(tmp_path / "ec.csv.gz"), *EC_INGEST])
    assert "loaded ec-computrabajo" in ec and "0 rejected" in ec
    assert "success" in _invoke(["materialize", "skill_demand", "--from", "2025-09", "--to", "2025-10"])

    for country, employers, portal in (("ar", ar_employers, "bumeran"), ("ec", ec_employers, "computrabajo")):
        for language in ("es", "en"):
            pdf = ["--pdf"] if language == "es" else ["--no-pdf"]  # the PDF's text is read once per export
            output = _invoke(["report", "--country", country, "--period", "2025-10", "--lang", language,
                              "--out", str(tmp_path / language), *pdf])  # fmt: skip
            folder = next((tmp_path / language / country / "2025-10").iterdir())
            paths = report_paths(folder)
            texts = published_texts(paths)
            where = f"{country} {language}"
            # No person named in any file nor on the command line; they are there, as "particular".
            assert named_persons({**texts, "output": output}, employers, portal) == [], where
            examples = pd.read_parquet(folder / "data" / "examples.parquet")
            private = {"es": "particular", "en": "private individual"}[language]
            assert (examples["company"] == private).sum() >= 2, (where, examples["company"].tolist())
            assert set(examples["company"]) & set(employers), where  # companies keep their names: the scan can hit
            # The report shows the asset's figures, cell by cell; every cell was stored.
            assert stored_equals_report(paths, settings.data_dir) == [], where
            assert json.loads(paths.manifest.read_text())["demand_cells_not_stored"] == [], where  # type: ignore[union-attr]
            # One language, counts in their number.
            assert language_problems(paths, language, extra=(output,)) == [], where
            visible = visible_text(paths.html.read_text(encoding="utf-8"))
            assert not ONE_WITH_PLURAL.search(visible + output), where
        if country == "ar":  # both brands of the mixed file are reported
            assert "zonajobs" in visible and "bumeran" in visible


REAL_SLICE = """
import gzip, json, sys
from pathlib import Path
import pandas as pd
shared, out = Path(sys.argv[1]), Path(sys.argv[2])
dump = json.load(gzip.open(shared / "bumeran_zonajobs_ar_2025-12.json.gz"))
dump["ofertas"] = [o for o in dump["ofertas"] if o["fecha_publicacion"] == "2025-09-02"]
with gzip.open(out / "ar.json.gz", "wt", encoding="utf-8") as handle:
    json.dump(dump, handle, ensure_ascii=False)
ec = pd.read_csv(shared / "computrabajo_ec_2024.csv.gz", dtype=str)
ec[ec["fechaHoraPublicacion"].str[:10] == "2024-07-15"].to_csv(out / "ec.csv.gz", index=False)
"""
# The commands in one process (one start-up, one database start), its settings read from its own environment.
DRIVER = """
import json, sys
from typer.testing import CliRunner
from observatory.cli import app
results = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, args)
    results.append({"args": args, "code": result.exit_code, "output": result.output})
    if result.exit_code:
        break
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    json.dump(results, handle)
"""


@pytest.mark.shared
@pytest.mark.slow
def test_real_exports_slice(shared_dir: Path, tmp_path: Path) -> None:
    """One day of each real export, run as a user runs it in a fresh data folder (the Ecuador file needs its
    partitions to start in 2024, read when the program starts: hence a process of its own)."""
    postings = shared_dir / "postings"
    subprocess.run([sys.executable, "-c", textwrap.dedent(REAL_SLICE), str(postings), str(tmp_path)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATORY_")}
    env |= {"OBSERVATORY_DATA_DIR": str(tmp_path / "data"), "OBSERVATORY_PARTITIONS_START": "2024-07-01"}
    cases = [("ar", "2025-09", "bumeran", "es"), ("ec", "2024-07", "computrabajo", "en")]
    commands = [
        ["ingest", str(tmp_path / "ar.json.gz"), *AR_INGEST],
        ["ingest", str(tmp_path / "ec.csv.gz"), *EC_INGEST],
        *(["materialize", "skill_demand", "--from", month, "--to", month] for month in ("2024-07", "2025-09")),
        *(["report", "--country", country, "--period", period, "--lang", language, "--no-pdf",
           "--out", str(tmp_path / "reports")] for country, period, _, language in cases),
    ]  # fmt: skip
    results_file = tmp_path / "results.json"
    subprocess.run([sys.executable, "-c", textwrap.dedent(DRIVER), json.dumps(commands), str(results_file)],
                   env=env, check=True, timeout=600)  # fmt: skip
    results = json.loads(results_file.read_text(encoding="utf-8"))
    assert [r["code"] for r in results] == [0] * len(commands), results[-1]
    with gzip.open(tmp_path / "ar.json.gz", "rt", encoding="utf-8") as handle:
        ar_names = {o["empresa"] for o in json.load(handle)["ofertas"] if o.get("empresa")}
    names = {"ar": ar_names, "ec": set(pd.read_csv(tmp_path / "ec.csv.gz", dtype=str)["empresa"].dropna())}
    assert "loaded ar-zonajobs" in results[0]["output"] and "loaded ar-bumeran" in results[0]["output"]
    for (country, period, portal, language), result in zip(cases, results[-2:], strict=True):
        paths = report_paths(next((tmp_path / "reports" / country / period).iterdir()))
        assert named_persons({**published_texts(paths), "output": result["output"]}, sorted(names[country]),
                             portal) == [], country  # fmt: skip
        assert stored_equals_report(paths, tmp_path / "data") == [], country
        assert language_problems(paths, language, extra=(result["output"],)) == [], country
