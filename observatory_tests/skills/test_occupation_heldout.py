"""A held-out occupation set is scored apart for titles the rules could have been written on and new titles."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

import pytest
from rich.console import Console

from observatory.commands.occupation_eval import print_occupation_sets
from observatory.skills import occupation_evaluation
from observatory.skills.occupation_evaluation import TITLE_NEW, TITLE_SEEN, evaluate_occupation_set


def _write_set(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def postings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A postings file and tune, dev and test-v3 sets naming its postings (test-v3: one seen title, one new)."""
    offers = [
        {"id": 1, "titulo": "Repositor/a", "descripcion_full": "Reposición de góndolas en supermercado."},
        {"id": 2, "titulo": "REPOSITOR/A ", "descripcion_full": "Reposición y orden de mercadería."},
        {"id": 3, "titulo": "Chofer de reparto", "descripcion_full": "Reparto de bebidas con camión."},
        {"id": 4, "titulo": "Mozo/a", "descripcion_full": "Atención de mesas en restaurante."},
        {"id": 5, "titulo": "Electricista", "descripcion_full": "Instalaciones eléctricas en obra."},
        {"id": 6, "titulo": "Panadero", "descripcion_full": "Elaboración de pan y facturas."},
        {"id": 7, "titulo": "Cocinero", "descripcion_full": "Cocina de minutas y platos del día en restaurante."},
    ]
    for offer in offers:
        offer["fuente"] = "bumeran"
    postings = tmp_path / "postings"
    postings.mkdir()
    (postings / "ar.json.gz").write_bytes(gzip.compress(json.dumps({"ofertas": offers}).encode()))
    # One code in tune and one in test-v3 are wrong on purpose, so that each set has an error to list or hide.
    tune = [
        {"file": "ar.json.gz", "id": "1", "title": "Repositor/a", "isco_4": "9334", "isco_2": "93"},
        {"file": "ar.json.gz", "id": "4", "title": "Mozo/a", "isco_4": "2111", "isco_2": "21"},
    ]
    dev = [{"file": "ar.json.gz", "id": "9", "title": "Mozo/a", "country": "ar", "isco": "5131", "note": ""}]
    held = [
        {"file": "ar.json.gz", "id": "2", "title": "REPOSITOR/A ", "isco_4": "9334", "isco_2": "93"},
        {"file": "ar.json.gz", "id": "3", "title": "Chofer de reparto", "isco_4": "2111", "isco_2": "21"},
        {"file": "ar.json.gz", "id": "4", "title": "Mozo/a", "isco_4": "5131", "isco_2": "51"},
    ]
    # dev-v4: "Electricista" falls in the part rules may be read on, "Panadero" in the part set aside (stable
    # hash); both codes wrong on purpose.
    v4 = [
        {"file": "ar.json.gz", "id": "5", "title": "Electricista", "isco_4": "2111", "isco_2": "21"},
        {"file": "ar.json.gz", "id": "6", "title": "Panadero", "isco_4": "2111", "isco_2": "21"},
    ]
    # dev-v5 is split by its own hash: "Cocinero" in the part rules may be read on, "Panadero" set aside.
    v5 = [
        {"file": "ar.json.gz", "id": "7", "title": "Cocinero", "isco_4": "2111", "isco_2": "21"},
        {"file": "ar.json.gz", "id": "6", "title": "Panadero", "isco_4": "2111", "isco_2": "21"},
    ]
    sets = occupation_evaluation.OCCUPATION_SETS
    monkeypatch.setitem(sets, "dev-v4", _write_set(tmp_path / "v4.jsonl", v4))
    monkeypatch.setitem(sets, "dev-v5", _write_set(tmp_path / "v5.jsonl", v5))
    monkeypatch.setitem(sets, "tune", _write_set(tmp_path / "tune.jsonl", tune))
    monkeypatch.setitem(sets, "dev", _write_set(tmp_path / "dev.jsonl", dev))
    monkeypatch.setitem(sets, "test-v3", _write_set(tmp_path / "v3.jsonl", held))
    return postings


