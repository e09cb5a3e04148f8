"""A cell's headline statistics from the core's merged results: P(distress)
and P(profit) by the horizon with Wilson intervals, the outcomes' means with
standard errors, the terminal equity value's quantiles and shortfall, and
P(reorganised), P(liquidated), P(wiped out) and the recovery rate of all
claims and of each claim class.
One row of a stress grid, a tornado's end or a race's profile."""

from __future__ import annotations

from typing import Any

import numpy as np

from wager.kernel.layout import OUTCOMES, STAT_VARIABLES, HistogramSpec
from wager.stats.estimators import (
    cumulative,
    join_int128,
    mean_and_se,
    quantiles,
    tail_risk,
    wilson_interval,
)
from wager.stats.recovery import class_estimates, overall_recovery

__all__ = ["GRID_HISTOGRAM", "summary_row"]

#: Histograms of a grid: 2% relative resolution (bins_per_unit 50) over the
#: same range as a simulation's, so that hundreds of cells fit in memory
#: (48 series x 2,000 bins per cell).
GRID_HISTOGRAM = HistogramSpec(scale=0.01, bins_per_unit=50.0, n_bins=2000)


def summary_row(raw: dict[str, Any], years: list[int], spec: HistogramSpec) -> dict[str, float]:
    """A grid cell's Monte Carlo columns (see :class:`StressGrid`) from the core's results."""
    n = int(raw["n_paths"])
    n_years = len(years)
    row: dict[str, float] = {}
    for name, counts in (
        ("p_distress", raw["default_year"]),
        ("p_profit", raw["first_profit_year"]),
    ):
        hit = np.array([n - int(counts[n_years])])
        low, high = wilson_interval(hit, n)
        row[name], row[f"{name}_low"], row[f"{name}_high"] = hit[0] / n, low[0], high[0]
    first = len(STAT_VARIABLES) * n_years
    rows = slice(first, first + len(OUTCOMES))
    s1 = join_int128((raw["sum"][0][rows], raw["sum"][1][rows]))
    s2 = join_int128((raw["sum_squares"][0][rows], raw["sum_squares"][1][rows]))
    mean, se = mean_and_se(s1, s2, n)
    for i, outcome in enumerate(OUTCOMES):
        row[f"{outcome}_mean"], row[f"{outcome}_se"] = float(mean[i]), float(se[i])
    tev = raw["histogram"][first + OUTCOMES.index("terminal_equity_value")]
    cum = cumulative(tev)
    q = quantiles(tev, spec, [0.05, 0.5, 0.95], cum=cum)[0]
    row["terminal_equity_value_q5"], row["terminal_equity_value_q50"] = q[0], q[1]
    row["terminal_equity_value_q95"] = q[2]
    _, _, es, es_se = tail_risk(tev, spec, 0.95, cum=cum)
    row["terminal_equity_value_es95"], row["terminal_equity_value_es95_se"] = es, es_se
    # docs/model.md §27: how the distress was resolved by the horizon, and
    # the share of all claims paid.
    d = raw["distress"]
    for name, key in (
        ("p_reorganised", "reorganisation_year"),
        ("p_liquidated", "liquidation_year"),
        ("p_wiped_out", "wipeout_year"),
    ):
        hit = np.array([int(np.sum(np.asarray(d[key], dtype=np.int64)[:n_years]))])
        low, high = wilson_interval(hit, n)
        row[name], row[f"{name}_low"], row[f"{name}_high"] = hit[0] / n, low[0], high[0]
    row["recovery_rate"] = overall_recovery(d)
    row.update(_class_recoveries(d))
    return row


def _class_recoveries(distress: dict[str, Any]) -> dict[str, float]:
    """``recovery_rate_<class>`` and its ``_se`` for each claim class, the
    estimate ``Simulation.recoveries`` gives."""
    out: dict[str, float] = {}
    for name, est in class_estimates(distress).items():
        out[f"recovery_rate_{name}"] = est["recovery_rate"]
        out[f"recovery_rate_{name}_se"] = est["recovery_rate_se"]
    return out
