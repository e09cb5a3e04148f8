"""Reverse stress tests and the distance to default, on scenarios built so
that the answer is known in closed form."""

from __future__ import annotations

import math
from typing import Any

import pytest

import wager


def _burn_scenario(**cash: Any) -> wager.Scenario:
    """No revenue, a fixed cost of 10 a year, no interest, tax or raises:
    cash after t years is C0 - 10 t, and the company defaults by the end of
    2026 (t = 2) when C0 < 20."""
    return wager.Scenario.model_validate(
        {
            "name": "burn",
            "time": {"start_year": 2025, "horizon": 2028, "steps_per_year": 4},
            "segments": {"core": {"revenue": 0.0, "inference_cost_ratio": 0.0}},
            "costs": {"general_admin": {"fixed": 10.0}},
            "financing": {
                "initial_cash": 100.0,
                "cash_yield": 0.0,
                "equity": {"enabled": False},
                **cash,
            },
            "tax": {"rate": 0.0},
        }
    )


#: Costs x 3 at severity 1: 10 (1 + 2 s) a year at severity s.
COST_SHOCK = wager.Stress.model_validate(
    {
        "name": "costs_up",
        "shocks": [{"target": "costs.general_admin.fixed", "op": "scale", "value": 3.0}],
    }
)


def test_reverse_stress_finds_the_severity_of_a_known_default_probability() -> None:
    # C0 ~ uniform(0, 100): P(distress by 2026) = P(C0 < 2 x 10 (1 + 2 s)) = 0.2 (1 + 2 s),
    # which reaches 0.5 at s = 0.75.
    sc = _burn_scenario(initial_cash={"dist": "uniform", "min": 0.0, "max": 100.0})
    n, tol = 20_000, 0.005
    r = wager.reverse_stress(
        sc,
        COST_SHOCK,
        "p_distress",
        0.5,
        year=2026,
        max_severity=2.0,
        tolerance=tol,
        n_paths=n,
        seed=4,
    )
    assert r.found and r.monotone
    lo, hi = r.bracket
    assert hi - lo <= tol and r.severity == hi
    # The estimate's error: the empirical probability's standard error over the slope dp/ds = 0.4.
    se_s = math.sqrt(0.25 / n) / 0.4
    assert abs(r.severity - 0.75) <= 4 * se_s + tol
    # The bracket is what its ends say: not crossed at lo, crossed at hi.
    at = dict(zip(r.evaluations["severity"], r.evaluations["p_distress"], strict=True))
    assert at[lo] < 0.5 <= at[hi] or lo == 0.0
    assert r.projection is not None


def test_reverse_stress_on_the_deterministic_path_matches_the_closed_form() -> None:
    # C0 = 30: the projection defaults by 2026 when 2 x 10 (1 + 2 s) > 30, i.e. s > 0.25.
    r = wager.reverse_stress(
        _burn_scenario(initial_cash=30.0),
        COST_SHOCK,
        "deterministic_distress",
        year=2026,
        tolerance=1e-6,
    )
    assert r.found and r.monotone
    assert r.bracket[0] <= 0.25 <= r.bracket[1] and r.bracket[1] - r.bracket[0] <= 1e-6
    assert r.projection is not None and r.projection.events.distress_year == 2026


def test_reverse_stress_says_when_the_metric_is_not_monotone() -> None:
    # Costs x 3, then set towards 0 by the same severity: 10 (1 + 2 s)(1 - s),
    # which rises to s = 0.25 and falls after: so does P(default).
    up_down = wager.Stress.model_validate(
        {
            "name": "up_down",
            "shocks": [
                {"target": "costs.general_admin.fixed", "op": "scale", "value": 3.0},
                {"target": "costs.general_admin.fixed", "op": "set", "value": 0.0},
            ],
        }
    )
    sc = _burn_scenario(initial_cash={"dist": "uniform", "min": 0.0, "max": 100.0})
    r = wager.reverse_stress(
        sc, up_down, "p_distress", 0.21, year=2026, max_severity=1.0, n_paths=5_000, seed=1
    )
    assert not r.monotone


def test_reverse_stress_reports_a_threshold_it_never_reaches() -> None:
    sc = _burn_scenario(initial_cash=1000.0)
    r = wager.reverse_stress(sc, COST_SHOCK, "deterministic_distress", max_severity=2.0)
    assert not r.found and math.isnan(r.severity) and "not crossed" in r.note


def test_distance_to_default_is_the_closed_form_haircut() -> None:
    # Revenue 10 a year, costs 9, cash 20, 6 years, nothing else: the cash at
    # the end, 20 + 6 (10 (1 - h) - 9), turns negative for h > 1 - (9 - 20 / 6) / 10.
    sc = wager.Scenario.model_validate(
        {
            "name": "thin",
            "time": {"start_year": 2025, "horizon": 2030, "steps_per_year": 4},
            "segments": {"core": {"revenue": 10.0, "inference_cost_ratio": 0.0}},
            "costs": {"general_admin": {"fixed": 9.0}},
            "financing": {"initial_cash": 20.0, "cash_yield": 0.0},
            "tax": {"rate": 0.0},
        }
    )
    exact = 1 - (9 - 20 / 6) / 10
    d = wager.distance_to_default(sc, new_equity=False, tolerance=1e-7)
    assert d.found and d.bracket[0] <= exact <= d.bracket[1]
    assert d.severity == pytest.approx(exact, abs=1e-7)
    # With equity raises at 20x revenue the plan never runs out of cash this way.
    assert not wager.project(sc, stress=None).events.distress_year
    assert wager.distance_to_default(sc).severity > exact


def test_reverse_stress_refuses_bad_arguments() -> None:
    sc = _burn_scenario()
    with pytest.raises(ValueError, match="metric must be one of"):
        wager.reverse_stress(sc, COST_SHOCK, "sharpe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="outside the horizon"):
        wager.reverse_stress(sc, COST_SHOCK, year=2040)
    with pytest.raises(wager.stresses.StressError, match="unknown stress"):
        wager.reverse_stress(sc, "no_such", "deterministic_distress")
