"""spaCy imported without what the extractor never uses: thinc's PyTorch import and spaCy's own command line.

thinc imports torch, when installed, only to offer its PyTorch wrappers and GPU ops (1-2 s); ``import spacy``
imports its whole command line (typer apps, weasel, requests: about a third of the import) only to re-export
``spacy.info``. The extractor's blank pipeline uses neither. Import this module before spaCy; torch and
``spacy.cli`` stay importable, in full, for whoever needs them later (sentence-transformers and the
transformers LLM backend import torch themselves; ``spacy.info`` imports the real command line when called).
"""

from __future__ import annotations

import sys
import types
from typing import Any

_CLI_STUBS = ("spacy.cli", "spacy.cli.info")


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, from the real command line imported on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _import_spacy() -> None:
    # A None entry makes `import torch` raise ImportError, which thinc.compat treats as "no torch".
    sys.modules["torch"] = None  # type: ignore[assignment]
    # spacy/__init__ runs `from .cli.info import info`: a stub package answers it and then leaves sys.modules,
    # so that a later `import spacy.cli` loads the real one.
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        try:
            import spacy
        except ImportError:
            # A spaCy that wants more of its command line at import: import it whole, from a clean slate.
            for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
                del sys.modules[name]
            import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
        for name in _CLI_STUBS:
            if sys.modules.get(name) in (cli, info):
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        delattr(spacy, "cli")


if "spacy" not in sys.modules and "torch" not in sys.modules:
    _import_spacy()
