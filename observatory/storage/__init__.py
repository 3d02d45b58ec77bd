"""Storage: PostgreSQL + pgvector models, the embedded server, migrations and batch upserts."""

from observatory.storage.database import Database, EmbeddedServer, StorageError, dagster_url
from observatory.storage.migrate import current_revision, downgrade, upgrade
from observatory.storage.upsert import upsert


def posting_id(portal: str, native_id: str) -> str:
    """Stable posting id from portal and the portal's own id."""
    return f"{portal}:{native_id}"


__all__ = [
    "Database",
    "EmbeddedServer",
    "StorageError",
    "current_revision",
    "dagster_url",
    "downgrade",
    "posting_id",
    "upgrade",
    "upsert",
]
