"""Monte Carlo results against closed forms, with tolerances from standard errors.

Every test uses a fixed seed; a tolerance of 4 standard errors fails by
chance with probability below 1e-4.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

import wager
from wager.compile.world import step_transition

Z = 4.0


def tiny(**changes: Any) -> dict[str, Any]:
    """One segment with revenue 100 a year, no costs, no financing events."""
    base: dict[str, Any] = {
        "name": "tiny",
        "time": {"start_year": 2025, "horizon": 2029, "steps_per_year": 1},
        "segments": {"core": {"revenue": 100.0, "inference_cost_ratio": 0.0, "demand_beta": 0.0}},
        "market": {
            "regimes": {"normal": {"valuation_multiple": 10.0, "raise_success": 1.0}},
            "transition": {"normal": {"normal": 1.0}},
        },
        "financing": {
            "initial_cash": 50.0,
            "cash_yield": 0.0,
            "equity": {"enabled": False},
            "debt": {"rate": 0.0},
        },
        "tax": {"rate": 0.0},
    }
    for path, value in changes.items():
        node = base
        keys = path.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return base


def volatile_segment(sigma: float, persistence: float) -> dict[str, Any]:
    """tiny() with the segment's own AR(1) deviation switched on, off the demand factor."""
    return tiny(
        segments={
            "core": {
                "revenue": 100.0,
                "inference_cost_ratio": 0.0,
                "demand_beta": 0.0,
                "volatility": sigma,
                "persistence": persistence,
            }
        }
    )


def test_lognormal_random_walk_mean_matches_closed_form() -> None:
    # Annual steps, persistence 1: the log deviation after year y (index i)
    # is N(0, sigma^2 (i + 1)), so E[revenue] = 100 exp(sigma^2 (i + 1) / 2).
    sigma = 0.3
    sc = volatile_segment(sigma, 1.0)
    r = wager.simulate(sc, n_paths=40_000, seed=11, progress=False)
    rev = r.annual.loc["revenue"]
    expected = 100 * np.exp(sigma**2 * (np.arange(5) + 1) / 2)
    assert (np.abs(rev["mean"] - expected) <= Z * rev["se"]).all(), (rev, expected)
    # ... and the median stays on plan.
    assert (np.abs(rev["q50"] - 100) <= 0.02 * 100).all()


def test_ar1_variance_matches_its_discretisation() -> None:
    # Persistence 0.5, annual: Var(x_i) = sigma^2 (1 - phi^(2(i+1))) / (1 - phi^2).
    sigma, phi, n = 0.2, 0.5, 40_000
    sc = volatile_segment(sigma, phi)
    r = wager.simulate(sc, n_paths=n, seed=12, progress=False, keep_paths=True)
    assert r.paths is not None
    x = np.log(r.paths.annual["revenue"] / 100)
    expected = sigma**2 * (1 - phi ** (2 * (np.arange(5) + 1))) / (1 - phi**2)
    se = expected * math.sqrt(2 / (n - 1))
    assert (np.abs(x.var(axis=0, ddof=1) - expected) <= Z * se).all()


def test_imposed_correlation_is_recovered() -> None:
    rho, n = 0.6, 40_000
    sc = tiny(
        segments={"core": {"revenue": 0.0, "inference_cost_ratio": 0.0}},
        financing={
            "initial_cash": {"dist": "normal", "mean": 100.0, "sd": 10.0},
            "cash_yield": 0.0,
            "equity": {"enabled": False},
            "debt": {"initial": {"dist": "normal", "mean": 50.0, "sd": 5.0}, "rate": 0.0},
        },
        uncertainty={
            "inputs": ["financing.initial_cash", "financing.debt.initial"],
            "correlation": [[1.0, rho], [rho, 1.0]],
        },
    )
    r = wager.simulate(sc, n_paths=n, seed=13, progress=False, keep_paths=True)
    assert r.paths is not None
    cash = r.paths.annual["cash"][:, 0]
    debt = r.paths.annual["debt"][:, 0]
    est = np.corrcoef(cash, debt)[0, 1]
    assert abs(est - rho) <= Z * (1 - rho**2) / math.sqrt(n)
    assert abs(cash.mean() - 100) <= Z * 10 / math.sqrt(n)


