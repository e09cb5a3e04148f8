"""Two bets' losses to the same supplier on the same paths (``docs/model.md``
§28, "The joint view"), decoded from a pair's exact sums: the combined
loss's mean, 99% quantile and expected shortfall, how often both bets leave
the supplier a loss, the correlation of the two losses, and the coarse
two-dimensional grid of the pair of losses."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from wager.kernel.layout import FIXED_POINT_BITS
from wager.stats.estimators import join_int128, mean_and_se
from wager.stats.tail import binned_shortfall

__all__ = ["COMBINED_LOSS_COLUMNS", "JOINT_LOSS_COLUMNS", "combined_loss_table", "joint_loss_table"]

#: The columns of :func:`combined_loss_table`, per counterparty.
COMBINED_LOSS_COLUMNS = (
    "shared",
    "el",
    "el_se",
    "loss_q99",
    "es99",
    "es99_se",
    "bin_width",
    "p_both_lose",
    "p_both_lose_se",
    "loss_correlation",
    "bound_a",
    "bound_b",
)
#: The columns of :func:`joint_loss_table`, per (counterparty, cell).
JOINT_LOSS_COLUMNS = ("a_low", "a_high", "b_low", "b_high", "paths", "probability")

#: The level of the quantile and the expected shortfall.
LEVEL = 0.99


def _names(j: dict[str, Any], names_a: Sequence[str], names_b: Sequence[str]) -> list[str]:
    """Row k's supplier: a's name when it is a's, else b's."""
    of = np.asarray(j["counterparties"], dtype=np.int64).reshape(-1, 2)
    return [names_a[ia] if ia >= 0 else names_b[ib] for ia, ib in of.tolist()]


def _variance(s1: int, s2: int, n: int) -> Fraction:
    """The paths' variance (divisor n) from exact fixed-point sums, in bn²."""
    scale = 2**FIXED_POINT_BITS
    return Fraction(n * s2 - s1 * s1, n * n * scale * scale)


def _own_variances(raw: dict[str, Any] | None, n: int) -> list[Fraction]:
    """Each supplier's loss variance over every path, from a bet's own sums
    (the paths without distress add zeros)."""
    if raw is None or not len(raw["exposure"]["bound"]):
        return []
    loss = raw["exposure"]["loss"]
    s1, s2 = join_int128(loss["sum"]), join_int128(loss["sum_squares"])
    return [_variance(a, b, n) for a, b in zip(s1, s2, strict=True)]


