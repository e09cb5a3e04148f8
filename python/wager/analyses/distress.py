"""What distress comes to (``docs/model.md`` §27): one projected path's
resolution, and a simulation's resolution probabilities and recoveries by
class, decoded from the core's exact sums."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wager.analyses.claimants import Claim
from wager.stats.estimators import wilson_interval
from wager.stats.recovery import (
    CLAIM_CLASSES,
    class_estimates,
    class_estimates_by_year,
    distressed_paths,
    fixed_sums,
)

__all__ = [
    "CLAIM_CLASSES",
    "DistressResolution",
    "recoveries_by_year_table",
    "recoveries_table",
    "resolution_table",
    "values_table",
]

#: The core's series of a distressed path after the claim classes' (claim,
#: recovered, claim + recovered) triples.
_VALUE_SERIES = ("equity", "going_concern_value", "liquidation_value", "cost")


@dataclass(frozen=True)
class DistressResolution:
    """How one path's distress was resolved (money in US$ bn).

    Attributes
    ----------
    kind
        ``"reorganised"`` or ``"liquidated"``.
    distress_step, resolution_step
        Steps from the start at which the company could not pay, and at
        which its distress was resolved (may lie past the horizon).
    resolution_year
        The calendar year of ``resolution_step``.
    claims, recovered
        By class (``CLAIM_CLASSES``): what was owed, and what was paid.
    equity
        What was left to the equity holders (0: wiped out).
    going_concern_value, liquidation_value
        The two values the decision compared; the larger is distributed.
    cost
        The value the process consumed.
    claimants
        By claimant (the facility's and the term debt's lenders, each
        commitment's counterparty): what each was owed and paid.
    """

    kind: str
    distress_step: int
    resolution_step: int
    resolution_year: int
    claims: dict[str, float]
    recovered: dict[str, float]
    equity: float
    going_concern_value: float
    liquidation_value: float
    cost: float
    claimants: tuple[Claim, ...] = ()

    @property
    def by_claimant(self) -> pd.DataFrame:
        """Index (kind, claimant); class, claim, recovered, recovery_rate."""
        rows = [
            {
                "kind": c.kind,
                "claimant": c.claimant,
                "class": c.claim_class,
                "claim": c.claim,
                "recovered": c.recovered,
                "recovery_rate": c.recovered / c.claim if c.claim > 0 else math.nan,
            }
            for c in self.claimants
        ]
        columns = ["kind", "claimant", "class", "claim", "recovered", "recovery_rate"]
        return pd.DataFrame(rows, columns=columns).set_index(["kind", "claimant"])

    @property
    def recovery_rate(self) -> dict[str, float]:
        """Recovered / claim by class (NaN for a class with no claim)."""
        return {
            c: self.recovered[c] / self.claims[c] if self.claims[c] > 0 else math.nan
            for c in CLAIM_CLASSES
        }


def resolution_table(raw: dict[str, Any], years: list[int], n_paths: int) -> pd.DataFrame:
    """Index year; by the end of each year, the probability that the company
    was in distress, reorganised, liquidated, and that its equity holders
    were wiped out, with 95% Wilson intervals (``<event>_low``, ``_high``)."""
    d = raw["distress"]
    n_years = len(years)
    counts = {
        "distress": np.asarray(raw["default_year"], dtype=np.int64)[:n_years],
        "reorganised": np.asarray(d["reorganisation_year"], dtype=np.int64)[:n_years],
        "liquidated": np.asarray(d["liquidation_year"], dtype=np.int64)[:n_years],
        "wiped_out": np.asarray(d["wipeout_year"], dtype=np.int64)[:n_years],
    }
    columns: dict[str, Any] = {}
    for name, c in counts.items():
        cum = np.cumsum(c)
        lo, hi = wilson_interval(cum, n_paths) if n_paths else (np.nan, np.nan)
        columns[name] = cum / n_paths if n_paths else np.nan
        columns[f"{name}_low"] = lo
        columns[f"{name}_high"] = hi
    return pd.DataFrame(columns, index=pd.Index(years, name="year"))


def recoveries_table(raw: dict[str, Any]) -> pd.DataFrame:
    """Index class (``CLAIM_CLASSES``, then ``equity``); over the distressed
    paths: the mean claim and recovery, the recovery rate (total recovered /
    total claimed) and its standard error (delta method), the number of
    distressed paths. ``equity`` has only its recovery."""
    d = raw["distress"]
    m = distressed_paths(d)
    s1 = fixed_sums(d["sum"])
    rows = [{"class": name, **est} for name, est in class_estimates(d).items()]
    e = 3 * len(CLAIM_CLASSES)
    rows.append(
        {
            "class": "equity",
            "claim": math.nan,
            "recovered": float(s1[e] / m) if m else math.nan,
            "recovery_rate": math.nan,
            "recovery_rate_se": math.nan,
            "paths": m,
        }
    )
    return pd.DataFrame(rows).set_index("class")


def recoveries_by_year_table(raw: dict[str, Any], years: list[int]) -> pd.DataFrame:
    """Index (year, class): per year the distress began (its claims are
    valued at that step) and claim class, over the paths whose distress
    began that year, the mean claim and recovery, the recovery rate (total
    recovered / total claimed) and its standard error (delta method), and
    those paths' number (``paths``; NaN rates for a year without any)."""
    estimates = class_estimates_by_year(raw["distress"], len(years))
    rows = [
        {"year": year, "class": name, **est}
        for year, by_class in zip(years, estimates, strict=True)
        for name, est in by_class.items()
    ]
    return pd.DataFrame(rows).set_index(["year", "class"])


def values_table(raw: dict[str, Any]) -> pd.Series:
    """Mean over the distressed paths of the equity's recovery, the going-concern
    and liquidation values and the process's cost."""
    d = raw["distress"]
    m = distressed_paths(d)
    s1 = fixed_sums(d["sum"])
    first = 3 * len(CLAIM_CLASSES)
    return pd.Series(
        {name: float(s1[first + i] / m) if m else math.nan for i, name in enumerate(_VALUE_SERIES)},
        name="mean",
    )
