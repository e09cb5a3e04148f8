"""One way to write a number for a reader: money, probabilities, their
intervals and differences, and counts, as the headlines, terminal tables and
the report show them. Exports (CSV, JSON, Parquet, Excel) never go through
here: they keep every digit.

Money is in US$ bn with thousands separators and one decimal; below 1 in
magnitude it keeps two significant figures, so a small exposure never
reads 0.0. Probabilities are percentages with one decimal; below 1% they
keep two significant figures (0.045% is not 0.0%), and an exact 0 or 1
reads 0% or 100%. Nothing is ever written in scientific notation.
"""

from __future__ import annotations

import math

__all__ = [
    "count",
    "money",
    "percent",
    "percent_interval",
    "points",
    "points_interval",
    "significant",
]

_MISSING = "-"


def _significant(x: float, figures: int) -> str:
    """``x`` (0 < |x| < 1) to ``figures`` significant figures, positional."""
    decimals = figures - 1 - math.floor(math.log10(abs(x)))
    return f"{x:.{max(decimals, 0)}f}"


def significant(x: float, digits: int = 4) -> str:
    """A detail table's number: ``digits`` significant figures, thousands
    separated, never scientific (``0.00000480``, ``12,346``, ``0.7589``)."""
    if x is None or not math.isfinite(x):
        return ""
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 10**digits:
        return f"{x:,.0f}"
    if a >= 1:
        return f"{x:,.{digits}g}"
    text = _significant(x, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(x: float, unit: str = "") -> str:
    """US$ bn: ``1,234.5``; ``0.012``; ``-3.0``. ``unit`` is appended after a space."""
    if x is None or not math.isfinite(x):
        return _MISSING
    if x == 0:
        text = "0.0"
    elif abs(x) < 1:
        text = _significant(x, 2)
    else:
        text = f"{x:,.1f}"
    return f"{text} {unit}".rstrip() if unit else text


def percent(p: float) -> str:
    """A probability as a percentage: ``22.4%``, ``0.045%``, ``0%``, ``100%``."""
    if p is None or not math.isfinite(p):
        return _MISSING
    if p == 0 or p == 1:
        return f"{p * 100:.0f}%"
    x = p * 100
    if abs(x) < 1:
        return f"{_significant(x, 2)}%"
    text = f"{x:.1f}%"
    # Rounding must not claim certainty the data do not show.
    if text == "100.0%" and p < 1:
        return ">99.9%"
    return text


def _interval_end(p: float) -> str:
    return percent(min(max(p, 0.0), 1.0)).rstrip("%")


def percent_interval(low: float, high: float) -> str:
    """A 95% interval of a probability: ``[21.9, 23.0]`` (percent, clipped to [0, 100])."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"[{_interval_end(low)}, {_interval_end(high)}]"


def points(d: float) -> str:
    """A difference of two probabilities in percentage points: ``20.8``, ``0.27``."""
    if d is None or not math.isfinite(d):
        return _MISSING
    x = abs(d) * 100
    if x == 0:
        return "0"
    return _significant(x, 2) if x < 1 else f"{x:.1f}"


def points_interval(low: float, high: float) -> str:
    """The 95% interval of a difference in points, signed: ``[-21.3, -20.2]``."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    ends = [("-" if v < 0 else "") + points(v) for v in (low, high)]
    return f"[{ends[0]}, {ends[1]}]"


def count(n: int) -> str:
    """A count with thousands separators: ``20,000``."""
    return f"{n:,}"
