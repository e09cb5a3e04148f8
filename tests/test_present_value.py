"""Terminal values discounted to the start along the path's regimes
(docs/model.md §13): by hand on projections, and the simulation's means."""

from __future__ import annotations

import numpy as np
import pytest

import wager


def test_the_projection_discounts_at_each_steps_regime() -> None:
    # compute_first pinned to bust in 2027-28, normal otherwise: nine normal
    # years at 12% and two bust years at 17%, whatever the step size.
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    data["market"]["path"] = {2027: "bust", 2028: "bust"}
    for steps in (1, 4, 12):
        data["time"]["steps_per_year"] = steps
        sc = wager.Scenario.model_validate(data)
        e = wager.project(sc).events
        rates = {n: r.discount_rate for n, r in sc.market.regimes.items()}
        factor = (1.0 + rates["normal"]) ** -9 * (1.0 + rates["bust"]) ** -2
        assert e.terminal_equity_value > 0.0
        assert e.terminal_equity_value_today == pytest.approx(
            e.terminal_equity_value * factor, rel=1e-12
        )
        assert e.terminal_dcf_value_today == pytest.approx(e.terminal_dcf_value * factor, rel=1e-12)


def test_a_path_in_distress_is_worth_nothing_today() -> None:
    e = wager.project(wager.presets.load("compute_first"), stress="funding_freeze").events
    assert e.distress_year is not None
    assert e.terminal_equity_value_today == 0.0 and e.terminal_dcf_value_today == 0.0


def test_the_simulated_present_value_lies_between_the_extreme_rates() -> None:
    # Each path's factor lies between (1 + the highest rate)^-11 and
    # (1 + the lowest)^-11, so the means do too.
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    for name, rho in (("boom", 0.10), ("normal", 0.12), ("bust", 0.17)):  # the package's regimes'
        data["market"]["regimes"][name]["discount_rate"] = rho
    sc = wager.Scenario.model_validate(data)
    o = wager.simulate(sc, n_paths=4_000, seed=3, progress=False).outcomes["mean"]
    rates = [r.discount_rate for r in sc.market.regimes.values()]
    tev, today = o["terminal_equity_value"], o["terminal_equity_value_today"]
    assert tev * (1.0 + max(rates)) ** -11 * (1 - 1e-9) <= today
    assert today <= tev * (1.0 + min(rates)) ** -11 * (1 + 1e-9)
    assert np.isfinite(o["terminal_dcf_value_today"])
