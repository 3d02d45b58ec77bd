"""Occupation coding: job titles to ESCO occupations and ISCO-08 groups, stored beside the posting."""

from __future__ import annotations

from sqlalchemy import select

from observatory.skills.occupations import (
    UNKNOWN,
    OccupationCoder,
    agrees_with_area,
    clean_title,
    default_occupation_coder,
)
from observatory.skills.store import extract_postings
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import Posting, SkillMention


def _insert(db: Database, native_id: str, title: str, description: str, tags: list[str] | None = None) -> None:
    row = {
        "id": posting_id("computrabajo", native_id), "source_key": "co-computrabajo", "portal": "computrabajo",
        "country": "CO", "native_id": native_id, "title": title, "description": description,
        "content_hash": native_id, "raw": {"skills_tags": tags} if tags is not None else {},
    }  # fmt: skip
    with db.session() as session:
        upsert(session, Posting, [row], conflict=["id"])


def test_clean_title_keeps_the_occupation() -> None:
    assert clean_title("Vendedor/a Sr. para empresa de alimentos - Zona Norte") == "vendedor"
    assert clean_title("Mesero (a) turno noche") == "camarero"
    assert clean_title("Ejecutivo/a Comercial (KAM)") == "representante comercial"
    assert clean_title("") == ""


def test_titles_are_coded_to_esco_occupations_and_isco_groups() -> None:
    coder = default_occupation_coder()
    seller = coder.code("Vendedor/a Full Time")
    assert seller.method == "title" and seller.confidence == 1.0
    assert seller.isco_code is not None and seller.isco_code.startswith("52") and seller.isco_label
    assert seller.uri is not None and seller.uri.startswith("http://data.europa.eu/esco/occupation/")
    nurse = coder.code("Auxiliar de Enfermería")
    assert nurse.isco_code is not None and nurse.isco_code[:2] in {"32", "53"}
    accountant = coder.code("Contador Público")
    assert accountant.isco_code is not None and accountant.isco_code.startswith("241")
    # A title that names no occupation is "unknown" with the reason, never a guess.
    nothing = coder.code("Oportunidad única!!!")
    assert nothing.method == UNKNOWN and nothing.isco_code is None and "no ESCO occupation" in (nothing.reason or "")
    assert nothing.stored_method.startswith("unknown: ")
    assert coder.code(None).reason == "no title"
    # The description helps when the title does not say: an occupation named after a hiring cue.
    helped = coder.code("Oportunidad única!!!", "Buscamos un conductor de autobús para la ruta norte.")
    assert helped.method == "description" and helped.isco_code is not None


def test_batch_coding_keeps_order() -> None:
    coder = OccupationCoder()
    titles = ["Cocinero", "Chofer", "Abogado", "Xyzzy"]
    codes = list(coder.code_many([(t, None) for t in titles], chunk=2))
    assert [c.method for c in codes] == ["title", "title", "title", UNKNOWN]
    assert codes[0].isco_code and codes[0].isco_code[:2] in {"51", "34", "94"}
    assert codes[1].isco_code and codes[1].isco_code.startswith("83")


def test_agreement_with_portal_area() -> None:
    coder = default_occupation_coder()
    assert agrees_with_area("Ventas", coder.code("Vendedor")) is True
    assert agrees_with_area("Docencia", coder.code("Vendedor")) is False
    assert agrees_with_area("Otros", coder.code("Vendedor")) is None
    assert agrees_with_area("Ventas", coder.code("Xyzzy")) is None


def test_extraction_stores_occupation_and_employer_tags(db: Database) -> None:
    _insert(db, "cocinero-1", "Cocinero/a", "Requisitos: manipulación de alimentos.", ["Trabajo en equipo", "Zzyzx"])
    _insert(db, "raro-1", "Xyzzy", "Texto sin oficio.")
    stats = extract_postings(db)
    assert stats.occupations_coded == 1 and stats.occupations_unknown == 1
    with db.session() as session:
        rows = {p.native_id: p for p in session.scalars(select(Posting))}
        tags = session.execute(
            select(SkillMention.skill_id, SkillMention.section).where(SkillMention.method == "portal_tag")
        ).all()
    cook = rows["cocinero-1"]
    assert cook.isco_code and cook.occupation_uri and cook.occupation_method == "title"
    assert cook.occupation_version == default_occupation_coder().version
    assert rows["raro-1"].isco_code is None and (rows["raro-1"].occupation_method or "").startswith("unknown: ")
    assert {t.skill_id for t in tags} == {"teamwork", "tag:zzyzx"} and {t.section for t in tags} == {"portal_tags"}
    # Idempotent: a second pass extracts nothing new.
    assert extract_postings(db).postings == 0
