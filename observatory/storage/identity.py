"""The identity of a database: a random id kept in ``database_identity``, new for each database.

Files computed from the database (the stored demand under ``<data_dir>/demand``) record the id they came from.
Removing the embedded data folder, pointing at another server, emptying the tables or restoring a backup gives
the database a new id, and those files are then known to be another database's.

Migration 0008 and every migrating start (:func:`observatory.storage.bootstrap.open_database`) create the row, so
that a read-only role (an analyst's login, a reporting replica) reads it without writing; only a database emptied
since (TRUNCATE) lacks it, and a role that may write then creates it on first use.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from observatory.storage.database import Database, StorageError

# SQLSTATEs of a role or session that may not write: insufficient_privilege, read_only_sql_transaction.
_CANNOT_WRITE = ("42501", "25006")


def database_identity(db: Database) -> str:
    """This database's id; a database without one (emptied by TRUNCATE) gets one, if this role may write it."""
    with db.engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM database_identity WHERE singleton")).scalar()
    if found is not None:
        return str(found)
    try:
        return ensure_database_identity(db)
    except DBAPIError as exc:
        if getattr(exc.orig, "pgcode", None) not in _CANNOT_WRITE:
            raise
        raise StorageError(
            f"the database at {db.safe_url} has no identity row (table database_identity) and this role may not "
            "write it: run `observatory db upgrade` once with a role that may write (it creates the row)"
        ) from None


def ensure_database_identity(db: Database) -> str:
    """Create the identity row when absent (the database's first start, or after TRUNCATE) and return the id."""
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
