"""``observatory skills merges``: LLM proposals to merge near-synonym canonical skills, listed for review and applied
above a confidence."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from observatory.commands import console, database, fail, settings_or_exit
from observatory.config import ConfigurationError, Settings
from observatory.llm.merge_defaults import DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_SIMILARITY

skills_app = typer.Typer(help="Canonical skills: near-synonym merges.", no_args_is_help=True)


@skills_app.command("merges")
def merges(
    propose: Annotated[
        bool,
        typer.Option(
            "--propose",
            help="Ask the configured LLM (OBSERVATORY_LLM_*) about pairs of near-neighbour skills; answers are cached",
        ),
    ] = False,
    apply: Annotated[
        bool, typer.Option("--apply", help="Apply the grounded proposals at or above --min-confidence")
    ] = False,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Confidence a proposal needs to be applied")
    ] = DEFAULT_MIN_CONFIDENCE,
    min_similarity: Annotated[
        float,
        typer.Option("--min-similarity", min=0.0, max=1.0, help="Similarity of two skills to be put to the LLM"),
    ] = DEFAULT_MIN_SIMILARITY,
    neighbours: Annotated[int, typer.Option("--neighbours", min=1, help="Nearest neighbours looked at per skill")] = 5,
    max_pairs: Annotated[int, typer.Option("--max-pairs", min=1, help="Most pairs put to the LLM in one run")] = 200,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", min=1, help="Token budget of the run (stops cleanly)")
    ] = None,
    all_skills: Annotated[
        bool, typer.Option("--all-skills", help="Compare every canonical skill, not only the mentioned ones")
    ] = False,
) -> None:
    """List merge proposals; --propose asks the LLM for new ones, --apply applies the confident ones."""
    from observatory.llm.budget import Budget
    from observatory.llm.cache import DatabaseCache
    from observatory.llm.clients import LLMError, client_from_settings
    from observatory.llm.merges import MergeProposer, apply_merges, candidate_pairs, list_proposals

    settings = settings_or_exit()
    with database() as db:
        if propose:
            try:
                llm = client_from_settings(settings)
            except LLMError as exc:
                raise fail(str(exc)) from None
            if llm is None:
                raise fail("--propose needs a backend: set OBSERVATORY_LLM_BACKEND to transformers or openai")
            model = _embedding_model(settings)
            pairs = candidate_pairs(
                db, model, k=neighbours, min_similarity=min_similarity, mentioned_only=not all_skills
            )
            method = pairs[0].method if pairs else "none"
            proposer = MergeProposer(llm, cache=DatabaseCache(db), budget=Budget(max_tokens=max_tokens))
            stats = proposer.propose(db, pairs[:max_pairs])
            outcomes = ", ".join(f"{n} {o}" for o, n in sorted(stats.outcomes.items())) or "no new verdict"
            console.print(
                f"{len(pairs)} candidate pairs ({method}), {min(len(pairs), max_pairs)} considered: "
                f"{stats.skipped} already answered, {stats.requests} sent to {llm.name}, {stats.cache_hits} from "
                f"the cache, {stats.errors} failed; {outcomes}; {stats.prompt_tokens + stats.completion_tokens} tokens",
                highlight=False,
            )
            if stats.budget_stopped:
                console.print("the token budget was spent: the remaining pairs are asked on the next run")
        if apply:
            applied = apply_merges(db, min_confidence=min_confidence)
            console.print(
                f"applied {applied.applied} merges ({applied.already_applied} applied before, "
                f"{applied.below_confidence} below {min_confidence:g}, {applied.stale} stale): "
                f"{applied.mentions_moved} mentions moved, {applied.mentions_dropped} duplicates dropped",
                highlight=False,
            )
        proposals = list_proposals(db)
    if not proposals:
        console.print("no merge proposals (run with --propose)")
        return
    table = Table("skill A", "skill B", "similarity", "outcome", "confidence", "keep", "applied", title="merges")
    for p in proposals:
        table.add_row(
            f"{p.name_a} ({p.skill_a})",
            f"{p.name_b} ({p.skill_b})",
            f"{p.similarity:.2f} {p.similarity_method.split(':')[0]}",
            p.outcome,
            "" if p.confidence is None else f"{p.confidence:.2f}",
            p.keep_skill_id or "",
            f"{p.applied_at:%Y-%m-%d %H:%M}" if p.applied_at else "",
        )
    console.print(table)


def _embedding_model(settings: Settings) -> str | None:
    """The name the configured embedding model stores its vectors under (no model is loaded)."""
    from observatory.embeddings.model import resolve_model

    try:
        return resolve_model(settings).name
    except ConfigurationError:
        return None


def register(app: typer.Typer) -> None:
    """Add the ``skills`` command group to the main app."""
    app.add_typer(skills_app, name="skills")
