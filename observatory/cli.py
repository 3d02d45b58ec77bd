"""The ``observatory`` command line: database, sources, the Dagster UI, the demo and each stage."""

from __future__ import annotations

import fcntl
import importlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.table import Table

from observatory.config import ConfigurationError, Settings, get_settings
from observatory.sources import SOURCES
from observatory.storage import Database, StorageError, dagster_url
from observatory.storage.bootstrap import open_database
from observatory.storage.migrate import current_revision, head_revision

app = typer.Typer(
    name="observatory",
    help="Labor Market Observatory: skill demand in Latin American job postings.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema and status.", no_args_is_help=True)
sources_app = typer.Typer(help="The registry of crawlable sources.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")

console = Console()
err_console = Console(stderr=True)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Domain command modules (observatory/commands/<name>.py) each expose register(app).
COMMAND_MODULES = ("scraping", "skills", "esco", "analysis")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def settings_or_exit() -> Settings:
    """Settings, or a clean exit naming the bad setting."""
    try:
        return get_settings()
    except ConfigurationError as exc:
        raise fail(str(exc), 2) from None


@contextmanager
def database(migrate: bool = True) -> Iterator[Database]:
    """Open the configured database for a command; storage problems exit with a clear message."""
    settings = settings_or_exit()
    try:
        db = open_database(settings, migrate=migrate)
    except StorageError as exc:
        raise fail(str(exc)) from None
    try:
        yield db
    finally:
        db.close()


@contextmanager
def exclusive(settings: Settings, name: str) -> Iterator[None]:
    """Hold a lock file in the data directory so that two runs of ``name`` cannot overlap."""
    from observatory.storage.database import ensure_writable_dir

    try:
        lock_dir = ensure_writable_dir(settings.data_dir)
    except StorageError as exc:
        raise fail(str(exc)) from None
    path = lock_dir / f"{name}.lock"
    handle: IO[str] = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise fail(f"another `observatory {name}` is running (pid {holder}); wait for it to finish") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the newest revision."""
    with database(migrate=True) as db:
        console.print(f"database at [bold]{current_revision(db)}[/] ({db.safe_url})")


@db_app.command("status")
def db_status() -> None:
    """Show where the database is, its schema revision and row counts."""
    from sqlalchemy import func, select

    from observatory.storage.models import Base

    with database(migrate=False) as db:
        rev, head = current_revision(db), head_revision()
        console.print(f"url: {db.safe_url}")
        console.print(f"embedded: {db.embedded is not None}")
        state = "up to date" if rev == head else "run `observatory db upgrade`"
        console.print(f"schema: {rev or 'empty'} (code head {head}; {state})")
        if rev is None:
            return
        table = Table("table", "rows")
        with db.session() as session:
            for t in Base.metadata.sorted_tables:
                table.add_row(t.name, str(session.scalar(select(func.count()).select_from(t))))
        console.print(table)


@sources_app.command("list")
def sources_list() -> None:
    """List the registered sources (the partition keys)."""
    table = Table("key", "country", "portal", "base url", "time zone")
    for key, s in sorted(SOURCES.items()):
        table.add_row(key, s.country, s.portal, s.base_url, s.timezone)
    console.print(table)


def _dagster_home(settings: Settings, app_url: str) -> dict[str, str]:
    home = (settings.data_dir / "dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(home)
    env["DAGSTER_POSTGRES_URL"] = dagster_url(app_url)
    env["OBSERVATORY_DATA_DIR"] = str(settings.data_dir.resolve())
    return env


@app.command("ui")
def ui(
    port: Annotated[int, typer.Option(help="Port of the web UI.")] = 3000,
    host: Annotated[str, typer.Option(help="Address to bind; keep 127.0.0.1 unless behind a proxy.")] = "127.0.0.1",
) -> None:
    """Start the Dagster UI and daemon on the configured database (embedded by default)."""
    settings = settings_or_exit()
    with database() as db:
        env = _dagster_home(settings, db.url)
        workspace = str(PROJECT_ROOT / "workspace.yaml")
        bin_dir = Path(sys.executable).parent
        procs = [
            subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", "-w", workspace], env=env),
            subprocess.Popen(
                [str(bin_dir / "dagster-webserver"), "-h", host, "-p", str(port), "-w", workspace], env=env
            ),
        ]
        console.print(f"Dagster UI on [bold]http://{host}:{port}[/] (Ctrl-C to stop)")
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            for p in procs:
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()


@app.command("demo")
def demo(
    output: Annotated[Path | None, typer.Option(help="Folder for the report (default: data dir).")] = None,
) -> None:
    """Run the whole pipeline offline on the bundled snapshot and say what it did."""
    from observatory.demo import run_demo

    settings = settings_or_exit()
    with exclusive(settings, "demo"), database() as db:
        try:
            run_demo(db, settings, console=console, output=output)
        except StorageError as exc:
            raise fail(str(exc)) from None


def _register_domain_commands() -> None:
    for name in COMMAND_MODULES:
        qualified = f"observatory.commands.{name}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name != qualified:
                raise
            continue
        module.register(app)


_register_domain_commands()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
