"""Clients that turn a prompt into text: a local transformers model (4-bit with bitsandbytes on a GPU)
and any OpenAI-compatible chat-completions server. The API key never reaches logs or errors.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from observatory.config import Settings

log = logging.getLogger(__name__)


class LLMError(RuntimeError):
    """The model could not answer; the message says why (never with the key)."""


@dataclass(frozen=True)
class Completion:
    """A model's answer with the tokens it cost (counted by the server or the tokenizer; estimated otherwise)."""

    text: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def estimate_tokens(text: str) -> int:
    """A rough token count (four characters a token) for servers that do not report usage."""
    return max(1, len(text) // 4)


class LLMClient(Protocol):
    """Anything that completes a prompt. ``backend`` and ``model_name`` are the cache key's first parts."""

    name: str
    backend: str
    model_name: str

    def complete(self, prompt: str, *, max_tokens: int = 64) -> str: ...

    def generate(
        self, prompt: str, *, system: str | None = None, max_tokens: int = 256, json_mode: bool = False
    ) -> Completion: ...


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
        self.backend = "openai"
        self.model = model
        self.model_name = model
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
            # Seconds, or an HTTP date (RFC 9110 allows both).
            try:
                return max(0.0, min(float(retry_after), self.max_backoff))
            except ValueError:
                pass
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
            except (TypeError, ValueError):
                pass
            else:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                return max(0.0, min((when - datetime.now(UTC)).total_seconds(), self.max_backoff))
        return min(self.backoff * 2**attempt, self.max_backoff)

    def complete(self, prompt: str, *, max_tokens: int = 64) -> str:
        """The assistant's reply to ``prompt`` (temperature 0)."""
        return self.generate(prompt, max_tokens=max_tokens).text

    def generate(
        self, prompt: str, *, system: str | None = None, max_tokens: int = 256, json_mode: bool = False
    ) -> Completion:
        """The assistant's reply to ``prompt`` (temperature 0) and its token usage.

        ``json_mode`` asks for ``response_format: json_object`` (OpenAI, vLLM, Ollama and llama.cpp honour it).
        """
        messages = [{"role": "system", "content": system}] if system else []
        messages.append({"role": "user", "content": prompt})
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        if json_mode:
            body["response_format"] = {"type": "json_object"}
        last = ""
        for attempt in range(self.retries + 1):
            response: httpx.Response | None = None
            try:
                response = self._http.post("/chat/completions", json=body)
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    return self._completion(response, prompt, system)
                last = f"HTTP {response.status_code}"
                if response.status_code not in (429, 500, 502, 503, 504):
                    raise LLMError(f"LLM API refused the request: {last}: {response.text[:200]}")
            if attempt < self.retries:
                delay = self._wait(attempt, response)
                log.warning("LLM API %s; retrying in %.1f s", last, delay)
                time.sleep(delay)
        raise LLMError(f"LLM API failed after {self.retries + 1} attempts: {last}")

    @staticmethod
    def _completion(response: httpx.Response, prompt: str, system: str | None) -> Completion:
        try:
            data = response.json()
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMError(
                f"LLM API answered something that is not a chat completion: {response.text[:200]!r}"
            ) from None
        if not isinstance(content, str):
            raise LLMError("LLM API answered a non-text message")
        usage = data.get("usage") if isinstance(data, dict) else None
        try:
            prompt_tokens = int(usage["prompt_tokens"])  # type: ignore[index]
            completion_tokens = int(usage["completion_tokens"])  # type: ignore[index]
        except (KeyError, TypeError, ValueError):
            prompt_tokens = estimate_tokens((system or "") + prompt)
            completion_tokens = estimate_tokens(content)
        return Completion(content, prompt_tokens, completion_tokens)


DEFAULT_LOCAL_MODEL = "mistralai/Mistral-7B-Instruct-v0.3"


def quantization_config(use_4bit: bool) -> Any:
    """bitsandbytes 4-bit NF4 (double quantisation, bfloat16 compute) when ``use_4bit``; None otherwise."""
    if not use_4bit:
        return None
    import torch
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.bfloat16,
    )


