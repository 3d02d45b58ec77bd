"""`observatory extract` and `observatory eval`: the file contract analysts rely on."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from observatory.commands.skills import register
from observatory.skills.batch import PostingsFileError, count_postings, read_postings

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """Test wrapper."""

    return app


POSTINGS = [
    {"id": "co-1", "title": "Analista de Datos", "description": "Requisitos: SQL, Power BI y Excel avanzado."},
    {"id": 2, "title": "Backend Developer", "description": "Requirements: Node.js, AWS and English (advanced)."},
    {"id": "x-3", "title": "Cajero", "description": None},
    {"id": "co-4", "title": None, "description": "Beneficios: cursos de Python."},
]


def _out(result: object) -> str:
    """The command output with rich's line wrapping undone."""
    return " ".join(str(result.output).split())  # type: ignore[attr-defined]


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_jsonl_keeps_order_and_ids(tmp_path: Path) -> None:
    source = tmp_path / "postings.jsonl"
    source.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in POSTINGS) + "\n\n", encoding="utf-8")
    out = tmp_path / "out" / "skills.jsonl"
    result = runner.invoke(_app(), ["extract", "--input", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["co-1", 2, "x-3", "co-4"]
    assert {s["name"] for s in rows[0]["skills"]} == {"SQL", "Power BI", "Excel"}
    english = next(s for s in rows[1]["skills"] if s["name"] == "Inglés")  # one name per skill: --names es
    assert english["level"] == "advanced" and english["skill_type"] == "language"
    # "Cajero" alone: a job title names no skill a reader would list; benefits are not demand.
    assert rows[2]["skills"] == []
    assert rows[3]["skills"] == []
    keys = {
        "name",
        "surface",
        "esco_uri",
        "start",
        "end",
        "skill_type",
        "method",
        "section",
        "importance",
        "confidence",
    }
    for row in rows:
        for skill in row["skills"]:
            assert keys <= set(skill)
    first = rows[0]["skills"][0]
    assert POSTINGS[0]["description"][first["start"] : first["end"]] == first["surface"]
    assert "4 postings" in _out(result)


def test_extract_csv_gz(tmp_path: Path) -> None:
    source = tmp_path / "postings.csv.gz"
    with gzip.open(source, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "title", "description", "city"])
        writer.writeheader()
        for p in POSTINGS:
            writer.writerow({**p, "description": p["description"] or "", "city": "Bogotá"})
    out = tmp_path / "skills.jsonl"
    result = runner.invoke(_app(), ["extract", "-i", str(source), "-o", str(out), "--names", "source"])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["co-1", "2", "x-3", "co-4"]  # CSV ids are text, unchanged
    # "Backend Developer" is the job title; the skills are what the description asks for.
    assert {s["name"] for s in rows[1]["skills"]} == {"Node.js", "AWS", "English"}


def test_names_follow_the_reader_not_the_posting(tmp_path: Path) -> None:
    source = tmp_path / "postings.jsonl"
    source.write_text(
        json.dumps({"id": "es", "description": "Requisitos: trabajo en equipo, inglés avanzado."})
        + "\n"
        + json.dumps({"id": "en", "description": "Requirements: teamwork, advanced English."})
        + "\n",
        encoding="utf-8",
    )
    by_language = {}
    for names in ("es", "en"):
        out = tmp_path / f"{names}.jsonl"
        result = runner.invoke(_app(), ["extract", "-i", str(source), "-o", str(out), "--names", names])
        assert result.exit_code == 0, result.output
        rows = _rows(out)
        # The same skill has one id and one name whatever the posting's language.
        assert {s["skill_id"] for s in rows[0]["skills"]} == {s["skill_id"] for s in rows[1]["skills"]}
        by_language[names] = {s["name"] for row in rows for s in row["skills"]}
    assert by_language["es"] == {"Trabajo en equipo", "Inglés"}
    assert by_language["en"] == {"Teamwork", "English"}
    bad = runner.invoke(_app(), ["extract", "-i", str(source), "-o", str(tmp_path / "x.jsonl"), "--names", "fr"])
    assert bad.exit_code == 1 and "--names must be one of" in _out(bad)


def test_employer_tags_become_portal_tag_mentions(tmp_path: Path) -> None:
    source = tmp_path / "postings.jsonl"
    row = {"id": 1, "description": "Vendedor para tienda.", "skills_tags": ["Trabajo en equipo", "Excel", "Zzyzx"]}
    source.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(_app(), ["extract", "-i", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    tags = [s for s in _rows(out)[0]["skills"] if s["method"] == "portal_tag"]
    assert {s["skill_id"] for s in tags} == {"teamwork", "excel", "tag:zzyzx"}
    assert all(s["section"] == "portal_tags" for s in tags)
    unmapped = next(s for s in tags if s["skill_id"] == "tag:zzyzx")
    assert unmapped["confidence"] < min(s["confidence"] for s in tags if s is not unmapped)


def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "skills.jsonl"
    missing_column = tmp_path / "p.csv"
    missing_column.write_text("id,title\n1,Dev\n", encoding="utf-8")
    result = runner.invoke(_app(), ["extract", "-i", str(missing_column), "-o", str(out)])
    assert result.exit_code == 1 and "missing column(s) description" in _out(result)
    broken = tmp_path / "p.jsonl"
    broken.write_text('{"id": 1, "description": "Python"}\n{"id": 2, "description": \n', encoding="utf-8")
    result = runner.invoke(_app(), ["extract", "-i", str(broken), "-o", str(out)])
    assert result.exit_code == 1 and "p.jsonl:2: not JSON (Expecting value)" in _out(result)
    assert not out.exists() and not (tmp_path / "skills.jsonl.partial").exists()
    wrong_type = tmp_path / "q.jsonl"
    wrong_type.write_text('{"id": 1, "description": ["Python"]}\n', encoding="utf-8")
    result = runner.invoke(_app(), ["extract", "-i", str(wrong_type), "-o", str(out)])
    assert result.exit_code == 1 and "description must be text" in _out(result)
    result = runner.invoke(_app(), ["extract", "-i", str(tmp_path / "none.jsonl"), "-o", str(out)])
    assert result.exit_code == 1 and "no such file" in _out(result)
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(_app(), ["extract", "-i", str(binary), "-o", str(out)])
    assert result.exit_code == 1 and "b.jsonl:1: not JSON" in _out(result)
    # An existing output survives a failed run.
    out.write_text("previous\n", encoding="utf-8")
    runner.invoke(_app(), ["extract", "-i", str(broken), "-o", str(out)])
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_eval_prints_scores_on_the_bundled_dev_set() -> None:
    result = runner.invoke(_app(), ["eval", "--calibrate"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "precision" in _out(result) and "calibration" in _out(result)
    row = next(line for line in result.output.splitlines() if line.startswith("│ ") and "│ 0." in line)
    f1 = float(row.split("│")[4])
    assert f1 >= 0.8


def test_eval_scores_a_custom_set(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {"id": "a", "title": "Dev", "description": "Requisitos: Python y Haskell", "skills": ["Python", "Cobol"]}
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(_app(), ["eval", "--dev-set", str(gold), "--errors"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "│ 1 " in _out(result) and "0.500" in _out(result)  # P = R = 1/2
    assert "missed: ['Cobol'] extra: ['Haskell']" in _out(result)


def test_occupation_option_codes_each_posting(tmp_path: Path) -> None:
    source = tmp_path / "postings.jsonl"
    source.write_text(
        json.dumps({"id": 1, "title": "Vendedor/a", "description": "Requisitos: ventas."})
        + "\n"
        + json.dumps({"id": 2, "title": "Xyzzy", "description": "Nada."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(_app(), ["extract", "-i", str(source), "-o", str(out), "--occupation"])
    assert result.exit_code == 0, result.output
    first, second = _rows(out)
    assert first["occupation"]["isco_code"].startswith("52") and first["occupation"]["method"] == "title"
    assert second["occupation"]["method"] == "unknown" and second["occupation"]["reason"]


def test_an_oversize_posting_is_skipped_with_a_warning_not_a_crash(tmp_path: Path) -> None:
    from observatory.limits import MAX_POSTING_CHARS

    # One character over the limit extraction reads (ingest refuses such a posting; a file can still hold one).
    filler = "Requisitos: manejo de Excel y atención al cliente. "
    huge = (filler * (MAX_POSTING_CHARS // len(filler) + 1))[: MAX_POSTING_CHARS - len("Cajero") + 1]
    source = tmp_path / "postings.jsonl"
    rows_in = [
        {"id": "co-1", "title": "Analista de Datos", "description": "Requisitos: SQL, Power BI y Excel avanzado."},
        {"id": "big-2", "title": "Cajero", "description": huge},
        {"id": "co-3", "title": "Vendedor/a", "description": "Requisitos: experiencia en ventas."},
    ]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows_in) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(_app(), ["extract", "-i", str(source), "-o", str(out), "--occupation"])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    # Every posting keeps its row in order; the skipped one says why, and its neighbours are extracted and coded.
    assert [r["id"] for r in rows] == ["co-1", "big-2", "co-3"]
    assert rows[1] == {"id": "big-2", "language": "und", "skills": [], "skipped": "oversize"}
    assert {s["name"] for s in rows[0]["skills"]} == {"SQL", "Power BI", "Excel"}
    assert rows[2]["occupation"]["isco_code"].startswith("52")
    warning = next(line for line in result.output.splitlines() if "warning" in line)
    assert "1 posting(s) longer than 5,000,000 characters skipped (id big-2)" in warning
    assert "3 postings" in _out(result)


def test_a_line_too_long_to_read_keeps_its_row_with_its_line_and_a_warning(tmp_path: Path) -> None:
    from observatory.scraping.readers import MAX_ROW_CHARS

    # Past the ingest's row limit the line is not read (nor held whole in memory): its id is not known.
    source = tmp_path / "postings.jsonl"
    huge = json.dumps({"id": "big-2", "description": "x" * (MAX_ROW_CHARS + 10)})
    rows_in = [json.dumps(POSTINGS[0]), huge, json.dumps({"id": "co-3", "description": "Requisitos: Excel."})]
    source.write_text("\n".join(rows_in) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(_app(), ["extract", "-i", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["co-1", None, "co-3"]
    assert rows[1] == {"id": None, "line": 2, "language": "und", "skills": [], "skipped": "oversize"}
    assert {s["name"] for s in rows[2]["skills"]} == {"Excel"}
    assert f"1 line(s) longer than {MAX_ROW_CHARS:,} characters not read (line 2)" in _out(result)


def test_a_gzip_bomb_is_a_clear_error_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from observatory.scraping import readers
    from observatory.scraping.synthetic import write_gzip_bomb

    bomb = write_gzip_bomb(tmp_path / "bomb.jsonl.gz", 40)  # 40 KB expanding to 40 MB
    monkeypatch.setattr(readers, "RATIO_GRACE_BYTES", 4 * 1024**2)  # the ratio is checked from 4 MB on
    out = tmp_path / "out.jsonl"
    result = runner.invoke(_app(), ["extract", "-i", str(bomb), "-o", str(out)])
    assert result.exit_code == 1
    assert "bomb.jsonl.gz expands more than 100 times" in _out(result) and "gzip bomb" in _out(result)
    assert "Traceback" not in result.output and not out.exists()
    assert count_postings(bomb) is None  # the progress bar's count stops on the same limit
    monkeypatch.setattr(readers, "RATIO_GRACE_BYTES", 64 * 1024**2)
    monkeypatch.setattr(readers, "MAX_DECOMPRESSED_BYTES", 8 * 1024**2)
    with pytest.raises(PostingsFileError, match="decompresses to more than 8,388,608 bytes"):
        list(read_postings(bomb))


def test_json_dumps_and_spreadsheet_csv_are_read_like_the_ingest_reads_them(tmp_path: Path) -> None:
    dump = tmp_path / "bumeran.json.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as handle:
        ofertas = [{"id": 7, "titulo": "Analista", "descripcion_full": "Excel y SQL"}, {"id": 8, "titulo": "Cajero"}]
        json.dump({"snapshot_date": "2025-12-05", "ofertas": ofertas}, handle)
    assert [(p.id, p.title, p.description) for p in read_postings(dump)] == [
        (7, "Analista", "Excel y SQL"),
        (8, "Cajero", None),
    ]
    semicolons = tmp_path / "export.csv"
    semicolons.write_text('id;titulo;descripcion\n1;Vendedor;"Ventas; atención"\n', encoding="utf-8")
    assert [(p.id, p.description) for p in read_postings(semicolons)] == [("1", "Ventas; atención")]
    tabs = tmp_path / "export.tsv"
    tabs.write_text("id\tdescription\n2\tExcel, SQL\n", encoding="utf-8")
    assert [(p.id, p.description) for p in read_postings(tabs)] == [("2", "Excel, SQL")]
    with pytest.raises(PostingsFileError, match=r"x\.jsonl:1: NUL byte in column 'description'"):
        bad = tmp_path / "x.jsonl"
        bad.write_text(json.dumps({"id": 1, "description": "a\x00b"}) + "\n", encoding="utf-8")
        list(read_postings(bad))
