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

And for uncertain inputs and triggered stresses (``benchmarks/workloads.py``):

- equations: given input values per path (low, central and high
  percentiles of every input of ``scenarios/compute_first_ten_inputs.toml``),
  each path reproduces ``wager.project`` of the scenario with those numbers
  written in; and stresses on regime effects, triggered by a pinned bust or
  started at dates, reproduce ``wager.project(..., stress=...)``;
- draws: the reference's inputs follow their marginals and correlations;
- distribution: ``compute_first_ten_inputs`` (13 inputs through the copula)
  and ``compute_first`` under the bust-triggered funding freeze agree with
  ``wager.simulate`` within 4.5 combined standard errors (means per year of
  every annual variable, of the per-path outcomes, and P(default by year)
  for every year), on 20,000 paths each; and each mechanism moves the result
  by far more than that tolerance (the check has power).

Runs in CI: ``python -m pytest benchmarks --benchmark-disable``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy_model import (
    ANNUAL_VARIABLES,
    preset_scenario,
    reference_inputs,
    scenario_inputs,
    simulate_numpy,
)
from workloads import BUST_FREEZE, TEN_INPUTS, work

import wager
from wager.compile.uncertainty import replace_at
from wager.kernel.layout import OUTCOMES
from wager.scenario.distribution import distribution_leaves, path_name

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
    # No round closes in the bust (at the bust's yearly 0.59 the projection
    # raises enough to carry compute_first through).
    "bust": {"market.path": BUST, "market.regimes.bust.raise_success": 0.0},
    "bust_credit": {
        "market.path": BUST,
        "market.regimes.bust.raise_success": 0.0,
        "financing.debt.credit_limit": 30.0,  # drawn in full, then a default in 2028
        "financing.debt.initial": 20.0,
        # 8% (compute_first's preset now has 5%, its facility's): enough
        # interest that compute_first raises equity in 2025, which it
        # exercises.
        "financing.debt.rate": 0.08,
    },
    "bust_backstop": {
        "market.path": BUST,
        "market.regimes.bust.raise_success": 0.0,
        "distress.backstop": True,
    },
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
    ("compute_first", "bust"): ("commitment_penalty", "in_distress"),
    ("compute_first", "bust_credit"): ("debt_drawn", "in_distress", "equity_raised"),
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
        at_median=True,
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
    defaulted = want.index[want["in_distress"].to_numpy() > 0]
    assert (got["default_year"] == (defaulted[0] if len(defaulted) else -1)).all()
    events = wager.project(sc).events
    for o in (
        "terminal_equity_value",
        "terminal_dcf_value",
        "terminal_equity_value_today",
        "terminal_dcf_value_today",
    ):
        np.testing.assert_allclose(got[o], getattr(events, o), rtol=0.0, atol=1e-9, err_msg=o)


N_STAT = 20_000


def _agree(a: np.ndarray, se_a: np.ndarray, b: np.ndarray, se_b: np.ndarray) -> np.ndarray:
    """|a - b| <= 4 sqrt(se_a^2 + se_b^2), elementwise."""
    return np.abs(a - b) <= 4.0 * np.sqrt(se_a**2 + se_b**2)


@pytest.mark.parametrize("name", PRESETS)
def test_numpy_matches_kernel_distribution(name: str) -> None:
    # factor 0.25, segments 0.2 / 0.8, default transitions, and the presets'
    # own uncertain inputs (issue 16), drawn by the reference too
    sc = preset_scenario(name)
    ref = simulate_numpy(n_paths=N_STAT, seed=20_251_127, **reference_inputs(sc))
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
        q = float(sim.distress_probability.loc[year, "probability"])
        se_p, se_q = np.sqrt(p * (1 - p) / N_STAT), np.sqrt(q * (1 - q) / N_STAT)
        assert _agree(p, se_p, q, se_q), f"P(default by {year}): numpy {p}, kernel {q}"

    for o in OUTCOMES:
        a = ref[o]
        mean, se = a.mean(), a.std(ddof=1) / np.sqrt(N_STAT)
        k_mean, k_se = sim.outcomes.loc[o, ["mean", "se"]].to_numpy(dtype=float)
        assert _agree(mean, se, k_mean, k_se), f"{o}: numpy {mean} ± {se}, kernel {k_mean} ± {k_se}"


