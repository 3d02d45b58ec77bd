"""Open the database ready for work: connect or start, migrate, and mirror the source registry."""

from __future__ import annotations

from observatory.config import Settings
from observatory.sources import SOURCES
from observatory.storage.database import Database
from observatory.storage.identity import ensure_database_identity
from observatory.storage.migrate import upgrade
from observatory.storage.models import SourceRow
from observatory.storage.upsert import upsert


def sync_sources(db: Database) -> int:
    """Upsert every registered source into the ``sources`` table."""
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
    with db.session() as session:
        return upsert(session, SourceRow, rows, conflict=["key"])


def open_database(settings: Settings, migrate: bool = True) -> Database:
    """Connect (starting the embedded server if configured), migrate to head, sync sources."""
    db = Database.from_settings(settings)
    if migrate:
        upgrade(db)
        sync_sources(db)
        ensure_database_identity(db)  # after a TRUNCATE too: a read-only role then reads it, never writes it
    return db
