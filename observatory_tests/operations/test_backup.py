"""``observatory db backup`` / ``db restore``: a dump of a populated database restored into a fresh data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import get_settings, load_settings
from observatory.storage import Database, StorageError
from observatory.storage.backup import backup, libpq_environment, restore, table_counts
from observatory.storage.bootstrap import open_database
from observatory.storage.identity import database_identity
from observatory.storage.migrate import current_revision, downgrade, head_revision, upgrade
from observatory.storage.models import SkillEmbedding
from observatory_tests.analysis.builders import DataBuilder, realistic_postings

runner = CliRunner()


@pytest.fixture()
def populated(db: Database) -> Database:
    builder = DataBuilder(db)
    realistic_postings(builder, per_month=20)
    builder.save()
    with db.session() as session:
        session.add(SkillEmbedding(skill_id="python", model="test", text="Python", text_hash="h", embedding=[0.5] * 8))
    return db


@pytest.fixture()
def fresh(tmp_path: Path) -> Iterator[Database]:
    """A second embedded server in its own data directory, with an empty project database."""
    other = open_database(load_settings(data_dir=tmp_path / "fresh", database_url=None), migrate=False)
    yield other
    other.close()


def test_round_trip_into_a_fresh_data_dir_keeps_every_row(populated: Database, fresh: Database, tmp_path: Path) -> None:
    identity = database_identity(populated)  # what files derived from it (the stored demand) carry
    before = table_counts(populated)
    assert before["postings"] == 60 and before["skill_mentions"] > 0 and before["skill_embeddings"] == 1

    info = backup(populated, tmp_path / "observatory.dump")
    assert info.path.stat().st_size > 0
    assert not (tmp_path / "observatory.dump.part").exists()

    assert current_revision(fresh) is None
    restored = restore(fresh, info.path)
    assert restored.counts == before
    assert table_counts(fresh) == before
    assert current_revision(fresh) == head_revision()
    assert database_identity(fresh) != identity  # derived files of the backed-up database are stale here
    with fresh.session() as session:
        vector = session.scalar(select(SkillEmbedding.embedding))
    assert list(vector) == [0.5] * 8  # pgvector values survive the round trip


def test_restore_refuses_to_overwrite_postings_without_replace(
    populated: Database, fresh: Database, tmp_path: Path
) -> None:
    dump = backup(populated, tmp_path / "a.dump").path
    restore(fresh, dump)
    with fresh.engine.begin() as conn:
        conn.execute(text("DELETE FROM skill_mentions"))
    with pytest.raises(StorageError, match="--replace"):
        restore(fresh, dump)
    restore(fresh, dump, replace=True)  # re-running with --replace is safe and brings the rows back
    assert table_counts(fresh) == table_counts(populated)


def test_bad_backup_file_is_a_clear_error(fresh: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.dump"
    junk.write_text("not a dump")
    with pytest.raises(StorageError, match=r"reading junk\.dump as a pg_dump file"):
        restore(fresh, junk)
    with pytest.raises(StorageError, match="does not exist"):
        restore(fresh, tmp_path / "missing.dump")
    with pytest.raises(StorageError, match="is a folder"):
        backup(fresh, tmp_path)


def test_cli_backup_and_restore(
    populated: Database, settings: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))  # type: ignore[attr-defined]
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    dump = tmp_path / "cli.dump"
    try:
        result = runner.invoke(app, ["db", "backup", str(dump)])
        assert result.exit_code == 0, result.output
        assert "60 postings" in result.output
        refused = runner.invoke(app, ["db", "restore", str(dump)])
        assert refused.exit_code == 1
        assert "--replace" in refused.output
        monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path / "cli-fresh"))
        get_settings.cache_clear()
        restored = runner.invoke(app, ["db", "restore", str(dump)])
        assert restored.exit_code == 0, restored.output
        assert "postings 60" in restored.output
    finally:
        get_settings.cache_clear()


def test_external_server_credentials_go_through_the_environment() -> None:
    class External:
        url = "postgresql+psycopg2://observatory:hunter2@db.example:6543/observatory"

    env = libpq_environment(External())  # type: ignore[arg-type]
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.example",
        "6543",
        "observatory",
        "observatory",
    )
    assert env["PGPASSWORD"] == "hunter2"  # libpq reads it; it never appears in the tools' arguments


@pytest.mark.parametrize("revision", ["0006", "0004"])
def test_older_dump_restored_over_a_database_at_head_is_migrated(
    populated: Database, fresh: Database, tmp_path: Path, revision: str
) -> None:
    restore(fresh, backup(populated, tmp_path / "head.dump").path)
    before = table_counts(fresh)
    downgrade(fresh, revision)  # the schema an older version of the observatory had
    old = backup(fresh, tmp_path / f"{revision}.dump")
    assert old.revision == revision
    upgrade(fresh)  # the database moves on (new tables of later migrations, rows in them)
    identity = database_identity(fresh)
    with fresh.engine.begin() as conn:
        conn.execute(text("DELETE FROM skill_mentions"))

    restored = restore(fresh, old.path, replace=True)

    assert restored.revision == head_revision() == current_revision(fresh)
    assert restored.counts["postings"] == before["postings"]
    assert restored.counts["skill_mentions"] == before["skill_mentions"]  # the dump's rows, not the later state
    assert database_identity(fresh) != identity
    upgrade(fresh)  # `observatory db upgrade` afterwards: nothing left to do, and no error
    assert current_revision(fresh) == head_revision()


def test_failed_restore_of_an_older_dump_leaves_the_database_as_it_was(
    populated: Database, fresh: Database, tmp_path: Path
) -> None:
    restore(fresh, backup(populated, tmp_path / "head.dump").path)
    downgrade(fresh, "0006")
    old = backup(fresh, tmp_path / "0006.dump").path
    upgrade(fresh)
    before, identity = table_counts(fresh), database_identity(fresh)
    with fresh.engine.begin() as conn:  # a user's view on a table the dump replaces: its drop fails midway
        conn.execute(text("CREATE VIEW posting_titles AS SELECT title FROM postings"))
    damaged = tmp_path / "damaged.dump"
    data = bytearray(old.read_bytes())
    end = len(data) - len(data) // 20  # data blocks follow the table of contents: the listing still reads
    data[end : end + 64] = bytes(64)
    damaged.write_bytes(data)

    for dump, failing in ((old, "psql failed"), (damaged, "pg_restore failed")):
        with pytest.raises(StorageError, match=failing):
            restore(fresh, dump, replace=True)
        fresh.engine.dispose()
        assert table_counts(fresh) == before  # the later tables dropped first and the cleaned ones are all back
        assert (current_revision(fresh), database_identity(fresh)) == (head_revision(), identity)
