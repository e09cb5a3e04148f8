"""The arrays of one part of the core's raw results (a dict of series as
``add_series`` writes them), for bit-for-bit comparisons: the 128-bit sums
as their two halves side by side, the histograms as they are."""

from __future__ import annotations

from typing import Any

import numpy as np


def series_arrays(
    block: dict[str, Any], parts: tuple[str, ...], **kept: str
) -> dict[str, np.ndarray]:
    """``block[part]``'s sums, squares and histogram for each part, and the
    arrays named by ``kept`` (name -> key in ``block``) as they are."""
    out = {name: np.asarray(block[key]) for name, key in kept.items()}
    for part in parts:
        for key in ("sum", "sum_squares"):
            hi, lo = block[part][key]
            out[f"{part}.{key}"] = np.concatenate([hi, lo.view(np.int64)])
        out[f"{part}.histogram"] = np.asarray(block[part]["histogram"])
    return out
