"""A supplier's failure (a stress's `fail` shock; docs/model.md §5, docs/stress.md).

The failed supplier's estate keeps a contract priced at or above the market
(spot at or below the contract price when it fails) and rejects the others
(Bankruptcy Code §365). A rejected contract's payments and capacity stop;
its compute is found at spot at the regime's lead time.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from test_spot_capacity import vendor_data

import wager
from wager import ScenarioError
from wager.stresses import StressError

TOL = 1e-9


def _vendor(path: dict[int, str] | None = None, steps: int = 4) -> wager.Scenario:
    """test_spot_capacity's vendor (revenue 100, cost ratio 0.4, training 20,
    a contract "cloud" of 50 a year for 2025-2028) with three regimes."""
    data = vendor_data(
        steps,
        {
            "normal": {"spot_price": 1.0, "spot_lead_time": 0.2},
            "boom": {"spot_price": 1.3, "spot_lead_time": 0.75},
            "glut": {"spot_price": 0.5, "spot_lead_time": 0.05},
        },
    )
    if path is not None:
        data["market"]["path"] = path
    return wager.Scenario.model_validate(data)


def _fails(value: float = 1.0, **extra: Any) -> wager.Stress:
    shock = {"target": "compute.commitments.cloud", "op": "fail", "value": value, "start": 2027}
    return wager.Stress.model_validate({"name": "cloud_fails", "shocks": [{**shock, **extra}]})


@pytest.mark.parametrize("regime", ["normal", "glut"])
def test_the_estate_keeps_a_contract_at_or_above_the_market(regime: str) -> None:
    sc = _vendor({2027: regime, 2028: regime})
    stressed = wager.project(sc, stress=_fails(), steps=True).steps
    plain = wager.project(sc, steps=True).steps
    pd.testing.assert_frame_equal(stressed, plain)  # bit for bit


def test_in_a_boom_the_contract_is_rejected_and_its_capacity_found_late() -> None:
    a = wager.project(_vendor({2027: "boom", 2028: "boom"}), stress=_fails()).annual
    assert a.loc[2026, "commitments_paid"] == pytest.approx(50.0, abs=TOL)
    assert a.loc[2027, "commitments_paid"] == 0.0 and a.loc[2028, "commitments_paid"] == 0.0
    lead = 0.75
    unserved = 50.0 * lead * -math.expm1(-1.0 / lead)  # 27.70: of 40 of inference
    assert a.loc[2027, "unserved_compute"] == pytest.approx(unserved, rel=1e-12)
    # Spot buys the plan's 10 and what was secured of the 50, at the boom's 1.3.
    assert a.loc[2027, "spot_purchases"] == pytest.approx((60.0 - unserved) * 1.3, rel=1e-12)
    # Demand in the boom grows with the regime; unserved revenue is the
    # inference lost times revenue per unit of inference.
    assert a.loc[2027, "unserved_revenue"] > 0.0


def test_the_decision_is_taken_once_at_the_failure() -> None:
    # Rejected in the 2027 boom, the contract stays gone when the market
    # turns normal in 2028; kept in a normal 2027, it stays when a boom comes.
    rejected = wager.project(_vendor({2027: "boom", 2028: "normal"}), stress=_fails()).annual
    assert rejected.loc[2028, "commitments_paid"] == 0.0
    kept = wager.project(_vendor({2027: "normal", 2028: "boom"}), stress=_fails()).annual
    assert kept.loc[2028, "commitments_paid"] == pytest.approx(50.0, abs=TOL)


def test_the_share_lost_and_the_severity_scale_the_rejected_payments() -> None:
    sc = _vendor({2027: "boom", 2028: "boom"})
    half = wager.project(sc, stress=_fails(0.5)).annual
    assert half.loc[2027, "commitments_paid"] == pytest.approx(25.0, abs=TOL)
    mild = wager.project(sc, stress=_fails(), severity=0.4).annual
    assert mild.loc[2027, "commitments_paid"] == pytest.approx(30.0, abs=TOL)


def test_a_failure_must_be_on_a_contract_at_a_date_and_alone() -> None:
    with pytest.raises(ValueError, match=r"only for compute\.commitments"):
        wager.Stress.model_validate(
            {"shocks": [{"target": "compute.training", "op": "fail", "value": 1.0}]}
        )
    with pytest.raises(ValueError, match="give start, not a trigger"):
        _fails(start=None, trigger={"regime": "boom"})
    with pytest.raises(ValueError, match="from 0 to 1"):
        _fails(1.5)
    sc = _vendor()
    with pytest.raises((StressError, ScenarioError), match="at most one supplier's failure"):
        wager.project(sc, stress=[_fails(), _fails(0.5)])


def test_counterparty_default_fails_the_largest_contract() -> None:
    stress = wager.stresses.load("counterparty_default")
    ops = {(s.target, s.op) for s in stress.shocks}
    assert ("compute.commitments.largest", "fail") in ops
