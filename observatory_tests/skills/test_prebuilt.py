"""The extractor loaded from the on-disk cache finds exactly what a fresh build finds, and rebuilds when stale."""

from __future__ import annotations

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
    postings = tmp_path / "one.jsonl"
    postings.write_text(
        '{"id": "a1", "title": "Cajero", "description": "Manejo de caja y atención al cliente. Excel."}\n',
        encoding="utf-8",
    )
    env = {**os.environ, cache.CACHE_ENV: str(cache_folder), "OBSERVATORY_DATA_DIR": str(tmp_path)}
    outputs = []
    for run in range(2):
        out = tmp_path / f"out{run}.jsonl"
        done = subprocess.run(
            [sys.executable, "-m", "observatory.cli", "extract", "-i", str(postings), "-o", str(out)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_text(encoding="utf-8"))
        entries = list(cache_folder.glob("extractor-*.pkl"))
        assert len(entries) == 1
        if run == 0:
            first_entry = entries[0].stat().st_mtime_ns
    assert entries[0].stat().st_mtime_ns == first_entry  # the second run loaded it, wrote nothing
    assert outputs[0] == outputs[1]
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
