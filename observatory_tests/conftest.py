"""Shared fixtures: one embedded PostgreSQL + pgvector per test session, emptied between tests."""

from __future__ import annotations

import os
import signal
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Rich wraps command output at the terminal width (80 without a terminal): long temporary paths would
# break the messages tests look for, so the CLI writes to a wide virtual terminal under test.
os.environ["COLUMNS"] = "400"

from observatory.config import Settings, load_settings
from observatory.storage import Database
from observatory.storage.bootstrap import open_database
from observatory.storage.models import Base

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@pytest.fixture(autouse=True)
def _restore_stop_signals(request: pytest.FixtureRequest) -> Iterator[None]:
    """Give every test the stop-signal handlers it started with.

    A command run in-process installs the CLI's handlers, and a stop signal switches them to "ignore" while
    it unwinds. Ignored signals are inherited by every process started later, so a leak would leave later
    tests' worker processes deaf to SIGTERM (``multiprocessing.Pool.terminate`` then waits forever).
    """
    before = {sig: signal.getsignal(sig) for sig in _STOP_SIGNALS}
    hook = sys.unraisablehook
    yield
    sys.unraisablehook = hook
    for sig, handler in before.items():
        if signal.getsignal(sig) is not handler:
            warnings.warn(f"{request.node.nodeid} left {signal.Signals(sig).name} changed; restored", stacklevel=1)
            signal.signal(sig, handler)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` reference material; tests using it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (reference material only exists beside the project checkout)")
    return SHARED


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings pointing at a session-private data directory (embedded database)."""
    data_dir = tmp_path_factory.mktemp("observatory-data")
    return load_settings(data_dir=data_dir, database_url=None)


@pytest.fixture(scope="session")
def database(settings: Settings) -> Iterator[Database]:
    """The embedded database, migrated to head, for the whole test session."""
    db = open_database(settings)
    yield db
    db.close()


@pytest.fixture()
def db(database: Database) -> Iterator[Database]:
    """The session database with every table emptied (sources kept) before the test."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "sources"]
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    yield database
