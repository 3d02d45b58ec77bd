"""Errors as one line for a terminal: the outer error, its innermost cause, and no password of a URL.

Plain (no Dagster, no CLI): the command line formats Python exceptions with it and the run summary formats
Dagster's serialised step errors, whose outer message ("Error occurred while executing op …:") says nothing
by itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# scheme://user:password@host — the password of a database or webhook URL quoted in a driver's message.
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@", re.IGNORECASE)
MAX_PART = 200


def redact(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def _part(type_name: str, message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    text = f"{type_name}: {lines[0]}" if lines else type_name
    return text if len(text) <= MAX_PART else text[: MAX_PART - 1] + "…"


def error_line(chain: Sequence[tuple[str, str]]) -> str:
    """One line from ``(type name, message)`` pairs, outermost first: the outer error and the innermost cause.

    Only the first line of each message; the errors in between are left out (the outer says where, the
    innermost what went wrong).
    """
    if not chain:
        return "unknown error"
    outer = _part(*chain[0])
    if len(chain) == 1:
        return redact(outer)
    return redact(f"{outer.rstrip(':')} (cause: {_part(*chain[-1])})")


def exception_chain(exc: BaseException) -> list[tuple[str, str]]:
    """``(type name, message)`` of ``exc`` and the exceptions it was raised from or while handling.

    An implicit context hidden on purpose (``raise … from None``) is not followed.
    """
    chain: list[tuple[str, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((type(current).__name__, str(current)))
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain


def serialised_chain(error: object) -> list[tuple[str, str]]:
    """The chain of a serialised error (Dagster's ``SerializableErrorInfo``: ``cls_name``, ``message``,
    ``cause``, ``context``), whose messages start with the dotted class name."""
    chain: list[tuple[str, str]] = []
    current: object | None = error
    while current is not None and len(chain) < 50:  # finite once serialised, bounded anyway
        name = str(getattr(current, "cls_name", "") or "Error")
        chain.append((name, _without_class(name, str(getattr(current, "message", "") or ""))))
        current = getattr(current, "cause", None) or getattr(current, "context", None)
    return chain


def _without_class(cls_name: str, message: str) -> str:
    head, sep, rest = message.partition(": ")
    if sep and (head == cls_name or head.endswith("." + cls_name)):
        return rest
    return message
