"""Significance tests for emerging skills: one-sided two-proportion tests and Benjamini–Hochberg.

A rise from 1 to 3 postings is a 200 % growth and means nothing; these tests say when a rise in
the share of postings is larger than sampling noise, with the false-discovery rate controlled
across the many skills tested at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

# Below this expected count in any cell the normal approximation is poor: use Fisher's exact test.
MIN_EXPECTED_FOR_Z = 5.0


def two_proportion_z(x_prev: int, n_prev: int, x_cur: int, n_cur: int) -> tuple[float, float]:
    """Pooled two-proportion z statistic and one-sided p-value for ``x_cur/n_cur > x_prev/n_prev``."""
    _check_counts(x_prev, n_prev, x_cur, n_cur)
    pooled = (x_prev + x_cur) / (n_prev + n_cur)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_prev + 1 / n_cur))
    if se == 0:
        return 0.0, 1.0
    z = (x_cur / n_cur - x_prev / n_prev) / se
    return z, float(stats.norm.sf(z))


def fisher_increase(x_prev: int, n_prev: int, x_cur: int, n_cur: int) -> float:
    """One-sided Fisher exact p-value that the current share is larger than the previous one."""
    _check_counts(x_prev, n_prev, x_cur, n_cur)
    table = [[x_cur, n_cur - x_cur], [x_prev, n_prev - x_prev]]
    return float(stats.fisher_exact(table, alternative="greater").pvalue)


def increase_test(x_prev: int, n_prev: int, x_cur: int, n_cur: int) -> tuple[float, float, str]:
    """``(z, p, method)``: the z-test when every expected cell is at least 5, Fisher's test otherwise."""
    z, p = two_proportion_z(x_prev, n_prev, x_cur, n_cur)
    pooled = (x_prev + x_cur) / (n_prev + n_cur)
    expected = min(n_prev * pooled, n_prev * (1 - pooled), n_cur * pooled, n_cur * (1 - pooled))
    if expected < MIN_EXPECTED_FOR_Z:
        return z, fisher_increase(x_prev, n_prev, x_cur, n_cur), "fisher"
    return z, p, "z"


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the order given."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return []
    if np.any((p < 0) | (p > 1) | np.isnan(p)):
        raise ValueError("p-values must lie in [0, 1]")
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    # Monotone from the largest p down, then capped at 1.
    adjusted = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    q = np.empty(m)
    q[order] = adjusted
    return [float(v) for v in q]


def _check_counts(x_prev: int, n_prev: int, x_cur: int, n_cur: int) -> None:
    if n_prev <= 0 or n_cur <= 0:
        raise ValueError(f"both periods need postings (got n_prev={n_prev}, n_cur={n_cur})")
    if not (0 <= x_prev <= n_prev and 0 <= x_cur <= n_cur):
        raise ValueError(f"counts out of range: {x_prev}/{n_prev}, {x_cur}/{n_cur}")
