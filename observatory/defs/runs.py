"""Run the asset graph headless on the project's Dagster instance (the one ``observatory ui`` shows).

``observatory demo``, ``materialize`` and ``ingest`` execute the real assets in this process through
:func:`run_assets`: runs, events, checks and partitions land in Dagster's storage on the project's PostgreSQL,
so the UI and ``observatory assets`` see them. Each run is summarised from its own events.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import dagster as dg
import psutil

from observatory.config import Settings
from observatory.errors import error_line, redact, serialised_chain
from observatory.storage import dagster_url
from observatory.storage.database import data_dir_lock

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EVENT_BATCH_SIZE = 1000
DEBUG_ENV = "OBSERVATORY_DEBUG"
# Who runs an in-process run: a run whose process is gone (kill -9, OOM killer, power cut) is marked failed by the
# next command, which can only tell a dead process from a live one on the same host.
PID_TAG, HOST_TAG, PROCESS_STARTED_TAG, COMMAND_TAG = (
    "observatory/pid",
    "observatory/host",
    "observatory/process_started",
    "observatory/command",
)


def dagster_environment(settings: Settings, app_url: str) -> dict[str, str]:
    """Environment of the project's Dagster instance: ``DAGSTER_HOME`` in the data directory, storage on the
    same PostgreSQL server (database ``dagster``). The storage URL stays in the environment, never in a file."""
    home = (settings.data_dir / "dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    _install_instance_yaml(home)
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(home)
    env["DAGSTER_POSTGRES_URL"] = dagster_url(app_url)
    env["OBSERVATORY_DATA_DIR"] = str(settings.data_dir.resolve())
    # A single-run backfill over a range of source × day partitions logs a planned and a materialisation event
    # per partition and asset; written one by one (a connection and an insert each) they cost more than the work
    # itself (half of each demo run). Batched, they are a few inserts per step.
    env.setdefault("DAGSTER_EVENT_BATCH_SIZE", str(EVENT_BATCH_SIZE))
    return env


def _install_instance_yaml(home: Path) -> None:
    """Copy the project's dagster.yaml into ``home`` atomically: a process starting at the same moment never reads
    a half-written file."""
    source = (PROJECT_ROOT / "dagster.yaml").read_bytes()
    target = home / "dagster.yaml"
    if target.exists() and target.read_bytes() == source:
        return
    partial = home / f".dagster.yaml.{os.getpid()}"
    partial.write_bytes(source)
    os.replace(partial, target)


@contextmanager
def project_instance(settings: Settings, app_url: str, *, cleanup: bool = True) -> Iterator[dg.DagsterInstance]:
    """The persistent Dagster instance of the project, for the length of the block.

    With ``cleanup``, runs left STARTED by a process that no longer exists are first marked failed
    (:func:`fail_orphaned_runs`).
    """
    env = dagster_environment(settings, app_url)
    names = ("DAGSTER_HOME", "DAGSTER_POSTGRES_URL", "OBSERVATORY_DATA_DIR", "DAGSTER_EVENT_BATCH_SIZE")
    before = {name: os.environ.get(name) for name in names}
    os.environ.update({name: env[name] for name in names})
    # Dagster's storages create their tables when the instance is built; two commands doing it at once on a new
    # database collide in the catalog.
    with data_dir_lock(settings.data_dir):
        instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
    # dagster-postgres opens a new connection (a new server process) for every event by default; the webserver
    # keeps a small pool instead, and so do the runs of this process (a run of a range writes hundreds of events).
    # statement_timeout 0: no limit, as without the pool.
    instance.optimize_for_webserver(statement_timeout=0, pool_recycle=3600, max_overflow=4)
    try:
        if cleanup:
            for failed in fail_orphaned_runs(instance, same_host_storage=settings.database_url is None):
                log.warning("%s", failed)
        yield instance
    finally:
        instance.dispose()
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class RunSummary:
    """What one run did, read from its events."""

    run_id: str
    success: bool
    materialized: dict[str, int] = field(default_factory=dict)  # asset → partitions materialised
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)  # asset → last materialisation's metadata
    checks: dict[str, bool] = field(default_factory=dict)  # "asset:check" → passed
    failures: list[str] = field(default_factory=list)


def run_assets(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    selection: Sequence[str] | str,
    *,
    partition_key: str | None = None,
    partition_range: tuple[str, str] | None = None,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
) -> RunSummary:
    """Materialise ``selection`` (asset keys or a selection string) in one run on ``instance``.

    ``partition_range`` runs many partitions as one run (the assets' single-run backfill policy).
    """
    graph_assets = list(defs.assets or [])
    run_tags = {**process_tags(), **(tags or {})}
    if partition_range is not None:
        run_tags["dagster/asset_partition_range_start"] = partition_range[0]
        run_tags["dagster/asset_partition_range_end"] = partition_range[1]
    # A step's failure is summarised by the command in one line (and kept whole in the run's events, shown by the
    # UI); Dagster's console logger would print its stack trace too, wanted only with --debug.
    debug = os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")
    console_logger = {"console": {"config": {"log_level": "ERROR" if debug else "CRITICAL"}}}
    config = {"loggers": console_logger, **(run_config or {})}
    from observatory.commands.lifecycle import stop_for, stop_signals_seen

    with stop_signals_seen() as signals:
        result = dg.materialize(
            graph_assets,  # type: ignore[arg-type]
            selection=selection,
            instance=instance,
            resources=dict(defs.resources or {}),
            partition_key=partition_key,
            run_config=config,
            tags=run_tags,
            raise_on_error=False,
        )
    if signals:
        # Dagster took the stop signal (and marked the run failed, or finished it first): the command still stops.
        stop_for(signals[0])
    return summarize(result)


def process_tags() -> dict[str, str]:
    """Run tags naming this process, so that the next command can tell when the run's process is gone."""
    me = psutil.Process()
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:2]]) if sys.argv and sys.argv[0] else "python"
    return {
        PID_TAG: str(me.pid),
        HOST_TAG: socket.gethostname(),
        PROCESS_STARTED_TAG: f"{me.create_time():.3f}",
        COMMAND_TAG: command[:100],
    }


