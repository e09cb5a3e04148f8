"""The distressed paths' exact sums (``docs/model.md`` §27) decoded: claims,
recoveries and the recovery rate as a ratio estimator."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from wager.kernel.layout import FIXED_POINT_BITS
from wager.stats.estimators import join_int128

__all__ = [
    "CLAIM_CLASSES",
    "class_estimates",
    "class_estimates_by_year",
    "distressed_paths",
    "fixed_squares",
    "fixed_sums",
    "overall_recovery",
    "ratio_estimate",
]

#: Claim classes in order of priority (the last three rank equally), as the
#: core lays out their (claim, recovered, claim + recovered) series.
CLAIM_CLASSES = ("secured", "unsecured_debt", "contracts", "trade")


def fixed_sums(pair: tuple[np.ndarray, np.ndarray]) -> list[Fraction]:
    """Fixed-point sums as exact fractions."""
    scale = 2**FIXED_POINT_BITS
    return [Fraction(v, scale) for v in join_int128(pair)]


def fixed_squares(pair: tuple[np.ndarray, np.ndarray]) -> list[Fraction]:
    """Fixed-point sums of squares as exact fractions."""
    scale = 2 ** (2 * FIXED_POINT_BITS)
    return [Fraction(v, scale) for v in join_int128(pair)]


def ratio_estimate(
    sx: Fraction, sy: Fraction, sxx: Fraction, syy: Fraction, sss: Fraction, m: int
) -> dict[str, Any]:
    """Mean claim x, mean recovery y and R = sum y / sum x with its delta-method
    standard error, from exact sums (sss: of (x + y)^2)."""
    if m == 0:
        nan = math.nan
        return {
            "claim": nan,
            "recovered": nan,
            "recovery_rate": nan,
            "recovery_rate_se": nan,
            "paths": 0,
        }
    mx, my = sx / m, sy / m
    rate = float(sy / sx) if sx else math.nan
    se = math.nan
    if sx and m > 1:
        r = sy / sx
        sxy = (sss - sxx - syy) / 2
        # Sample variances and covariance, exactly, then one rounding.
        vx = (sxx - sx * sx / m) / (m - 1)
        vy = (syy - sy * sy / m) / (m - 1)
        cxy = (sxy - sx * sy / m) / (m - 1)
        v = (vy - 2 * r * cxy + r * r * vx) / (m * mx * mx)
        se = math.sqrt(max(float(v), 0.0))
    return {
        "claim": float(mx),
        "recovered": float(my),
        "recovery_rate": rate,
        "recovery_rate_se": se,
        "paths": m,
    }


def overall_recovery(distress: dict[str, Any]) -> float:
    """All claims' recovery rate over the distressed paths: total paid / total
    claimed (NaN without a claim)."""
    s1 = fixed_sums(distress["sum"])
    claimed = sum(s1[3 * i] for i in range(len(CLAIM_CLASSES)))
    paid = sum(s1[3 * i + 1] for i in range(len(CLAIM_CLASSES)))
    return float(paid / claimed) if claimed else math.nan


def distressed_paths(distress: dict[str, Any]) -> int:
    """How many paths were in distress."""
    return int(np.asarray(distress["count"])[0])


def class_estimates_by_year(
    distress: dict[str, Any], n_years: int
) -> list[dict[str, dict[str, Any]]]:
    """Per year the distress began, :func:`ratio_estimate` of each claim class
    over the paths whose distress began that year, from the core's
    ``by_year`` triples ``[(year * classes + class) * 3 + k]``."""
    by_year = distress["by_year"]
    count = np.asarray(by_year["count"], dtype=np.int64)
    s1, s2 = fixed_sums(by_year["sum"]), fixed_squares(by_year["sum_squares"])
    out = []
    for y in range(n_years):
        row = {}
        for i, name in enumerate(CLAIM_CLASSES):
            x = 3 * (y * len(CLAIM_CLASSES) + i)
            row[name] = ratio_estimate(s1[x], s1[x + 1], s2[x], s2[x + 1], s2[x + 2], int(count[x]))
        out.append(row)
    return out


def class_estimates(distress: dict[str, Any]) -> dict[str, dict[str, float]]:
    """:func:`ratio_estimate` of each claim class (``CLAIM_CLASSES``), from the
    core's (claim, recovered, claim + recovered) triple of sums per class."""
    m = distressed_paths(distress)
    s1, s2 = fixed_sums(distress["sum"]), fixed_squares(distress["sum_squares"])
    out = {}
    for i, name in enumerate(CLAIM_CLASSES):
        x, y, both = 3 * i, 3 * i + 1, 3 * i + 2
        out[name] = ratio_estimate(s1[x], s1[y], s2[x], s2[y], s2[both], m)
    return out
