"""The pipeline commands: ``ui``, ``demo``, ``materialize``, ``assets`` and ``ingest``.

All of them run or read the real asset graph on the project's Dagster instance (runs and events stored in the
project's PostgreSQL), so the UI and the command line always agree.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from observatory.commands import console, database, err_console, exclusive, fail, one_line, settings_or_exit


def _print_run(summary: Any) -> None:
    for asset, count in sorted(summary.materialized.items()):
        meta = summary.metadata.get(asset, {})
        shown = ", ".join(f"{k} {v}" for k, v in meta.items() if isinstance(v, int | float | str) and len(str(v)) < 40)[
            :200
        ]
        console.print(f"  [bold]{asset}[/] {count} partition(s) · {shown}")
    for check, passed in sorted(summary.checks.items()):
        console.print(f"  check {check}: {'[green]passed[/]' if passed else '[red]failed[/]'}")
    for failure in summary.failures:
        err_console.print(f"  [red]failed[/] {escape(' '.join(failure.split())[:500])}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the pipeline commands to the ``observatory`` app."""

    @app.command("ui")
    def ui(
        port: Annotated[int, typer.Option(help="Port of the web UI.")] = 3000,
        host: Annotated[str, typer.Option(help="Address to bind; keep 127.0.0.1 unless behind a proxy.")] = "127.0.0.1",
    ) -> None:
        """Start the Dagster UI and daemon on the configured database (embedded by default)."""
        from observatory.commands.lifecycle import (
            PortInUseError,
            check_port_free,
            forget_children,
            record_children,
            spawn_child,
            stop_children,
            wait_for_http,
        )
        from observatory.defs.runs import PROJECT_ROOT, dagster_environment, project_instance

        settings = settings_or_exit()
        try:
            check_port_free(host, port)
        except PortInUseError as exc:
            raise fail(str(exc)) from None
        with database() as db:
            with project_instance(settings, db.url):
                pass  # opening it marks failed the runs a killed process left in progress
            env = dagster_environment(settings, db.url)
            workspace = str(PROJECT_ROOT / "workspace.yaml")
            bin_dir = Path(sys.executable).parent
            procs = []
            try:
                daemon = spawn_child([str(bin_dir / "dagster-daemon"), "run", "-w", workspace], env=env)
                procs.append(daemon)
                webserver = spawn_child(
                    [str(bin_dir / "dagster-webserver"), "-h", host, "-p", str(port), "-w", workspace], env=env
                )
                procs.append(webserver)
                record_children(settings.data_dir, procs)
                url = f"http://{host}:{port}"
                with console.status(f"starting the Dagster UI on {url} …"):
                    ready = wait_for_http(f"{url}/server_info", alive=lambda: all(p.poll() is None for p in procs))
                if not ready:
                    code = webserver.poll()
                    raise fail(
                        f"the Dagster UI did not start on {url} (webserver exit code {code}); see the messages above"
                    )
                console.print(f"ready: Dagster UI on [bold]{url}[/] (Ctrl-C or SIGTERM to stop)", highlight=False)
                console.print(
                    "On by default: new_scrape_sensor (landing folder), the automation sensor (eager assets). "
                    "Off until you turn them on in the UI (Automation tab): raw_postings_schedule (daily crawl of "
                    "the live portals) and the monthly report schedule."
                )
                while all(p.poll() is None for p in procs):
                    time.sleep(0.5)
                names = {daemon.pid: "dagster-daemon", webserver.pid: "dagster-webserver"}
                failed = [p for p in procs if p.poll()]
                if failed:
                    raise fail(f"{names[failed[0].pid]} stopped with exit code {failed[0].returncode}")
            finally:
                stop_children(procs)
                forget_children(settings.data_dir)

    @app.command("demo")
    def demo() -> None:
        """Materialise the whole asset graph offline on the bundled snapshot and say what each stage did."""
        from observatory.demo import DemoError, run_demo
        from observatory.storage import StorageError

        settings = settings_or_exit()
        with exclusive(settings, "demo"), database() as db:
            try:
                run_demo(db, settings, console=console)
            except (StorageError, DemoError) as exc:
                raise fail(str(exc)) from None

    @app.command("materialize")
    def materialize(
        selection: Annotated[
            str, typer.Argument(help="Assets: names separated by commas, or Dagster selection syntax (raw_postings+).")
        ],
        partition: Annotated[
            str | None, typer.Option(help="One partition: a day/month (with --source) or a full key 2026-10-01|co-…")
        ] = None,
        first: Annotated[
            str | None,
            typer.Option("--from", help="First day (YYYY-MM-DD) or month (YYYY-MM) of a range run as one run."),
        ] = None,
        last: Annotated[
            str | None,
            typer.Option("--to", help="Last day or month of the range (default: the newest partition)."),
        ] = None,
        source: Annotated[
            str | None, typer.Option(help="Source key (or scope) of the partitions (a range: default all).")
        ] = None,
        snapshot: Annotated[bool, typer.Option(help="Crawl the bundled offline snapshot, not the portals.")] = False,
    ) -> None:
        """Materialise assets in one run on the project's Dagster instance, with progress and a summary."""
        from observatory.definitions import build_definitions
        from observatory.defs.resources import SnapshotCrawler
        from observatory.defs.runs import PartitionChoiceError, choose_partitions, project_instance, run_assets

        settings = settings_or_exit()
        names = [s.strip() for s in selection.split(",")] if "," in selection else selection
        defs = build_definitions(crawler=SnapshotCrawler() if snapshot else None)
        try:
            key, span, note = choose_partitions(defs, names, partition=partition, first=first, last=last, source=source)
        except PartitionChoiceError as exc:
            raise fail(str(exc), 2) from None
        if note:
            err_console.print(f"note: {note}", highlight=False, markup=False)
        with (
            database() as db,
            project_instance(settings, db.url) as instance,
            console.status(f"materialising {selection} …"),
        ):
            try:
                summary = run_assets(defs, instance, names, partition_key=key, partition_range=span)
            except Exception as exc:  # a bad selection or partition key: Dagster's message, no traceback
                raise fail(one_line(exc), 2) from None
        console.print(f"run {summary.run_id}: {'[green]success[/]' if summary.success else '[red]failure[/]'}")
        _print_run(summary)
        if not summary.success:
            raise typer.Exit(1)

    @app.command("assets")
    def assets(
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON document: every asset, its partitions, last run, checks.")
        ] = False,
    ) -> None:
        """Each asset: partitions materialised / missing / failed, the last run, and its checks."""
        from observatory.definitions import build_definitions
        from observatory.defs.runs import asset_status, project_instance

        settings = settings_or_exit()
        defs = build_definitions()
        with database() as db, project_instance(settings, db.url) as instance:
            rows = asset_status(defs, instance)
        if as_json:
            shown = ("asset", "partitioned", "partitions", "materialised", "missing", "failed")
            document = [
                {k: row[k] for k in shown}
                | {"partitions": row["partitions"] if row["partitioned"] else None}
                | {"last_materialisation": row["last_materialisation"], "last_run": row["last_run"]}
                | {"checks": row["check_results"]}
                for row in rows
            ]
            sys.stdout.write(json.dumps({"assets": document}, ensure_ascii=False, indent=2) + "\n")
            return
        columns = {"asset": "asset", "partitions": "partitions", "materialised": "materialised", "missing": "missing"}
        columns |= {"failed": "failed", "last": "last materialisation", "checks": "checks"}
        table = Table(*columns.values())
        for row in rows:
            table.add_row(*(str(row[k]) for k in columns))
        # Piped or redirected, rich would fit the table to 80 columns and cut the names: print it at full width.
        out = console if console.is_terminal else Console(width=100_000, no_color=True, highlight=False)
        out.print(table)

    @app.command("ingest")
    def ingest(
        file: Annotated[Path, typer.Argument(help="Postings export: JSON lines, CSV or a JSON dump (optionally .gz).")],
        source: Annotated[
            str | None, typer.Option(help="Source key of the postings, e.g. ar-bumeran (or use --source-column).")
        ] = None,
        fmt: Annotated[
            str | None, typer.Option("--format", help="jsonl, csv or json (default: from the name).")
        ] = None,
        field_map: Annotated[
            list[str] | None, typer.Option("--map", help="field=column (or a {column} template); repeatable.")
        ] = None,
        default_date: Annotated[
            str | None,
            typer.Option(
                help="Day of undated rows (YYYY-MM-DD, or 'today'): the export's date. Without it, a file with "
                "undated rows is refused unless it states its own export date."
            ),
        ] = None,
        source_column: Annotated[
            str | None, typer.Option(help="Column naming each row's source in a mixed file (with --source-map).")
        ] = None,
        source_map: Annotated[
            list[str] | None, typer.Option(help="value=source for --source-column, e.g. zonajobs=ar-zonajobs.")
        ] = None,
    ) -> None:
        """Validate and load a postings file, record its raw_postings partitions, extract them in one run per source."""
        from observatory.definitions import build_definitions
        from observatory.defs.runs import project_instance, run_assets
        from observatory.defs.scraping import landed_partitions, partition_days
        from observatory.scraping.ingest import (
            EARLIEST_DATE,
            IngestError,
            ingest_file,
            parse_field_map,
            parse_source_map,
        )
        from observatory.sources import UnknownSourceError, get_source

        settings = settings_or_exit()
        if fmt not in (None, "jsonl", "csv", "json"):
            raise fail(f"--format {fmt!r}: accepted jsonl, csv, json", 2)
        if (source is None) == (source_column is None) or bool(source_map) != bool(source_column):
            raise fail("give --source KEY, or --source-column COLUMN with --source-map value=KEY (repeatable)", 2)
        try:
            if source:
                get_source(source)
            mapping = parse_field_map(field_map or [])
            sources = parse_source_map(source_map or [])
            day = None
            if default_date:
                day = datetime.now(UTC).date() if default_date == "today" else date.fromisoformat(default_date)
        except (UnknownSourceError, IngestError) as exc:
            raise fail(str(exc), 2) from None
        except ValueError:
            raise fail(f"--default-date {default_date!r}: expected YYYY-MM-DD or today", 2) from None
        started = time.perf_counter()
        with database() as db:
            with console.status(f"validating and loading {file.name} …"):
                try:
                    report = ingest_file(
                        db, file, source, fmt=fmt, field_map=mapping, default_date=day,  # type: ignore[arg-type]
                        source_column=source_column, source_map=sources,
                    )  # fmt: skip
                except IngestError as exc:
                    raise fail(str(exc), 2) from None
            if report.rows == 0:
                raise fail(f"{file.name} holds no rows: nothing loaded, no run recorded", 1)
            unit = report.unit
            for reason, count in report.reasons.most_common():
                lines = ", ".join(map(str, report.lines[reason])) + ("…" if count > len(report.lines[reason]) else "")
                console.print(f"  rejected {count}: {reason} ({unit}s {lines})", highlight=False)
            for reason, count in report.flags.most_common():
                lines = ", ".join(map(str, report.flag_lines[reason]))
                more = "…" if count > len(report.flag_lines[reason]) else ""
                console.print(f"  loaded, flagged {count}: {reason} ({unit}s {lines}{more})", highlight=False)
            bad_utf8 = sum(n for reason, n in report.reasons.items() if reason.startswith("invalid UTF-8"))
            if bad_utf8 * 2 > report.rows:
                console.print("  most rows are not UTF-8: convert the file first, e.g. iconv -f latin1 -t utf-8")
            if report.repeated:
                console.print(
                    f"  {report.repeated} repeated rows: the same posting id again, the last one kept "
                    f"({report.repeated_text()})",
                    highlight=False,
                )
            if report.undated:
                console.print(f"  {report.undated} undated rows given the day {report.undated_day}")
            if not report.loads:
                raise fail(f"no valid row in {file.name} ({report.rejected} rejected): nothing loaded", 1)
            for key, stats in report.loads.items():
                console.print(
                    f"[bold]loaded[/] {key}: {stats.received} rows: {stats.new} new, {stats.updated} updated, "
                    f"{stats.unchanged} unchanged, {stats.duplicates} near-duplicates"
                )
            # The file's rows once, split by source: each source line above counts only its own rows.
            split = ", ".join(f"{stats.received} {key}" for key, stats in report.loads.items())
            console.print(f"file {file.name}: {report.rows} rows: {split}, {report.rejected} rejected", highlight=False)
            runs = []
            with project_instance(settings, db.url) as instance:
                for key, stats in report.loads.items():
                    inside, outside = partition_days(stats)
                    early = {d: n for d, n in outside.items() if d < str(settings.partitions_start)}
                    if early:
                        advice = (
                            f" To include them: OBSERVATORY_PARTITIONS_START={min(early)} observatory ingest … (again)"
                            if min(early) >= EARLIEST_DATE.isoformat()
                            else ""
                        )
                        console.print(
                            f"[yellow]warning[/]: {sum(early.values())} postings of {key} dated "
                            f"{min(early)}..{max(early)} fall before the first partition day "
                            f"{settings.partitions_start}: stored, but not extracted or analysed.{advice}"
                        )
                    if len(early) < len(outside):
                        late = sum(outside.values()) - sum(early.values())
                        console.print(f"[yellow]warning[/]: {late} postings of {key} dated after today")
                    if not inside:
                        continue
                    events, tags = landed_partitions(key, stats, str(file))
                    for event in events:
                        instance.report_runless_asset_event(event)
                    span = (tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"])
                    with console.status(f"extracting {len(inside)} days of {key} in one run …"):
                        summary = run_assets(build_definitions(), instance, ["extracted_skills"], partition_range=span)
                    runs.append(summary)
                    console.print(
                        f"[bold]raw_postings[/] {key}: {len(events)} partitions ({min(inside)}..{max(inside)}); "
                        f"extraction run {summary.run_id}: "
                        f"{'[green]success[/]' if summary.success else '[red]failure[/]'}"
                    )
                    _print_run(summary)
        if not runs:
            raise fail("no posting falls inside the partitions: nothing to extract", 1)
        console.print(
            f"ingest finished in {time.perf_counter() - started:.1f} s, {len(runs)} run(s) "
            f"({datetime.now(UTC):%H:%M} UTC)"
        )
        if not all(summary.success for summary in runs):
            raise typer.Exit(1)
