"""Occupation coding by the structure of a title, not its words one by one: what transfers to titles no rule was
written on (issue 16, part 4). Titles here are of the kind real postings write; each was coded wrong (or not at
all) before the reading it tests."""

from __future__ import annotations

import pytest

from observatory.skills.occupations import OccupationCoder, respelt

# A description that names no job: the title alone decides.
NEUTRAL = "Sumate a nuestro equipo. Ofrecemos buen clima laboral y estabilidad. Enviá tu CV."


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # A letter left out, added, changed or two swapped, in the word that names the job.
        ("Asistente Adminsitrativo/a - GBA Sur", "4110"),
        ("AUXILIAR ADMINISGTRATIVO/A para empresa agropecuaria", "4110"),
        ("INEVSTIGADOR DE SINIESTROS FREELANCE", "3315"),
        ("VERIFICADOR DE SINEISTROS PARA LA PROVINCIA DE CORDOBA", "3315"),
        ("Ingeniro Civil para Obras viales en Córdoba", "2142"),
        ("Asesor comerrcial", "3322"),
        ("Montagarguista", "8344"),
        ("Coordinardor/a de Capacitación", "2424"),
        ("Project Mananger", "1219"),
    ],
)
def test_a_misspelt_job_word_is_read_as_the_job_word(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


@pytest.mark.parametrize(
    "word",
    [
        # Words spelt right that are one edit from a job word: a "lustrador" polishes (no "ilustrador"), a
        # "residente" is a resident doctor (no "presidente"), "edilicio" and "gestoría" are words of their own.
        "lustrador",
        "residente",
        "panificadora",
        "custodio",
        "cobranza",
        "tortuguitas",
        # Too short to tell a typo from another word; too long to be one.
        "asesr",
        "administrativoadministrativo",
    ],
)
def test_a_known_word_is_never_respelt(coder: OccupationCoder, word: str) -> None:
    assert respelt(word, coder._job_words, coder._known_words) in (None, word)


def test_the_employers_own_word_stays_as_written(coder: OccupationCoder) -> None:
    # The description writes it the same way: a brand or a place, not a slip of the title.
    assert coder.respell("Asesor Coomercial", "Coomercial SRL, distribuidora mayorista") == "Asesor Coomercial"
    assert coder.respell("Asesor Coomercial", NEUTRAL) == "Asesor comercial"


def test_a_field_in_a_respelt_title_does_not_override_the_description(coder: OccupationCoder) -> None:
    # Respelt, "Encargado en comercio gastronómico" is read by the field it names only: the description's reading of
    # the misspelt title stands (a field reading codes only a title nothing else coded).
    description = (
        "Buscamos encargado de tienda para nuestro local de comidas: apertura y cierre de caja, atención al cliente "
        "en el local, reposición de productos y manejo del personal de salón."
    )
    misspelt = coder.code("Sub Encargado en Comercio Gastonomico - CABA", description)
    assert misspelt.branch != "field rule", misspelt
    assert coder.code("Vendedor de mostrador", NEUTRAL).isco_code == "5223"


def test_a_word_one_edit_from_two_job_words_is_left_alone(coder: OccupationCoder) -> None:
    ambiguous = [w for w in ("operadora", "tecnicos") if w in coder._job_words]
    assert ambiguous  # the vocabulary holds them
    # "operadoxa" is one edit from "operadora" only; a word one edit from both "tecnicos" and "tecnicas" is not read.
    assert respelt("operadoxa", coder._job_words, coder._known_words) == "operadora"
    assert respelt("tecnicxs", coder._job_words, coder._known_words) is None


@pytest.mark.parametrize(
    ("title", "group"),
    [
        # A list of parts: the part that names a job, when the first names none.
        ("BU617 CHECKER DE LINEA, CONTROL DE CALIDAD, TÉCNICO QUIMICO (excluyente)", "3119"),
        ("Trabajo General de fabrica, Costurera/o", "7533"),  # the readers: a seamstress sews on machines
        # A place or an employer written before the role word.
        ("HELADERIA FREDDO AUXILIAR MOSTRADOR", "5223"),
        ("Estudiante Ingenieria puesto ASISTENTE CONTROL DE LA PRODUCCION", "4322"),
    ],
)
def test_the_part_of_a_title_that_names_a_job_is_read(coder: OccupationCoder, title: str, group: str) -> None:
    code = coder.code(title, NEUTRAL)
    assert code.isco_code == group, (title, code)


def test_a_later_part_does_not_override_a_title_the_tables_read(coder: OccupationCoder) -> None:
    # The first part names the job: a later part ("Atención al Salón") is where it is done.
    assert coder.code("Cajero/a, Atención al Salón - Turno Noche", NEUTRAL).isco_code == "5230"
    assert coder.code("Vendedor/a, Administrativo/a", NEUTRAL).isco_code == "5223"
