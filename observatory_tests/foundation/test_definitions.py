"""The Dagster code location loads, and partitions come from the source registry."""

from __future__ import annotations

import dagster as dg

from observatory.defs.partitions import source_daily_partitions, source_partitions
from observatory.sources import SOURCES


def test_definitions_load() -> None:
    from observatory.definitions import defs

    assert isinstance(defs, dg.Definitions)
    repo = defs.get_repository_def()
    assert "database" in repo.get_top_level_resources()
    for key in repo.asset_graph.get_all_asset_keys():
        assert key.path  # every asset resolves


def test_partitions_from_registry() -> None:
    assert set(source_partitions.get_partition_keys()) == set(SOURCES)
    key = dg.MultiPartitionKey({"source": "co-elempleo", "date": "2026-10-01"})
    assert key.keys_by_dimension["source"] == "co-elempleo"
    dims = {d.name for d in source_daily_partitions.partitions_defs}
    assert dims == {"source", "date"}
