"""Occupation coding: job titles to ESCO occupations and ISCO-08 groups, stored beside the posting."""

from __future__ import annotations

from sqlalchemy import select

from observatory.skills.occupations import (
    TITLE_RULES,
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
    assert clean_title("Mesero (a) turno noche") == "mesero"
    assert clean_title("Ejecutivo/a Comercial (KAM)") == "ejecutivo comercial"
    assert clean_title("722SI Ingeniero de Desarrollo - copia") == "ingeniero de desarrollo"
    assert clean_title("") == ""


def test_titles_are_coded_to_esco_occupations_and_isco_groups() -> None:
    coder = default_occupation_coder()
    seller = coder.code("Vendedor/a Full Time")
    assert seller.method == "title" and seller.isco_code == "5223"
    assert seller.isco_code is not None and seller.isco_code.startswith("52") and seller.isco_label
    assert seller.uri is not None and seller.uri.startswith("http://data.europa.eu/esco/occupation/")
    nurse = coder.code("Auxiliar de Enfermería")
    assert nurse.isco_code is not None and nurse.isco_code[:2] in {"32", "53"}
    accountant = coder.code("Contador Público")
    assert accountant.isco_code is not None and accountant.isco_code.startswith("241")
    # A title that names no occupation is "unknown" with the reason, never a guess.
    nothing = coder.code("Oportunidad única!!!")
    assert nothing.method == UNKNOWN and nothing.isco_code is None and "no occupation" in (nothing.reason or "")
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


# Real-looking Argentine and Ecuadorian titles, each coded wrongly (or "unknown") by the previous coder, which
# matched the title's letters against Spain's ESCO labels: (title, description, expected ISCO-08 unit group).
LATAM_TITLES = [
    ("Asesora comercial", "Visitas a empresas clientes de la zona asignada.", "3322"),
    ("Representante de ventas", "", "3322"),
    ("Ejecutivo/a de cuentas", "", "3322"),
    ("Recepcionista/Administrativa", "Atención de la recepción de un consultorio, agenda de turnos.", "4226"),
    ("Ejecutivo ventas", "Venta de servicios a empresas.", "3322"),
    ("Operario de depósito", "", "4321"),
    ("Bodeguero/a", "Control de ingresos y egresos de mercadería en bodega.", "4321"),
    ("Asistente Contable", "Conciliaciones bancarias, carga de facturas.", "4311"),
    ("Chofer profesional licencia tipo C", "Reparto de mercadería en camión.", "8332"),
    ("Liquidador de sueldos y jornales", "", "4313"),
    ("Mozos y camareras para evento", "", "5131"),
    ("Chofer", "", "8322"),
    ("Operario/a de producción - Turno noche", "", "9329"),
    ("Promotora para supermercados", "Degustaciones de productos.", "5242"),
    ("Telemarketer - Home office", "", "5244"),
    ("Auxiliar contable", "", "4311"),
    ("Auxiliar administrativo", "Tareas generales de oficina.", "4110"),
    ("Analista de Marketing JR - BELGRANO", "", "2431"),
]


def test_latin_american_titles_get_the_unit_group_a_statistician_gives() -> None:
    coder = default_occupation_coder()
    got = {title: coder.code(title, description).isco_code for title, description, _ in LATAM_TITLES}
    assert got == {title: expected for title, _, expected in LATAM_TITLES}


def test_the_head_of_the_title_outweighs_its_modifiers() -> None:
    coder = default_occupation_coder()
    # "ejecutivo" must not make a sales representative a chief executive (ISCO 1120).
    assert coder.code("Ejecutivo ventas").isco_code == "3322"
    assert coder.code("Representante comercial").isco_code == "3322"
    # Receptionists are not secretaries (4120), whatever office work the title adds.
    assert coder.code("Recepcionista/Administrativa").isco_code == "4226"
    # The head noun first: an analyst of purchases buys; a technician of refrigeration repairs cold rooms.
    assert coder.code("Analista de Compras").isco_code == "3323"
    assert coder.code("Técnico en refrigeración").isco_code == "7127"
    assert coder.code("Ayudante de cocina").isco_code == "9412"
    assert coder.code("Jefe de cocina").isco_code == "3434"


def test_seniority_and_rank_words_never_pull_to_management() -> None:
    coder = default_occupation_coder()
    ranked = ["Vendedor Sr", "Ejecutivo de cuentas Senior", "Líder de equipo de ventas", "Jefe de turno"]
    ranked += ["Supervisor de producción", "Encargado de depósito", "Subencargado/a de tienda"]
    ranked += ["Coordinador de logística", "Team Leader Call Center"]
    for title in ranked:
        code = coder.code(title)
        assert code.isco_code is not None and not code.isco_code.startswith("1"), (title, code)
    # Management only for a title that says it, or the head of a department (an organisation unit).
    assert coder.code("Gerente Comercial").isco_code == "1221"
    assert coder.code("Jefe de Compras").isco_code == "1324"
    assert coder.code("Jefe/a de Producción - Planta Pilar").isco_code == "1321"
    assert coder.code("Gerente General").isco_code == "1120"
    assert coder.code("Gerente de Recursos Humanos").isco_code == "1212"


def test_description_and_skills_are_evidence_for_vague_titles() -> None:
    coder = default_occupation_coder()
    plain = coder.code("Operador de call center", "Atención de consultas de clientes de una prepaga.")
    assert plain.isco_code == "4222"
    collecting = coder.code("Operador de call center", "Gestión telefónica de cobranzas a clientes en mora.")
    assert collecting.isco_code == "4214"
    by_phone = coder.code("Asesor comercial", "Venta telefónica de planes de internet desde nuestro call center.")
    assert by_phone.isco_code == "5244"
    assert coder.code("Operador telefónico", "").isco_code == "4222"
    assert coder.code("Operador telefónico", "", ["Gestión de cobranzas"]).isco_code == "4214"
    # A title that names no job, and a description that does after a hiring cue.
    found = coder.code("¡Sumate a nuestro equipo!", "Buscamos repositor/a para sucursal de Quilmes. Requisitos: …")
    assert found.method == "description" and found.isco_code == "9334"


def test_unknown_is_honest() -> None:
    coder = default_occupation_coder()
    for title in ("Oportunidad única!!!", "Personal", "Búsqueda laboral - Zona Norte", "Sumate a nuestro equipo", ""):
        code = coder.code(title, "Excelente clima laboral y obra social.")
        assert code.method == UNKNOWN and code.isco_code is None and code.uri is None, (title, code)
        assert code.reason
    # Garbage and huge input: a clear result, no crash.
    assert coder.code("x" * 100_000, "y" * 1_000_000).method == UNKNOWN
    assert coder.code("\x00\x01 ### ///", None).method == UNKNOWN


def test_codes_name_an_esco_occupation_of_their_unit_group() -> None:
    coder = default_occupation_coder()
    for title, description, expected in LATAM_TITLES:
        code = coder.code(title, description)
        assert code.uri is not None and code.label and code.isco_label, title
        occupation = next(o for o in coder.bundle.occupations if o.uri == code.uri)
        assert occupation.isco_code == expected


def test_every_rule_names_an_isco_unit_group_of_the_bundle() -> None:
    groups = default_occupation_coder().bundle.isco_groups
    assert all(code in groups for code, _ in TITLE_RULES)


def test_a_role_word_alone_takes_its_domain_from_the_description() -> None:
    coder = default_occupation_coder()
    tax = coder.code("Analista Sr", "Sumate al área de impuestos de una empresa líder.")
    assert tax.method == "description" and tax.isco_code == "2411"
    # An office job whose tasks are bookkeeping, told by more than one accounting task.
    books = coder.code("Administrativo/a", "Tareas: conciliaciones bancarias, cuentas a pagar, carga de facturas.")
    assert books.isco_code == "4311"
    assert coder.code("Administrativo/a", "Tareas generales de oficina y facturación.").isco_code == "4110"


def test_managers_named_in_a_modifier_and_remote_work_prefixes_do_not_decide() -> None:
    coder = default_occupation_coder()
    assert coder.code("Asistente de Director General").isco_code == "3343"
    assert coder.code("Trabajo Desde Casa Analista de RH").isco_code == "2423"
    assert coder.code("Work From Home Benefits Analyst").isco_code == "2423"
    assert coder.code("Coordinadora de Reclutamiento y Selección").isco_code == "2423"
    assert coder.code("Analista de mercadeo y tecnología").isco_code == "2431"
    assert coder.code("Tecnólogo en Refrigeración").isco_code == "7127"


def test_the_dev_titles_are_valid_isco_codes_kept_apart_from_the_test_set() -> None:
    import json
    import re

    from observatory.skills.normalize import fold_key
    from observatory.skills.occupation_evaluation import (
        DEV_ASIDE,
        OCCUPATION_SETS,
        dev_split,
        read_occupation_set,
    )

    groups = default_occupation_coder().bundle.isco_groups
    rows = [json.loads(line) for line in OCCUPATION_SETS["dev"].read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 350
    for row in rows:
        assert {"title", "country", "isco", "note", "sample", "file", "id"} <= row.keys(), row
        assert row["sample"] in {"frequent", "random"}, row
        assert row["country"] in {"AR", "EC"} and row["title"].strip() and isinstance(row["note"], str), row
        assert re.fullmatch(r"\d{2}|\d{4}", row["isco"]) and row["isco"] in groups, row
        assert row["isco"] != "unknown" and row["file"].endswith(".gz"), row
    assert len({(r["title"], r["country"]) for r in rows}) == len(rows)  # one row per distinct title
    aside = sum(dev_split(r["title"], r["country"]) == DEV_ASIDE for r in rows) / len(rows)
    assert 0.2 < aside < 0.4

    # Nothing of the held-out test set: neither its postings nor its titles (counted, never shown).
    def norm(title: str) -> str:
        return " ".join(re.findall(r"[a-z0-9ñ]+", fold_key(title)))

    test = read_occupation_set(OCCUPATION_SETS["test"])
    test_ids = {(t.file, t.id) for t in test}
    test_titles = {norm(t.title) for t in test}
    assert sum((r["file"], r["id"]) in test_ids for r in rows) == 0
    assert sum(norm(r["title"]) in test_titles for r in rows) == 0
    # The evaluation reads it like the other sets, with its 70/30 split.
    items = read_occupation_set(OCCUPATION_SETS["dev"])
    assert len(items) == len(rows) and all(i.split and i.isco_2 == i.isco_4[:2] for i in items if i.isco_4)
