"""The sensor that evaluates the assets' automation conditions, on from the start.

Dagster creates ``default_automation_condition_sensor`` stopped, so on a new install the eager assets would never
run by themselves; this one replaces it and starts with the daemon (``observatory ui``).
"""

import dagster as dg

automation_sensor = dg.AutomationConditionSensorDefinition(
    "automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
    description="Runs extraction, normalisation, demand, embeddings, clusters and the latest report when new "
    "postings or skills arrive (each asset's automation condition).",
)

defs = dg.Definitions(sensors=[automation_sensor])
