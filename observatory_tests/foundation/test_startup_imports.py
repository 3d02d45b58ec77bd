"""`observatory extract` and `--help` start without what they never use: the database stack (SQLAlchemy, Alembic,
the storage models: about half a second of every start), HTTP clients, spaCy's command line, torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# The database stack, and the HTTP clients only the ESCO API and LLM commands use (spaCy's own CLI brought them too).
HEAVY = ("sqlalchemy", "alembic", "dagster", "pandas", "sklearn", "torch", "httpx", "requests", "weasel")


def _modules_after(code: str) -> set[str]:
    """Top-level modules a fresh interpreter holds after running ``code`` (a clean process: this test session
    has imported everything already)."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_cli_and_the_extract_path_import_no_database_stack() -> None:
    loaded = _modules_after(
        "import observatory.cli\n"
        "import observatory.skills.batch, observatory.skills.prebuilt, observatory.skills.cache\n"
        "from observatory.commands import settings_or_exit\n"
        "settings_or_exit()"
    )
    assert "observatory.commands.skills" in loaded  # the probe did load the commands
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m.startswith("observatory.storage"))
    assert heavy == []


def test_spacy_comes_without_torch_and_its_cli_which_stay_importable() -> None:
    probe = (
        "import json, sys\n"
        "import observatory.skills.extractor\n"
        "import spacy\n"
        "skipped = [m for m in ('torch', 'spacy.cli', 'weasel') if m in sys.modules]\n"
        "tokens = [t.text for t in spacy.blank('es')('Manejo de Excel avanzado.')]\n"
        "info = spacy.info(markdown=False, silent=True)\n"  # the stub forwards to the real command line
        "import spacy.cli\n"
        "real_cli = hasattr(spacy.cli, 'download') and hasattr(spacy.cli, 'info')\n"
        "import importlib.util\n"
        "torch = importlib.util.find_spec('torch') is None or bool(__import__('torch').__version__)\n"
        "print(json.dumps([skipped, tokens, info['spacy_version'], real_cli, torch]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    skipped, tokens, version, real_cli, torch = json.loads(done.stdout.splitlines()[-1])
    assert skipped == []
    assert tokens == ["Manejo", "de", "Excel", "avanzado", "."]
    assert version == __import__("spacy").__version__
    assert real_cli and torch


def test_extract_with_occupations_imports_neither_scikit_learn_nor_scipy(tmp_path: Path) -> None:
    # The occupation coder's TF-IDF index is numpy's (skills/char_tfidf.py): scikit-learn and the scipy it pulls
    # in were over a second of every `extract --occupation`. Checked when the coder is built and when it is loaded.
    postings = tmp_path / "postings.jsonl"
    posting = {"id": "1", "title": "Vendedor/a", "description": "Buscamos vendedor para local de ropa. Excel."}
    postings.write_text(json.dumps(posting, ensure_ascii=False) + "\n", encoding="utf-8")
    for run in ("cold", "warm"):
        out = tmp_path / f"{run}.jsonl"
        argv = ["observatory", "extract", "-i", str(postings), "-o", str(out), "--occupation"]
        loaded = _modules_after(
            "import os, runpy, sys\n"
            f"os.environ.update(OBSERVATORY_CACHE_DIR={str(tmp_path / 'cache')!r}, "
            f"OBSERVATORY_DATA_DIR={str(tmp_path)!r})\n"
            f"sys.argv = {argv!r}\n"
            "try:\n"
            "    runpy.run_module('observatory.cli', run_name='__main__')\n"
            "except SystemExit as exit:\n"
            "    assert not exit.code, exit.code\n"
        )
        assert json.loads(out.read_text(encoding="utf-8"))["occupation"]["isco_code"] == "5223", run
        assert sorted(m for m in loaded if m.split(".")[0] in ("sklearn", "scipy")) == [], run
