"""The Dagster code location: each domain's definitions (``observatory/defs/<domain>.py``) merged, plus resources."""

from __future__ import annotations

import dagster as dg

from observatory.defs import analysis, automation, esco, llm, monitoring, reporting, scraping, skills
from observatory.defs.resources import PostingsCrawler, default_resources


def build_definitions(crawler: PostingsCrawler | None = None) -> dg.Definitions:
    """The code location; ``crawler`` swaps the live portals for another crawler (the offline snapshot)."""
    merged = dg.Definitions.merge(
        esco.defs,
        scraping.defs,
        skills.defs,
        llm.defs,
        analysis.defs,
        reporting.defs,
        monitoring.defs,
        automation.defs,
        # One process per run, not one per step: a step process would import spaCy and build the extractor
        # (~30k ESCO patterns) again, and 2 cores gain nothing from steps running side by side.
        dg.Definitions(resources=default_resources(crawler), executor=dg.in_process_executor),
    )
    return monitoring.with_crawl_freshness(merged)


defs = build_definitions()
