"""The extractor loaded from the on-disk cache finds exactly what a fresh build finds, and rebuilds when stale."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from observatory.skills import cache, prebuilt
from observatory.skills.cache import entry_path
from observatory.skills.extractor import SkillExtractor

POSTINGS = [
    (
        "Vendedor/a salón",
        "Importante cadena de electrodomésticos busca vendedor/a para salón de ventas.\n"
        "Requisitos:\n- Experiencia en atención al cliente y ventas\n- Manejo de caja y Excel\n"
        "- Inglés intermedio\nOfrecemos: obra social, capacitación continua.",
    ),
    (
        "Desarrollador Backend Python Sr",
        "Buscamos Desarrollador Backend con 3 años de experiencia en Python, Django y PostgreSQL. Deseable "
        "conocimientos de Docker, AWS y CI/CD. Trabajo en equipo, metodologías ágiles (Scrum).",
    ),
    (
        "Auxiliar contable",
        "Estudio contable incorpora auxiliar contable. Tareas: liquidación de sueldos, conciliaciones bancarias, "
        "carga de facturas en Tango Gestión. Manejo de Excel avanzado (tablas dinámicas).",
    ),
    ("Chofer profesional", "Licencia de conducir profesional, conocimiento de CABA y GBA, carga y descarga."),
    # Skills the open vocabulary names (by lexical look-up or as new skills), ESCO-only ones, task phrases.
    (
        "Operario de depósito",
        "Tareas: control de inventarios, trazabilidad de lotes, preparar pedidos y operar autoelevadores. "
        "Conocimientos de seguridad e higiene industrial y mantenimiento preventivo.",
    ),
    (
        "Auxiliar de cocina",
        "Funciones: preparar alimentos, lavado de vajilla, manipulación de alimentos. Experiencia en repostería.",
    ),
    ("Analista financiero", "Requisitos: conocimientos en NIIF 9, leasing y análisis de riesgo crediticio."),
    ("DevOps Engineer", "Requirements: strong knowledge of Kubernetes, Terraform and stakeholder management."),
    ("", ""),
]


def _mentions(extractor: SkillExtractor) -> list[list[dict[str, object]]]:
    results = extractor.extract_many([(text, title) for title, text in POSTINGS])
    return [[m.to_dict() for m in r.mentions] for r in results]


@pytest.fixture()
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def test_the_cached_extractor_finds_what_a_fresh_build_finds(cache_folder: Path) -> None:
    fresh = prebuilt.load_extractor(names="es")  # a miss: built now, and stored
    path = entry_path("extractor", prebuilt.extractor_key(names="es"))
    assert path.is_file()
    with path.open("rb") as handle:
        pickle.load(handle)  # header
        loaded = pickle.load(handle)
    assert isinstance(loaded, SkillExtractor)
    expected = _mentions(fresh)
    assert any(expected)  # the comparison means something only if the postings have skills
    assert _mentions(loaded) == expected
    assert loaded.esco_label_count == fresh.esco_label_count
    # The loaded pipeline is a working one: tags and a second round of postings behave alike.
    assert loaded.tag_mentions(["Excel", "Liderazgo"]) == fresh.tag_mentions(["Excel", "Liderazgo"])
    assert _mentions(loaded) == expected


def test_options_have_their_own_entries(cache_folder: Path) -> None:
    assert prebuilt.extractor_key(esco=False) != prebuilt.extractor_key(esco=True)
    assert prebuilt.extractor_key(names="en") != prebuilt.extractor_key(names="es")
    assert prebuilt.extractor_key(keep_non_demand=True) != prebuilt.extractor_key()
    without_esco = prebuilt.load_extractor(esco=False)
    assert without_esco.esco_label_count == 0
    assert entry_path("extractor", prebuilt.extractor_key(esco=False)).is_file()


def test_a_changed_data_file_changes_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(prebuilt, "build_inputs", lambda: [vocabulary])
    before = prebuilt.extractor_key()
    vocabulary.write_text("a: 2\n", encoding="utf-8")
    assert prebuilt.extractor_key() != before


def test_the_real_inputs_include_the_vocabulary_and_the_esco_bundle() -> None:
    names = {p.name for p in prebuilt.build_inputs()}
    assert {"vocabulary.yaml", "extractor.py", "esco_links.yaml"} <= names
    assert any(name.endswith(".json.gz") for name in names)
    assert not any(name.endswith(".jsonl") for name in names)


def test_extract_command_reuses_the_cached_build(cache_folder: Path, tmp_path: Path) -> None:
    # Two processes: the first builds the extractor and the occupation coder and stores them, the second loads
    # both; every posting's row (skills of every method, occupation codes) must be the same.
    postings = tmp_path / "postings.jsonl"
    rows = [{"id": f"p{n}", "title": title, "description": text} for n, (title, text) in enumerate(POSTINGS)]
    rows.append({"id": "tags", "title": "Cajero", "description": "Atención al cliente.", "skills_tags": ["Excel"]})
    postings.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    env = {**os.environ, cache.CACHE_ENV: str(cache_folder), "OBSERVATORY_DATA_DIR": str(tmp_path)}
    outputs = []
    for run in range(2):
        out = tmp_path / f"out{run}.jsonl"
        done = subprocess.run(
            [sys.executable, "-m", "observatory.cli", "extract", "-i", str(postings), "-o", str(out), "--occupation"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_text(encoding="utf-8"))
        entries = sorted(cache_folder.glob("*.pkl"))
        assert [e.name.rsplit("-", 1)[0] for e in entries] == ["extractor", "occupation-coder"]
        if run == 0:
            first_entries = {e: e.stat().st_mtime_ns for e in entries}
    assert {e: e.stat().st_mtime_ns for e in entries} == first_entries  # the second run loaded both, wrote nothing
    assert outputs[0] == outputs[1]
    found = [json.loads(line) for line in outputs[0].splitlines()]
    methods = {s["method"] for row in found for s in row["skills"]}
    # The comparison covers every path the cached objects serve, not only plain phrase matches.
    assert {"phrase", "title", "regex", "open_vocab_lexical", "open_vocab_new", "portal_tag"} <= methods
    assert any(s["esco_uri"] for row in found for s in row["skills"])
    assert sum(1 for row in found if row["occupation"]["isco_code"]) >= 5
    assert '"Atención al cliente"' in outputs[0]


def test_the_use_tokenizer_comes_from_the_cache_with_identical_vectors(cache_folder: Path) -> None:
    from observatory.config import load_settings
    from observatory.embeddings.model import UseEncoder, resolve_model

    choice = resolve_model(load_settings())
    if choice.backend != "use":
        pytest.skip("the configured embedding model is not USE")
    texts = ["atención al cliente", "customer service", "manejo de autoelevadores"]
    first = UseEncoder(choice)
    assert list(cache_folder.glob("use-tokenizer-*.pkl"))
    second = UseEncoder(choice)  # its tokenizer unpickled from the entry the first one wrote
    assert type(second.model._sp) is type(first.model._sp)
    assert (first.encode(texts) == second.encode(texts)).all()
