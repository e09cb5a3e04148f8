"""The change in P(distress) between two runs on the same paths, with the
standard error of the paired differences (each path in distress or not)."""

from __future__ import annotations

import numpy as np


def paired_change(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    """(P(after) - P(before), its standard error) from each path's indicator:
    the mean of the paths' differences and its sample standard error, from
    the counts of paths that entered (n10) and left (n01) distress."""
    n10 = int(np.sum(after & ~before))
    n01 = int(np.sum(before & ~after))
    n = before.size
    change = (n10 - n01) / n
    se = float(np.sqrt(n10 + n01 - (n10 - n01) ** 2 / n)) / n
    return change, se
