"""LLM backends for skill normalisation: a local transformers model or an OpenAI-compatible API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from observatory.llm.clients import (
        LLMClient,
        LLMError,
        OpenAICompatibleClient,
        TransformersClient,
        client_from_settings,
    )

__all__ = ["LLMClient", "LLMError", "OpenAICompatibleClient", "TransformersClient", "client_from_settings"]


def __getattr__(name: str) -> Any:
    # The clients (httpx, the settings) are imported on first use, not with the package: every CLI start imports
    # observatory.llm.merge_defaults for the defaults `--help` shows.
    if name in __all__:
        from observatory.llm import clients

        return getattr(clients, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
