"""The ESCO release shipped in the package: readable offline, matched by default with precision controls."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from observatory.skills.esco import EscoError
from observatory.skills.esco_bundle import ATTRIBUTION, bundled_esco, read_bundle
from observatory.skills.extractor import ESCO, SkillExtractor, default_extractor, esco_label_usable

ROOT = Path(__file__).resolve().parents[2]


def test_bundle_holds_every_skill_and_occupation_in_both_languages() -> None:
    bundle = bundled_esco()
    assert len(bundle.skills) > 13_000 and len(bundle.occupations) > 2_900 and len(bundle.isco_groups) > 400
    welding = [s for s in bundle.skills if s.label_en == "welding techniques"]
    assert welding and welding[0].label_es and welding[0].skill_type == "knowledge"
    labels = list(bundle.skill_labels(("es", "en")))
    assert {label.lang for label in labels} == {"es", "en"} and len(labels) > 45_000
    assert all(o.isco_code.isdigit() and len(o.isco_code) == 4 for o in bundle.occupations)
    assert "European Commission" in ATTRIBUTION


def test_malformed_bundle_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "esco-9.9.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(EscoError, match="cannot read ESCO bundle"):
        read_bundle(broken)
    with gzip.open(broken, "wt", encoding="utf-8") as handle:
        json.dump({"version": "9.9", "skills": [["x"]], "occupations": [], "isco_groups": []}, handle)
    with pytest.raises(EscoError, match="malformed"):
        read_bundle(broken)


def test_build_script_writes_a_reproducible_bundle(tmp_path: Path) -> None:
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    header = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
    (csv_dir / "skills_es.csv").write_text(
        header
        + 'KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/a1,knowledge,x,soldadura,"soldar\nsoldeo",\n',
        encoding="utf-8",
    )
    (csv_dir / "skills_en-us.csv").write_text(
        header + "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/a1,knowledge,x,welding,,\n",
        encoding="utf-8",
    )
    (csv_dir / "occupations_es.csv").write_text(
        "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description\n"
        "Occupation,http://data.europa.eu/esco/occupation/o1,7212,soldador/soldadora,soldador,\n",
        encoding="utf-8",
    )
    (csv_dir / "ISCOGroups_es.csv").write_text(
        "conceptType,conceptUri,code,preferredLabel,altLabels,description\n"
        "ISCOGroup,http://data.europa.eu/esco/isco/C7212,7212,Soldadores y oxicortadores,,\n",
        encoding="utf-8",
    )
    spec = importlib.util.spec_from_file_location("build_esco_bundle", ROOT / "scripts" / "build_esco_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first = module.build(csv_dir, "0.1", tmp_path / "out")
    data = first.read_bytes()
    assert module.build(csv_dir, "0.1", tmp_path / "out").read_bytes() == data  # same input, same bytes
    bundle = read_bundle(first)
    assert bundle.skills[0].label_es == "soldadura" and bundle.skills[0].alt_es == ("soldar", "soldeo")
    assert bundle.skills[0].label_en == "welding"
    assert bundle.occupations[0].isco_code == "7212" and bundle.isco_groups["7212"].startswith("Soldadores")


def test_fresh_extractor_maps_to_esco_without_any_import() -> None:
    result = default_extractor().extract(
        "Requisitos:\n- Conocimientos de primeros auxilios\n- Experiencia en carpintería y electricidad\n"
        "- Manejo de estados financieros"
    )
    by_surface = {m.surface.lower(): m for m in result.mentions}
    for surface in ("primeros auxilios", "carpintería", "electricidad", "estados financieros"):  # vocabulary or ESCO
        assert surface in by_surface, (surface, sorted(by_surface))
        assert by_surface[surface].esco_uri and by_surface[surface].esco_uri.startswith("http://data.europa.eu/esco/")


def test_esco_precision_controls() -> None:
    extractor = default_extractor()

    def esco_surfaces(text: str) -> set[str]:
        return {m.surface.lower() for m in extractor.extract(text).mentions if m.method == ESCO}

    # A one-word knowledge label counts where it stands alone, not inside a longer phrase.
    assert "geología" in esco_surfaces("Requisitos: conocimientos de geología.")
    assert "geología" not in esco_surfaces("Requisitos: geología aplicada y más.")
    assert not {"historia", "electrónica"} & esco_surfaces("Requisitos: manejo de historia clínica electrónica.")
    # The employer's trade is not a skill asked of the candidate.
    assert "electricidad" not in esco_surfaces("Requisitos: importante empresa de electricidad busca vendedor.")
    # Labels on the ambiguity list never match as ESCO concepts.
    assert "fútbol" not in esco_surfaces("Requisitos: fútbol.")
    # Benefits are not demand.
    assert "primeros auxilios" not in esco_surfaces("Beneficios:\n- Curso de primeros auxilios")
    assert not esco_label_usable("gestionar las tareas en relación con los músicos de la orquesta sinfónica")
    assert not esco_label_usable("vender")


def test_vocabulary_only_extractor_and_bad_arguments() -> None:
    plain = SkillExtractor(esco_labels=None)
    assert plain.esco_label_count == 0
    assert not [m for m in plain.extract("Requisitos: carpintería y estados financieros.").mentions if m.method == ESCO]
    with pytest.raises(ValueError, match="names must be one of"):
        SkillExtractor(esco_labels=None, names="fr")
    with pytest.raises(ValueError, match="esco_labels must be"):
        SkillExtractor(esco_labels="somewhere")


def test_every_esco_link_resolves_to_a_bundled_concept() -> None:
    from observatory.skills.extractor import esco_links
    from observatory.skills.vocabulary import default_vocabulary

    links = esco_links()
    assert set(links) <= set(default_vocabulary().entries), set(links) - set(default_vocabulary().entries)
    extractor = default_extractor()
    resolved = extractor._esco_index.resolve_links(links)
    assert set(resolved) == set(links)
    excel = extractor.extract("Requisitos: Excel avanzado.").mentions[0]
    assert excel.skill_id == "excel" and excel.esco_uri == resolved["excel"]
