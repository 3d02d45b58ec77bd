"""LLM normalisation sits in the lineage: extracted skills -> normalized skills -> skill embeddings."""

from __future__ import annotations

import dagster as dg


def test_embeddings_come_after_normalisation() -> None:
    from observatory.definitions import defs

    graph = defs.get_repository_def().asset_graph
    normalized, embeddings = dg.AssetKey("normalized_skills"), dg.AssetKey("skill_embeddings")
    assert dg.AssetKey("extracted_skills") in graph.get(normalized).parent_keys
    assert normalized in graph.get(embeddings).parent_keys
    # Everything downstream of the embeddings (clusters, reports) is therefore downstream of normalisation.
    assert embeddings in graph.get(normalized).child_keys