def _process_alive(pid: int, started_by: float) -> bool:
    """True when ``pid`` is a live process that started no later than ``started_by`` (the pid was not reused)."""
    try:
        proc = psutil.Process(pid)
        return proc.status() != psutil.STATUS_ZOMBIE and proc.create_time() <= started_by + 1.0
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # another user's process: alive as far as we can tell
        return True


def _worker_pid(instance: dg.DagsterInstance, run_id: str) -> tuple[int, float] | None:
    """The pid of a run's worker and when it said so: Dagster's first engine event with a ``pid`` metadata."""
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        event = entry.dagster_event
        data = event.engine_event_data if event is not None else None
        pid = data.metadata.get("pid") if data is not None else None
        if pid is not None and str(pid.value).isdigit():
            return int(str(pid.value)), entry.timestamp
    return None


def fail_orphaned_runs(instance: dg.DagsterInstance, *, same_host_storage: bool) -> list[str]:
    """Mark failed the runs still in progress whose process is gone; return one message per run marked.

    A run executed in a command (tagged by :func:`process_tags`) is judged on its own host only. A run launched by
    the daemon names its worker's pid in an engine event but not its host, so it is judged only when the storage
    cannot be shared with another machine (the embedded server answers on a local socket); elsewhere Dagster's run
    monitoring (dagster.yaml) covers the runs that never start.
    """
    in_progress = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
    host = socket.gethostname()
    messages = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=in_progress)):
        run = record.dagster_run
        tags = run.tags
        if PID_TAG in tags:
            try:
                pid, started = int(tags[PID_TAG]), float(tags.get(PROCESS_STARTED_TAG, "inf"))
            except ValueError:  # tags written by hand: not ours to judge
                continue
            if tags.get(HOST_TAG) != host:
                continue
            who = f"`{tags.get(COMMAND_TAG, 'observatory')}` (pid {pid} on {host})"
        elif same_host_storage and run.status == dg.DagsterRunStatus.STARTED:
            worker = _worker_pid(instance, run.run_id)
            if worker is None:
                continue
            pid, started = worker
            who = f"its run worker (pid {pid})"
        else:
            continue
        if _process_alive(pid, started):
            continue
        message = (
            f"run {run.run_id} was interrupted: the process that ran it, {who}, no longer exists (killed?); "
            f"marked failed at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Re-run it: every write is an upsert."
        )
        instance.report_run_failed(run, message)
        messages.append(message)
    return messages


