"""CLI command groups, one module per domain (each exposes ``register(app)``), and the helpers they share.

The helpers live here, not in ``observatory.cli``, so that command modules never import the CLI that
registers them.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from observatory.config import ConfigurationError, Settings, get_settings

# Storage (SQLAlchemy, Alembic, the models: ~0.5 s) is imported by the commands that open the database, so that
# one that never does (`observatory extract`, `--help`) starts without it.
if TYPE_CHECKING:
    from observatory.storage import Database

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error and return the exit to raise."""
    # Escaped: a path or a key may hold [brackets]; soft-wrapped: a message piped to a log stays on its lines.
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and first message line, then its innermost cause's; URL passwords masked."""
    from observatory.errors import error_line, exception_chain

    return error_line(exception_chain(exc))


def settings_or_exit() -> Settings:
    """Settings, or a clean exit naming the bad setting."""
    try:
        return get_settings()
    except ConfigurationError as exc:
        raise fail(str(exc), 2) from None


@contextmanager
def database(migrate: bool = True) -> Iterator[Database]:
    """Open the configured database for a command; storage problems exit with a clear message."""
    from observatory.storage import StorageError
    from observatory.storage.bootstrap import open_database

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
    from observatory.storage.database import StorageError, ensure_writable_dir

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
