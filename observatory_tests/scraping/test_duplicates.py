"""Near-duplicate links need similar titles as well as similar text; postings keep the brand that published them."""

from __future__ import annotations

from sqlalchemy import select

from observatory.scraping.fingerprint import FingerprintIndex, simhash, similar_titles, title_similarity
from observatory.scraping.items import normalise_posting
from observatory.scraping.load import load_postings
from observatory.scraping.spiders.bumeran import parse_api_record
from observatory.storage import Database
from observatory.storage.models import Posting

# One employer's boilerplate: the text is the same whatever the job.
BOILERPLATE = (
    "Metrored, red de centros médicos, busca profesionales para sus centros de Quito. Ofrecemos estabilidad, "
    "horarios flexibles, capacitación continua y un excelente ambiente laboral. Requisitos: título registrado en "
    "la SENESCYT, experiencia mínima de dos años, disponibilidad inmediata. Interesados postular por este medio."
)


def _raw(native_id: str, title: str, description: str = BOILERPLATE) -> dict:
    return {
        "source_key": "ec-computrabajo",
        "portal": "computrabajo",
        "native_id": native_id,
        "url": f"https://ec.computrabajo.com/ofertas-de-trabajo/oferta-de-trabajo-de-x-{native_id}",
        "title": title,
        "company": "Metrored",
        "description_html": f"<p>{description}</p>",
        "date_posted_raw": "2026-10-01",
        "scraped_at": "2026-11-28T12:00:00+00:00",
    }


def test_title_rule() -> None:
    assert not similar_titles("Médico Oftalmólogo", "Médico Dermatólogo")
    assert not similar_titles("Work From Home IT Support Analyst", "Work From Home Wordpress Developer")
    assert similar_titles("Asesor Comercial", "Asesora Comercial")  # gender endings
    assert similar_titles("Camareros/as", "Camarero")
    assert similar_titles("Gerente Comercial - Rubro Turismo", "Gerente Comercial - Exp. rubro Turismo")
    assert title_similarity("", "") == 1.0


def test_index_skips_a_candidate_the_title_rule_turns_down() -> None:
    fp_a = simhash("Médico Dermatólogo", "Metrored", BOILERPLATE)
    fp_b = simhash("Médico Oftalmólogo", "Metrored", BOILERPLATE)
    assert fp_a is not None and fp_b is not None
    index = FingerprintIndex()
    index.add(fp_a, "a")
    assert index.nearest(fp_b) == "a"  # SimHash alone links them
    assert index.nearest(fp_b, accept=lambda other: False) is None
    index.add(fp_b + 0, "b")
    assert index.nearest(fp_b, accept=lambda other: other != "b") == "a"  # the next closest is tried


def test_boilerplate_alone_does_not_link_different_jobs(db: Database) -> None:
    ids = ["A" * 32, "B" * 32, "C" * 32]
    first = load_postings(db, [_raw(ids[0], "Médico Dermatólogo")], "ec-computrabajo", "test:dup:1")
    second = load_postings(
        db,
        [_raw(ids[1], "Médico Oftalmólogo"), _raw(ids[2], "Médico dermatólogo")],
        "ec-computrabajo",
        "test:dup:2",
    )
    assert first.duplicates == 0 and second.duplicates == 1
    with db.session() as session:
        links = dict(session.execute(select(Posting.native_id, Posting.duplicate_of)).all())
    assert links[ids[1]] is None  # another specialty: not a repost
    assert links[ids[2]] == f"computrabajo:{ids[0]}"  # the same job again


def test_a_zonajobs_ad_keeps_its_brand_whichever_site_it_was_read_from() -> None:
    record = {"id": 2167866, "titulo": "Gerente de Operaciones", "empresa": "Umano HR", "portal": "zonajobs"}
    from_bumeran = normalise_posting(
        {**parse_api_record(record, "https://www.bumeran.com.ar"), "source_key": "ar-bumeran"}
    )
    assert from_bumeran["raw"]["brand"] == "zonajobs" and from_bumeran["source_key"] == "ar-bumeran"
    unbranded = normalise_posting(
        {**parse_api_record({**record, "portal": None}, "https://www.zonajobs.com.ar"), "source_key": "ar-zonajobs"}
    )
    assert unbranded["raw"]["brand"] == "zonajobs"  # the crawled site's brand when the ad does not say
    odd = normalise_posting({**parse_api_record({**record, "portal": "x<script>"}, "u"), "source_key": "ar-bumeran"})
    assert odd["raw"]["brand"] == "bumeran"
