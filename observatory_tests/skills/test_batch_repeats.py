"""A posting repeated in one batch (a repost, the same ad on two portals) is extracted once: the repeats get equal,
independent copies of its result, with their own employer tags, and the output is what extracting each gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from observatory.limits import MAX_POSTING_CHARS
from observatory.skills.batch import extract_file
from observatory.skills.extractor import ExtractionResult, SkillExtractor

VENDEDOR = (
    "Importante distribuidora de alimentos busca Vendedor/a para zona norte.\n"
    "Requisitos:\n- Experiencia en ventas (excluyente).\n- Manejo de Excel y CRM.\n- Licencia de conducir.\n"
    "Beneficios:\n- Obra social y capacitación en técnicas de negociación.",
    "Vendedor/a Zona Norte",
)
ANALISTA = (
    "Nos encontramos en la búsqueda de un Analista de Datos.\nResponsabilidades: elaborar reportes en Power BI, "
    "mantener bases en SQL.\nDeseable: Python (no excluyente).",
    "Analista de Datos",
)
CAJERO = ("Buscamos cajero/a con atención al cliente y manejo de caja. Horario rotativo.", "Cajero")


def _rows(results: list[ExtractionResult]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(r.language, [m.to_dict() for m in r.mentions]) for r in results]


def _counting(extractor: SkillExtractor, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The combined texts that ``_result`` (the extraction proper) is called on, in order."""
    calls: list[str] = []
    real = extractor._result

    def counted(doc: Any, folded: str, combined: str, body_start: int) -> ExtractionResult:
        calls.append(combined)
        return real(doc, folded, combined, body_start)

    monkeypatch.setattr(extractor, "_result", counted)
    return calls


POSTINGS: list[Any] = [
    VENDEDOR,
    ANALISTA,
    VENDEDOR,  # a repost
    (*VENDEDOR, ["Negociación", "SAP"]),  # the same ad with the portal's tags
    (VENDEDOR[0], "Vendedor/a"),  # another title: another posting
    VENDEDOR[0],  # the description alone
    CAJERO,
    None,
    None,
    VENDEDOR,
]


def test_repeats_are_extracted_once_and_give_the_same_output(
    extractor: SkillExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(extractor, monkeypatch)
    plain = list(extractor.extract_many(POSTINGS, repeats=0))
    assert len(calls) == len(POSTINGS)
    calls.clear()
    remembered = list(extractor.extract_many(POSTINGS))
    assert _rows(remembered) == _rows(plain)
    assert len(calls) == 6  # VENDEDOR, ANALISTA, another title, the description alone, CAJERO, the empty one
    # Repeats get their own tags only.
    tagged = [m.surface for m in remembered[3].mentions if m.method == "portal_tag"]
    assert tagged == ["Negociación", "SAP"]
    assert not any(m.method == "portal_tag" for m in remembered[9].mentions)
    assert remembered[0].mentions and remembered[2].mentions is not remembered[0].mentions


def test_a_caller_editing_a_result_does_not_change_its_repeats(extractor: SkillExtractor) -> None:
    expected = _rows([extractor.extract(*VENDEDOR)])
    results = extractor.extract_many([VENDEDOR, VENDEDOR, VENDEDOR])
    first = next(results)
    first.mentions[0].name = "edited"
    first.mentions[0].start = -99
    first.mentions.clear()
    second = next(results)
    second.mentions.pop()
    assert _rows([second]) != expected
    assert _rows([next(results)]) == expected


def test_a_repeat_pushed_out_of_a_small_memo_is_extracted_again(
    extractor: SkillExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    postings = [VENDEDOR, ANALISTA, CAJERO, VENDEDOR, CAJERO, CAJERO]
    plain = _rows(list(extractor.extract_many(postings, repeats=0)))
    calls = _counting(extractor, monkeypatch)
    assert _rows(list(extractor.extract_many(postings, repeats=2))) == plain
    # VENDEDOR was pushed out by ANALISTA and CAJERO; CAJERO stayed among the last two.
    assert calls == [extractor._combine(*p)[0] for p in (VENDEDOR, ANALISTA, CAJERO, VENDEDOR)]


def test_a_file_is_one_batch_for_repeats_across_chunks_and_oversize_rows(
    extractor: SkillExtractor, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    postings = [
        {"id": "a-1", "title": VENDEDOR[1], "description": VENDEDOR[0]},
        {"id": "big-2", "title": "Analista", "description": "x" * (MAX_POSTING_CHARS + 1)},
        {"id": "c-3", "title": CAJERO[1], "description": CAJERO[0]},
        {"id": "d-4", "title": ANALISTA[1], "description": ANALISTA[0], "tags": ["Power BI"]},
        {"id": "a-5", "title": VENDEDOR[1], "description": VENDEDOR[0], "tags": "Excel; Ventas"},
        {"id": "big-6", "title": "Cajero", "description": "y" * (MAX_POSTING_CHARS + 1)},
    ]
    source = tmp_path / "postings.jsonl"
    source.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in postings), encoding="utf-8")
    expected = []
    for p in postings:
        if p["id"].startswith("big"):
            expected.append({"id": p["id"], "language": "und", "skills": [], "skipped": "oversize"})
            continue
        tags = [t.strip() for t in p["tags"].split(";")] if isinstance(p.get("tags"), str) else p.get("tags")
        result = extractor.extract(p["description"], p["title"], tags)
        expected.append({"id": p["id"], "language": result.language, "skills": [m.to_dict() for m in result.mentions]})
    calls = _counting(extractor, monkeypatch)
    progress: list[int] = []
    stats = extract_file(source, tmp_path / "skills.jsonl", extractor, batch_size=2, progress=progress.append)
    rows = [json.loads(line) for line in (tmp_path / "skills.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == expected
    assert len(calls) == 3  # a-5 repeats a-1 two chunks later
    assert stats.postings == 6 and stats.oversize == ["big-2", "big-6"] and sum(progress) == 6


class _ListingExtractor:
    """An extractor that reads all it is given at once, as the LLM normaliser does."""

    def __init__(self, extractor: SkillExtractor) -> None:
        self.extractor = extractor
        self.given: list[int] = []

    def extract_many(self, postings: Any, batch_size: int = 256) -> Any:
        items = list(postings)
        self.given.append(len(items))
        return iter(list(self.extractor.extract_many(items, batch_size=batch_size)))


def test_another_extractor_is_given_a_chunk_at_a_time(extractor: SkillExtractor, tmp_path: Path) -> None:
    postings = [{"id": f"p{n}", "title": t, "description": d} for n, (d, t) in enumerate([VENDEDOR, ANALISTA] * 3)]
    postings.insert(3, {"id": "big", "title": "Cajero", "description": "z" * (MAX_POSTING_CHARS + 1)})
    source = tmp_path / "postings.jsonl"
    source.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in postings), encoding="utf-8")
    listing = _ListingExtractor(extractor)
    extract_file(source, tmp_path / "listed.jsonl", listing, batch_size=4)
    extract_file(source, tmp_path / "direct.jsonl", extractor, batch_size=4)
    assert listing.given == [4, 2]
    listed = (tmp_path / "listed.jsonl").read_text(encoding="utf-8")
    assert listed == (tmp_path / "direct.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["id"] for line in listed.splitlines()] == [p["id"] for p in postings]
