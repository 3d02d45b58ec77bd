"""The answer cache: a model's answer is stored under (backend, model, prompt version, SHA-256 of the prompt), so a
re-run, or another posting with the same redacted prompt, costs no call and no token.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from observatory.storage import Database, upsert
from observatory.storage.models import LLMCacheEntry


@dataclass(frozen=True)
class CacheKey:
    backend: str
    model: str
    prompt_version: str
    input_hash: str


@dataclass(frozen=True)
class CachedAnswer:
    response: str
    prompt_tokens: int
    completion_tokens: int


def input_hash(system: str, prompt: str) -> str:
    """SHA-256 of exactly what is sent (system and user message)."""
    return hashlib.sha256(f"{system}\x00{prompt}".encode()).hexdigest()


class AnswerCache(Protocol):
    def get(self, key: CacheKey) -> CachedAnswer | None: ...

    def put(self, key: CacheKey, answer: CachedAnswer) -> None: ...


class MemoryCache:
    """A per-process cache (the CLI without a database, tests)."""

    def __init__(self) -> None:
        self._answers: dict[CacheKey, CachedAnswer] = {}
        self._lock = threading.Lock()

    def get(self, key: CacheKey) -> CachedAnswer | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        with self._lock:
            self._answers[key] = answer


class DatabaseCache:
    """The ``llm_cache`` table; each answer is committed as soon as it arrives, so an interrupted run keeps it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: CacheKey) -> CachedAnswer | None:
        with self.db.session() as session:
            row = session.execute(
                select(LLMCacheEntry.response, LLMCacheEntry.prompt_tokens, LLMCacheEntry.completion_tokens).where(
                    LLMCacheEntry.backend == key.backend,
                    LLMCacheEntry.model == key.model,
                    LLMCacheEntry.prompt_version == key.prompt_version,
                    LLMCacheEntry.input_hash == key.input_hash,
                )
            ).first()
        return CachedAnswer(row.response, row.prompt_tokens, row.completion_tokens) if row else None

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        row = {
            "backend": key.backend,
            "model": key.model,
            "prompt_version": key.prompt_version,
            "input_hash": key.input_hash,
            "response": answer.response,
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
        }
        with self.db.session() as session:
            upsert(session, LLMCacheEntry, [row], conflict=["backend", "model", "prompt_version", "input_hash"])
