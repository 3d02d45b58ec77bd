"""The numpy character n-gram TF-IDF gives the occupation coder exactly what scikit-learn's vectorizer gave it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from observatory.skills.char_tfidf import CharNgramIndex, char_wb_ngrams
from observatory.skills.esco_bundle import bundled_esco
from observatory.skills.occupations import _label_variants

# Titles as postings write them: capitals, accents, slashes, runs of spaces, one- and two-letter words, symbols.
QUERIES = [
    "Vendedor/a",
    "ASESOR COMERCIAL  Sr.",
    "Chofer   de  camión (C1)",
    "Operario/a de producción - turno noche",
    "Cajero/a",
    "Mozo/a y camarero/a",
    "RECEPCIONISTA BILINGÜE",
    "Técnico en refrigeración y A/A",
    "x",
    "ab",
    "",
    "   \t\n ",
    "zzzz qqqq",
    "Analista de Datos Jr / Python / SQL",
    "Ejecutivo/a de cuentas — B2B",
]


def _sklearn(labels: list[str]) -> tuple[TfidfVectorizer, Any]:
    """The vectorizer with the settings the occupation coder used before it had its own index, and its label
    matrix as ``fit_transform`` returns it (its rows keep the n-grams in the order first met, not sorted, and a
    product sums them in that order: ``transform`` of the same labels would not give the same last bits)."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, dtype=np.float32)
    return vectorizer, vectorizer.fit_transform(labels)


def test_ngrams_are_scikit_learns_char_wb_ngrams() -> None:
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4)).build_analyzer()
    for text in [*QUERIES, "a b c", "yo  y   tú", "Ñandú\u00a0ÁRBOL", "ab\x1fcd"]:
        assert char_wb_ngrams(text, 3, 4) == analyzer(text), text


def test_scores_over_the_esco_occupation_labels_are_bit_identical() -> None:
    bundle = bundled_esco()
    labels = [v for o in bundle.occupations for label in (o.label_es, *o.alt_es) for v in _label_variants(label)]
    index = CharNgramIndex(labels)
    vectorizer, matrix = _sklearn(labels)
    assert index.vocabulary == vectorizer.vocabulary_
    assert np.array_equal(index.idf, vectorizer.idf_)
    # Labels as queries too: a title identical to a label scores 1 against it, and its near-ties are where a last-bit
    # difference would reorder the candidates.
    for query in [*QUERIES, *labels[::500]]:
        expected = matrix.dot(vectorizer.transform([query]).T).toarray().ravel()
        got = index.scores(query)
        assert got.dtype == np.float32
        assert np.array_equal(got, expected), query


def test_a_small_list_scores_like_scikit_learn_and_ranks_the_right_label_first() -> None:
    labels = ["vendedor", "vendedora de tienda", "cajero de supermercado", "conductor de camión", "recepcionista"]
    index = CharNgramIndex(labels)
    vectorizer, matrix = _sklearn(labels)
    for query in QUERIES:
        expected = matrix.dot(vectorizer.transform([query]).T).toarray().ravel()
        assert np.array_equal(index.scores(query), expected), query
    assert labels[int(np.argmax(index.scores("Chofer de camion")))] == "conductor de camión"
    assert labels[int(np.argmax(index.scores("Cajera")))] == "cajero de supermercado"


def test_a_text_without_known_ngrams_scores_zero_and_no_labels_is_an_error() -> None:
    index = CharNgramIndex(["vendedor", "cajero"])
    assert not index.scores("").any()
    assert not index.scores("qqqq").any()
    with pytest.raises(ValueError, match="no labels"):
        CharNgramIndex([])
