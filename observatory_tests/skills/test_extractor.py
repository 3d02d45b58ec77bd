"""The extractor on Spanish and English postings: hard spellings, sections, importance, odd input."""

from __future__ import annotations

from itertools import pairwise

import pytest

from observatory.skills.esco import EscoLabel
from observatory.skills.extractor import EXTRACTOR_VERSION, ExtractionResult, SkillExtractor


def names(result: ExtractionResult) -> set[str]:
    return set(result.skill_names)


SPANISH = """Somos una empresa líder en soluciones cloud con más de 20 años en el mercado y usamos Salesforce.
Estamos buscando un/a Desarrollador/a Backend para el equipo de pagos.
Responsabilidades:
- Diseñar APIs REST con C# y .NET Core
Requisitos:
- 3 años de experiencia en Node.js y PostgreSQL (excluyente)
- Manejo de Excel avanzado; excelente comunicación
- Inglés B2
Deseable: Docker y Kubernetes.
Beneficios:
- Clases de inglés, cursos de AWS y licencia de Power BI
"""


def test_spanish_posting_with_hard_spellings(extractor: SkillExtractor) -> None:
    result = extractor.extract(SPANISH, title="Desarrollador Backend C++ Sr")
    assert result.language == "es"
    found = names(result)
    assert {"C#", ".NET Core", "Node.js", "PostgreSQL", "Excel", "Inglés", "Docker", "Kubernetes", "C++"} <= found
    assert "APIs REST" in found and "Comunicación" in found
    # The benefits and the company blurb are not demand.
    assert not {"AWS", "Power BI", "Salesforce"} & found
    by_name = {m.name: m for m in result.mentions}
    english = by_name["Inglés"]
    assert english.level == "B2" and english.method == "regex" and english.skill_type == "language"
    assert by_name["Node.js"].years == 3.0 and by_name["Node.js"].importance == "required"
    assert by_name["Docker"].importance == "preferred" and by_name["Kubernetes"].importance == "preferred"
    assert by_name["C#"].section == "responsibilities" and by_name["PostgreSQL"].section == "requirements"
    cpp = by_name["C++"]
    assert cpp.section == "title" and "Desarrollador Backend C++ Sr"[cpp.start : cpp.end] == "C++"
    for mention in result.mentions:
        if mention.section != "title":
            assert SPANISH[mention.start : mention.end] == mention.surface
        assert 0 < mention.confidence <= 1


def test_english_posting() -> None:
    extractor = SkillExtractor(names="source")  # skills named in the posting's language
    text = (
        "About us: We are a fintech startup. Our stack is Go and Scala.\n"
        "What you'll do: build services with Java, Spring Boot and Kafka.\n"
        "Requirements: 4+ years of experience with Python, strong SQL, advanced English, teamwork.\n"
        "Nice to have: Terraform, GCP.\n"
        "We offer: remote work, English classes, gym."
    )
    result = extractor.extract(text)
    assert result.language == "en"
    found = names(result)
    assert {
        "Java",
        "Spring Boot",
        "Kafka",
        "Python",
        "SQL",
        "English",
        "Teamwork",
        "Terraform",
        "Google Cloud",
    } <= found
    assert not {"Go", "Scala"} & found  # the company's own stack
    by_name = {m.name: m for m in result.mentions}
    assert by_name["English"].level == "advanced"
    assert by_name["Terraform"].importance == "preferred" and by_name["Python"].importance == "required"
    assert by_name["Python"].years == 4.0


def test_excel_is_not_excelente_and_case_matters_for_short_names(extractor: SkillExtractor) -> None:
    assert names(extractor.extract("Excelente actitud y excelentes relaciones.")) == set()
    assert "Excel" in names(extractor.extract("Manejo de excel y word."))
    assert "SAP" in names(extractor.extract("Experiencia en SAP."))
    assert "SAP" not in names(extractor.extract("Necesitamos que sap dónde buscar"))
    # Ambiguous one-letter or common-word names count only in a technical context.
    assert "R" not in names(extractor.extract("Vitamina R y categoría R del registro."))
    assert "Go" not in names(extractor.extract("Go to the office and Go home."))
    listed = names(extractor.extract("Lenguajes: Python, R, Go y Rust."))
    assert {"Python", "R", "Go", "Rust"} <= listed
    assert "Microsoft Office" not in names(extractor.extract("Modalidad home office, lunes a viernes."))


def test_ordinary_words_are_not_soft_skills(extractor: SkillExtractor) -> None:
    for text in (
        "Oficina en Ciudad Autónoma de Buenos Aires.",
        "Tu principal responsabilidad será garantizar la calidad de una gran organización.",
        "Publicación de contenido en redes (Instagram, TikTok).",
    ):
        soft = {m.name for m in extractor.extract(text).mentions if m.skill_type == "transversal"}
        assert soft == set(), text
    listed = names(extractor.extract("Competencias: responsabilidad, organización, atención al detalle."))
    assert listed == {"Responsabilidad", "Organización", "Atención al detalle"}


