"""Monitoring: alerts on failed runs and failed checks, freshness of the crawl, and silent sources.

Alerts go to the channels of ``OBSERVATORY_ALERTS__*`` (a Slack-compatible webhook and/or SMTP e-mail) through
:mod:`observatory.alerts`; the settings are read when an alert is sent, so secrets never enter a definition.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

import dagster as dg
from dagster._core.definitions.freshness import FreshnessStateChange
from dagster._core.events import DagsterEventType

from observatory.alerts import Alert, channels, notify, silent_sources
from observatory.config import AlertSettings, ConfigurationError, load_settings
from observatory.defs.resources import ObservatoryDatabase

SILENT_SOURCES = "sources_not_silent"


class AlertNotifier(dg.ConfigurableResource):
    """Sends alerts on the configured channels (settings read at send time, from the environment)."""

    def settings(self) -> AlertSettings:
        return load_settings().alerts

    def send(self, alert: Alert) -> list[str]:
        """Deliver ``alert``; returns the channels that accepted it (none configured: nothing is sent)."""
        return notify(self.settings(), alert)


def _run_link(settings: AlertSettings, run_id: str) -> str | None:
    return f"{settings.ui_url.rstrip('/')}/runs/{run_id}" if settings.ui_url else None


def _failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[tuple[str, str, str]]:
    """(asset, check, severity) of every check that did not pass in the run."""
    failed = []
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.dagster_event.event_specific_data if entry.dagster_event else None
        if isinstance(evaluation, dg.AssetCheckEvaluation) and not evaluation.passed:
            failed.append((evaluation.asset_key.to_user_string(), evaluation.check_name, evaluation.severity.value))
    return failed


def _run_fields(run: dg.DagsterRun) -> dict[str, str]:
    fields = {"run": run.run_id, "job": run.job_name}
    partition = run.tags.get("dagster/partition") or (
        f"{run.tags['dagster/asset_partition_range_start']} … {run.tags['dagster/asset_partition_range_end']}"
        if "dagster/asset_partition_range_start" in run.tags
        else None
    )
    if partition:
        fields["partition"] = partition
    return fields


@dg.run_failure_sensor(
    name="run_failure_alert",
    description="Posts every failed run (job, partition, error, failed checks) to the alert channels.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    monitor_all_code_locations=True,
)
def run_failure_alert(context: dg.RunFailureSensorContext, alerts: AlertNotifier) -> None:
    settings = alerts.settings()
    if not channels(settings):
        return
    run = context.dagster_run
    fields = _run_fields(run)
    failed_steps = [e.step_key for e in context.get_step_failure_events() if e.step_key]
    if failed_steps:
        fields["failed steps"] = ", ".join(failed_steps)[:500]
    failed = _failed_checks(context.instance, run.run_id)
    if failed:
        fields["failed checks"] = ", ".join(f"{asset}:{check}" for asset, check, _ in failed)[:500]
    message = context.failure_event.message or "run failed"
    alert = Alert(
        title=f"Run failed: {run.job_name}",
        text=message[:1500],
        severity="error",
        fields=fields,
        link=_run_link(settings, run.run_id),
    )
    delivered = alerts.send(alert)
    context.log.info(f"run failure of {run.run_id} sent to {', '.join(delivered)}")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="check_failure_alert",
    description="Posts the asset checks that failed in a successful run (a portal that changed, an empty month).",
    default_status=dg.DefaultSensorStatus.RUNNING,
    monitor_all_code_locations=True,
)
def check_failure_alert(context: dg.RunStatusSensorContext, alerts: AlertNotifier) -> None:
    settings = alerts.settings()
    if not channels(settings):
        return
    run = context.dagster_run
    failed = _failed_checks(context.instance, run.run_id)
    if not failed:
        return
    errors = any(severity == "ERROR" for _, _, severity in failed)
    alert = Alert(
        title=f"{len(failed)} check(s) failed in {run.job_name}",
        text="\n".join(f"• {asset} · {check} ({severity.lower()})" for asset, check, severity in failed)[:1500],
        severity="error" if errors else "warning",
        fields=_run_fields(run),
        link=_run_link(settings, run.run_id),
    )
    delivered = alerts.send(alert)
    context.log.info(f"{len(failed)} failed check(s) of {run.run_id} sent to {', '.join(delivered)}")


@dg.asset_check(
    asset="raw_postings",
    name=SILENT_SOURCES,
    description="Every source crawled in the last days brought postings (none: the portal may have changed).",
)
def sources_not_silent(database: ObservatoryDatabase) -> dg.AssetCheckResult:
    settings = database.settings()
    days = settings.alerts.crawl_empty_days
    with database.get().session() as session:
        silent = silent_sources(session, days)
    return dg.AssetCheckResult(
        passed=not silent,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            "no silent source"
            if not silent
            else "crawled but no posting in the last "
            f"{days} days: {', '.join(s.source_key for s in silent)} (check the spider against the live page)"
        ),
        metadata={
            "silent_sources": [s.source_key for s in silent],
            "window_days": days,
        },
    )


def _crawl_max_age() -> timedelta:
    try:
        return timedelta(hours=load_settings().alerts.crawl_max_age_hours)
    except ConfigurationError:  # reported by the command that loads the settings
        return timedelta(hours=AlertSettings().crawl_max_age_hours)


def crawl_freshness_policy() -> dg.FreshnessPolicy:
    """raw_postings warns after half the allowed age without a new partition and fails after all of it."""
    fail = _crawl_max_age()
    return dg.FreshnessPolicy.time_window(fail_window=fail, warn_window=fail / 2)


def with_crawl_freshness(defs: dg.Definitions) -> dg.Definitions:
    """Attach the crawl freshness policy to raw_postings (evaluated by the Dagster daemon's freshness daemon)."""
    policy = crawl_freshness_policy()
    crawl = dg.AssetKey("raw_postings")
    with warnings.catch_warnings():  # map_asset_specs delegates to a preview API in 1.13; the public call is stable
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return defs.map_asset_specs(
            func=lambda spec: dg.apply_freshness_policy(spec, policy) if spec.key == crawl else spec
        )


@dg.sensor(
    name="freshness_alert",
    description="Posts an asset that turned stale (its freshness policy failed), e.g. no crawl for a day and a half.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
)
def freshness_alert(context: dg.SensorEvaluationContext, alerts: AlertNotifier) -> dg.SkipReason | None:
    after = int(context.cursor) if context.cursor else None
    if after is None:  # first tick: start from now, do not replay history
        latest = context.instance.get_event_records(
            dg.EventRecordsFilter(event_type=DagsterEventType.FRESHNESS_STATE_CHANGE), limit=1
        )
        context.update_cursor(str(latest[0].storage_id if latest else 0))
        return dg.SkipReason("watching freshness changes from now on")
    records = context.instance.get_event_records(
        dg.EventRecordsFilter(event_type=DagsterEventType.FRESHNESS_STATE_CHANGE, after_cursor=after),
        limit=200,
        ascending=True,
    )
    if not records:
        return dg.SkipReason("no freshness change")
    settings = alerts.settings()
    for record in records:
        event = record.event_log_entry.dagster_event
        change = event.event_specific_data if event else None
        if not isinstance(change, FreshnessStateChange):
            continue
        state = change.new_state.value
        if state in ("FAIL", "WARN") and channels(settings):
            asset = change.key.to_user_string()
            alerts.send(
                Alert(
                    title=f"{asset} is {'stale' if state == 'FAIL' else 'getting stale'}",
                    text=f"freshness {change.previous_state.value} → {state}: no new materialisation within its "
                    "freshness policy; check the crawl schedule and the last runs",
                    severity="error" if state == "FAIL" else "warning",
                    fields={"asset": asset},
                    link=f"{settings.ui_url.rstrip('/')}/assets/{asset}" if settings.ui_url else None,
                )
            )
    context.update_cursor(str(records[-1].storage_id))
    return None


defs = dg.Definitions(
    asset_checks=[sources_not_silent],
    sensors=[run_failure_alert, check_failure_alert, freshness_alert],
    resources={"alerts": AlertNotifier()},
)