def _three_regimes(steps_per_year: int, horizon: int) -> dict[str, Any]:
    sc = tiny()
    sc["time"] = {"start_year": 2025, "horizon": horizon, "steps_per_year": steps_per_year}
    sc["market"] = {
        "initial": "normal",
        "regimes": {"boom": {}, "normal": {}, "bust": {}},
        "transition": {
            "boom": {"boom": 0.7, "normal": 0.25, "bust": 0.05},
            "normal": {"boom": 0.15, "normal": 0.75, "bust": 0.10},
            "bust": {"boom": 0.05, "normal": 0.35, "bust": 0.60},
        },
    }
    return sc


P_YEAR = np.array([[0.7, 0.25, 0.05], [0.15, 0.75, 0.10], [0.05, 0.35, 0.60]])


def _stationary(p: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eig(p.T)
    pi = np.real(v[:, np.argmin(np.abs(w - 1))])
    return pi / pi.sum()


@pytest.mark.parametrize("k", [1, 4])
def test_regime_chain_reaches_its_stationary_distribution(k: int) -> None:
    n = 20_000
    r = wager.simulate(_three_regimes(k, 2064), n_paths=n, seed=14, progress=False, keep_paths=True)
    assert r.paths is not None
    last = r.paths.annual["regime"][:, -1].astype(int)
    freq = np.bincount(last, minlength=3) / n
    pi = _stationary(P_YEAR)
    assert (np.abs(freq - pi) <= Z * np.sqrt(pi * (1 - pi) / n)).all(), (freq, pi)


def test_quarterly_steps_follow_the_yearly_matrix_exactly() -> None:
    # Step 0 holds the initial regime; the regime at the end of 2026 (step 7)
    # has made 7 quarterly transitions: its law is e_normal P_step^7.
    n = 40_000
    p_step = step_transition(P_YEAR, 4)
    np.testing.assert_allclose(np.linalg.matrix_power(p_step, 4), P_YEAR, atol=1e-12)
    r = wager.simulate(_three_regimes(4, 2026), n_paths=n, seed=15, progress=False, keep_paths=True)
    assert r.paths is not None
    freq = np.bincount(r.paths.annual["regime"][:, 1].astype(int), minlength=3) / n
    law = np.linalg.matrix_power(p_step, 7)[1]
    assert (np.abs(freq - law) <= Z * np.sqrt(law * (1 - law) / n)).all(), (freq, law)


def test_non_embeddable_chain_is_refused() -> None:
    # A chain that flips every year has no quarterly stochastic root.
    with pytest.raises(wager.ScenarioError, match="root"):
        step_transition(np.array([[0.0, 1.0], [1.0, 0.0]]), 4)


def test_default_probability_with_a_known_ruin_threshold() -> None:
    # Cash N(10, 4) (clamped at 0), a cost of 12 in the first year and nothing
    # else: the path defaults iff cash < 12, with probability Phi(0.5).
    n = 40_000
    sc = tiny(
        segments={"core": {"revenue": 0.0, "inference_cost_ratio": 0.0}},
        costs={"staff": {"fixed": [12.0, 0.0, 0.0, 0.0, 0.0]}},
    )
    sc["financing"]["initial_cash"] = {"dist": "normal", "mean": 10.0, "sd": 4.0}
    r = wager.simulate(sc, n_paths=n, seed=16, progress=False)
    truth = stats.norm.cdf(0.5)
    curve = r.distress_probability
    p = curve.loc[2025, "probability"]
    assert abs(p - truth) <= Z * math.sqrt(truth * (1 - truth) / n)
    assert curve.loc[2025, "low"] <= truth <= curve.loc[2025, "high"]
    assert (curve["probability"] == p).all()  # nobody defaults later
    assert r.distress_year.loc[2025, "count"] == round(p * n)


def test_var_and_es_of_a_normal_outcome() -> None:
    # Revenue N(100, 10) in both years of a two-year horizon, nothing else:
    # cumulative FCF = 2 x revenue ~ N(200, 20).
    n = 100_000
    sc = tiny(
        segments={
            "core": {
                "revenue": {"dist": "normal", "mean": 100.0, "sd": 10.0},
                "inference_cost_ratio": 0.0,
            }
        }
    )
    sc["time"]["horizon"] = 2026
    r = wager.simulate(sc, n_paths=n, seed=17, progress=False, keep_paths=True)
    risk = r.risk.loc["cumulative_fcf"]
    for level in (0.95, 0.99):
        zq = stats.norm.ppf(1 - level)
        var_true = 200 + 20 * zq
        es_true = 200 - 20 * stats.norm.pdf(zq) / (1 - level)
        row = risk.loc[level]
        assert abs(row["var"] - var_true) <= Z * row["var_se"], (level, row, var_true)
        assert abs(row["es"] - es_true) <= Z * row["es_se"], (level, row, es_true)
        # ... and the histogram agrees with the exact sample to its resolution (0.2%).
        assert r.paths is not None
        sample = np.sort(r.paths.outcomes["cumulative_fcf"])
        k = int((1 - level) * n)
        assert abs(row["var"] - sample[k - 1]) <= 0.003 * abs(sample[k - 1]) + 0.01
        assert abs(row["es"] - sample[:k].mean()) <= 0.003 * abs(row["es"])


def test_mean_and_se_match_the_kept_paths() -> None:
    sc = tiny(
        segments={
            "core": {
                "revenue": {"dist": "lognormal", "low": 60.0, "high": 150.0},
                "inference_cost_ratio": 0.3,
                "volatility": 0.2,
            }
        }
    )
    r = wager.simulate(sc, n_paths=5_000, seed=18, progress=False, keep_paths=True)
    assert r.paths is not None
    for var in ("revenue", "operating_income", "free_cash_flow", "cash"):
        kept = r.paths.annual[var]
        table = r.annual.loc[var]
        # Sums are exact in 2^-24 fixed point: means agree to that rounding.
        np.testing.assert_allclose(table["mean"], kept.mean(axis=0), rtol=0, atol=1e-6)
        np.testing.assert_allclose(
            table["se"], kept.std(axis=0, ddof=1) / np.sqrt(5_000), rtol=1e-6
        )
        exact = np.quantile(kept, 0.5, axis=0)
        assert (np.abs(table["q50"] - exact) <= 0.003 * np.abs(exact) + 1e-3).all()


def test_ninety_percent_interval_input_hits_its_percentiles() -> None:
    n = 40_000
    sc = tiny(segments={"core": {"revenue": 0.0, "inference_cost_ratio": 0.0}})
    sc["financing"]["initial_cash"] = {"dist": "pert", "low": 30.0, "high": 80.0, "mode": 45.0}
    r = wager.simulate(sc, n_paths=n, seed=19, progress=False, keep_paths=True)
    assert r.paths is not None
    cash = r.paths.annual["cash"][:, 0]
    for p, target in ((0.05, 30.0), (0.95, 80.0)):
        hit = (cash <= target).mean()
        assert abs(hit - p) <= Z * math.sqrt(p * (1 - p) / n)
    # A projection uses the median.
    d = wager.Scenario.model_validate(sc).financing.initial_cash
    assert isinstance(d, wager.scenario.distribution.Distribution)
    assert wager.project(sc).annual.loc[2025, "cash"] == pytest.approx(d.central(), abs=1e-9)
    assert abs(np.median(cash) - d.central()) <= 0.01 * d.central()
