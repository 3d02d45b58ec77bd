"""Significance tests for emerging skills: one-sided two-proportion tests and Benjamini–Hochberg.

A rise from 1 to 3 postings is a 200 % growth and means nothing; these tests say when a rise in
the share of postings is larger than sampling noise, with the false-discovery rate controlled
across the many skills tested at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

# Below this expected count in any cell the normal approximation is poor: use Fisher's exact test.
MIN_EXPECTED_FOR_Z = 5.0
# The columns every published share carries: numerator, denominator, share and its 95 % interval.
EVIDENCE_COLUMNS = ["n_postings", "n_with_skill", "share", "ci_low", "ci_high"]
Z_95 = float(stats.norm.ppf(0.975))


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


def wilson_interval(successes: Any, trials: Any, *, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """95 % (by default) Wilson score interval ``(low, high)`` of ``successes / trials``, element-wise.

    Unlike the normal approximation it stays inside [0, 1] and is honest on small counts: 1 of 1 gives
    [0.21, 1], not a certain 100 %. Where ``trials`` is 0 both bounds are NaN.
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(n < 0) or np.any(x < 0) or np.any(x > n):
        raise ValueError("Wilson interval needs 0 <= successes <= trials")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def with_evidence(frame: pd.DataFrame, min_cell: int | None = None) -> pd.DataFrame:
    """Add ``share``, ``ci_low``, ``ci_high`` (and ``suppressed`` when ``min_cell`` is given) in place and return it.

    ``frame`` has ``n_with_skill`` and ``n_postings``; a share over 0 postings is NaN, never 0.
    """
    frame["n_postings"] = frame["n_postings"].astype("int64")
    frame["n_with_skill"] = frame["n_with_skill"].astype("int64")
    n = frame["n_postings"].to_numpy(dtype=float)
    x = frame["n_with_skill"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["share"] = np.where(n > 0, x / n, np.nan)
    frame["ci_low"], frame["ci_high"] = wilson_interval(x, n)
    if min_cell is not None:
        frame["suppressed"] = frame["n_postings"] < min_cell
    return frame


def employer_weights(postings_per_employer: Any, cap: int) -> np.ndarray:
    """Weight of each posting so that no employer counts for more than ``cap`` postings in a period.

    An employer with 87 template ads weighs as much as one with ``cap`` ads: a trend must come from
    many employers, not from one recruiter's campaign.
    """
    if cap < 1:
        raise ValueError(f"employer cap must be at least 1, got {cap}")
    n = np.asarray(postings_per_employer, dtype=float)
    return np.minimum(1.0, cap / np.maximum(n, 1.0))


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
