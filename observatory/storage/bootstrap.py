"""Open the database ready for work: connect or start, migrate, and mirror the source registry."""

from __future__ import annotations

from sqlalchemy import select

from observatory.config import Settings
from observatory.sources import SOURCES
from observatory.storage.database import Database
from observatory.storage.identity import database_identity
from observatory.storage.migrate import upgrade
from observatory.storage.models import SourceRow
from observatory.storage.upsert import upsert


def sync_sources(db: Database) -> int:
    """Upsert the registered sources that the ``sources`` table lacks or holds otherwise; returns how many."""
    rows = [
        {
            "key": s.key,
            "country": s.country,
            "portal": s.portal,
            "base_url": s.base_url,
            "timezone": s.timezone,
            "currency": s.currency,
        }
        for s in SOURCES.values()
    ]
    columns = (SourceRow.key, SourceRow.country, SourceRow.portal, SourceRow.base_url, SourceRow.timezone,
               SourceRow.currency)  # fmt: skip
    with db.session() as session:
        stored = {tuple(row) for row in session.execute(select(*columns))}
        # Only rows that differ are written: a read-only role opens a database whose sources are in sync.
        changed = [row for row in rows if tuple(row.values()) not in stored]
        return upsert(session, SourceRow, changed, conflict=["key"]) if changed else 0


def open_database(settings: Settings, migrate: bool = True) -> Database:
    """Connect (starting the embedded server if configured), migrate to head, sync sources."""
    db = Database.from_settings(settings)
    if migrate:
        upgrade(db)
        sync_sources(db)
        database_identity(db)  # made if absent (after a TRUNCATE too): a read-only role then only reads it
    return db