# ---- uncertain inputs and triggered stresses ----------------------------------

#: Percentiles of every input in the three paths of the equation check.
INPUT_PERCENTILES = (0.1, 0.5, 0.93)


#: Edits for the equation checks of inputs and stresses: a pinned bust (so
#: that the bust's inputs and triggers act), raises that succeed in it at the
#: projection's draw of 0.5 (so that a freeze changes something), owned
#: compute (so that the depreciation life acts), a credit facility.
WORK_VARIANTS: dict[str, dict[str, Any]] = {
    "bust_owned": {
        "market.path": BUST,
        "compute.capex": {2025: 5.0, 2030: 40.0},
        "compute.initial_assets": 10.0,
    },
    "bust_owned_credit": {
        "market.path": BUST,
        "compute.capex": {2025: 5.0, 2030: 40.0},
        "compute.initial_assets": 10.0,
        "financing.debt.credit_limit": 60.0,
        "financing.debt.initial": 20.0,
    },
    "bust_raises": {"market.path": BUST, "market.regimes.bust.raise_success": 0.9},
    "bust_raises_credit": {
        "market.path": BUST,
        "market.regimes.bust.raise_success": 0.9,
        "financing.debt.credit_limit": 60.0,
        "financing.debt.initial": 20.0,
    },
}


@pytest.mark.parametrize("variant", ["bust_owned", "bust_owned_credit"])
def test_numpy_inputs_reproduce_projection(variant: str) -> None:
    """Path j takes every input at its INPUT_PERCENTILES[j] percentile (the
    copula is bypassed); it must be the projection of the file with those
    numbers written in. Spot lead times are off here: a path arranges the
    spot compute of the central file's plan (its inputs' values are
    unplanned, docs/model.md §5), while a file with the values written in
    plans those values, so with lead times the two differ by design wherever
    an input moves the plan (here the depreciation life, through owned
    capacity). The lead time's equations are checked in
    tests/test_spot_capacity.py and by the distributions below."""
    no_lead = {f"market.regimes.{r}.spot_lead_time": 0.0 for r in ("boom", "normal", "bust")}
    sc = preset_scenario(
        wager.load_scenario(TEN_INPUTS),
        factor_volatility=0.0,
        segment_volatility=0.0,
        identity_transition=True,
        edit={**WORK_VARIANTS[variant], **no_lead},
    )
    kw = reference_inputs(sc)
    leaves = distribution_leaves(sc)
    assert [u.name for u in kw["inputs"]] == [path_name(path) for path, _ in leaves]
    assert len(leaves) >= 10
    values = np.array(
        [
            [float(np.clip(d.frozen().ppf(q), *d.bounds)) for q in INPUT_PERCENTILES]
            for _, d in leaves
        ]
    )
    got = simulate_numpy(
        n_paths=len(INPUT_PERCENTILES), seed=0, raise_draw=0.5, input_values=values, **kw
    )
    for j in range(len(INPUT_PERCENTILES)):
        fixed = sc
        for (path, _), x in zip(leaves, values[:, j], strict=True):
            fixed = replace_at(fixed, path, float(x))
        want = wager.project(fixed).annual
        for v in ANNUAL_VARIABLES:
            np.testing.assert_allclose(
                got[v][j],
                want[v].to_numpy(dtype=float),
                rtol=1e-12,
                atol=1e-9,
                err_msg=f"{v}, path {j}",
            )
    # The three paths differ: the inputs reach the results.
    assert np.ptp(got["cash"][:, -1]) > 1.0


