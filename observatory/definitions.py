"""The Dagster code location: assets, checks, sensors, schedules and jobs from each domain module."""

from __future__ import annotations

import importlib
from types import ModuleType

import dagster as dg

from observatory.defs.resources import default_resources

# Each domain module under observatory.defs exports lists: assets, asset_checks, sensors, schedules, jobs.
DOMAINS = ("esco", "scraping", "skills", "analysis", "reporting")


def _domain_modules() -> list[ModuleType]:
    modules = []
    for name in DOMAINS:
        qualified = f"observatory.defs.{name}"
        try:
            modules.append(importlib.import_module(qualified))
        except ModuleNotFoundError as exc:
            if exc.name != qualified:  # a real import error inside the module must surface
                raise
    return modules


def build_definitions() -> dg.Definitions:
    """Assemble the code location from the domain modules."""
    modules = _domain_modules()

    def collect(attr: str) -> list:
        return [obj for m in modules for obj in getattr(m, attr, [])]

    return dg.Definitions(
        assets=collect("assets"),
        asset_checks=collect("asset_checks"),
        sensors=collect("sensors"),
        schedules=collect("schedules"),
        jobs=collect("jobs"),
        resources=default_resources(),
    )


defs = build_definitions()
