"""Verb <-> action-noun equivalence of open-vocabulary phrases: a noun phrase of a real posting ("Evaluación de
riesgos", "Cumplimiento de plazos") finds the ESCO skill worded as its verb, and the reverse, with the bundled
vocabulary and ESCO; person nouns, single words, coordinations and framed objects stay unnamed."""

from __future__ import annotations

import pytest

from observatory.skills.derivation import Derivations, rule_nouns
from observatory.skills.esco_bundle import bundled_esco
from observatory.skills.extractor import SkillExtractor
from observatory.skills.normalize import fold_key
from observatory.skills.open_vocab import LEXICAL, NEW, OpenVocabulary, stem


@pytest.fixture(scope="module")
def extractor(built_extractor: SkillExtractor) -> SkillExtractor:
    assert built_extractor.open_vocabulary is not None
    return built_extractor


@pytest.fixture(scope="module")
def open_vocabulary(extractor: SkillExtractor) -> OpenVocabulary:
    assert extractor.open_vocabulary is not None
    return extractor.open_vocabulary


@pytest.fixture(scope="module")
def preferred_labels() -> dict[tuple[str, str], str]:
    """(ESCO URI, language) -> preferred label."""
    labels: dict[tuple[str, str], str] = {}
    for label in bundled_esco().skill_labels():
        if label.preferred:
            labels.setdefault((label.uri, label.lang), label.label)
    return labels


def _english(open_vocabulary: OpenVocabulary, labels: dict[tuple[str, str], str], phrase: str) -> str | None:
    """The preferred English ESCO label ``phrase`` is named by (lexically), ``None`` when none."""
    found = open_vocabulary.normalise([fold_key(phrase)], vectors=False)[fold_key(phrase)]
    return labels.get((found.esco_uri, "en")) if found is not None and found.esco_uri else None


@pytest.mark.parametrize(
    ("phrase", "english"),
    [
        ("Evaluación de riesgos", "draw up risk assessment"),  # ESCO words it "elaborar una evaluación de riesgos"
        ("cumplimiento de plazos", "meet deadlines"),
        ("Elaboración de informes", "present reports"),  # an alternative label: "elaborar informes"
        ("control de plagas", "perform pest control"),
        ("Coordinación de turnos", "coordinate shifts"),
        ("revisión de documentos legales", "revise legal documents"),
        ("Planificación de los menús", "plan menus"),
        ("análisis de ventas", "carry out sales analysis"),
        ("processing of data", "process data"),
        ("data processing", "process data"),
        ("development of new products", "develop new products"),
    ],
)
def test_action_noun_phrases_find_the_label_worded_as_a_verb(
    open_vocabulary: OpenVocabulary, preferred_labels: dict[tuple[str, str], str], phrase: str, english: str
) -> None:
    assert _english(open_vocabulary, preferred_labels, phrase) == english


@pytest.mark.parametrize(
    "phrase",
    [
        "vendedor de seguros",  # the seller, not the selling ("venta de seguros" is a sales skill)
        "asesor de seguros",
        "operador de maquinaria",
        "evaluación",  # one word: matched exactly or not at all
        "elaboración de productos de limpieza",  # making cleaning products is not cleaning
        "servicio y venta",  # two skills, not "vender servicios"
        "equipo a cargo",  # a team in one's charge, not loading equipment
        "registros de clientes",  # records, not checking guests in
        # ESCO labels of another concept (esco_ambiguous.txt): fishing nets, bombs, decorating furniture
        "mantenimiento de redes",
        "fabricación de bombas",
        "diseño de muebles",
    ],
)
def test_person_nouns_single_words_and_framed_objects_stay_unnamed(
    open_vocabulary: OpenVocabulary, preferred_labels: dict[tuple[str, str], str], phrase: str
) -> None:
    assert _english(open_vocabulary, preferred_labels, phrase) is None


def test_a_posting_names_its_task_nouns_by_esco_and_keeps_the_rest_new(
    extractor: SkillExtractor, preferred_labels: dict[tuple[str, str], str]
) -> None:
    text = (
        "Responsabilidades:\n- Control de gastos y compras menores.\n- Cumplimiento de plazos.\n"
        "- Limpieza del área de trabajo.\n- Elaboración de productos de limpieza.\n"
        "Requisitos:\n- Experiencia en gestión de incidentes.\n- Disponibilidad full time."
    )
    result = extractor.extract(text, "Encargado de planta")
    by_surface = {m.surface.lower(): m for m in result.mentions}
    named = {
        surface: preferred_labels.get((m.esco_uri, "en"))
        for surface, m in by_surface.items()
        if m.method == LEXICAL and m.esco_uri
    }
    assert named.get("control de gastos") == "control of expenses", by_surface
    assert named.get("cumplimiento de plazos") == "meet deadlines", by_surface
    assert named.get("limpieza del área de trabajo") == "ensure sanitation", by_surface
    assert named.get("gestión de incidentes") == "handle incidents", by_surface
    assert "elaboración de productos de limpieza" not in named
    assert all(m.method != NEW or not m.esco_uri for m in result.mentions)


@pytest.fixture(scope="module")
def derivations() -> Derivations:
    keys = [fold_key(label.label) for label in bundled_esco().skill_labels()]
    stop = frozenset("de del la los las el a al un una y e o the of and to in".split())
    return Derivations.from_label_keys(keys, stem, stop)


def test_nouns_and_verbs_share_a_root_and_false_friends_do_not(derivations: Derivations) -> None:
    roots = derivations.roots
    for verb, noun in [
        ("evaluar", "evaluaciones"), ("asesorar", "asesoramiento"), ("atender", "atencion"),
        ("cumplir", "cumplimiento"), ("mantener", "mantenimiento"), ("gestionar", "gestion"),
        ("supervisar", "supervision"), ("controlar", "control"), ("distribuir", "distribucion"),
        ("manage", "management"), ("analyse", "analysis"),
    ]:  # fmt: skip
        assert roots.get(stem(noun)) == verb, noun
    # A station is not being, an occupation not taking care of, a seller or an adviser not the activity.
    for word in ("estacion", "ocupacion", "posicion", "vendedor", "asesor", "operador", "cargo", "application"):
        assert stem(word) not in roots or roots[stem(word)] == word, word
    assert "cobracion" not in rule_nouns("cobrar") or stem("cobracion") not in roots  # unattested: never derived


def test_light_verbs_frame_the_action_they_introduce(derivations: Derivations) -> None:
    key = derivations.key
    assert key("elaborar una evaluacion de riesgos") == key("evaluacion de riesgos") == key("evaluar riesgos")
    assert key("llevar a cabo la contratacion de personal") == key("contratacion de personal")
    assert key("draw up risk assessment") == key("risk assessment")
    assert key("elaboracion de productos de limpieza") != key("productos de limpieza")  # a product is framed
    assert key("elaboracion de informes") == key("elaborar informes") != ""
    assert key("realizar auditorias") != ""  # the frame stays rather than leave one word


def test_the_closer_wording_wins_over_one_reached_through_a_light_verb(derivations: Derivations) -> None:
    index = derivations.index({"elaborar evaluaciones de riesgos": "framed", "evaluar riesgos": "direct"})
    assert index[derivations.key("evaluacion de riesgos")] == "direct"
    only_framed = derivations.index({"elaborar evaluaciones de riesgos": "framed"})
    assert only_framed[derivations.key("evaluacion de riesgos")] == "framed"
