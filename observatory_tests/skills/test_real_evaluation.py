"""Measures on real postings: employer-tag recall, postings without skills, the span-scored real dev set."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from observatory.skills.extractor import ExtractionResult, Mention, default_extractor
from observatory.skills.real_evaluation import (
    AnnotatedRealPosting,
    RealEvaluationError,
    coverage,
    evaluate_real,
    load_real_dev_set,
    real_set_path,
    score_dev_set,
    tag_recall,
    text_sha1,
)
from observatory.skills.real_postings import REAL_POSTINGS_ENV, RealPosting, shared_postings_files


def _posting(pid: str, title: str, description: str, tags: tuple[str, ...] = (), area: str = "Ventas") -> RealPosting:
    return RealPosting("fixture.csv", pid, title, description, "computrabajo", "ec", area, None, None, tags)


POSTINGS = [
    _posting(
        "1", "Vendedor", "Requisitos: experiencia en ventas, manejo de Excel y trabajo en equipo.", ("Excel", "Zzyzx")
    ),
    _posting("2", "Cocinero", "Requisitos: manipulación de alimentos.", ("Cocina",), area="Hostelería / Turismo"),
    _posting("3", "Ayudante", "Horario de lunes a viernes."),
    _posting("4", "Sin texto", ""),
]


def test_tag_recall_counts_only_tags_found_in_the_text() -> None:
    extractor = default_extractor()
    results = list(extractor.extract_many((p.description, p.title, list(p.employer_tags)) for p in POSTINGS))
    recall = tag_recall(extractor, POSTINGS, results)
    # "Excel" occurs in posting 1's text and is found; "Zzyzx" and "Cocina" do not occur, so they are not counted.
    assert recall["all"].tags == 1 and recall["all"].found == 1 and recall["all"].recall == 1.0
    assert recall["Ventas"].tags == 1 and "Hostelería / Turismo" not in recall


def test_coverage_by_sector_ignores_postings_without_text() -> None:
    results = list(default_extractor().extract_many((p.description, p.title) for p in POSTINGS))
    table = coverage(POSTINGS, results)
    overall = table[("fixture.csv", "all")]
    assert overall.postings == 3 and overall.without_skill == 1  # "Horario de lunes a viernes." asks for nothing
    assert overall.share_without_skill == pytest.approx(1 / 3)


def test_dev_set_is_scored_by_span_overlap(tmp_path: Path) -> None:
    posting = POSTINGS[0]
    row = AnnotatedRealPosting(
        "fixture.csv", "1", "sales", "es", text_sha1(posting),
        (("ventas", False), ("Excel", False), ("inventarios", False)),
    )  # fmt: skip
    # "inventarios" does not occur: an annotation must match its text; here it is simply never found.
    results = {("fixture.csv", "1"): default_extractor().extract(posting.description, posting.title)}
    scores, errors = score_dev_set([row], {("fixture.csv", "1"): posting}, results)
    overall = scores[("all", "all")]
    assert overall.fn >= 1 and overall.tp >= 2
    assert scores[("sector", "sales")].tp == overall.tp and scores[("language", "es")].tp == overall.tp
    assert errors and "inventarios" in errors[0]["missed"]
    changed = AnnotatedRealPosting("fixture.csv", "1", "sales", "es", "0" * 40, ())
    with pytest.raises(RealEvaluationError, match="changed since it was annotated"):
        score_dev_set([changed], {("fixture.csv", "1"): posting}, results)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"file": "x"}\n', encoding="utf-8")
    with pytest.raises(RealEvaluationError, match=r"bad.jsonl:1"):
        load_real_dev_set(bad)


def test_dev_set_credits_a_skill_by_its_folded_name() -> None:
    posting = _posting("9", "Cajero", "Tareas: atender a clientes y cobrar en caja.")
    mention = Mention(
        "Atención al cliente", "esco:abc", "atender a clientes", None, 8, 26, None, "open_vocab", "other",
        "required", 0.7, None,
    )  # fmt: skip
    wrong = Mention("Cocina", "new:cocina", "cobrar", None, 29, 35, None, "open_vocab", "other", "required", 0.5, None)
    result = ExtractionResult("es", [mention, wrong])
    row = AnnotatedRealPosting(
        "fixture.csv", "9", "it", "es", text_sha1(posting), (("atencion al cliente", False), ("caja", False))
    )
    scores, errors = score_dev_set([row], {("fixture.csv", "9"): posting}, {("fixture.csv", "9"): result})
    overall = scores[("all", "all")]
    # The name matches the reader's string though the spans differ; "Cocina" neither overlaps nor names "caja".
    assert (overall.tp, overall.fp, overall.fn) == (1, 1, 1)
    assert scores[("group", "IT")].tp == 1 and ("group", "non-IT") not in scores
    assert errors[0]["missed"] == ["caja"]


def test_real_set_names_are_checked() -> None:
    assert real_set_path("dev").name == "real_dev_set.jsonl"
    assert real_set_path("tune").name == "real_tune_set.jsonl"
    with pytest.raises(RealEvaluationError, match="unknown annotated set"):
        real_set_path("test")


def test_evaluate_real_without_files_is_a_clear_error() -> None:
    with pytest.raises(RealEvaluationError, match="no real postings files"):
        evaluate_real(default_extractor(), files=[])


@pytest.mark.shared
@pytest.mark.slow
def test_whole_market_targets_on_the_real_postings() -> None:
    files = shared_postings_files()
    if not files:
        pytest.skip("../shared/postings is absent")
    real = evaluate_real(default_extractor(), files)
    assert real.tag_recall["all"].recall >= 0.85
    ecuador = real.coverage[("computrabajo_ec_2024.csv.gz", "all")]
    assert ecuador.without_skill_or_tag / ecuador.postings <= 0.05
    assert real.esco_share["computrabajo_ec_2024.csv.gz"] >= 0.5
    overall = real.dev[("all", "all")]
    assert overall.precision >= 0.7 and overall.recall >= 0.45


def test_eval_command_real_flag_prints_the_tables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import observatory.skills.real_evaluation as module
    from observatory.cli import app

    source = tmp_path / "postings" / "computrabajo_ec_2024.csv"
    source.parent.mkdir()
    source.write_text(
        "id,titulo,descripcion,areaName,skills\nA1,Vendedor,Requisitos: ventas y Excel.,Ventas,Excel\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(REAL_POSTINGS_ENV, str(source.parent))
    monkeypatch.setattr(module, "REAL_DEV_SET_PATH", tmp_path / "none.jsonl")
    result = CliRunner().invoke(app, ["eval", "--real"])
    assert result.exit_code == 0, result.output
    assert "employer-tag recall" in result.output and "postings without any skill" in result.output
    unknown = CliRunner().invoke(app, ["eval", "--real", "--set", "test"])
    assert unknown.exit_code != 0 and "--set must be dev or tune" in unknown.output
