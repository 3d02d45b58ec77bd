"""The identity of a database: a random id kept in ``database_identity``, new for each database.

Files computed from the database (the stored demand under ``<data_dir>/demand``) record the id they came from.
Removing the embedded data folder, pointing at another server, emptying the tables or restoring a backup gives
the database a new id, and those files are then known to be another database's.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text

from observatory.storage.database import Database


def database_identity(db: Database) -> str:
    """This database's id, created on first use (a database emptied by TRUNCATE gets a new one)."""
    with db.engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM database_identity WHERE singleton")).scalar()
    if found is not None:
        return str(found)
    with db.engine.begin() as conn:
        # Two processes asking at once: the first insert wins and both read the same row back.
        conn.execute(
            text("INSERT INTO database_identity (singleton, id) VALUES (true, :id) ON CONFLICT (singleton) DO NOTHING"),
            {"id": str(uuid.uuid4())},
        )
        return str(conn.execute(text("SELECT id FROM database_identity WHERE singleton")).scalar_one())


def renew_database_identity(db: Database) -> None:
    """Give the database a new id (after a restore: its contents are no longer what derived files were made of).

    Only an existing row changes: a database without one gets its id on first use, and the row counts of a
    restored database stay those of the backup.
    """
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE database_identity SET id = :id, created_at = now() WHERE singleton"),
            {"id": str(uuid.uuid4())},
        )
