"""The reader of real postings files, on small files written here and on ../shared when present."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from observatory.skills.real_postings import (
    SECTORS,
    MalformedPostingsError,
    RealPosting,
    read_real_postings,
    sector_of,
    shared_postings_files,
)

CSV_COLUMNS = ["id", "origen", "empresa", "pais", "areaName", "fechaHoraPublicacion", "skills", "descripcion", "titulo"]


def write_navent(path: Path, offers: list[dict[str, object]]) -> Path:
    path.write_bytes(gzip.compress(json.dumps({"version": "1.0", "ofertas": offers}).encode()))
    return path


def write_computrabajo(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(gzip.compress(buffer.getvalue().encode()))
    return path


def offer(id_: str, title: str, description: str = "", fuente: str = "bumeran") -> dict[str, object]:
    return {
        "id": id_,
        "titulo": title,
        "empresa": "",
        "ubicacion": "Capital Federal, Buenos Aires",
        "fecha_publicacion": "2025-11-10",
        "descripcion_preview": "",
        "descripcion_full": description,
        "url_original": f"https://www.bumeran.com.ar/empleos/{id_}.html",
        "fuente": fuente,
    }


def ec_row(id_: str, title: str, area: str, description: str, skills: str = "") -> dict[str, str]:
    return {
        "id": id_,
        "origen": "computrabajo",
        "empresa": "ACME S.A.",
        "pais": "Ecuador",
        "areaName": area,
        "fechaHoraPublicacion": "2024-09-11T20:16:43",
        "skills": skills,
        "descripcion": description,
        "titulo": title,
    }


def test_navent_snapshot(tmp_path: Path) -> None:
    path = write_navent(
        tmp_path / "bumeran_zonajobs_ar_2025-12.json.gz",
        [
            offer("2167866", " Gerente de Operaciones Gastronómicas "),
            offer("1118017610", "Desarrollador Python Sr", "Buscamos desarrollador con Python y SQL.", "zonajobs"),
        ],
    )
    first, second = read_real_postings(path)
    assert first == RealPosting(
        file="bumeran_zonajobs_ar_2025-12.json.gz",
        id="2167866",
        title="Gerente de Operaciones Gastronómicas",
        description="",
        portal="bumeran",
        country="ar",
        area=None,
        employer=None,
        published="2025-11-10",
    )
    assert first.sector == "hospitality_food"
    assert (second.portal, second.description, second.sector) == (
        "zonajobs",
        "Buscamos desarrollador con Python y SQL.",
        "it",
    )


def test_computrabajo_tabs_become_newlines_and_tags_split(tmp_path: Path) -> None:
    path = write_computrabajo(
        tmp_path / "computrabajo_ec_2024.csv.gz",
        [
            ec_row(
                "8AF5",
                "Ejecutivo Ventas Call Center",
                "CallCenter / Telemercadeo",
                "Buscamos ejecutivos.\t\tCOMPETENCIAS:\tProactividad\tTrabajo en equipo",
                "CRM. Comunicación y persuasión. Gestión de ventas. Node.js. ASP.NET MVC",
            ),
            ec_row("B9C2", "Guardia", "Servicios Generales. Aseo y Seguridad ", "Vigilancia de instalaciones."),
        ],
    )
    calls, guard = read_real_postings(path)
    assert calls.description == "Buscamos ejecutivos.\n\nCOMPETENCIAS:\nProactividad\nTrabajo en equipo"
    assert "\t" not in calls.description
    assert calls.employer_tags == ("CRM", "Comunicación y persuasión", "Gestión de ventas", "Node.js", "ASP.NET MVC")
    assert (calls.portal, calls.country, calls.area, calls.employer) == (
        "computrabajo",
        "ec",
        "CallCenter / Telemercadeo",
        "ACME S.A.",
    )
    assert calls.published == "2024-09-11T20:16:43"
    assert calls.sector == "customer_service"
    assert guard.employer_tags == ()
    assert guard.sector == "security"


@pytest.mark.parametrize(
    ("title", "area", "sector"),
    [
        ("Analista Contable Sr", None, "accounting_finance"),
        ("Asistente de RRHH", None, "human_resources"),
        ("Soporte Técnico IT", None, "it"),
        ("Enfermero/a para clínica", None, "health"),
        ("Chofer con licencia profesional", None, "logistics_transport"),
        ("Vendedor/a de salón", None, "sales"),
        ("Electricista industrial", None, "maintenance_trades"),
        ("Operario de producción", None, "manufacturing_quality"),
        ("Docente de matemática", None, "education"),
        ("Abogado/a laboralista", None, "legal"),
        ("Ayudante de cocina", None, "hospitality_food"),
        ("Team leader", None, "other"),
        # EC: the area decides, "Otros" falls back to the title.
        ("Asesor", "Medicina / Salud", "health"),
        ("Cocinero", "Otros", "hospitality_food"),
        ("Manicurista", "Otros", "other"),
    ],
)
def test_sector_rules(title: str, area: str | None, sector: str) -> None:
    posting = RealPosting(
        file="x.csv", id="1", title=title, description="", portal="p", country="ec", area=area, employer=None,
        published=None,
    )  # fmt: skip
    assert sector_of(posting) == sector
    assert sector in SECTORS


def test_malformed_record_names_file_and_record(tmp_path: Path) -> None:
    path = write_navent(tmp_path / "bumeran_ar_x.json.gz", [offer("1", "Cajero"), {"id": "77", "titulo": ""}])
    with pytest.raises(MalformedPostingsError, match=r"bumeran_ar_x\.json\.gz, record 77: .*titulo") as info:
        list(read_real_postings(path))
    assert isinstance(info.value, ValueError)
    assert (info.value.file, info.value.record) == ("bumeran_ar_x.json.gz", "77")


def test_malformed_files(tmp_path: Path) -> None:
    broken = tmp_path / "bumeran_ar.json.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(MalformedPostingsError, match=r"bumeran_ar\.json\.gz: cannot read"):
        list(read_real_postings(broken))
    no_list = tmp_path / "bumeran_ar.json"
    no_list.write_text('{"avisos": []}')
    with pytest.raises(MalformedPostingsError, match="ofertas"):
        list(read_real_postings(no_list))
    unknown_portal = write_navent(tmp_path / "other_ar.json.gz", [offer("5", "Cajero", fuente="indeed")])
    with pytest.raises(MalformedPostingsError, match='record 5: unknown "fuente"'):
        list(read_real_postings(unknown_portal))
    no_column = tmp_path / "computrabajo_ec.csv"
    no_column.write_text("id,titulo\n1,Cajero\n")
    with pytest.raises(MalformedPostingsError, match=r"missing column.*descripcion"):
        list(read_real_postings(no_column))
    short_row = tmp_path / "computrabajo_ec_short.csv"
    short_row.write_text(",".join(CSV_COLUMNS) + "\nA1,computrabajo,ACME\n")
    with pytest.raises(MalformedPostingsError, match="record A1: expected 9 fields"):
        list(read_real_postings(short_row))
    with pytest.raises(MalformedPostingsError, match="unknown postings format"):
        read_real_postings(tmp_path / "postings.xml")


@pytest.mark.shared
def test_shared_postings_files(shared_dir: Path) -> None:
    files = {path.name: path for path in shared_postings_files()}
    if not files:
        pytest.skip("../shared/postings is absent")
    ar = list(read_real_postings(files["bumeran_zonajobs_ar_2025-12.json.gz"]))
    ec = list(read_real_postings(files["computrabajo_ec_2024.csv.gz"]))
    assert len(ar) == 6_521
    assert len(ec) == 1_651
    assert sum(bool(p.description) for p in ar) == 5_479
    assert {p.portal for p in ar} == {"bumeran", "zonajobs"}
    assert {(p.portal, p.country) for p in ec} == {("computrabajo", "ec")}
    assert all("\t" not in p.description for p in ec)
    assert sum("\n" in p.description for p in ec) > 1_000
    tagged = [p for p in ec if p.employer_tags]
    assert len(tagged) >= 900
    assert all(tag and tag == tag.strip() and "," not in tag for p in tagged for tag in p.employer_tags)
    assert any("Gestión de ventas" in p.employer_tags for p in tagged)
    sectors = {p.sector for p in ar + ec}
    assert sectors <= set(SECTORS)
    assert len(sectors) == len(SECTORS)
    # Every area of the Ecuador file is mapped: only "Otros" may end up in "other".
    assert {p.area for p in ec if p.sector == "other"} <= {"Otros"}
