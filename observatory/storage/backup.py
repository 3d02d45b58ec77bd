"""Backups of the project database with PostgreSQL's own tools (``pg_dump`` / ``pg_restore``, custom format).

The binaries come with pgserver (PostgreSQL 16), so backups work without a system PostgreSQL, for the embedded
server and for an external one alike. The connection goes to the tools through libpq's environment variables:
the password never appears on a command line or in a message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from observatory.storage.database import Database, StorageError
from observatory.storage.identity import renew_database_identity
from observatory.storage.migrate import current_revision, head_revision, upgrade
from observatory.storage.models import Base


def postgres_tool(name: str) -> Path:
    """The path of a PostgreSQL client tool: pgserver's copy, else one on ``PATH``."""
    with_pgserver: Path | None = None
    try:
        from pgserver._commands import POSTGRES_BIN_PATH

        with_pgserver = POSTGRES_BIN_PATH / name
    except ImportError:  # pragma: no cover - pgserver is a dependency
        pass
    if with_pgserver is not None and with_pgserver.exists():
        return with_pgserver
    found = shutil.which(name)
    if found is None:
        raise StorageError(f"{name} not found: install the PostgreSQL client tools (or pgserver)")
    return Path(found)


def libpq_environment(db: Database) -> dict[str, str]:
    """The process environment plus ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD``/``PGDATABASE`` for ``db``."""
    url = make_url(db.url)
    env = dict(os.environ)
    host = url.host or url.query.get("host")
    values = {
        "PGHOST": host if isinstance(host, str) else None,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password if isinstance(url.password, str) else None,
        "PGDATABASE": url.database,
    }
    for name, value in values.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def table_counts(db: Database) -> dict[str, int]:
    """Rows per table of the project's schema (what a backup must carry over)."""
    with db.session() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0) for t in Base.metadata.sorted_tables
        }


def _run(args: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        if "server version mismatch" in detail:
            detail += "\n(use a pg_dump at least as new as the server: put its bin folder first on PATH)"
        raise StorageError(f"{what} failed (exit {result.returncode}): {detail[-2000:]}")
    return result


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds."""

    path: Path
    size_bytes: int
    revision: str | None
    counts: dict[str, int]


def backup(db: Database, target: Path) -> BackupInfo:
    """Dump the project database to ``target`` (custom format; written to a temporary name, then renamed)."""
    target = target.expanduser().absolute()
    if target.is_dir():
        raise StorageError(f"{target} is a folder; give a file name, e.g. {target / 'observatory.dump'}")
    if not target.parent.is_dir():
        raise StorageError(f"folder {target.parent} does not exist")
    partial = target.with_name(target.name + ".part")
    env = libpq_environment(db)
    try:
        _run(
            [str(postgres_tool("pg_dump")), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
            env,
            "pg_dump",
        )
        _run([str(postgres_tool("pg_restore")), "--list", str(partial)], env, "checking the dump")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(target, target.stat().st_size, current_revision(db), table_counts(db))


def restore(db: Database, source: Path, *, replace: bool = False) -> BackupInfo:
    """Restore a :func:`backup` file into ``db`` in one transaction, then migrate it to this code's schema.

    A database that already holds postings is only overwritten with ``replace=True``.
    """
    source = source.expanduser().absolute()
    if not source.is_file():
        raise StorageError(f"backup file {source} does not exist")
    env = libpq_environment(db)
    _run([str(postgres_tool("pg_restore")), "--list", str(source)], env, f"reading {source.name} as a pg_dump file")
    revision = current_revision(db)
    if revision is not None and not replace:
        counts = table_counts(db)
        if counts.get("postings", 0) > 0:
            raise StorageError(
                f"the database at {db.safe_url} already holds {counts['postings']} postings; "
                "pass --replace to overwrite it with the backup"
            )
    _run(
        [
            str(postgres_tool("pg_restore")),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={env.get('PGDATABASE', '')}",
            str(source),
        ],
        env,
        "pg_restore",
    )
    db.engine.dispose()  # sessions opened before the restore cached the old catalog
    restored = current_revision(db)
    head = head_revision()
    if restored != head:
        try:
            upgrade(db)  # an older backup is brought to this version's schema (the upgrade path)
        except Exception as exc:
            raise StorageError(
                f"the backup is at schema revision {restored}, which this version (head {head}) cannot migrate: "
                f"{exc}; restore it with the observatory version that wrote it"
            ) from None
    renew_database_identity(db)  # files derived before (the stored demand) no longer describe these rows
    return BackupInfo(source, source.stat().st_size, current_revision(db), table_counts(db))
