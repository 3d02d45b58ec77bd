"""A failure's one-line message names its innermost cause: a Dagster step failure once printed only
"DagsterExecutionStepExecutionError: Error occurred while executing op 'skill_demand':" with nothing after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import observatory.defs.analysis as analysis_defs
from observatory.cli import app
from observatory.commands import one_line
from observatory.config import get_settings
from observatory.defs.partitions import PARTITIONS_START

FIRST_MONTH = PARTITIONS_START.strftime("%Y-%m")


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A data folder (embedded database, Dagster instance) of its own: the failed run this test makes must not
    # reach the session's instance, where later tests count failed materialisations.
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_failing_asset_names_its_cause_in_one_line(env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise ZeroDivisionError("demand cell 2024-07 has no postings\nsecond line never shown")

    # The asset body calls the library through its module: the run executes in this process.
    monkeypatch.setattr(analysis_defs, "demand_inputs", broken)
    args = ["materialize", "skill_demand", "--partition", FIRST_MONTH, "--source", "co-computrabajo"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    failed = [line for line in result.output.splitlines() if line.strip().startswith("failed")]
    assert len(failed) == 1, result.output
    assert "skill_demand" in failed[0]
    assert "ZeroDivisionError: demand cell 2024-07 has no postings" in failed[0], result.output
    assert "second line" not in result.output and "Traceback" not in result.output


def test_one_line_follows_the_chain_to_the_innermost_cause() -> None:
    try:
        try:
            try:
                raise KeyError("month")
            except KeyError as inner:
                raise ValueError("bad cell") from inner
        except ValueError:
            raise RuntimeError("Error occurred while executing op 'skill_demand':")  # noqa: B904 (the implicit context is tested)
    except RuntimeError as exc:
        line = one_line(exc)
    assert line == "RuntimeError: Error occurred while executing op 'skill_demand' (cause: KeyError: 'month')"
    # `raise … from None` hides the context on purpose: it is not shown.
    try:
        try:
            raise KeyError("hidden")
        except KeyError:
            raise ValueError("clean message") from None
    except ValueError as exc:
        assert one_line(exc) == "ValueError: clean message"


def test_one_line_hides_passwords_of_urls() -> None:
    error = ConnectionError("could not connect to postgresql+psycopg://obs:s3cr3t-pw@db.example:5432/observatory")
    try:
        try:
            raise error
        except ConnectionError as inner:
            raise RuntimeError("database unavailable") from inner
    except RuntimeError as exc:
        line = one_line(exc)
    assert "s3cr3t-pw" not in line and "postgresql+psycopg://obs:***@db.example:5432" in line
