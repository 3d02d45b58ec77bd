"""Run one crawl in a child process (``python -m observatory.scraping.child crawl …``) and collect its items and report.

Twisted's reactor cannot be restarted inside one process, so a crawl never runs inside the caller
(a Dagster asset, a test session, the CLI): each call starts ``scrapy`` afresh. The child dies with its
parent, gets secrets (proxy credentials) through its environment rather than its command line, and a crawl
that fetched nothing usable raises :class:`CrawlError` with the reason (DNS, refused, robots.txt, ban, …).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from observatory.config import Settings
from observatory.scraping.child import PARENT_PID_ENV
from observatory.scraping.extensions import FAILED_EXIT_CODE
from observatory.scraping.settings import PROXIES_ENV, crawl_secrets, scrapy_settings
from observatory.sources import get_source

PROJECT_ROOT = Path(__file__).resolve().parents[2]


# Settings that may carry credentials: moved from ``overrides`` to the child's environment, never its argv.
_SECRET_SETTINGS = {"OBSERVATORY_PROXIES": PROXIES_ENV}


class CrawlError(RuntimeError):
    """A crawl that did not finish or fetched nothing usable.

    ``reason`` is one line for metadata and exit messages; ``result`` is the crawl's report when the crawl ran
    to its end (a ban, an unreachable host) but must not count as a success.
    """

    def __init__(self, message: str, *, reason: str | None = None, result: CrawlResult | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message.splitlines()[0][:300]
        self.result = result


@dataclass
class CrawlResult:
    """Where a crawl wrote its postings and what its report says."""

    source_key: str
    output: Path
    stats_path: Path
    log_path: Path
    summary: dict[str, Any] = field(default_factory=dict)
    invalid_postings: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def items(self) -> int:
        return int(self.summary.get("items", 0))

    @property
    def pages(self) -> int:
        return int(self.summary.get("pages", 0))

    @property
    def ok(self) -> bool:
        """Whether the crawl fetched something usable (see ``observatory.scraping.extensions.crawl_outcome``)."""
        return bool((self.summary.get("outcome") or {}).get("ok", True))

    @property
    def failure_reason(self) -> str | None:
        return None if self.ok else (self.summary.get("outcome") or {}).get("reason")

    def postings(self) -> Iterator[dict[str, Any]]:
        """The normalised postings, one per JSON line."""
        if not self.output.exists():
            return
        with self.output.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def _setting_args(values: Mapping[str, Any]) -> list[str]:
    args: list[str] = []
    for key, value in values.items():
        if isinstance(value, bool):
            value = "True" if value else "False"
        args += ["-s", f"{key}={value}"]
    return args


def crawl_command(
    source_key: str,
    *,
    query: str | None,
    max_pages: int,
    base_url: str | None,
    output: Path,
    stats_path: Path,
    log_path: Path,
    settings: Settings,
    since: date | None = None,
    known_ids_file: Path | None = None,
    crawl_time: datetime | None = None,
    jobdir: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    spider_args: Mapping[str, Any] | None = None,
) -> list[str]:
    """The crawl command line for one source: ``scrapy crawl``'s arguments, run by :mod:`observatory.scraping.child`.

    Secrets (proxy URLs with credentials) are left out: :func:`run_crawl` passes them in the environment.
    """
    source = get_source(source_key)
    args = [sys.executable, "-m", "observatory.scraping.child", "crawl", source.portal, "-a", f"source={source_key}"]
    args += ["-a", f"max_pages={max_pages}"]
    if query:
        args += ["-a", f"query={query}"]
    if base_url:
        args += ["-a", f"base_url={base_url}"]
    if since:
        args += ["-a", f"since={since.isoformat()}"]
    if known_ids_file:
        args += ["-a", f"known_ids_file={known_ids_file}"]
    if crawl_time:
        args += ["-a", f"crawl_time={crawl_time.isoformat()}"]
    for name, value in (spider_args or {}).items():
        args += ["-a", f"{name}={value}"]
    values: dict[str, Any] = {
        **scrapy_settings(settings.crawl),
        "OBSERVATORY_STATS_FILE": str(stats_path),
        "LOG_FILE": str(log_path),
        "LOG_FILE_APPEND": False,
    }
    if jobdir:
        values["JOBDIR"] = str(jobdir)
    values.update({k: v for k, v in (overrides or {}).items() if k not in _SECRET_SETTINGS})
    args += _setting_args(values)
    args += ["-O", f"{output}:jsonlines"]
    return args


def run_crawl(
    source_key: str,
    *,
    query: str | None = None,
    max_pages: int | None = None,
    base_url: str | None = None,
    output: Path,
    settings: Settings,
    since: date | None = None,
    known_ids: set[str] | None = None,
    crawl_time: datetime | None = None,
    resumable: bool = False,
    overrides: Mapping[str, Any] | None = None,
    spider_args: Mapping[str, Any] | None = None,
    timeout_s: float | None = None,
) -> CrawlResult:
    """Crawl ``source_key`` in a child process; postings go to ``output`` (JSON lines), the report beside it.

    ``base_url`` points the spider at a mirror (the loopback snapshot; default: the configured
    ``crawl.base_urls`` entry of the source, else the real site); ``since`` and ``known_ids`` make
    the crawl incremental; ``resumable`` keeps Scrapy's job state in the data directory so that an
    interrupted crawl continues where it stopped; ``overrides`` are extra Scrapy settings and
    ``spider_args`` extra spider arguments (``place`` for Computrabajo, ``details`` for Bumeran).
    """
    source = get_source(source_key)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    stats_path = output.with_suffix(".stats.json")
    log_path = output.with_suffix(".log")
    for stale in (stats_path, output):
        stale.unlink(missing_ok=True)
    workdir = Path(settings.data_dir) / "scrapy"
    workdir.mkdir(parents=True, exist_ok=True)
    known_ids_file = None
    if known_ids:
        known_ids_file = output.with_suffix(".known_ids.txt")
        known_ids_file.write_text("\n".join(sorted(known_ids)) + "\n", encoding="utf-8")
    jobdir = workdir / "jobs" / f"{source_key}-{(query or 'all').replace('/', '_')}" if resumable else None
    command = crawl_command(
        source.key,
        query=query,
        max_pages=max_pages or settings.crawl.max_pages,
        base_url=base_url or settings.crawl.base_urls.get(source.key),
        output=output,
        stats_path=stats_path,
        log_path=log_path,
        settings=settings,
        since=since,
        known_ids_file=known_ids_file,
        crawl_time=crawl_time,
        jobdir=jobdir,
        overrides=overrides,
        spider_args=spider_args,
    )
    env = {
        **os.environ,
        **crawl_secrets(settings.crawl),
        **{_SECRET_SETTINGS[k]: str(v) for k, v in (overrides or {}).items() if k in _SECRET_SETTINGS},
        "SCRAPY_SETTINGS_MODULE": "observatory.scraping.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        PARENT_PID_ENV: str(os.getpid()),
    }
    started = datetime.now(UTC)
    try:
        proc = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        raise CrawlError(f"crawl of {source_key} ran past {timeout_s} s") from exc
    seconds = (datetime.now(UTC) - started).total_seconds()
    if proc.returncode not in (0, FAILED_EXIT_CODE) or not stats_path.exists():
        log_tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:] if log_path.exists() else ""
        raise CrawlError(
            f"crawl of {source_key} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}\n{log_tail}".strip()
        )
    report = json.loads(stats_path.read_text(encoding="utf-8"))
    if jobdir is not None and report.get("summary", {}).get("finish_reason") == "finished":
        # A finished job's state would make the next crawl skip every page it has seen.
        shutil.rmtree(jobdir, ignore_errors=True)
    if not output.exists():
        output.touch()
    result = CrawlResult(
        source_key=source.key,
        output=output,
        stats_path=stats_path,
        log_path=log_path,
        summary=report.get("summary", {}),
        invalid_postings=report.get("invalid_postings", []),
        seconds=round(seconds, 2),
    )
    if proc.returncode == FAILED_EXIT_CODE or not result.ok:
        reason = result.failure_reason or "the crawl fetched nothing usable"
        raise CrawlError(
            f"crawl of {source_key} failed: {reason} ({result.pages} pages, {result.items} items; log {log_path})",
            reason=reason,
            result=result,
        )
    return result


def fast_test_overrides() -> dict[str, Any]:
    """Scrapy settings for crawls of the loopback snapshot: no delays, short timeouts (never for real sites)."""
    return {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY_JITTER": 0,
        "OBSERVATORY_RETRY_BACKOFF": 0,
        "DOWNLOAD_TIMEOUT": 5,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    }
