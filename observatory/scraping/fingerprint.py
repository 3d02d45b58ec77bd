"""Content fingerprints for near-duplicate postings: 64-bit SimHash over normalised title + company + text.

Reposts and the same ad on two portals differ in markup, line breaks and a few words; their SimHashes
differ in a few bits. Four 16-bit bands index the fingerprints: two hashes within
:data:`MAX_DISTANCE` bits share at least one band exactly (pigeonhole), so lookups stay cheap.

Similar text is not enough: one employer's boilerplate makes "Médico Oftalmólogo" and "Médico Dermatólogo"
near-identical. A link also needs similar titles (:func:`similar_titles`).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Callable, Iterable

import numpy as np

from observatory.scraping.normalize import fold

MAX_DISTANCE = 3
MIN_TITLE_SIMILARITY = 0.5  # Jaccard of title word stems
_TITLE_STOPWORDS = frozenset(
    "a al con de del e el en la las lo los o para por sin su un una y the and of for to in with".split()
)
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


def title_stems(title: str | None) -> frozenset[str]:
    """Title words without accents, stop words and gender/plural endings (``Asesora`` = ``asesores`` = ``asesor``)."""
    stems = set()
    for word in _WORD.findall(fold(title or "")):
        if word in _TITLE_STOPWORDS:
            continue
        for ending in ("as", "os", "es", "a", "o", "s"):
            if len(word) > len(ending) + 3 and word.endswith(ending):
                word = word[: -len(ending)]
                break
        stems.add(word)
    return frozenset(stems)


def title_similarity(a: str | None, b: str | None) -> float:
    """Jaccard similarity of the titles' word stems (1.0 for two empty titles)."""
    sa, sb = title_stems(a), title_stems(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def similar_titles(a: str | None, b: str | None, threshold: float = MIN_TITLE_SIMILARITY) -> bool:
    """Whether two postings' titles name the same job (a near-duplicate link needs it as well as similar text)."""
    return title_similarity(a, b) >= threshold


def distance(a: int, b: int) -> int:
    """Hamming distance between two (signed) 64-bit fingerprints."""
    return ((a & _MASK) ^ (b & _MASK)).bit_count()


class FingerprintIndex:
    """Banded index of fingerprints → posting ids, for near-duplicate lookups.

    Compact (about 120 bytes a posting, mostly its id): a load links against every posting already stored,
    so a million of them must fit well inside an ingest's memory.
    """

    def __init__(self, max_distance: int = MAX_DISTANCE) -> None:
        self.max_distance = max_distance
        self._fingerprints = array("q")
        self._ids: list[str] = []
        # Per band, its 16-bit key → the rows (positions in _ids) holding it.
        self._bands: list[dict[int, array[int]]] = [{} for _ in range(4)]

    @staticmethod
    def _keys(fp: int) -> list[int]:
        unsigned = fp & _MASK
        return [(unsigned >> (16 * i)) & 0xFFFF for i in range(4)]

    def add(self, fp: int, posting_id: str) -> None:
        row = len(self._ids)
        self._fingerprints.append(fp if fp < 1 << 63 else fp - (1 << 64))
        self._ids.append(posting_id)
        for band, key in zip(self._bands, self._keys(fp), strict=True):
            rows = band.get(key)
            if rows is None:
                rows = band[key] = array("i")
            rows.append(row)

    def add_all(self, entries: Iterable[tuple[int, str]]) -> None:
        for fp, posting_id in entries:
            self.add(fp, posting_id)

    def nearest(self, fp: int, exclude: str | None = None, accept: Callable[[str], bool] | None = None) -> str | None:
        """The closest indexed posting within ``max_distance`` bits (ties: first added), or ``None``.

        ``accept(posting_id)`` can turn a candidate down (titles that differ): the next closest is tried.
        """
        candidates: dict[str, tuple[int, int]] = {}  # posting id -> (distance, order found)
        for band, key in zip(self._bands, self._keys(fp), strict=True):
            for row in band.get(key, ()):
                posting_id = self._ids[row]
                if posting_id == exclude or posting_id in candidates:
                    continue
                d = distance(fp, self._fingerprints[row])
                if d <= self.max_distance:
                    candidates[posting_id] = (d, len(candidates))
        for posting_id, _ in sorted(candidates.items(), key=lambda kv: kv[1]):
            if accept is None or accept(posting_id):
                return posting_id
        return None
