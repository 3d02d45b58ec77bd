"""Partitions built from the source registry: a source dimension beside a daily time dimension.

A country × portal cross product would create pairs that do not exist (ElEmpleo is Colombia only),
so the source key (``co-computrabajo``) is one dimension and the crawl date is the other.
"""

from __future__ import annotations

import dagster as dg

from observatory.sources import SOURCES

PARTITIONS_START = "2025-06-01"

source_partitions = dg.StaticPartitionsDefinition(sorted(SOURCES))
daily_partitions = dg.DailyPartitionsDefinition(start_date=PARTITIONS_START, timezone="UTC")
monthly_partitions = dg.MonthlyPartitionsDefinition(start_date=PARTITIONS_START, timezone="UTC")

# Dimension names sort alphabetically inside Dagster: keys read "2026-10-01|co-computrabajo".
source_daily_partitions = dg.MultiPartitionsDefinition({"date": daily_partitions, "source": source_partitions})


def split_key(context: dg.AssetExecutionContext) -> tuple[str, str]:
    """Return ``(source_key, date)`` of the current multi-partition."""
    key = context.partition_key
    if not isinstance(key, dg.MultiPartitionKey):
        raise ValueError(f"expected a source × date partition, got {key!r}")
    dims = key.keys_by_dimension
    return dims["source"], dims["date"]
