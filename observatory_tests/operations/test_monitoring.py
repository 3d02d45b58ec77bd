"""Alerts: the run-failure and check-failure sensors post Slack-compatible JSON to a webhook on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from observatory.alerts import Alert, AlertError, notify, silent_sources, slack_payload
from observatory.config import AlertSettings, get_settings
from observatory.defs.monitoring import AlertNotifier, check_failure_alert, run_failure_alert
from observatory.storage import Database, upsert
from observatory.storage.models import Posting, ScrapeRun
from observatory_tests.operations.loopback import Webhook, smtp_server, webhook_server


@pytest.fixture()
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhook]:
    with webhook_server() as server:
        monkeypatch.setenv("OBSERVATORY_ALERTS__WEBHOOK_URL", server.url)
        monkeypatch.setenv("OBSERVATORY_ALERTS__UI_URL", "http://observatory.example:3000")
        get_settings.cache_clear()
        yield server
    get_settings.cache_clear()


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["co-computrabajo"]))
def broken_crawl() -> None:
    raise RuntimeError("portal answered 503 for every listing page")


@dg.asset(check_specs=[dg.AssetCheckSpec("has_rows", asset="month_totals")])
def month_totals() -> dg.MaterializeResult:
    return dg.MaterializeResult(
        check_results=[dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, metadata={"rows": 0})]
    )


def test_run_failure_sensor_posts_to_the_webhook(hook: Webhook) -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([broken_crawl], instance=instance, partition_key="co-computrabajo", raise_on_error=False)
    assert not result.success
    context = dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
        resources={"alerts": AlertNotifier()},
    ).for_run_failure()
    run_failure_alert(context)

    assert len(hook.posts) == 1
    body = hook.posts[0]
    assert body["text"].startswith("Run failed: __ephemeral_asset_job__")
    rendered = str(body["blocks"])
    assert "broken_crawl" in rendered  # the failed step
    assert "co-computrabajo" in rendered  # the partition
    assert f"/runs/{result.run_id}" in rendered


def test_check_failure_sensor_posts_failed_checks(hook: Webhook) -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([month_totals], instance=instance)
    assert result.success
    success = next(e for e in result.all_events if e.event_type_value == "PIPELINE_SUCCESS")
    context = dg.build_run_status_sensor_context(
        sensor_name="check_failure_alert",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=success,
        resources={"alerts": AlertNotifier()},
    )
    check_failure_alert(context)
    assert len(hook.posts) == 1
    assert "month_totals · has_rows (warn)" in hook.posts[0]["blocks"][0]["text"]["text"]


def test_no_channel_configured_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OBSERVATORY_ALERTS__WEBHOOK_URL", raising=False)
    assert notify(AlertSettings(), Alert("t", "x")) == []


def test_webhook_errors_do_not_reveal_the_url() -> None:
    with webhook_server() as server:
        server.status = 500
        settings = AlertSettings(webhook_url=server.url)
        with pytest.raises(AlertError) as failure:
            notify(settings, Alert("Run failed", "boom"))
    assert "HTTP 500" in str(failure.value)
    assert "secret-token" not in str(failure.value)
    with pytest.raises(AlertError, match="unreachable") as failure:
        notify(AlertSettings(webhook_url=server.url), Alert("Run failed", "boom"))  # server gone
    assert "secret-token" not in str(failure.value)


def test_slack_payload_shape() -> None:
    payload = slack_payload(Alert("Run failed", "boom", fields={"job": "crawl"}, link="http://ui/runs/1"))
    assert payload["text"] == "Run failed: boom"
    assert [b["type"] for b in payload["blocks"]] == ["section", "section", "context"]


def test_email_alert_through_a_local_smtp_server() -> None:
    with smtp_server() as mailbox:
        settings = AlertSettings(
            smtp_host=mailbox.host,
            smtp_port=mailbox.port,
            smtp_security="none",
            smtp_user="observatory",
            smtp_password="s3cret",
            email_to=["ops@example.org"],
        )
        assert notify(settings, Alert("Run failed", "boom", fields={"job": "crawl"})) == ["email"]
    [message] = mailbox.messages
    assert message["auth"] == ("observatory", "s3cret")
    assert message["rcpt"] == ["<ops@example.org>"]
    assert "Subject: [observatory] Run failed" in message["data"] and "job: crawl" in message["data"]


def test_unreachable_smtp_is_a_clear_error() -> None:
    settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=9, smtp_security="none", email_to=["ops@example.org"])
    with pytest.raises(AlertError, match=r"SMTP 127\.0\.0\.1:9"):
        notify(settings, Alert("Run failed", "boom"))


def test_silent_sources_flags_a_crawled_source_without_postings(db: Database) -> None:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with db.session() as session:
        upsert(
            session,
            ScrapeRun,
            [
                {"run_key": "r1", "source_key": "ar-bumeran", "finished_at": now - timedelta(days=1), "status": "ok"},
                {"run_key": "r2", "source_key": "co-elempleo", "finished_at": now - timedelta(days=1), "status": "ok"},
            ],
            conflict=["run_key"],
        )
        rows = [
            {
                "id": f"{portal}:1",
                "source_key": key,
                "portal": portal,
                "country": key[:2],
                "native_id": "1",
                "title": "Analista",
                "content_hash": "x",
                "last_seen": seen,
            }
            for key, portal, seen in (
                ("ar-bumeran", "bumeran", now - timedelta(days=10)),  # crawled since, nothing new: silent
                ("co-elempleo", "elempleo", now - timedelta(hours=5)),
            )
        ]
        upsert(session, Posting, rows, conflict=["id"])
    with db.session() as session:
        silent = silent_sources(session, days=3, now=now)
    assert [s.source_key for s in silent] == ["ar-bumeran"]


def test_raw_postings_has_the_crawl_freshness_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    from observatory.definitions import build_definitions

    monkeypatch.setenv("OBSERVATORY_ALERTS__CRAWL_MAX_AGE_HOURS", "24")
    graph = build_definitions().get_repository_def().asset_graph
    policy = graph.get(dg.AssetKey("raw_postings")).freshness_policy
    assert isinstance(policy, dg.FreshnessPolicy)
    assert policy.fail_window.to_timedelta() == timedelta(hours=24)  # type: ignore[attr-defined]
    assert graph.get(dg.AssetKey("skill_clusters")).freshness_policy is None


def test_freshness_alert_posts_a_stale_crawl(hook: Webhook) -> None:
    from dagster._core.definitions.freshness import FreshnessState, FreshnessStateChange

    from observatory.defs.monitoring import freshness_alert

    instance = dg.DagsterInstance.ephemeral()
    context = dg.build_sensor_context(instance=instance, resources={"alerts": AlertNotifier()})
    freshness_alert(context)  # first tick: remembers where the event log stands
    for new, old in ((FreshnessState.PASS, FreshnessState.UNKNOWN), (FreshnessState.FAIL, FreshnessState.PASS)):
        instance._report_runless_asset_event(  # what the daemon's freshness evaluation writes
            FreshnessStateChange(
                key=dg.AssetKey("raw_postings"), new_state=new, previous_state=old, state_change_timestamp=0.0
            )
        )
    context = dg.build_sensor_context(instance=instance, cursor=context.cursor, resources={"alerts": AlertNotifier()})
    freshness_alert(context)
    assert [p["text"].split(":")[0] for p in hook.posts] == ["raw_postings is stale"]
    freshness_alert(
        dg.build_sensor_context(instance=instance, cursor=context.cursor, resources={"alerts": AlertNotifier()})
    )
    assert len(hook.posts) == 1  # each change is posted once
