"""Character n-gram TF-IDF over a fixed list of labels, in plain numpy, for nearest-label look-ups.

The occupation coder ranks ESCO labels by cosine similarity to a title. It used scikit-learn's
``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, dtype=float32)``, whose import
(with scipy) cost a one-posting ``observatory extract --occupation`` over a second of its start. This module
computes the same weights with the same float32 arithmetic, in the same order, so scores are bit-identical.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, min_n: int = 3, max_n: int = 4) -> list[str]:
    """The character n-grams of each lower-cased word padded with one space either side; a word shorter than
    ``n`` is counted once, whole, and not again for longer n-grams (scikit-learn's ``char_wb`` analyzer)."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(min_n, max_n + 1):
            offset = 0
            grams.append(padded[:n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:
                break
    return grams


class CharNgramIndex:
    """L2-normalised TF-IDF vectors (1 + log tf, smoothed idf) of character n-grams of ``labels``, stored by
    n-gram so that scoring a query touches only the labels that share one of its n-grams."""

    def __init__(self, labels: Sequence[str], min_n: int = 3, max_n: int = 4) -> None:
        if not labels:
            raise ValueError("no labels to index")
        self.min_n, self.max_n = min_n, max_n
        self.size = len(labels)
        row_counts = [self._counts(label) for label in labels]
        # Features numbered in sorted order, as scikit-learn does: the order a query's terms are summed in.
        self.vocabulary = {gram: i for i, gram in enumerate(sorted(set().union(*row_counts)))}
        rows: list[np.ndarray] = []
        columns: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for row, found in enumerate(row_counts):
            rows.append(np.full(len(found), row, dtype=np.int64))
            columns.append(np.fromiter((self.vocabulary[g] for g in found), dtype=np.int64, count=len(found)))
            counts.append(np.fromiter(found.values(), dtype=np.float32, count=len(found)))
        row_of = np.concatenate(rows)
        column_of = np.concatenate(columns)
        data = np.concatenate(counts)
        row_lengths = np.asarray([len(found) for found in row_counts], dtype=np.int64)
        # scikit-learn keeps each label's terms in the order their n-grams were first met in the whole list of
        # labels, and its sparse product sums them in that order; float32 sums in another order differ in the
        # last bit, which can reorder near-tied labels.
        first_met: dict[str, int] = {}
        for found in row_counts:
            for gram in found:
                first_met.setdefault(gram, len(first_met))
        self._first_met = np.empty(len(self.vocabulary), dtype=np.int32)
        for gram, rank in first_met.items():
            self._first_met[self.vocabulary[gram]] = rank
        n_features = len(self.vocabulary)
        document_frequency = np.bincount(column_of, minlength=n_features).astype(np.float32)
        document_frequency += 1.0
        self.idf = np.full_like(document_frequency, fill_value=self.size + 1, dtype=np.float32)
        self.idf /= document_frequency
        np.log(self.idf, out=self.idf)
        self.idf += 1.0
        data = self._weights(data, column_of, row_lengths)
        # Stored by n-gram (column-major), so that scoring a query touches only the labels sharing its n-grams.
        by_column = np.argsort(column_of, kind="stable")
        self._column_start = np.searchsorted(column_of[by_column], np.arange(n_features + 1)).astype(np.int64)
        # Half the size of the cached index when the labels fit 16 bits (ESCO's ~18,000 occupation labels do).
        self._column_rows = row_of[by_column].astype(np.uint16 if self.size <= 2**16 else np.int32)
        self._column_data = data[by_column]

    def _counts(self, text: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for gram in char_wb_ngrams(text, self.min_n, self.max_n):
            found[gram] = found.get(gram, 0) + 1
        return found

    def _weights(self, counts: np.ndarray, features: np.ndarray, row_lengths: np.ndarray) -> np.ndarray:
        """1 + log(tf), times idf, each row divided by its L2 norm: float32 terms, squares summed one by one in
        double precision, as scikit-learn's normaliser does (numpy's pairwise sum would differ in the last bit)."""
        weights = np.log(counts)
        weights += 1.0
        weights *= self.idf[features]
        squares = (weights * weights).astype(np.float64)
        # Rows laid side by side, padded with zeros, summed column by column: a sequential sum for every row.
        width = int(row_lengths.max()) if len(row_lengths) else 0
        starts = np.concatenate(([0], np.cumsum(row_lengths)[:-1]))
        position = np.arange(len(squares)) - np.repeat(starts, row_lengths)
        grid = np.zeros((len(row_lengths), width), dtype=np.float64)
        grid[np.repeat(np.arange(len(row_lengths)), row_lengths), position] = squares
        norms = np.zeros(len(row_lengths), dtype=np.float64)
        for column in range(width):
            norms += grid[:, column]
        norms = np.sqrt(norms)
        norms[norms == 0.0] = 1.0  # an empty row stays empty
        return (weights.astype(np.float64) / np.repeat(norms, row_lengths)).astype(np.float32)

    def query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The features of ``text`` known to the index (ascending) and their weights."""
        found = {self.vocabulary[g]: c for g, c in self._counts(text).items() if g in self.vocabulary}
        features = np.fromiter(sorted(found), dtype=np.int64, count=len(found))
        counts = np.fromiter((found[f] for f in features.tolist()), dtype=np.float32, count=len(found))
        return features, self._weights(counts, features, np.asarray([len(found)]))

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of ``text`` to every label, in label order (float32)."""
        scores = np.zeros(self.size, dtype=np.float32)
        features, weights = self.query(text)
        if not len(features):
            return scores
        # Every label adds its terms in the order scikit-learn does (see __init__); that order is one ranking of
        # the n-grams, the same for all labels, so the query's terms are taken in it.
        for term in np.argsort(self._first_met[features], kind="stable").tolist():
            feature = int(features[term])
            start, end = self._column_start[feature], self._column_start[feature + 1]
            scores[self._column_rows[start:end]] += self._column_data[start:end] * weights[term]
        return scores
