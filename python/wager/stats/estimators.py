"""Statistics from the core's merged, order-free accumulators.

Means and variances come from exact 128-bit fixed-point sums (values rounded
to 2^-24 US$ bn); quantiles, Value-at-Risk and Expected Shortfall from
integer histograms on an asinh scale (relative resolution 1 / bins_per_unit,
0.2% by default). Both merge by integer addition, so results do not depend
on how paths were split across threads, batches or machines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from scipy import stats

from wager.kernel.layout import FIXED_POINT_BITS, HistogramSpec

__all__ = [
    "cumulative",
    "join_int128",
    "mean_and_se",
    "quantiles",
    "tail_risk",
    "wilson_interval",
]


def join_int128(pair: tuple[np.ndarray, np.ndarray]) -> list[int]:
    """The core's 128-bit sums (high, low 64-bit halves) as Python integers."""
    hi, lo = pair
    return [int(h) * 2**64 + int(low) for h, low in zip(hi.tolist(), lo.tolist(), strict=True)]


def mean_and_se(s1: Sequence[int], s2: Sequence[int], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of the mean from exact fixed-point sums.

    The variance is computed exactly in integers, (n S2 - S1^2) / (n (n - 1)),
    then rounded once to a float: no cancellation.
    """
    scale = 2**FIXED_POINT_BITS
    means = np.array([float(Fraction(a, n * scale)) for a in s1]) if n else np.full(len(s1), np.nan)
    if n < 2:
        return means, np.full(len(s1), np.nan)
    var = [
        Fraction(n * b - a * a, n * (n - 1) * scale * scale) for a, b in zip(s1, s2, strict=True)
    ]
    se = np.array([math.sqrt(max(float(v), 0.0) / n) for v in var])
    return means, se


def cumulative(counts: np.ndarray) -> np.ndarray:
    """Running totals of histogram counts along the bins, exact in 64-bit integers.

    Compute them once and pass them to :func:`quantiles` and
    :func:`tail_risk`, which would otherwise each sum the bins again.
    """
    return np.cumsum(np.asarray(counts, dtype=np.uint64), axis=-1)


def quantiles(
    counts: np.ndarray,
    spec: HistogramSpec,
    probs: Sequence[float],
    cum: np.ndarray | None = None,
) -> np.ndarray:
    """Quantiles of each row of a histogram (rows = series), shape (rows, len(probs)).

    The rank p N is located in its bin and interpolated linearly on the asinh
    scale within the bin. ``cum`` is ``cumulative(counts)`` if already known.
    """
    cum = np.atleast_2d(cumulative(counts) if cum is None else cum)
    last = cum.shape[1] - 1
    p = np.asarray(probs, dtype=np.float64)
    out = np.full((cum.shape[0], p.size), np.nan)
    for r in range(cum.shape[0]):
        n = float(cum[r, -1])
        if n == 0:
            continue
        target = p * n
        # The first bin whose running total reaches the rank: running totals
        # are integers, so reaching `target` is reaching its ceiling.
        b = np.minimum(np.searchsorted(cum[r], np.ceil(target).astype(np.uint64)), last)
        before = np.where(b > 0, cum[r, b - 1], 0).astype(np.float64)
        inside = cum[r, b].astype(np.float64) - before
        frac = np.divide(target - before, inside, out=np.zeros_like(target), where=inside > 0)
        out[r] = spec.value(b + np.clip(frac, 0.0, 1.0))
    return out


def _hall_sheather(p: float, n: float) -> float:
    z = stats.norm.ppf(p)
    return float(
        n ** (-1 / 3)
        * stats.norm.ppf(0.975) ** (2 / 3)
        * (1.5 * stats.norm.pdf(z) ** 2 / (2 * z * z + 1)) ** (1 / 3)
    )


def tail_risk(
    counts: np.ndarray, spec: HistogramSpec, level: float, cum: np.ndarray | None = None
) -> tuple[float, float, float, float]:
    """Value-at-Risk and Expected Shortfall of the lower tail, with standard errors.

    For ``level`` 0.95: VaR is the 5th percentile q (the level the quantity
    falls below on 5% of paths) and ES the mean over those worst 5% of paths.
    SE(VaR) = sqrt(p (1 - p) / N) / f(q), with the density f estimated from
    quantiles p +- h (Hall-Sheather bandwidth). SE(ES) is the delta-method
    standard error sqrt(Var[(X - q) 1{X <= q}] / N) / p. Values within a bin
    are taken at its midpoint (on the asinh scale). ``cum`` is
    ``cumulative(counts)`` if already known.

    Returns
    -------
    (var, var_se, es, es_se)
    """
    cum = cumulative(counts) if cum is None else cum
    counts = np.asarray(counts, dtype=np.float64)
    n = float(cum[-1])
    p = 1.0 - level
    if n == 0:
        return (math.nan,) * 4
    h = min(_hall_sheather(p, n), p * 0.99, (1 - p) * 0.99)
    lo, q, hi = quantiles(counts, spec, [p - h, p, p + h], cum=cum)[0]
    var_se = math.sqrt(p * (1 - p) / n) * (hi - lo) / (2 * h)

    target = p * n
    b = int(np.searchsorted(cum, math.ceil(target)))
    before = float(cum[b - 1]) if b > 0 else 0.0
    mids = spec.value(np.arange(b) + 0.5)
    weights = counts[:b]
    partial = target - before
    frac = partial / counts[b] if counts[b] > 0 else 0.0
    mid_partial = float(spec.value(b + frac / 2))
    tail_values = np.append(mids, mid_partial)
    tail_weights = np.append(weights, partial)
    es = float(np.dot(tail_weights, tail_values) / target)
    d = tail_values - q
    m1 = float(np.dot(tail_weights, d)) / n
    m2 = float(np.dot(tail_weights, d * d)) / n
    es_se = math.sqrt(max(m2 - m1 * m1, 0.0) / n) / p
    return q, var_se, es, es_se


def wilson_interval(
    k: np.ndarray, n: int, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions k / n."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    k = np.asarray(k, dtype=float)
    phat = k / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * np.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    # Exact ends when no path or every path counts (rounding would leave ~1e-19).
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high
