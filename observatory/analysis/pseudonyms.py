"""Keyed pseudonyms for the posting ids and employer names of the stored demand (HMAC-SHA256 under a secret key).

A plain digest (md5 of an id) can be reversed by anyone who hashes the public ids or a list of names, and an
employer can be a natural person. The key is ``OBSERVATORY_HASH_KEY`` when set (a secret shared by the
processes of one installation, at least 16 characters), otherwise a random key made once in
``<data_dir>/hash.key`` (mode 0600). It never goes into the database, the stored files, reports, manifests or
logs; stored files carry :attr:`PseudonymKey.key_id`, a digest of the key from which the key cannot be
recovered, so that files made under another key are rebuilt instead of mixing two sets of pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.config import ConfigurationError, Settings

log = logging.getLogger(__name__)

KEY_ENV = "OBSERVATORY_HASH_KEY"
KEY_FILE = "hash.key"
MIN_KEY_CHARS = 16
PSEUDONYM_CHARS = 32  # hex characters kept of the HMAC: 128 bits, the width of the md5 it replaces
_KEY_ID_MESSAGE = b"observatory.pseudonym-key-id"


@dataclass(frozen=True)
class PseudonymKey:
    """A secret key and the pseudonyms it gives; its ``repr`` shows the key id, never the key."""

    secret: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """A public name of the key (an HMAC of a fixed message): equal ids, equal pseudonyms."""
        return hmac.new(self.secret, _KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:16]

    def pseudonym(self, value: str) -> str:
        """The pseudonym of one posting id or employer name."""
        # Copying the keyed state skips preparing the key for every value (about a fifth of the time).
        mac = self._keyed.copy()
        mac.update(value.encode("utf-8"))
        return mac.hexdigest()[:PSEUDONYM_CHARS]

    @cached_property
    def _keyed(self) -> hmac.HMAC:
        return hmac.new(self.secret, digestmod=hashlib.sha256)

    def pseudonyms(self, values: pd.Series) -> pd.Series:
        """The pseudonym of each value (missing values stay missing); each distinct value is hashed once."""
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        hashed = np.array([self.pseudonym(str(u)) for u in uniques] + [None], dtype=object)
        # factorize marks missing values with -1, which indexes the trailing None.
        return pd.Series(hashed[codes], index=values.index, dtype="object", name=values.name)

    def __repr__(self) -> str:
        return f"PseudonymKey(key_id={self.key_id!r})"


@lru_cache(maxsize=1)
def ephemeral_key() -> PseudonymKey:
    """A random key of this process, for counts that are computed and used but never stored."""
    return PseudonymKey(secrets.token_bytes(32))


def installation_key(settings: Settings) -> PseudonymKey:
    """The key of this installation: ``OBSERVATORY_HASH_KEY``, else ``<data_dir>/hash.key`` (created once)."""
    secret = settings.hash_key.get_secret_value() if settings.hash_key is not None else ""
    if secret:  # empty counts as unset, as compose files pass unset variables (``${OBSERVATORY_HASH_KEY:-}``)
        if len(secret) < MIN_KEY_CHARS:
            # Never echo the value: it is a secret even when too short.
            raise ConfigurationError(
                f"{KEY_ENV} is too short ({len(secret)} characters; at least {MIN_KEY_CHARS}): use a long random "
                "string, e.g. the output of `python -c 'import secrets; print(secrets.token_hex(32))'`",
                text_key="error_key_short",
                text_values={"setting": KEY_ENV, "n": len(secret), "minimum": MIN_KEY_CHARS},
            )
        return PseudonymKey(secret.encode("utf-8"))
    return key_file(Path(settings.data_dir) / KEY_FILE)


def key_file(path: Path) -> PseudonymKey:
    """The key kept in ``path``, created there (random, mode 0600) when absent; two processes get the same key."""
    try:
        return _read_key_file(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            try:
                # A hard link never replaces an existing file: of two processes creating the key, the first wins
                # and the other reads the winner's key, complete (it was written before being linked).
                os.link(tmp, path)
                log.info("created the pseudonym key file %s (mode 0600; keep it: stored demand depends on it)", path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot create the pseudonym key file {path} ({exc.strerror}): make the data folder writable or set "
            f"{KEY_ENV}",
            text_key="error_key_create",
            text_values={"path": path, "reason": exc, "setting": KEY_ENV},
        ) from None
    return _read_key_file(path)


def _read_key_file(path: Path) -> PseudonymKey:
    try:
        text = path.read_text(encoding="ascii").strip()
    except UnicodeDecodeError:
        text = ""
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ConfigurationError(
            f"cannot read the pseudonym key file {path} ({exc.strerror})",
            text_key="error_key_read",
            text_values={"path": path, "reason": exc},
        ) from None
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < 16:
        raise ConfigurationError(
            f"the pseudonym key file {path} is damaged (not a hex key of at least 16 bytes): remove it to make a new "
            "key (the stored demand is then rebuilt) or set " + KEY_ENV,
            text_key="error_key_damaged",
            text_values={"path": path, "setting": KEY_ENV},
        )
    if path.stat().st_mode & 0o077:
        try:
            path.chmod(0o600)
        except OSError:
            log.warning("the pseudonym key file %s can be read by other users: make it mode 0600", path)
    return PseudonymKey(secret)
