"""The scale-out configurations load offline: the Docker instance as a real Dagster instance, the compose file and
the Helm values parsed and checked for what the deployment needs (same image, external PostgreSQL, secrets from
the environment, one crawl per portal at a time)."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import yaml
from dagster._config import process_config

from observatory.defs.runs import PROJECT_ROOT
from observatory.storage import Database, dagster_url

dagster_docker = pytest.importorskip("dagster_docker", reason="dagster-docker (dev extra) validates the Docker config")
dagster_k8s = pytest.importorskip("dagster_k8s", reason="dagster-k8s (dev extra) validates the Helm values")

DOCKER = PROJECT_ROOT / "docker"
HELM_VALUES = PROJECT_ROOT / "deploy" / "helm" / "values.yaml"
PORTAL_TAG = "observatory/portal"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def portal_limit(limits: list[dict[str, Any]]) -> dict[str, Any]:
    return next(limit for limit in limits if limit["key"] == PORTAL_TAG)


def test_schedule_fans_out_one_run_per_source_tagged_with_its_portal() -> None:
    from observatory.defs.scraping import raw_postings_schedule
    from observatory.sources import SOURCES

    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 2, 3))
    requests = raw_postings_schedule(context)
    assert len(requests) == len(SOURCES)  # crawl fan-out: one run per source partition
    assert {r.partition_key.split("|")[1] for r in requests} == set(SOURCES)  # type: ignore[union-attr]
    assert {r.tags[PORTAL_TAG] for r in requests} == {s.portal for s in SOURCES.values()}


@pytest.mark.parametrize("config", ["dagster.yaml", "docker/dagster.scale-out.yaml"])
def test_instance_configs_load_as_real_dagster_instances(
    config: str, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(PROJECT_ROOT / config, home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_POSTGRES_URL", dagster_url(database.url))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        coordinator = instance.run_coordinator
        assert type(coordinator).__name__ == "QueuedRunCoordinator"
        limits = coordinator.get_run_queue_config().tag_concurrency_limits  # type: ignore[attr-defined]
        assert portal_limit(limits)["limit"] == 1
        assert portal_limit(limits)["value"] == {"applyLimitPerUniqueValue": True}
        if "scale-out" in config:
            launcher = instance.run_launcher
            assert isinstance(launcher, dagster_docker.DockerRunLauncher)
            assert launcher.networks == ["observatory"]
            # Secrets reach run containers by name from the environment, never as values in the file.
            assert {"OBSERVATORY_DATABASE_URL", "DAGSTER_POSTGRES_URL"} <= set(launcher.env_vars)
            assert instance.run_monitoring_enabled


def test_scale_out_compose_uses_one_image_and_external_postgres() -> None:
    compose = load(DOCKER / "compose.scale-out.yaml")
    services = compose["services"]
    assert set(services) == {"code", "webserver", "daemon"}  # no database container: PostgreSQL is external
    images = {service["image"] for service in services.values()}
    assert images == {"observatory:latest"}
    assert services["code"]["environment"]["DAGSTER_CURRENT_IMAGE"] == "observatory:latest"
    assert services["code"]["build"]["args"]["EXTRAS"] == "deploy"
    text = (DOCKER / "compose.scale-out.yaml").read_text()
    for name in ("OBSERVATORY_DATABASE_URL", "DAGSTER_POSTGRES_URL"):
        assert re.search(rf"{name}: \${{{name}:\?", text), f"{name} must be required from the environment"
    assert not re.search(r"postgres(ql)?://[^$\s]*:[^$@\s]+@", text.replace("…", "")), "no password in the file"
    daemon_volumes = services["daemon"]["volumes"]
    assert "/var/run/docker.sock:/var/run/docker.sock" in daemon_volumes
    mounted = {v.split(":")[0]: v.split(":")[1] for v in daemon_volumes if v.startswith("./")}
    home = next(
        line.split("=", 1)[1].split()[0]
        for line in (DOCKER / "Dockerfile").read_text().splitlines()
        if "DAGSTER_HOME=" in line
    )
    assert mounted == {"./dagster.scale-out.yaml": f"{home}/dagster.yaml"}
    assert (DOCKER / "dagster.scale-out.yaml").is_file()
    launcher = load(DOCKER / "dagster.scale-out.yaml")["run_launcher"]["config"]
    assert launcher["network"] in compose["networks"]
    assert "EXTRAS" in (DOCKER / "Dockerfile").read_text()
    workspace = load(DOCKER / "workspace.docker.yaml")["load_from"][0]["grpc_server"]
    assert workspace["host"] == "code" and f'"{workspace["port"]}"' in (DOCKER / "Dockerfile").read_text()


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_helm_values_configure_k8s_run_launcher_queue_and_external_postgres() -> None:
    values = load(HELM_VALUES)
    deployments = values["dagster-user-deployments"]["deployments"]
    assert values["dagster-user-deployments"]["enabled"] is True and len(deployments) == 1
    code = deployments[0]
    assert code["dagsterApiGrpcArgs"] == ["--module-name", "observatory.definitions"]
    assert code["image"]["tag"] != "latest"  # every run of a release uses the same image
    assert code["includeConfigInLaunchedRuns"]["enabled"] is True  # runs get the code location's image and env

    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    k8s = values["runLauncher"]["config"]["k8sRunLauncher"]
    # What the chart renders into the instance's run_launcher config must be valid for dagster-k8s.
    rendered = {_snake(k): v for k, v in k8s.items()}
    rendered["env_secrets"] = [s["name"] for s in k8s["envSecrets"]]
    rendered["run_k8s_config"] = {_snake(k): v for k, v in k8s["runK8sConfig"].items()}
    # Fields the chart fills in itself from the release (names as for `helm install observatory`).
    rendered |= {
        "load_incluster_config": True,
        "instance_config_map": "observatory-dagster-instance",
        "service_account_name": "observatory-dagster",
        "dagster_home": "/opt/dagster/dagster_home",
        "postgres_password_secret": values["global"]["postgresqlSecretName"],
    }
    result = process_config(dg.Shape(dagster_k8s.K8sRunLauncher.config_type()), rendered)
    assert result.success, [e.message for e in result.errors or []]
    assert rendered["env_secrets"] == [s["name"] for s in code["envSecrets"]]

    coordinator = values["dagsterDaemon"]["runCoordinator"]
    assert coordinator["enabled"] is True and coordinator["type"] == "QueuedRunCoordinator"
    queued = coordinator["config"]["queuedRunCoordinator"]
    assert portal_limit(queued["tagConcurrencyLimits"]) == portal_limit(
        load(DOCKER / "dagster.scale-out.yaml")["run_coordinator"]["config"]["tag_concurrency_limits"]
    )
    postgres = values["postgresql"]
    assert postgres["enabled"] is False and postgres["postgresqlHost"] and "postgresqlPassword" not in postgres
    assert values["generatePostgresqlPasswordSecret"] is False and values["global"]["postgresqlSecretName"]
