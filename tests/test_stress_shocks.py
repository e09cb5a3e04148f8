"""The shock language: each operation and shape moves its target by exactly
the documented amount (docs/stress.md), severity, composition, clipping,
triggers, and every class of bad stress."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import wager
from wager.stresses import StressError

SPY = 4
DT = 1.0 / SPY
START = 2025


def _scenario(**extra: Any) -> wager.Scenario:
    d: dict[str, Any] = {
        "name": "s",
        "time": {"start_year": START, "horizon": 2030, "steps_per_year": SPY},
        "segments": {"core": {"revenue": {2025: 10.0, 2030: 60.0}, "inference_cost_ratio": 0.3}},
        "compute": {
            "training": 4.0,
            "capex": 2.0,
            "commitments": [
                {"name": "big", "counterparty": "A", "total": 30.0, "start": 2026, "end": 2030},
                {"name": "small", "counterparty": "B", "schedule": {2027: 3.0, 2028: 3.0}},
            ],
        },
        "costs": {"general_admin": {"fixed": 1.5}},
        "financing": {
            "initial_cash": 50.0,
            "tranches": [
                {"investor": "X", "year": 2026, "month": 7, "amount": 5.0},
                {"investor": "Y", "year": 2028, "amount": 8.0},
            ],
        },
    }
    d.update(extra)
    return wager.Scenario.model_validate(d)


def _stress(*shocks: dict[str, Any], **fields: Any) -> wager.Stress:
    return wager.Stress.model_validate({"name": "t", "shocks": list(shocks), **fields})


def _steps(sc: wager.Scenario, stress: Any = None, severity: float = 1.0) -> Any:
    out = wager.project(sc, steps=True, stress=stress, severity=severity).steps
    assert out is not None
    return out


def _profile(shape: str, t0: float, duration: float, t: np.ndarray, **kw: float) -> np.ndarray:
    """docs/stress.md: the profile at step midpoints t, by the formulas there."""
    since = t - t0
    on = (since >= 0) & (since < duration)
    if shape == "step":
        phi = np.ones_like(t)
    elif shape == "ramp":
        phi = np.minimum(since / kw["ramp"], 1.0)
    else:
        phi = np.exp2(-since / kw["half_life"])
    return np.where(on, phi, 0.0)


MID = (np.arange(6 * SPY) + 0.5) * DT  # step midpoints, years from 1 Jan 2025


def test_scale_with_a_ramp_moves_training_by_the_formula() -> None:
    sc = _scenario()
    s = _stress(
        {
            "target": "compute.training",
            "op": "scale",
            "value": 0.4,
            "start": 2026,
            "duration": 3,
            "shape": "ramp",
            "ramp": 2,
        }
    )
    got = _steps(sc, s, severity=1.5)["training_compute"].to_numpy()
    a = 1.5 * _profile("ramp", 1.0, 3.0, MID, ramp=2.0)
    np.testing.assert_allclose(got, 4.0 * (1 + a * (0.4 - 1)) * DT, rtol=1e-14, atol=0)
    # Before the start and after the end: the plan, bit for bit.
    assert (got[:SPY] == 4.0 * DT).all() and (got[4 * SPY :] == 4.0 * DT).all()


def test_add_with_a_recovery_moves_general_costs_by_the_formula() -> None:
    sc = _scenario()
    s = _stress(
        {
            "target": "costs.general_admin.fixed",
            "op": "add",
            "value": 2.0,
            "start": 2027,
            "shape": "recovery",
            "half_life": 0.5,
        }
    )
    got = _steps(sc, s)["general_admin"].to_numpy()
    a = _profile("recovery", 2.0, math.inf, MID, half_life=0.5)
    np.testing.assert_allclose(got, (1.5 + 2.0 * a) * DT, rtol=1e-14, atol=0)
    assert got[2 * SPY] == pytest.approx((1.5 + 2.0 * 2 ** (-0.125 / 0.5)) * DT, rel=1e-14)


def test_set_with_a_step_moves_capex_for_its_duration() -> None:
    sc = _scenario()
    s = _stress(
        {"target": "compute.capex", "op": "set", "value": 0.5, "start": 2026, "duration": 1.5}
    )
    got = _steps(sc, s, severity=0.5)["capex"].to_numpy()
    a = 0.5 * _profile("step", 1.0, 1.5, MID)
    np.testing.assert_allclose(got, (2.0 + a * (0.5 - 2.0)) * DT, rtol=1e-14, atol=0)
    assert (got[SPY : SPY + 6] == 1.25 * DT).all() and got[SPY + 6] == 2.0 * DT


def test_severity_zero_is_the_unstressed_run_bit_for_bit() -> None:
    sc = _scenario()
    s = _stress(
        {"target": "segments.*.revenue", "op": "scale", "value": 0.3, "start": 2026},
        {"target": "market.regimes.*.raise_success", "op": "set", "value": 0.0},
        {"target": "financing.initial_cash", "op": "scale", "value": 0.5},
        {"target": "distress.backstop", "op": "set", "value": True},
    )
    base = _steps(sc)
    np.testing.assert_array_equal(_steps(sc, s, severity=0.0).to_numpy(), base.to_numpy())
    assert not np.array_equal(_steps(sc, s).to_numpy(), base.to_numpy())


def test_stresses_compose_in_the_order_given() -> None:
    sc = _scenario()
    double = _stress({"target": "compute.training", "op": "scale", "value": 2.0}, name="double")
    plus = _stress({"target": "compute.training", "op": "add", "value": 1.0}, name="plus")
    first = _steps(sc, [double, plus])["training_compute"].to_numpy()
    second = _steps(sc, [plus, double])["training_compute"].to_numpy()
    np.testing.assert_allclose(first, (4.0 * 2 + 1) * DT, rtol=1e-15)
    np.testing.assert_allclose(second, (4.0 + 1) * 2 * DT, rtol=1e-15)


def test_includes_apply_first_at_the_product_of_severities() -> None:
    plus = {"target": "compute.training", "op": "add", "value": 1.0}
    sc = _scenario(stresses={"plus": {"severity": 0.5, "shocks": [plus]}})
    outer = _stress(
        {"target": "compute.training", "op": "scale", "value": 3.0}, includes=["plus"], severity=2.0
    )
    got = _steps(sc, outer, severity=0.5)["training_compute"].to_numpy()
    # plus at 0.5 x 2 x 0.5 = 0.5: 4 + 0.5; then scale 3 at 2 x 0.5 = 1: x 3.
    np.testing.assert_allclose(got, (4.0 + 0.5) * 3.0 * DT, rtol=1e-15)


def test_values_are_clipped_to_what_the_field_can_mean() -> None:
    sc = _scenario()
    cut = _stress({"target": "segments.core.revenue", "op": "scale", "value": 0.25, "start": 2027})
    steps = _steps(sc, cut, severity=2.0)  # 1 + 2 (0.25 - 1) = -0.5: clipped to 0
    assert (steps["revenue"].to_numpy()[2 * SPY :] == 0).all()
    assert (steps["revenue"].to_numpy()[: 2 * SPY] > 0).all()
    never = _stress({"target": "market.regimes.normal.raise_success", "op": "add", "value": 5.0})
    assert wager.project(sc, stress=never).events.equity_raised_total >= 0


def test_a_shock_on_one_contract_moves_only_its_payments() -> None:
    sc = _scenario()
    base = _steps(sc)["commitments_paid"].to_numpy()
    s = _stress({"target": "compute.commitments.big", "op": "scale", "value": 0.0, "start": 2028})
    got = _steps(sc, s)["commitments_paid"].to_numpy()
    big = np.array([0.0] * SPY + [6.0 * DT] * (5 * SPY))  # 30 over 2026-2030
    np.testing.assert_allclose(got, base - big * (MID >= 3.0), rtol=0, atol=1e-12)
    largest = _stress(
        {"target": "compute.commitments.largest", "op": "scale", "value": 0.0, "start": 2028}
    )
    np.testing.assert_array_equal(_steps(sc, largest)["commitments_paid"].to_numpy(), got)


def test_a_tranche_takes_the_profile_at_its_date() -> None:
    sc = _scenario()
    withdraw = {"target": "financing.tranches.largest.amount", "op": "scale", "value": 0.0}
    before = _steps(sc, _stress({**withdraw, "start": 2028}))["tranches_received"]
    after = _steps(sc, _stress({**withdraw, "start": 2029}))["tranches_received"]
    assert before.loc[2028].sum() == 0 and before.loc[2026].sum() == 5.0
    assert after.loc[2028].sum() == 8.0
    every = _steps(sc, _stress({**withdraw, "target": "financing.tranches.*.amount"}))
    assert every["tranches_received"].sum() == 0


def test_a_constant_takes_a_whole_horizon_shock() -> None:
    # No interest on cash: pre-tax profit does not depend on the tax paid before.
    d = _scenario(tax={"rate": 0.2}).model_dump(exclude_none=True)
    d["financing"]["cash_yield"] = 0.0
    sc = wager.Scenario.model_validate(d)
    s = _stress({"target": "tax.rate", "op": "scale", "value": 2.0})
    base, shocked = wager.project(sc).annual, wager.project(sc, stress=s).annual
    taxed = base["tax"] > 0
    assert taxed.any()
    np.testing.assert_allclose(shocked["tax"][taxed], 2 * base["tax"][taxed], rtol=1e-12)


def test_the_backstop_switch_turns_defaults_into_rescues() -> None:
    sc = _scenario(financing={"initial_cash": 0.5, "equity": {"enabled": False}})
    assert wager.project(sc).events.distress_year is not None
    rescued = wager.project(sc, stress="backstop").events
    assert rescued.distress_year is None and rescued.rescue_total > 0


def test_a_trigger_starts_at_the_regime_path_s_first_step_in_the_regime() -> None:
    sc = _scenario(market={"path": {2028: "bust", 2029: "bust"}})
    s = _stress(
        {
            "target": "compute.training",
            "op": "scale",
            "value": 0.5,
            "trigger": {"regime": "bust"},
            "duration": 1,
        }
    )
    got = _steps(sc, s)["training_compute"].to_numpy()
    expected = np.where((MID >= 3.0) & (MID < 4.0), 2.0, 4.0) * DT
    np.testing.assert_array_equal(got, expected)
    never = _stress({**s.shocks[0].model_dump(), "trigger": {"regime": "boom"}})
    np.testing.assert_array_equal(_steps(sc, never).to_numpy(), _steps(sc).to_numpy())
    late = _stress({**s.shocks[0].model_dump(), "trigger": {"regime": "bust", "after": 2029}})
    late_got = _steps(sc, late)["training_compute"].to_numpy()
    np.testing.assert_array_equal(late_got, np.where((MID >= 4.0) & (MID < 5.0), 2.0, 4.0) * DT)


@pytest.mark.parametrize(
    ("shock", "path", "reason"),
    [
        (
            {"target": "segments.nope.revenue"},
            "shocks[0] (segments.nope.revenue)",
            "no segment 'nope'",
        ),
        ({"target": "compute.bogus"}, "shocks[0] (compute.bogus)", "unknown target"),
        ({"target": "market.transition.normal.bust"}, "shocks[0]", "cannot be shocked"),
        (
            {"target": "compute.training", "start": 2040},
            "shocks[0]",
            "outside the horizon 2025-2030",
        ),
        (
            {"target": "compute.training", "trigger": {"regime": "crash"}},
            "shocks[0]",
            "not a regime",
        ),
        (
            {"target": "tax.rate", "start": 2027},
            "shocks[0] (tax.rate)",
            "constant over the horizon",
        ),
        (
            {"target": "financing.initial_cash", "trigger": {"regime": "bust"}},
            "shocks[0]",
            "one date",
        ),
        ({"target": "distress.backstop", "op": "set", "value": 1.0}, "shocks[0]", "switch"),
        ({"target": "financing.tranches.7.amount"}, "shocks[0]", "no tranche '7'"),
    ],
)
def test_a_bad_shock_is_refused_naming_the_stress_and_the_shock(
    shock: dict[str, Any], path: str, reason: str
) -> None:
    full = {"op": "scale", "value": 0.5, **shock}
    with pytest.raises(StressError) as err:
        wager.project(_scenario(), stress=_stress(full, name="my_stress"))
    assert "stress 'my_stress'" in str(err.value)
    assert path in str(err.value) and reason in str(err.value)


@pytest.mark.parametrize(
    ("fields", "path", "reason"),
    [
        ({"severity": -1.0}, "severity", "greater than or equal to 0"),
        (
            {"shocks": [{"target": "x", "op": "scale", "value": 1.0, "shape": "ramp"}]},
            "shocks[0].ramp",
            "needs its length",
        ),
        (
            {"shocks": [{"target": "x", "op": "add", "value": 1.0, "shape": "recovery"}]},
            "shocks[0].half_life",
            "half-life",
        ),
        ({"shocks": [{"target": "x", "op": "scale", "value": True}]}, "shocks[0].value", "switch"),
        (
            {"shocks": [{"target": "x", "op": "shift", "value": 1.0}]},
            "shocks[0].op",
            "'scale', 'add', 'set' or 'fail'",
        ),
        (
            {"shocks": [{"target": "x", "op": "add", "value": 1.0, "speed": 2}]},
            "shocks[0].speed",
            "",
        ),
    ],
)
def test_a_bad_stress_document_names_the_field(
    fields: dict[str, Any], path: str, reason: str
) -> None:
    with pytest.raises(StressError) as err:
        wager.stresses.parse_stress({"name": "bad", **fields}, "bad.toml")
    assert f"bad.toml: {path}" in str(err.value) and reason in str(err.value)


def test_a_negative_severity_argument_is_refused_naming_the_stress() -> None:
    with pytest.raises(StressError, match=r"stress t: severity: must be a number >= 0"):
        wager.project(
            _scenario(),
            stress=_stress({"target": "compute.training", "op": "add", "value": 1.0}),
            severity=-0.5,
        )


def test_unknown_and_circular_stresses_are_refused() -> None:
    with pytest.raises(StressError, match=r"unknown stress; known: .*funding_freeze"):
        wager.project(_scenario(), stress="no_such_stress")
    loop = {"a": {"includes": ["b"]}, "b": {"includes": ["a"]}}
    with pytest.raises(StressError, match="includes itself: a -> b -> a"):
        wager.project(_scenario(stresses=loop), stress="a")
