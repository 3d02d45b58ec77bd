"""Alerts to operators: a Slack-compatible webhook and/or e-mail over SMTP (plain library, no Dagster).

The webhook URL and the SMTP password are secrets: they are used, never printed, and errors name the
channel, not the address.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any, Literal

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observatory.config import AlertSettings
from observatory.storage.models import Posting, ScrapeRun

log = logging.getLogger(__name__)

Severity = Literal["error", "warning", "info"]
_EMOJI = {"error": ":red_circle:", "warning": ":warning:", "info": ":information_source:"}


class AlertError(RuntimeError):
    """No configured channel accepted the alert."""


@dataclass(frozen=True)
class Alert:
    """One thing an operator should know: what happened, where, and a link when there is one."""

    title: str
    text: str
    severity: Severity = "error"
    fields: dict[str, str] = field(default_factory=dict)
    link: str | None = None

    def plain_text(self) -> str:
        lines = [self.title, "", self.text]
        lines += [f"{name}: {value}" for name, value in self.fields.items()]
        if self.link:
            lines.append(f"details: {self.link}")
        return "\n".join(lines)


def slack_payload(alert: Alert) -> dict[str, Any]:
    """The JSON body of a Slack incoming webhook (``text`` as fallback, ``blocks`` for layout)."""
    summary = f"{_EMOJI[alert.severity]} *{alert.title}*"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{summary}\n{alert.text}"[:3000]}}
    ]
    if alert.fields:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{name}*\n{value}"[:2000]}
                    for name, value in list(alert.fields.items())[:10]
                ],
            }
        )
    if alert.link:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{alert.link}|Open in Dagster>"}]})
    return {"text": f"{alert.title}: {alert.text}"[:3000], "blocks": blocks}


def post_webhook(url: str, alert: Alert, timeout: float = 10.0) -> None:
    """POST the alert as Slack-compatible JSON; raise :class:`AlertError` unless the hook answers 2xx."""
    try:
        response = httpx.post(url, json=slack_payload(alert), timeout=timeout)
    except httpx.HTTPError as exc:
        raise AlertError(f"webhook unreachable: {type(exc).__name__}") from None  # the URL is a secret
    if not response.is_success:
        raise AlertError(f"webhook answered HTTP {response.status_code}: {response.text[:200]}")


def send_email(settings: AlertSettings, alert: Alert, timeout: float = 20.0) -> None:
    """Send the alert to ``settings.email_to`` through the configured SMTP server."""
    if not settings.smtp_host or not settings.email_to:
        raise AlertError("e-mail alerts need OBSERVATORY_ALERTS__SMTP_HOST and OBSERVATORY_ALERTS__EMAIL_TO")
    message = EmailMessage()
    message["Subject"] = f"[observatory] {alert.title}"
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message.set_content(alert.plain_text())
    try:
        smtp: smtplib.SMTP
        if settings.smtp_security == "tls":
            smtp = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        with smtp:
            if settings.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise AlertError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {type(exc).__name__}: {exc}") from None


def channels(settings: AlertSettings) -> list[str]:
    """The configured channels: ``webhook`` and/or ``email``."""
    found = []
    if settings.webhook_url is not None:
        found.append("webhook")
    if settings.smtp_host and settings.email_to:
        found.append("email")
    return found


def notify(settings: AlertSettings, alert: Alert) -> list[str]:
    """Send ``alert`` on every configured channel; returns those that accepted it.

    One failing channel does not stop the others; :class:`AlertError` only when channels exist and all failed.
    """
    delivered, errors = [], []
    for channel in channels(settings):
        try:
            if channel == "webhook" and settings.webhook_url is not None:
                post_webhook(settings.webhook_url.get_secret_value(), alert)
            elif channel == "email":
                send_email(settings, alert)
            delivered.append(channel)
        except AlertError as exc:
            log.warning("alert %r not sent by %s: %s", alert.title, channel, exc)
            errors.append(f"{channel}: {exc}")
    if errors and not delivered:
        raise AlertError("; ".join(errors))
    return delivered


@dataclass(frozen=True)
class SilentSource:
    """A source that was crawled recently but brought no posting: the portal may have changed its markup."""

    source_key: str
    last_posting_seen: datetime | None
    crawls_in_window: int


def silent_sources(session: Session, days: int, now: datetime | None = None) -> list[SilentSource]:
    """Sources crawled (a finished scrape run) in the last ``days`` days that saw no posting in that window,
    though they had postings before."""
    now = now or datetime.now(UTC)
    since = now - timedelta(days=days)
    crawled = dict(
        session.execute(
            select(ScrapeRun.source_key, func.count())
            .where(ScrapeRun.finished_at >= since)
            .group_by(ScrapeRun.source_key)
        ).all()
    )
    last_seen = dict(
        session.execute(select(Posting.source_key, func.max(Posting.last_seen)).group_by(Posting.source_key)).all()
    )
    return [
        SilentSource(key, last_seen[key], int(crawled[key]))
        for key in sorted(crawled)
        if key in last_seen and last_seen[key] < since
    ]
