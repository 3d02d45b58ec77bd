"""ESCO CSV import: both layouts from the project's fixtures into the embedded database, malformed files, labels."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from observatory.skills.esco import (
    EscoError,
    EscoFormatError,
    EscoLabel,
    detect_version,
    esco_status,
    import_esco,
    load_esco_labels,
    read_esco_labels,
)
from observatory.storage import Database
from observatory.storage.models import EscoOccupation, EscoRelation, EscoSkill, EscoSkillGroup

FIXTURES = Path(__file__).parent / "fixtures" / "esco"
S = "http://data.europa.eu/esco/skill/"
ESCO_TABLES = (EscoSkill, EscoSkillGroup, EscoOccupation, EscoRelation)


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0 for m in ESCO_TABLES}


def skill(db: Database, uri: str) -> EscoSkill:
    with db.session() as s:
        row = s.get(EscoSkill, uri)
        assert row is not None, uri
        return row


def test_detect_version_from_folder_names(tmp_path: Path) -> None:
    assert detect_version(FIXTURES / "v1.2") == "v1.2"
    assert detect_version(tmp_path / "esco-v1.1.1" / "csv") == "v1.1.1"
    assert detect_version(tmp_path / "1.0.9") == "v1.0.9"
    assert detect_version(Path("/data/esco/latest")) is None
    assert detect_version(Path("/opt/3.11/esco/download/latest")) is None  # too far up to mean anything


def test_import_v10_layout_merges_spanish_and_english(db: Database) -> None:
    report = import_esco(db, FIXTURES / "v1.0")
    assert report.version == "v1.0"
    assert report.rows == {"esco_skills": 4, "esco_skill_groups": 0, "esco_occupations": 4, "esco_relations": 4}
    assert "skills_en-us.csv" in report.files and "skills_es.csv" in report.files
    python = skill(db, S + "a1")
    assert (python.label_es, python.label_en) == ("Python", "Python")
    assert python.alt_labels_es == ["programación en Python", "lenguaje Python"]
    assert python.alt_labels_en == ["Python programming"]
    assert python.skill_type == "knowledge" and python.reuse_level == "cross-sector"
    assert python.description_es is None
    assert python.description_en == "Techniques and principles of software development in Python."
    assert python.collections == [] and python.esco_version == "v1.0"
    # Quoted field with quotes, commas and a line break survives intact.
    assert skill(db, S + "a3").description_en == 'Control stock, with "quotes", commas, and\nline breaks.'
    # Duplicate alternative labels inside one field are kept once.
    assert skill(db, S + "a2").alt_labels_es == ["colaborar con colegas", "trabajo en equipo", "trabajar en equipo"]
    with db.session() as s:
        dev = s.get(EscoOccupation, "http://data.europa.eu/esco/occupation/o1")
        assert dev is not None and dev.isco_group == "2512"
        assert dev.alt_labels_es == ["desarrolladora de software", "programador"]
        isco = s.get(EscoOccupation, "http://data.europa.eu/esco/isco/C2512")
        assert isco is not None and isco.isco_group == "2512" and isco.label_es == "Desarrolladores de software"
        edges = set(s.execute(select(EscoRelation.source_uri, EscoRelation.target_uri, EscoRelation.relation)).all())
    assert (S + "a4", S + "g1", "broader") in edges
    assert ("http://data.europa.eu/esco/isco/C2512", "http://data.europa.eu/esco/isco/C2", "broader") in edges


def test_import_v12_layout_with_collections_and_relations(db: Database) -> None:
    report = import_esco(db, FIXTURES / "v1.2")
    assert report.version == "v1.2"
    # a1, a2, a5 from skills files plus a6 known only from the digital collection.
    assert report.rows["esco_skills"] == 4
    assert report.rows["esco_skill_groups"] == 2
    python = skill(db, S + "a1")
    assert python.collections == ["digital"]
    assert python.description_es == "Técnicas y principios del desarrollo de software en Python."
    assert python.alt_labels_es == ["programación en Python", "lenguaje Python"]  # hidden labels are not alt labels
    assert skill(db, S + "a2").collections == ["transversal"]
    assert skill(db, S + "a5").collections == ["green"]
    k8s = skill(db, S + "a6")
    assert (k8s.label_es, k8s.label_en) == ("Kubernetes", None)
    assert k8s.alt_labels_es == ["K8s", "orquestación de contenedores con Kubernetes"]
    assert k8s.collections == ["digital"] and k8s.skill_type == "knowledge"
    with db.session() as s:
        group = s.get(EscoSkillGroup, S + "g1")
        assert group is not None and (group.code, group.label_es) == ("S5.6", "programación informática")
        edges = set(s.execute(select(EscoRelation.source_uri, EscoRelation.target_uri, EscoRelation.relation)).all())
    assert (S + "a1", S + "a4", "optional") in edges
    assert (S + "a5", S + "a2", "essential") in edges
    assert (S + "a6", "http://data.europa.eu/esco/isced-f/0613", "broader") in edges  # from the collection


def test_reimport_is_idempotent_and_later_release_updates_rows(db: Database) -> None:
    import_esco(db, FIXTURES / "v1.0")
    first = counts(db)
    import_esco(db, FIXTURES / "v1.0")
    assert counts(db) == first
    import_esco(db, FIXTURES / "v1.2")
    python = skill(db, S + "a1")
    assert python.esco_version == "v1.2" and python.collections == ["digital"]
    assert python.description_en == "Techniques of software development in Python."
    # a3 and a4 are not in the v1.2 fixtures: they keep their v1.0 rows.
    assert skill(db, S + "a3").esco_version == "v1.0"
    status = esco_status(db)
    assert status["esco_skills"] == {"v1.0": 2, "v1.2": 4}
    assert status["esco_occupations"] == {"v1.0": 4}


def test_language_only_import_does_not_blank_the_other_language(db: Database, tmp_path: Path) -> None:
    import_esco(db, FIXTURES / "v1.0")
    only_en = tmp_path / "v1.0.1"
    only_en.mkdir()
    shutil.copy(FIXTURES / "v1.0" / "skills_en-us.csv", only_en / "skills_en.csv")
    report = import_esco(db, only_en, langs=("en",))
    assert report.rows["esco_skills"] == 4
    python = skill(db, S + "a1")
    assert python.label_es == "Python" and python.alt_labels_es == ["programación en Python", "lenguaje Python"]
    assert python.esco_version == "v1.0.1"


def test_english_only_import_into_empty_database(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "v1.0"
    folder.mkdir()
    shutil.copy(FIXTURES / "v1.0" / "skills_en-us.csv", folder / "skills_en-us.csv")
    (folder / "occupations_en.csv").write_text(
        "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description\n"
        "Occupation,http://data.europa.eu/esco/occupation/o9,2512,software developer,programmer,\n",
        encoding="utf-8",
    )
    report = import_esco(db, folder)
    assert report.rows["esco_skills"] == 4 and report.rows["esco_occupations"] == 1
    python = skill(db, S + "a1")
    assert (python.label_es, python.alt_labels_es, python.label_en) == (None, [], "Python")
    with db.session() as s:
        occupation = s.get(EscoOccupation, "http://data.europa.eu/esco/occupation/o9")
        assert occupation is not None and occupation.alt_labels_es == [] and occupation.label_en == "software developer"
    assert [lb.lang for lb in load_esco_labels(db, langs=("es",))] == []


def test_file_selection_languages_and_occupation_skill_relations(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "v1.1"
    shutil.copytree(FIXTURES / "v1.2", folder)
    shutil.copy(FIXTURES / "v1.0" / "skills_en-us.csv", folder / "skills_en-us.csv")  # skills_en.csv wins
    shutil.copy(FIXTURES / "v1.2" / "skills_es.csv", folder / "skills_fr.csv")  # a language not asked for
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\n"
        f"http://data.europa.eu/esco/occupation/o1,essential,knowledge,{S}a1\n"
        f"http://data.europa.eu/esco/occupation/o1,Optional,skill/competence,{S}a2\n",
        encoding="utf-8",
    )
    report = import_esco(db, folder)
    assert report.version == "v1.1"
    assert "skills_en.csv" in report.files and "occupationSkillRelations_en.csv" in report.files
    assert {"skills_en-us.csv", "skills_fr.csv", "notes.csv"} <= set(report.skipped)
    assert skill(db, S + "a1").description_en == "Techniques of software development in Python."  # from skills_en
    with db.session() as s:
        edges = set(s.execute(select(EscoRelation.source_uri, EscoRelation.target_uri, EscoRelation.relation)).all())
    assert ("http://data.europa.eu/esco/occupation/o1", S + "a1", "essential") in edges
    assert ("http://data.europa.eu/esco/occupation/o1", S + "a2", "optional") in edges


def test_version_argument_overrides_folder_and_bad_version_is_refused(db: Database) -> None:
    assert import_esco(db, FIXTURES / "v1.0", version="1.1").version == "v1.1"
    with pytest.raises(EscoError, match="not like"):
        import_esco(db, FIXTURES / "v1.0", version="latest")


def test_undetectable_version_and_empty_folder(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    with pytest.raises(EscoError, match="cannot tell the ESCO version"):
        import_esco(db, folder)
    with pytest.raises(EscoError, match="no ESCO CSV files"):
        import_esco(db, folder, version="v1.2")
    with pytest.raises(EscoError, match="is not a folder"):
        import_esco(db, folder / "missing", version="v1.2")


def test_six_column_skills_layout(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "v1.0"
    folder.mkdir()
    (folder / "skills_es.csv").write_text(
        "conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
        f'{S}b1,skill/competence,transversal,hablar en público,"exponer ante un público\nhablar ante grupos",\n',
        encoding="utf-8",
    )
    import_esco(db, folder)
    row = skill(db, S + "b1")
    assert row.label_es == "hablar en público" and row.alt_labels_es == [
        "exponer ante un público",
        "hablar ante grupos",
    ]
    assert row.label_en is None and row.description_es is None


# --- malformed downloads: a clear error naming file and line, and nothing written -----------------------------


def broken_copy(tmp_path: Path, name: str, content: bytes) -> Path:
    """The v1.0 fixtures with one file replaced by ``content``."""
    folder = tmp_path / "v1.0"
    shutil.copytree(FIXTURES / "v1.0", folder)
    (folder / name).write_bytes(content)
    return folder


HEADER = b"conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
GOOD = b"KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/z1,knowledge,cross-sector,Excel,,\n"


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        (
            "skills_es.csv",
            b"conceptType,conceptUri,skillType,reuseLevel,altLabels,description\n" + GOOD,
            1,
            "missing required column(s) preferredLabel",
        ),
        ("skills_es.csv", HEADER.replace(b",", b";") + GOOD.replace(b",", b";"), 1, "semicolon-separated"),
        (
            "skills_es.csv",
            HEADER + GOOD + b"KnowledgeSkillCompetence,http://x/z2,knowledge,,Caf\xe9,,\n",
            3,
            "not UTF-8",
        ),
        (
            "skills_en-us.csv",
            HEADER + GOOD + GOOD.replace(b"Excel,,", b'Excel,"hoja de\nc\xc3\xa1lculo'),
            3,
            "not closed",
        ),
        ("skills_es.csv", HEADER + GOOD + b"KnowledgeSkillCompetence,http://x/z3,knowledge\n", 3, "has 3 fields"),
        ("occupations_es.csv", b"", 1, "empty"),
        ("skills_es.csv", HEADER + GOOD.replace(b"http://data.europa.eu/esco/skill/z1", b""), 2, "not an ESCO URI"),
        (
            "broaderRelationsSkillPillar.csv",
            b"conceptType,conceptUri,broaderType,broaderUri\nSkillGroup,http://a/b,SkillGroup,\n",
            2,
            "broaderUri '' is not an ESCO URI",
        ),
        ("skills_es.csv", HEADER + GOOD.replace(b"knowledge", b"k" * 40), 2, "longer than 32"),
        ("broaderRelationsOccPillar.csv", b"conceptUri,broaderUri\nhttp://x/a\x00b,http://x/c\n", 2, "NUL byte"),
    ],
    ids=[
        "missing-column",
        "semicolons",
        "latin1-bytes",
        "truncated-quote",
        "short-record",
        "empty",
        "no-uri",
        "bad-edge",
        "too-long",
        "nul-byte",
    ],
)
def test_malformed_file_names_file_and_line_and_writes_nothing(
    db: Database, tmp_path: Path, name: str, content: bytes, line: int, message: str
) -> None:
    import_esco(db, FIXTURES / "v1.2")  # rows that must survive the failed import untouched
    before = counts(db)
    folder = broken_copy(tmp_path, name, content)
    with pytest.raises(EscoFormatError) as info:
        import_esco(db, folder)
    err = info.value
    assert err.path.name == name and err.line == line
    assert message in str(err) and name in str(err) and f"line {line}" in str(err)
    assert counts(db) == before
    assert skill(db, S + "a1").esco_version == "v1.2"


def test_database_failure_midway_rolls_everything_back(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Skills are written first and relations last: a failure on the relations (here a connection
    # error injected into the real upsert) must leave none of the skills behind.
    # import_esco imports the storage helpers when it runs (the extractor imports this module without them).
    import observatory.storage as storage_module

    real_upsert = storage_module.upsert

    def failing_upsert(conn, model, rows, **kwargs):  # type: ignore[no-untyped-def]
        if model is EscoRelation:
            raise RuntimeError("connection lost while writing relations")
        return real_upsert(conn, model, rows, **kwargs)

    monkeypatch.setattr(storage_module, "upsert", failing_upsert)
    with pytest.raises(RuntimeError, match="connection lost"):
        import_esco(db, FIXTURES / "v1.0")
    assert counts(db) == dict.fromkeys(counts(db), 0)
    monkeypatch.setattr(storage_module, "upsert", real_upsert)
    assert import_esco(db, FIXTURES / "v1.0").rows["esco_skills"] == 4


# --- labels ---------------------------------------------------------------------------------------------------


def test_read_labels_streams_preferred_and_alternative_labels() -> None:
    labels = list(read_esco_labels(FIXTURES / "v1.0"))
    assert EscoLabel(S + "a1", "Python", "es", "knowledge", True) in labels
    assert EscoLabel(S + "a1", "lenguaje Python", "es", "knowledge", False) in labels
    assert EscoLabel(S + "a2", "teamwork", "en", "skill/competence", False) in labels
    # "trabajar en equipo" is both preferred and alternative for a2: one label only.
    assert [lb for lb in labels if lb.uri == S + "a2" and lb.label == "trabajar en equipo"] == [
        EscoLabel(S + "a2", "trabajar en equipo", "es", "skill/competence", True)
    ]
    assert {lb.lang for lb in labels} == {"es", "en"}
    # es: 4 preferred + 5 distinct alternatives; en: 4 preferred + 4 alternatives.
    assert len(labels) == 9 + 8
    assert [lb.lang for lb in read_esco_labels(FIXTURES / "v1.0", langs=("en",))] == ["en"] * 8


def test_read_labels_from_collections_when_no_skills_file(tmp_path: Path) -> None:
    folder = tmp_path / "v1.2"
    folder.mkdir()
    for name in ("digitalSkillsCollection_es.csv", "greenSkillsCollection_es.csv"):
        shutil.copy(FIXTURES / "v1.2" / name, folder / name)
    labels = list(read_esco_labels(folder, langs=("es",)))
    assert EscoLabel(S + "a6", "K8s", "es", "knowledge", False) in labels
    assert len({lb.uri for lb in labels}) == 3
    with pytest.raises(EscoError, match="no skills_"):
        list(read_esco_labels(folder, langs=("en",)))


def test_read_labels_reports_malformed_file(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path, "skills_es.csv", HEADER + GOOD + b'KnowledgeSkillCompetence,http://x/z,"abc\n')
    with pytest.raises(EscoFormatError, match=r"skills_es.csv, line \d+: a quoted field opened on line 3"):
        list(read_esco_labels(folder))


def test_load_labels_from_database_matches_csv_reader(db: Database) -> None:
    import_esco(db, FIXTURES / "v1.0")
    from_db = sorted(load_esco_labels(db))
    assert from_db == sorted(read_esco_labels(FIXTURES / "v1.0"))
    assert all(lb.lang == "es" for lb in load_esco_labels(db, langs=("es",)))
    with pytest.raises(EscoError, match="es and en only"):
        list(load_esco_labels(db, langs=("fr",)))


# --- the real download in ../shared ---------------------------------------------------------------------------


@pytest.mark.shared
def test_real_download_imports_completely(db: Database, shared_dir: Path) -> None:
    esco = shared_dir / "esco"
    if not (esco / "v1.0").is_dir():
        pytest.skip("no ESCO download in ../shared")
    started = time.perf_counter()
    report = import_esco(db, esco / "v1.0")
    elapsed = time.perf_counter() - started
    assert report.rows["esco_skills"] == 13485
    status = esco_status(db)
    assert status["esco_skills"] == {"v1.0": 13485}
    with db.session() as s:
        missing_en = s.scalar(select(func.count()).select_from(EscoSkill).where(EscoSkill.label_en.is_(None)))
        missing_es = s.scalar(select(func.count()).select_from(EscoSkill).where(EscoSkill.label_es.is_(None)))
    # es and en-us merged into the same rows; the en-us file itself has a few skills without a label.
    with (esco / "v1.0" / "skills_en-us.csv").open(newline="", encoding="utf-8") as fh:
        unlabelled_en = sum(1 for rec in csv.DictReader(fh) if not rec["preferredLabel"].strip())
    assert missing_es == 0 and missing_en == unlabelled_en
    assert elapsed < 120  # generous bound; benchmarks/esco_import.py measures the real figure
    again = import_esco(db, esco / "v1.0")
    assert esco_status(db) == status and again.rows == report.rows
    if (esco / "v1.2").is_dir():
        v12 = import_esco(db, esco / "v1.2")
        assert v12.rows["esco_skill_groups"] > 0 and v12.rows["esco_relations"] > 0
        digital = select(func.count()).select_from(EscoSkill).where(EscoSkill.collections.contains(["digital"]))
        with db.session() as s:
            assert (s.scalar(digital) or 0) > 1000
    labels = sum(1 for _ in read_esco_labels(esco / "v1.0"))
    assert labels > 2 * 13485
