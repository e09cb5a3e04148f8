"""Simulation.surviving_cash: the year-end cash quantiles of the paths not in
distress, read from the all-path histogram, against the kept paths
themselves (an independent computation on every path's values)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import wager
from wager.stats.names import quantile_column

N = 4_000
#: A bin's relative width on the asinh scale (1 / bins_per_unit), doubled for
#: the interpolation inside the bin, plus the scale near zero.
RELATIVE = 2.0 / 500.0
ABSOLUTE = 0.02


@pytest.fixture(scope="module")
def frozen() -> wager.Simulation:
    # Under the freeze most compute_first paths fall into distress: the live
    # paths are a minority whose cash the all-path quantiles would misplace.
    return wager.simulate(
        wager.presets.load("compute_first"),
        n_paths=N,
        seed=2,
        stress="funding_freeze",
        keep_paths=True,
        progress=False,
    )


def _alive(sim: wager.Simulation, i: int) -> np.ndarray:
    assert sim.paths is not None
    year = int(sim.paths.years[i])
    dy = sim.paths.distress_year
    return (dy == -1) | (dy > year)


def test_live_paths_end_each_year_with_cash_of_at_least_zero(frozen: wager.Simulation) -> None:
    # The fact the method rests on (docs/model.md §11): distressed paths, and
    # only they, hold negative cash.
    assert frozen.paths is not None
    cash = frozen.paths.annual["cash"]
    for i in range(cash.shape[1]):
        alive = _alive(frozen, i)
        assert (cash[alive, i] >= 0).all()
        assert (cash[~alive, i] < 0).all()


def test_surviving_cash_matches_the_kept_paths(frozen: wager.Simulation) -> None:
    assert frozen.paths is not None
    cash = frozen.paths.annual["cash"]
    live = frozen.surviving_cash
    assert live["paths"].iloc[-1] < N / 2  # the freeze: most paths are in distress
    for i, year in enumerate(live.index):
        values = np.sort(cash[_alive(frozen, i), i])
        m = values.size
        assert live.loc[year, "paths"] == m
        for p in frozen.quantiles:
            q = float(live.loc[year, quantile_column(p)])
            # The histogram's quantile lies within a bin of the order
            # statistics around rank p m.
            k = max(math.ceil(p * m) - 1, 0)
            lo, hi = values[max(k - 1, 0)], values[min(k + 1, m - 1)]
            assert lo * (1 - RELATIVE) - ABSOLUTE <= q <= hi * (1 + RELATIVE) + ABSOLUTE, (
                year,
                p,
                q,
                lo,
                hi,
            )


def test_the_all_path_quantiles_differ_where_paths_are_in_distress(
    frozen: wager.Simulation,
) -> None:
    # The reason for the table: with a third of the paths in distress, the
    # all-path 5% quantile is a distressed path's frozen negative cash.
    last = frozen.surviving_cash.index[-1]
    assert frozen.annual.loc[("cash", last), "q5"] < 0 <= frozen.surviving_cash.loc[last, "q5"]


def test_outcome_distribution_matches_the_kept_paths(frozen: wager.Simulation) -> None:
    assert frozen.paths is not None
    values = frozen.paths.outcomes["terminal_dcf_value_today"]
    d = frozen.outcome_distribution("terminal_dcf_value_today")
    assert d["probability"].is_monotonic_increasing and d["probability"].iloc[-1] == 1.0
    assert d["value"].is_monotonic_increasing
    # At each bin edge, the share of paths below it (a value that lies on an
    # edge to rounding may fall either side).
    for v, p in zip(d["value"], d["probability"], strict=True):
        below = np.mean(values < v * (1 - 1e-9) - 1e-12)
        at_most = np.mean(values < v * (1 + 1e-9) + 1e-12)
        assert below <= p <= at_most, (v, p, below, at_most)
    with pytest.raises(ValueError, match="no outcome 'cash'"):
        frozen.outcome_distribution("cash")