def summarize(result: dg.ExecuteInProcessResult) -> RunSummary:
    summary = RunSummary(run_id=result.run_id, success=result.success)
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        key = materialization.asset_key.to_user_string()
        summary.materialized[key] = summary.materialized.get(key, 0) + 1
        summary.metadata[key] = {k: v.value for k, v in materialization.metadata.items()}
    for evaluation in result.get_asset_check_evaluations():
        summary.checks[f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"] = evaluation.passed
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data is not None:
            error = event.step_failure_data.error
            user = event.step_failure_data.user_failure_data
            if user and user.description:
                message = redact(user.description)
            else:
                # Dagster's outer error only says which op failed; what went wrong is its innermost cause.
                message = error_line(serialised_chain(error)) if error else ""
            summary.failures.append(f"{event.step_key}: {message.strip()}")
    if not summary.success and not summary.failures:
        # The run failed outside any step (interrupted between steps, an engine error): say what the run says.
        for event in result.all_events:
            if event.event_type == dg.DagsterEventType.RUN_FAILURE:
                data = event.job_failure_data
                cause = error_line(serialised_chain(data.error)) if data is not None and data.error else ""
                text = " ".join(part for part in (event.message or "", cause) if part)
                summary.failures.append(f"run: {redact(text) or 'failed without a message'}")
    return summary


def asset_status(defs: dg.Definitions, instance: dg.DagsterInstance) -> list[dict[str, Any]]:
    """Per asset: partitions (total), materialised, missing, failed, the last materialisation and its checks.

    The display fields (``last``, ``checks``) are strings; ``last_materialisation``, ``last_run`` and
    ``check_results`` hold the same facts as data, for ``observatory assets --json``.
    """
    graph = defs.resolve_asset_graph()
    keys = sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string())
    entries = {record.asset_entry.asset_key: record.asset_entry for record in instance.get_asset_records(keys)}
    rows = []
    for key in keys:
        node = graph.get(key)
        partitions = node.partitions_def
        failed = 0
        if partitions is not None:
            partition_keys = partitions.get_partition_keys(dynamic_partitions_store=instance)
            total = len(partition_keys)
            done = len(instance.get_materialized_partitions(key))
            status = instance.get_status_by_partition(key, partition_keys, partitions) or {}
            failed = sum(1 for v in status.values() if str(v).endswith("FAILED"))
            missing = total - done - failed
        else:
            total, missing = 1, 0
            done = 1 if instance.get_latest_materialization_event(key) is not None else 0
            missing = 1 - done
        latest = instance.get_latest_materialization_event(key)
        materialised_at = datetime.fromtimestamp(latest.timestamp, UTC) if latest else None
        checks = []
        for check_key in sorted(node.check_keys, key=lambda c: c.name):
            history = instance.event_log_storage.get_asset_check_execution_history(check_key, limit=1)
            state, run_id = "not run", None
            if history:
                record = history[0]
                run_id = record.run_id
                evaluation = record.event.asset_check_evaluation if record.event else None
                state = "passed" if evaluation is not None and evaluation.passed else str(record.status.value).lower()
                if evaluation is not None and not evaluation.passed:
                    state = "failed"
            checks.append({"check": check_key.name, "state": state, "run_id": run_id})
        rows.append(
            {
                "asset": key.to_user_string(),
                "partitions": total if partitions is not None else "—",
                "materialised": done,
                "missing": missing,
                "failed": failed,
                "last": materialised_at.strftime("%Y-%m-%d %H:%M") if materialised_at else "never",
                "checks": "; ".join(f"{c['check']}: {c['state']}" for c in checks) or "—",
                "partitioned": partitions is not None,
                "last_materialisation": materialised_at.isoformat() if materialised_at else None,
                "last_run": _last_run(instance, entries.get(key)),
                "check_results": checks,
            }
        )
    return rows


