"""`observatory extract` and `--help` start without the database stack: SQLAlchemy, Alembic and the storage models
cost about half a second of every start and neither command opens a database."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "observatory.storage", "dagster", "pandas", "sklearn", "torch")


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
