"""Merging near-synonym canonical skills: near neighbours by skill vectors (pgvector kNN) or by spelling, verdicts
of a loopback chat-completions server kept for review, applied only above a confidence and only when grounded."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.llm.budget import Budget
from observatory.llm.cache import DatabaseCache
from observatory.llm.clients import OpenAICompatibleClient
from observatory.llm.merges import (
    DIFFERENT,
    MALFORMED,
    PROPOSED,
    REJECTED_GROUNDING,
    MergeProposer,
    apply_merges,
    candidate_pairs,
    lexical_pairs,
    list_proposals,
    vector_pairs,
)
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import CanonicalSkill, Posting, SkillEmbedding, SkillMention, SkillMergeProposal
from observatory_tests.llm.conftest import ChatServer, Reply, chat_reply

MODEL = "test-vectors"
DIM = 12
VERSION = "test-1"

# id, name, vector direction (axis, and a second axis with its weight), mentioned
SKILLS: list[tuple[str, str, tuple[int, int, float], bool]] = [
    ("excel", "Excel", (0, 1, 0.0), True),
    ("ms-excel", "Microsoft Excel", (0, 1, 0.1), True),
    ("excel-avanzado", "Excel avanzado", (0, 1, 0.05), False),  # nobody mentions it: never compared
    ("atencion-cliente", "atención al cliente", (2, 3, 0.0), True),
    ("servicio-cliente", "servicio al cliente", (2, 3, 0.3), True),
    ("contabilidad", "Contabilidad", (4, 5, 0.0), True),
    ("contabilidad-general", "Contabilidad general", (4, 5, 0.2), True),
    ("python", "Python", (6, 7, 0.0), True),
    ("java", "Java", (7, 6, 0.5), True),  # cosine 0.45 with Python: not a pair
    ("trabajo-equipo", "Trabajo en equipo", (8, 9, 0.0), True),
    ("trabajo-equipos", "trabajo en equipos", (10, 11, 0.0), True),  # far by vectors, alike by spelling
]

# What the "model" answers about each pair (by the names shown).
VERDICTS: dict[frozenset[str], dict[str, Any] | str] = {
    frozenset({"Excel", "Microsoft Excel"}): {"same": True, "confidence": 0.95, "keep": "Excel"},
    frozenset({"atención al cliente", "servicio al cliente"}): {
        "same": True,
        "confidence": 0.7,
        "keep": "atención al cliente",
    },
    # "Contaduría" is neither name: the grounding check must refuse it whatever the confidence.
    frozenset({"Contabilidad", "Contabilidad general"}): {"same": True, "confidence": 0.99, "keep": "Contaduría"},
    frozenset({"Trabajo en equipo", "trabajo en equipos"}): {
        "same": True,
        "confidence": 0.96,
        "keep": "Trabajo en equipo",
    },
}
_PAIR = re.compile(r'A: "(.*)"\nB: "(.*)"')


def _names(body: dict[str, Any]) -> frozenset[str]:
    found = _PAIR.search(body["messages"][-1]["content"])
    assert found, body
    return frozenset(found.groups())


def respond(body: dict[str, Any], attempt: int) -> Reply:
    verdict = VERDICTS.get(_names(body), {"same": False, "confidence": 0.9, "keep": None})
    return chat_reply(verdict if isinstance(verdict, str) else json.dumps(verdict), 40, 12)


def _vector(axis: int, second: int, weight: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[axis], v[second] = 1.0, weight
    return v / np.linalg.norm(v)


def _mention(posting: str, skill: str, start: int, end: int) -> dict[str, Any]:
    return {
        "posting_id": posting,
        "skill_id": skill,
        "start": start,
        "end": end,
        "surface": skill,
        "esco_uri": None,
        "method": "vocabulary",
        "confidence": 0.9,
        "extractor_version": VERSION,
    }


def _seed(db: Database, *, vectors: bool = True) -> list[str]:
    ids = [posting_id("computrabajo", n) for n in ("m1", "m2")]
    postings = [
        {
            "id": pid,
            "source_key": "co-computrabajo",
            "portal": "computrabajo",
            "country": "CO",
            "native_id": pid,
            "title": "Auxiliar",
            "description": "Excel, Microsoft Excel, atención al cliente, contabilidad",
            "date_posted": datetime(2025, 9, 2, tzinfo=UTC),
            "content_hash": pid,
            "raw": {},
        }
        for pid in ids
    ]
    with db.session() as session:
        upsert(session, Posting, postings, conflict=["id"])
        session.add_all(
            CanonicalSkill(id=s, name=name, name_es=name, esco_uri="http://esco/excel" if s == "excel" else None)
            for s, name, _, _ in SKILLS
        )
        session.flush()
        if vectors:
            session.add_all(
                SkillEmbedding(skill_id=s, model=MODEL, text=name, text_hash=s, embedding=_vector(*direction))
                for s, name, direction, _ in SKILLS
            )
        rows = [_mention(ids[0], s, 100 + n * 10, 105 + n * 10) for n, (s, _, _, used) in enumerate(SKILLS) if used]
        rows += [_mention(ids[0], "ms-excel", 100, 105)]  # same span as Excel: a duplicate once merged
        rows += [_mention(ids[1], "ms-excel", 3, 18), _mention(ids[1], "servicio-cliente", 20, 39)]
        upsert(session, SkillMention, rows, conflict=["posting_id", "skill_id", "start", "end", "extractor_version"])
    return ids


def _mentions_of(db: Database, skill: str) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).where(SkillMention.skill_id == skill)) or 0)


@pytest.fixture()
def llm(chat_server: ChatServer) -> Iterator[OpenAICompatibleClient]:
    chat_server.responder = respond
    client = OpenAICompatibleClient(chat_server.url, "loopback-model", "sk-test", retries=1, backoff=0.01)
    yield client
    client.close()


def test_vector_neighbours_pair_mentioned_skills_only(db: Database) -> None:
    _seed(db)
    pairs = candidate_pairs(db, MODEL, k=3, min_similarity=0.8)
    found = {(p.skill_a, p.skill_b) for p in pairs}
    assert found == {
        ("excel", "ms-excel"),
        ("atencion-cliente", "servicio-cliente"),
        ("contabilidad", "contabilidad-general"),
    }
    assert all(p.method == f"vector:{MODEL}" and 0.8 <= p.similarity <= 1.0 for p in pairs)
    assert pairs[0].skill_b == "ms-excel"  # most similar first
    everyone = vector_pairs(db, MODEL, {s: n for s, n, _, _ in SKILLS}, k=3, min_similarity=0.8)
    assert ("excel", "excel-avanzado") in {(p.skill_a, p.skill_b) for p in everyone}


def test_lexical_fallback_without_vectors(db: Database) -> None:
    _seed(db, vectors=False)
    pairs = candidate_pairs(db, MODEL, min_similarity=0.8)
    assert [(p.skill_a, p.skill_b, p.method) for p in pairs] == [("trabajo-equipo", "trabajo-equipos", "lexical")]
    assert pairs[0].similarity == 1.0  # accents, case and plurals folded
    alike = lexical_pairs({"a": "Gestión de inventarios", "b": "gestion de inventario", "c": "Inventor"})
    assert [(p.skill_a, p.skill_b) for p in alike] == [("a", "b")]


def test_propose_review_apply(db: Database, llm: OpenAICompatibleClient, chat_server: ChatServer) -> None:
    ids = _seed(db)
    pairs = candidate_pairs(db, MODEL, k=3)
    proposer = MergeProposer(llm, cache=DatabaseCache(db))
    stats = proposer.propose(db, pairs)
    assert stats.requests == 3 and stats.outcomes == {PROPOSED: 2, REJECTED_GROUNDING: 1}
    assert stats.prompt_tokens == 120 and stats.completion_tokens == 36
    stored = {(p.skill_a, p.skill_b): p for p in list_proposals(db)}
    assert stored[("excel", "ms-excel")].keep_skill_id == "excel"
    assert stored[("contabilidad", "contabilidad-general")].outcome == REJECTED_GROUNDING
    assert stored[("contabilidad", "contabilidad-general")].keep_skill_id is None
    assert all(p.applied_at is None for p in stored.values())

    # Re-running asks nothing: the pairs are answered; with the proposals gone, the cache answers.
    assert MergeProposer(llm, cache=DatabaseCache(db)).propose(db, pairs).skipped == 3
    with db.session() as session:
        session.execute(SkillMergeProposal.__table__.delete())
    again = MergeProposer(llm, cache=DatabaseCache(db)).propose(db, pairs)
    assert (again.requests, again.cache_hits) == (0, 3) and len(chat_server.bodies) == 3
    assert len(list_proposals(db, outcome=PROPOSED)) == 2

    # Above 0.9 only Excel merges; the duplicate span of posting 1 is dropped, not doubled.
    excel_before = _mentions_of(db, "excel") + _mentions_of(db, "ms-excel")
    applied = apply_merges(db, min_confidence=0.9)
    assert (applied.applied, applied.below_confidence, applied.merged) == (1, 1, {"ms-excel": "excel"})
    assert (applied.mentions_moved, applied.mentions_dropped) == (2, 1)
    assert _mentions_of(db, "ms-excel") == 0 and _mentions_of(db, "excel") == excel_before - 1
    with db.session() as session:
        uris = list(session.scalars(select(SkillMention.esco_uri).where(SkillMention.skill_id == "excel")))
    assert uris.count("http://esco/excel") == 2 and uris.count(None) == 1  # moved mentions take the URI
    assert _mentions_of(db, "servicio-cliente") == 2 and _mentions_of(db, "contabilidad-general") == 1

    # Idempotent; a re-extraction that writes the merged skill again is merged again.
    twice = apply_merges(db, min_confidence=0.9)
    assert (twice.applied, twice.already_applied, twice.mentions_moved) == (0, 1, 0)
    with db.session() as session:
        session.add(SkillMention(**_mention(ids[1], "ms-excel", 50, 65)))
    assert apply_merges(db, min_confidence=0.9).mentions_moved == 1

    # Grounding: a renamed skill is not what the model judged; a name the model invented is never applied.
    with db.session() as session:
        session.execute(
            update(CanonicalSkill).where(CanonicalSkill.id == "servicio-cliente").values(name="servicio técnico")
        )
    stale = apply_merges(db, min_confidence=0.0)
    assert (stale.applied, stale.stale) == (0, 1) and _mentions_of(db, "contabilidad-general") == 1
    assert _mentions_of(db, "servicio-cliente") == 2
    with db.session() as session:
        session.execute(
            update(CanonicalSkill).where(CanonicalSkill.id == "servicio-cliente").values(name="servicio al cliente")
        )
    low = apply_merges(db, min_confidence=0.5)
    assert low.applied == 1 and _mentions_of(db, "servicio-cliente") == 0
    assert _mentions_of(db, "contabilidad-general") == 1
    assert {p.skill_a for p in list_proposals(db) if p.applied_at} == {"excel", "atencion-cliente"}


def test_malformed_different_budget_and_errors(
    db: Database, llm: OpenAICompatibleClient, chat_server: ChatServer
) -> None:
    _seed(db)
    pairs = candidate_pairs(db, MODEL, k=3)

    stopped = MergeProposer(llm, budget=Budget(max_tokens=10)).propose(db, pairs)
    assert stopped.budget_stopped and stopped.requests == 0 and not chat_server.bodies and not list_proposals(db)

    def failing(body: dict[str, Any], attempt: int) -> Reply:
        names = _names(body)
        if "Excel" in names:
            return 500, {}, "down"
        if "Contabilidad" in names:
            return chat_reply("Sí, son la misma habilidad.")
        return chat_reply(json.dumps({"same": False, "confidence": 0.8}))

    chat_server.responder = failing
    stats = MergeProposer(llm).propose(db, pairs)
    assert stats.errors == 1 and stats.outcomes == {MALFORMED: 1, DIFFERENT: 1}
    assert {p.outcome for p in list_proposals(db)} == {MALFORMED, DIFFERENT}  # the failed pair is asked again
    assert apply_merges(db, min_confidence=0.0).applied == 0

    chat_server.responder = respond
    retried = MergeProposer(llm).propose(db, pairs)
    assert retried.skipped == 2 and retried.outcomes == {PROPOSED: 1}


def test_chained_merges_end_at_one_skill(db: Database) -> None:
    ids = _seed(db)
    rows = [
        ("contabilidad", "Contabilidad", "contabilidad-general", "Contabilidad general", "contabilidad-general"),
        ("atencion-cliente", "atención al cliente", "contabilidad-general", "Contabilidad general", "atencion-cliente"),
    ]
    with db.session() as session:
        session.add_all(
            SkillMergeProposal(
                skill_a=a,
                name_a=na,
                skill_b=b,
                name_b=nb,
                similarity=0.9,
                similarity_method="lexical",
                same=True,
                confidence=0.95,
                keep_skill_id=keep,
                outcome=PROPOSED,
                prompt_version="merge-v2",
                backend="openai",
                model="m",
            )
            for a, na, b, nb, keep in rows
        )
    applied = apply_merges(db)
    assert applied.applied == 2
    assert applied.merged == {"contabilidad": "atencion-cliente", "contabilidad-general": "atencion-cliente"}
    assert _mentions_of(db, "contabilidad") == _mentions_of(db, "contabilidad-general") == 0
    assert _mentions_of(db, "atencion-cliente") == 3
    assert ids


def test_merges_command(
    db: Database, settings: Settings, chat_server: ChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(db, vectors=False)  # no vectors of the configured model: spelling decides the pairs
    chat_server.responder = respond
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    monkeypatch.setenv("OBSERVATORY_LLM_BACKEND", "openai")
    monkeypatch.setenv("OBSERVATORY_LLM_MODEL", "loopback-model")
    monkeypatch.setenv("OBSERVATORY_LLM_API_BASE", chat_server.url)
    monkeypatch.setenv("OBSERVATORY_LLM_API_KEY", "sk-never-printed")
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        empty = runner.invoke(app, ["skills", "merges"], env={"COLUMNS": "200"})
        assert empty.exit_code == 0 and "no merge proposals" in empty.output, empty.output
        proposed = runner.invoke(app, ["skills", "merges", "--propose"], env={"COLUMNS": "200"})
        assert proposed.exit_code == 0, proposed.output
        assert "1 candidate pairs (lexical)" in proposed.output and "1 sent" in proposed.output
        assert "proposed" in proposed.output and "sk-never-printed" not in proposed.output
        applied = runner.invoke(app, ["skills", "merges", "--propose", "--apply"], env={"COLUMNS": "200"})
        assert applied.exit_code == 0, applied.output
        assert "0 sent" in applied.output and "applied 1 merges" in applied.output
        assert _mentions_of(db, "trabajo-equipos") == 0 and len(chat_server.bodies) == 1
        bad = runner.invoke(app, ["skills", "merges", "--apply", "--min-confidence", "2"])
        assert bad.exit_code == 2
        monkeypatch.setenv("OBSERVATORY_LLM_BACKEND", "none")
        get_settings.cache_clear()
        none = runner.invoke(app, ["skills", "merges", "--propose"])
        assert none.exit_code == 1 and "needs a backend" in none.output
    finally:
        get_settings.cache_clear()
