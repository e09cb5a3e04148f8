"""Yearly input series: one number, one value per year, or a table by year.

A series is resolved to one value per calendar year of the horizon. A table
``{2025 = 13, 2028 = 99}`` is linearly interpolated between the years it gives
and held flat before the first and after the last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import numpy as np
from pydantic import AfterValidator, BeforeValidator, Discriminator, Tag

from wager.scenario.distribution import Distribution, UFraction, UNonNeg, URate

__all__ = [
    "FractionSeries",
    "MoneySeries",
    "RateSeries",
    "RatioSeries",
    "SeriesValue",
    "expand_series",
    "year_keys",
]


def year_keys(value: Any) -> Any:
    """Turn the string keys of a TOML/JSON/YAML table into calendar years."""
    if not isinstance(value, Mapping):
        return value
    out: dict[Any, Any] = {}
    given: dict[int, Any] = {}  # each year's key as written, to name a duplicate
    for key, item in value.items():
        if isinstance(key, str) and key.strip().isdigit():
            year = int(key)
        elif isinstance(key, int) and not isinstance(key, bool):
            year = key
        else:
            raise ValueError(f"table keys must be calendar years, got {key!r}")
        if year in given:
            # "2025", "02025", " 2025" and 2025 are one year: refused, not merged.
            raise ValueError(f"year {year} is given twice (as {given[year]!r} and {key!r})")
        given[year] = key
        out[year] = item
    return out


def _series_kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "scalar" if "dist" in value else "table"
    if isinstance(value, list | tuple):
        return "list"
    return "scalar"


def _non_empty(value: Any) -> Any:
    if isinstance(value, Sequence | Mapping) and len(value) == 0:
        raise ValueError("a series needs at least one value")
    return value


def _series(element: Any) -> Any:
    return Annotated[
        Annotated[element, Tag("scalar")]
        | Annotated[list[element], Tag("list")]
        | Annotated[dict[int, element], BeforeValidator(year_keys), Tag("table")],
        Discriminator(_series_kind),
        AfterValidator(_non_empty),
    ]


_Money = UNonNeg
_Ratio = UNonNeg
_Fraction = UFraction
_Rate = URate

#: US$ bn per year, >= 0.
MoneySeries = _series(_Money)
#: A non-negative ratio (e.g. cost per dollar of revenue).
RatioSeries = _series(_Ratio)
#: A share in [0, 1].
FractionSeries = _series(_Fraction)
#: A rate of change per year, > -1 (e.g. -0.3 = prices fall 30% a year).
RateSeries = _series(_Rate)

SeriesValue = float | Distribution | list[float | Distribution] | dict[int, float | Distribution]

#: Tags that pydantic puts into error locations of a series; not field names.
SERIES_TAGS = frozenset({"scalar", "list", "table", "number", "distribution"})


def expand_series(value: SeriesValue, start_year: int, n_years: int) -> list[float]:
    """Resolve a series to one float per year of ``start_year .. start_year + n_years - 1``.

    Parameters
    ----------
    value
        A number (every year), a list (one value per year) or a table by year.
    start_year, n_years
        The horizon.

    Returns
    -------
    list of float
        One value per year.
    """
    if isinstance(value, Mapping):
        years = sorted(value)
        xs = np.array(years, dtype=float)
        ys = np.array([_number(value[y]) for y in years], dtype=float)
        grid = np.arange(start_year, start_year + n_years, dtype=float)
        return [float(v) for v in np.interp(grid, xs, ys)]
    if isinstance(value, list | tuple):
        return [_number(v) for v in value]
    return [_number(value)] * n_years


def _number(value: float | Distribution) -> float:
    # Callers resolve distributions first (uncertainty.central_scenario).
    if isinstance(value, Distribution):
        raise TypeError(
            "expand_series needs numbers: resolve distributions to their central values first"
        )
    return float(value)
