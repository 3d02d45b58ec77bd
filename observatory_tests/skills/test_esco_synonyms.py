"""ESCO's wording of phrases Latin American postings word otherwise ("elaboración de reportes" is ESCO's "presentar
informes", "seguimiento de pedidos" its order follow-up): tried only when a phrase's own words name nothing,
accepted only through skill labels or vocabulary aliases, never through an ambiguous label or an occupation."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.skills.derivation import SYNONYMS_PATH, Synonyms
from observatory.skills.esco import EscoLabel
from observatory.skills.esco_bundle import bundled_esco
from observatory.skills.extractor import SkillExtractor
from observatory.skills.normalize import fold_key
from observatory.skills.open_vocab import NEW, OpenVocabulary
from observatory.skills.vocabulary import default_vocabulary

S = "http://data.europa.eu/esco/skill/"


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    """ESCO URI -> preferred English label."""
    return {label.uri: label.label for label in bundled_esco().skill_labels(("en",)) if label.preferred}


@pytest.mark.parametrize(
    ("task", "surface", "label"),
    [
        ("Elaboración de reportes e indicadores del área.", "Elaboración de reportes", "present reports"),
        ("Carga y seguimiento de pedidos en el sistema de gestión.", "seguimiento de pedidos",
         "follow up orders for customers"),
        ("Generar reportes e indicadores del área.", "Generar reportes", "present reports"),
        ("Armado de reportes de ventas.", "Armado de reportes de ventas", "produce sales reports"),
        ("Recepción, control y almacenamiento de mercadería.", "almacenamiento de mercadería", "store goods"),
        ("Participar en el armado del mapa de riesgos.", "armado del mapa de riesgos", "create risk maps"),
    ],
)  # fmt: skip
def test_a_task_worded_otherwise_gets_its_esco_name(
    extractor: SkillExtractor, english: dict[str, str], task: str, surface: str, label: str
) -> None:
    mentions = {m.surface: m for m in extractor.extract("Tareas:\n- " + task).mentions}
    mention = mentions.get(surface)
    assert mention is not None, sorted(mentions)
    assert mention.method != NEW and mention.esco_uri is not None
    assert english[mention.esco_uri] == label


def test_own_words_come_first(extractor: SkillExtractor) -> None:
    """'armado de pedidos' is a vocabulary alias (picking): no synonym is tried."""
    found = {m.surface: m.skill_id for m in extractor.extract("Tareas:\n- Armado de pedidos y despacho.").mentions}
    assert found.get("Armado de pedidos") == "picking"


def _small_open_vocabulary(blocked: tuple[str, ...] = ()) -> OpenVocabulary:
    labels = [
        EscoLabel(S + "r1", "presentar informes", "es", "skill/competence", True),
        EscoLabel(S + "r1", "elaborar informes", "es", "skill/competence", False),
        EscoLabel(S + "r1", "present reports", "en", "skill/competence", True),
    ]
    return OpenVocabulary(default_vocabulary(), labels, blocked=blocked)


def test_a_variant_through_an_ambiguous_label_is_refused() -> None:
    key = fold_key("elaboración de reportes")
    named = _small_open_vocabulary().normalise([key], vectors=False)[key]
    assert named is not None and named.esco_uri == S + "r1"
    refused = _small_open_vocabulary(blocked=("elaborar informes",)).normalise([key], vectors=False)[key]
    assert refused is None


def test_variants_replace_listed_words_only() -> None:
    synonyms = Synonyms({"reportes": ("informes",), "armado": ("preparacion", "montaje")})
    assert synonyms.variants("elaboracion de reportes") == ["elaboracion de informes"]
    assert synonyms.variants("armado de reportes") == [
        "preparacion de informes", "montaje de informes", "preparacion de reportes", "montaje de reportes",
        "armado de informes",
    ]  # fmt: skip
    assert synonyms.variants("reportero grafico") == []  # whole words only
    assert synonyms.variants("ventas") == []


def test_no_listed_phrase_is_an_occupation() -> None:
    occupations = {fold_key(o.label_es) for o in bundled_esco().occupations}
    occupations |= {fold_key(a) for o in bundled_esco().occupations for a in o.alt_es}
    synonyms = Synonyms.read()
    for phrase, replacements in synonyms.replacements.items():
        for words in (phrase, *replacements):
            assert words not in occupations, words
            assert words == fold_key(words), f"{words!r} is not written folded"


def test_a_malformed_line_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text("# comment\nreporte = informe\nreclamo queja\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"synonyms.txt, line 3"):
        Synonyms.read(path)
    assert Synonyms.read(SYNONYMS_PATH).variants("gestion de reclamos") == ["gestion de quejas"]
