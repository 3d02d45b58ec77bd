"""Fixtures for crawls of the bundled snapshot on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from observatory.config import Settings
from observatory.scraping.runner import CrawlResult, fast_test_overrides, run_crawl
from observatory.scraping.snapshot import SnapshotServer


@pytest.fixture()
def crawl(settings: Settings, tmp_path: Path) -> Callable[..., CrawlResult]:
    """Run a real crawl (child process) of one source of a snapshot server, with test-speed settings."""
    counter = iter(range(1000))

    def run(snapshot: SnapshotServer, source: str, **kwargs: Any) -> CrawlResult:
        overrides = {**fast_test_overrides(), **kwargs.pop("overrides", {})}
        return run_crawl(
            source,
            base_url=snapshot.base_url(source),
            output=tmp_path / f"{source}-{next(counter)}.jsonl",
            settings=settings,
            max_pages=kwargs.pop("max_pages", 10),
            overrides=overrides,
            timeout_s=120,
            **kwargs,
        )

    return run
