"""Dagster resources: the database, configured from the environment like the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import PrivateAttr

from observatory.config import Settings, load_settings
from observatory.storage import Database
from observatory.storage.bootstrap import open_database


class ObservatoryDatabase(dg.ConfigurableResource):
    """PostgreSQL + pgvector: ``database_url`` (external) or the embedded server in ``data_dir``."""

    database_url: str | None = None
    data_dir: str | None = None

    _db: Database | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        overrides: dict[str, Any] = {}
        if self.database_url:
            overrides["database_url"] = self.database_url
        if self.data_dir:
            overrides["data_dir"] = Path(self.data_dir)
        return load_settings(**overrides)

    def get(self) -> Database:
        """The open, migrated database (opened once per run process)."""
        if self._db is None:
            self._db = open_database(self.settings())
        return self._db

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def default_resources() -> dict[str, Any]:
    """Resources wired from ``OBSERVATORY_*`` environment variables."""
    return {
        "database": ObservatoryDatabase(
            database_url=dg.EnvVar("OBSERVATORY_DATABASE_URL").get_value() or None,
            data_dir=dg.EnvVar("OBSERVATORY_DATA_DIR").get_value() or None,
        )
    }
