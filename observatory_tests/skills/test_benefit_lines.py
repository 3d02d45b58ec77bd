"""A benefits block opened by a long offer sentence ("Qué ofrecemos para que tu trabajo (y tu vida) sea más fácil:")
yields no skill demand: "Hardware y software" given to the employee is no requirement. The requirement list before
it is still read."""

from __future__ import annotations

import pytest

from observatory.skills.extractor import SkillExtractor
from observatory.skills.normalize import fold
from observatory.skills.sections import NON_DEMAND_SECTIONS, REQUIREMENTS, PostingStructure

# The shape of a remote-work template met in a dozen real Ecuadorian postings (one with "seja mais fácil").
POSTING = """¿Qué Buscamos?:

- 5+ años de experiencia como desarrollador Node.
- Experiencia con bases de datos SQL y NoSQL.
- Nivel de inglés avanzado.

{offer}

- Trabajo 100% remoto: trabaja desde tu casa o donde quieras.
- Compensación en USD o en tu moneda local. como prefieras. muy por encima de la media del mercado.
- Hardware y software.
- Horarios flexibles
- Licencias por mater/paternidad. vacaciones y días festivos nacionales pagos.
"""


@pytest.mark.parametrize(
    "offer",
    [
        "Qué ofrecemos para que tu trabajo (y tu vida) sea más fácil:",
        "Qué ofrecemos para que tu trabajo (y tu vida) seja mais fácil:",
        "Te ofrecemos todo lo necesario para que puedas crecer con nosotros:",
        "- Lo que te brindamos a cambio de tu talento y compromiso:",
    ],
)
def test_a_long_offer_line_heads_the_benefits(extractor: SkillExtractor, offer: str) -> None:
    text = POSTING.format(offer=offer)
    structure = PostingStructure.parse(fold(text))
    # Benefits, or the company's own words where the offer speaks of "nosotros": no demand either way.
    assert structure.section_at(text.index("Hardware"))[0] in NON_DEMAND_SECTIONS
    assert structure.section_at(text.index("NoSQL"))[0] == REQUIREMENTS
    demanded = {m.surface for m in extractor.extract(text).mentions}
    assert "Hardware" not in demanded and "software" not in demanded, demanded
    assert "NoSQL" in demanded


def test_an_offer_inside_a_sentence_is_no_header() -> None:
    """'Ofrecemos' in running text that ends with a colon further on does not open benefits at the line's start."""
    text = "Requisitos:\n- Experiencia en ventas; ofrecemos capacitación. Conocimientos de:\n- Excel avanzado\n"
    structure = PostingStructure.parse(fold(text))
    assert structure.section_at(text.index("Excel"))[0] == REQUIREMENTS
