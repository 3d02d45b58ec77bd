"""Backups of the project database with PostgreSQL's own tools (``pg_dump`` / ``pg_restore``, custom format).

The binaries come with pgserver (PostgreSQL 16), so backups work without a system PostgreSQL, for the embedded
server and for an external one alike. The connection goes to the tools through libpq's environment variables:
the password never appears on a command line or in a message.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select
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
    """Rows per table of the project's schema (what a backup must carry over); tables a database at an older
    revision does not have yet are left out."""
    existing = set(inspect(db.engine).get_table_names())
    with db.session() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
            if t.name in existing
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

    A dump of an older schema replaces a database at a newer one whole: the tables it lacks are dropped in
    the same transaction, and the migrations then make them again. A database that already holds postings is
    only overwritten with ``replace=True``.
    """
    source = source.expanduser().absolute()
    if not source.is_file():
        raise StorageError(f"backup file {source} does not exist")
    env = libpq_environment(db)
    listing = _run(
        [str(postgres_tool("pg_restore")), "--list", str(source)], env, f"reading {source.name} as a pg_dump file"
    )
    revision = current_revision(db)
    if revision is not None and not replace:
        counts = table_counts(db)
        if counts.get("postings", 0) > 0:
            raise StorageError(
                f"the database at {db.safe_url} already holds {counts['postings']} postings; "
                "pass --replace to overwrite it with the backup"
            )
    _restore_in_one_transaction(source, env, _leftover_tables(db, listing.stdout))
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


# A table entry of ``pg_restore --list``: "215; 1259 16390 TABLE public postings owner" (not "TABLE DATA").
_LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)


def _leftover_tables(db: Database, listing: str) -> list[str]:
    """The project's tables in ``db`` that the dump does not hold: later migrations made them.

    ``pg_restore --clean`` drops only what the dump holds, so after restoring an older dump they would stay:
    the migration that makes them would then fail ("already exists"), their rows would describe the database
    that was replaced, and their foreign keys would stop the drop of the dump's own tables.
    """
    dumped = {name for _schema, name in _LISTED_TABLE.findall(listing)}
    project = {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}
    return sorted((project & set(inspect(db.engine).get_table_names())) - dumped)


def _restore_in_one_transaction(source: Path, env: dict[str, str], leftovers: list[str]) -> None:
    """Replay ``source`` (pg_restore's SQL, ``--clean``) through psql in one transaction that first drops
    ``leftovers``; any error, or a dump that cannot be read to its end, leaves the database as it was."""
    drops = "".join(f'DROP TABLE IF EXISTS "{name}" CASCADE;\n' for name in leftovers)
    restore_args = [
        str(postgres_tool("pg_restore")),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--file=-",
        str(source),
    ]
    psql_args = [str(postgres_tool("psql")), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"]
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        script = subprocess.Popen(restore_args, env=env, stdout=subprocess.PIPE, stderr=restore_errors)
        psql = subprocess.Popen(
            psql_args, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors
        )
        assert script.stdout is not None and psql.stdin is not None
        try:
            psql.stdin.write(f"BEGIN;\n{drops}".encode())
            for chunk in iter(lambda: script.stdout.read(1 << 16), b""):  # type: ignore[union-attr]
                psql.stdin.write(chunk)
            # COMMIT only after the whole script: a cut one ends psql's session, which rolls the transaction back.
            if script.wait() == 0:
                psql.stdin.write(b"\nCOMMIT;\n")
        except BrokenPipeError:  # psql stopped at an error (ON_ERROR_STOP): nothing was committed
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            if script.poll() is None:
                script.kill()
            script.wait()
            psql.wait()
            script.stdout.close()
        for process, errors, what in ((script, restore_errors, "pg_restore"), (psql, psql_errors, "psql")):
            if process.returncode != 0:
                errors.seek(0)
                detail = errors.read().decode("utf-8", "replace").strip()
                raise StorageError(f"{what} failed (exit {process.returncode}): {detail[-2000:]}")