#: Stresses for the equation check: the benchmark's freeze, a ramp and a
#: recovery on other regime effects triggered from 2028, and shocks at dates.
TRIGGERED = {
    "dated": wager.Stress.model_validate(
        {
            "name": "dated",
            "shocks": [
                {
                    "target": "market.regimes.*.credit_spread",
                    "op": "add",
                    "value": 0.04,
                    "start": 2026,
                    "shape": "ramp",
                    "ramp": 2,
                },
                {
                    "target": "market.regimes.*.resale_share",
                    "op": "scale",
                    "value": 0.5,
                    "start": 2027,
                    "duration": 2.5,
                },
                {
                    "target": "market.regimes.bust.raise_success",
                    "op": "set",
                    "value": 0.1,
                    "start": 2027,
                    "duration": 1,
                },
            ],
        }
    ),
    "bust_freeze": BUST_FREEZE,
    "ramp_recovery": wager.Stress.model_validate(
        {
            "name": "ramp_recovery",
            "shocks": [
                {
                    "target": "market.regimes.bust.valuation_multiple",
                    "op": "scale",
                    "value": 0.5,
                    "trigger": {"regime": "bust", "after": 2028},
                    "shape": "ramp",
                    "ramp": 1.5,
                },
                {
                    "target": "market.regimes.*.spot_price",
                    "op": "add",
                    "value": 0.4,
                    "trigger": {"regime": "bust", "after": 2028},
                    "shape": "recovery",
                    "half_life": 0.75,
                    "duration": 3,
                },
                {
                    "target": "market.regimes.*.raise_success",
                    "op": "set",
                    "value": 0.0,
                    "trigger": {"regime": "bust", "after": 2028},
                    "duration": 1.5,
                },
            ],
        }
    ),
}


@pytest.mark.parametrize("stress", list(TRIGGERED))
@pytest.mark.parametrize("variant", ["bust_raises", "bust_raises_credit"])
def test_numpy_triggered_stress_reproduces_projection(variant: str, stress: str) -> None:
    sc = preset_scenario(
        "compute_first",
        factor_volatility=0.0,
        segment_volatility=0.0,
        identity_transition=True,
        at_median=True,
        edit=WORK_VARIANTS[variant],
    )
    want = wager.project(sc, stress=TRIGGERED[stress]).annual
    plain = wager.project(sc).annual
    assert not np.allclose(want["cash"], plain["cash"]), "the stress changes nothing"
    kw = reference_inputs(sc, TRIGGERED[stress])
    got = simulate_numpy(n_paths=3, seed=0, raise_draw=0.5, block_paths=2, **kw)
    for v in ANNUAL_VARIABLES:
        expected = np.broadcast_to(want[v].to_numpy(dtype=float), got[v].shape)
        np.testing.assert_allclose(got[v], expected, rtol=0.0, atol=1e-9, err_msg=v)


N_WORK = 20_000
TOLERANCE = 4.5  # combined standard errors


