"""What the core's results are laid out as, and how its statistics are binned:
the one Python definition of the arrays ``wager._core`` returns.

A strategy's series are ``STAT_VARIABLES`` x years (variable-major), then
``OUTCOMES``; kept paths are ``KEPT_VARIABLES`` x (path, year). The order
is the core's (``cpp/include/wager/statistics.hpp``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wager.kernel.contract import HistogramDict

__all__ = [
    "FIXED_POINT_BITS",
    "KEPT_VARIABLES",
    "OUTCOMES",
    "STAT_VARIABLES",
    "HistogramSpec",
    "n_series",
]

#: Means and variances come from sums of values rounded to 2^-24 US$ bn.
FIXED_POINT_BITS = 24
#: Per-year variables with mean, standard error and quantiles (core order).
STAT_VARIABLES = ("revenue", "operating_income", "free_cash_flow", "cash")
#: Per-path outcomes with mean, standard error and quantiles (core order).
OUTCOMES = (
    "cumulative_fcf",
    "peak_funding_need",
    "terminal_equity_value",
    "terminal_dcf_value",
    "terminal_equity_value_today",
    "terminal_dcf_value_today",
)
#: Per-year variables kept for every path with keep_paths (core order).
KEPT_VARIABLES = (
    "revenue",
    "operating_income",
    "free_cash_flow",
    "cash",
    "debt",
    "ownership_retained",
    "utilisation",
    "regime",
)


def n_series(n_years: int) -> int:
    """Series per strategy: every statistic variable per year, then the outcomes."""
    return len(STAT_VARIABLES) * n_years + len(OUTCOMES)


@dataclass(frozen=True)
class HistogramSpec:
    """The asinh-scale bins (must match the core's ``HistogramSpec``)."""

    scale: float = 0.01
    bins_per_unit: float = 500.0
    n_bins: int = 20000

    def value(self, position: np.ndarray | float) -> np.ndarray:
        """The value at a fractional bin position (bin b spans [b, b + 1))."""
        return self.scale * np.sinh(
            (np.asarray(position, dtype=float) - self.n_bins // 2) / self.bins_per_unit
        )

    def core_dict(self) -> HistogramDict:
        """The dict the core reads."""
        return {"scale": self.scale, "bins_per_unit": self.bins_per_unit, "n_bins": self.n_bins}
