"""The normalized_skills asset: no calls with the default backend; with OBSERVATORY_LLM_BACKEND=openai pointed at a
loopback server, metadata shows calls, cache hits, rejections, tokens and cost, and the key stays out of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import pytest
from sqlalchemy import delete, func, select

from observatory.config import Settings
from observatory.defs import llm as llm_defs
from observatory.defs import skills as skill_defs
from observatory.defs.resources import ObservatoryDatabase
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import NormalizedMention, Posting
from observatory_tests.llm.conftest import ChatServer, Reply, chat_reply
from observatory_tests.llm.test_normaliser import mentions_of

SECRET = "sk-loopback-never-in-metadata"
DAY = datetime(2025, 9, 2, 10, tzinfo=UTC)
KEY = dg.MultiPartitionKey({"date": "2025-09-02", "source": "co-computrabajo"})


def _insert(db: Database) -> None:
    postings = [
        ("n1", "Desarrollador backend", "Requisitos: Python/Django, Kubernetes y SAP FICO.", ["Kubernetes"]),
        ("n2", "Auxiliar administrativo", "Manejo de herramientas ofimáticas y atención al cliente.", ["Archivo"]),
    ]
    rows = [
        {
            "id": posting_id("computrabajo", native),
            "source_key": "co-computrabajo",
            "portal": "computrabajo",
            "country": "CO",
            "native_id": native,
            "title": title,
            "description": text,
            "date_posted": DAY,
            "content_hash": native,
            "raw": {"skills_tags": tags},
        }
        for native, title, text, tags in postings
    ]
    with db.session() as session:
        upsert(session, Posting, rows, conflict=["id"])


def _respond(body: dict[str, Any], attempt: int) -> Reply:
    answer = []
    for number, (surface, uris) in mentions_of(body["messages"][-1]["content"]).items():
        if surface == "Django":
            skills = [{"name_es": "Java", "name_en": "Java", "esco_uri": None}]  # not in the posting: rejected
        elif surface == "Archivo":
            skills = [{"name_es": "gestión de archivo", "name_en": "filing", "esco_uri": "http://not-a-candidate"}]
        else:
            skills = [{"name_es": surface, "name_en": surface, "esco_uri": uris[0] if uris else None}]
        answer.append({"id": number, "skills": skills})
    return chat_reply(json.dumps({"mentions": answer}), prompt_tokens=200, completion_tokens=40)


def _materialise(settings: Settings, **llm_config: Any) -> dg.ExecuteInProcessResult:
    resources = {
        "database": ObservatoryDatabase(data_dir=str(settings.data_dir)),
        "llm": llm_defs.LLMNormaliserResource(use_vectors=False, **llm_config),
    }
    result = dg.materialize(
        [*skill_defs.defs.assets, llm_defs.normalized_skills],  # type: ignore[list-item]
        resources=resources,
        partition_key=KEY,
    )
    assert result.success
    return result


def _meta(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    metadata = result.asset_materializations_for_node("normalized_skills")[0].metadata
    return {k: v.value for k, v in metadata.items()}


def test_default_backend_calls_nothing(
    db: Database, settings: Settings, chat_server: ChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OBSERVATORY_LLM_BACKEND", raising=False)
    _insert(db)
    meta = _meta(_materialise(settings))
    assert meta["backend"] == "none" and meta["uncertain"] > 0
    assert meta["mentions_sent"] == 0 and meta["tokens"] == 0 and chat_server.bodies == []
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(NormalizedMention)) == 0


def test_openai_backend_on_loopback(
    db: Database, settings: Settings, chat_server: ChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OBSERVATORY_LLM_BACKEND", "openai")
    monkeypatch.setenv("OBSERVATORY_LLM_MODEL", "loopback-model")
    monkeypatch.setenv("OBSERVATORY_LLM_API_BASE", chat_server.url)
    monkeypatch.setenv("OBSERVATORY_LLM_API_KEY", SECRET)
    chat_server.responder = _respond
    _insert(db)
    result = _materialise(settings, prompt_price_per_million=1.0, completion_price_per_million=4.0)
    meta = _meta(result)
    assert meta["backend"] == "openai" and meta["model"] == "loopback-model"
    assert meta["requests"] == 2 == len(chat_server.bodies)  # one request per posting
    assert meta["mentions_sent"] == meta["uncertain"] >= 4
    assert meta["rejected_name"] == 1 and meta["rejected_uri"] == 1 and meta["accepted"] >= 2
    assert meta["tokens"] == 480 and meta["estimated_cost"] == pytest.approx((400 * 1 + 80 * 4) / 1e6)
    assert SECRET not in json.dumps({k: str(v) for k, v in meta.items()})
    assert all(SECRET not in str(e) for e in result.all_events)
    with db.session() as session:
        rows = session.execute(select(NormalizedMention.surface, NormalizedMention.outcome)).all()
    outcomes = dict(rows)
    assert outcomes["Django"] == "rejected_name" and outcomes["Archivo"] == "rejected_uri"
    assert outcomes["Kubernetes"] == "accepted"

    # Re-run: everything is already normalised, nothing is sent.
    meta = _meta(_materialise(settings))
    assert meta["mentions_sent"] == 0 and meta["already_normalised"] >= 4 and len(chat_server.bodies) == 2
    # Results dropped (e.g. a schema reset): the answers come from the cache, still without a call.
    with db.session() as session:
        session.execute(delete(NormalizedMention))
    meta = _meta(_materialise(settings))
    assert meta["cache_hits"] == 2 and meta["requests"] == 0 and len(chat_server.bodies) == 2
    assert meta["rejections"] == 2
