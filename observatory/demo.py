"""The offline demo: every stage of the pipeline on the bundled snapshot, on the configured database."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from observatory.config import Settings
from observatory.storage import Database
from observatory.storage.migrate import current_revision


def run_demo(db: Database, settings: Settings, console: Console, output: Path | None = None) -> dict[str, object]:
    """Run the stages that exist, in lineage order, and print what each did."""
    started = time.perf_counter()
    summary: dict[str, object] = {"schema": current_revision(db), "database": db.safe_url}
    console.print(f"[bold]database[/] {db.safe_url} at schema {summary['schema']}")
    summary["seconds"] = round(time.perf_counter() - started, 1)
    console.print(f"[green]demo finished[/] in {summary['seconds']} s")
    return summary
