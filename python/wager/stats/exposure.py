"""Quantiles of the suppliers' exposure and loss histograms
(``docs/model.md`` §28): linear bins on [0, bound], bin 0 for a value of
exactly 0, bins 1..n for (0, bound], bin n + 1 above the bound."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["linear_quantiles"]


def linear_quantiles(
    counts: np.ndarray, bound: float, probs: Sequence[float], zeros: int = 0
) -> list[float]:
    """Quantiles of one histogram of ``len(counts) - 2`` linear bins on [0, bound].

    Parameters
    ----------
    counts
        The ``n + 2`` counts: bin 0 (exactly 0), bins 1..n of width
        ``bound / n``, bin n + 1 (above the bound).
    bound
        The top of the range (US$ bn).
    probs
        The levels, in (0, 1).
    zeros
        Paths not counted in ``counts`` whose value is 0 (added to bin 0).

    Returns
    -------
    list of float
        Per level: 0 when the rank falls in bin 0; in bins 1..n, linear
        interpolation within the bin (within one bin width, ``bound / n``,
        of the exact quantile); NaN above the bound or with no paths.
    """
    c = np.asarray(counts, dtype=np.int64).copy()
    c[0] += zeros
    n_bins = c.size - 2
    cum = np.cumsum(c)
    total = int(cum[-1])
    width = bound / n_bins
    out: list[float] = []
    for p in probs:
        if total == 0:
            out.append(math.nan)
            continue
        target = p * total
        # The first bin whose running total reaches the rank (an integer
        # total reaches `target` when it reaches its ceiling).
        b = int(np.searchsorted(cum, math.ceil(target)))
        if b == 0:
            out.append(0.0)
        elif b > n_bins:
            out.append(math.nan)
        else:
            before = float(cum[b - 1])
            frac = min(max((target - before) / float(c[b]), 0.0), 1.0)
            out.append((b - 1 + frac) * width)
    return out
