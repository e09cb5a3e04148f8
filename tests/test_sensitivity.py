"""Tornado and Sobol indices on a scenario whose terminal equity value is a
known linear function of two independent inputs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import wager
from wager.compile.uncertainty import central_scenario
from wager.scenario.regime_defaults import TRANSITION_DEFAULTS

MULTIPLE, YEARS, COST = 20.0, 6, 5.0


def _linear(**extra: Any) -> wager.Scenario:
    """Revenue R ~ U(5, 15) a year, no cost of sales, a fixed cost of 5, cash
    C ~ U(0, 200), no interest, tax, raises or randomness: terminal equity
    value = 20 R (the normal regime's multiple of the last step's annualised
    revenue) + cash C + 6 (R - 5) = 26 R + C - 30, always positive."""
    d: dict[str, Any] = {
        "name": "linear",
        "time": {"start_year": 2025, "horizon": 2030, "steps_per_year": 4},
        "segments": {
            "core": {
                "revenue": {"dist": "uniform", "min": 5.0, "max": 15.0},
                "inference_cost_ratio": 0.0,
            }
        },
        "market": {
            "regimes": {"normal": {"valuation_multiple": MULTIPLE}},
            "transition": {"normal": {"normal": 1.0}},
        },
        "costs": {"general_admin": {"fixed": COST}},
        "financing": {
            "initial_cash": {"dist": "uniform", "min": 0.0, "max": 200.0},
            "cash_yield": 0.0,
            "equity": {"enabled": False},
        },
        "tax": {"rate": 0.0},
    }
    d.update(extra)
    return wager.Scenario.model_validate(d)


ALPHA = MULTIPLE + YEARS
VAR_R, VAR_C = 10.0**2 / 12, 200.0**2 / 12
SHARE_R = ALPHA**2 * VAR_R / (ALPHA**2 * VAR_R + VAR_C)


def test_tornado_swings_are_the_closed_form() -> None:
    t = wager.tornado(_linear(), n_paths=64)
    assert t.central == pytest.approx(ALPHA * 10 + 100 - YEARS * COST, rel=1e-12)
    assert list(t.table.index) == ["segments.core.revenue", "financing.initial_cash"]
    r, c = t.table.loc["segments.core.revenue"], t.table.loc["financing.initial_cash"]
    # 10th and 90th percentiles: R 6 and 14, C 20 and 180.
    assert (r["low_input"], r["high_input"]) == pytest.approx((6.0, 14.0), rel=1e-12)
    assert (c["low_input"], c["high_input"]) == pytest.approx((20.0, 180.0), rel=1e-12)
    assert r["swing"] == pytest.approx(ALPHA * 8, rel=1e-10)
    assert c["swing"] == pytest.approx(160.0, rel=1e-10)
    assert r["low_se"] == 0 and c["high_se"] == 0  # no randomness left


def test_sobol_indices_match_the_variance_shares() -> None:
    s = wager.sobol(_linear(), n_base=512, seed=3)
    # Additive: first-order = total = each input's share of the variance.
    expected = pd.Series({"segments.core.revenue": SHARE_R, "financing.initial_cash": 1 - SHARE_R})
    for col in ("S1", "ST"):
        err = (s.table[col] - expected).abs()
        # Within the 95% bootstrap interval, widened to 99.7% (3 sd).
        assert (err <= s.table[f"{col}_conf"] * 3 / 1.96).all(), (col, s.table)
    assert s.samples.shape == (512 * 4, 2) and s.values.shape == (512 * 4,)
    np.testing.assert_allclose(
        s.values,
        ALPHA * s.samples["segments.core.revenue"] + s.samples["financing.initial_cash"] - 30,
        rtol=1e-12,
    )


def test_every_design_point_sees_the_same_worlds() -> None:
    # With the regime chain on, a point's metric is a mean over 32 worlds;
    # the same 32 for every point and whatever the threads.
    # The preset at its medians, without its segments' own deviations: one
    # uncertain input, the cash, in worlds of regimes and raises only.
    sc = central_scenario(wager.presets.load("compute_first")).model_dump(exclude_none=True)
    for segment in sc["segments"].values():
        segment["volatility"] = 0.0
    sc["financing"]["initial_cash"] = {"dist": "uniform", "min": 10.0, "max": 60.0}
    # The package's default chain, busier than the preset's cited one: on these
    # 32 worlds the cash then moves p_distress (with the preset's, no world
    # turns on it and the indices are 0 / 0).
    sc["market"]["transition"] = TRANSITION_DEFAULTS
    scenario = wager.Scenario.model_validate(sc)
    a = wager.sobol(scenario, "p_distress", n_base=8, seed=1, n_threads=1)
    b = wager.sobol(scenario, "p_distress", n_base=8, seed=1, n_threads=2)
    np.testing.assert_array_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.table, b.table)
    # Two design rows with the same inputs: the same paths, world for world.
    from wager import _core
    from wager.compile.prepared import prepare_strategy
    from wager.compile.run_config import simulation_config

    prepared = prepare_strategy(scenario)
    rows = np.array([[30.0], [30.0], [45.0]])
    for period, same in ((32, True), (0, False)):
        config = simulation_config(
            [prepared.with_input_rows(rows, 32)],
            n_paths=96,
            seed=2,
            n_threads=2,
            keep_paths=True,
            world_period=period,
        )
        cash = _core.simulate(config)[0]["kept"][3].reshape(3, 32, -1)
        assert np.array_equal(cash[0], cash[1]) == same
        assert not np.array_equal(cash[0], cash[2])


def test_the_tornado_of_a_default_probability() -> None:
    # Burn 10 a year from cash C ~ U(0, 100): default by 2026 iff C < 20.
    burn = wager.Scenario.model_validate(
        {
            "name": "burn",
            "time": {"start_year": 2025, "horizon": 2028},
            "segments": {"core": {"revenue": 0.0, "inference_cost_ratio": 0.0}},
            "costs": {"general_admin": {"fixed": 10.0}},
            "financing": {
                "initial_cash": {"dist": "uniform", "min": 0.0, "max": 100.0},
                "cash_yield": 0.0,
                "equity": {"enabled": False},
            },
        }
    )
    t = wager.tornado(burn, "p_distress", year=2026, n_paths=200)
    row = t.table.loc["financing.initial_cash"]
    assert (row["low"], row["high"], t.central) == (1.0, 0.0, 0.0)
    late = wager.tornado(burn, "first_profit_year", n_paths=32)
    assert late.central == 2029  # never profitable: the year after the horizon


def test_sensitivity_refuses_what_it_cannot_do() -> None:
    # A preset at its medians has no distributions: the refusal points to the
    # one-way sensitivity.
    with pytest.raises(
        ValueError, match=r"no uncertain inputs.*wager\.sensitivity moves any input"
    ):
        wager.tornado(central_scenario(wager.presets.load("profitability")))
    with pytest.raises(ValueError, match="metric must be one of"):
        wager.tornado(_linear(), "irr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="power of 2"):
        wager.sobol(_linear(), n_base=100)
    with pytest.raises(ValueError, match="multiple of 32"):
        wager.sobol(_linear(), paths_per_sample=10)
    correlated = _linear(
        uncertainty={
            "inputs": ["segments.core.revenue", "financing.initial_cash"],
            "correlation": [[1.0, 0.5], [0.5, 1.0]],
        }
    )
    with pytest.raises(ValueError, match="independent inputs"):
        wager.sobol(correlated)
    assert len(wager.tornado(correlated, n_paths=32).table) == 2


def test_the_swing_s_error_comes_from_the_paired_ends() -> None:
    assert (wager.tornado(_linear(), n_paths=64).table["swing_se"] == 0).all()  # nothing random
    # The preset at its medians (a simulation of it then holds every other
    # input where the tornado does), the cash its one uncertain input.
    d = central_scenario(wager.presets.load("compute_first")).model_dump(exclude_none=True)
    d["financing"]["initial_cash"] = {"dist": "uniform", "min": 10.0, "max": 60.0}
    sc = wager.Scenario.model_validate(d)
    for metric in ("terminal_equity_value", "p_distress"):
        row = wager.tornado(sc, metric, n_paths=4_000, seed=2).table.loc["financing.initial_cash"]
        assert 0 < row["swing_se"] < 0.5 * np.hypot(row["low_se"], row["high_se"]), (metric, row)
    # p_default: the paired error from every path's own outcome at both ends.
    t = wager.tornado(sc, "p_distress", n_paths=4_000, seed=2)
    lo, hi = t.table.loc["financing.initial_cash", ["low_input", "high_input"]]
    ends = []
    for cash in (lo, hi):
        fixed = wager.Scenario.model_validate(
            {**d, "financing": {**d["financing"], "initial_cash": float(cash)}}
        )
        r = wager.simulate(fixed, n_paths=4_000, seed=2, progress=False, keep_paths=True)
        assert r.paths is not None
        ends.append(((r.paths.distress_year >= 0) & (r.paths.distress_year <= 2035)).astype(float))
    diff = ends[1] - ends[0]
    expected = np.sqrt(max(np.mean(diff**2) - np.mean(diff) ** 2, 0.0) / len(diff))
    np.testing.assert_allclose(
        t.table.loc["financing.initial_cash", "swing_se"], expected, rtol=1e-12
    )
