"""Clients that turn a prompt into text: a local transformers model (4-bit with bitsandbytes on a GPU)
and any OpenAI-compatible chat-completions server. The API key never reaches logs or errors.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Protocol

import httpx

from observatory.config import Settings

log = logging.getLogger(__name__)


class LLMError(RuntimeError):
    """The model could not answer; the message says why (never with the key)."""


class LLMClient(Protocol):
    """Anything that completes a prompt."""

    name: str

    def complete(self, prompt: str, *, max_tokens: int = 64) -> str: ...


class OpenAICompatibleClient:
    """``POST {api_base}/chat/completions`` with retries on 429/5xx honouring ``Retry-After``."""

    def __init__(
        self,
        api_base: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = f"openai:{model}"
        self.model = model
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=api_base.rstrip("/"), headers=headers, timeout=timeout, transport=transport)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def _wait(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None and (retry_after := response.headers.get("Retry-After")):
            try:
                return min(float(retry_after), self.max_backoff)
            except ValueError:
                pass
        return min(self.backoff * 2**attempt, self.max_backoff)

    def complete(self, prompt: str, *, max_tokens: int = 64) -> str:
        """The assistant's reply to ``prompt`` (temperature 0)."""
        body = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        last = ""
        for attempt in range(self.retries + 1):
            response: httpx.Response | None = None
            try:
                response = self._http.post("/chat/completions", json=body)
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    return self._content(response)
                last = f"HTTP {response.status_code}"
                if response.status_code not in (429, 500, 502, 503, 504):
                    raise LLMError(f"LLM API refused the request: {last}: {response.text[:200]}")
            if attempt < self.retries:
                delay = self._wait(attempt, response)
                log.warning("LLM API %s; retrying in %.1f s", last, delay)
                time.sleep(delay)
        raise LLMError(f"LLM API failed after {self.retries + 1} attempts: {last}")

    @staticmethod
    def _content(response: httpx.Response) -> str:
        try:
            data = response.json()
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMError(
                f"LLM API answered something that is not a chat completion: {response.text[:200]!r}"
            ) from None
        if not isinstance(content, str):
            raise LLMError("LLM API answered a non-text message")
        return content


class TransformersClient:
    """A local causal language model loaded from a path (no hub access), greedy decoding.

    On a CUDA machine with bitsandbytes the weights load in 4-bit (NF4); on a CPU in full precision.
    """

    def __init__(self, model_path: str | Path, *, quantize: bool | None = None) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.name = f"transformers:{Path(model_path).name}"
        path = Path(model_path)
        if not path.exists():
            raise LLMError(f"LLM model path {path} does not exist (OBSERVATORY_LLM_MODEL must be a local folder)")
        use_4bit = torch.cuda.is_available() if quantize is None else quantize
        kwargs: dict[str, Any] = {}
        if use_4bit:
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16
            )
            kwargs["device_map"] = "auto"
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True, **kwargs)
        self.model.eval()
        self._torch = torch

    def complete(self, prompt: str, *, max_tokens: int = 64) -> str:
        """Greedy continuation of ``prompt`` (chat template applied when the tokenizer has one)."""
        if getattr(self.tokenizer, "chat_template", None):
            text = self.tokenizer.apply_chat_template(
                [{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True
            )
        else:
            text = prompt
        inputs = self.tokenizer(text, return_tensors="pt").to(self.model.device)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        with self._torch.no_grad():
            output = self.model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False, pad_token_id=pad)
        new_tokens = output[0][inputs["input_ids"].shape[1] :]
        return str(self.tokenizer.decode(new_tokens, skip_special_tokens=True))


def client_from_settings(settings: Settings) -> LLMClient | None:
    """The configured backend, or None when ``llm_backend`` is ``none``."""
    if settings.llm_backend == "none":
        return None
    if not settings.llm_model:
        raise LLMError(f"OBSERVATORY_LLM_MODEL is required with OBSERVATORY_LLM_BACKEND={settings.llm_backend}")
    if settings.llm_backend == "transformers":
        return TransformersClient(settings.llm_model)
    if not settings.llm_api_base:
        raise LLMError("OBSERVATORY_LLM_API_BASE is required with OBSERVATORY_LLM_BACKEND=openai")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return OpenAICompatibleClient(settings.llm_api_base, settings.llm_model, key)
