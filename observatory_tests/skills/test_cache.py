"""The on-disk cache of built objects: hits, misses, corrupt entries, version changes, concurrent writers."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from pathlib import Path

import pytest

import observatory
from observatory.skills import cache
from observatory.skills.cache import cached, entry_path, fingerprint


@pytest.fixture()
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


class Builder:
    """Counts builds, so a test can tell a hit from a rebuild."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_second_call_is_a_hit_and_a_new_key_a_miss(cache_folder: Path) -> None:
    build = Builder({"patterns": ["python", "sql"], "n": 2})
    assert cached("matcher", "k1", build) == {"patterns": ["python", "sql"], "n": 2}
    assert cached("matcher", "k1", build) == {"patterns": ["python", "sql"], "n": 2}
    assert build.calls == 1
    assert entry_path("matcher", "k1").is_file()

    other = Builder([1, 2, 3])
    assert cached("matcher", "k2", other) == [1, 2, 3]
    assert other.calls == 1
    # The outdated entry of the same name is removed; entries of other names are not.
    cached("vectors", "k1", Builder("v"))
    assert not entry_path("matcher", "k1").exists()
    assert entry_path("matcher", "k2").is_file()
    assert entry_path("vectors", "k1").is_file()


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", None])
def test_a_corrupt_entry_is_rebuilt_and_overwritten(cache_folder: Path, damage: bytes | None) -> None:
    build = Builder(("esco", 13485))
    cached("esco", "key", build)
    path = entry_path("esco", "key")
    if damage is None:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated mid-write by a crash
    else:
        path.write_bytes(damage)
    assert cached("esco", "key", build) == ("esco", 13485)
    assert build.calls == 2
    assert cached("esco", "key", build) == ("esco", 13485)
    assert build.calls == 2  # the rebuilt entry is good again


def test_loading_leaves_the_garbage_collector_as_it_found_it(cache_folder: Path) -> None:
    # The collector is paused while an entry is unpickled, and must come back after a hit and after a corrupt entry.
    import gc

    build = Builder({"labels": [("python", i) for i in range(1000)]})
    cached("labels", "key", build)
    assert gc.isenabled()
    assert cached("labels", "key", build) == build.value and build.calls == 1
    assert gc.isenabled()
    entry_path("labels", "key").write_bytes(entry_path("labels", "key").read_bytes()[:-100])  # truncated
    assert cached("labels", "key", build) == build.value and build.calls == 2
    assert gc.isenabled()
    gc.disable()
    try:
        cached("labels", "key", build)
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


def test_an_entry_of_another_observatory_version_is_rebuilt(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = Builder("old")
    cached("occupations", "fixed-key", build)
    monkeypatch.setattr(observatory, "__version__", "999.0")
    assert cached("occupations", "fixed-key", Builder("new")) == "new"


def test_fingerprint_follows_file_contents_strings_and_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_text("python: {}\n", encoding="utf-8")
    esco = tmp_path / "esco"
    esco.mkdir()
    (esco / "skills_es.csv").write_text("uri,label\n", encoding="utf-8")
    first = fingerprint(vocabulary, esco, "es+en")
    assert fingerprint(vocabulary, esco, "es+en") == first
    assert fingerprint(vocabulary, esco, "es") != first
    vocabulary.write_text("python: {}\nsql: {}\n", encoding="utf-8")
    second = fingerprint(vocabulary, esco, "es+en")
    assert second != first
    (esco / "skills_es.csv").write_text("uri,label\nx,y\n", encoding="utf-8")
    assert fingerprint(vocabulary, esco, "es+en") != second
    # A path and the same text as a string are different inputs.
    assert fingerprint(str(vocabulary)) != fingerprint(vocabulary)
    monkeypatch.setattr(observatory, "__version__", "999.0")
    assert fingerprint(vocabulary, esco, "es+en") != second


def test_an_unwritable_cache_folder_still_returns_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    build = Builder([4, 5])
    assert cached("matcher", "k", build) == [4, 5]
    assert cached("matcher", "k", build) == [4, 5]
    assert build.calls == 2


def _build_and_read(folder: str, value: int) -> object:
    os.environ[cache.CACHE_ENV] = folder
    return cached("shared", "same-key", lambda: list(range(value, value + 20_000)))


def test_concurrent_processes_leave_one_complete_entry(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(_build_and_read, [(str(folder), i) for i in range(8)])
        # Let the workers finish on their own: terminating them relies on SIGTERM, which a process
        # started with it ignored (nohup-like launchers, CI wrappers) passes on to its children.
        pool.close()
        pool.join()
    assert all(len(r) == 20_000 for r in results)  # type: ignore[arg-type]
    entries = list(folder.glob("*.pkl"))
    assert len(entries) == 1
    assert not list(folder.glob(".*.tmp"))  # no temporary files left behind
    with entries[0].open("rb") as handle:
        header = pickle.load(handle)
        stored = pickle.load(handle)
    assert header["key"] == "same-key"
    assert stored == list(range(stored[0], stored[0] + 20_000))