def test_overlaps_resolve_to_the_most_specific_skill(extractor: SkillExtractor) -> None:
    result = extractor.extract("Requisitos: SQL Server, React Native y ASP.NET Core.")
    assert names(result) == {"SQL Server", "React Native", ".NET Core"}
    spans = [(m.start, m.end) for m in result.mentions]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))


def test_glued_text_without_newlines(extractor: SkillExtractor) -> None:
    text = (
        "Tareas principales:- Soporte a usuarios.PresencialRequisitos:- Experiencia en SSIS y SSRS- Power BI"
        "- Qlik Sense (deseable)Beneficios:- Prepaga- Capacitación en Tableau"
    )
    result = extractor.extract(text)
    by_name = {m.name: m for m in result.mentions}
    assert {"SSIS", "SSRS", "Power BI", "Qlik"} <= set(by_name)
    assert by_name["Qlik"].importance == "preferred" and by_name["Power BI"].importance == "required"
    assert "Tableau" not in by_name


def test_keep_non_demand_keeps_benefits_with_their_section() -> None:
    extractor = SkillExtractor(keep_non_demand=True)
    result = extractor.extract("Requisitos: Python.\nBeneficios: cursos de AWS.")
    sections = {m.name: m.section for m in result.mentions}
    assert sections == {"Python": "requirements", "AWS": "benefits"}


def test_empty_none_and_non_text_input(extractor: SkillExtractor) -> None:
    for empty in ("", "   \n\t", None):
        result = extractor.extract(empty)
        assert result.mentions == [] and result.language == "und"
    with pytest.raises(TypeError, match="must be str"):
        extractor.extract(b"Python y SQL")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be str"):
        extractor.extract("Python", title=42)  # type: ignore[arg-type]
    # Binary garbage decoded as text and HTML markup do not break extraction.
    garbage = "\x00\x01\ufffd\x7f" * 100 + "<p>Requisitos: <b>Python</b></p>"
    assert names(extractor.extract(garbage)) == {"Python"}


def test_huge_posting(extractor: SkillExtractor) -> None:
    block = "Buscamos personas con experiencia en Java, Kubernetes y trabajo en equipo. " * 14_000
    text = block[:1_000_000] + " Requisitos: Python."
    assert len(text) > 1_000_000
    result = extractor.extract(text)
    assert {"Java", "Kubernetes", "Trabajo en equipo", "Python"} <= names(result)
    assert len(result.mentions) > 30_000


def test_portuguese_language_is_detected(extractor: SkillExtractor) -> None:
    result = extractor.extract("Buscamos profissional com experiência em Java para atuar na nossa equipe. Você terá")
    assert result.language == "pt" and "Java" in names(result)


def test_extract_many_matches_extract(extractor: SkillExtractor) -> None:
    postings = [(SPANISH, "Dev"), ("Requirements: Python and Docker", None), (None, None), ("Manejo de SAP", "SAP")]
    batch = list(extractor.extract_many(postings, batch_size=2))
    single = [extractor.extract(text, title) for text, title in postings]
    assert [r.mentions for r in batch] == [r.mentions for r in single]
    assert [r.language for r in batch] == [r.language for r in single]
    assert next(iter(extractor.extract_many(["Python y SQL"]))).skill_names == ["Python", "SQL"]


def test_esco_labels_add_patterns_with_lower_confidence() -> None:
    labels = [
        EscoLabel("http://data.europa.eu/esco/skill/x1", "supervisar la vendimia", "es", "skill/competence", True),
        EscoLabel("http://data.europa.eu/esco/skill/x1", "supervise grape harvest", "en", "skill/competence", True),
        EscoLabel(
            "http://data.europa.eu/esco/skill/x2", "ventas", "es", "skill/competence", True
        ),  # one-word competence
        EscoLabel(
            "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
            "programación en Python",
            "es",
            "knowledge",
            False,
        ),
    ]
    extractor = SkillExtractor(esco_labels=labels)
    result = extractor.extract("Funciones: supervisar la vendimia y ventas. Conocimientos de programación en Python.")
    by_id = {m.skill_id: m for m in result.mentions}
    esco_only = by_id["esco:x1"]
    assert esco_only.method == "esco" and esco_only.name == "supervisar la vendimia"
    assert esco_only.esco_uri == "http://data.europa.eu/esco/skill/x1"
    assert not any(m.surface == "ventas" for m in result.mentions)
    python = by_id["python"]  # the ESCO label of a vocabulary skill maps to the vocabulary skill
    assert python.surface == "programación en Python" and python.name == "Python"
    assert esco_only.confidence < python.confidence
    english = extractor.extract("Responsibilities: supervise grape harvest.")
    assert english.mentions[0].skill_id == "esco:x1"
    assert extractor.version == EXTRACTOR_VERSION
