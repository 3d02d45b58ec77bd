"""Two commands on a new data folder both start; a run whose process was killed is marked failed by the next command.

Both use the real console script, the embedded PostgreSQL and the project's Dagster instance, as a user would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import psutil
import pytest
from dagster._core.events import EngineEventData  # what Dagster's run worker reports (not re-exported)

from observatory.config import load_settings
from observatory.defs.runs import (
    HOST_TAG,
    PID_TAG,
    PROCESS_STARTED_TAG,
    fail_orphaned_runs,
    process_tags,
    project_instance,
)
from observatory.storage.bootstrap import open_database

pytestmark = pytest.mark.slow

OBSERVATORY = Path(sys.executable).parent / "observatory"


def env_for(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["OBSERVATORY_DATA_DIR"] = str(data_dir)
    env.pop("OBSERVATORY_DATABASE_URL", None)
    env["COLUMNS"] = "200"
    return env


def postgres_of(data_dir: Path) -> list[psutil.Process]:
    pgdata = str((data_dir / "pg").resolve())
    return [
        p
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and pgdata in (p.info["cmdline"] or [])
    ]


@pytest.fixture()
def data_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data"
    yield path
    for proc in postgres_of(path):  # never leave a server behind, even when the test fails
        proc.kill()


def test_two_first_runs_at_once_both_succeed(data_dir: Path, tmp_path: Path) -> None:
    # `assets` creates both databases, migrates the schema and builds Dagster's tables: every first-run step.
    logs = [tmp_path / f"run{i}.log" for i in range(3)]
    procs = []
    for log in logs:
        with log.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    [str(OBSERVATORY), "assets"], env=env_for(data_dir), stdout=out, stderr=subprocess.STDOUT
                )
            )
    codes = [p.wait(timeout=300) for p in procs]
    outputs = [log.read_text(errors="replace") for log in logs]
    for code, output in zip(codes, outputs, strict=True):
        assert code == 0, output[-3000:]
        assert "IntegrityError" not in output
        assert "raw_postings" in output


def _run_status(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRunStatus:
    run = instance.get_run_by_id(run_id)
    assert run is not None
    return run.status


def test_killed_run_is_marked_failed_by_the_next_command(data_dir: Path, tmp_path: Path) -> None:
    settings = load_settings(data_dir=data_dir, database_url=None)
    # The test's own handle on the embedded server keeps it up across the killed command and the next one.
    db = open_database(settings)
    try:
        with project_instance(settings, db.url, cleanup=False) as instance:
            log = tmp_path / "materialize.log"
            with log.open("wb") as out:
                # A crawl of the bundled snapshot runs Scrapy in a child process for several seconds: time to kill
                # the command inside the step.
                today = datetime.now(UTC).date().isoformat()
                command = ["materialize", "raw_postings", "--snapshot", "--partition", today]
                proc = subprocess.Popen(
                    [str(OBSERVATORY), *command, "--source", "co-computrabajo"],
                    env=env_for(data_dir),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            run_id = None
            deadline = time.monotonic() + 240
            while run_id is None and time.monotonic() < deadline:
                assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
                records = instance.get_run_records(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
                if records:
                    run_id = records[0].dagster_run.run_id
                    assert records[0].dagster_run.tags[PID_TAG] == str(proc.pid)
                    break
                time.sleep(0.2)
            assert run_id is not None, "the materialisation never reached STARTED"
            children = psutil.Process(proc.pid).children(recursive=True)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            for child in children:  # the crawl's own processes: not what this test is about
                with contextlib.suppress(psutil.NoSuchProcess):
                    child.kill()
            assert _run_status(instance, run_id) == dg.DagsterRunStatus.STARTED  # what a kill -9 leaves

            result = subprocess.run(
                [str(OBSERVATORY), "assets"], env=env_for(data_dir), capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 0, result.stderr
            assert f"run {run_id} was interrupted" in result.stderr
            assert f"pid {proc.pid}" in result.stderr
            assert _run_status(instance, run_id) == dg.DagsterRunStatus.FAILURE
            failure = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
            assert failure and "no longer exists" in (failure[-1].dagster_event.message or "")  # type: ignore[union-attr]

            # Said once: the next command finds nothing left to mark.
            again = subprocess.run(
                [str(OBSERVATORY), "assets"], env=env_for(data_dir), capture_output=True, text=True, timeout=300
            )
            assert again.returncode == 0, again.stderr
            assert "was interrupted" not in again.stderr
    finally:
        db.close()


def test_live_runs_are_left_alone(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir, database_url=None)
    db = open_database(settings)
    try:
        with project_instance(settings, db.url, cleanup=False) as instance:
            sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            try:
                started = psutil.Process(sleeper.pid).create_time()
                tags = process_tags() | {PID_TAG: str(sleeper.pid), PROCESS_STARTED_TAG: f"{started:.3f}"}
                job = dg.GraphDefinition(name="noop", node_defs=[]).to_job()
                live = instance.create_run_for_job(job, tags=tags, status=dg.DagsterRunStatus.STARTED)
                elsewhere = instance.create_run_for_job(
                    job, tags=tags | {HOST_TAG: "another-host"}, status=dg.DagsterRunStatus.STARTED
                )
                assert fail_orphaned_runs(instance, same_host_storage=True) == []
                sleeper.kill()
                sleeper.wait()
                marked = fail_orphaned_runs(instance, same_host_storage=True)
                assert len(marked) == 1 and live.run_id in marked[0]
                run = instance.get_run_by_id(live.run_id)
                assert run is not None and run.status == dg.DagsterRunStatus.FAILURE
                # Another host's process cannot be judged from here: its run stays as it is.
                other = instance.get_run_by_id(elsewhere.run_id)
                assert other is not None and other.status == dg.DagsterRunStatus.STARTED

                # A run the daemon launched names its worker's pid in an engine event, not its host: judged only
                # when the storage is the local embedded server.
                launched = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED)
                instance.report_engine_event(
                    f"Started process for run (pid: {sleeper.pid}).", launched, EngineEventData.in_process(sleeper.pid)
                )
                assert fail_orphaned_runs(instance, same_host_storage=False) == []
                marked = fail_orphaned_runs(instance, same_host_storage=True)
                assert len(marked) == 1 and launched.run_id in marked[0] and f"pid {sleeper.pid}" in marked[0]
                run = instance.get_run_by_id(launched.run_id)
                assert run is not None and run.status == dg.DagsterRunStatus.FAILURE
            finally:
                sleeper.kill()
    finally:
        db.close()
