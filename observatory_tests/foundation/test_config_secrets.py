"""Configuration errors name a rejected secret setting but never print its value (terminal, logs, --debug)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from observatory.config import ConfigurationError, Settings, load_settings

SECRET = "Zq7-s3cret-V4lue-x9"


def _secret_settings(model: type[BaseModel] = Settings, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, field in model.model_fields.items():
        types = (field.annotation, *getattr(field.annotation, "__args__", ()))
        if SecretStr in types:
            yield (*prefix, name)
        for sub in types:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                yield from _secret_settings(sub, (*prefix, name))


SECRET_SETTINGS = sorted(_secret_settings())


def _variable(path: tuple[str, ...]) -> str:
    return "OBSERVATORY_" + "__".join(path).upper()


def _toml(path: tuple[str, ...], value: str) -> str:
    if len(path) == 1:
        return f"{path[0]} = {value}\n"
    return f"[{'.'.join(path[:-1])}]\n{path[-1]} = {value}\n"


@pytest.fixture(autouse=True)
def _no_secret_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in SECRET_SETTINGS:
        monkeypatch.delenv(_variable(path), raising=False)
    monkeypatch.delenv("OBSERVATORY_CONFIG", raising=False)


def test_every_secret_setting_is_found() -> None:
    # The walk above must see the nested ones too, or the tests below would silently cover fewer.
    assert {"database_url", "hash_key", "llm_api_key"} <= {p[-1] for p in SECRET_SETTINGS}
    assert ("alerts", "webhook_url") in SECRET_SETTINGS and ("alerts", "smtp_password") in SECRET_SETTINGS


@pytest.mark.parametrize("path", SECRET_SETTINGS, ids=lambda p: ".".join(p))
@pytest.mark.parametrize(
    "value",
    [f'["{SECRET}"]', f'{{ token = "{SECRET}" }}', '"mysql://observatory:' + SECRET + '@db.example:5432/lmo"'],
    ids=["list", "table", "url"],
)
def test_bad_secret_in_the_config_file_is_named_not_printed(path: tuple[str, ...], value: str, tmp_path: Path) -> None:
    config = tmp_path / "observatory.toml"
    config.write_text(_toml(path, value), encoding="utf-8")
    if value.startswith('"mysql') and path[-1] not in ("database_url", "webhook_url"):
        load_settings(config)  # a plain string is a valid value for the secrets whose form is not checked
        return
    with pytest.raises(ConfigurationError) as info:
        load_settings(config)
    assert _variable(path) in str(info.value)
    assert SECRET not in str(info.value)
    assert all(SECRET not in str(problem) for problem in info.value.problems)


@pytest.mark.parametrize(
    ("variable", "value", "shown"),
    [
        ("OBSERVATORY_DATABASE_URL", f"mysql://observatory:{SECRET}@db.example:5432/lmo", "mysql://db.example:5432/…"),
        ("OBSERVATORY_DATABASE_URL", f"observatory:{SECRET}@db.example/lmo", "characters (not shown)"),
        ("OBSERVATORY_DATABASE_URL", f"postgresql://observatory:{SECRET}@db.example:54x2/lmo", "(not shown)"),
        ("OBSERVATORY_ALERTS__WEBHOOK_URL", f"hooks.example.com/services/T0/B0/{SECRET}", "characters (not shown)"),
        ("OBSERVATORY_ALERTS__WEBHOOK_URL", f"ftp://hooks.example.com/{SECRET}", "ftp://hooks.example.com/"),
    ],
)
def test_bad_secret_url_in_the_environment_shows_scheme_and_host_only(
    variable: str, value: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as info:
        load_settings()
    message = str(info.value)
    assert variable in message and shown in message
    assert SECRET not in message


def test_misspelt_secret_key_is_named_without_its_value(tmp_path: Path) -> None:
    config = tmp_path / "observatory.toml"
    config.write_text(f'[alerts]\nsmtp_pasword = "{SECRET}"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError) as info:
        load_settings(config)
    assert "OBSERVATORY_ALERTS__SMTP_PASWORD" in str(info.value) and SECRET not in str(info.value)


def test_password_of_a_proxy_url_is_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    # Not a secret setting, but a URL in it may carry one: a rejected list is shown with the password masked.
    monkeypatch.setenv("OBSERVATORY_CRAWL__PROXIES", f'"http://bot:{SECRET}@proxy.example:3128"')
    with pytest.raises(ConfigurationError) as info:
        load_settings()
    assert "OBSERVATORY_CRAWL__PROXIES" in str(info.value) and SECRET not in str(info.value)


def test_plain_values_are_still_quoted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "fr")
    with pytest.raises(ConfigurationError, match="got 'fr'"):
        load_settings()


@pytest.mark.parametrize("debug", [["--debug"], []], ids=["debug", "plain"])
def test_command_line_never_prints_the_secret(debug: list[str], tmp_path: Path) -> None:
    config = tmp_path / "observatory.toml"
    config.write_text(f'hash_key = ["{SECRET}"]\n[alerts]\nsmtp_password = 12345\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATORY_")}
    env |= {
        "OBSERVATORY_DATA_DIR": str(tmp_path / "data"),
        "OBSERVATORY_CONFIG": str(config),
        "OBSERVATORY_DATABASE_URL": f"mysql://observatory:{SECRET}@db.example/lmo",
        "OBSERVATORY_LLM_API_KEY": SECRET,  # valid itself: never printed either
    }
    result = subprocess.run(
        [sys.executable, "-m", "observatory.cli", *debug, "db", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    for variable in ("OBSERVATORY_DATABASE_URL", "OBSERVATORY_HASH_KEY", "OBSERVATORY_ALERTS__SMTP_PASSWORD"):
        assert variable in output
    assert SECRET not in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OBSERVATORY_ALERTS", f'{{"smtp_password": "{SECRET}", '),
        ("OBSERVATORY_CRAWL__PROXIES", f'["http://bot:{SECRET}@proxy.example:3128", '),
    ],
)
def test_nested_setting_that_is_no_json_is_a_configuration_error(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as info:
        load_settings()
    message = str(info.value)
    assert variable.split("__")[0] in message and "Invalid JSON: line 1 column" in message
    assert SECRET not in message
