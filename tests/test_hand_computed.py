"""Small scenarios with round numbers, worked out by hand in the comments.

Annual steps (dt = 1) so every figure can be checked on paper.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest

import wager
from wager import ScenarioMigrationWarning

TOL = 1e-9


def _two_years() -> dict[str, Any]:
    return {
        "schema_version": 2,
        "name": "hand",
        "time": {"start_year": 2025, "horizon": 2026, "steps_per_year": 1},
        "segments": {"core": {"revenue": [100.0, 200.0], "inference_cost_ratio": 0.4}},
        "market": {
            "initial": "normal",
            "regimes": {
                "normal": {
                    "valuation_multiple": 10.0,
                    "raise_success": 1.0,
                    "spot_price": 0.5,
                    "resale_share": 0.5,
                    "credit_spread": 0.0,
                }
            },
            "transition": {"normal": {"normal": 1.0}},
        },
        "compute": {
            "training": [30.0, 40.0],
            "commitments": [
                {"name": "c", "counterparty": "x", "schedule": {2025: 80.0, 2026: 60.0}}
            ],
            "capex": [12.0, 0.0],
            "initial_assets": 60.0,
            "capacity_per_dollar": 0.1,
            "depreciation_life": 5.0,
        },
        "costs": {
            "staff": {"fixed": 10.0, "of_revenue": 0.1},
            "sales_marketing": {"of_revenue": 0.05},
            "general_admin": {"fixed": 5.0},
            "stock_based_pay": {"of_revenue": 0.02},
        },
        "financing": {
            "initial_cash": 50.0,
            "cash_yield": 0.02,
            "tranches": [{"investor": "i", "year": 2026, "amount": 20.0, "post_money": 400.0}],
            "equity": {"enabled": False},
            "debt": {"initial": 100.0, "rate": 0.05, "credit_limit": 100.0},
        },
        "tax": {"rate": 0.25},
    }


# Owned capacity: the book value B decays at rate 1/life = 0.2 a year and grows
# with capex c, solved exactly: with d = 1 - exp(-0.2), over one year
# B1 = B0 (1 - d) + 5 c d, depreciation = B0 + c - B1, and the capacity is
# 0.1 x (integral of B) = 0.1 x (5 B0 d + 5 c (1 - 5 d)).
D = -math.expm1(-0.2)

# 2025: revenue 100, inference 40, gross profit 60, training 30, needed 70.
#   B0 = 60 and c = 12 = B0 / life: a steady state, B1 = 60, depreciation 12,
#   capacity 0.1 x 60 = 6. Owned capacity serves first (6); commitments 80
#   serve 64; idle 16, resold 16 x 0.5 x 0.5 = 4: idle cost net 12.
#   Staff 10 + 10 = 20, S&M 5, G&A 5, SBC 2.
#   OI = 60 - 30 - 12 + 6 - 20 - 5 - 5 - 2 - 12 = -20.
#   Interest 100 x 0.05 - 50 x 0.02 = 4; pre-tax -24, carried forward; tax 0.
#   FCF = -20 + 2 + 12 - 12 - 4 = -22; cash 28.
# 2026: revenue 200, inference 80, gross profit 120, training 40, needed 120.
#   No capex: depreciation 60 d, capacity 0.1 x 300 d = 30 d (5.44).
#   Commitments 60; shortfall 60 - 30 d bought at spot 0.5: 30 - 15 d,
#   a premium of -(30 - 15 d). Staff 30, S&M 10, G&A 5, SBC 4.
#   OI = 120 - 40 + (30 - 15 d) + 30 d - 30 - 10 - 5 - 4 - 60 d = 61 - 45 d.
#   Interest 5 - 28 x 0.02 = 4.44; pre-tax 56.56 - 45 d, less the 24 carried
#   forward, taxed at 25%: tax = 0.25 (32.56 - 45 d).
#   FCF = OI + 4 + 60 d - 4.44 - tax = 52.42 + 26.25 d; cash 28 + FCF + the
#   tranche 20 at 400 post (dilution 5%) = 100.42 + 26.25 d.
#   Terminal equity value = 10 x 200 + cash - 100 = 2000.42 + 26.25 d.
EXPECTED = {
    2025: {
        "revenue": 100,
        "inference_cost": 40,
        "gross_profit": 60,
        "training_compute": 30,
        "compute_needed": 70,
        "commitments_paid": 80,
        "owned_capacity": 6,
        "idle_capacity": 16,
        "resale_income": 4,
        "idle_cost_net": 12,
        "spot_purchases": 0,
        "spot_premium": 0,
        "owned_compute_credit": 6,
        "staff_cost": 20,
        "sales_marketing": 5,
        "general_admin": 5,
        "operating_costs": 30,
        "stock_based_pay": 2,
        "depreciation": 12,
        "capex": 12,
        "operating_income": -20,
        "net_interest": 4,
        "tax": 0,
        "free_cash_flow": -22,
        "cash": 28,
        "debt": 100,
        "utilisation": 70 / 86,
        "tranches_received": 0,
        "dilution": 0,
        "valuation": 1000,
        "ownership_retained": 1,
    },
    2026: {
        "revenue": 200,
        "inference_cost": 80,
        "gross_profit": 120,
        "training_compute": 40,
        "compute_needed": 120,
        "commitments_paid": 60,
        "owned_capacity": 30 * D,
        "idle_capacity": 0,
        "resale_income": 0,
        "idle_cost_net": 0,
        "spot_purchases": 30 - 15 * D,
        "spot_premium": -(30 - 15 * D),
        "owned_compute_credit": 30 * D,
        "staff_cost": 30,
        "sales_marketing": 10,
        "general_admin": 5,
        "operating_costs": 45,
        "stock_based_pay": 4,
        "depreciation": 60 * D,
        "capex": 0,
        "operating_income": 61 - 45 * D,
        "net_interest": 4.44,
        "tax": 0.25 * (32.56 - 45 * D),
        "free_cash_flow": 52.42 + 26.25 * D,
        "cash": 100.42 + 26.25 * D,
        "debt": 100,
        "utilisation": 120 / (60 + 30 * D),
        "tranches_received": 20,
        "dilution": 0.05,
        "valuation": 2000,
        "ownership_retained": 0.95,
    },
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_two_years_by_hand(year: int) -> None:
    p = wager.project(_two_years())
    row = p.annual.loc[year]
    for column, value in EXPECTED[year].items():
        assert row[column] == pytest.approx(value, abs=TOL), column


def test_two_years_events_by_hand() -> None:
    e = wager.project(_two_years()).events
    assert e.first_profit_year == 2026
    assert e.first_positive_fcf_year == 2026
    assert e.distress_year is None
    assert e.peak_funding_need == pytest.approx(22, abs=TOL)
    assert e.cumulative_burn == pytest.approx(22, abs=TOL)
    assert e.terminal_equity_value == pytest.approx(2000.42 + 26.25 * D, abs=TOL)
    assert e.equity_raised_total == pytest.approx(20, abs=TOL)


def _burning(**financing: Any) -> dict[str, Any]:
    """Revenue 10, no compute, staff 40: operating income and FCF are -30 a year."""
    fin: dict[str, Any] = {
        "initial_cash": 20.0,
        "cash_yield": 0.0,
        "equity": {"enabled": False},
        "debt": {"rate": 0.0},
    }
    fin.update(financing)
    return {
        "schema_version": 2,
        "name": "burning",
        "time": {"start_year": 2025, "horizon": 2026, "steps_per_year": 1},
        "segments": {"core": {"revenue": 10.0, "inference_cost_ratio": 0.0}},
        "market": {
            "regimes": {
                "normal": {"valuation_multiple": 10.0, "raise_success": 1.0, "resale_share": 0.0}
            },
            "transition": {"normal": {"normal": 1.0}},
        },
        "costs": {"staff": {"fixed": 40.0}},
        "financing": fin,
    }


def test_equity_raise_by_hand() -> None:
    # 2025: cash 20 - 30 = -10 < 1 x burn 30: raise 2 x 30 - (-10) = 70 at a
    # pre-money of 10 x 10 = 100 (cap 100 at 50% dilution): ownership 100/170.
    # 2026: cash 60 - 30 = 30, not below 1 x 30: no raise.
    sc = _burning(
        equity={
            "enabled": True,
            "trigger_runway": 1.0,
            "target_runway": 2.0,
            "max_dilution": 0.5,
            "min_interval": 0.5,
        }
    )
    a = wager.project(sc).annual
    assert a.loc[2025, "equity_raised"] == pytest.approx(70, abs=TOL)
    assert a.loc[2025, "dilution"] == pytest.approx(1 - 100 / 170, abs=TOL)
    assert a.loc[2025, "cash"] == pytest.approx(60, abs=TOL)
    assert a.loc[2026, "equity_raised"] == 0
    assert a.loc[2026, "cash"] == pytest.approx(30, abs=TOL)


def test_raise_capped_by_max_dilution() -> None:
    # Cap = 100 x 0.25 / 0.75 = 33.33: cash -10 + 33.33 = 23.33 in 2025.
    sc = _burning(equity={"enabled": True, "max_dilution": 0.25})
    a = wager.project(sc).annual
    assert a.loc[2025, "equity_raised"] == pytest.approx(100 / 3, abs=TOL)
    assert a.loc[2025, "dilution"] == pytest.approx(0.25, abs=TOL)


def test_a_round_at_odds_raises_its_expected_size() -> None:
    # docs/model.md §11 (4.): 2025 ends at cash 20 - 30 = -10 with burn 30, so
    # the runway is below the trigger (1 year) all year and the cash ran out
    # a third of the way from the end: a round is sought for 2/3 of a year.
    # At a yearly chance of 0.4 it closes with odds 1 - 0.6^(2/3); the
    # projection raises the capped amount (100 x 0.25 / 0.75) times them.
    sc = _burning(equity={"enabled": True})
    sc["market"]["regimes"]["normal"]["raise_success"] = 0.4
    a = wager.project(sc).annual
    odds = 1.0 - 0.6 ** (2.0 / 3.0)
    assert a.loc[2025, "equity_raised"] == pytest.approx(odds * 100 / 3, abs=TOL)
    assert a.loc[2025, "dilution"] == pytest.approx(1 - 100 / (100 + odds * 100 / 3), abs=TOL)
    assert a.loc[2025, "cash"] == pytest.approx(-10 + odds * 100 / 3, abs=TOL)  # still short
    assert a.loc[2025, "in_distress"]


def test_the_projection_spaces_its_expected_rounds_by_the_interval() -> None:
    # Quarterly, burning 30 a year, a yearly chance 0.9999, rounds at least a
    # year apart (docs/model.md §11, 4.). Q1 2025 seeks all quarter: odds
    # 1 - 0.0001^0.25 = 0.9, raising 0.9 of the capped 100/3, and the last
    # round's time moves from one interval back (-1) to -0.1. Q2 and Q3 wait;
    # Q4 (t = 0.75) may raise after t = 0.9: 0.1 of a year at the odds
    # 1 - 0.0001^0.1, of the capped 100/3 again (cash 20, burn 30: 40 wanted).
    sc = _burning(equity={"enabled": True, "min_interval": 1.0})
    sc["schema_version"] = 4
    sc["time"]["steps_per_year"] = 4
    sc["market"]["regimes"]["normal"]["raise_success"] = 0.9999
    raised = wager.project(sc, steps=True).steps.loc[2025, "equity_raised"].to_numpy()
    first = (1 - 0.0001**0.25) * 100 / 3
    fourth = (1 - 0.0001**0.1) * 100 / 3
    assert list(raised) == pytest.approx([first, 0.0, 0.0, fourth], abs=TOL)
    assert first == pytest.approx(30.0, abs=TOL)


def test_refused_raise_defaults() -> None:
    sc = _burning(equity={"enabled": True})
    sc["market"]["regimes"]["normal"]["raise_success"] = 0.0  # no round closes
    p = wager.project(sc)
    assert p.events.distress_year == 2025
    assert p.annual.loc[2025, "cash"] == pytest.approx(-10, abs=TOL)
    assert p.annual.loc[2026, "cash"] == pytest.approx(-10, abs=TOL)  # frozen
    assert p.annual.loc[2026, "revenue"] == 0
    assert p.events.terminal_equity_value == 0


def test_backstop_lends_what_is_missing() -> None:
    # 2025: -10 lent; 2026: 0 - 30 = -30 lent; debt 40, never a default.
    sc = _burning()
    sc["distress"] = {"backstop": True}
    p = wager.project(sc)
    assert p.events.distress_year is None
    assert list(p.annual["rescue"]) == pytest.approx([10, 30], abs=TOL)
    assert p.annual.loc[2026, "debt"] == pytest.approx(40, abs=TOL)
    assert p.events.rescue_total == pytest.approx(40, abs=TOL)


def test_credit_facility_then_default() -> None:
    # 2025: draw 10 (debt 10, cash 0). 2026: -30, draw the last 5, cash -25: default.
    p = wager.project(_burning(debt={"rate": 0.0, "credit_limit": 15.0}))
    assert list(p.annual["debt_drawn"]) == pytest.approx([10, 5], abs=TOL)
    assert p.annual.loc[2026, "cash"] == pytest.approx(-25, abs=TOL)
    assert p.events.distress_year == 2026


def test_management_cuts_and_renegotiation_by_hand() -> None:
    # 2025: FCF -30, cash -10 < 0.5 x 30: management acts once: fixed opex cut
    # 50%, and half of the later commitments (40 in 2026) cancelled at a 10%
    # penalty: 2 charged in 2026. The credit line covers the -10.
    # 2026: commitments 20, all idle, nothing resold; staff 20; penalty 2:
    # OI = 10 - 20 - 20 - 2 = -32.
    sc = _burning(debt={"rate": 0.0, "credit_limit": 100.0})
    sc["compute"] = {"commitments": [{"name": "c", "counterparty": "x", "schedule": {2026: 40.0}}]}
    sc["distress"] = {
        "management": {
            "enabled": True,
            "trigger_runway": 0.5,
            "cut_opex": 0.5,
            "renegotiate": 0.5,
            "penalty": 0.1,
        }
    }
    a = wager.project(sc).annual
    assert a.loc[2026, "commitments_paid"] == pytest.approx(20, abs=TOL)
    assert a.loc[2026, "commitment_penalty"] == pytest.approx(2, abs=TOL)
    assert a.loc[2026, "staff_cost"] == pytest.approx(20, abs=TOL)
    assert a.loc[2026, "operating_income"] == pytest.approx(-32, abs=TOL)
    assert a.loc[2026, "debt"] == pytest.approx(10 + 32, abs=TOL)


def _renegotiating(timing: str | None) -> dict[str, Any]:
    """Burning for three years; commitments of 40 in 2026 and 2027, all idle.

    2025: FCF -30, cash -10 < 0.5 x 30: management cancels half of the later
    commitments (40 of 80) at a 10% penalty; the credit line covers the gaps.
    """
    sc = _burning(debt={"rate": 0.0, "credit_limit": 500.0})
    sc["time"]["horizon"] = 2027
    sc["compute"] = {
        "commitments": [{"name": "c", "counterparty": "x", "schedule": {2026: 40.0, 2027: 40.0}}]
    }
    mg: dict[str, Any] = {"enabled": True, "renegotiate": 0.5, "penalty": 0.1}
    if timing is not None:
        mg["penalty_timing"] = timing
    sc["distress"] = {"management": mg}
    return sc


def test_renegotiation_penalty_spread_over_the_cancelled_payments() -> None:
    # Each later year pays 10% of what was cancelled of its payment: 0.1 x 20
    # in 2026 and in 2027 (4 in all, as the lump). 2026: revenue 10, idle
    # commitments 20, staff 40, penalty 2: OI -52; 2027 the same.
    a = wager.project(_renegotiating("spread")).annual
    assert list(a["commitments_paid"]) == pytest.approx([0, 20, 20], abs=TOL)
    assert list(a["commitment_penalty"]) == pytest.approx([0, 2, 2], abs=TOL)
    assert list(a["operating_income"]) == pytest.approx([-30, -52, -52], abs=TOL)
    assert a.loc[2027, "debt"] == pytest.approx(10 + 52 + 52, abs=TOL)
    # "spread" is the default.
    default = wager.project(_renegotiating(None)).annual
    assert list(default["commitment_penalty"]) == pytest.approx([0, 2, 2], abs=TOL)


def test_renegotiation_penalty_upfront_is_wager_0_1s_lump() -> None:
    # The penalty on all 40 cancelled, 4, charged in 2026: OI -54, then -50.
    a = wager.project(_renegotiating("upfront")).annual
    assert list(a["commitment_penalty"]) == pytest.approx([0, 4, 0], abs=TOL)
    assert list(a["operating_income"]) == pytest.approx([-30, -54, -50], abs=TOL)
    assert a.loc[2027, "debt"] == pytest.approx(10 + 54 + 50, abs=TOL)


def test_a_version_1_scenario_keeps_its_lump_penalty_and_says_so() -> None:
    sc = _renegotiating(None)
    del sc["schema_version"]  # wager 0.1's files had none
    with pytest.warns(ScenarioMigrationWarning, match="schema_version 1"):
        a = wager.project(sc).annual
    assert list(a["commitment_penalty"]) == pytest.approx([0, 4, 0], abs=TOL)
    # Without a penalty nothing changed meaning: read silently.
    sc["distress"]["management"]["penalty"] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert wager.Scenario.model_validate(sc).schema_version == 5


def test_an_unknown_schema_version_is_refused() -> None:
    sc = _burning()
    sc["schema_version"] = 6
    with pytest.raises(ValueError, match="schema_version: schema_version 6 is not one this wager"):
        wager.Scenario.model_validate(sc)


def test_a_version_2_scenario_reads_as_version_3_silently() -> None:
    # Only the results' names changed from 2 to 3 (CHANGELOG.md, Migration);
    # with yearly steps raise_success means the same in 3 and 4.
    sc = _renegotiating(None)
    sc["schema_version"] = 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        two = wager.project(sc)
    sc["schema_version"] = 4
    assert two.annual.equals(wager.project(sc).annual)
    assert two.scenario.schema_version == 5


def test_a_version_3_raise_success_becomes_a_yearly_chance() -> None:
    # 0.2 an attempt, one attempt a quarter: 1 - 0.8^4 a year, with a warning;
    # an omitted one takes version 3's default 0.9 the same way, silently
    # (the file gave no number), and so do the default regimes of a file
    # without any.
    sc = _burning()
    sc["schema_version"] = 3
    sc["time"]["steps_per_year"] = 4
    sc["market"]["regimes"]["bust"] = {"raise_success": 0.2}
    sc["market"]["transition"] = {"normal": {"normal": 1.0}, "bust": {"bust": 1.0}}
    del sc["market"]["regimes"]["normal"]["raise_success"]
    with pytest.warns(ScenarioMigrationWarning, match=r"bust: p became 1 - \(1 - p\)\^4"):
        got = wager.Scenario.model_validate(sc)
    assert got.market.regimes["bust"].raise_success == pytest.approx(1 - 0.8**4, abs=1e-15)
    assert got.market.regimes["normal"].raise_success == pytest.approx(1 - 0.1**4, abs=1e-15)
    del sc["market"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = wager.Scenario.model_validate(sc)
    yearly = {n: r.raise_success for n, r in plain.market.regimes.items()}
    assert yearly == pytest.approx({"boom": 1 - 0.05**4, "normal": 1 - 0.1**4, "bust": 1 - 0.8**4})
    # Monthly steps: twelve attempts a year.
    sc["time"]["steps_per_year"] = 12
    monthly = wager.Scenario.model_validate(sc).market.regimes["bust"].raise_success
    assert monthly == pytest.approx(1 - 0.8**12, abs=1e-15)


def _maturing(regime_2026: str, initial_cash: float = 100.0) -> dict[str, Any]:
    """Burning 30 a year; debt 50 at the start, 30 of it due in January 2026."""
    sc = _burning(
        initial_cash=initial_cash,
        debt={"initial": 50.0, "rate": 0.0, "maturities": [{"year": 2026, "amount": 30.0}]},
    )
    sc["market"]["regimes"]["bust"] = {
        "demand_growth": 0.0,
        "price_change": 0.0,
        "raise_success": 0.2,
        "credit_spread": 0.0,
    }
    sc["market"]["transition"] = {"normal": {"normal": 1.0}, "bust": {"bust": 1.0}}
    sc["market"]["path"] = {2026: regime_2026}
    return sc


def test_a_maturity_refinanced_when_the_market_funds() -> None:
    # Normal regime, raise success 1: rolled over in full.
    # Cash 100 - 30 - 30 = 40; debt stays 50.
    p = wager.project(_maturing("normal"))
    a = p.annual
    assert list(a["debt_refinanced"]) == pytest.approx([0, 30], abs=TOL)
    assert list(a["debt_repaid"]) == pytest.approx([0, 0], abs=TOL)
    assert a.loc[2026, "debt"] == pytest.approx(50, abs=TOL)
    assert a.loc[2026, "cash"] == pytest.approx(40, abs=TOL)


def test_a_maturity_repaid_in_a_bust_and_the_refinancing_wall() -> None:
    # Bust in 2026, raise success 0.2: the projection refinances its expected
    # share, 0.2 x 30 = 6, and repays 24 from cash: 40 - 24 = 16, debt 26.
    a = wager.project(_maturing("bust")).annual
    assert list(a["debt_repaid"]) == pytest.approx([0, 24], abs=TOL)
    assert list(a["debt_refinanced"]) == pytest.approx([0, 6], abs=TOL)
    assert a.loc[2026, "debt"] == pytest.approx(26, abs=TOL)
    assert a.loc[2026, "cash"] == pytest.approx(16, abs=TOL)
    # With 70 of cash: 10 left after the 2026 burn, the payment takes it to
    # -14: a default that the same year in a normal regime avoids.
    assert wager.project(_maturing("bust", 70.0)).events.distress_year == 2026
    assert wager.project(_maturing("normal", 70.0)).events.distress_year is None


def test_maturities_are_part_of_the_initial_debt() -> None:
    sc = _maturing("normal")
    sc["financing"]["debt"]["maturities"].append({"year": 2026, "month": 7, "amount": 25.0})
    with pytest.raises(ValueError, match="55 falls due but the initial debt is 50"):
        wager.Scenario.model_validate(sc)


def _revolving(revolving: bool) -> dict[str, Any]:
    """Operating income -30, +30, -30; cash 20; a facility of 12 at 10% a year."""
    sc = _burning(
        debt={"rate": 0.1, "credit_limit": 12.0, "revolving": revolving},
    )
    sc["time"]["horizon"] = 2027
    sc["segments"]["core"]["revenue"] = [10.0, 70.0, 10.0]
    return sc


def test_a_revolving_facility_is_repaid_and_drawn_again() -> None:
    # 2025: -30 leaves -10: draw 10. 2026: interest 1 on the 10, FCF 29 (the
    # 2025 loss carried forward shields it from tax); the 10 drawn is repaid
    # from the 29: cash 19, debt 0. 2027: no interest, FCF -30: cash -11,
    # drawn again: 11 of the 12.
    a = wager.project(_revolving(True)).annual
    assert list(a["debt_drawn"]) == pytest.approx([10, 0, 11], abs=TOL)
    assert list(a["debt_repaid"]) == pytest.approx([0, 10, 0], abs=TOL)
    assert list(a["debt"]) == pytest.approx([10, 0, 11], abs=TOL)
    assert list(a["cash"]) == pytest.approx([0, 19, 0], abs=TOL)


def test_a_non_revolving_facility_keeps_its_draws() -> None:
    # 2026: cash 29, debt 10. 2027: interest 1, FCF -31: cash -2, the last 2 of the 12 drawn.
    a = wager.project(_revolving(False)).annual
    assert list(a["debt_drawn"]) == pytest.approx([10, 0, 2], abs=TOL)
    assert list(a["debt"]) == pytest.approx([10, 10, 12], abs=TOL)
    assert list(a["cash"]) == pytest.approx([0, 29, 0], abs=TOL)


def test_refinancing_odds_in_a_simulation_are_the_regime_s() -> None:
    # One regime with raise success 0.7: the payment is repaid on the paths
    # whose step draw is >= 0.7, so mean cash at the end of 2026 is
    # 1000 - 2 x 30 - 30 x 0.3 = 931, with a standard error of 30 sqrt(0.3 x 0.7 / n).
    sc = _maturing("normal", initial_cash=1000.0)
    sc["market"]["regimes"]["normal"]["raise_success"] = 0.7
    n = 20_000
    sim = wager.simulate(sc, n_paths=n, seed=5, progress=False)
    cash = sim.annual.loc[("cash", 2026)]
    se = 30 * math.sqrt(0.3 * 0.7 / n)
    assert abs(cash["mean"] - 931.0) < 4 * se
    assert cash["se"] == pytest.approx(se, rel=0.05)


def test_pinned_regime_moves_demand_and_prices() -> None:
    # A bust year with demand growth -0.5 / yr and prices -20% / yr, annual steps.
    # Volume and price move continuously through the year: revenue is the plan
    # times the year's average of exp(x t), x = -0.5 + ln 0.8, i.e.
    # 100 x (e^x - 1) / x; inference follows volume only: 40 x (e^-0.5 - 1) / -0.5.
    sc = _two_years()
    sc["market"]["regimes"]["bust"] = {"demand_growth": -0.5, "price_change": -0.2}
    sc["market"]["transition"] = {"normal": {"normal": 1.0}, "bust": {"bust": 1.0}}
    sc["market"]["path"] = {2025: "bust"}
    sc["financing"]["initial_cash"] = 500.0  # stay solvent: this test is about the market
    a = wager.project(sc).annual

    x = -0.5 + math.log(0.8)
    assert a.loc[2025, "revenue"] == pytest.approx(100 * math.expm1(x) / x, abs=TOL)
    assert a.loc[2025, "inference_cost"] == pytest.approx(40 * math.expm1(-0.5) / -0.5, abs=TOL)
    assert a.loc[2025, "regime"] == "bust"
    # The level stays down once the bust is over (no growth back in 2026):
    # 200 x e^-0.5 x 0.8.
    assert a.loc[2026, "revenue"] == pytest.approx(200 * math.exp(-0.5) * 0.8, abs=TOL)


def test_agreed_tranches_in_one_step_compound() -> None:
    # Two tranches of 2.0 at 3.0 post-money in one step: each sells 2/3 of
    # what is left: ownership (1/3) x (1/3) = 1/9, never below 0.
    sc = _burning()
    sc["financing"]["tranches"] = [
        {"investor": "a", "year": 2025, "amount": 2.0, "post_money": 3.0},
        {"investor": "b", "year": 2025, "amount": 2.0, "post_money": 3.0},
    ]
    a = wager.project(sc).annual
    assert a.loc[2025, "ownership_retained"] == pytest.approx(1 / 9, abs=TOL)
    assert a.loc[2025, "dilution"] == pytest.approx(8 / 9, abs=TOL)
