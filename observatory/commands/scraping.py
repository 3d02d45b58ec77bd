"""``observatory scrape`` and ``observatory parse``: crawl one source, or parse one saved page."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add the scraping commands to the ``observatory`` app."""

    @app.command("scrape")
    def scrape(
        source: Annotated[str, typer.Option(help="Source key, e.g. co-computrabajo (see `observatory sources list`).")],
        query: Annotated[str | None, typer.Option(help="Search keyword; omit for all recent postings.")] = None,
        max_pages: Annotated[int | None, typer.Option(min=1, help="Listing pages to follow (default: config).")] = None,
        base_url: Annotated[str | None, typer.Option(help="Crawl a mirror (e.g. the loopback snapshot).")] = None,
        since: Annotated[
            str | None, typer.Option(help="Incremental: stop at postings older than this ISO date.")
        ] = None,
        load: Annotated[bool, typer.Option(help="Load the postings into the database.")] = True,
        output: Annotated[Path | None, typer.Option(help="JSON-lines file (default: data dir).")] = None,
    ) -> None:
        """Crawl one source politely in a child process and load its postings."""
        from observatory.commands import database, settings_or_exit
        from observatory.scraping.load import load_postings
        from observatory.scraping.runner import CrawlError, run_crawl
        from observatory.sources import UnknownSourceError, get_source

        settings = settings_or_exit()
        try:
            get_source(source)
            since_date = date.fromisoformat(since) if since else None
        except (UnknownSourceError, ValueError) as exc:
            raise _fail(str(exc), 2) from None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = output or settings.data_dir / "crawls" / source / f"{stamp}.jsonl"
        with console.status(f"crawling {source}…"):
            try:
                result = run_crawl(
                    source,
                    query=query,
                    max_pages=max_pages,
                    base_url=base_url,
                    output=target,
                    settings=settings,
                    since=since_date,
                )
            except CrawlError as exc:
                # 3: the crawl ran but fetched nothing usable (unreachable, robots.txt, banned); 1: it broke.
                raise _fail(str(exc), 3 if exc.result is not None else 1) from None
        summary = result.summary
        table = Table("crawl", "value")
        for key in ("pages", "items", "invalid", "duplicates_near", "retries", "finish_reason"):
            table.add_row(key, str(summary.get(key)))
        table.add_row("missing fields", json.dumps(summary.get("missing", {}), ensure_ascii=False))
        if summary.get("invalid_reasons"):
            table.add_row("invalid reasons", json.dumps(summary["invalid_reasons"], ensure_ascii=False))
        console.print(table)
        console.print(f"postings: {result.output} ({result.seconds} s)")
        if not load:
            return
        with database() as db:
            stats = load_postings(db, result.postings(), source, f"cli:{source}:{stamp}", crawl_summary=summary)
        console.print(
            f"loaded: [bold]{stats.new}[/] new, {stats.updated} updated, {stats.unchanged} unchanged, "
            f"{stats.duplicates} near-duplicates linked, {stats.invalid} invalid"
        )

    @app.command("parse")
    def parse(
        portal: Annotated[str, typer.Argument(help="computrabajo, bumeran or elempleo")],
        page: Annotated[str, typer.Argument(help="A saved page (listing, detail or API JSON) or an http(s) URL.")],
    ) -> None:
        """Parse one page with the portal's own spider code and print normalised postings as JSON lines."""
        from observatory.scraping.parse import ParseError, fetch, parse_page
        from observatory.sources import PORTALS

        if portal not in PORTALS:
            raise _fail(f"unknown portal {portal!r}; portals: {', '.join(PORTALS)}", 2)
        try:
            body, url = fetch(page)
            postings = parse_page(portal, body, url)
        except ParseError as exc:
            raise _fail(str(exc)) from None
        except Exception as exc:  # network errors of a URL: say what happened, no traceback
            raise _fail(f"{type(exc).__name__}: {exc}") from None
        for posting in postings:
            sys.stdout.write(json.dumps(posting, ensure_ascii=False, default=str) + "\n")
        err_console.print(f"{len(postings)} postings", highlight=False)
