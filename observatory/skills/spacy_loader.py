"""spaCy imported without the PyTorch import thinc makes on the way (1-2 s of every `observatory extract`).

thinc imports torch, when installed, only to offer its PyTorch wrappers and GPU ops; the extractor's blank
pipeline uses neither. Import this module before spaCy; torch stays importable for whoever needs it later
(sentence-transformers, the transformers LLM backend imports it themselves).
"""

from __future__ import annotations

import sys

if "spacy" not in sys.modules and "torch" not in sys.modules:
    # A None entry makes `import torch` raise ImportError, which thinc.compat treats as "no torch".
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
