"""Uncertain inputs in scenario files: forms, checks, what each one moves, and
the correlation section with its repair."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import wager
from wager.compile.uncertainty import find_inputs
from wager.scenario.distribution import Distribution


def _scenario(**fin: Any) -> dict[str, Any]:
    return {
        "name": "u",
        "time": {"start_year": 2025, "horizon": 2028, "steps_per_year": 1},
        "segments": {
            "core": {
                "revenue": {2025: 10.0, 2028: {"dist": "normal", "mean": 40.0, "sd": 5.0}},
                "inference_cost_ratio": 0.5,
            }
        },
        "market": {"regimes": {"normal": {}}, "transition": {"normal": {"normal": 1.0}}},
        "financing": {"initial_cash": {"dist": "uniform", "min": 5.0, "max": 15.0}, **fin},
    }


def test_inputs_are_found_with_what_they_move() -> None:
    sc = wager.scenario.scenario_from_dict(_scenario())
    centre, inputs = find_inputs(sc)
    assert [i.name for i in inputs] == ["segments.core.revenue.2028", "financing.initial_cash"]
    names, _ = wager._core.parameters(wager.compile.model.kernel_model(centre))
    rev = inputs[0]
    # The 2028 table value drives 2026 and 2027 by linear interpolation (1/3, 2/3) and 2028 fully.
    moved = {names[t]: w for t, w in zip(rev.targets, rev.weights, strict=True)}
    assert moved == pytest.approx(
        {
            "segments[0].revenue[1]": 1 / 3,
            "segments[0].revenue[2]": 2 / 3,
            "segments[0].revenue[3]": 1.0,
        }
    )
    cash = inputs[1]
    assert [names[t] for t in cash.targets] == ["initial_cash"] and cash.weights == [1.0]
    assert cash.central == pytest.approx(10.0)
    assert centre.financing.initial_cash == pytest.approx(10.0)


def test_a_total_spreads_over_its_years() -> None:
    d = _scenario()
    d["compute"] = {
        "commitments": [
            {
                "name": "c",
                "counterparty": "x",
                "start": 2026,
                "end": 2027,
                "total": {"dist": "lognormal", "low": 10.0, "high": 30.0},
            }
        ]
    }
    sc = wager.scenario.scenario_from_dict(d)
    centre, inputs = find_inputs(sc)
    names, _ = wager._core.parameters(wager.compile.model.kernel_model(centre))
    total = next(i for i in inputs if i.name == "compute.commitments[0].total")
    assert {
        names[t]: w for t, w in zip(total.targets, total.weights, strict=True)
    } == pytest.approx(
        {
            "commitments[1]": 0.5,
            "commitments[2]": 0.5,
            # The contract's own payments move too: its supplier's claim follows them.
            "contracts[0].payments[1]": 0.5,
            "contracts[0].payments[2]": 0.5,
        }
    )


def test_draws_are_clamped_to_the_field_s_range() -> None:
    d = _scenario()
    d["tax"] = {"rate": {"dist": "normal", "mean": 0.95, "sd": 0.2}}
    sc = wager.scenario.scenario_from_dict(d)
    tax = sc.tax.rate
    assert isinstance(tax, Distribution)
    assert tax.bounds == (0.0, 1.0)
    z = np.linspace(-4, 4, 101)
    drawn = wager._core.distribution_quantiles(tax.core_spec(), z)
    assert drawn.min() >= 0.0 and drawn.max() <= 1.0 and (drawn == 1.0).sum() > 0


def test_a_median_outside_the_range_is_refused() -> None:
    d = _scenario()
    d["tax"] = {"rate": {"dist": "normal", "mean": 1.5, "sd": 0.1}}
    with pytest.raises(
        wager.ScenarioError,
        match=r"tax\.rate: the distribution.s median 1\.5 is outside the field.s range \[0, 1\]",
    ):
        wager.scenario.scenario_from_dict(d)


@pytest.mark.parametrize("mu", [710.0, -746.0])
def test_a_lognormal_whose_median_is_no_finite_positive_number_is_refused(mu: float) -> None:
    # exp(710) overflows and exp(-746) is 0: found by the hardening tests.
    d = _scenario()
    d["financing"]["initial_cash"] = {"dist": "lognormal", "mu": mu, "sigma": 0.1}
    bound = "less than or equal to 700" if mu > 0 else "greater than or equal to -700"
    with pytest.raises(
        wager.ScenarioError,
        match=rf"financing\.initial_cash\.mu: Input should be {bound}",
    ):
        wager.scenario.scenario_from_dict(d)


def test_a_table_without_dist_is_a_mistyped_number() -> None:
    d = _scenario()
    d["financing"]["initial_cash"] = {"mean": 3.0}
    with pytest.raises(
        wager.ScenarioError, match=r"financing\.initial_cash: Input should be a valid number"
    ):
        wager.scenario.scenario_from_dict(d)


def _correlated(matrix: list[list[float]], repair: bool = False) -> dict[str, Any]:
    d = _scenario()
    d["financing"]["debt"] = {"initial": {"dist": "normal", "mean": 5.0, "sd": 1.0}}
    d["uncertainty"] = {
        "inputs": [
            "financing.initial_cash",
            "financing.debt.initial",
            "segments.core.revenue.2028",
        ],
        "correlation": matrix,
        "repair": repair,
    }
    return d


NOT_PSD = [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]


def test_invalid_correlation_matrices_are_refused() -> None:
    with pytest.raises(
        wager.ScenarioError, match=r"uncertainty\.correlation: not positive semi-definite"
    ):
        wager.scenario.scenario_from_dict(_correlated(NOT_PSD))
    asym = [[1.0, 0.2, 0.0], [0.3, 1.0, 0.0], [0.0, 0.0, 1.0]]
    with pytest.raises(
        wager.ScenarioError, match=r"correlation\[1\]\[0\]: the matrix must be symmetric"
    ):
        wager.scenario.scenario_from_dict(_correlated(asym))
    outside = [[1.0, 1.2, 0.0], [1.2, 1.0, 0.0], [0.0, 0.0, 1.0]]
    with pytest.raises(
        wager.ScenarioError, match=r"correlation\[0\]\[1\]: Input should be less than or equal to 1"
    ):
        wager.scenario.scenario_from_dict(_correlated(outside))
    d = _correlated([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    d["uncertainty"]["inputs"][2] = "financing.cash_yield"
    with pytest.raises(
        wager.ScenarioError,
        match=r"uncertainty.inputs\[2\]: 'financing.cash_yield' is not an uncertain input",
    ):
        wager.scenario.scenario_from_dict(d)


def test_repair_uses_the_nearest_correlation_matrix_and_reports_it() -> None:
    sc = wager.scenario.scenario_from_dict(_correlated(NOT_PSD, repair=True))
    r = wager.simulate(sc, n_paths=200, seed=1, progress=False)
    rep = r.correlation_repair
    assert rep is not None
    assert rep.smallest_eigenvalue_before < 0
    assert 0 < rep.max_change < 0.5 and rep.frobenius_change > 0
    from wager.compile.correlation import nearest_correlation

    fixed = nearest_correlation(np.array(NOT_PSD))
    assert np.linalg.eigvalsh(fixed).min() >= -1e-12
    np.testing.assert_allclose(np.diag(fixed), 1.0)
    # Nearest: no other valid matrix on a grid of symmetric perturbations is closer.
    rng = np.random.default_rng(0)
    best = np.linalg.norm(fixed - np.array(NOT_PSD))
    for _ in range(200):
        e = rng.normal(scale=0.05, size=(3, 3))
        cand = fixed + (e + e.T) / 2
        np.fill_diagonal(cand, 1.0)
        if np.linalg.eigvalsh(cand).min() >= 0:
            assert np.linalg.norm(cand - np.array(NOT_PSD)) >= best - 1e-9


def test_perfectly_correlated_inputs_are_allowed() -> None:
    one = [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    d = _correlated(one)
    d["financing"]["cash_yield"] = 0.0  # cash at year end = initial cash + a constant
    d["financing"]["debt"]["rate"] = 0.0
    sc = wager.scenario.scenario_from_dict(d)
    r = wager.simulate(sc, n_paths=2_000, seed=2, progress=False, keep_paths=True)
    assert r.paths is not None
    # Uniform cash and normal debt driven by the same normal score: rank correlation 1.
    cash, debt = r.paths.annual["cash"][:, 0], r.paths.annual["debt"][:, 0]
    order = np.argsort(debt)
    assert (np.diff(cash[order]) >= -1e-9).all()
