"""Configuration: environment, config file, and errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.config import ConfigurationError, load_settings
from observatory.sources import SOURCES, UnknownSourceError, get_source


def test_defaults_use_embedded_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.embedded
    assert settings.crawl.obey_robots_txt is True
    assert settings.crawl.concurrent_requests_per_domain == 1
    assert settings.partitions_start.isoformat() == "2025-06-01"


def test_environment_and_nested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "en")
    monkeypatch.setenv("OBSERVATORY_CRAWL__DOWNLOAD_DELAY", "5")
    monkeypatch.setenv("OBSERVATORY_PARTITIONS_START", "2024-01-01")
    settings = load_settings()
    assert settings.report_language == "en"
    assert settings.crawl.download_delay == 5
    assert settings.partitions_start.isoformat() == "2024-01-01"


@pytest.mark.parametrize(
    ("env", "value", "expected"),
    [
        ("OBSERVATORY_REPORT_LANGUAGE", "fr", ["OBSERVATORY_REPORT_LANGUAGE", "'es' or 'en'"]),
        ("OBSERVATORY_LLM_BACKEND", "magic", ["OBSERVATORY_LLM_BACKEND", "'none'", "'openai'"]),
        ("OBSERVATORY_PARTITIONS_START", "June", ["OBSERVATORY_PARTITIONS_START", "date"]),
        ("OBSERVATORY_DATABASE_URL", "mysql://x", ["OBSERVATORY_DATABASE_URL", "PostgreSQL URL"]),
        ("OBSERVATORY_CRAWL__DOWNLOAD_DELAY", "-1", ["OBSERVATORY_CRAWL__DOWNLOAD_DELAY", "greater than"]),
    ],
)
def test_invalid_values_name_setting_and_accepted(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, expected: list[str]
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigurationError) as info:
        load_settings()
    for fragment in expected:
        assert fragment in str(info.value)


def test_unknown_setting_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_DATABSE_URL", "postgresql://typo")
    # pydantic-settings ignores unknown env vars; a typo in a config file is caught instead.
    settings = load_settings()
    assert settings.database_url is None


def test_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "observatory.toml"
    cfg.write_text('report_language = "en"\nreport_title = "Observatorio"\n[crawl]\nmax_pages = 3\n')
    monkeypatch.setenv("OBSERVATORY_CONFIG", str(cfg))
    settings = load_settings()
    assert settings.report_language == "en"
    assert settings.crawl.max_pages == 3
    monkeypatch.setenv("OBSERVATORY_REPORT_LANGUAGE", "es")
    assert load_settings().report_language == "es"  # environment wins over the file


def test_environment_merges_into_file_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "observatory.toml"
    cfg.write_text('[crawl]\nmax_pages = 3\nuser_agent = "file-agent"\n')
    monkeypatch.setenv("OBSERVATORY_CONFIG", str(cfg))
    monkeypatch.setenv("OBSERVATORY_CRAWL__DOWNLOAD_DELAY", "7")
    crawl = load_settings().crawl
    # One nested variable overrides one key; the rest of the file's [crawl] table stays.
    assert (crawl.download_delay, crawl.max_pages, crawl.user_agent) == (7, 3, "file-agent")


def test_config_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_settings(config_file=tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("report_language = ")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        load_settings(config_file=bad)
    typo = tmp_path / "typo.toml"
    typo.write_text('report_lenguage = "en"\n')
    with pytest.raises(ConfigurationError, match="OBSERVATORY_REPORT_LENGUAGE"):
        load_settings(config_file=typo)


def test_api_key_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATORY_LLM_API_KEY", "sk-very-secret")
    settings = load_settings()
    assert "sk-very-secret" not in repr(settings)
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == "sk-very-secret"


def test_source_registry() -> None:
    assert get_source("co-elempleo").portal == "elempleo"
    assert "ar-elempleo" not in SOURCES  # ElEmpleo serves Colombia only: no cross product
    assert get_source("ar-zonajobs").site_id == "ZJAR"
    for key in SOURCES:
        assert not set(key) & set("|,[]")
    with pytest.raises(UnknownSourceError, match="known sources"):
        get_source("xx-nothing")


def test_data_dir_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", "rel/data")
    assert load_settings().data_dir == tmp_path / "rel" / "data"


def test_a_dotenv_file_names_its_unknown_keys_once_and_says_where_environment_only_ones_belong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "OBSERVATORY_CACHE_DIR=/tmp/cache\nOBSERVATORY_DATABSE_URL=postgresql://u:secret@db/x\n", encoding="utf-8"
    )
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    text = str(caught.value)
    # Each key as the user wrote it (the prefix not doubled), the misspelt one as not permitted, the
    # environment-only one with where it belongs; no value (the URL's password) is printed.
    assert "OBSERVATORY_OBSERVATORY_" not in text
    assert "OBSERVATORY_DATABSE_URL: Extra inputs are not permitted" in text
    assert "OBSERVATORY_CACHE_DIR: read from the environment only" in text
    assert "secret" not in text
