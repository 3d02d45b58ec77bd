"""Errors of the command line: one line and a non-zero exit, the traceback only with --debug; months for
``materialize``; ``assets --json`` and full names when piped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.definitions import build_definitions
from observatory.defs.partitions import PARTITIONS_START
from observatory.defs.runs import PartitionChoiceError, choose_partitions, project_instance
from observatory.storage import Database

runner = CliRunner()
OBSERVATORY = Path(sys.executable).parent / "observatory"
FIRST_MONTH = PARTITIONS_START.strftime("%Y-%m")

# A command that fails the way a bug or an unforeseen environment would: main() must still answer in one line.
FAILING_COMMAND = """
import sys
from observatory.cli import app, main

@app.command("explode")
def explode() -> None:
    raise RuntimeError("the disk said no\\nsecond line of detail")

sys.argv = ["observatory", *sys.argv[1:]]
main()
"""


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[None]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _run_failing(tmp_path: Path, *args: str, debug_env: bool = False) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "failing_cli.py"
    script.write_text(FAILING_COMMAND, encoding="utf-8")
    env = dict(os.environ, OBSERVATORY_DATA_DIR=str(tmp_path / "data"))
    env.pop("OBSERVATORY_DEBUG", None)
    if debug_env:
        env["OBSERVATORY_DEBUG"] = "1"
    return subprocess.run(
        [sys.executable, str(script), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_unexpected_error_is_one_line(tmp_path: Path) -> None:
    result = _run_failing(tmp_path, "explode")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["error: RuntimeError: the disk said no (observatory --debug … for details)"], result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("how", ["option", "environment"])
def test_debug_shows_the_traceback(tmp_path: Path, how: str) -> None:
    args = ("--debug", "explode") if how == "option" else ("explode",)
    result = _run_failing(tmp_path, *args, debug_env=how == "environment")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "second line of detail" in result.stderr  # the whole message, not its first line
    assert "explode" in result.stderr  # the frame that raised


def test_usage_errors_stay_typers(tmp_path: Path) -> None:
    result = _run_failing(tmp_path, "explode", "--no-such-option")
    assert result.returncode == 2
    assert "No such option" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024-13"], "--from '2024-13': expected a month YYYY-MM or a day YYYY-MM-DD"),
        (["--from", "July"], "expected a month YYYY-MM"),
        (["--from", "2025-09", "--to", "2025-07"], "--to 2025-07 is before --from 2025-09"),
        (["--to", "2025-07"], "--to needs --from"),
        (["--partition", FIRST_MONTH], "--partition needs --source"),
        (["--partition", FIRST_MONTH, "--from", FIRST_MONTH], "give either --partition or --from/--to"),
        (["--from", "1999-01", "--to", "1999-03"], "has no month partition between 1999-01-01 and 1999-03-01"),
        (["--from", FIRST_MONTH, "--source", "xx-nowhere"], "--source 'xx-nowhere'"),
        ([], "skill_demand is partitioned: give --partition YYYY-MM[-DD] --source KEY"),
    ],
)
def test_bad_partition_values_are_one_line(env: None, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["materialize", "skill_demand", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1, result.output


def test_unknown_asset_is_one_line(env: None) -> None:
    result = runner.invoke(app, ["materialize", "skill_demandd+", "--from", FIRST_MONTH])
    assert result.exit_code == 2, result.output
    assert "selection 'skill_demandd+': AssetKey(s) ['skill_demandd'] were selected" in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1, result.output


def test_months_and_days_become_partition_keys() -> None:
    defs = build_definitions()
    month = PARTITIONS_START.replace(day=1)
    # A month of a day asset is all its days (those that exist), as one run.
    choice = choose_partitions(defs, "extracted_skills", partition=FIRST_MONTH, source="co-computrabajo")
    assert choice.key is None and choice.span is not None
    assert choice.span[0] == f"{max(month, PARTITIONS_START)}|co-computrabajo"
    assert choice.span[1].startswith(FIRST_MONTH) and choice.span[1].endswith("|co-computrabajo")
    # A day of a month asset is its month; a day of a day asset is itself.
    day = PARTITIONS_START.isoformat()
    assert choose_partitions(defs, "skill_demand", partition=day, source="ar-bumeran").key == f"{month}|ar-bumeran"
    assert choose_partitions(defs, "extracted_skills", partition=day, source="ar-bumeran").key == f"{day}|ar-bumeran"
    # Without --source a range covers every source; without --to it runs to the newest partition.
    span = choose_partitions(defs, "skill_demand", first=FIRST_MONTH).span
    assert span is not None
    assert span[0] == f"{month}|ar-bumeran" and span[1].endswith("|ve-computrabajo")
    # Months before the first partition are left out, and said so.
    early = choose_partitions(defs, "skill_demand", first="2000-01", last=FIRST_MONTH, source="ar-bumeran")
    assert early.key == f"{month}|ar-bumeran" and early.note and "OBSERVATORY_PARTITIONS_START" in early.note
    # Assets that take one partition per run refuse a range rather than fail inside Dagster.
    with pytest.raises(PartitionChoiceError, match="one partition at a time"):
        choose_partitions(defs, "monthly_report", first=FIRST_MONTH, source="all")
    with pytest.raises(PartitionChoiceError, match="not partitioned"):
        choose_partitions(defs, "esco_taxonomy", partition=FIRST_MONTH)


def test_materialize_a_month_range(env: None, db: Database, settings: Settings) -> None:
    result = runner.invoke(
        app, ["materialize", "skill_demand", "--from", FIRST_MONTH, "--to", FIRST_MONTH, "--source", "co-elempleo"]
    )
    assert result.exit_code == 0, result.output
    assert "success" in result.output
    with project_instance(settings, db.url) as instance:
        done = instance.get_materialized_partitions(dg.AssetKey("skill_demand"))
    assert f"{PARTITIONS_START.replace(day=1)}|co-elempleo" in done


def test_assets_json_and_full_names_when_piped(env: None, database: Database, settings: Settings) -> None:
    env_vars = dict(os.environ, OBSERVATORY_DATA_DIR=str(settings.data_dir))
    env_vars.pop("COLUMNS", None)  # as in a user's shell: rich would fit a pipe to 80 columns
    names = sorted(k.to_user_string() for k in build_definitions().resolve_asset_graph().get_all_asset_keys())

    listing = subprocess.run(
        [str(OBSERVATORY), "assets"], env=env_vars, capture_output=True, text=True, timeout=300, check=False
    )
    assert listing.returncode == 0, listing.stderr
    shown = {line.split("│")[1].strip() for line in listing.stdout.splitlines() if line.count("│") > 2}
    assert set(names) <= shown, listing.stdout  # every name whole, none cut to "normalized_sk…"
    assert "…" not in listing.stdout

    as_json = subprocess.run(
        [str(OBSERVATORY), "assets", "--json"], env=env_vars, capture_output=True, text=True, timeout=300, check=False
    )
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads(as_json.stdout)
    by_name = {a["asset"]: a for a in document["assets"]}
    assert sorted(by_name) == names
    for asset in by_name.values():
        assert set(asset) >= {"partitions", "materialised", "missing", "failed", "last_run", "checks"}
        if asset["partitioned"]:
            assert asset["materialised"] + asset["missing"] + asset["failed"] == asset["partitions"]
    assert {c["check"] for c in by_name["raw_postings"]["checks"]} >= {"valid_ratio"}
