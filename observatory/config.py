"""Configuration from ``OBSERVATORY_*`` environment variables and an optional TOML/.env file.

Invalid values fail at start-up with a message naming the setting and what it accepts.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from observatory.sources import SOURCES

LLMBackend = Literal["none", "transformers", "openai"]
ReportLanguage = Literal["es", "en"]

DEFAULT_EMBEDDING_MODEL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"


class ConfigurationError(ValueError):
    """Configuration that cannot be used; the message names the setting and accepted values."""


class CrawlSettings(BaseSettings):
    """Politeness and identification of the crawler (``OBSERVATORY_CRAWL__*``)."""

    model_config = SettingsConfigDict(extra="forbid")

    user_agent: str = "observatory-bot/0.1 (+https://github.com/observatory-lmo/observatory; labour-market research)"
    user_agents: list[str] = Field(default_factory=list)
    obey_robots_txt: bool = True
    download_delay: float = Field(default=2.0, ge=0)
    concurrent_requests_per_domain: int = Field(default=1, ge=1, le=8)
    autothrottle: bool = True
    proxies: list[str] = Field(default_factory=list)
    http_cache: bool = False
    max_pages: int = Field(default=50, ge=1)
    base_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Per-source base URL overrides (a mirror, the loopback snapshot): {source_key: url}.",
    )


class Settings(BaseSettings):
    """All settings of the observatory. Environment: ``OBSERVATORY_<NAME>``; nested: ``__``."""

    model_config = SettingsConfigDict(
        env_prefix="OBSERVATORY_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="forbid",
    )

    database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL URL with pgvector; unset means the embedded server in data_dir.",
    )
    data_dir: Path = Field(default=Path(".observatory"))
    sources: list[str] = Field(default_factory=lambda: sorted(SOURCES))
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_dim: int = Field(default=384, ge=8, le=4096)
    embedding_download: bool = Field(
        default=False,
        description="Allow downloading embedding_model from the Hugging Face hub when it is not cached locally.",
    )
    llm_backend: LLMBackend = "none"
    llm_model: str | None = None
    llm_api_base: str | None = None
    llm_api_key: SecretStr | None = None
    report_language: ReportLanguage = "es"
    report_title: str | None = None
    report_logo: Path | None = None
    report_colors: list[str] = Field(default_factory=lambda: ["#1f4e79", "#e07b39", "#3c9d5d", "#8e44ad"])
    report_keep_runs: int = Field(default=10, ge=1)

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in SOURCES]
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; accepted: {', '.join(sorted(SOURCES))}")
        return value

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        # Child processes (crawls, the Dagster daemon) run elsewhere: paths must not depend on cwd.
        return value.expanduser().absolute()

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        url = value.get_secret_value()
        if not url.startswith(("postgresql://", "postgresql+psycopg2://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL (postgresql://user:pass@host:port/db)")
        return value

    @property
    def embedded(self) -> bool:
        """True when the project runs its own PostgreSQL in ``data_dir``."""
        return self.database_url is None


def _format_errors(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        name = "OBSERVATORY_" + "__".join(str(p) for p in e["loc"]).upper()
        accepted = ""
        ctx = e.get("ctx") or {}
        if "expected" in ctx:
            accepted = f" (accepted: {ctx['expected']})"
        lines.append(f"{name}: {e['msg']}{accepted}; got {e.get('input')!r}")
    return "invalid configuration:\n  " + "\n  ".join(lines)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from a TOML file (``OBSERVATORY_CONFIG`` or ``config_file``), env and overrides.

    Environment variables win over the file; explicit overrides win over both.
    """
    file_values: dict[str, Any] = {}
    path = config_file or (Path(os.environ["OBSERVATORY_CONFIG"]) if os.environ.get("OBSERVATORY_CONFIG") else None)
    if path is not None:
        try:
            file_values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigurationError(f"OBSERVATORY_CONFIG: file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"OBSERVATORY_CONFIG: {path} is not valid TOML: {exc}") from None
        env_keys = {k[len("OBSERVATORY_") :].lower().split("__")[0] for k in os.environ if k.startswith("OBSERVATORY_")}
        file_values = {k: v for k, v in file_values.items() if k not in env_keys}
    try:
        return Settings(**{**file_values, **overrides})
    except ValidationError as exc:
        raise ConfigurationError(_format_errors(exc)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings, read once."""
    return load_settings()
