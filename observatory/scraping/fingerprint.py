"""Content fingerprints for near-duplicate postings: 64-bit SimHash over normalised title + company + text.

Reposts and the same ad on two portals differ in markup, line breaks and a few words; their SimHashes
differ in a few bits. Four 16-bit bands index the fingerprints: two hashes within
:data:`MAX_DISTANCE` bits share at least one band exactly (pigeonhole), so lookups stay cheap.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from observatory.scraping.normalize import fold

MAX_DISTANCE = 3
_WORD = re.compile(r"[a-z0-9ñ+#]+")
_MASK = (1 << 64) - 1


def normalised_content(title: str | None, company: str | None, text: str | None) -> str:
    """Lower-case, accent-free words of title, company and text (punctuation and line breaks removed)."""
    return " ".join(_WORD.findall(fold(" ".join(x for x in (title, company, text) if x))))


def content_hash(title: str | None, company: str | None, text: str | None, content: str | None = None) -> str:
    """SHA-256 of the normalised content: equal hashes mean the posting did not change."""
    content = normalised_content(title, company, text) if content is None else content
    return hashlib.sha256(content.encode()).hexdigest()


def simhash(title: str | None, company: str | None, text: str | None, content: str | None = None) -> int | None:
    """Signed 64-bit SimHash (fits PostgreSQL BIGINT) over word 3-shingles; ``None`` for empty content."""
    words = (normalised_content(title, company, text) if content is None else content).split()
    if not words:
        return None
    shingles = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in shingles)
    # One row of 64 bits per shingle (most significant first); a bit is set where most shingles set it.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(len(shingles), 64)
    majority = bits.sum(axis=0) * 2 > len(shingles)
    value = int.from_bytes(np.packbits(majority).tobytes(), "big")
    return value - (1 << 64) if value >= 1 << 63 else value


def distance(a: int, b: int) -> int:
    """Hamming distance between two (signed) 64-bit fingerprints."""
    return ((a & _MASK) ^ (b & _MASK)).bit_count()


class FingerprintIndex:
    """Banded index of fingerprints → posting ids, for near-duplicate lookups."""

    def __init__(self, max_distance: int = MAX_DISTANCE) -> None:
        self.max_distance = max_distance
        self._bands: list[dict[int, list[tuple[int, str]]]] = [defaultdict(list) for _ in range(4)]

    @staticmethod
    def _keys(fp: int) -> list[int]:
        unsigned = fp & _MASK
        return [(unsigned >> (16 * i)) & 0xFFFF for i in range(4)]

    def add(self, fp: int, posting_id: str) -> None:
        for band, key in zip(self._bands, self._keys(fp), strict=True):
            band[key].append((fp, posting_id))

    def add_all(self, entries: Iterable[tuple[int, str]]) -> None:
        for fp, posting_id in entries:
            self.add(fp, posting_id)

    def nearest(self, fp: int, exclude: str | None = None) -> str | None:
        """The closest indexed posting within ``max_distance`` bits (ties: first added), or ``None``."""
        best: tuple[int, str] | None = None
        for band, key in zip(self._bands, self._keys(fp), strict=True):
            for other, posting_id in band.get(key, ()):
                if posting_id == exclude:
                    continue
                d = distance(fp, other)
                if d <= self.max_distance and (best is None or d < best[0]):
                    best = (d, posting_id)
        return best[1] if best else None
