"""The ``observatory`` command line: database and sources here; the pipeline and each stage in ``commands/``."""

from __future__ import annotations

import importlib
import os
import signal
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from observatory.commands import console, database, err_console, exclusive, fail, one_line, settings_or_exit
from observatory.config import get_settings
from observatory.sources import SOURCES

__all__ = ["app", "database", "exclusive", "fail", "main", "settings_or_exit"]

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

DEBUG_ENV = "OBSERVATORY_DEBUG"  # also read by observatory.defs.runs
_debug = {"on": False}


@app.callback()
def _global_options(
    debug: Annotated[
        bool, typer.Option("--debug", help=f"Show the traceback of an unexpected error (or set {DEBUG_ENV}=1).")
    ] = False,
) -> None:
    """Labor Market Observatory: skill demand in Latin American job postings."""
    _debug["on"] = debug
    if debug:  # for the libraries too: runs then log their steps' failures in full
        os.environ[DEBUG_ENV] = "1"


def _debugging() -> bool:
    return _debug["on"] or os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


# Domain command modules (observatory/commands/<name>.py) each expose register(app).
COMMAND_MODULES = ("pipeline", "scraping", "skills", "esco", "analysis", "doctor", "merges")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the newest revision."""
    from observatory.storage.migrate import current_revision

    with database(migrate=True) as db:
        console.print(f"database at [bold]{current_revision(db)}[/] ({db.safe_url})")


@db_app.command("status")
def db_status() -> None:
    """Show where the database is, its schema revision and row counts."""
    from sqlalchemy import func, select

    from observatory.storage.migrate import current_revision, head_revision
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


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Backup file to write (pg_dump custom format), e.g. observatory.dump.")],
) -> None:
    """Back up the project database (embedded or external) to FILE with pg_dump."""
    from observatory.storage import StorageError
    from observatory.storage.backup import backup

    with database(migrate=False) as db:
        try:
            info = backup(db, file)
        except StorageError as exc:
            raise fail(str(exc)) from None
    console.print(
        f"backup of {db.safe_url} written to [bold]{info.path}[/] ({info.size_bytes / 1e6:.1f} MB, schema "
        f"{info.revision}, {info.counts.get('postings', 0)} postings, {info.counts.get('skill_mentions', 0)} "
        "skill mentions)",
        highlight=False,
    )


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A file written by `observatory db backup`.")],
    replace: Annotated[bool, typer.Option(help="Overwrite a database that already holds postings.")] = False,
) -> None:
    """Restore FILE into the configured database (one transaction), then migrate it to this version's schema."""
    from observatory.storage import StorageError
    from observatory.storage.backup import restore

    with database(migrate=False) as db:
        try:
            info = restore(db, file, replace=replace)
        except StorageError as exc:
            raise fail(str(exc)) from None
    console.print(
        f"restored {info.path.name} into {db.safe_url}: schema {info.revision}, "
        + ", ".join(f"{name} {count}" for name, count in info.counts.items() if count),
        highlight=False,
    )


@sources_app.command("list")
def sources_list() -> None:
    """List the registered sources (the partition keys)."""
    table = Table("key", "country", "portal", "base url", "time zone")
    for key, s in sorted(SOURCES.items()):
        table.add_row(key, s.country, s.portal, s.base_url, s.timezone)
    console.print(table)


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
    """Console-script entry point: SIGTERM/SIGINT/SIGHUP unwind the command, and no child outlives it."""
    from observatory.commands.lifecycle import (
        install_signal_handlers,
        received_signal,
        stop_descendants,
        stop_orphaned_children,
    )
    from observatory.config import ConfigurationError

    install_signal_handlers()
    try:
        with suppress(ConfigurationError):  # a bad setting is reported by the command itself
            stop_orphaned_children(get_settings().data_dir)
        app()
    except Exception as exc:
        # Commands report the errors they expect; anything else is still one line, unless asked for the traceback.
        if _debugging():
            raise
        if received_signal() is None:  # an interruption is reported below as such
            message = Text.assemble(("error: ", "bold red"), one_line(exc), " (observatory --debug … for details)")
            err_console.print(message, highlight=False, soft_wrap=True)
        raise SystemExit(1) from None
    finally:
        stop_descendants()
        signum = received_signal()
        if signum is not None:  # whatever a library made of the interruption, say what happened and exit as killed
            err_console.print(f"stopped by {signal.Signals(signum).name}")
            raise SystemExit(128 + signum)


if __name__ == "__main__":
    main()