def combined_loss_table(
    pair: dict[str, Any],
    names_a: Sequence[str],
    names_b: Sequence[str],
    raw_a: dict[str, Any] | None = None,
    raw_b: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Index counterparty (a's suppliers, then b's others): over every path
    of the pair, the combined loss ``L = La + Lb`` (0 for a bet the
    supplier does not serve): ``el`` and ``el_se``, ``loss_q99`` and
    ``es99`` (the 99% quantile and expected shortfall, within
    ``bin_width``; NaN beyond the bound), ``es99_se``; ``shared`` (a
    supplier of both), ``p_both_lose`` and its binomial ``p_both_lose_se``
    (both losses above 0), and ``loss_correlation`` (of La and Lb, from
    the exact sums: NaN unless both vary; needs each bet's ``raw``);
    ``bound_a`` and ``bound_b``, the tops of each bet's side of the grid
    (0 for a bet the supplier does not serve)."""
    j = pair["joint_loss"]
    names = _names(j, names_a, names_b)
    index = pd.Index(names, name="counterparty")
    if not names:
        return pd.DataFrame(index=index, columns=list(COMBINED_LOSS_COLUMNS), dtype=float)
    n = int(pair["n_paths"])
    of = np.asarray(j["counterparties"], dtype=np.int64).reshape(-1, 2)
    bound = np.asarray(j["bound"], dtype=float).reshape(-1, 2)
    grid = j["grid"]
    g1, g2 = join_int128(grid["sum"]), join_int128(grid["sum_squares"])
    el, el_se = mean_and_se(g1, g2, n)
    cells = np.asarray(grid["histogram"], dtype=np.int64)
    side = math.isqrt(cells.shape[1])
    fine = j["combined"]
    scale = 2.0**FIXED_POINT_BITS
    bins = np.asarray(fine["histogram"], dtype=np.int64).reshape(len(names), -1)
    sums = np.asarray(join_int128(fine["sum"]), dtype=float).reshape(len(names), -1) / scale
    squares = np.asarray(join_int128(fine["sum_squares"]), dtype=float).reshape(len(names), -1)
    squares /= scale * scale
    var_a, var_b = _own_variances(raw_a, n), _own_variances(raw_b, n)
    rows = []
    for k in range(len(names)):
        top = float(bound[k].sum())
        tail = binned_shortfall(bins[k], sums[k], squares[k], top, LEVEL)
        both = int(cells[k].reshape(side, side)[1:, 1:].sum())
        p = both / n if n else math.nan
        ia, ib = (int(x) for x in of[k])
        corr = math.nan
        if ia >= 0 and ib >= 0 and var_a and var_b and n:
            va, vb = var_a[ia], var_b[ib]
            vc = _variance(g1[k], g2[k], n)
            if va > 0 and vb > 0:
                corr = float((vc - va - vb) / 2) / math.sqrt(float(va) * float(vb))
        rows.append(
            {
                "shared": ia >= 0 and ib >= 0,
                "el": float(el[k]),
                "el_se": float(el_se[k]),
                "loss_q99": tail.quantile,
                "es99": tail.es,
                "es99_se": tail.es_se,
                "bin_width": top / (bins.shape[1] - 2),
                "p_both_lose": p,
                "p_both_lose_se": math.sqrt(p * (1 - p) / n) if n else math.nan,
                "loss_correlation": corr,
                "bound_a": float(bound[k, 0]),
                "bound_b": float(bound[k, 1]),
            }
        )
    return pd.DataFrame(rows, index=index, columns=list(COMBINED_LOSS_COLUMNS))


def _edges(b: int, bound: float, n_bins: int) -> tuple[float, float]:
    """Bin b's range: [0, 0] for bin 0, [(b - 1) w, b w) inside (the last
    one closed at the bound), (bound, inf) above."""
    if b == 0:
        return 0.0, 0.0
    if b > n_bins:
        return bound, math.inf
    width = bound / n_bins
    return (b - 1) * width, b * width


def joint_loss_table(
    pair: dict[str, Any], names_a: Sequence[str], names_b: Sequence[str]
) -> pd.DataFrame:
    """Index (counterparty, a_bin, b_bin), the suppliers of both bets only,
    the cells with paths only: each cell's range of a's loss (``a_low``,
    ``a_high``) and of b's, its ``paths`` and their share
    (``probability``). Each side has 20 linear bins on [0, its bound],
    bin 0 for no loss and bin 21 above the bound."""
    j = pair["joint_loss"]
    names = _names(j, names_a, names_b)
    n = int(pair["n_paths"])
    of = np.asarray(j["counterparties"], dtype=np.int64).reshape(-1, 2)
    bound = np.asarray(j["bound"], dtype=float).reshape(-1, 2)
    cells = np.asarray(j["grid"]["histogram"], dtype=np.int64)
    rows: dict[tuple[str, int, int], dict[str, float]] = {}
    for k, name in enumerate(names):
        if of[k, 0] < 0 or of[k, 1] < 0:
            continue
        side = math.isqrt(cells.shape[1])
        grid = cells[k].reshape(side, side)
        for ga, gb in zip(*np.nonzero(grid), strict=True):
            a_low, a_high = _edges(int(ga), float(bound[k, 0]), side - 2)
            b_low, b_high = _edges(int(gb), float(bound[k, 1]), side - 2)
            count = int(grid[ga, gb])
            rows[(name, int(ga), int(gb))] = {
                "a_low": a_low,
                "a_high": a_high,
                "b_low": b_low,
                "b_high": b_high,
                "paths": count,
                "probability": count / n,
            }
    index = pd.MultiIndex.from_tuples(list(rows), names=["counterparty", "a_bin", "b_bin"])
    out = pd.DataFrame(list(rows.values()), index=index, columns=list(JOINT_LOSS_COLUMNS))
    return out.astype({c: "int64" if c == "paths" else "float64" for c in JOINT_LOSS_COLUMNS})
