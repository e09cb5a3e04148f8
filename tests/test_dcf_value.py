"""The terminal value by a discounted cash flow (docs/model.md §13,
``terminal_dcf_value``), beside the revenue multiple's: by hand, at the last
step's regime's discount rate, 0 after distress, and in a simulation."""

from __future__ import annotations

from typing import Any

import pytest
from test_distress_resolution import _committed
from test_hand_computed import TOL, _burning

import wager


def _earning(**regime: Any) -> dict[str, Any]:
    """Revenue 50, staff 40, no tax: free cash flow 10 a year from cash 20."""
    sc = _burning()
    sc["segments"]["core"]["revenue"] = 50.0
    sc["tax"] = {"rate": 0.0}
    sc["market"]["regimes"]["normal"].update(regime)
    return sc


def test_the_last_year_s_flow_as_a_growing_perpetuity_plus_net_cash() -> None:
    # 2026: FCF 10, cash 40; 10 x 1.02 / (0.12 - 0.02) + 40 = 142.
    e = wager.project(_earning()).events
    assert e.terminal_dcf_value == pytest.approx(10 * 1.02 / 0.10 + 40, abs=TOL)
    # Beside it, the multiple: 10 x annualised revenue 50 + 40.
    assert e.terminal_equity_value == pytest.approx(10 * 50 + 40, abs=TOL)


def test_the_discount_rate_is_the_last_regime_s_and_the_growth_the_resolution_s() -> None:
    sc = _earning(discount_rate=0.2)
    sc["distress"] = {"resolution": {"terminal_growth": 0.05}}
    e = wager.project(sc).events
    assert e.terminal_dcf_value == pytest.approx(10 * 1.05 / 0.15 + 40, abs=TOL)


def test_a_burning_company_is_worth_its_net_cash_and_nothing_in_distress() -> None:
    # _burning from cash 100: FCF -30 a year, cash 70 then 40, no debt: the
    # negative flow is worth nothing, the net cash 40.
    sc = _burning(initial_cash=100.0)
    assert wager.project(sc).events.terminal_dcf_value == pytest.approx(40, abs=TOL)
    p = wager.project(_committed(4))
    assert p.events.distress_year == 2026
    assert p.events.terminal_dcf_value == 0


def test_a_simulation_of_identical_paths_reports_the_projection_s_value() -> None:
    sc = _earning()
    sim = wager.simulate(sc, n_paths=64, seed=2, progress=False)
    row = sim.outcomes.loc["terminal_dcf_value"]
    assert row["mean"] == pytest.approx(142, abs=2**-24)
    assert row["se"] == pytest.approx(0, abs=1e-9)
