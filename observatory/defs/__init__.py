"""The Dagster layer: thin assets, resources, partitions, sensors and schedules per domain."""

import warnings

from dagster import BetaWarning

# The partition mappings and single-run backfills these modules rely on are marked beta in Dagster 1.13; the
# pinned version is tested here, and the warning repeated at every import only buries the commands' output.
warnings.filterwarnings("ignore", category=BetaWarning)
