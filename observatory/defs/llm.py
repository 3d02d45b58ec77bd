"""LLM normalisation as a Dagster asset: the uncertain mentions of each source × day partition of extracted skills.

The backend comes from ``OBSERVATORY_LLM_BACKEND`` (``none`` by default: mentions are counted, nothing is called);
the budget, prices and concurrency are this resource's configuration.
"""

from typing import Any

import dagster as dg

from observatory.defs.partitions import on_new_data, partition_slices, source_daily_partitions
from observatory.defs.resources import ObservatoryDatabase
from observatory.llm.budget import Budget
from observatory.llm.cache import DatabaseCache
from observatory.llm.candidates import LexicalEscoCandidates, VectorEscoCandidates
from observatory.llm.clients import client_from_settings
from observatory.llm.mentions import MentionNormaliser
from observatory.llm.prompts import NORMALISE
from observatory.llm.store import normalise_partition
from observatory.skills.extractor import EXTRACTOR_VERSION
from observatory.storage import Database


class LLMNormaliserResource(dg.ConfigurableResource):
    """Limits and prices of one run; the backend, model, API base and key come from the settings (environment)."""

    max_tokens_per_run: int | None = 500_000
    max_cost_per_run: float | None = None
    prompt_price_per_million: float = 0.0
    completion_price_per_million: float = 0.0
    concurrency: int = 4
    batch_size: int = 8
    top_k: int = 5
    timeout_s: float = 60.0
    retries: int = 4
    use_vectors: bool = True

    def normaliser(self, db: Database, database: ObservatoryDatabase) -> MentionNormaliser | None:
        """The normaliser of the configured backend, or None with ``OBSERVATORY_LLM_BACKEND=none``."""
        settings = database.settings()
        llm = client_from_settings(settings, timeout=self.timeout_s, retries=self.retries)
        if llm is None:
            return None
        lexical = LexicalEscoCandidates.bundled()
        retriever = VectorEscoCandidates(db, settings, lexical) if self.use_vectors else lexical
        budget = Budget(
            max_tokens=self.max_tokens_per_run,
            max_cost=self.max_cost_per_run,
            prompt_price_per_million=self.prompt_price_per_million,
            completion_price_per_million=self.completion_price_per_million,
        )
        return MentionNormaliser(
            llm,
            retriever,
            cache=DatabaseCache(db),
            budget=budget,
            top_k=self.top_k,
            batch_size=self.batch_size,
            concurrency=self.concurrency,
        )


@dg.asset(
    partitions_def=source_daily_partitions,
    deps=[dg.AssetKey("extracted_skills")],
    backfill_policy=dg.BackfillPolicy.single_run(),
    automation_condition=on_new_data(),
    group_name="skills",
    kinds={"postgres"},
    code_version=f"{EXTRACTOR_VERSION}+{NORMALISE.version}",
)
def normalized_skills(
    context: dg.AssetExecutionContext, database: ObservatoryDatabase, llm: LLMNormaliserResource
) -> dg.MaterializeResult:
    """Uncertain mentions (unmapped tags, combined phrases, low confidence, no ESCO concept) normalised by the LLM,
    grounded in the posting and cached; the rule result stands wherever the answer is rejected."""
    db = database.get()
    normaliser = llm.normaliser(db, database)
    totals: dict[str, Any] = {}
    skipped = 0
    reasons: dict[str, int] = {}
    backend = model = "none"
    for source_key, (start, end) in partition_slices(context).items():
        # One budget per run: the normaliser keeps spending the same one across the run's partitions.
        run = normalise_partition(db, normaliser, EXTRACTOR_VERSION, source_key=source_key, start=start, end=end)
        backend, model = run.backend, run.model or "none"
        skipped += run.skipped
        for key, value in run.stats.as_metadata().items():
            if isinstance(value, bool):
                totals[key] = bool(totals.get(key, False) or value)
            else:
                totals[key] = totals.get(key, 0) + value
        for reason, count in run.stats.reasons.items():
            reasons[reason] = reasons.get(reason, 0) + count
        context.log.info(
            f"{source_key} [{start:%Y-%m-%d}, {end:%Y-%m-%d}): {run.stats.uncertain} uncertain mentions, "
            f"{run.stats.sent} sent, {run.stats.cache_hits} cache hits, {run.stats.rejections} rejected"
        )
    if totals.get("budget_stopped"):
        context.log.warning("the LLM budget of this run was spent: the remaining mentions keep their rule result")
    metadata: dict[str, Any] = {"backend": backend, "model": model, "already_normalised": skipped, **totals}
    metadata["estimated_cost"] = dg.MetadataValue.float(float(totals.get("estimated_cost", 0.0)))
    metadata["uncertain_by_reason"] = dg.MetadataValue.json(reasons)
    return dg.MaterializeResult(metadata=metadata)


defs = dg.Definitions(assets=[normalized_skills], resources={"llm": LLMNormaliserResource()})
