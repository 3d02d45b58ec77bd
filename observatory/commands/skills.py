"""`observatory extract` (skills of any postings file) and `observatory eval` (scores on an annotated set)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from observatory.skills.esco import EscoLabel

console = Console()
err_console = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


NamesOption = Annotated[
    str | None,
    typer.Option(
        "--names",
        help="Name skills in es or en (one name per skill whatever the posting's language) or in the posting's "
        "language (source); default: the report language setting",
    ),
]
EscoDirOption = Annotated[
    Path | None, typer.Option("--esco-dir", help="Match ESCO labels of this CSV folder, not the bundled ones")
]
EscoDbOption = Annotated[
    bool, typer.Option("--esco-db", help="Match the ESCO labels imported in the DB, not the bundled ones")
]
LlmOption = Annotated[
    str | None,
    typer.Option(
        "--llm",
        help="Normalise uncertain mentions with this LLM backend (transformers or openai; model, API base and key "
        "from OBSERVATORY_LLM_*) and print rules-only and rules + LLM figures side by side",
    ),
]
VectorsOption = Annotated[
    bool,
    typer.Option(
        "--vectors",
        help="Name open-vocabulary phrases that no list names by the nearest vocabulary or ESCO label in USE "
        "vectors (slower: loads the model and encodes each new phrase once)",
    ),
]
NoEscoOption = Annotated[
    bool, typer.Option("--no-esco", help="Match the bundled vocabulary only, without the ESCO labels")
]


def _build_extractor(  # type: ignore[no-untyped-def]
    esco_dir: Path | None,
    esco_db: bool,
    keep_non_demand: bool = False,
    names: str | None = None,
    no_esco: bool = False,
    vectors: bool = False,
):
    from observatory.skills.esco import EscoError, load_esco_labels, read_esco_labels
    from observatory.skills.extractor import BUNDLED, NAME_LANGUAGES, SkillExtractor

    if names is None:
        from observatory.config import get_settings

        names = get_settings().report_language
    if names not in NAME_LANGUAGES:
        raise _fail(f"--names must be one of {', '.join(NAME_LANGUAGES)}, not {names!r}")
    labels: Iterable[EscoLabel] | str | None = None if no_esco else BUNDLED
    if esco_dir is not None:
        if not esco_dir.is_dir():
            raise _fail(f"{esco_dir}: not a folder of ESCO CSV files")
        try:
            labels = list(read_esco_labels(esco_dir))
        except (EscoError, OSError) as exc:
            raise _fail(str(exc)) from None
    elif esco_db:
        from observatory.config import get_settings
        from observatory.storage import StorageError
        from observatory.storage.bootstrap import open_database

        try:
            db = open_database(get_settings())
        except StorageError as exc:
            raise _fail(str(exc)) from None
        try:
            labels = list(load_esco_labels(db))
        finally:
            db.close()
        if not labels:
            raise _fail("the database holds no ESCO skills; run `observatory esco import` first")
    with console.status("loading the extractor…"):
        try:
            if labels is None or labels == BUNDLED:
                from observatory.skills.prebuilt import load_extractor

                extractor = load_extractor(labels is not None, keep_non_demand, names)
            else:
                extractor = SkillExtractor(esco_labels=labels, keep_non_demand=keep_non_demand, names=names)
        except EscoError as exc:
            raise _fail(str(exc)) from None
    if vectors and extractor.open_vocabulary is not None:
        extractor.open_vocabulary.use_vectors = True
    if labels is not None:
        source = "bundled release" if labels == BUNDLED else "imported labels"
        console.print(f"ESCO ({source}): {extractor.esco_label_count:,} labels usable as patterns")
    return extractor


def register(app: typer.Typer) -> None:
    """Add the skill commands to the CLI."""

    @app.command("extract")
    def extract(
        input_path: Annotated[Path, typer.Option("--input", "-i", help="Postings: .jsonl, .csv or .json (or .gz)")],
        output_path: Annotated[Path, typer.Option("--output", "-o", help="JSON lines of skills, one per posting")],
        esco_dir: EscoDirOption = None,
        esco_db: EscoDbOption = False,
        names: NamesOption = None,
        no_esco: NoEscoOption = False,
        vectors: VectorsOption = False,
        occupation: Annotated[
            bool, typer.Option("--occupation", help="Also code each posting to an ESCO occupation and ISCO-08 group")
        ] = False,
        llm: LlmOption = None,
        keep_non_demand: Annotated[
            bool, typer.Option("--keep-non-demand", help="Keep skills found in benefits and company blurbs")
        ] = False,
        batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 256,
    ) -> None:
        """Extract skills from a postings file (columns id, title, description) into JSON lines."""
        from observatory.skills.batch import PostingsFileError, count_postings, extract_file

        extractor = _build_extractor(esco_dir, esco_db, keep_non_demand, names, no_esco, vectors)
        coder = None
        if occupation:
            from observatory.skills.prebuilt import load_occupation_coder

            coder = load_occupation_coder()
        rules_stats = None
        normalising = extractor
        if llm is not None:
            normalising = _llm_extractor(extractor, llm)
            try:
                with console.status("rules only, for comparison…"):
                    rules_stats = extract_file(
                        input_path, output_path.with_name(output_path.name + ".rules"), extractor
                    )
            except PostingsFileError as exc:
                raise _fail(str(exc)) from None
            finally:
                output_path.with_name(output_path.name + ".rules").unlink(missing_ok=True)
        total = count_postings(input_path)
        columns = [TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=err_console, transient=False) as progress:
            task = progress.add_task("extract", total=total)
            try:
                stats = extract_file(
                    input_path,
                    output_path,
                    normalising,
                    batch_size=batch_size,
                    progress=lambda n: progress.advance(task, n),
                    occupations=coder,
                )
            except PostingsFileError as exc:
                raise _fail(str(exc)) from None
        per_posting = stats.mentions / stats.postings if stats.postings else 0.0
        console.print(
            f"{stats.postings:,} postings → {stats.mentions:,} skill mentions ({per_posting:.1f} per posting); "
            f"{stats.without_skills:,} without any skill; written to {output_path}"
        )
        if stats.top_skills:
            top = ", ".join(f"{name} ({count})" for name, count in stats.top_skills.most_common(10))
            console.print(f"top skills: {top}")
        if stats.oversize:
            from observatory.limits import MAX_POSTING_CHARS

            ids = ", ".join(str(i) for i in stats.oversize[:5]) + (", …" if len(stats.oversize) > 5 else "")
            err_console.print(
                f"[bold yellow]warning:[/] {len(stats.oversize):,} posting(s) longer than {MAX_POSTING_CHARS:,} "
                f'characters skipped (id {escape(ids)}); their rows have no skills and "skipped": "oversize"',
                soft_wrap=True,
            )
        if stats.oversize_lines:
            from observatory.scraping.readers import MAX_ROW_CHARS

            lines = ", ".join(map(str, stats.oversize_lines[:5])) + (", …" if len(stats.oversize_lines) > 5 else "")
            err_console.print(
                f"[bold yellow]warning:[/] {len(stats.oversize_lines):,} line(s) longer than {MAX_ROW_CHARS:,} "
                f'characters not read (line {lines}); their rows have "id": null, the line and "skipped": "oversize"',
                soft_wrap=True,
            )
        if rules_stats is not None:
            table = Table("", "mentions", "per posting", "postings without skill", "mentions with ESCO URI",
                          title="rules only vs rules + LLM")  # fmt: skip
            for label, st in (("rules only", rules_stats), (f"rules + {normalising.normaliser.llm.name}", stats)):
                table.add_row(
                    label, f"{st.mentions:,}", f"{st.mentions / max(st.postings, 1):.2f}", f"{st.without_skills:,}",
                    f"{st.with_esco_uri / max(st.mentions, 1):.1%}",
                )  # fmt: skip
            console.print(table)
            _print_llm_stats(normalising.stats)

    @app.command("eval")
    def evaluate_command(
        dev_set: Annotated[
            Path | None, typer.Option("--dev-set", help="Annotated JSON lines (default: the bundled dev set)")
        ] = None,
        esco_dir: EscoDirOption = None,
        esco_db: EscoDbOption = False,
        no_esco: NoEscoOption = False,
        vectors: VectorsOption = False,
        real: Annotated[
            bool,
            typer.Option(
                "--real",
                help="Also measure on the real postings of ../shared/postings (or OBSERVATORY_REAL_POSTINGS_DIR): "
                "employer-tag recall, postings without skills by sector, precision/recall on the reader-annotated "
                "real dev set by sector and language",
            ),
        ] = False,
        real_set: Annotated[
            str,
            typer.Option(
                "--set",
                help="With --real, the annotated real set to score: dev (the reporting set, never tuned on) or tune",
            ),
        ] = "dev",
        errors: Annotated[bool, typer.Option("--errors", help="List missed and extra skills per posting")] = False,
        calibrate: Annotated[
            bool, typer.Option("--calibrate", help="Precision per kind of evidence (the confidence table's source)")
        ] = False,
        llm: LlmOption = None,
    ) -> None:
        """Precision, recall and F1 of skill extraction on an annotated set."""
        from observatory.skills.evaluation import DEV_SET_PATH, EvaluationError, evaluate, load_annotated

        if real_set not in ("dev", "tune"):
            raise _fail(f"--set must be dev or tune, not {real_set!r}")
        if real:  # before the slow part: a missing folder is said at once, not after the dev set's evaluation
            from observatory.skills.real_postings import MissingPostingsError, shared_postings_files

            try:
                shared_postings_files(required=True)
            except MissingPostingsError as exc:
                raise _fail(str(exc)) from None
        path = dev_set or DEV_SET_PATH
        try:
            postings = load_annotated(path)
        except (EvaluationError, OSError) as exc:
            raise _fail(str(exc)) from None
        extractor = _build_extractor(esco_dir, esco_db, no_esco=no_esco, vectors=vectors)
        report = evaluate(extractor, postings)
        m = report.micro
        table = Table("postings", "precision", "recall", "F1", "macro F1", "TP", "FP", "FN", title=str(path))
        table.add_row(
            str(report.postings), f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}", f"{report.macro_f1:.3f}",
            str(m.tp), str(m.fp), str(m.fn),
        )  # fmt: skip
        console.print(table)
        reliability = Table("confidence", "skills", "observed precision", title="calibration")
        for low, high, count, precision in report.reliability:
            reliability.add_row(f"{low:.1f}–{high:.1f}", str(count), f"{precision:.3f}")
        console.print(reliability)
        if calibrate:
            evidence = Table("method:category", "TP", "FP", "precision", title="precision per evidence")
            for key, scores in report.by_evidence.items():
                evidence.add_row(key, str(scores.tp), str(scores.fp), f"{scores.precision:.3f}")
            console.print(evidence)
        if errors:
            for error in report.errors:
                console.print(f"[bold]{error['id']}[/] missed: {error['missed']} extra: {error['extra']}")
        if real:
            _print_real(extractor, errors, real_set)
        if llm is not None:
            _print_llm_comparison(extractor, postings, report, llm)


def _llm_extractor(extractor, backend: str):  # type: ignore[no-untyped-def]
    """The extractor wrapped by the LLM normaliser of ``backend`` (a clear error when it cannot be built)."""
    from observatory.config import ConfigurationError, load_settings
    from observatory.llm import LLMError, client_from_settings
    from observatory.llm.candidates import LexicalEscoCandidates
    from observatory.llm.evaluation import LLMNormalisedExtractor
    from observatory.llm.mentions import MentionNormaliser

    try:
        client = client_from_settings(load_settings(llm_backend=backend))
    except (ConfigurationError, LLMError) as exc:
        raise _fail(str(exc)) from None
    if client is None:
        raise _fail("--llm needs a backend: transformers or openai")
    return LLMNormalisedExtractor(extractor, MentionNormaliser(client, LexicalEscoCandidates.bundled()))


def _print_llm_comparison(extractor, postings, rules_report, backend: str) -> None:  # type: ignore[no-untyped-def]
    from observatory.skills.evaluation import evaluate

    wrapped = _llm_extractor(extractor, backend)
    with console.status(f"normalising uncertain mentions with {backend}…"):
        llm_report = evaluate(wrapped, postings)
    table = Table("", "precision", "recall", "F1", "macro F1", "TP", "FP", "FN", title="rules only vs rules + LLM")
    for label, r in (("rules only", rules_report), (f"rules + {wrapped.normaliser.llm.name}", llm_report)):
        m = r.micro
        table.add_row(
            label, f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}", f"{r.macro_f1:.3f}",
            str(m.tp), str(m.fp), str(m.fn),
        )  # fmt: skip
    console.print(table)
    _print_llm_stats(wrapped.stats)


def _print_llm_stats(s) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"LLM: {s.uncertain} uncertain of {s.mentions} mentions, {s.sent} sent in {s.requests} requests, "
        f"{s.cache_hits} cache hits, {s.accepted} accepted, {s.rejections} rejected "
        f"(name {s.outcomes['rejected_name']}, URI {s.outcomes['rejected_uri']}, malformed {s.outcomes['malformed']}), "
        f"{s.outcomes['error']} errors, {s.tokens:,} tokens" + (" — budget spent" if s.budget_stopped else "")
    )


def _print_real(extractor, errors: bool, real_set: str = "dev") -> None:  # type: ignore[no-untyped-def]
    from observatory.skills.real_evaluation import RealEvaluationError, evaluate_real, real_set_path
    from observatory.skills.real_postings import MalformedPostingsError

    try:
        set_path = real_set_path(real_set)
        if not set_path.exists():
            console.print(f"{set_path}: no {real_set} set, so no precision/recall on annotated postings")
        with console.status("extracting the real postings of ../shared…"):
            real = evaluate_real(extractor, dev_set=set_path)
    except (RealEvaluationError, MalformedPostingsError, OSError) as exc:
        raise _fail(str(exc)) from None
    tags = Table("portal area", "tags in text", "found", "recall", "most missed", title="employer-tag recall")
    for area, recall in sorted(real.tag_recall.items(), key=lambda kv: (kv[0] != "all", -kv[1].tags)):
        missed = ", ".join(f"{tag} ({n})" for tag, n in sorted(recall.missed.items(), key=lambda kv: -kv[1])[:4])
        tags.add_row(area, str(recall.tags), str(recall.found), f"{recall.recall:.3f}", missed)
    console.print(tags)
    cover = Table("file", "sector", "postings with text", "no skill (text)", "no skill (text or tags)",
                  title="postings without any skill")  # fmt: skip
    for (name, sector), c in sorted(real.coverage.items(), key=lambda kv: (kv[0][0], kv[0][1] != "all", kv[0][1])):
        cover.add_row(
            name, sector, str(c.postings), f"{c.without_skill} ({c.share_without_skill:.1%})",
            f"{c.without_skill_or_tag} ({c.without_skill_or_tag / c.postings:.1%})",
        )  # fmt: skip
    console.print(cover)
    for name, share in real.esco_share.items():
        console.print(f"{name}: {share:.1%} of text mentions carry an ESCO URI")
    if real.occupations:
        occupations = Table("file, sector or area", "postings", "coded", "agree with area", title="occupation coding")
        for key, agreement in sorted(real.occupations.items(), key=lambda kv: (kv[0].split(":")[0] != kv[0], kv[0])):
            agree = f"{agreement.agreement:.1%} of {agreement.comparable}" if agreement.comparable else "—"
            occupations.add_row(key, str(agreement.postings), f"{agreement.coded_share:.1%}", agree)
        console.print(occupations)
    from observatory.commands.occupation_eval import print_occupation_sets

    # Tuning runs (--set tune) never show the held-out occupation sets.
    print_occupation_sets(console, extractor, errors, held_out=real_set != "tune")
    if real.dev:
        title = f"real {real_set} set ({set_path.name}; span overlap or folded name)"
        dev = Table("by", "value", "precision", "recall", "F1", "TP", "FP", "FN", title=title)
        order = {"all": 0, "group": 1, "language": 2, "sector": 3}
        for (dimension, value), sc in sorted(real.dev.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0])):
            dev.add_row(
                dimension, value, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}",
                str(sc.tp), str(sc.fp), str(sc.fn),
            )  # fmt: skip
        console.print(dev)
    if errors:
        for error in real.dev_errors:
            console.print(
                f"[bold]{error['id']}[/] ({error['sector']}) missed: {error['missed']} extra: {error['extra']}"
            )
