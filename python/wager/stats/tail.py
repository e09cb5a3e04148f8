"""The expected shortfall of a loss kept as linear bins with each bin's sums
(``docs/model.md`` §28, "The joint view"): bin 0 for a loss of exactly 0,
bins 1..n of width ``bound / n``, bin n + 1 above the bound."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from wager.stats.exposure import linear_quantiles

__all__ = ["Shortfall", "binned_shortfall"]


class Shortfall(NamedTuple):
    """The loss's quantile at a level, its expected shortfall there, and
    the shortfall's standard error."""

    quantile: float
    es: float
    es_se: float


def binned_shortfall(
    counts: np.ndarray, sums: np.ndarray, squares: np.ndarray, bound: float, level: float
) -> Shortfall:
    """The expected shortfall at ``level`` of a loss kept in linear bins.

    Parameters
    ----------
    counts, sums, squares
        Per bin (``n + 2``): the paths whose loss fell in it, the sum of
        their losses and of their squares (US$ bn and bn²).
    bound
        The top of the bins' range (US$ bn).
    level
        The level, in (0, 1): 0.99 for ES99.

    Returns
    -------
    Shortfall
        ``quantile``: the loss's quantile at ``level`` (``linear_quantiles``:
        within one bin width). ``es``: the mean of the worst ``(1 - level)``
        share of the paths' losses (Acerbi and Tasche's tail mean, the
        paths at the boundary counted by the fraction that fits). The bins
        above the boundary bin enter with their exact sums; the boundary
        bin with the share of its sum the tail takes, so ``es`` is within
        one bin width of the paths' exact tail mean. ``es_se``: the
        standard error from the estimator's asymptotic variance
        ``(Var(L | L >= q) + level (ES - q)^2) / ((1 - level) N)`` for
        independent paths (Chen 2008, "Nonparametric estimation of expected
        shortfall", J. Financial Econometrics 6(1), 87-107), the moments
        read from the same bins. All three NaN with no paths; ``es`` and
        ``es_se`` NaN when the boundary bin is the one above the bound (its
        width is unknown).
    """
    c = np.asarray(counts, dtype=np.float64)
    s = np.asarray(sums, dtype=np.float64)
    q = np.asarray(squares, dtype=np.float64)
    n = float(c.sum())
    if n == 0 or not 0.0 < level < 1.0:
        return Shortfall(math.nan, math.nan, math.nan)
    (quantile,) = linear_quantiles(c.astype(np.int64), bound, (level,))
    tail = (1.0 - level) * n  # paths in the tail, a fraction allowed
    taken = first = second = 0.0
    for b in range(c.size - 1, -1, -1):
        if c[b] == 0:
            continue
        share = min(c[b], tail - taken) / c[b]
        if share < 1.0 and b == c.size - 1:
            return Shortfall(quantile, math.nan, math.nan)
        taken += share * c[b]
        first += share * s[b]
        second += share * q[b]
        if taken >= tail:
            break
    es = first / tail
    tail_variance = max(second / tail - es * es, 0.0)
    excess = es - quantile if math.isfinite(quantile) else 0.0
    variance = (tail_variance + level * excess * excess) / tail
    return Shortfall(quantile, es, math.sqrt(variance))
