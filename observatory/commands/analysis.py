"""``observatory embed``, ``cluster``, ``similar`` and ``report``: the analysis stage from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the ``observatory`` app."""

    @app.command("embed")
    def embed() -> None:
        """Embed canonical skills not yet embedded by the configured model (vectors in pgvector)."""
        from observatory.commands import database, settings_or_exit
        from observatory.config import ConfigurationError
        from observatory.embeddings import embed_skills

        settings = settings_or_exit()
        with (
            database() as db,
            Progress(
                TextColumn("embedding skills"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
            ) as progress,
        ):
            task = progress.add_task("embed", total=None)
            try:
                stats = embed_skills(
                    db, settings, progress=lambda done, total: progress.update(task, completed=done, total=total)
                )
            except ConfigurationError as exc:
                raise _fail(str(exc), 2) from None
        note = " (offline fallback)" if stats.fallback else ""
        console.print(
            f"model [bold]{stats.model}[/]{note}: {stats.skills} skills, {stats.encoded} encoded, "
            f"{stats.cached} already embedded, {stats.per_second:.0f} skills/s"
        )

    @app.command("cluster")
    def cluster(
        force: Annotated[bool, typer.Option(help="Re-cluster everything even if few skills are new.")] = False,
    ) -> None:
        """Cluster the skill vectors (UMAP + HDBSCAN) and store a new analysis run."""
        from observatory.analysis.clusters import cluster_skills
        from observatory.commands import database, settings_or_exit

        settings = settings_or_exit()
        with database() as db:
            try:
                result = cluster_skills(db, settings, force=force)
            except ValueError as exc:
                raise _fail(str(exc)) from None
        console.print(
            f"run {result.run_id} ({result.mode}): {result.skills} skills, {result.clusters} clusters, "
            f"{result.noise_share:.0%} noise in {result.seconds:.1f} s"
        )
        if "reason" in result.metrics:
            console.print(f"[yellow]{result.metrics['reason']}[/]")
        table = Table("cluster", "size", "label")
        for c in sorted(result.labels, key=lambda c: -c.size)[:20]:
            table.add_row(str(c.cluster), str(c.size), c.label)
        if result.labels:
            console.print(table)

    @app.command("similar")
    def similar(
        query: Annotated[str, typer.Argument(help='Any text, e.g. "análisis de datos".')],
        k: Annotated[int, typer.Option("-k", "--top", min=1, max=200, help="How many skills to show.")] = 10,
    ) -> None:
        """The skills nearest to a text in the embedding space (kNN through pgvector's HNSW index)."""
        from observatory.commands import database, settings_or_exit
        from observatory.embeddings import similar_skills

        settings = settings_or_exit()
        with database() as db:
            try:
                hits = similar_skills(db, settings, query, k=k)
            except ValueError as exc:
                raise _fail(str(exc)) from None
        if not hits:
            raise _fail("no skill embeddings for the configured model: run `observatory embed` first")
        table = Table("skill id", "skill", "similarity")
        for hit in hits:
            table.add_row(hit.skill_id, hit.name, f"{hit.similarity:.3f}")
        console.print(table)

    @app.command("report")
    def report(
        country: Annotated[
            str | None, typer.Option(help="Country code, e.g. co (default: all countries together).")
        ] = None,
        period: Annotated[str | None, typer.Option(help="Month, e.g. 2026-10 (default: the latest).")] = None,
        out: Annotated[Path | None, typer.Option(help="Base folder (default: <data_dir>/reports).")] = None,
        language: Annotated[
            str | None, typer.Option("--language", "--lang", help="es or en (default: OBSERVATORY_REPORT_LANGUAGE).")
        ] = None,
        pdf: Annotated[bool, typer.Option(help="Also render the PDF.")] = True,
    ) -> None:
        """Write the HTML, PDF and CSV/Parquet report of a country and month."""
        from datetime import UTC, datetime

        from rich.markup import escape

        from observatory.analysis.queries import check_period
        from observatory.analysis.trends import months_with_postings
        from observatory.commands import database
        from observatory.config import ConfigurationError, get_settings, requested_report_language
        from observatory.reporting import build_report
        from observatory.reporting.charts import format_number
        from observatory.reporting.i18n import error_text, fill, texts
        from observatory.reporting.report import check_report_folder
        from observatory.sources import SOURCES

        # Settings first (no database yet): the errors, like the report, speak the report's language, even
        # those of settings that cannot be read (then the language asked for is read on its own).
        try:
            settings = get_settings()
        except ConfigurationError as exc:
            wanted = language if language in ("es", "en") else requested_report_language()
            raise _fail(escape(error_text(exc, wanted)), 2) from None
        t = texts(language if language in ("es", "en") else settings.report_language)
        # Nonsense is refused before the database starts.
        if language is not None and language not in ("es", "en"):
            raise _fail(fill(t["error_bad_language"], language=escape(language)))
        countries = sorted({s.country for s in SOURCES.values()})
        if country is not None:
            country = country.strip().lower()
            if country not in countries:
                raise _fail(fill(t["error_unknown_country"], country=escape(country), known=", ".join(countries)))
        try:
            check_period(period)
        except ValueError:
            raise _fail(fill(t["error_bad_period"], period=escape(str(period)))) from None
        this_month = datetime.now(UTC).strftime("%Y-%m")
        if period is not None and period > this_month:
            raise _fail(fill(t["error_future_period"], period=period, this_month=this_month))
        where = fill(t["where_country"], country=country) if country else t["where_any"]
        report_language = language or settings.report_language
        try:
            check_report_folder(out or settings.data_dir / "reports")
        except ValueError as exc:
            raise _fail(escape(error_text(exc, report_language))) from None
        with database() as db:
            months = months_with_postings(db, country)
            if not months:
                raise _fail(fill(t["error_no_postings"], where=where))
            if period is not None and period not in months:
                listed = ", ".join(sorted(months)[-12:])
                raise _fail(fill(t["error_no_period"], where=where, period=period, months=listed))
            try:
                paths = build_report(
                    db, settings, country=country, period=period, out_dir=out, language=language, pdf=pdf
                )
            except (ValueError, ConfigurationError, OSError) as exc:
                raise _fail(escape(error_text(exc, report_language))) from None

        # The warnings are the report's own, in its language (its "Observaciones"), prefix included.
        for note in paths.notes:
            err_console.print(f"[yellow]{t['warning']}:[/] {note}", highlight=False)
        seconds = format_number(paths.seconds, report_language, 1)
        console.print(fill(t["report_written"], seconds=seconds, folder=f"[bold]{paths.folder}[/]"))
        console.print(f"  HTML: {paths.html}")
        if paths.pdf:
            console.print(f"  PDF:  {paths.pdf}")
        console.print("  " + fill(t["data_written"], n=len(paths.data), folder=paths.folder / "data"))
