"""``observatory esco``: import the ESCO CSV download, show what is loaded, search skills (database or ESCO API)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from observatory.skills.esco_api import DEFAULT_BASE_URL

console = Console()
err_console = Console(stderr=True)

esco_app = typer.Typer(help="The ESCO skills taxonomy: import, status and search.", no_args_is_help=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@esco_app.command("import")
def esco_import(
    path: Annotated[Path, typer.Argument(help="Folder of the ESCO CSV download (e.g. …/esco/v1.2).")],
    version: Annotated[
        str | None, typer.Option("--version", help="ESCO release, e.g. v1.2 (default: from the folder name).")
    ] = None,
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="Languages to import (repeat; default es, en).")
    ] = None,
) -> None:
    """Import (or re-import) an ESCO CSV download into the database, all or nothing."""
    from observatory.commands import database
    from observatory.skills.esco import EscoError, import_esco

    langs = tuple(lang) if lang else ("es", "en")
    with (
        database() as db,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,.0f} rows"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("reading ESCO files", total=None)

        def step(what: str, rows: int) -> None:
            progress.update(task, description=what, advance=rows)

        try:
            report = import_esco(db, path, version=version, langs=langs, progress=step)
        except EscoError as exc:
            raise _fail(f"{exc}; nothing was imported") from None
    table = Table("table", "rows upserted", title=f"ESCO {report.version} from {report.directory}")
    for name, rows in report.rows.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    console.print(f"read {len(report.files)} files in {report.seconds:.1f} s: {', '.join(report.files)}")
    if report.skipped:
        console.print(f"[yellow]not used:[/] {', '.join(report.skipped)}")


@esco_app.command("status")
def esco_status_command() -> None:
    """Rows per ESCO table and release."""
    from observatory.commands import database
    from observatory.skills.esco import esco_status

    with database() as db:
        status = esco_status(db)
    table = Table("table", "release", "rows")
    for name, versions in status.items():
        if not versions:
            table.add_row(name, "-", "0")
        for version, rows in sorted(versions.items()):
            table.add_row(name, version, f"{rows:,}")
    console.print(table)
    if not status.get("esco_skills"):
        console.print("no ESCO skills yet: run [bold]observatory esco import PATH[/]")


@esco_app.command("search")
def esco_search(
    text: Annotated[str, typer.Argument(help="Words to look for in skill labels.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the labels: es or en.")] = "es",
    limit: Annotated[int, typer.Option(help="At most this many results.", min=1)] = 20,
    api: Annotated[bool, typer.Option("--api", help="Ask the public ESCO REST API instead of the database.")] = False,
    api_base: Annotated[
        str, typer.Option(envvar="OBSERVATORY_ESCO_API_BASE", help="Base URL of the ESCO API.")
    ] = DEFAULT_BASE_URL,
) -> None:
    """Find ESCO skills whose preferred or alternative label contains TEXT."""
    if lang not in ("es", "en"):
        raise _fail(f"--lang must be es or en, not {lang!r}", 2)
    if api:
        _search_api(text, lang, limit, api_base)
    else:
        _search_db(text, lang, limit)


def _search_db(text: str, lang: str, limit: int) -> None:
    from sqlalchemy import String, case, cast, func, or_, select

    from observatory.commands import database
    from observatory.storage.models import EscoSkill

    label = EscoSkill.label_es if lang == "es" else EscoSkill.label_en
    alt = EscoSkill.alt_labels_es if lang == "es" else EscoSkill.alt_labels_en
    # ILIKE wildcards typed by the user are matched literally.
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    stmt = (
        select(EscoSkill.uri, label, EscoSkill.skill_type, EscoSkill.collections)
        .where(or_(label.ilike(pattern), cast(alt, String).ilike(pattern)))
        # Preferred-label matches first, then the shortest (closest) labels.
        .order_by(case((label.ilike(pattern), 0), else_=1), func.length(label), label)
        .limit(limit)
    )
    with database() as db, db.session() as session:
        rows = session.execute(stmt).all()
    if not rows:
        console.print(f"no ESCO skill label in {lang} contains {text!r} (is ESCO imported? `observatory esco status`)")
        return
    table = Table("label", "type", "collections", title=f"ESCO skills matching {text!r} ({lang})")
    table.add_column("uri", overflow="fold")  # a URI is useful only whole
    for uri, name, skill_type, collections in rows:
        table.add_row(name or "", skill_type or "", ", ".join(collections or []), uri)
    console.print(table)


def _search_api(text: str, lang: str, limit: int, base_url: str) -> None:
    from observatory.commands import settings_or_exit
    from observatory.skills.esco_api import EscoApiClient, EscoApiError, ResponseCache

    # Answers are kept a week in the data directory: repeated searches do not hit the public API again.
    cache = ResponseCache(settings_or_exit().data_dir / "esco-api-cache", ttl=7 * 24 * 3600)
    table = Table("label", title=f"ESCO API: skills matching {text!r} ({lang})")
    table.add_column("uri", overflow="fold")
    try:
        with EscoApiClient(base_url, cache=cache) as client:
            for hit in client.search(text, type="skill", language=lang, limit=min(limit, 100), max_results=limit):
                table.add_row(hit.preferred_label.get(lang) or hit.title, hit.uri)
    except EscoApiError as exc:
        raise _fail(str(exc)) from None
    if not table.rows:
        console.print(f"the ESCO API has no skill matching {text!r} in {lang}")
        return
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``esco`` command group to the main app."""
    app.add_typer(esco_app, name="esco")