def test_held_out_titles_seen_in_tune_or_dev_are_scored_apart(postings: Path) -> None:
    scores = evaluate_occupation_set("test-v3", postings_dir=postings)
    # Case and spacing of a title do not make it new; the tune and the dev set both count as seen.
    assert scores[TITLE_SEEN].postings == 2 and scores[TITLE_NEW].postings == 1
    assert scores["all"].postings == 3
    assert scores[TITLE_SEEN].correct_2 + scores[TITLE_NEW].correct_2 == scores["all"].correct_2
    # The tune set itself is not split that way.
    assert TITLE_SEEN not in evaluate_occupation_set("tune", postings_dir=postings)


def test_a_tuning_run_never_shows_held_out_sets_nor_lists_their_postings(
    postings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    score = functools.partial(occupation_evaluation.evaluate_occupation_set, postings_dir=postings)
    monkeypatch.setattr(occupation_evaluation, "evaluate_occupation_set", score)

    def shown(held_out: bool) -> str:
        console = Console(record=True, width=200)
        print_occupation_sets(console, errors=True, held_out=held_out)
        return console.export_text()

    tuning, reporting = shown(held_out=False), shown(held_out=True)
    assert "tune" in tuning and "test-v3" not in tuning
    assert "test-v3" in reporting
    assert "tune 'Mozo/a'" in tuning and "tune 'Mozo/a'" in reporting
    # Errors are listed for the sets rules are written on, never for a held-out one.
    for text in (tuning, reporting):
        assert "Chofer de reparto" not in text


@pytest.mark.parametrize(
    ("name", "rules_title", "aside_title"), [("dev-v4", "Electricista", "Panadero"), ("dev-v5", "Cocinero", "Panadero")]
)
def test_a_development_set_is_scored_by_part_and_its_aside_part_never_listed(
    postings: Path, monkeypatch: pytest.MonkeyPatch, name: str, rules_title: str, aside_title: str
) -> None:
    rules, aside = occupation_evaluation.SPLIT_SETS[name]
    scores = evaluate_occupation_set(name, postings_dir=postings)
    assert scores[rules].postings == 1 and scores[aside].postings == 1
    assert scores["all"].correct_2 == 0
    # Titles of its rules part count as seen for a held-out set, those of the aside part do not.
    titles = occupation_evaluation._rule_titles()
    assert rules_title.casefold() in titles and aside_title.casefold() not in titles
    score = functools.partial(occupation_evaluation.evaluate_occupation_set, postings_dir=postings)
    monkeypatch.setattr(occupation_evaluation, "evaluate_occupation_set", score)
    console = Console(record=True, width=200)
    print_occupation_sets(console, errors=True, held_out=False)
    text = console.export_text()
    assert f"{name} {rules_title!r}" in text and f"{aside_title}'" not in text


def test_the_held_out_draws_are_also_scored_pooled_in_a_reporting_run(
    postings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    score = functools.partial(occupation_evaluation.evaluate_occupation_set, postings_dir=postings)
    monkeypatch.setattr(occupation_evaluation, "evaluate_occupation_set", score)
    # test-v2 joins test-v3 here (the fixture's held-out rows): the pooled row sums both sets' postings.
    monkeypatch.setitem(occupation_evaluation.OCCUPATION_SETS, "test-v2", occupation_evaluation.OCCUPATION_SETS["tune"])
    alone = {name: score(name)["all"] for name in ("test-v2", "test-v3")}

    def shown(held_out: bool) -> str:
        console = Console(record=True, width=250)
        print_occupation_sets(console, held_out=held_out)
        return console.export_text()

    assert "pooled" not in shown(held_out=False)
    pooled = next(line for line in shown(held_out=True).splitlines() if "held out, pooled" in line)
    right = alone["test-v2"].correct_2 + alone["test-v3"].correct_2
    assert f"│ {alone['test-v2'].postings + alone['test-v3'].postings} " in pooled and f"({right})" in pooled
