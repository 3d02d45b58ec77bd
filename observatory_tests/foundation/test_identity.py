"""The database's identity is readable by a read-only role: the migration and every migrating start create it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from observatory.config import Settings, load_settings
from observatory.reporting import build_report
from observatory.storage import Database
from observatory.storage.bootstrap import open_database
from observatory.storage.database import StorageError
from observatory.storage.identity import database_identity
from observatory.storage.migrate import current_revision, downgrade, head_revision, upgrade
from observatory_tests.analysis.builders import DataBuilder

READER = "observatory_reader_test"


def _identity_rows(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM database_identity")).scalar_one())


@pytest.fixture()
def reader(db: Database) -> Iterator[Database]:
    """The session database seen through a real login role that may only read (SELECT on every table)."""
    with db.engine.begin() as conn:
        _drop_reader(conn)  # left by an interrupted run
        conn.execute(text(f"CREATE ROLE {READER} LOGIN"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {READER}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}"))
    reading = Database(make_url(db.url).set(username=READER).render_as_string(hide_password=False))
    yield reading
    reading.engine.dispose()
    with db.engine.begin() as conn:
        _drop_reader(conn)


def _drop_reader(conn: Connection) -> None:
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": READER}).scalar():
        conn.execute(text(f"DROP OWNED BY {READER}"))
        conn.execute(text(f"DROP ROLE {READER}"))


def test_a_read_only_role_reads_the_identity_the_start_created(reader: Database, db: Database,
                                                               settings: Settings) -> None:  # fmt: skip
    # The role really cannot write: the check below would be empty otherwise.
    with pytest.raises(ProgrammingError, match="permission denied"), reader.engine.begin() as conn:
        conn.execute(text("INSERT INTO database_identity (singleton, id) VALUES (true, 'x')"))

    # The fixture emptied every table (TRUNCATE): no row. Reading as the reader is a clear error naming the fix, and
    # writes nothing.
    assert _identity_rows(db) == 0
    with pytest.raises(StorageError, match=r"may not write it: run `observatory db upgrade`"):
        database_identity(reader)
    assert _identity_rows(db) == 0

    # The fix: a migrating start (what `observatory db upgrade` does) makes the row; the reader then reads it.
    started = open_database(settings)
    try:
        identity = database_identity(reader)
    finally:
        started.close()
    assert identity == database_identity(db) == database_identity(reader)
    assert _identity_rows(db) == 1


def test_the_migration_creates_the_row(db: Database, reader: Database) -> None:
    assert current_revision(db) == head_revision()
    downgrade(db, "0007")
    try:
        assert _identity_rows(db) == 0  # emptied by the fixture, as a database migrated before 0008 would lack it
        upgrade(db, "0008")
        assert _identity_rows(db) == 1
        assert database_identity(reader) == database_identity(db)
    finally:
        upgrade(db)
    assert current_revision(db) == head_revision()


def test_a_read_only_role_opens_the_database_and_makes_a_report(reader: Database, db: Database,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    b = DataBuilder(db)
    for i in range(12):
        b.posting("co-computrabajo", "2026-10", {"python": "required", "sql": None}, company=f"Empresa {i % 4} S.A.")
    b.save()
    database_identity(db)  # what the owner's start (or first use) made
    settings = load_settings(data_dir=tmp_path / "data", database_url=reader.url)
    opened = open_database(settings)  # migrating start: schema at head, sources in sync, identity there
    try:
        paths = build_report(opened, settings, country="co", period="2026-10", out_dir=tmp_path / "out", pdf=False)
    finally:
        opened.close()
    top = pd.read_parquet(paths.folder / "data" / "top_skills.parquet").set_index("skill_id")
    assert top.loc["python", "n_with_skill"] == 12 and top.loc["python", "n_postings"] == 12
