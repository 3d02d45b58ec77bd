"""Connecting to PostgreSQL with pgvector: the embedded server by default, any external one by URL.

The embedded server (``pgserver``: PostgreSQL 16 + pgvector) lives in ``<data_dir>/pg``. Several
processes (the Dagster UI, a CLI run) share it: each holds a handle, and the last one to exit stops it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from observatory.config import Settings

log = logging.getLogger(__name__)

APP_DATABASE = "observatory"
# pgserver keeps one handle per data folder and process; count our users so that closing one
# Database does not stop the server under another one in the same process.
_HANDLE_COUNTS: dict[Path, int] = {}
DAGSTER_DATABASE = "dagster"
DUPLICATE_DATABASE, UNIQUE_VIOLATION = "42P04", "23505"


class StorageError(RuntimeError):
    """The database cannot be used; the message says why and what to do."""


def ensure_writable_dir(path: Path, what: str = "data directory") -> Path:
    """Create ``path`` if needed and check that we can write into it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise StorageError(
            f"{what} {path} is not writable ({exc.strerror}); set OBSERVATORY_DATA_DIR to a writable folder"
        ) from None
    return path


@contextmanager
def data_dir_lock(data_dir: Path, name: str = "first-run") -> Iterator[None]:
    """Hold an exclusive lock file ``<data_dir>/.<name>.lock`` for the block, waiting for other holders.

    Two commands started at once on a new data folder would otherwise both create the databases and Dagster's
    tables; under the lock the second one finds them made.
    """
    ensure_writable_dir(data_dir)
    with (data_dir / f".{name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holds_handle(pid: int) -> bool:
    """True when ``pid`` is a live Python process (a process that can hold a pgserver handle)."""
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        return "python" in Path(proc.exe()).name
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # not ours to inspect: assume it is a live user
        return True


def prune_stale_handles(pgdata: Path) -> list[int]:
    """Drop the pids of dead processes from pgserver's handle list (``<pgdata>/.handle_pids.json``).

    pgserver stops the server when its last handle exits, but a process killed with SIGKILL never removes its
    pid: without pruning, the server would then never stop again. Returns the pids removed.
    """
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    handles = DiskList(pgdata / ".handle_pids.json")
    with PostgresServer._lock:
        try:
            pids = handles.get()
        except (OSError, ValueError):  # unreadable list: every holder is unknown, start afresh
            pids = []
            with suppress(OSError):
                (pgdata / ".handle_pids.json").unlink()
        live = [pid for pid in pids if pid != os.getpid() and _holds_handle(pid)]
        stale = [pid for pid in pids if pid not in live and pid != os.getpid()]
        if stale:
            handles.put(live + [pid for pid in pids if pid == os.getpid()])
            log.info("embedded PostgreSQL %s: dropped stale handles of dead processes %s", pgdata, stale)
    return stale


@dataclass
class EmbeddedServer:
    """A handle on the embedded PostgreSQL in ``<data_dir>/pg``."""

    data_dir: Path
    _server: Any = field(default=None, repr=False)

    def start(self) -> EmbeddedServer:
        """Start the server, or attach to the one another process already runs."""
        ensure_writable_dir(self.data_dir)
        os.environ.setdefault("XDG_RUNTIME_DIR", str(Path("/tmp") / f"observatory-runtime-{os.getuid()}"))
        Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

        pgdata = (self.data_dir / "pg").resolve()
        if pgdata not in _HANDLE_COUNTS:
            prune_stale_handles(pgdata)
        try:
            self._server = pgserver.get_server(pgdata, cleanup_mode="stop")
            _HANDLE_COUNTS[pgdata] = _HANDLE_COUNTS.get(pgdata, 0) + 1
        except Exception as exc:  # pgserver raises bare CalledProcessError / AssertionError
            log_file = pgdata / "log"
            tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            raise StorageError(f"could not start the embedded PostgreSQL in {pgdata}: {exc}\n{tail}") from None
        try:
            with data_dir_lock(self.data_dir):
                for name in (APP_DATABASE, DAGSTER_DATABASE):
                    self._ensure_database(name)
        except BaseException:
            self.stop()
            raise
        return self

    def _ensure_database(self, name: str) -> None:
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
                if not exists:
                    try:
                        conn.execute(text(f'CREATE DATABASE "{name}"'))
                    except DBAPIError as exc:
                        # The lock only covers processes sharing this data folder's path; a creation racing past it
                        # fails with duplicate_database or, inside the catalog, unique_violation: the database is
                        # there, which is all we need.
                        if getattr(exc.orig, "pgcode", None) not in (DUPLICATE_DATABASE, UNIQUE_VIOLATION):
                            raise
        finally:
            engine.dispose()

    def url(self, database: str = APP_DATABASE) -> str:
        """SQLAlchemy URL over the server's Unix socket."""
        if self._server is None:
            raise StorageError("embedded server not started")
        info = self._server.get_postmaster_info()
        return f"postgresql+psycopg2://postgres@/{database}?host={info.socket_dir}"

    def stop(self) -> None:
        """Release this process's handle; the server stops when no process holds one."""
        if self._server is not None:
            pgdata = Path(self._server.pgdata)
            _HANDLE_COUNTS[pgdata] = _HANDLE_COUNTS.get(pgdata, 1) - 1
            if _HANDLE_COUNTS[pgdata] <= 0:
                _HANDLE_COUNTS.pop(pgdata, None)
                self._server.cleanup()
            self._server = None


def dagster_url(app_url: str) -> str:
    """The URL of Dagster's own storage database on the same server (SQLAlchemy 2.1 needs the driver named)."""
    url = make_url(app_url).set(drivername="postgresql+psycopg2", database=DAGSTER_DATABASE)
    return url.render_as_string(hide_password=False)


class Database:
    """The observatory's database: engine, sessions and schema checks."""

    def __init__(self, url: str, embedded: EmbeddedServer | None = None) -> None:
        self.url = url
        self.embedded = embedded
        self.engine: Engine = create_engine(url, pool_pre_ping=True, future=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """Connect to ``settings.database_url`` or start the embedded server."""
        if settings.database_url is None:
            server = EmbeddedServer(settings.data_dir).start()
            db = cls(server.url(), embedded=server)
        else:
            raw = settings.database_url.get_secret_value()
            url = make_url(raw)
            if url.drivername in ("postgresql", "postgres"):
                url = url.set(drivername="postgresql+psycopg2")
            db = cls(url.render_as_string(hide_password=False))
        db.check()
        return db

    @property
    def safe_url(self) -> str:
        """The URL with its password masked, for logs and messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    def check(self) -> None:
        """Connect once and make sure pgvector is available; raise :class:`StorageError` otherwise."""
        try:
            with self.engine.connect() as conn:
                available = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).scalar()
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StorageError(f"cannot connect to PostgreSQL at {self.safe_url}: {reason}") from None
        if not available:
            raise StorageError(
                f"PostgreSQL at {self.safe_url} has no 'vector' extension (pgvector); install pgvector "
                "on that server (https://github.com/pgvector/pgvector) or unset OBSERVATORY_DATABASE_URL "
                "to use the embedded server"
            )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        """Dispose of the engine and release the embedded server handle."""
        self.engine.dispose()
        if self.embedded is not None:
            self.embedded.stop()
