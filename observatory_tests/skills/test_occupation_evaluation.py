"""Occupation coding measured on validated sets: reading the sets, scoring, and the figures eval --real prints."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from rich.console import Console

from observatory.commands.occupation_eval import print_occupation_sets
from observatory.skills import occupation_evaluation
from observatory.skills.occupation_evaluation import (
    AnnotatedTitle,
    OccupationSetError,
    evaluate_occupation_set,
    read_occupation_set,
    score_codes,
)
from observatory.skills.occupations import UNKNOWN, OccupationCode, default_occupation_coder


def _code(isco: str | None) -> OccupationCode:
    if isco is None:
        return OccupationCode(None, None, None, None, 0.0, UNKNOWN, "no title")
    return OccupationCode("uri", "label", isco, "group", 0.9, "title")


def test_scores_count_2_and_4_digit_agreement_and_unknowns() -> None:
    items = [
        AnnotatedTitle("a.json.gz", "1", "Vendedor", "5223", "52"),
        AnnotatedTitle("a.json.gz", "2", "Cajero", "5230", "52"),
        AnnotatedTitle("b.csv.gz", "3", "Chofer", "8322", "83"),
        AnnotatedTitle("b.csv.gz", "4", "Voluntarios ONG", None, "26"),
    ]
    scores = score_codes(zip(items, [_code("5223"), _code("5244"), _code(None), _code("2635")], strict=True))
    overall = scores["all"]
    assert (overall.postings, overall.correct_2, overall.unknown) == (4, 3, 1)
    assert (overall.correct_4, overall.with_4) == (1, 3)
    assert overall.accuracy_2 == 0.75 and overall.unknown_share == 0.25
    assert [item.title for item, _ in overall.errors] == ["Chofer"]
    assert scores["b.csv.gz"].postings == 2 and scores["b.csv.gz"].correct_2 == 1


def test_a_malformed_set_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"file": "a", "id": "1", "title": "Mozo", "isco_4": "5131", "isco_2": "51"}\n{"file": "a"\n')
    with pytest.raises(OccupationSetError, match=r"set.jsonl:2"):
        read_occupation_set(path)
    with pytest.raises(OccupationSetError, match="cannot read"):
        read_occupation_set(tmp_path / "absent.jsonl")
    with pytest.raises(OccupationSetError, match="unknown occupation set"):
        evaluate_occupation_set("nonexistent")


def test_a_set_is_scored_on_the_postings_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    offers = [
        {"id": 11, "titulo": "Operador de call center", "descripcion_full": "Gestión telefónica de cobranzas en mora."},
        {"id": 12, "titulo": "Repositor/a", "descripcion_full": "Reposición de góndolas en supermercado."},
        {"id": 13, "titulo": "¡Sumate!", "descripcion_full": "Excelente clima laboral."},
    ]
    postings_dir = tmp_path / "postings"
    postings_dir.mkdir()
    for offer in offers:
        offer["fuente"] = "bumeran"
    (postings_dir / "navent_ar.json.gz").write_bytes(gzip.compress(json.dumps({"ofertas": offers}).encode()))
    rows = [
        {"file": "navent_ar.json.gz", "id": "11", "title": "Operador de call center", "isco_4": "4214", "isco_2": "42"},
        {"file": "navent_ar.json.gz", "id": "12", "title": "Repositor/a", "isco_4": "9334", "isco_2": "93"},
        {"file": "navent_ar.json.gz", "id": "13", "title": "¡Sumate!", "isco_4": "5223", "isco_2": "52"},
        {"file": "absent.csv.gz", "id": "9", "title": "Chofer", "isco_4": "8322", "isco_2": "83"},
    ]
    set_path = tmp_path / "tune.jsonl"
    set_path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setitem(occupation_evaluation.OCCUPATION_SETS, "tune", set_path)
    scores = evaluate_occupation_set("tune", postings_dir=postings_dir)
    overall = scores["all"]
    # The posting of an absent file is left out; the description decides the call-centre agent's group.
    assert overall.postings == 3 and overall.correct_2 == 2 and overall.unknown == 1
    assert [item.id for item, _ in overall.errors] == ["13"]


def test_the_tune_set_meets_the_target(shared_dir: Path) -> None:
    scores = evaluate_occupation_set("tune", coder=default_occupation_coder(), postings_dir=shared_dir / "postings")
    if not scores:
        pytest.skip("no occupation tune set")
    overall = scores["all"]
    assert overall.postings >= 100
    assert overall.accuracy_2 >= 0.78, [(i.title, i.isco_4, c.isco_code) for i, c in overall.errors]
    assert overall.unknown_share <= 0.15


def test_eval_prints_both_sets(shared_dir: Path) -> None:
    console = Console(record=True, width=200)
    print_occupation_sets(console)
    text = console.export_text()
    assert "ISCO 2-digit right" in text and "tune" in text and "test" in text
