"""Partitions built from the source registry and the settings: a source dimension beside a time dimension.

A country × portal cross product would create pairs that do not exist (ElEmpleo is Colombia only),
so the source key (``co-computrabajo``) is one dimension and the posting's own day (or month) the other.
Reports are partitioned by month × scope, a scope being one country or ``all``.
"""

from __future__ import annotations

from datetime import date, datetime

import dagster as dg

from observatory.config import load_settings
from observatory.sources import SOURCES

ALL_SCOPE = "all"

# The first partition day comes from the settings (OBSERVATORY_PARTITIONS_START); postings dated earlier are
# stored but fall in no partition, which `observatory ingest` says.
PARTITIONS_START: date = load_settings().partitions_start

source_partitions = dg.StaticPartitionsDefinition(sorted(SOURCES))
scope_partitions = dg.StaticPartitionsDefinition([ALL_SCOPE, *sorted({s.country for s in SOURCES.values()})])
# end_offset=1: today's (and this month's) postings have a partition before the day (month) is over.
daily_partitions = dg.DailyPartitionsDefinition(start_date=PARTITIONS_START.isoformat(), timezone="UTC", end_offset=1)
monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date=PARTITIONS_START.replace(day=1).isoformat(), timezone="UTC", end_offset=1
)

# Dimension names sort alphabetically inside Dagster: keys read "2026-10-01|co-computrabajo".
source_daily_partitions = dg.MultiPartitionsDefinition({"date": daily_partitions, "source": source_partitions})
source_monthly_partitions = dg.MultiPartitionsDefinition({"date": monthly_partitions, "source": source_partitions})
scope_monthly_partitions = dg.MultiPartitionsDefinition({"date": monthly_partitions, "scope": scope_partitions})


def on_new_data(ignore: dg.AssetSelection | None = None) -> dg.AutomationCondition:
    """Run when an upstream partition is updated, whichever day or month it is; a newly missing partition only in
    the latest time window. Updates of the ``ignore`` upstream assets trigger nothing.

    ``AutomationCondition.eager()`` considers only the latest time partition, so yesterday's scheduled crawl, a
    landed file or an ingest of older days would never reach extraction, normalisation or that month's demand.
    Missing upstream partitions do not block: ``extracted_skills`` (source × day) always has days nobody crawled.
    """
    deps_updated = dg.AutomationCondition.any_deps_updated()
    deps_in_progress = dg.AutomationCondition.any_deps_in_progress()
    if ignore is not None:
        deps_updated, deps_in_progress = deps_updated.ignore(ignore), deps_in_progress.ignore(ignore)
    return (
        (
            (dg.AutomationCondition.in_latest_time_window() & dg.AutomationCondition.newly_missing()) | deps_updated
        ).since_last_handled()
        & ~deps_in_progress
        & ~dg.AutomationCondition.in_progress()
    ).with_label("on_new_data")


def split_key(context: dg.AssetExecutionContext) -> tuple[str, str]:
    """Return ``(source_key, date)`` of the current (single) multi-partition."""
    key = context.partition_key
    if not isinstance(key, dg.MultiPartitionKey):
        raise ValueError(f"expected a source × date partition, got {key!r}")
    dims = key.keys_by_dimension
    return dims["source"], dims["date"]


def partition_slices(
    context: dg.AssetExecutionContext, dimension: str = "source"
) -> dict[str, tuple[datetime, datetime]]:
    """The run's partitions as ``{source (or scope): (start, end)}``: one partition, or a single-run backfill range.

    A range over source × date partitions is a rectangle: every source between the two keys, over the time
    window between them.
    """
    window = context.partition_time_window
    keys = context.partition_keys
    values = sorted({_dim(k, dimension) for k in keys})
    return {value: (window.start, window.end) for value in values}


def _dim(key: str, dimension: str) -> str:
    # Multi-partition keys read "<date>|<other>": "date" sorts before "scope" and "source".
    date_part, other = str(key).split("|", 1)
    return date_part if dimension == "date" else other


def day_key(source_key: str, day: str | date) -> dg.MultiPartitionKey:
    """The ``source × date`` partition key of a posting day."""
    return dg.MultiPartitionKey({"source": source_key, "date": str(day)[:10]})


def partition_range_tags(source_key: str, first: str, last: str) -> dict[str, str]:
    """Run tags of a single-run range over the days ``first``..``last`` of one source."""
    return {
        "dagster/asset_partition_range_start": str(day_key(source_key, first)),
        "dagster/asset_partition_range_end": str(day_key(source_key, last)),
    }