class TransformersClient:
    """A local causal language model loaded from a path (no hub access), greedy decoding.

    On a CUDA machine with bitsandbytes the weights load in 4-bit (NF4); on a CPU in full precision.
    """

    def __init__(self, model_path: str | Path, *, quantize: bool | None = None, gguf_file: str | None = None) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = Path(model_path)
        if path.is_file() and path.suffix == ".gguf":  # a GGUF file given directly: its folder and name
            path, gguf_file = path.parent, path.name
        if not path.exists():
            raise LLMError(f"LLM model path {path} does not exist (OBSERVATORY_LLM_MODEL must be a local folder)")
        if gguf_file is not None and not (path / gguf_file).is_file():
            raise LLMError(f"GGUF file {gguf_file} is not in {path}")
        self.name = f"transformers:{gguf_file or path.name}"
        self.backend = "transformers"
        self.model_name = gguf_file or path.name
        # GGUF weights are dequantised by transformers; 4-bit NF4 applies to ordinary checkpoints on a GPU.
        self.quantized = bool(torch.cuda.is_available() if quantize is None else quantize) and gguf_file is None
        kwargs: dict[str, Any] = {"local_files_only": True}
        if gguf_file is not None:
            kwargs["gguf_file"] = gguf_file
        if self.quantized:
            kwargs["quantization_config"] = quantization_config(True)
            kwargs["device_map"] = "auto"
        tokenizer_kwargs = {k: v for k, v in kwargs.items() if k in ("local_files_only", "gguf_file")}
        self.tokenizer = AutoTokenizer.from_pretrained(path, **tokenizer_kwargs)
        self.model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
        self.model.eval()
        self._torch = torch
        self._lock = threading.Lock()  # one generation at a time: the model is not re-entrant

    def complete(self, prompt: str, *, max_tokens: int = 64) -> str:
        """Greedy continuation of ``prompt`` (chat template applied when the tokenizer has one)."""
        return self.generate(prompt, max_tokens=max_tokens).text

    def generate(
        self, prompt: str, *, system: str | None = None, max_tokens: int = 256, json_mode: bool = False
    ) -> Completion:
        """Greedy continuation with token counts from the tokenizer (``json_mode`` is the prompt's job here)."""
        if getattr(self.tokenizer, "chat_template", None):
            messages = [{"role": "system", "content": system}] if system else []
            messages.append({"role": "user", "content": prompt})
            text = self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        else:
            text = f"{system}\n\n{prompt}" if system else prompt
        inputs = self.tokenizer(text, return_tensors="pt").to(self.model.device)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        with self._lock, self._torch.no_grad():
            output = self.model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False, pad_token_id=pad)
        prompt_length = int(inputs["input_ids"].shape[1])
        new_tokens = output[0][prompt_length:]
        answer = str(self.tokenizer.decode(new_tokens, skip_special_tokens=True))
        return Completion(answer, prompt_length, int(new_tokens.shape[0]))


def client_from_settings(settings: Settings, *, timeout: float = 30.0, retries: int = 4) -> LLMClient | None:
    """The configured backend, or None when ``llm_backend`` is ``none``."""
    if settings.llm_backend == "none":
        return None
    if not settings.llm_model:
        raise LLMError(
            f"OBSERVATORY_LLM_MODEL is required with OBSERVATORY_LLM_BACKEND={settings.llm_backend} "
            f"(a local folder or .gguf file for transformers, e.g. a download of {DEFAULT_LOCAL_MODEL}; "
            "the server's model name for openai)"
        )
    if settings.llm_backend == "transformers":
        return TransformersClient(settings.llm_model)
    if not settings.llm_api_base:
        raise LLMError("OBSERVATORY_LLM_API_BASE is required with OBSERVATORY_LLM_BACKEND=openai")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return OpenAICompatibleClient(settings.llm_api_base, settings.llm_model, key, timeout=timeout, retries=retries)
