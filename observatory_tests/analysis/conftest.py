"""Fixtures of the analysis tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from observatory.analysis.demand_store import demand_base
from observatory.config import Settings


@pytest.fixture(autouse=True)
def no_stored_demand(settings: Settings) -> Iterator[None]:
    """Each test starts without stored demand: the session's data folder outlives the emptied database."""
    shutil.rmtree(demand_base(settings.data_dir), ignore_errors=True)
    yield
