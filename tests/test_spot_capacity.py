"""Spot compute beyond the plan takes the regime's lead time (docs/model.md §5).

A contract lost from 1 January 2027 leaves a constant extra need e (US$ bn a
year) through 2027; the capacity secured toward it follows
S(t) = e (1 - exp(-t / L)), so the compute left unserved over the year is
e L (1 - exp(-1 / L)), whatever the number of steps a year.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest

import wager
from wager import ScenarioMigrationWarning

TOL = 1e-9
LEAD = 0.2  # the normal regime's lead time (the default)


def vendor_data(steps: int, regimes: dict[str, dict[str, float]]) -> dict[str, Any]:
    """One segment of 100 a year at a cost ratio of 0.4, training 20, a
    contract "cloud" of 50 a year for 2025-2028 (the rest, 10, bought at spot
    on plan); each regime lasts for ever, rounds never fail; no management
    actions. Also used by tests/test_supplier_failure.py."""
    regimes = {n: {"raise_success": 1.0, **r} for n, r in regimes.items()}
    return {
        "schema_version": 4,
        "name": "vendor",
        "time": {"start_year": 2025, "horizon": 2028, "steps_per_year": steps},
        "segments": {"core": {"revenue": 100.0, "inference_cost_ratio": 0.4}},
        "market": {
            "initial": "normal",
            "regimes": regimes,
            "transition": {n: {m: 1.0 if m == n else 0.0 for m in regimes} for n in regimes},
        },
        "compute": {
            "training": 20.0,
            "commitments": [
                {
                    "name": "cloud",
                    "counterparty": "a cloud",
                    "total": 200.0,
                    "start": 2025,
                    "end": 2028,
                }
            ],
        },
        "financing": {"initial_cash": 1000.0},
    }


def _vendor(steps: int, lead: float = LEAD) -> wager.Scenario:
    """The vendor in a normal market throughout (spot at the contract price)."""
    return wager.Scenario.model_validate(vendor_data(steps, {"normal": {"spot_lead_time": lead}}))


_LOST = wager.Stress.model_validate(
    {
        "name": "cloud_lost",
        "shocks": [
            {"target": "compute.commitments.cloud", "op": "scale", "value": 0.0, "start": 2027}
        ],
    }
)


@pytest.mark.parametrize("steps", [1, 4, 12])
def test_a_lost_contract_leaves_e_l_one_minus_exp_minus_one_over_l_unserved(steps: int) -> None:
    a = wager.project(_vendor(steps), stress=_LOST).annual
    e = 50.0  # the contract's payments per year, now needed at spot beyond the plan's 10
    expected = e * LEAD * -math.expm1(-1.0 / LEAD)  # 9.9326...
    assert a.loc[2027, "unserved_compute"] == pytest.approx(expected, rel=1e-12)
    # By 2028 the capacity in place is e (1 - exp(-1/L)) short of e at the
    # year's start: that gap decays in turn.
    gap = e * math.exp(-1.0 / LEAD)
    assert a.loc[2028, "unserved_compute"] == pytest.approx(gap * LEAD * -math.expm1(-1.0 / LEAD))
    assert a.loc[2025, "unserved_compute"] == 0.0 and a.loc[2026, "unserved_compute"] == 0.0
    served = a.loc[2027, "inference_cost"] + a.loc[2027, "training_compute"]
    assert served == pytest.approx(60.0 - expected, abs=TOL)
    if steps < 12:
        # Inference first: each step's inference needed exceeds what it leaves
        # unserved (with monthly steps the first month's 3.41 exceeds 40 / 12,
        # and training gives up the rest).
        assert a.loc[2027, "training_compute"] == pytest.approx(20.0, abs=TOL)
        assert a.loc[2027, "inference_cost"] == pytest.approx(40.0 - expected, abs=TOL)
    assert a.loc[2027, "compute_needed"] == pytest.approx(60.0, abs=TOL)
    # Spot buys what is secured: the plan's 10 and the lost contract's 50, less what is unserved.
    assert a.loc[2027, "spot_purchases"] == pytest.approx(60.0 - expected, abs=TOL)


def test_the_revenue_lost_is_the_share_of_inference_not_served() -> None:
    s = wager.project(_vendor(4), stress=_LOST, steps=True).steps
    q1 = s.loc[(2027, 1)]
    # Quarter 1 of 2027: the gap is 50 a year at the start; unserved
    # 50 L (1 - exp(-0.25 / L)); inference needed 10, revenue 25.
    unserved = 50.0 * LEAD * -math.expm1(-0.25 / LEAD)  # 7.1350...
    assert q1["unserved_compute"] == pytest.approx(unserved, rel=1e-12)
    assert q1["unserved_revenue"] == pytest.approx(25.0 * unserved / 10.0, rel=1e-12)
    assert q1["revenue"] == pytest.approx(25.0 * (1.0 - unserved / 10.0), rel=1e-12)
    assert q1["revenue_core"] == pytest.approx(q1["revenue"], rel=1e-12)
    # Revenue-linked costs and gross profit read the revenue served.
    assert q1["gross_profit"] == pytest.approx(q1["revenue"] - (10.0 - unserved), abs=TOL)


def test_when_more_is_unserved_than_inference_training_gives_up_the_rest() -> None:
    s = wager.project(_vendor(1, lead=2.0), stress=_LOST, steps=True).steps
    y = s.loc[(2027, 1)]
    unserved = 50.0 * 2.0 * -math.expm1(-0.5)  # 39.35 of 40 of inference: all but 0.65
    assert y["unserved_compute"] == pytest.approx(unserved, rel=1e-12)
    assert y["inference_cost"] == pytest.approx(40.0 - unserved, abs=TOL)
    assert y["training_compute"] == pytest.approx(20.0, abs=TOL)
    s = wager.project(_vendor(1, lead=5.0), stress=_LOST, steps=True).steps
    y = s.loc[(2027, 1)]
    unserved = 50.0 * 5.0 * -math.expm1(-0.2)  # 45.3: all 40 of inference and 5.3 of training
    assert y["inference_cost"] == 0.0 and y["revenue"] == 0.0
    assert y["training_compute"] == pytest.approx(20.0 - (unserved - 40.0), abs=TOL)


def test_no_lead_time_or_no_change_from_plan_leaves_nothing_unserved() -> None:
    plain = wager.project(_vendor(4)).annual
    assert (plain["unserved_compute"] == 0.0).all()
    at_once = wager.project(_vendor(4, lead=0.0), stress=_LOST).annual
    assert (at_once["unserved_compute"] == 0.0).all()
    assert at_once.loc[2027, "spot_purchases"] == pytest.approx(60.0, abs=TOL)
    for name in ("compute_first", "profitability"):
        a = wager.project(wager.presets.load(name)).annual
        assert (a["unserved_compute"] == 0.0).all(), name


def test_a_version_3_file_buys_spot_at_once() -> None:
    data: dict[str, Any] = _vendor(1).model_dump(exclude_none=True)
    data["schema_version"] = 3
    del data["market"]["regimes"]["normal"]["spot_lead_time"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScenarioMigrationWarning)
        sc = wager.Scenario.model_validate(data)
    assert sc.market.regimes["normal"].spot_lead_time == 0.0
    a = wager.project(sc, stress=_LOST).annual
    assert (a["unserved_compute"] == 0.0).all()


def test_the_default_regimes_lead_times() -> None:
    data: dict[str, Any] = _vendor(1).model_dump(exclude_none=True)
    del data["market"]
    regimes = wager.Scenario.model_validate(data).market.regimes
    got = {n: r.spot_lead_time for n, r in regimes.items()}
    assert got == {"boom": 0.75, "normal": 0.2, "bust": 0.05}


def test_a_simulation_loses_revenue_only_to_the_lead_time() -> None:
    # Same worlds (one seed): with lead times, a path's revenue is the revenue
    # without them times the share served, never more, while neither run is
    # in distress; demand above plan makes some paths lose revenue.
    data: dict[str, Any] = wager.presets.load("compute_first").model_dump(exclude_none=True)
    runs = []
    for lead in (None, 0.0):
        if lead is not None:
            for regime in data["market"]["regimes"].values():
                regime["spot_lead_time"] = lead
        sc = wager.Scenario.model_validate(data)
        r = wager.simulate(sc, n_paths=512, seed=3, progress=False, keep_paths=True)
        assert r.paths is not None
        runs.append(r.paths)
    lagged, at_once = runs
    both = (lagged.distress_year < 0) & (at_once.distress_year < 0)
    a, b = lagged.annual["revenue"][both], at_once.annual["revenue"][both]
    assert both.sum() > 300
    assert (a <= b * (1.0 + 1e-12)).all()
    assert (a < b - 1e-6).any()


def test_the_spot_replacing_renegotiated_commitments_is_arranged_with_them() -> None:
    # A burning company (staff 100 a year) with little cash: management acts
    # at once and renegotiates half of its commitments; it lines up the spot
    # that replaces them, so nothing goes unserved.
    data: dict[str, Any] = _vendor(4).model_dump(exclude_none=True)
    data["financing"] = {"initial_cash": 5.0, "equity": {"enabled": False}}
    data["costs"] = {"staff": {"fixed": 100.0}}
    data["distress"] = {
        "management": {"enabled": True, "trigger_runway": 0.5, "renegotiate": 0.5},
        "backstop": True,
    }
    s = wager.project(wager.Scenario.model_validate(data), steps=True).steps
    assert s["commitments_paid"].iloc[-1] == pytest.approx(0.5 * 50.0 / 4, abs=TOL)
    assert (s["unserved_compute"] == 0.0).all()
    assert s["spot_purchases"].iloc[-1] == pytest.approx((60.0 - 25.0) / 4, abs=TOL)
