"""Dagster resources: the database and the crawler, configured from the environment like the CLI.

The crawler has two implementations behind one interface (the pattern of ``HNClient`` in Dagster's
``project_fully_featured``): :class:`PortalCrawler` crawls the real portals politely, :class:`SnapshotCrawler`
crawls the bundled offline snapshot served on 127.0.0.1. The assets never know which one runs.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import PrivateAttr

from observatory.config import Settings, load_settings
from observatory.scraping.runner import CrawlResult, fast_test_overrides, run_crawl
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


class PostingsCrawler(dg.ConfigurableResource, ABC):
    """Crawls one source into a JSON-lines file (in a child process) and returns the crawl's result."""

    @abstractmethod
    def crawl(
        self,
        source_key: str,
        *,
        output: Path,
        settings: Settings,
        since: date | None = None,
        known_ids: set[str] | None = None,
        query: str | None = None,
        max_pages: int | None = None,
    ) -> CrawlResult: ...


class PortalCrawler(PostingsCrawler):
    """The live portals (or the mirror in ``crawl.base_urls``), with the polite settings of the configuration."""

    def crawl(
        self,
        source_key: str,
        *,
        output: Path,
        settings: Settings,
        since: date | None = None,
        known_ids: set[str] | None = None,
        query: str | None = None,
        max_pages: int | None = None,
    ) -> CrawlResult:
        return run_crawl(
            source_key,
            query=query,
            max_pages=max_pages,
            output=output,
            settings=settings,
            since=since,
            known_ids=known_ids,
        )


class SnapshotCrawler(PostingsCrawler):
    """The bundled offline snapshot, served on 127.0.0.1 for the length of each crawl (no delays: it is ours)."""

    max_pages: int = 10

    def crawl(
        self,
        source_key: str,
        *,
        output: Path,
        settings: Settings,
        since: date | None = None,
        known_ids: set[str] | None = None,
        query: str | None = None,
        max_pages: int | None = None,
    ) -> CrawlResult:
        from observatory.scraping.snapshot import SNAPSHOT_SOURCES, serve_snapshot

        if source_key not in SNAPSHOT_SOURCES:
            raise dg.Failure(f"the offline snapshot has no {source_key}; it holds {', '.join(SNAPSHOT_SOURCES)}")
        with serve_snapshot((source_key,)) as snapshot:
            return run_crawl(
                source_key,
                query=query,
                max_pages=max_pages or self.max_pages,
                base_url=snapshot.base_url(source_key),
                output=output,
                settings=settings,
                since=since,
                known_ids=known_ids,
                overrides=fast_test_overrides(),
            )


def _env(name: str) -> dg.EnvVar | None:
    # Passed unresolved: Dagster reads the variable when a run starts, so its value never reaches
    # run snapshots, the event log or the UI's resource config. Unset means "use the default".
    return dg.EnvVar(name) if os.environ.get(name) else None


def database_resource() -> ObservatoryDatabase:
    """The database resource wired from ``OBSERVATORY_DATABASE_URL`` / ``OBSERVATORY_DATA_DIR``."""
    return ObservatoryDatabase(database_url=_env("OBSERVATORY_DATABASE_URL"), data_dir=_env("OBSERVATORY_DATA_DIR"))


def default_resources(crawler: PostingsCrawler | None = None) -> dict[str, Any]:
    """Resources of the code location: the configured database and the live crawler (or ``crawler``)."""
    return {"database": database_resource(), "crawler": crawler or PortalCrawler()}
