"""Open-vocabulary skills on real-looking postings: cue patterns, enumerations, task phrases, normalisation
(lexical and by the real USE model, offline), new skills, demand sections only, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.skills.esco import EscoLabel
from observatory.skills.extractor import ExtractionResult, SkillExtractor
from observatory.skills.open_vocab import LEXICAL, NEW, VECTOR, OpenVocabulary, stem_key
from observatory.skills.vocabulary import Vocabulary

OPEN_METHODS = (LEXICAL, VECTOR, NEW)


@pytest.fixture(scope="module")
def extractor(built_extractor: SkillExtractor) -> SkillExtractor:
    """The bundled vocabulary and ESCO labels: open vocabulary on, vectors off (the default; they have their own
    test)."""
    assert built_extractor.open_vocabulary is not None and not built_extractor.open_vocabulary.use_vectors
    return built_extractor


def _open(result: ExtractionResult) -> dict[str, tuple[str, str]]:
    """Folded surface -> (method, name) of the open-vocabulary mentions."""
    return {m.surface.lower(): (m.method, m.name) for m in result.mentions if m.method in OPEN_METHODS}


def test_cue_patterns_find_skills_no_list_holds(extractor: SkillExtractor) -> None:
    text = (
        "Requisitos:\n- Conocimientos en trazabilidad y etiquetado de pallets.\n"
        "- Experiencia en control de cámaras de frío (excluyente).\n- Horario de lunes a viernes."
    )
    found = _open(extractor.extract(text, "Operario de depósito"))
    assert found["trazabilidad"] == (NEW, "trazabilidad")
    # "(excluyente)" is not part of the skill, and the enumeration's other item is the vocabulary's.
    assert found["control de cámaras de frío"] == (NEW, "control de cámaras de frío")
    assert not any("lunes" in surface or "horario" in surface for surface in found)


def test_english_cues_and_enumerations_are_split_into_items(extractor: SkillExtractor) -> None:
    text = (
        "Requirements:\n- Proficiency in payroll software, shipment tracking and freight claims.\n"
        "- Knowledge of cost allocation."
    )
    found = _open(extractor.extract(text, "Analyst"))
    assert {"freight claims", "cost allocation"} <= set(found), found
    assert all(" and " not in surface for surface in found)


def test_task_phrases_name_the_skill_by_its_noun(extractor: SkillExtractor) -> None:
    text = "Tareas:\n- Atender a clientes en el salón.\n- Preparar pedidos para el reparto.\n- Supervisar al personal."
    result = extractor.extract(text, "Encargado de local")
    names = {m.name.lower() for m in result.mentions}
    # "atender a clientes" is atención al cliente, whatever list names it; the span is the verb phrase.
    assert any("atención" in name and "cliente" in name for name in names), names
    surfaces = {m.surface.lower() for m in result.mentions if m.method in OPEN_METHODS}
    assert any(surface.startswith("preparar pedidos") for surface in surfaces), surfaces


def test_coordinated_task_verbs_and_listed_objects(extractor: SkillExtractor) -> None:
    text = (
        "Tareas:\n- Recibir y controlar la rotación de góndolas.\n"
        "- Realizar el armado de exhibidores navideños y el conteo de mercadería."
    )
    found = _open(extractor.extract(text, "Repositor"))
    # The last of two verbs takes the object; an empty verb ("realizar") leaves its objects, each a skill.
    assert found["controlar la rotación de góndolas"] == (NEW, "control de rotación de góndolas")
    assert found["realizar el armado de exhibidores navideños"] == (NEW, "armado de exhibidores navideños")
    assert found["conteo de mercadería"] == (NEW, "conteo de mercadería")


def test_list_items_beside_known_skills_and_dot_separated_lists(extractor: SkillExtractor) -> None:
    listed = _open(extractor.extract("Requisitos: Proactividad, compañerismo, actitud positiva y puntualidad."))
    assert {"compañerismo", "actitud positiva"} <= set(listed)
    # Alone, a bare requirement item that no list names is not taken for a skill.
    assert not _open(extractor.extract("Requisitos:\n- Compañerismo\n- Residir en zona norte"))
    # Computrabajo Ecuador's text lost its commas to dots: the list after a cue goes on past them.
    text = (
        "Es indispensable contar con conocimientos sólidos en equipos de fibra óptica. FTTH. Televisión digital e IPTV."
    )
    dotted = _open(extractor.extract(text))
    assert {"televisión digital", "iptv"} <= set(dotted)


def test_new_skill_has_a_stable_id_and_its_own_name(extractor: SkillExtractor) -> None:
    text = "Requisitos: experiencia en rotación de góndolas."
    first = [m for m in extractor.extract(text).mentions if m.method == NEW]
    again = [m for m in extractor.extract("Buscamos repositor. " + text).mentions if m.method == NEW]
    assert first and first[0].skill_id == "new:rotacion de gondolas" and first[0].name == "rotación de góndolas"
    assert [m.skill_id for m in again] == [m.skill_id for m in first]


def test_nothing_from_benefits_or_the_company_blurb(extractor: SkillExtractor) -> None:
    text = (
        "Somos una empresa líder en logística con experiencia en transporte refrigerado.\n"
        "Requisitos:\n- Manejo de transpaleta eléctrica.\n"
        "Beneficios:\n- Capacitación en liderazgo de equipos.\n- Descuentos en gimnasios y comedor en planta."
    )
    found = _open(extractor.extract(text, "Operario"))
    assert not any("transporte" in s or "liderazgo" in s or "gimnasio" in s or "comedor" in s for s in found)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "!!!! ???? ---- ::::", "Requisitos:" * 5_000, "conocimientos en " * 3_000, "\x00\x01 manejo de"],
)
def test_empty_huge_or_garbage_text_gives_an_empty_open_result(extractor: SkillExtractor, text: str) -> None:
    result = extractor.extract(text)
    assert not [m for m in result.mentions if m.method in OPEN_METHODS]


def test_stem_key_ignores_plurals_order_and_function_words() -> None:
    assert stem_key("control de inventarios") == stem_key("inventario control")
    assert stem_key("atención a clientes") == stem_key("atencion al cliente")


def test_vectors_normalise_a_paraphrase_to_an_esco_skill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_CACHE_DIR", str(tmp_path / "cache"))
    esco = "http://data.europa.eu/esco/skill/"
    uri = esco + "test-dishwashing"
    labels = [
        EscoLabel(uri, "lavar la vajilla", "es", "skill/competence", True),
        EscoLabel(esco + "test-welding", "soldar metales", "es", "skill/competence", True),
        EscoLabel(esco + "test-accounts", "llevar la contabilidad", "es", "skill/competence", True),
    ]
    open_vocabulary = OpenVocabulary(Vocabulary(), labels, vectors=True, threshold=0.8)
    found = open_vocabulary.normalise(["lavar la loza", "soldadura de metales", "zzqx vrrt"])
    lavado = found["lavar la loza"]
    # No shared word ("loza" / "vajilla"): only the vectors tie the phrase to the ESCO skill ("lavado de vajilla" is
    # tied lexically, verb <-> action noun: test_derivation.py).
    assert lavado is not None and lavado.method == VECTOR and lavado.esco_uri == uri
    assert 0.8 <= lavado.similarity < 1.0
    welding = found["soldadura de metales"]
    assert welding is not None and welding.esco_uri == esco + "test-welding"
    assert found["zzqx vrrt"] is None  # nothing near enough: kept as a new skill
    assert list((tmp_path / "cache").glob("open_vocab_label_vectors-*.pkl"))  # label vectors cached on disk


def test_pickled_open_vocabulary_reads_a_posting_the_same(extractor: SkillExtractor) -> None:
    """The on-disk cache pickles the open vocabulary: look-up targets come back equal (one object per concept)
    and a restored extractor finds the same open-vocabulary skills."""
    import pickle

    open_vocabulary = extractor.open_vocabulary
    assert open_vocabulary is not None
    restored = pickle.loads(pickle.dumps(open_vocabulary, protocol=pickle.HIGHEST_PROTOCOL))
    assert restored._exact == open_vocabulary._exact and restored._stemmed == open_vocabulary._stemmed
    esco_targets = [v for v in restored._exact.values() if v.skill_id is None]
    assert len({id(v) for v in esco_targets}) == len({v.esco_uri for v in esco_targets})
    text = "Requisitos:\n- Conocimientos en trazabilidad y control de inventarios.\n- Manejo de autoelevador."
    copy = pickle.loads(pickle.dumps(extractor, protocol=pickle.HIGHEST_PROTOCOL))
    assert _open(copy.extract(text, "Operario")) == _open(extractor.extract(text, "Operario"))
    assert _open(extractor.extract(text, "Operario"))