def _compare(ref: dict[str, Any], sim: wager.Simulation, n: int) -> None:
    """Means and standard deviations per year, means per path, P(default by
    year): |a - b| <= 4.5 sqrt(se_a^2 + se_b^2)."""

    def agree(a: Any, se_a: Any, b: Any, se_b: Any) -> Any:
        return np.abs(a - b) <= TOLERANCE * np.sqrt(se_a**2 + se_b**2)

    for v in ANNUAL_VARIABLES:
        a = ref[v]
        mean, se = a.mean(axis=0), a.std(axis=0, ddof=1) / np.sqrt(n)
        k_mean = sim.annual.loc[v, "mean"].to_numpy()
        k_se = sim.annual.loc[v, "se"].to_numpy()
        z = (mean - k_mean) / np.sqrt(se**2 + k_se**2)
        assert agree(mean, se, k_mean, k_se).all(), f"{v}: z = {np.round(z, 2)}"
        # Spread: the standard deviation per year, with the standard error of
        # the reference's estimate (delta method) for both estimates.
        dev = a - mean
        sd = dev.std(axis=0, ddof=1)
        se_sd = np.sqrt(np.var(dev**2, axis=0, ddof=1) / n) / (2.0 * np.maximum(sd, 1e-300))
        k_sd = k_se * np.sqrt(n)
        z = (sd - k_sd) / (np.sqrt(2.0) * se_sd)
        assert agree(sd, se_sd, k_sd, se_sd).all(), f"{v} s.d.: z = {np.round(z, 2)}"
    dy = ref["default_year"]
    for year in sim.distress_probability.index:
        p = np.mean((dy >= 0) & (dy <= year))
        q = float(sim.distress_probability.loc[year, "probability"])
        se_p, se_q = np.sqrt(p * (1 - p) / n), np.sqrt(q * (1 - q) / n)
        assert agree(p, se_p, q, se_q), f"P(default by {year}): numpy {p}, kernel {q}"
    for o in OUTCOMES:
        a = ref[o]
        mean, se = a.mean(), a.std(ddof=1) / np.sqrt(n)
        k_mean, k_se = sim.outcomes.loc[o, ["mean", "se"]].to_numpy(dtype=float)
        assert agree(mean, se, k_mean, k_se), f"{o}: numpy {mean} ± {se}, kernel {k_mean} ± {k_se}"


def _largest_z(sim_a: wager.Simulation, sim_b: wager.Simulation) -> float:
    """The largest |z| between two runs' means per year, over the annual variables."""
    a, b = sim_a.annual.loc[list(ANNUAL_VARIABLES)], sim_b.annual.loc[list(ANNUAL_VARIABLES)]
    z = (a["mean"] - b["mean"]) / np.hypot(a["se"], b["se"])
    return float(np.abs(z.to_numpy()).max())


@pytest.mark.parametrize("kind", ["ten_inputs", "bust_freeze"])
def test_numpy_matches_kernel_on_work(kind: str) -> None:
    sc, stress = work("compute_first", kind)
    ref = simulate_numpy(n_paths=N_WORK, seed=20_251_205, **reference_inputs(sc, stress))
    sim = wager.simulate(sc, n_paths=N_WORK, seed=13, n_threads=2, progress=False, stress=stress)
    _compare(ref, sim, N_WORK)

    # Power: the mechanism moves the kernel's means by far more than the
    # tolerance, so a reference that ignored it would fail the comparison.
    base = wager.simulate(
        wager.presets.load("compute_first"), n_paths=N_WORK, seed=13, n_threads=2, progress=False
    )
    moved = _largest_z(sim, base)
    assert moved > 3 * TOLERANCE, f"{kind} moves the means by only {moved:.1f} standard errors"


def test_numpy_input_draws_follow_the_copula() -> None:
    """The reference's own draws of the benchmark's inputs: each marginal is
    its distribution (Kolmogorov-Smirnov), and the normal scores have the
    file's correlations (within 4.5 standard errors of a correlation)."""
    from numpy_model import _InputDraws
    from scipy import stats

    sc = wager.load_scenario(TEN_INPUTS)
    kw = reference_inputs(sc)
    draws = _InputDraws.build(kw["model"], kw["inputs"], kw["cholesky"])
    n = 20_000
    x = draws.draw(np.random.Generator(np.random.Philox(7)), n)
    names = [u.name for u in kw["inputs"]]
    scores = np.empty_like(x)
    for i, u in enumerate(kw["inputs"]):
        d = u.distribution.frozen()
        assert stats.kstest(x[i], d.cdf).pvalue > 1e-4, names[i]
        scores[i] = stats.norm.ppf(d.cdf(x[i]))
    corr = np.corrcoef(scores)
    want = np.eye(len(names))
    listed = [names.index(s) for s in sc.uncertainty.inputs]
    want[np.ix_(listed, listed)] = np.asarray(sc.uncertainty.correlation)
    se = (1.0 - want**2) / np.sqrt(n)
    assert (np.abs(corr - want) <= TOLERANCE * se + 1e-12).all(), np.round(corr - want, 3)
