"""Storage against the real embedded PostgreSQL + pgvector: migrations, upserts, kNN, concurrency."""

from __future__ import annotations

import os
import random
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pgvector.sqlalchemy import Vector
from sqlalchemy import cast, create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from observatory.config import load_settings
from observatory.storage import Database, StorageError, downgrade, posting_id, upgrade, upsert
from observatory.storage.models import Base, CanonicalSkill, Posting, SkillEmbedding


def _posting(native: str, title: str = "Analista de datos", **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": posting_id("computrabajo", native),
        "source_key": "co-computrabajo",
        "portal": "computrabajo",
        "country": "co",
        "native_id": native,
        "title": title,
        "content_hash": f"h-{native}-{title}",
        "raw": {"titulo": title},
    }
    row.update(extra)
    return row


def test_migrations_match_models(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_migrations_down_and_up(settings: object, tmp_path: object) -> None:
    own = load_settings(data_dir=tmp_path, database_url=None)  # type: ignore[arg-type]
    db = Database.from_settings(own)
    try:
        upgrade(db)
        assert "postings" in inspect(db.engine).get_table_names()
        downgrade(db, "base")
        assert "postings" not in inspect(db.engine).get_table_names()
        upgrade(db)
        upgrade(db)  # idempotent
        assert {"postings", "skill_embeddings", "clusters"} <= set(inspect(db.engine).get_table_names())
    finally:
        db.close()


def test_upsert_is_idempotent_and_keeps_first_seen(db: Database) -> None:
    first = datetime(2026, 10, 1, tzinfo=UTC)
    later = datetime(2026, 10, 5, tzinfo=UTC)
    rows = [_posting(str(i), first_seen=first, last_seen=first) for i in range(50)]
    with db.session() as s:
        upsert(s, Posting, rows, conflict=["id"], keep_first=["first_seen"])
    again = [_posting(str(i), title="Analista de datos Sr", first_seen=later, last_seen=later) for i in range(50)]
    with db.session() as s:
        upsert(s, Posting, again, conflict=["id"], keep_first=["first_seen"])
        assert s.scalar(select(func.count()).select_from(Posting)) == 50
        p = s.get(Posting, posting_id("computrabajo", "7"))
        assert p is not None
        assert p.title == "Analista de datos Sr"
        assert p.first_seen == first
        assert p.last_seen == later


def test_upsert_same_key_twice_in_one_batch(db: Database) -> None:
    rows = [_posting("1", title="a"), _posting("1", title="b")]
    with db.session() as s:
        assert upsert(s, Posting, rows, conflict=["id"]) == 1
        assert s.scalar(select(Posting.title)) == "b"


def test_unique_portal_native_id(db: Database) -> None:
    with db.session() as s:
        upsert(s, Posting, [_posting("1")], conflict=["id"])
    dup = _posting("1")
    dup["id"] = "other-id"
    with pytest.raises(IntegrityError), db.session() as s:
        upsert(s, Posting, [dup], conflict=["id"])


def test_crash_midway_loses_nothing(db: Database) -> None:
    with db.session() as s:
        upsert(s, Posting, [_posting("1")], conflict=["id"])
    bad = [_posting("2"), {**_posting("3"), "source_key": "no-such-source"}]
    with pytest.raises(IntegrityError), db.session() as s:
        upsert(s, Posting, bad, conflict=["id"], batch_size=1)
    with db.session() as s:
        assert s.scalars(select(Posting.native_id)).all() == ["1"]


def test_knn_query_uses_hnsw_index(db: Database) -> None:
    rng = random.Random(7)
    skills = [{"id": f"s{i}", "name": f"skill {i}"} for i in range(400)]
    vectors = [[rng.gauss(0, 1) for _ in range(384)] for _ in skills]
    with db.session() as s:
        upsert(s, CanonicalSkill, skills, conflict=["id"])
        upsert(
            s,
            SkillEmbedding,
            [
                {"skill_id": sk["id"], "model": "m", "text": sk["name"], "text_hash": sk["id"], "embedding": v}
                for sk, v in zip(skills, vectors, strict=True)
            ],
            conflict=["model", "skill_id", "text_hash"],
        )
    query = vectors[42]
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        # Vectors of each size have their own partial index on embedding::vector(size): same cast, same predicate.
        sized = cast(SkillEmbedding.embedding, Vector(384))
        stmt = (
            select(SkillEmbedding.skill_id)
            .where(func.vector_dims(SkillEmbedding.embedding) == 384)
            .order_by(sized.cosine_distance(query))
            .limit(5)
        )
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                text("EXPLAIN " + str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})))
            )
        )
        nearest = conn.execute(stmt).scalars().all()
    assert "ix_skill_embeddings_hnsw" in plan
    assert nearest[0] == "s42"


def test_two_concurrent_connections(db: Database) -> None:
    other = create_engine(db.url)
    errors: list[BaseException] = []

    def writer(start: int) -> None:
        try:
            with db.session() as s:
                upsert(s, Posting, [_posting(str(i)) for i in range(start, start + 200)], conflict=["id"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (0, 100)]
    for t in threads:
        t.start()
    with other.begin() as conn:
        conn.execute(text("SELECT pg_sleep(0.05)"))
        seen_by_other = conn.execute(text("SELECT count(*) FROM postings")).scalar()
    for t in threads:
        t.join()
    assert not errors
    with other.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM postings")).scalar() == 300
    assert seen_by_other is not None
    other.dispose()


def test_wrong_database_url_gives_clear_error() -> None:
    settings = load_settings(database_url="postgresql://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(StorageError) as info:
        Database.from_settings(settings)
    message = str(info.value)
    assert "cannot connect" in message
    assert "secret" not in message


PLAIN_PG_BIN = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture()
def plain_postgres(tmp_path: Path) -> Iterator[str]:
    """A real PostgreSQL 15 from Debian's packages, which has no pgvector."""
    if not (PLAIN_PG_BIN / "postgres").exists():
        pytest.skip("Debian's postgresql-15 server is not installed")
    user = "pgserver" if os.geteuid() == 0 else None  # initdb refuses to run as root
    data, sock = tmp_path / "plain", tmp_path / "sock"
    data.mkdir()
    sock.mkdir()
    tmp_path.chmod(0o755)
    if user:
        import pwd

        pw = pwd.getpwnam(user)
        for d in (data, sock):
            os.chown(d, pw.pw_uid, pw.pw_gid)
    prefix = ["runuser", "-u", user, "--"] if user else []
    subprocess.run(
        [*prefix, str(PLAIN_PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *prefix,
            str(PLAIN_PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(data / "log"),
            "-o",
            f"-h '' -k {sock}",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@/postgres?host={sock}"
    finally:
        subprocess.run(
            [*prefix, str(PLAIN_PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-m", "fast", "stop"], capture_output=True
        )


def test_database_without_pgvector(plain_postgres: str) -> None:
    settings = load_settings(database_url=plain_postgres)
    with pytest.raises(StorageError, match="no 'vector' extension"):
        Database.from_settings(settings)


def test_data_dir_not_writable(tmp_path: Path) -> None:
    base = tmp_path / "file-not-dir"
    base.write_text("x")
    settings = load_settings(data_dir=base / "sub")
    with pytest.raises(StorageError, match="not writable"):
        Database.from_settings(settings)
    assert os.path.isfile(base)
