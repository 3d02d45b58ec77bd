"""LLM backends for skill normalisation: a local transformers model or an OpenAI-compatible API."""

from observatory.llm.clients import (
    LLMClient,
    LLMError,
    OpenAICompatibleClient,
    TransformersClient,
    client_from_settings,
)

__all__ = ["LLMClient", "LLMError", "OpenAICompatibleClient", "TransformersClient", "client_from_settings"]
