"""The documentation site builds offline without a warning, and its generated pages match the code."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from observatory.defs.runs import PROJECT_ROOT

pytest.importorskip("mkdocs", reason="mkdocs (dev extra) builds docs/")
pytest.importorskip("material", reason="mkdocs-material (dev extra) is the site's theme")


def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generated", PROJECT_ROOT / "docs" / "hooks" / "generated.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HF_HUB_OFFLINE="1")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert not re.search(r"^WARNING\b", log, re.MULTILINE), log[-4000:]
    return out


def page_text(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", html)


def test_every_setting_is_documented_with_its_meaning() -> None:
    rows = hook().settings_rows()
    undocumented = [row["variable"] for row in rows if not row["meaning"].strip()]
    assert not undocumented, f"settings without a description (add one in observatory/config.py): {undocumented}"


def test_configuration_reference_lists_every_setting(site: Path) -> None:
    from observatory.config import Settings

    text = page_text(site, "configuration")
    variables = {row["variable"] for row in hook().settings_rows()}
    assert {f"OBSERVATORY_{name.upper()}" for name in Settings.model_fields} <= variables
    missing = sorted(v for v in variables if v not in text)
    assert not missing, missing
    assert "OBSERVATORY_ALERTS__WEBHOOK_URL" in text and "Secret" in text


def test_architecture_shows_every_asset(site: Path) -> None:
    from observatory.definitions import build_definitions

    text = page_text(site, "architecture")
    keys = build_definitions().get_repository_def().asset_graph.get_all_asset_keys()
    missing = sorted(k.to_user_string() for k in keys if k.to_user_string() not in text)
    assert not missing, missing
    assert "raw_postings --&gt; extracted_skills" in text or "raw_postings --> extracted_skills" in text


def test_docs_keep_the_readme_commands(site: Path) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    index = (PROJECT_ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for command in (
        "bash scripts/setup.sh && .venv/bin/observatory demo",
        "bash scripts/setup.sh && bash scripts/test.sh",
    ):
        assert command in readme and command in index
    for page in (
        "user-manual",
        "operator/install",
        "operator/monitoring",
        "operator/backup-upgrade",
        "operator/scale-out",
        "troubleshooting",
        "contributing",
    ):
        assert (site / page / "index.html").is_file(), page
