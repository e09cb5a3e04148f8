"""Names shared by every table of statistics: the default quantiles and the
column a quantile is shown in."""

from __future__ import annotations

__all__ = ["DEFAULT_QUANTILES", "quantile_column"]

#: The quantile columns of a simulation's tables, unless asked otherwise.
DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def quantile_column(p: float) -> str:
    """The column of quantile ``p`` in a result's tables: ``q5``, ``q50``, ``q2_5``."""
    return f"q{round(p * 100, 6):g}".replace(".", "_")
