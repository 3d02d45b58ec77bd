"""`observatory eval --llm openai` prints rules-only and rules + LLM figures side by side (loopback server)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory_tests.llm.conftest import ChatServer, Reply, chat_reply
from observatory_tests.llm.test_normaliser import mentions_of


def _echo(body: dict[str, Any], attempt: int) -> Reply:
    answer = [
        {"id": n, "skills": [{"name_es": surface, "name_en": surface, "esco_uri": uris[0] if uris else None}]}
        for n, (surface, uris) in mentions_of(body["messages"][-1]["content"]).items()
    ]
    return chat_reply(json.dumps({"mentions": answer}))


def test_eval_llm_side_by_side(chat_server: ChatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_LLM_MODEL", "loopback-model")
    monkeypatch.setenv("OBSERVATORY_LLM_API_BASE", chat_server.url)
    chat_server.responder = _echo
    result = CliRunner().invoke(app, ["eval", "--llm", "openai"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "rules only" in result.output and "rules + openai:loopback-model" in result.output
    assert chat_server.bodies and "sent in" in result.output


def test_eval_llm_needs_a_backend() -> None:
    result = CliRunner().invoke(app, ["eval", "--llm", "none"])
    assert result.exit_code == 1 and "needs a backend" in result.output
    result = CliRunner().invoke(app, ["eval", "--llm", "bogus"])
    assert result.exit_code == 1 and "OBSERVATORY_LLM_BACKEND" in result.output


def test_extract_llm_side_by_side(chat_server: ChatServer, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OBSERVATORY_LLM_MODEL", "loopback-model")
    monkeypatch.setenv("OBSERVATORY_LLM_API_BASE", chat_server.url)
    chat_server.responder = _echo
    source = tmp_path / "postings.jsonl"
    source.write_text(
        json.dumps({"id": 1, "description": "Requisitos: Python/Django y manejo de herramientas ofimáticas."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "skills.jsonl"
    result = CliRunner().invoke(app, ["extract", "-i", str(source), "-o", str(out), "--llm", "openai"])
    assert result.exit_code == 0, result.output
    assert "rules only" in result.output and "rules + openai:loopback-model" in result.output
    assert out.exists() and not (tmp_path / "skills.jsonl.rules").exists()
