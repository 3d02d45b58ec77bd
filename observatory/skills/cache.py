"""On-disk cache of expensive built objects (matchers, indexes, label vectors), so a new process starts fast.

Entries are pickles under ``$OBSERVATORY_CACHE_DIR`` or ``<data_dir>/cache``, named by the caller's name and
a key; the key is normally a :func:`fingerprint` of every input the build reads (data files, the source files
of the code that builds it), so a changed vocabulary, ESCO release or builder invalidates the entry by itself.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)

CACHE_ENV = "OBSERVATORY_CACHE_DIR"
# Bumped when the entry layout below changes, so old entries are rebuilt rather than misread.
_FORMAT = 1
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def cache_dir() -> Path:
    """The cache folder: ``$OBSERVATORY_CACHE_DIR`` when set, else ``cache`` inside the configured data_dir."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser().absolute()
    # Imported here: the settings pull in pydantic, which a cache hit on the fast path should not wait for
    # when the folder is given explicitly.
    from observatory.config import get_settings

    return get_settings().data_dir / "cache"


def _observatory_version() -> str:
    from observatory import __version__

    return __version__


def _hash_path(digest: Any, path: Path) -> None:
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(child.relative_to(path).as_posix().encode("utf-8") + b"\0")
            digest.update(child.read_bytes())
            digest.update(b"\1")
    elif path.is_file():
        digest.update(path.read_bytes())
    else:
        # A missing input still gives a stable key; the build itself reports why it is missing.
        digest.update(b"<missing>" + str(path).encode("utf-8"))


def fingerprint(*parts: str | Path) -> str:
    """A hex digest of the given strings and of the contents of the given files or folders, plus the version.

    Pass every input a cached build depends on, including the ``__file__`` of the modules that build it:
    the package version alone does not change while code is being developed.
    """
    digest = hashlib.sha256()
    digest.update(f"observatory {_observatory_version()}\0".encode())
    for part in parts:
        if isinstance(part, Path):
            digest.update(b"P")
            _hash_path(digest, part)
        else:
            digest.update(b"S" + part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _header(name: str, key: str) -> dict[str, Any]:
    # Pickles of third-party objects (spaCy, numpy) are only trusted by the interpreter that wrote them.
    return {
        "format": _FORMAT,
        "name": name,
        "key": key,
        "python": sys.version_info[:2],
        "observatory": _observatory_version(),
    }


def entry_path(name: str, key: str, folder: Path | None = None) -> Path:
    """Where the entry ``name`` with ``key`` lives."""
    folder = folder if folder is not None else cache_dir()
    safe_name = _SAFE_NAME.sub("_", name) or "entry"
    # No "-" in the key: the last "-" of a file name separates the name from the key (see _remove_stale).
    safe_key = re.sub(r"[^A-Za-z0-9_.]+", "_", key)[:64] or "0"
    return folder / f"{safe_name}-{safe_key}.pkl"


def _load(path: Path, header: dict[str, Any]) -> tuple[bool, Any]:
    try:
        with path.open("rb") as handle:
            stored_header = pickle.load(handle)
            if stored_header != header:
                return False, None
            # An entry holds ~10^5 small containers, all alive: the cyclic collector, triggered every few hundred
            # allocations, would walk them again and again (a third of the load of the extractor).
            collecting = gc.isenabled()
            gc.disable()
            try:
                return True, pickle.load(handle)
            finally:
                if collecting:
                    gc.enable()
    except FileNotFoundError:
        return False, None
    except Exception as exc:  # any unreadable entry (truncated, foreign, stale class) is rebuilt
        log.warning("cache entry %s unreadable (%s: %s); rebuilding", path.name, type(exc).__name__, exc)
        return False, None


def _store(path: Path, header: dict[str, Any], value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A private temporary file in the same folder, renamed over the entry: a concurrent reader sees the old
    # entry or the new one, never half of one, and two writers simply leave the last complete entry.
    fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o644)  # mkstemp's private mode would hide the entry from other users of the folder
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _remove_stale(path)


def _remove_stale(current: Path) -> None:
    """Entries of the same name under other keys are outdated builds; keep the folder from growing."""
    prefix = current.name.rsplit("-", 1)[0] + "-"
    for other in current.parent.glob(f"{prefix}*.pkl"):
        if other != current and other.name.rsplit("-", 1)[0] + "-" == prefix:
            other.unlink(missing_ok=True)


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """The value stored under ``name`` and ``key``, or ``build()`` stored there for the next process.

    An entry that cannot be read (truncated, written by another Python or observatory version, corrupt) is
    rebuilt and overwritten. A cache folder that cannot be written only costs speed: the built value is
    returned all the same.
    """
    header = _header(name, key)
    try:
        path = entry_path(name, key)
    except Exception as exc:  # no usable cache folder (e.g. invalid settings) must not stop a build
        log.warning("no cache folder (%s); building %s without caching", exc, name)
        return build()
    found, value = _load(path, header)
    if found:
        return value  # type: ignore[no-any-return]
    value = build()
    try:
        _store(path, header, value)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.warning("could not cache %s in %s (%s)", name, path.parent, exc)
    return value
