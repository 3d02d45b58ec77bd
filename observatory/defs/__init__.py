"""The Dagster layer: thin assets, resources, partitions, sensors and schedules per domain."""
