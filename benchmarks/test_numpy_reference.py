"""The kernel against an independent NumPy implementation of the same model.

``numpy_model.simulate_numpy`` is written from ``docs/model.md`` and the
Monte Carlo additions of ``cpp/src/simulation.cpp``; it shares no code with
the kernel beyond the model dict both read. Two checks:

- equations: with no randomness (volatilities 0, identity transition
  matrix, raise draw fixed at 0.5) it reproduces ``wager.project`` to 1e-9,
  on the presets and on variants that reach the branches the presets do not
  (default, credit facility, backstop, owned compute, pinned regimes);
- distribution: with uncertainty on, its means per year and its default
  probabilities agree with ``wager.simulate``'s (other random numbers)
  within 4 combined standard errors.

Runs in CI: ``python -m pytest benchmarks --benchmark-disable``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy_model import ANNUAL_VARIABLES, preset_scenario, scenario_inputs, simulate_numpy

import wager

PRESETS = ("profitability", "compute_first")
YEARS = range(2025, 2036)


def _pinned(**by_year: str) -> dict[int, str]:
    """Every year pinned (``normal`` unless given), so that the projection and
    the Markov chain (which stays in a pinned regime after its year) agree."""
    return {y: by_year.get(f"y{y}", "normal") for y in YEARS}


BUST = _pinned(y2027="bust", y2028="bust")
#: Scenario edits (dotted path: value) on top of each preset.
VARIANTS: dict[str, dict[str, Any]] = {
    "preset": {},
    "bust": {"market.path": BUST},
    "bust_credit": {
        "market.path": BUST,
        "financing.debt.credit_limit": 60.0,
        "financing.debt.initial": 20.0,
    },
    "bust_backstop": {"market.path": BUST, "distress.backstop": True},
    "owned_compute": {
        "compute.capex": {2025: 5.0, 2030: 40.0},
        "compute.initial_assets": 10.0,
        "market.path": _pinned(y2029="boom", y2030="bust"),
        "segments.consumer.price_change": -0.05,
    },
}
#: Projection columns that must be non-zero in some year, so that the
#: comparison covers every branch of the step (and says so if a preset changes).
REACHED: dict[tuple[str, str], tuple[str, ...]] = {
    ("profitability", "preset"): ("tranches_received", "tax"),
    ("profitability", "bust"): ("spot_premium", "resale_income"),
    ("profitability", "bust_credit"): ("net_interest", "equity_raised"),
    ("profitability", "owned_compute"): ("owned_capacity", "owned_compute_credit", "capex"),
    ("compute_first", "preset"): ("equity_raised", "tranches_received", "tax"),
    ("compute_first", "bust"): ("commitment_penalty", "defaulted"),
    ("compute_first", "bust_credit"): ("debt_drawn", "defaulted", "equity_raised"),
    ("compute_first", "bust_backstop"): ("rescue", "commitment_penalty"),
    ("compute_first", "owned_compute"): ("owned_capacity", "resale_income"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", PRESETS)
def test_numpy_reproduces_projection(name: str, variant: str) -> None:
    sc = preset_scenario(
        name,
        factor_volatility=0.0,
        segment_volatility=0.0,
        identity_transition=True,
        edit=VARIANTS[variant],
    )
    want = wager.project(sc).annual
    for col in REACHED.get((name, variant), ()):
        assert (want[col].abs() > 0).any(), f"{name}/{variant} does not exercise {col}"

    model, world = scenario_inputs(sc)
    assert world["step_transition"] == []  # no randomness in the regime
    # 5 paths in blocks of 2: every path, in every block, is the projection.
    got = simulate_numpy(model, world, n_paths=5, seed=0, raise_draw=0.5, block_paths=2)
    for v in ANNUAL_VARIABLES:
        expected = np.broadcast_to(want[v].to_numpy(dtype=float), got[v].shape)
        np.testing.assert_allclose(got[v], expected, rtol=0.0, atol=1e-9, err_msg=v)
    defaulted = want.index[want["defaulted"].to_numpy() > 0]
    assert (got["default_year"] == (defaulted[0] if len(defaulted) else -1)).all()


N_STAT = 20_000


def _agree(a: np.ndarray, se_a: np.ndarray, b: np.ndarray, se_b: np.ndarray) -> np.ndarray:
    """|a - b| <= 4 sqrt(se_a^2 + se_b^2), elementwise."""
    return np.abs(a - b) <= 4.0 * np.sqrt(se_a**2 + se_b**2)


@pytest.mark.parametrize("name", PRESETS)
def test_numpy_matches_kernel_distribution(name: str) -> None:
    sc = preset_scenario(name)  # factor 0.25, segments 0.2 / 0.8, default transitions
    model, world = scenario_inputs(sc)
    ref = simulate_numpy(model, world, N_STAT, seed=20_251_127)
    sim = wager.simulate(sc, n_paths=N_STAT, seed=11, n_threads=2, progress=False)

    for v in ANNUAL_VARIABLES:
        a = ref[v]
        mean, se = a.mean(axis=0), a.std(axis=0, ddof=1) / np.sqrt(N_STAT)
        assert (se[1:] > 0).all(), "uncertainty is not switched on"
        k_mean = sim.annual.loc[v, "mean"].to_numpy()
        k_se = sim.annual.loc[v, "se"].to_numpy()
        z = (mean - k_mean) / np.sqrt(se**2 + k_se**2)
        assert _agree(mean, se, k_mean, k_se).all(), f"{v}: z = {np.round(z, 2)}"

    for year in (2030, 2035):
        dy = ref["default_year"]
        p = np.mean((dy >= 0) & (dy <= year))
        q = float(sim.default_probability.loc[year, "probability"])
        se_p, se_q = np.sqrt(p * (1 - p) / N_STAT), np.sqrt(q * (1 - q) / N_STAT)
        assert _agree(p, se_p, q, se_q), f"P(default by {year}): numpy {p}, kernel {q}"

    for o in ("cumulative_fcf", "peak_funding_need", "terminal_equity_value"):
        a = ref[o]
        mean, se = a.mean(), a.std(ddof=1) / np.sqrt(N_STAT)
        k_mean, k_se = sim.outcomes.loc[o, ["mean", "se"]].to_numpy(dtype=float)
        assert _agree(mean, se, k_mean, k_se), f"{o}: numpy {mean} ± {se}, kernel {k_mean} ± {k_se}"
