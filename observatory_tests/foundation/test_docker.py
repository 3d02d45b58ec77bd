"""The docker files stay consistent with the project (no engine runs here, so check them offline)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_services_and_wiring() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "code", "webserver", "daemon"}
    assert "pgvector" in services["db"]["image"]
    assert services["code"]["build"]["dockerfile"] == "docker/Dockerfile"
    for name in ("code", "webserver", "daemon"):
        env = services[name]["environment"]
        assert "OBSERVATORY_DATABASE_URL" in env and "DAGSTER_POSTGRES_URL" in env
    # the UI is published on loopback only
    assert services["webserver"]["ports"] == ["127.0.0.1:3000:3000"]


def test_dockerfile_uses_files_that_exist() -> None:
    text = (ROOT / "docker" / "Dockerfile").read_text()
    for line in text.splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists(), src
    assert "observatory.definitions" in text
    workspace = yaml.safe_load((ROOT / "docker" / "workspace.docker.yaml").read_text())
    assert workspace["load_from"][0]["grpc_server"]["host"] == "code"


def test_dagster_yaml_uses_postgres_from_env() -> None:
    instance = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    assert instance["storage"]["postgres"]["postgres_url"] == {"env": "DAGSTER_POSTGRES_URL"}
