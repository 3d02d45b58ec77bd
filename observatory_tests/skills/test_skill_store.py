"""Extraction of stored postings into canonical skills, mentions and extraction runs (real PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from observatory.skills.extractor import SkillExtractor, default_extractor
from observatory.skills.store import extract_postings, partition_summary
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import CanonicalSkill, ExtractionRun, Posting, SkillMention


def insert_postings(db: Database, postings: list[tuple[str, str, str | None, str | None, datetime | None]]) -> None:
    """Rows of (source_key, native_id, title, description, date_posted)."""
    rows = []
    for source_key, native_id, title, description, date_posted in postings:
        portal = source_key.split("-", 1)[1]
        rows.append(
            {
                "id": posting_id(portal, native_id),
                "source_key": source_key,
                "portal": portal,
                "country": source_key[:2].upper(),
                "native_id": native_id,
                "title": title or "",
                "description": description,
                "date_posted": date_posted,
                "content_hash": native_id,
                "raw": {},
            }
        )
    with db.session() as session:
        upsert(session, Posting, rows, conflict=["id"])


DAY = datetime(2025, 7, 1, 15, tzinfo=UTC)
NEXT_DAY = datetime(2025, 7, 2, 9, tzinfo=UTC)


def test_extract_postings_is_incremental_and_idempotent(db: Database) -> None:
    insert_postings(
        db,
        [
            ("co-computrabajo", "1", "Desarrollador Python", "Requisitos: Python, Django y PostgreSQL.", DAY),
            ("co-computrabajo", "2", "Auxiliar", "Manejo de Excel. Beneficios: cursos de AWS.", DAY),
            ("co-computrabajo", "3", "Conductor", "Licencia vigente y buena actitud.", DAY),
            ("co-computrabajo", "4", "Dev Java", "Java y Spring Boot.", NEXT_DAY),
            ("ar-bumeran", "5", "Analista", "Power BI y SQL.", DAY),
        ],
    )
    start, end = datetime(2025, 7, 1, tzinfo=UTC), datetime(2025, 7, 2, tzinfo=UTC)
    stats = extract_postings(db, source_key="co-computrabajo", start=start, end=end)
    assert stats.postings == 3 and stats.without_skills == 1
    assert stats.top_skills["Python"] == 1 and "AWS" not in stats.top_skills
    with db.session() as session:
        mentions = session.execute(select(SkillMention.posting_id, SkillMention.skill_id, SkillMention.start)).all()
        runs = dict(session.execute(select(ExtractionRun.posting_id, ExtractionRun.mentions)).all())
        python = session.get(CanonicalSkill, "python")
        language = session.scalar(select(Posting.language).where(Posting.id == "computrabajo:1"))
    assert set(runs) == {"computrabajo:1", "computrabajo:2", "computrabajo:3"} and runs["computrabajo:3"] == 0
    assert {(p, s) for p, s, _ in mentions} == {
        ("computrabajo:1", "python"), ("computrabajo:1", "django"), ("computrabajo:1", "postgresql"),
        ("computrabajo:2", "excel"),
    }  # fmt: skip
    # The title mention sits before the description: negative offsets, no clash with the description's.
    python_starts = sorted(start for p, s, start in mentions if s == "python")
    assert python_starts[0] < 0 <= python_starts[1]
    assert (
        python is not None and python.name == "Python" and python.esco_uri and python.category == "programming_language"
    )
    assert language == "es"

    again = extract_postings(db, source_key="co-computrabajo", start=start, end=end)
    assert again.postings == 0
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SkillMention)) == len(mentions)

    # Everything else (another day, another source) is extracted by an unfiltered run.
    rest = extract_postings(db)
    assert rest.postings == 2 and rest.top_skills["Power BI"] == 1

    summary = partition_summary(db, default_extractor().version, "co-computrabajo", start, end)
    assert summary["postings"] == 3 and summary["without_skills"] == 1
    assert summary["top_skills"][0][1] == 1 and ("Python", 1) in summary["top_skills"]
    assert 0 < summary["esco_coverage"] <= 1


def test_a_new_extractor_version_reextracts_everything(db: Database) -> None:
    insert_postings(db, [("co-elempleo", "9", "Dev", "Node.js y React.", DAY)])
    assert extract_postings(db).postings == 1
    newer = SkillExtractor()
    newer.version = "test-next"
    assert extract_postings(db, newer).postings == 1
    with db.session() as session:
        versions = session.execute(
            select(SkillMention.extractor_version, func.count()).group_by(SkillMention.extractor_version)
        ).all()
    assert dict(versions) == {default_extractor().version: 2, "test-next": 2}