def _last_run(instance: dg.DagsterInstance, entry: Any) -> dict[str, Any] | None:
    """The last run that targeted the asset (failed ones included): id, status, start and end times."""
    run_id = entry.last_run_id if entry is not None else None
    record = instance.get_run_record_by_id(run_id) if run_id else None
    if record is None:
        return None

    def when(timestamp: float | None) -> str | None:
        return datetime.fromtimestamp(timestamp, UTC).isoformat() if timestamp else None

    return {
        "run_id": record.dagster_run.run_id,
        "status": record.dagster_run.status.value,
        "started": when(record.start_time),
        "ended": when(record.end_time),
    }


class PartitionChoice(NamedTuple):
    """What ``observatory materialize`` runs: one partition key or a single-run range, and what was left out."""

    key: str | None
    span: tuple[str, str] | None
    note: str | None = None


class PartitionChoiceError(ValueError):
    """The partitions asked of ``observatory materialize`` do not fit the selected assets; the message says why."""


_MONTH, _DAY = "%Y-%m", "%Y-%m-%d"


def _parse_period(value: str, option: str) -> tuple[date, bool]:
    """``YYYY-MM`` (a month: its first day and True) or ``YYYY-MM-DD`` (a day and False)."""
    text = value.strip()
    for fmt, is_month in ((_DAY, False), (_MONTH, True)):
        try:
            return datetime.strptime(text, fmt).date(), is_month
        except ValueError:
            continue
    raise PartitionChoiceError(f"{option} {value!r}: expected a month YYYY-MM or a day YYYY-MM-DD")


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def choose_partitions(
    defs: dg.Definitions,
    selection: Sequence[str] | str,
    *,
    partition: str | None = None,
    first: str | None = None,
    last: str | None = None,
    source: str | None = None,
) -> PartitionChoice:
    """The partition key or the single-run range of ``observatory materialize``, from days or months.

    Month assets take a month (a day means its month); day assets take a day, and a month means all its days
    (those that exist: the partitions start at OBSERVATORY_PARTITIONS_START and end today). Without ``last`` a
    range runs to the newest partition; without ``source`` a range covers every source (or scope). A value that
    fits nothing raises :class:`PartitionChoiceError`.
    """
    if partition and (first or last):
        raise PartitionChoiceError("give either --partition or --from/--to")
    if last and not first:
        raise PartitionChoiceError("--to needs --from")
    graph = defs.resolve_asset_graph()
    try:
        keys = dg.AssetSelection.from_coercible(selection).resolve(graph)
    except Exception as exc:  # Dagster's message names the bad key or syntax; its first sentence is enough
        reason = str(exc).strip().splitlines()[0].split(". ")[0] if str(exc).strip() else type(exc).__name__
        raise PartitionChoiceError(f"selection {selection!r}: {reason} (`observatory assets` lists them)") from None
    nodes = [graph.get(key) for key in sorted(keys, key=lambda k: k.to_user_string())]
    partitioned = [node for node in nodes if node.partitions_def is not None]
    if not (partition or first):
        if partitioned:
            # Dagster would start the run and fail inside the first step with a traceback.
            raise PartitionChoiceError(
                f"{', '.join(n.key.to_user_string() for n in partitioned)} is partitioned: give --partition "
                "YYYY-MM[-DD] --source KEY, or --from YYYY-MM[-DD] [--to …] [--source KEY]"
            )
        return PartitionChoice(None, None)
    if partition and "|" in partition:  # a full Dagster key: Dagster itself says whether it exists
        return PartitionChoice(partition, None)
    if not partitioned:
        raise PartitionChoiceError(f"{', '.join(n.key.to_user_string() for n in nodes)}: not partitioned")
    definitions = {node.partitions_def for node in partitioned}
    if len(definitions) > 1:
        raise PartitionChoiceError(
            "the selected assets have different partitions (day and month, or source and scope); "
            "materialise them in separate commands"
        )
    names = ", ".join(n.key.to_user_string() for n in partitioned)
    partitions_def = partitioned[0].partitions_def
    time_def: dg.TimeWindowPartitionsDefinition | None = None
    time_name = ""
    other: tuple[str, list[str]] | None = None  # the non-time dimension: its name and keys
    if isinstance(partitions_def, dg.TimeWindowPartitionsDefinition):
        time_def = partitions_def
    elif isinstance(partitions_def, dg.MultiPartitionsDefinition):
        for dimension in partitions_def.partitions_defs:
            if isinstance(dimension.partitions_def, dg.TimeWindowPartitionsDefinition):
                time_def, time_name = dimension.partitions_def, dimension.name
            else:
                other = (dimension.name, list(dimension.partitions_def.get_partition_keys()))
    monthly = isinstance(time_def, dg.MonthlyPartitionsDefinition)
    if time_def is None or not (monthly or isinstance(time_def, dg.DailyPartitionsDefinition)):
        raise PartitionChoiceError(f"{names}: not partitioned by day or month; give a full key with --partition")
    existing = list(time_def.get_partition_keys())
    if not existing:
        raise PartitionChoiceError(f"{names}: no partition exists yet")

    def window(value: str, option: str) -> tuple[date, date]:
        day, is_month = _parse_period(value, option)
        if monthly or is_month:
            return day.replace(day=1), (day.replace(day=1) if monthly else _month_end(day))
        return day, day

    if partition:
        start, end = window(partition, "--partition")
        option = "--partition"
    else:
        start, _ = window(str(first), "--from")
        end = window(last, "--to")[1] if last else date.fromisoformat(existing[-1][:10])
        option = "--from/--to"
        if end < start:
            raise PartitionChoiceError(f"--to {last} is before --from {first}")
    inside = [k for k in existing if start.isoformat() <= k[:10] <= end.isoformat()]
    unit = "month" if monthly else "day"
    note = None
    if inside and (start.isoformat() < inside[0][:10] or end.isoformat() > inside[-1][:10]):
        note = (
            f"{start}..{end} holds {unit} partitions {inside[0][:10]}..{inside[-1][:10]} only (the partitions run from "
            f"{existing[0][:10]}, OBSERVATORY_PARTITIONS_START, to the current {unit})"
        )
    if not inside:
        raise PartitionChoiceError(
            f"{option}: {names} has no {unit} partition between {start} and {end} "
            f"(its partitions run from {existing[0][:10]} to {existing[-1][:10]}"
            + ("; OBSERVATORY_PARTITIONS_START sets the first)" if start.isoformat() < existing[0] else ")")
        )
    if other is None:
        if source:
            raise PartitionChoiceError(f"{names}: partitioned by {unit} only; drop --source")
        first_key, last_key = inside[0], inside[-1]
    else:
        other_name, values = other
        if source is not None and source not in values:
            raise PartitionChoiceError(f"--source {source!r}: {names} has the {other_name}s {', '.join(values)}")
        if source is None and partition:
            raise PartitionChoiceError(f"--partition needs --source ({other_name}: {', '.join(values)})")
        low, high = (source, source) if source else (values[0], values[-1])
        first_key = str(dg.MultiPartitionKey({time_name: inside[0], other_name: low}))
        last_key = str(dg.MultiPartitionKey({time_name: inside[-1], other_name: high}))
    if first_key == last_key:
        return PartitionChoice(first_key, None, note)
    single_run = [n for n in partitioned if n.backfill_policy is None or n.backfill_policy.max_partitions_per_run]
    if single_run:
        raise PartitionChoiceError(
            f"{', '.join(n.key.to_user_string() for n in single_run)} runs one partition at a time: "
            "give one --partition (and --source)"
        )
    return PartitionChoice(None, (first_key, last_key), note)
